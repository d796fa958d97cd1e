-- Price lists being drafted (docs/billing.md, "Prislistor"): a draft for a year (or from a day),
-- of every service or of one unit's, with a price and model per service. Publishing writes
-- price entries from `valid_from` in one transaction; a published list is read-only.
CREATE TABLE price_lists (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    valid_from    TEXT NOT NULL,
    unit_id       INTEGER REFERENCES units(id),
    name          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    published_at  INTEGER,
    published_by  INTEGER REFERENCES users(id)
);

CREATE TABLE price_list_rows (
    list_id     INTEGER NOT NULL REFERENCES price_lists(id),
    service_id  INTEGER NOT NULL REFERENCES services(id),
    model       TEXT NOT NULL,
    price_ore   INTEGER NOT NULL CHECK (price_ore >= 0),
    PRIMARY KEY (list_id, service_id)
);
