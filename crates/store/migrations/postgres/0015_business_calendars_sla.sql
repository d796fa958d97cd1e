-- Business calendars and SLA clocks in working time (docs/sla.md).

-- A provider unit's opening hours per weekday (minutes after local midnight; both NULL:
-- closed that day), whether it closes on Swedish public holidays, and the share of a target
-- after which a running clock warns. A unit without a row has the default calendar:
-- Monday–Friday 08:00–16:00, closed on holidays, warning at 80 %.
CREATE TABLE unit_calendars (
    unit_id          BIGINT PRIMARY KEY REFERENCES units(id),
    mon_open BIGINT, mon_close BIGINT,
    tue_open BIGINT, tue_close BIGINT,
    wed_open BIGINT, wed_close BIGINT,
    thu_open BIGINT, thu_close BIGINT,
    fri_open BIGINT, fri_close BIGINT,
    sat_open BIGINT, sat_close BIGINT,
    sun_open BIGINT, sun_close BIGINT,
    public_holidays  BIGINT NOT NULL DEFAULT 1 CHECK (public_holidays IN (0, 1)),
    warn_percent     BIGINT NOT NULL DEFAULT 80 CHECK (warn_percent BETWEEN 1 AND 99),
    updated_at       BIGINT NOT NULL
);

-- A unit's own days: closed (no hours) or open other hours (a shortened eve).
CREATE TABLE unit_calendar_days (
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    day           TEXT NOT NULL,
    open_minute   BIGINT,
    close_minute  BIGINT,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, day)
);

-- The third target of a service: the next reply after the customer writes.
ALTER TABLE services ADD COLUMN next_response_minutes BIGINT;

-- Which side wrote a message, for the next-response clock. Messages written before this
-- column existed: the requester's own, and those without an author (mail, the follow link),
-- are the customer's; chat lines take their side from the chat; the rest are the provider's.
ALTER TABLE case_messages ADD COLUMN from_provider BIGINT NOT NULL DEFAULT 1 CHECK (from_provider IN (0, 1));
UPDATE case_messages SET from_provider = 0
    WHERE author_id IS NULL OR author_id = (SELECT c.requester_id FROM cases c WHERE c.id = case_messages.case_id);
UPDATE case_messages SET from_provider = CASE
        WHEN (SELECT m.side FROM chat_messages m WHERE m.case_message_id = case_messages.id) = 'agent' THEN 1 ELSE 0 END
    WHERE id IN (SELECT case_message_id FROM chat_messages WHERE case_message_id IS NOT NULL);

-- The clocks' due times, worked out in Rust from the case's history and its unit's calendar
-- whenever the case changes, a calendar or target changes, or a due time passes
-- (`serva_domain::sla::SlaDue`). sla_version 0: not worked out yet (the server does it at
-- start for open cases).
ALTER TABLE cases ADD COLUMN sla_first_response_due BIGINT;
ALTER TABLE cases ADD COLUMN sla_next_response_due BIGINT;
ALTER TABLE cases ADD COLUMN sla_resolution_due BIGINT;
ALTER TABLE cases ADD COLUMN sla_due_at BIGINT;
ALTER TABLE cases ADD COLUMN sla_watch_at BIGINT;
ALTER TABLE cases ADD COLUMN sla_warn_at BIGINT;
ALTER TABLE cases ADD COLUMN sla_paused BIGINT NOT NULL DEFAULT 0 CHECK (sla_paused IN (0, 1));
ALTER TABLE cases ADD COLUMN sla_breached BIGINT NOT NULL DEFAULT 0 CHECK (sla_breached IN (0, 1));
ALTER TABLE cases ADD COLUMN sla_version BIGINT NOT NULL DEFAULT 0;

-- A queue sorted by due time (cases without a running clock last), the breach sweep, the
-- cases near a breach, and the open cases still to be worked out.
CREATE INDEX cases_sla_order ON cases(unit_id, (COALESCE(sla_due_at, 9223372036854775807)), id);
CREATE INDEX cases_sla_watch ON cases(sla_watch_at) WHERE sla_watch_at IS NOT NULL;
-- A queue's cases near a breach, in due order: running clocks not yet past due, where the
-- due time is the watch time.
CREATE INDEX cases_sla_near ON cases(unit_id, sla_watch_at, id)
    WHERE sla_breached = 0 AND sla_watch_at IS NOT NULL;
CREATE INDEX cases_sla_stale ON cases(id)
    WHERE sla_version = 0 AND status IN ('new', 'open', 'waiting_customer', 'waiting_third_party');

-- Breaches as they are recorded and counted: which clock of which case, due when. A case's
-- rows are rewritten when its clocks are worked out again (a calendar change may move a due
-- time past the moment the case was answered).
CREATE TABLE case_sla_breaches (
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    clock        TEXT NOT NULL,
    due_at       BIGINT NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    recorded_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, clock, due_at)
);
CREATE INDEX case_sla_breaches_unit ON case_sla_breaches(unit_id, due_at);
