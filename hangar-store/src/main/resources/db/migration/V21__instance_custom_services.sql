-- An instance's custom services (Azure's customServices: containers that run beside it) as a JSON list; NULL for none.
ALTER TABLE computes ADD COLUMN custom_services TEXT;
