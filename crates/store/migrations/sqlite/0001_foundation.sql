-- Serva foundation: organisation, people, catalogue, cases, audit.
-- Times are INTEGER milliseconds since the epoch (UTC); dates are TEXT 'YYYY-MM-DD';
-- booleans are INTEGER 0/1; money is INTEGER öre. The PostgreSQL schema mirrors this one.

CREATE TABLE units (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('municipality','department','company','administration','unit')),
    parent_id       INTEGER REFERENCES units(id),
    erp_code        TEXT,
    valid_from      TEXT,
    valid_to        TEXT,
    predecessor_id  INTEGER REFERENCES units(id)
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    email           TEXT,
    password_hash   TEXT,
    locale          TEXT CHECK (locale IN ('sv','en')),
    home_unit_id    INTEGER REFERENCES units(id),
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL
);

CREATE TABLE grants (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    unit_id         INTEGER REFERENCES units(id),
    target_group    TEXT
);
CREATE INDEX grants_user ON grants(user_id);

CREATE TABLE sessions (
    id_hash         TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,
    revoked_at      INTEGER
);

CREATE TABLE services (
    id                      INTEGER PRIMARY KEY,
    unit_id                 INTEGER NOT NULL REFERENCES units(id),
    code                    TEXT NOT NULL UNIQUE,
    name                    TEXT NOT NULL,
    description             TEXT NOT NULL,
    category                TEXT NOT NULL,
    price_model             TEXT NOT NULL,
    price_ore               INTEGER NOT NULL,
    first_response_minutes  INTEGER,
    resolution_minutes      INTEGER,
    form                    TEXT NOT NULL DEFAULT '[]',
    active                  INTEGER NOT NULL DEFAULT 1,
    search_text             TEXT NOT NULL
);
CREATE INDEX services_unit ON services(unit_id);

CREATE TABLE cases (
    id                        INTEGER PRIMARY KEY,
    service_id                INTEGER NOT NULL REFERENCES services(id),
    unit_id                   INTEGER NOT NULL REFERENCES units(id),
    customer_unit_id          INTEGER REFERENCES units(id),
    requester_id              INTEGER REFERENCES users(id),
    requester_name            TEXT,
    target_group              TEXT,
    channel                   TEXT NOT NULL,
    status                    TEXT NOT NULL,
    subject                   TEXT NOT NULL,
    description               TEXT NOT NULL,
    form_data                 TEXT NOT NULL DEFAULT '[]',
    assignee_id               INTEGER REFERENCES users(id),
    first_contact_resolution  INTEGER NOT NULL DEFAULT 0,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    first_response_at         INTEGER,
    resolved_at               INTEGER,
    closed_at                 INTEGER,
    search_text               TEXT NOT NULL
);
CREATE INDEX cases_queue ON cases(unit_id, status, id);
CREATE INDEX cases_unit_id ON cases(unit_id, id);
CREATE INDEX cases_requester ON cases(requester_id, id);
CREATE INDEX cases_customer_unit ON cases(customer_unit_id, id);
CREATE INDEX cases_assignee ON cases(assignee_id, status);
CREATE INDEX cases_created ON cases(created_at);

CREATE TABLE case_messages (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    author_id       INTEGER REFERENCES users(id),
    internal        INTEGER NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX case_messages_case ON case_messages(case_id, id);

CREATE TABLE case_events (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    at              INTEGER NOT NULL,
    actor_id        INTEGER REFERENCES users(id),
    kind            TEXT NOT NULL,
    from_value      TEXT,
    to_value        TEXT
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    actor_id        INTEGER REFERENCES users(id),
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    before_json     TEXT,
    after_json      TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
