-- Attached computes (engines a team already runs, e.g. Slurm) share the computes table, so that a name in a workspace
-- is one compute's; compute_type holds their kind. How to reach one is JSON (its kind's settings), its credentials
-- are sealed JSON.
ALTER TABLE computes ADD COLUMN attachment TEXT;
ALTER TABLE computes ADD COLUMN attachment_secrets TEXT;

-- A job submitted to an attached engine: the engine's id for it and its folder there, recorded in the transaction
-- that records the submission, so that a restarted Hangar follows it instead of submitting it again.
CREATE TABLE engine_jobs (
    job_id       UUID                     NOT NULL PRIMARY KEY,
    engine_id    VARCHAR(128)             NOT NULL,
    folder       TEXT                     NOT NULL,
    run_as       VARCHAR(128),
    submitted_on TIMESTAMP WITH TIME ZONE NOT NULL
);
