-- The object ids of a compute's creator and assigned user, beside their JSON, so that lists filter on them with an
-- index. Java migration V9 fills them for the computes that exist.
ALTER TABLE computes ADD COLUMN created_by_id UUID;
ALTER TABLE computes ADD COLUMN assigned_user_id UUID;

CREATE INDEX computes_created_by ON computes (workspace_id, created_by_id);
CREATE INDEX computes_assigned_user ON computes (workspace_id, assigned_user_id);
