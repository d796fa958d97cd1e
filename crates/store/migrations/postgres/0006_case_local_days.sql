-- The Stockholm day of each case's creation and of its closing, stored on the case. Rust
-- works them out whenever it writes a case (serva_domain::time::local_day, from the IANA
-- time-zone database compiled into the binary) and the roll-up trigger reads them, so no SQL
-- needs the time-zone rule any more: serva_local_day() goes.
DROP TRIGGER case_counts_insert ON cases;
DROP TRIGGER case_counts_change ON cases;

ALTER TABLE cases ADD COLUMN created_day INTEGER, ADD COLUMN closed_day INTEGER;

-- The cases already there get their days by serva_local_day(), used one last time: the roll-up
-- rows were counted by it, so stored days and roll-ups agree by construction. (For every
-- instant from 1996 to 2099 its rule and the time-zone database agree.)
UPDATE cases SET created_day = serva_local_day(created_at), closed_day = serva_local_day(closed_at);
ALTER TABLE cases ALTER COLUMN created_day SET NOT NULL;
DROP FUNCTION serva_local_day(BIGINT);

CREATE OR REPLACE FUNCTION serva_case_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'DELETE' OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.created_day IS DISTINCT FROM NEW.created_day
           OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.target_group IS DISTINCT FROM NEW.target_group
           OR OLD.first_contact_resolution IS DISTINCT FROM NEW.first_contact_resolution THEN
            UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - OLD.first_contact_resolution
                WHERE unit_id = OLD.unit_id AND day = OLD.created_day AND channel = OLD.channel
                  AND target_group = COALESCE(OLD.target_group, '');
            IF TG_OP = 'UPDATE' THEN
                INSERT INTO case_day_counts AS t (unit_id, day, channel, target_group, cases, first_contact)
                    VALUES (NEW.unit_id, NEW.created_day, NEW.channel, COALESCE(NEW.target_group, ''), 1, NEW.first_contact_resolution)
                    ON CONFLICT (unit_id, day, channel, target_group)
                    DO UPDATE SET cases = t.cases + 1, first_contact = t.first_contact + EXCLUDED.first_contact;
            END IF;
        END IF;
        IF OLD.closed_day IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
           OR OLD.created_day IS DISTINCT FROM NEW.created_day OR OLD.closed_day IS DISTINCT FROM NEW.closed_day) THEN
            UPDATE case_close_counts SET closed = closed - 1
                WHERE unit_id = OLD.unit_id AND created_day = OLD.created_day AND closed_day = OLD.closed_day;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN NULL;
        END IF;
        IF NEW.closed_day IS NOT NULL AND (OLD.unit_id IS DISTINCT FROM NEW.unit_id
           OR OLD.created_day IS DISTINCT FROM NEW.created_day OR OLD.closed_day IS DISTINCT FROM NEW.closed_day) THEN
            INSERT INTO case_close_counts AS t (unit_id, created_day, closed_day, closed)
                VALUES (NEW.unit_id, NEW.created_day, NEW.closed_day, 1)
                ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = t.closed + 1;
        END IF;
        RETURN NULL;
    END IF;
    INSERT INTO case_day_counts AS t (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (NEW.unit_id, NEW.created_day, NEW.channel, COALESCE(NEW.target_group, ''), 1, NEW.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = t.cases + 1, first_contact = t.first_contact + EXCLUDED.first_contact;
    IF NEW.closed_day IS NOT NULL THEN
        INSERT INTO case_close_counts AS t (unit_id, created_day, closed_day, closed)
            VALUES (NEW.unit_id, NEW.created_day, NEW.closed_day, 1)
            ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = t.closed + 1;
    END IF;
    RETURN NULL;
END
$$;

-- Bulk loads (the demo, the benchmark) add their rows' counts themselves, many at a time,
-- and set serva.rollups_paused for the length of their transaction only. Changes fire only
-- for the columns the roll-ups count by.
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
    FOR EACH ROW WHEN (current_setting('serva.rollups_paused', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION serva_case_counts();
CREATE TRIGGER case_counts_change
    AFTER UPDATE OF unit_id, created_day, closed_day, channel, target_group, first_contact_resolution OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION serva_case_counts();
