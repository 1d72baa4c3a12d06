-- How many nodes of a cluster a job runs on at once (resources.instanceCount); 1 on an instance.
ALTER TABLE jobs ADD COLUMN instance_count INTEGER DEFAULT 1 NOT NULL;
