-- Workspace roles. The built-in roles (Owner, Contributor, Reader) live in code with Azure's ids; this table holds
-- the custom ones. actions and not_actions are JSON arrays of Azure action strings.
CREATE TABLE role_definitions (
    id                UUID                     NOT NULL PRIMARY KEY,
    name              VARCHAR(128)             NOT NULL,
    name_key          VARCHAR(128)             NOT NULL,
    description       TEXT,
    actions           TEXT                     NOT NULL,
    not_actions       TEXT                     NOT NULL,
    assignable_scopes TEXT                     NOT NULL,
    created_on        TIMESTAMP WITH TIME ZONE,
    updated_on        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT role_definitions_name_unique UNIQUE (name_key)
);

-- role_definition_id names a built-in role (no row above) or a custom one: no foreign key, the store checks.
CREATE TABLE role_assignments (
    id                 UUID                     NOT NULL PRIMARY KEY,
    workspace_id       UUID                     NOT NULL REFERENCES workspaces (id),
    principal_id       UUID                     NOT NULL REFERENCES users (id),
    role_definition_id UUID                     NOT NULL,
    created_on         TIMESTAMP WITH TIME ZONE,
    created_by         VARCHAR(256),
    CONSTRAINT role_assignments_unique UNIQUE (workspace_id, principal_id, role_definition_id)
);

CREATE INDEX role_assignments_principal ON role_assignments (principal_id, workspace_id);
CREATE INDEX role_assignments_role ON role_assignments (role_definition_id);

-- V3 (a Java migration, dev.hangar.store.migration) makes existing non-admin users Contributors.

-- Apps opened only for their owner whatever the policy said; with roles the policy counts, and an instance created
-- without one is Personal. The instances made before keep opening for their owner only.
UPDATE computes SET application_sharing_policy = 'Personal';
