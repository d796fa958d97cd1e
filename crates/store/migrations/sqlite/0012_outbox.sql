-- Mail to customers (docs/channels/email-out.md).

-- The outbox: every mail Serva sends, written in the same transaction as the change that sends
-- it (a new case, a reply, a resolution), and delivered by a worker with retries. A mail's
-- Message-ID is fixed here, so a mail sent again after a crash is recognisably the same one.
-- A worker takes a row with a lease (lease_until, lease_token); a lease left behind by a
-- crashed worker runs out and the row is taken again.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('received', 'reply', 'resolved')),
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
-- What the worker looks for: pending mail that is due.
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_case ON outbox(case_id);
