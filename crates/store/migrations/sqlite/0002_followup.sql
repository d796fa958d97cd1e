-- Follow-up: finance, investments, goals, indicators, staff, strategic assignments, internal
-- control, narratives, calls, surveys and approved reports. Money is INTEGER öre; measured
-- values (percentages, indices) are REAL; periods are TEXT ('2019', '2019-08', '2019-W35').

CREATE TABLE fin_budget (
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    year        INTEGER NOT NULL,
    revenue     INTEGER NOT NULL,
    cost        INTEGER NOT NULL,
    note        TEXT,
    PRIMARY KEY (unit_id, year)
);

-- The ledger's outcome per unit and month (from SIE imports or the demo).
CREATE TABLE fin_outcome (
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    year        INTEGER NOT NULL,
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    revenue     INTEGER NOT NULL,
    cost        INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year, month)
);

-- A full-year forecast made on a follow-up date; the newest up to the report date counts.
CREATE TABLE fin_forecast (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    year        INTEGER NOT NULL,
    made_on     TEXT NOT NULL,
    revenue     INTEGER NOT NULL,
    cost        INTEGER NOT NULL,
    comment     TEXT,
    author_id   INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (unit_id, year, made_on)
);

CREATE TABLE investments (
    id               INTEGER PRIMARY KEY,
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    year             INTEGER NOT NULL,
    project          TEXT NOT NULL,
    frame            INTEGER NOT NULL,
    spent            INTEGER NOT NULL,
    income           INTEGER NOT NULL,
    forecast_spent   INTEGER NOT NULL,
    forecast_income  INTEGER NOT NULL,
    UNIQUE (unit_id, year, project)
);

CREATE TABLE goals (
    id              INTEGER PRIMARY KEY,
    org_unit_id     INTEGER NOT NULL REFERENCES units(id),
    year            INTEGER NOT NULL,
    area            TEXT NOT NULL,
    municipal_goal  TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    position        INTEGER NOT NULL
);

CREATE TABLE goal_assessments (
    goal_id     INTEGER NOT NULL REFERENCES goals(id),
    through     TEXT NOT NULL,
    assessment  TEXT NOT NULL CHECK (assessment IN ('met','partly_met','not_met','not_assessed')),
    analysis    TEXT NOT NULL,
    author_id   INTEGER REFERENCES users(id),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (goal_id, through)
);

CREATE TABLE indicators (
    id              INTEGER PRIMARY KEY,
    org_unit_id     INTEGER NOT NULL REFERENCES units(id),
    goal_id         INTEGER REFERENCES goals(id),
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    measure         TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('higher','lower','band')),
    band_low        REAL,
    band_high       REAL,
    period_type     TEXT NOT NULL,
    kolada_id       TEXT,
    min_group_size  INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL
);

CREATE TABLE indicator_values (
    indicator_id  INTEGER NOT NULL REFERENCES indicators(id),
    period        TEXT NOT NULL,
    gender        TEXT NOT NULL CHECK (gender IN ('T','K','M')),
    value         REAL,
    target        REAL,
    group_size    INTEGER,
    source        TEXT NOT NULL,
    PRIMARY KEY (indicator_id, period, gender)
);

CREATE TABLE staff_figures (
    org_unit_id  INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    gender       TEXT NOT NULL CHECK (gender IN ('T','K','M')),
    metric       TEXT NOT NULL CHECK (metric IN ('employees','sick_leave','external_turnover','full_time_share')),
    value        REAL NOT NULL,
    target       REAL,
    PRIMARY KEY (org_unit_id, period, gender, metric)
);

CREATE TABLE strategic_assignments (
    id           INTEGER PRIMARY KEY,
    org_unit_id  INTEGER NOT NULL REFERENCES units(id),
    year         INTEGER NOT NULL,
    common       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('not_started','actions_taken','done','not_applicable')),
    comment      TEXT NOT NULL,
    position     INTEGER NOT NULL
);

CREATE TABLE control_points (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    year       INTEGER NOT NULL,
    name       TEXT NOT NULL,
    risk       TEXT NOT NULL,
    method     TEXT NOT NULL,
    frequency  TEXT NOT NULL,
    owner      TEXT NOT NULL
);

CREATE TABLE control_results (
    control_id    INTEGER NOT NULL REFERENCES control_points(id),
    through       TEXT NOT NULL,
    result        TEXT NOT NULL CHECK (result IN ('satisfactory','partly_satisfactory','unsatisfactory')),
    findings      TEXT NOT NULL,
    actions       TEXT NOT NULL,
    carries_over  INTEGER NOT NULL,
    PRIMARY KEY (control_id, through)
);

CREATE TABLE narratives (
    id           INTEGER PRIMARY KEY,
    org_unit_id  INTEGER NOT NULL REFERENCES units(id),
    through      TEXT NOT NULL,
    section      TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft','submitted','approved')),
    author_id    INTEGER REFERENCES users(id),
    updated_at   INTEGER NOT NULL,
    UNIQUE (org_unit_id, through, section)
);

CREATE TABLE narrative_history (
    id            INTEGER PRIMARY KEY,
    narrative_id  INTEGER NOT NULL REFERENCES narratives(id),
    at            INTEGER NOT NULL,
    actor_id      INTEGER REFERENCES users(id),
    status        TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX narrative_history_narrative ON narrative_history(narrative_id, id);

CREATE TABLE report_events (
    id           INTEGER PRIMARY KEY,
    org_unit_id  INTEGER NOT NULL REFERENCES units(id),
    through      TEXT NOT NULL,
    decision     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    position     INTEGER NOT NULL
);

-- Phone queue calls: offered, how long the caller waited, answered or abandoned.
CREATE TABLE calls (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    call_ref      TEXT NOT NULL,
    offered_at    INTEGER NOT NULL,
    wait_seconds  INTEGER NOT NULL CHECK (wait_seconds >= 0),
    answered      INTEGER NOT NULL,
    UNIQUE (unit_id, call_ref)
);
CREATE INDEX calls_unit_time ON calls(unit_id, offered_at);

CREATE TABLE queue_settings (
    unit_id                INTEGER PRIMARY KEY REFERENCES units(id),
    answer_within_seconds  INTEGER NOT NULL DEFAULT 120,
    abandon_grace_seconds  INTEGER NOT NULL DEFAULT 5,
    target_percent         REAL NOT NULL DEFAULT 80
);

-- Satisfaction surveys after a case: a score 0–100.
CREATE TABLE case_surveys (
    case_id      INTEGER PRIMARY KEY REFERENCES cases(id),
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment      TEXT,
    answered_at  INTEGER NOT NULL
);

-- Approved reports, frozen: regenerating an approved report returns this document.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    org_unit_id  INTEGER NOT NULL REFERENCES units(id),
    kind         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    through      TEXT NOT NULL,
    approved_by  INTEGER REFERENCES users(id),
    approved_at  INTEGER NOT NULL,
    body_json    TEXT NOT NULL,
    UNIQUE (org_unit_id, kind, year, through)
);
