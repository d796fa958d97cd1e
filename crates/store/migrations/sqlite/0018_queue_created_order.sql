-- Queues and case lists sort "newest first" and "oldest first" by the creation time people
-- see, not by the case number (a history import or a hand-off gives numbers out of that
-- order). Within a queue the index is read in order, a page at a time; across the whole
-- table likewise for the lists that are not narrowed to one unit.
CREATE INDEX cases_unit_created ON cases(unit_id, created_at, id);
CREATE INDEX cases_created_order ON cases(created_at, id);
