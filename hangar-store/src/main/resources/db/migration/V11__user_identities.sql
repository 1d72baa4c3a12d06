-- Who a user is at an OpenID Connect issuer: the issuer's subject ('sub') names one Hangar user for good.
CREATE TABLE user_identities (
    issuer     VARCHAR(512)             NOT NULL,
    subject    VARCHAR(512)             NOT NULL,
    user_id    UUID                     NOT NULL REFERENCES users (id),
    created_on TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX user_identities_user ON user_identities (user_id);
