-- The object id of a job's submitter beside its JSON, so that a list of "my jobs" filters on it with an index.
-- Java migration V20 fills it for the jobs that exist.
ALTER TABLE jobs ADD COLUMN created_by_id UUID;

CREATE INDEX jobs_created_by ON jobs (workspace_id, created_by_id);
