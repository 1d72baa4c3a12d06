-- The kind of compute a job was submitted to (Instance, Cluster or Attached), as the submission resolved it: which
-- runner runs the job is known from the job alone, also once its compute is gone. Jobs of an earlier schema take the
-- kind of their compute; a job whose compute is gone can no longer run, and counts as an instance's.
ALTER TABLE jobs ADD COLUMN target_kind VARCHAR(16) DEFAULT 'Instance' NOT NULL;
UPDATE jobs SET target_kind = 'Cluster'
    WHERE compute_id IN (SELECT id FROM computes WHERE compute_type = 'AmlCompute');
UPDATE jobs SET target_kind = 'Attached'
    WHERE compute_id IN (SELECT id FROM computes WHERE compute_type NOT IN ('ComputeInstance', 'AmlCompute'));
