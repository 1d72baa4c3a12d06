-- Code snapshots a workspace was sent, named by the digest of their files; the archives are on disk.
CREATE TABLE codes (
    workspace_id UUID                     NOT NULL REFERENCES workspaces (id),
    digest       VARCHAR(64)              NOT NULL,
    files        INTEGER                  NOT NULL,
    bytes        BIGINT                   NOT NULL,
    created_by   TEXT,
    created_on   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (workspace_id, digest)
);

-- The snapshot a job runs in (null: none), and its place in the queue: higher priorities run first.
ALTER TABLE jobs ADD COLUMN code_digest VARCHAR(64);
ALTER TABLE jobs ADD COLUMN priority INTEGER DEFAULT 2 NOT NULL;
