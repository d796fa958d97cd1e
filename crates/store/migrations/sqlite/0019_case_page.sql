-- Reply templates: a unit's canned answers, with placeholders ({kund}, {ärende},
-- {handläggare}, {tjänst}) filled in when an agent picks one on a case.
CREATE TABLE reply_templates (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (unit_id, name)
);

-- When each person last opened a case: a reply from the other side newer than that is unread
-- for them, whoever else at their side has read it.
CREATE TABLE case_views (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
