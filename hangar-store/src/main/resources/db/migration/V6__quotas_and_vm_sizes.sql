-- The VM size catalog, editable by administrators; Java migration V7 seeds it with Hangar's defaults.
CREATE TABLE vm_sizes (
    name_key                    VARCHAR(64)      NOT NULL PRIMARY KEY,
    name                        VARCHAR(64)      NOT NULL,
    family                      VARCHAR(64)      NOT NULL,
    vcpus                       INTEGER          NOT NULL,
    memory_gb                   DOUBLE PRECISION NOT NULL,
    gpus                        INTEGER          NOT NULL,
    price_per_hour              DOUBLE PRECISION NOT NULL,
    low_priority_price_per_hour DOUBLE PRECISION NOT NULL,
    low_priority_capable        BOOLEAN          NOT NULL,
    compute_types               TEXT             NOT NULL -- a JSON array
);

-- One row per location of a subscription (lower-cased "subscription|location"): admissions there update it first,
-- which makes them wait for one another, so that none counts cores another is about to take.
CREATE TABLE quota_locks (
    scope_key  VARCHAR(300) NOT NULL PRIMARY KEY,
    admissions BIGINT       NOT NULL
);

-- Limits on cores. A location's: workspace_id NULL, family NULL for all families. A workspace's: per family.
-- limit_key is the lower-cased scope, unique; a scope without a row has no limit of its own.
CREATE TABLE quota_limits (
    limit_key        VARCHAR(600) NOT NULL PRIMARY KEY,
    subscription_key VARCHAR(128) NOT NULL,
    location_key     VARCHAR(128) NOT NULL,
    workspace_id     UUID REFERENCES workspaces (id),
    family           VARCHAR(64),
    priority         VARCHAR(32)  NOT NULL,
    core_limit       BIGINT       NOT NULL
);

CREATE INDEX quota_limits_location ON quota_limits (subscription_key, location_key);

-- The cores each compute holds, written with it and removed with it, however its row goes.
CREATE TABLE core_reservations (
    compute_id   UUID        NOT NULL PRIMARY KEY REFERENCES computes (id) ON DELETE CASCADE,
    workspace_id UUID        NOT NULL REFERENCES workspaces (id),
    family       VARCHAR(64) NOT NULL,
    priority     VARCHAR(32) NOT NULL,
    cores        INTEGER     NOT NULL
);

CREATE INDEX core_reservations_workspace ON core_reservations (workspace_id);
