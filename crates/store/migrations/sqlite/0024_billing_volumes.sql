-- Billing volumes beside closed cases (docs/billing.md): time recorded on cases, subscriptions
-- with their history of quantities, and rows of volume files for work done elsewhere. Days
-- are day numbers (days since 1970-01-01), as the cases' closed_day.
CREATE TABLE time_entries (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    day          INTEGER NOT NULL,
    hours_milli  INTEGER NOT NULL CHECK (hours_milli > 0 AND hours_milli <= 24000),
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX time_entries_case ON time_entries(case_id, day);
CREATE INDEX time_entries_day ON time_entries(day);
CREATE INDEX time_entries_user_day ON time_entries(user_id, day);

-- A customer's subscription of a service; its quantities are its periods.
CREATE TABLE subscriptions (
    id                INTEGER PRIMARY KEY,
    customer_unit_id  INTEGER NOT NULL REFERENCES units(id),
    service_id        INTEGER NOT NULL REFERENCES services(id),
    created_at        INTEGER NOT NULL,
    UNIQUE (customer_unit_id, service_id)
);
-- One quantity from a day (to a day, once a later change or an end replaced it).
CREATE TABLE subscription_periods (
    id               INTEGER PRIMARY KEY,
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions(id),
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    valid_from       INTEGER NOT NULL,
    valid_to         INTEGER,
    case_id          INTEGER REFERENCES cases(id),
    ended_case_id    INTEGER REFERENCES cases(id),
    created_at       INTEGER NOT NULL,
    created_by       INTEGER REFERENCES users(id)
);
CREATE INDEX subscription_periods_subscription ON subscription_periods(subscription_id, valid_from);
CREATE INDEX subscription_periods_days ON subscription_periods(valid_from, valid_to);

-- A row of an imported volume file.
CREATE TABLE volume_rows (
    id                INTEGER PRIMARY KEY,
    customer_unit_id  INTEGER NOT NULL REFERENCES units(id),
    service_id        INTEGER NOT NULL REFERENCES services(id),
    day               INTEGER NOT NULL,
    quantity_milli    INTEGER NOT NULL CHECK (quantity_milli > 0),
    reference         TEXT NOT NULL DEFAULT '',
    imported_at       INTEGER NOT NULL,
    imported_by       INTEGER REFERENCES users(id)
);
CREATE INDEX volume_rows_day ON volume_rows(day);
