-- Roll-ups for the follow-up: cases per unit, local (Stockholm) day, channel and target
-- group, and closings per unit, day created and day closed. Triggers keep them in step with
-- `cases` inside the same transaction as every insert, change and delete, so the interim
-- report reads a few hundred rows per unit instead of every case of the year.
--
-- A day is counted in days since 1970-01-01 of the Stockholm calendar, by the EU summer-time
-- rule that serva_domain::time encodes (UTC+2 from 01:00 UTC on the last Sunday of March to
-- 01:00 UTC on the last Sunday of October, UTC+1 otherwise). SQLite has no time zones, so
-- the rule is written out below where a day is needed.
CREATE TABLE case_day_counts (
    unit_id       INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    target_group  TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    first_contact INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day, channel, target_group)
) WITHOUT ROWID;

CREATE TABLE case_close_counts (
    unit_id     INTEGER NOT NULL,
    created_day INTEGER NOT NULL,
    closed_day  INTEGER NOT NULL,
    closed      INTEGER NOT NULL,
    PRIMARY KEY (unit_id, created_day, closed_day)
) WITHOUT ROWID;

INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
    SELECT unit_id, (((created_at) / 1000 + 3600 + (CASE WHEN (created_at) / 1000 >= (julianday(date(strftime('%Y', (created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (created_at) / 1000 < (julianday(date(strftime('%Y', (created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), channel, COALESCE(target_group, ''), COUNT(*), SUM(first_contact_resolution)
    FROM cases GROUP BY 1, 2, 3, 4;
INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
    SELECT unit_id, (((created_at) / 1000 + 3600 + (CASE WHEN (created_at) / 1000 >= (julianday(date(strftime('%Y', (created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (created_at) / 1000 < (julianday(date(strftime('%Y', (created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), (((closed_at) / 1000 + 3600 + (CASE WHEN (closed_at) / 1000 >= (julianday(date(strftime('%Y', (closed_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (closed_at) / 1000 < (julianday(date(strftime('%Y', (closed_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), COUNT(*)
    FROM cases WHERE closed_at IS NOT NULL GROUP BY 1, 2, 3;

-- Bulk loads (the demo, the benchmark) add their rows' counts themselves, many at a time,
-- and hold a row here for the length of their transaction, which no one else sees.
CREATE TABLE rollup_paused (id INTEGER PRIMARY KEY);

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM rollup_paused)
BEGIN
    INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (new.unit_id, (((new.created_at) / 1000 + 3600 + (CASE WHEN (new.created_at) / 1000 >= (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (new.created_at) / 1000 < (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), new.channel, COALESCE(new.target_group, ''), 1, new.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = cases + 1, first_contact = first_contact + excluded.first_contact;
    INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
        SELECT new.unit_id, (((new.created_at) / 1000 + 3600 + (CASE WHEN (new.created_at) / 1000 >= (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (new.created_at) / 1000 < (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), (((new.closed_at) / 1000 + 3600 + (CASE WHEN (new.closed_at) / 1000 >= (julianday(date(strftime('%Y', (new.closed_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (new.closed_at) / 1000 < (julianday(date(strftime('%Y', (new.closed_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), 1 WHERE new.closed_at IS NOT NULL
        ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF unit_id, created_at, channel, target_group, first_contact_resolution ON cases
WHEN old.unit_id IS NOT new.unit_id OR old.created_at IS NOT new.created_at OR old.channel IS NOT new.channel
     OR old.target_group IS NOT new.target_group OR old.first_contact_resolution IS NOT new.first_contact_resolution
BEGIN
    UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - old.first_contact_resolution
        WHERE unit_id = old.unit_id AND day = (((old.created_at) / 1000 + 3600 + (CASE WHEN (old.created_at) / 1000 >= (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (old.created_at) / 1000 < (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400) AND channel = old.channel
          AND target_group = COALESCE(old.target_group, '');
    INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (new.unit_id, (((new.created_at) / 1000 + 3600 + (CASE WHEN (new.created_at) / 1000 >= (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (new.created_at) / 1000 < (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), new.channel, COALESCE(new.target_group, ''), 1, new.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = cases + 1, first_contact = first_contact + excluded.first_contact;
END;

CREATE TRIGGER case_closings_update AFTER UPDATE OF unit_id, created_at, closed_at ON cases
WHEN old.unit_id IS NOT new.unit_id OR old.created_at IS NOT new.created_at OR old.closed_at IS NOT new.closed_at
BEGIN
    UPDATE case_close_counts SET closed = closed - 1
        WHERE old.closed_at IS NOT NULL AND unit_id = old.unit_id
          AND created_day = (((old.created_at) / 1000 + 3600 + (CASE WHEN (old.created_at) / 1000 >= (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (old.created_at) / 1000 < (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400) AND closed_day = (((old.closed_at) / 1000 + 3600 + (CASE WHEN (old.closed_at) / 1000 >= (julianday(date(strftime('%Y', (old.closed_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (old.closed_at) / 1000 < (julianday(date(strftime('%Y', (old.closed_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400);
    INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
        SELECT new.unit_id, (((new.created_at) / 1000 + 3600 + (CASE WHEN (new.created_at) / 1000 >= (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (new.created_at) / 1000 < (julianday(date(strftime('%Y', (new.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), (((new.closed_at) / 1000 + 3600 + (CASE WHEN (new.closed_at) / 1000 >= (julianday(date(strftime('%Y', (new.closed_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (new.closed_at) / 1000 < (julianday(date(strftime('%Y', (new.closed_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400), 1 WHERE new.closed_at IS NOT NULL
        ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - old.first_contact_resolution
        WHERE unit_id = old.unit_id AND day = (((old.created_at) / 1000 + 3600 + (CASE WHEN (old.created_at) / 1000 >= (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (old.created_at) / 1000 < (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400) AND channel = old.channel
          AND target_group = COALESCE(old.target_group, '');
    UPDATE case_close_counts SET closed = closed - 1
        WHERE old.closed_at IS NOT NULL AND unit_id = old.unit_id
          AND created_day = (((old.created_at) / 1000 + 3600 + (CASE WHEN (old.created_at) / 1000 >= (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (old.created_at) / 1000 < (julianday(date(strftime('%Y', (old.created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400) AND closed_day = (((old.closed_at) / 1000 + 3600 + (CASE WHEN (old.closed_at) / 1000 >= (julianday(date(strftime('%Y', (old.closed_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (old.closed_at) / 1000 < (julianday(date(strftime('%Y', (old.closed_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400);
END;

-- The report counts calls per hour straight from the index.
DROP INDEX calls_unit_time;
CREATE INDEX calls_unit_time ON calls(unit_id, offered_at, answered, wait_seconds);

-- Nothing reads cases by creation time any more (the report reads the roll-ups), and every
-- new case paid for this index.
DROP INDEX cases_created;
