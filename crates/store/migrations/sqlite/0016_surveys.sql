-- Surveys on every channel (docs/surveys.md): a unit's survey settings, the surveys sent (one
-- per case), the links that open them without signing in, the answers' scale and dimensions,
-- and the outbox's two survey mails.

-- A provider unit's settings; a unit without a row uses the defaults below. sample_* is per
-- channel: 0 asks nobody, 1 every resolved case, n one case in n (by the case number).
CREATE TABLE survey_settings (
    unit_id        INTEGER PRIMARY KEY REFERENCES units(id),
    scale          TEXT NOT NULL DEFAULT '1-5' CHECK (scale IN ('1-5', '0-10')),
    reminder_days  INTEGER NOT NULL DEFAULT 5 CHECK (reminder_days BETWEEN 0 AND 60),
    valid_days     INTEGER NOT NULL DEFAULT 30 CHECK (valid_days BETWEEN 1 AND 365),
    min_group      INTEGER NOT NULL DEFAULT 5 CHECK (min_group BETWEEN 1 AND 100),
    sample_web     INTEGER NOT NULL DEFAULT 1 CHECK (sample_web BETWEEN 0 AND 1000),
    sample_chat    INTEGER NOT NULL DEFAULT 1 CHECK (sample_chat BETWEEN 0 AND 1000),
    sample_phone   INTEGER NOT NULL DEFAULT 1 CHECK (sample_phone BETWEEN 0 AND 1000),
    sample_email   INTEGER NOT NULL DEFAULT 1 CHECK (sample_email BETWEEN 0 AND 1000),
    sample_visit   INTEGER NOT NULL DEFAULT 1 CHECK (sample_visit BETWEEN 0 AND 1000),
    updated_at     INTEGER NOT NULL
);

-- A survey sent about a resolved case: at most one per case, answered at most once. What the
-- figures group by is kept as it was when the survey went (the unit, service, channel and
-- agent of the case then; the Monday of the Stockholm week, as days since 1970-01-01).
CREATE TABLE survey_invitations (
    case_id      INTEGER PRIMARY KEY REFERENCES cases(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    service_id   INTEGER NOT NULL REFERENCES services(id),
    channel      TEXT NOT NULL,
    agent_id     INTEGER REFERENCES users(id),
    scale        TEXT NOT NULL CHECK (scale IN ('1-5', '0-10')),
    via          TEXT NOT NULL CHECK (via IN ('mail', 'chat', 'follow', 'page', 'link', 'api')),
    sent_at      INTEGER NOT NULL,
    sent_week    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    remind_at    INTEGER,
    reminded_at  INTEGER,
    answered_at  INTEGER
);
CREATE INDEX survey_invitations_unit ON survey_invitations(unit_id, sent_at);
-- What the reminder job looks for.
CREATE INDEX survey_invitations_due ON survey_invitations(remind_at)
    WHERE remind_at IS NOT NULL AND reminded_at IS NULL AND answered_at IS NULL;

-- Links that open a survey without signing in (in the mail, the reminder, the agent's link).
-- Only the token's SHA-256 is kept.
CREATE TABLE survey_tokens (
    token_hash  TEXT PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES survey_invitations(case_id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX survey_tokens_case ON survey_tokens(case_id);

-- The answer on its scale and the seed's dimensions on the 0–100 index (NULL: not answered,
-- or an answer from before surveys had them).
ALTER TABLE case_surveys ADD COLUMN scale TEXT CHECK (scale IN ('1-5', '0-10'));
ALTER TABLE case_surveys ADD COLUMN answer INTEGER;
ALTER TABLE case_surveys ADD COLUMN engagement INTEGER CHECK (engagement BETWEEN 0 AND 100);
ALTER TABLE case_surveys ADD COLUMN general_satisfaction INTEGER CHECK (general_satisfaction BETWEEN 0 AND 100);
ALTER TABLE case_surveys ADD COLUMN resolution INTEGER CHECK (resolution BETWEEN 0 AND 100);
ALTER TABLE case_surveys ADD COLUMN via TEXT;
CREATE INDEX case_surveys_answered ON case_surveys(answered_at);

-- The outbox takes the survey and its reminder: SQLite changes a CHECK only by rebuilding.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('received', 'reply', 'resolved', 'survey', 'survey_reminder')),
    message_id      TEXT NOT NULL UNIQUE,
    from_name       TEXT,
    from_address    TEXT NOT NULL,
    to_name         TEXT,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    in_reply_to     TEXT,
    references_ids  TEXT,
    auto_submitted  INTEGER NOT NULL CHECK (auto_submitted IN (0, 1)),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_token     TEXT,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
INSERT INTO outbox_new (id, case_id, kind, message_id, from_name, from_address, to_name, to_address,
    subject, body, in_reply_to, references_ids, auto_submitted, status, attempts, next_attempt_at,
    lease_until, lease_token, last_error, created_at, sent_at)
SELECT id, case_id, kind, message_id, from_name, from_address, to_name, to_address,
    subject, body, in_reply_to, references_ids, auto_submitted, status, attempts, next_attempt_at,
    lease_until, lease_token, last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_case ON outbox(case_id);
