-- Migration 5: full-text search and the name index.
-- Released migrations are frozen: never edit this file, add a new one.

-- What each kind of record contributes to full-text search. One view, so
-- that the triggers and the first fill cannot disagree.
CREATE VIEW search_source (rowid, title, body) AS
SELECT r.rowid,
    CASE r.kind
        WHEN 'case' THEN json_extract(r.data, '$.title')
        WHEN 'incident' THEN json_extract(r.data, '$.title')
        WHEN 'source' THEN json_extract(r.data, '$.citation')
        WHEN 'organisation' THEN json_extract(r.data, '$.name')
        WHEN 'proceeding' THEN concat_ws(' ', json_extract(r.data, '$.reference'), json_extract(r.data, '$.authority'))
        WHEN 'intervention' THEN json_extract(r.data, '$.actor')
        WHEN 'person' THEN (SELECT group_concat(json_extract(n.value, '$.name'), ' ') FROM json_each(r.data, '$.names') n)
        ELSE ''
    END,
    CASE r.kind
        WHEN 'case' THEN concat_ws(' ', json_extract(r.data, '$.notes'),
            (SELECT group_concat(t.value, ' ') FROM json_each(r.data, '$.tags') t))
        WHEN 'incident' THEN concat_ws(' ', json_extract(r.data, '$.description'),
            json_extract(r.data, '$.place.text'), json_extract(r.data, '$.place.city'))
        WHEN 'testimony' THEN json_extract(r.data, '$.statement')
        WHEN 'proceeding' THEN concat_ws(' ', json_extract(r.data, '$.outcome'),
            (SELECT group_concat(c.value, ' ') FROM json_each(r.data, '$.charges') c))
        WHEN 'intervention' THEN concat_ws(' ', json_extract(r.data, '$.request'), json_extract(r.data, '$.response'))
        WHEN 'person' THEN concat_ws(' ', json_extract(r.data, '$.pseudonym'), json_extract(r.data, '$.occupation'),
            json_extract(r.data, '$.affiliation'))
        ELSE ''
    END
FROM records r
WHERE r.trashed_at IS NULL;

-- The index keeps its own copy of the text, inside the encrypted database.
-- unicode61 folds case and diacritics for Latin and Cyrillic alike.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_after_insert AFTER INSERT ON records BEGIN
    INSERT INTO search_fts (rowid, title, body)
    SELECT rowid, coalesce(title, ''), coalesce(body, '') FROM search_source WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER search_after_update AFTER UPDATE OF data, trashed_at ON records BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.rowid;
    INSERT INTO search_fts (rowid, title, body)
    SELECT rowid, coalesce(title, ''), coalesce(body, '') FROM search_source WHERE rowid = NEW.rowid;
END;

INSERT INTO search_fts (rowid, title, body)
SELECT rowid, coalesce(title, ''), coalesce(body, '') FROM search_source;

-- One row per word of every name of every live person: the word's
-- transliteration key (model::names), which Rust computes and keeps
-- current on every write of a person.
CREATE TABLE person_name_keys (
    key       TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES records (id),
    name      TEXT NOT NULL,
    PRIMARY KEY (key, person_id, name)
) STRICT, WITHOUT ROWID;

CREATE INDEX person_name_keys_by_person ON person_name_keys (person_id);

-- Every key ever indexed, by length: typo search compares the query with
-- these (a few thousand in a large vault) rather than with every row
-- above. A key whose last person was renamed stays; it then finds nobody.
CREATE TABLE name_key_set (
    key TEXT PRIMARY KEY,
    len INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX name_key_set_by_len ON name_key_set (len, key);

-- The terms in the full-text index with their document counts: lets a
-- prefix query be expanded into the few words it stands for.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search_fts, row);
