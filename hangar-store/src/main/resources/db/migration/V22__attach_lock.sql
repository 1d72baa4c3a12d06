-- One row every attach updates first, in the transaction that records it: attaches wait for one another, so that two
-- attaches of the same outside resource (in any workspaces) cannot both find it unattached and both be recorded.
CREATE TABLE attach_lock (
    id       INTEGER NOT NULL PRIMARY KEY,
    attaches BIGINT  NOT NULL
);
INSERT INTO attach_lock (id, attaches) VALUES (1, 0);
