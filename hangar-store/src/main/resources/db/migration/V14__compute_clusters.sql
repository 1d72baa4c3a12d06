-- Compute clusters share the computes table, so that a name in a workspace is one compute's, and operations, quota
-- reservations and history work for both kinds alike. A cluster's own settings are columns an instance leaves null.
ALTER TABLE computes ADD COLUMN compute_type VARCHAR(32) DEFAULT 'ComputeInstance' NOT NULL;
ALTER TABLE computes ADD COLUMN vm_priority VARCHAR(32);
ALTER TABLE computes ADD COLUMN min_nodes INTEGER;
ALTER TABLE computes ADD COLUMN max_nodes INTEGER;
ALTER TABLE computes ADD COLUMN idle_seconds BIGINT;

CREATE INDEX computes_type ON computes (compute_type);

-- A cluster's nodes; every write but the insert is conditional on the version, so that the scaler never removes a
-- node a job just took. job_id is the job a Running node runs (kept on a lost node until the job lets go of it).
CREATE TABLE cluster_nodes (
    id         UUID                     NOT NULL PRIMARY KEY,
    cluster_id UUID                     NOT NULL REFERENCES computes (id) ON DELETE CASCADE,
    name       VARCHAR(64)              NOT NULL,
    state      VARCHAR(32)              NOT NULL,
    job_id     UUID,
    since      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_on TIMESTAMP WITH TIME ZONE NOT NULL,
    version    BIGINT                   NOT NULL
);

CREATE INDEX cluster_nodes_cluster ON cluster_nodes (cluster_id, created_on);
