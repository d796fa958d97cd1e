-- Report versions: a report date of an administration may be approved again after its data
-- changed; every approval is kept, numbered 1, 2, … per date, and the newest is the report.
CREATE TABLE reports_versioned (
    id           INTEGER PRIMARY KEY,
    org_unit_id  INTEGER NOT NULL REFERENCES units(id),
    kind         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    through      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    approved_by  INTEGER REFERENCES users(id),
    approved_at  INTEGER NOT NULL,
    body_json    TEXT NOT NULL,
    UNIQUE (org_unit_id, kind, year, through, version)
);
INSERT INTO reports_versioned (id, org_unit_id, kind, year, through, version, approved_by, approved_at, body_json)
    SELECT id, org_unit_id, kind, year, through, 1, approved_by, approved_at, body_json FROM reports;
DROP TABLE reports;
ALTER TABLE reports_versioned RENAME TO reports;
CREATE INDEX reports_by_org ON reports (org_unit_id, kind, year, through);
