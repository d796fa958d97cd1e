-- Full-text search over cases: an FTS5 index on the words Serva stores in cases.search_text
-- (folded and split by serva_domain::search::index_text). The index holds no copy of the text
-- (external content); triggers keep it in step with the table in the same transaction.
-- remove_diacritics 0: å, ä and ö are letters of their own, never a, a, o.
CREATE VIRTUAL TABLE cases_fts USING fts5(
    search_text,
    content = 'cases',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF search_text ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
