-- E-mail in (docs/channels/email-in.md): mail received over Serva's SMTP listener or fetched
-- from IMAP mailboxes becomes cases and replies.

-- Per provider unit: the service a new mail case gets, and the IMAP mailbox to fetch from.
-- The IMAP password is never stored: only where to read it (an environment variable's NAME or
-- a file path). The lease lets one app node at a time poll the mailbox.
CREATE TABLE mail_unit_settings (
    unit_id             INTEGER PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    service_id          INTEGER REFERENCES services(id) ON DELETE SET NULL,
    imap_host           TEXT,
    imap_port           INTEGER,
    imap_tls            TEXT NOT NULL DEFAULT 'tls' CHECK (imap_tls IN ('none', 'starttls', 'tls')),
    imap_user           TEXT,
    imap_folder         TEXT NOT NULL DEFAULT 'INBOX',
    imap_password_env   TEXT,
    imap_password_file  TEXT,
    imap_lease_holder   TEXT,
    imap_lease_until    INTEGER,
    imap_last_poll_at   INTEGER,
    imap_last_error     TEXT,
    updated_at          INTEGER NOT NULL,
    CHECK (imap_password_env IS NULL OR imap_password_file IS NULL)
);

-- Message-IDs of the mails of a case, both ways: 'in' as received, 'out' as sent by Serva
-- (the mail-out channel writes those). A reply's In-Reply-To/References are looked up here;
-- an incoming mail whose Message-ID is one of our own 'out' ones is a mail loop.
CREATE TABLE mail_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT NOT NULL,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    -- The mail's HTML part as sanitised on arrival ('in' only).
    html            TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX mail_messages_message_id ON mail_messages(message_id);
CREATE INDEX mail_messages_case ON mail_messages(case_id);

-- Every mail that arrived, and what became of it: the operator's record of the channel.
CREATE TABLE mail_intake_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at     INTEGER NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('smtp', 'imap')),
    unit_id         INTEGER REFERENCES units(id) ON DELETE SET NULL,
    mail_from       TEXT NOT NULL,
    rcpt_to         TEXT NOT NULL,
    message_id      TEXT,
    subject         TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('case', 'reply', 'duplicate',
                        'ignored_auto_reply', 'ignored_bounce', 'ignored_loop', 'ignored_rate', 'refused')),
    reason          TEXT NOT NULL,
    case_id         INTEGER REFERENCES cases(id) ON DELETE SET NULL
);
CREATE INDEX mail_intake_log_received ON mail_intake_log(received_at);
CREATE INDEX mail_intake_log_sender ON mail_intake_log(mail_from, received_at);

-- IMAP messages already taken in, by mailbox, UIDVALIDITY and UID: fetching again after a
-- crash never makes a case twice.
CREATE TABLE imap_seen (
    mailbox         TEXT NOT NULL,
    uid_validity    INTEGER NOT NULL,
    uid             INTEGER NOT NULL,
    log_id          INTEGER REFERENCES mail_intake_log(id) ON DELETE SET NULL,
    fetched_at      INTEGER NOT NULL,
    PRIMARY KEY (mailbox, uid_validity, uid)
);
