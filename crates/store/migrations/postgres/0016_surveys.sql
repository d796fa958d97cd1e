-- Surveys on every channel (docs/surveys.md): a unit's survey settings, the surveys sent (one
-- per case), the links that open them without signing in, the answers' scale and dimensions,
-- and the outbox's two survey mails.

-- A provider unit's settings; a unit without a row uses the defaults below. sample_* is per
-- channel: 0 asks nobody, 1 every resolved case, n one case in n (by the case number).
CREATE TABLE survey_settings (
    unit_id        BIGINT PRIMARY KEY REFERENCES units(id),
    scale          TEXT NOT NULL DEFAULT '1-5' CHECK (scale IN ('1-5', '0-10')),
    reminder_days  BIGINT NOT NULL DEFAULT 5 CHECK (reminder_days BETWEEN 0 AND 60),
    valid_days     BIGINT NOT NULL DEFAULT 30 CHECK (valid_days BETWEEN 1 AND 365),
    min_group      BIGINT NOT NULL DEFAULT 5 CHECK (min_group BETWEEN 1 AND 100),
    sample_web     BIGINT NOT NULL DEFAULT 1 CHECK (sample_web BETWEEN 0 AND 1000),
    sample_chat    BIGINT NOT NULL DEFAULT 1 CHECK (sample_chat BETWEEN 0 AND 1000),
    sample_phone   BIGINT NOT NULL DEFAULT 1 CHECK (sample_phone BETWEEN 0 AND 1000),
    sample_email   BIGINT NOT NULL DEFAULT 1 CHECK (sample_email BETWEEN 0 AND 1000),
    sample_visit   BIGINT NOT NULL DEFAULT 1 CHECK (sample_visit BETWEEN 0 AND 1000),
    updated_at     BIGINT NOT NULL
);

-- A survey sent about a resolved case: at most one per case, answered at most once. What the
-- figures group by is kept as it was when the survey went (the unit, service, channel and
-- agent of the case then; the Monday of the Stockholm week, as days since 1970-01-01).
CREATE TABLE survey_invitations (
    case_id      BIGINT PRIMARY KEY REFERENCES cases(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    service_id   BIGINT NOT NULL REFERENCES services(id),
    channel      TEXT NOT NULL,
    agent_id     BIGINT REFERENCES users(id),
    scale        TEXT NOT NULL CHECK (scale IN ('1-5', '0-10')),
    via          TEXT NOT NULL CHECK (via IN ('mail', 'chat', 'follow', 'page', 'link', 'api')),
    sent_at      BIGINT NOT NULL,
    sent_week    BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    remind_at    BIGINT,
    reminded_at  BIGINT,
    answered_at  BIGINT
);
CREATE INDEX survey_invitations_unit ON survey_invitations(unit_id, sent_at);
-- What the reminder job looks for.
CREATE INDEX survey_invitations_due ON survey_invitations(remind_at)
    WHERE remind_at IS NOT NULL AND reminded_at IS NULL AND answered_at IS NULL;

-- Links that open a survey without signing in (in the mail, the reminder, the agent's link).
-- Only the token's SHA-256 is kept.
CREATE TABLE survey_tokens (
    token_hash  TEXT PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES survey_invitations(case_id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX survey_tokens_case ON survey_tokens(case_id);

-- The answer on its scale and the seed's dimensions on the 0–100 index (NULL: not answered,
-- or an answer from before surveys had them).
ALTER TABLE case_surveys ADD COLUMN scale TEXT CHECK (scale IN ('1-5', '0-10'));
ALTER TABLE case_surveys ADD COLUMN answer BIGINT;
ALTER TABLE case_surveys ADD COLUMN engagement BIGINT CHECK (engagement BETWEEN 0 AND 100);
ALTER TABLE case_surveys ADD COLUMN general_satisfaction BIGINT CHECK (general_satisfaction BETWEEN 0 AND 100);
ALTER TABLE case_surveys ADD COLUMN resolution BIGINT CHECK (resolution BETWEEN 0 AND 100);
ALTER TABLE case_surveys ADD COLUMN via TEXT;
CREATE INDEX case_surveys_answered ON case_surveys(answered_at);

-- The outbox takes the survey and its reminder.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('received', 'reply', 'resolved', 'survey', 'survey_reminder'));
