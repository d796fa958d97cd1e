-- API tokens get scopes and an expiry; sessions get an idle time, a handle to name them by,
-- and the browser and address they were signed in from.

-- Tokens made before scopes could do everything, so they keep every scope. They never
-- expired; now they expire 90 days after this upgrade, so nobody's integration stops at once.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read cases imports reports';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) + 90 * 86400000::BIGINT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- The last request of a session, written at most once a minute, for the idle timeout.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
-- A random name for the session in forms, so pages never show the id's hash.
ALTER TABLE sessions ADD COLUMN handle TEXT NOT NULL DEFAULT '';
UPDATE sessions SET handle = md5(id_hash || random()::text || clock_timestamp()::text);
CREATE UNIQUE INDEX sessions_handle ON sessions(handle);
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
