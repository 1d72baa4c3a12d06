-- A Spark job's application (Azure's v2 Spark job: entry, args, jars, pyFiles, files, archives, conf) as JSON; NULL
-- for a command job. Its command column holds the spark-submit line it amounts to, for listings.
ALTER TABLE jobs ADD COLUMN spark TEXT;
