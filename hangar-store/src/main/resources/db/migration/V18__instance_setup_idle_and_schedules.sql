-- An instance's setup scripts (the creation script and the startup script) as JSON; NULL for none.
ALTER TABLE computes ADD COLUMN setup_scripts TEXT;
-- An instance's idle shutdown (its idle time, and any keep-alive lease) as JSON; NULL for never.
ALTER TABLE computes ADD COLUMN idle_shutdown TEXT;
-- An instance's start/stop schedules as a JSON list; NULL for none.
ALTER TABLE computes ADD COLUMN schedules TEXT;
