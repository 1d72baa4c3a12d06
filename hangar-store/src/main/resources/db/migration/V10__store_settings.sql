-- What the store keeps about itself: 'secrets.check' holds a value sealed with the secrets key, by which a start
-- tells whether it was given the key the database's secrets are sealed with.
CREATE TABLE store_settings (
    name  VARCHAR(128) NOT NULL PRIMARY KEY,
    setting_value TEXT         NOT NULL
);
