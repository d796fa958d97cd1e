-- Roll-ups for the follow-up: cases per unit, local (Stockholm) day, channel and target
-- group, and closings per unit, day created and day closed. A trigger keeps them in step with
-- `cases` inside the same transaction as every insert, change and delete, so the interim
-- report reads a few hundred rows per unit instead of every case of the year.
--
-- A day is counted in days since 1970-01-01 of the Stockholm calendar, by the EU summer-time
-- rule that serva_domain::time encodes (the same rule as the SQLite migration writes out).
CREATE FUNCTION serva_local_day(ms BIGINT) RETURNS INTEGER LANGUAGE SQL IMMUTABLE STRICT AS $$
    WITH t AS (SELECT ms / 1000 AS s,
                      CAST(date_part('year', to_timestamp(ms / 1000) AT TIME ZONE 'UTC') AS INTEGER) AS y),
         d AS (SELECT s,
                      (make_date(y, 3, 31) - CAST(extract(dow FROM make_date(y, 3, 31)) AS INTEGER) - DATE '1970-01-01') * 86400 + 3600 AS summer,
                      (make_date(y, 10, 31) - CAST(extract(dow FROM make_date(y, 10, 31)) AS INTEGER) - DATE '1970-01-01') * 86400 + 3600 AS winter
               FROM t)
    SELECT CAST((s + 3600 + CASE WHEN s >= summer AND s < winter THEN 3600 ELSE 0 END) / 86400 AS INTEGER) FROM d
$$;

CREATE TABLE case_day_counts (
    unit_id       BIGINT NOT NULL,
    day           INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    target_group  TEXT NOT NULL,
    cases         BIGINT NOT NULL,
    first_contact BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day, channel, target_group)
);

CREATE TABLE case_close_counts (
    unit_id     BIGINT NOT NULL,
    created_day INTEGER NOT NULL,
    closed_day  INTEGER NOT NULL,
    closed      BIGINT NOT NULL,
    PRIMARY KEY (unit_id, created_day, closed_day)
);

INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
    SELECT unit_id, serva_local_day(created_at), channel, COALESCE(target_group, ''), COUNT(*), SUM(first_contact_resolution)
    FROM cases GROUP BY 1, 2, 3, 4;
INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
    SELECT unit_id, serva_local_day(created_at), serva_local_day(closed_at), COUNT(*)
    FROM cases WHERE closed_at IS NOT NULL GROUP BY 1, 2, 3;

CREATE FUNCTION serva_case_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'DELETE' OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.created_at IS DISTINCT FROM NEW.created_at
           OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.target_group IS DISTINCT FROM NEW.target_group
           OR OLD.first_contact_resolution IS DISTINCT FROM NEW.first_contact_resolution THEN
            UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - OLD.first_contact_resolution
                WHERE unit_id = OLD.unit_id AND day = serva_local_day(OLD.created_at) AND channel = OLD.channel
                  AND target_group = COALESCE(OLD.target_group, '');
            IF TG_OP = 'UPDATE' THEN
                INSERT INTO case_day_counts AS t (unit_id, day, channel, target_group, cases, first_contact)
                    VALUES (NEW.unit_id, serva_local_day(NEW.created_at), NEW.channel, COALESCE(NEW.target_group, ''), 1, NEW.first_contact_resolution)
                    ON CONFLICT (unit_id, day, channel, target_group)
                    DO UPDATE SET cases = t.cases + 1, first_contact = t.first_contact + EXCLUDED.first_contact;
            END IF;
        END IF;
        IF OLD.closed_at IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
           OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at) THEN
            UPDATE case_close_counts SET closed = closed - 1
                WHERE unit_id = OLD.unit_id AND created_day = serva_local_day(OLD.created_at)
                  AND closed_day = serva_local_day(OLD.closed_at);
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN NULL;
        END IF;
        IF NEW.closed_at IS NOT NULL AND (OLD.unit_id IS DISTINCT FROM NEW.unit_id
           OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at) THEN
            INSERT INTO case_close_counts AS t (unit_id, created_day, closed_day, closed)
                VALUES (NEW.unit_id, serva_local_day(NEW.created_at), serva_local_day(NEW.closed_at), 1)
                ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = t.closed + 1;
        END IF;
        RETURN NULL;
    END IF;
    INSERT INTO case_day_counts AS t (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (NEW.unit_id, serva_local_day(NEW.created_at), NEW.channel, COALESCE(NEW.target_group, ''), 1, NEW.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = t.cases + 1, first_contact = t.first_contact + EXCLUDED.first_contact;
    IF NEW.closed_at IS NOT NULL THEN
        INSERT INTO case_close_counts AS t (unit_id, created_day, closed_day, closed)
            VALUES (NEW.unit_id, serva_local_day(NEW.created_at), serva_local_day(NEW.closed_at), 1)
            ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = t.closed + 1;
    END IF;
    RETURN NULL;
END
$$;

-- Bulk loads (the demo, the benchmark) add their rows' counts themselves, many at a time,
-- and set serva.rollups_paused for the length of their transaction only.
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
    FOR EACH ROW WHEN (current_setting('serva.rollups_paused', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION serva_case_counts();
CREATE TRIGGER case_counts_change AFTER UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION serva_case_counts();

-- The report counts calls per hour straight from the index.
DROP INDEX calls_unit_time;
CREATE INDEX calls_unit_time ON calls(unit_id, offered_at, answered, wait_seconds);

-- Nothing reads cases by creation time any more (the report reads the roll-ups), and every
-- new case paid for this index.
DROP INDEX cases_created;
