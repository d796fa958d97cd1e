-- Full-text search over cases: a GIN index on the words Serva stores in cases.search_text
-- (folded and split by serva_domain::search::index_text), taken as they are, so the words are
-- the same as on SQLite whatever the server's locale. Queries use the same expression.
-- Older rows held folded text with punctuation; they are brought to the word form first.
UPDATE cases SET search_text = btrim(regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))
    WHERE search_text ~ '[^[:alnum:] ]|  ';
CREATE INDEX cases_search ON cases
    USING GIN (array_to_tsvector(array_remove(string_to_array(search_text, ' '), '')));
