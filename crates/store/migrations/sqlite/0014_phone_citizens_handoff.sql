-- Phone, citizens and hand-off (docs/channels/phone.md, citizens.md, handoff.md).

-- Call records posted live by the telephony platform are idempotent on the platform's call id.
CREATE INDEX calls_ref ON calls(call_ref);

-- The provider unit that first took a case, set when the case is first handed off (NULL: it
-- never left its unit). The report counts a case once, at this unit: the roll-up triggers
-- below key on COALESCE(origin_unit_id, unit_id), so a hand-off moves no count.
ALTER TABLE cases ADD COLUMN origin_unit_id INTEGER REFERENCES units(id);

-- A case passed from one provider unit (and service) to another with an internal note; a
-- hand-back is a hand-off to the unit it came from, marked as such.
CREATE TABLE case_handoffs (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    from_unit_id    INTEGER NOT NULL REFERENCES units(id),
    to_unit_id      INTEGER NOT NULL REFERENCES units(id),
    from_service_id INTEGER NOT NULL REFERENCES services(id),
    to_service_id   INTEGER NOT NULL REFERENCES services(id),
    note            TEXT NOT NULL,
    by_user_id      INTEGER REFERENCES users(id),
    at              INTEGER NOT NULL,
    hand_back       INTEGER NOT NULL DEFAULT 0 CHECK (hand_back IN (0, 1))
);
CREATE INDEX case_handoffs_case ON case_handoffs(case_id, id);
CREATE INDEX case_handoffs_at ON case_handoffs(at);

-- Posts of the public contact form per client address, for its rate limit; rows older than
-- the window are deleted as new posts come.
CREATE TABLE public_form_posts (
    client  TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX public_form_posts_client ON public_form_posts(client, at);

DROP TRIGGER case_counts_insert;
DROP TRIGGER case_counts_update;
DROP TRIGGER case_closings_update;
DROP TRIGGER case_counts_delete;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM rollup_paused)
BEGIN
    INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (COALESCE(new.origin_unit_id, new.unit_id), new.created_day, new.channel, COALESCE(new.target_group, ''), 1, new.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = cases + 1, first_contact = first_contact + excluded.first_contact;
    INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
        SELECT COALESCE(new.origin_unit_id, new.unit_id), new.created_day, new.closed_day, 1 WHERE new.closed_day IS NOT NULL
        ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF unit_id, origin_unit_id, created_day, channel, target_group, first_contact_resolution ON cases
WHEN COALESCE(old.origin_unit_id, old.unit_id) IS NOT COALESCE(new.origin_unit_id, new.unit_id)
     OR old.created_day IS NOT new.created_day OR old.channel IS NOT new.channel
     OR old.target_group IS NOT new.target_group OR old.first_contact_resolution IS NOT new.first_contact_resolution
BEGIN
    UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - old.first_contact_resolution
        WHERE unit_id = COALESCE(old.origin_unit_id, old.unit_id) AND day = old.created_day AND channel = old.channel
          AND target_group = COALESCE(old.target_group, '');
    INSERT INTO case_day_counts (unit_id, day, channel, target_group, cases, first_contact)
        VALUES (COALESCE(new.origin_unit_id, new.unit_id), new.created_day, new.channel, COALESCE(new.target_group, ''), 1, new.first_contact_resolution)
        ON CONFLICT (unit_id, day, channel, target_group)
        DO UPDATE SET cases = cases + 1, first_contact = first_contact + excluded.first_contact;
END;

CREATE TRIGGER case_closings_update AFTER UPDATE OF unit_id, origin_unit_id, created_day, closed_day ON cases
WHEN COALESCE(old.origin_unit_id, old.unit_id) IS NOT COALESCE(new.origin_unit_id, new.unit_id)
     OR old.created_day IS NOT new.created_day OR old.closed_day IS NOT new.closed_day
BEGIN
    UPDATE case_close_counts SET closed = closed - 1
        WHERE old.closed_day IS NOT NULL AND unit_id = COALESCE(old.origin_unit_id, old.unit_id)
          AND created_day = old.created_day AND closed_day = old.closed_day;
    INSERT INTO case_close_counts (unit_id, created_day, closed_day, closed)
        SELECT COALESCE(new.origin_unit_id, new.unit_id), new.created_day, new.closed_day, 1 WHERE new.closed_day IS NOT NULL
        ON CONFLICT (unit_id, created_day, closed_day) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_day_counts SET cases = cases - 1, first_contact = first_contact - old.first_contact_resolution
        WHERE unit_id = COALESCE(old.origin_unit_id, old.unit_id) AND day = old.created_day AND channel = old.channel
          AND target_group = COALESCE(old.target_group, '');
    UPDATE case_close_counts SET closed = closed - 1
        WHERE old.closed_day IS NOT NULL AND unit_id = COALESCE(old.origin_unit_id, old.unit_id)
          AND created_day = old.created_day AND closed_day = old.closed_day;
END;
