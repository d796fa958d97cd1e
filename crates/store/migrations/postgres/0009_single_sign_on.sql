-- Single sign-on with OpenID Connect (docs/sso.md).

-- A person who signs in through an identity provider is linked by the provider's issuer and
-- the subject it gives them, never by e-mail or username: those can change or be reused.
CREATE TABLE sso_identities (
    issuer          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    last_sign_in_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_user ON sso_identities(user_id);

-- Sign-ins under way: sent to the provider, not yet back. Only the state's SHA-256 is kept;
-- a row is taken (deleted) when the browser comes back, so a state works once, and expires
-- after ten minutes.
CREATE TABLE sso_logins (
    state_hash      TEXT PRIMARY KEY,
    nonce           TEXT NOT NULL,
    pkce_verifier   TEXT NOT NULL,
    next_path       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX sso_logins_expiry ON sso_logins(expires_at);

-- Where a grant came from: given in Serva ('local') or by the provider's groups at the last
-- sign-in ('sso'), which the next sign-in replaces.
ALTER TABLE grants ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'sso'));
