-- The Stockholm day of each case's creation and of its closing, stored on the case. Rust
-- works them out whenever it writes a case (serva_domain::time::local_day, from the IANA
-- time-zone database compiled into the binary) and the roll-up triggers read them, so no SQL
-- needs the time-zone rule any more: migration 0005 wrote it out fifteen times.
DROP TRIGGER case_counts_insert;
DROP TRIGGER case_counts_update;
DROP TRIGGER case_closings_update;
DROP TRIGGER case_counts_delete;

-- NULL only until the backfill below; a new case without its day fails at the roll-up
-- trigger (case_day_counts.day is NOT NULL), and bulk loads give it by their row type.
ALTER TABLE cases ADD COLUMN created_day INTEGER;
ALTER TABLE cases ADD COLUMN closed_day INTEGER;

-- The cases already there get their days by the rule of 0005, written out one last time: the
-- roll-up rows were counted by it, so stored days and roll-ups agree by construction. (For
-- every instant from 1996 to 2099 that rule and the time-zone database agree.)
UPDATE cases SET
    created_day = (((created_at) / 1000 + 3600 + (CASE WHEN (created_at) / 1000 >= (julianday(date(strftime('%Y', (created_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (created_at) / 1000 < (julianday(date(strftime('%Y', (created_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400),
    closed_day = CASE WHEN closed_at IS NULL THEN NULL ELSE (((closed_at) / 1000 + 3600 + (CASE WHEN (closed_at) / 1000 >= (julianday(date(strftime('%Y', (closed_at) / 1000, 'unixepoch') || '-03-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 AND (closed_at) / 1000 < (julianday(date(strftime('%Y', (closed_at) / 1000, 'unixepoch') || '-10-31', '-6 days', 'weekday 0')) - 2440587.5) * 86400 + 3600 THEN 3600 ELSE 0 END)) / 86400) END;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM rollup_paused)
BEGIN
    INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (new.unit_id, new.created_day, new.channel, COALESCE(new.target_group, ''), 1, new.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = cases + 1, first_contact = first_contact + excluded.first_contact;
    INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
        SELECT new.unit_id, new.created_day, new.closed_day, 1 WHERE new.closed_day IS NOT NULL
        ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF unit_id, created_day, channel, target_group, first_contact_resolution ON cases
WHEN old.unit_id IS NOT new.unit_id OR old.created_day IS NOT new.created_day OR old.channel IS NOT new.channel
     OR old.target_group IS NOT new.target_group OR old.first_contact_resolution IS NOT new.first_contact_resolution
BEGIN
    UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - old.first_contact_resolution
        WHERE unit_id = old.unit_id AND day = old.created_day AND channel = old.channel
          AND target_group = COALESCE(old.target_group, '');
    INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (new.unit_id, new.created_day, new.channel, COALESCE(new.target_group, ''), 1, new.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = cases + 1, first_contact = first_contact + excluded.first_contact;
END;

CREATE TRIGGER case_closings_update AFTER UPDATE OF unit_id, created_day, closed_day ON cases
WHEN old.unit_id IS NOT new.unit_id OR old.created_day IS NOT new.created_day OR old.closed_day IS NOT new.closed_day
BEGIN
    UPDATE case_close_counts SET closed = closed - 1
        WHERE old.closed_day IS NOT NULL AND unit_id = old.unit_id
          AND created_day = old.created_day AND closed_day = old.closed_day;
    INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
        SELECT new.unit_id, new.created_day, new.closed_day, 1 WHERE new.closed_day IS NOT NULL
        ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - old.first_contact_resolution
        WHERE unit_id = old.unit_id AND day = old.created_day AND channel = old.channel
          AND target_group = COALESCE(old.target_group, '');
    UPDATE case_close_counts SET closed = closed - 1
        WHERE old.closed_day IS NOT NULL AND unit_id = old.unit_id
          AND created_day = old.created_day AND closed_day = old.closed_day;
END;
