-- The business model (docs/billing.md): prices with validity, locked billing runs and their
-- charge lines. A service without a price entry is charged its catalogue price; an entry
-- takes over from its first day.
CREATE TABLE price_entries (
    id          INTEGER PRIMARY KEY,
    service_id  INTEGER NOT NULL REFERENCES services(id),
    model       TEXT NOT NULL,
    price_ore   INTEGER NOT NULL CHECK (price_ore >= 0),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE INDEX price_entries_service ON price_entries(service_id, valid_from);

-- One locked run per month; it never changes. Corrections go into a later month's run.
CREATE TABLE billing_runs (
    id          INTEGER PRIMARY KEY,
    month       TEXT NOT NULL UNIQUE,
    locked_at   INTEGER NOT NULL,
    locked_by   INTEGER REFERENCES users(id),
    lines       INTEGER NOT NULL,
    total_ore   INTEGER NOT NULL
);

-- What was charged, from which source. A source is charged once per period (a case once; a
-- subscription once a month; a correction once per line it corrects).
CREATE TABLE charge_lines (
    id                INTEGER PRIMARY KEY,
    run_id            INTEGER NOT NULL REFERENCES billing_runs(id),
    provider_unit_id  INTEGER NOT NULL REFERENCES units(id),
    customer_unit_id  INTEGER NOT NULL REFERENCES units(id),
    service_id        INTEGER NOT NULL REFERENCES services(id),
    source_kind       TEXT NOT NULL,
    source_id         INTEGER NOT NULL,
    period            TEXT NOT NULL,
    day               INTEGER NOT NULL,
    quantity_milli    INTEGER NOT NULL,
    price_ore         INTEGER NOT NULL,
    amount_ore        INTEGER NOT NULL
);
CREATE INDEX charge_lines_run ON charge_lines(run_id, customer_unit_id, service_id);
CREATE UNIQUE INDEX charge_lines_once ON charge_lines(source_kind, source_id, period);
-- The closed cases of a month, read for a run without scanning every case.
CREATE INDEX cases_closed_day ON cases(closed_day) WHERE closed_day IS NOT NULL;
