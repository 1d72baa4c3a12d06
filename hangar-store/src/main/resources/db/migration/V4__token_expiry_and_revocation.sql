-- Tokens expire and can be revoked. Tokens made before keep working until revoked (expires_on NULL: never).
ALTER TABLE api_tokens ADD COLUMN expires_on TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_tokens ADD COLUMN revoked_on TIMESTAMP WITH TIME ZONE;
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_on);
