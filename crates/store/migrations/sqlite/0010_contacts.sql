-- Contacts, unit mailboxes, follow links, unread replies and attachments (issue: every channel
-- into one case).

-- People without an account who reach a unit: citizens, callers, e-mail senders. Found again
-- by their e-mail address (lower-cased), else by their phone number's digits.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT,
    email       TEXT,
    email_key   TEXT UNIQUE,
    phone       TEXT,
    phone_key   TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK (name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX contacts_phone ON contacts(phone_key);

ALTER TABLE cases ADD COLUMN contact_id INTEGER REFERENCES contacts(id);
CREATE INDEX cases_contact ON cases(contact_id, id);

-- Unread replies: the customer wrote and the provider has not opened the case since
-- (unread_by_provider), or the provider wrote and the customer has not (unread_by_customer).
ALTER TABLE cases ADD COLUMN unread_by_provider INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN unread_by_customer INTEGER NOT NULL DEFAULT 0;

-- Each provider unit's mailbox: mail to it becomes a case in the unit's queue, and mail from
-- the unit is sent from it.
ALTER TABLE units ADD COLUMN mail_address TEXT;
CREATE UNIQUE INDEX units_mail_address ON units(mail_address);

-- Links that let someone without an account follow a case and reply. Only the token's
-- SHA-256 is kept.
CREATE TABLE case_follow_tokens (
    token_hash  TEXT PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    contact_id  INTEGER REFERENCES contacts(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX case_follow_tokens_case ON case_follow_tokens(case_id);

-- Files on a case, from every channel. Kept in the database, so a backup and a transaction
-- hold them with the case.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    message_id    INTEGER REFERENCES case_messages(id),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    uploaded_by   INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id, id);
