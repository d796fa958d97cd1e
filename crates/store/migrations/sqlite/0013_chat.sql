-- Chat (docs/channels/chat.md): a conversation in a provider unit's chat queue that becomes a
-- case (channel 'chat') the moment it opens.

CREATE TABLE chats (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    service_id      INTEGER REFERENCES services(id),
    case_id         INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    state           TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'ended')),
    -- A signed-in customer from the portal, or (citizens without an account) the name they
    -- gave and the SHA-256 of the visitor token their browser holds.
    customer_id     INTEGER REFERENCES users(id),
    customer_name   TEXT NOT NULL,
    visitor_hash    TEXT UNIQUE,
    opened_at       INTEGER NOT NULL,
    taken_at        INTEGER,
    taken_by        INTEGER REFERENCES users(id),
    ended_at        INTEGER,
    -- Queue wait in milliseconds (taken_at - opened_at), kept for the channel figures.
    wait_ms         INTEGER,
    -- The last sequence number given out; a message takes the next one under this row's lock.
    last_seq        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chats_unit_state ON chats(unit_id, state, opened_at);
CREATE INDEX chats_opened ON chats(opened_at);

CREATE TABLE chat_messages (
    chat_id         INTEGER NOT NULL REFERENCES chats(id),
    seq             INTEGER NOT NULL,
    side            TEXT NOT NULL CHECK (side IN ('customer', 'agent')),
    author_id       INTEGER REFERENCES users(id),
    -- Names the message for its sender, so a resend is answered with the first ack.
    client_id       TEXT NOT NULL,
    body            TEXT NOT NULL,
    at              INTEGER NOT NULL,
    -- The same text on the case, so the case shows the whole conversation.
    case_message_id INTEGER NOT NULL REFERENCES case_messages(id),
    PRIMARY KEY (chat_id, seq),
    UNIQUE (chat_id, side, client_id)
);
