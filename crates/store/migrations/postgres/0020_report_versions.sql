-- Report versions: a report date of an administration may be approved again after its data
-- changed; every approval is kept, numbered 1, 2, … per date, and the newest is the report.
ALTER TABLE reports ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE reports ALTER COLUMN version DROP DEFAULT;
ALTER TABLE reports DROP CONSTRAINT reports_org_unit_id_kind_year_through_key;
ALTER TABLE reports ADD CONSTRAINT reports_version_key UNIQUE (org_unit_id, kind, year, through, version);
