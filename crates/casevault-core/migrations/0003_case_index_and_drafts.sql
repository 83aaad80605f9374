-- Migration 3: an index from records to the cases they belong to, so the
-- case list and the case view are indexed queries rather than a scan of
-- every record, and encrypted form drafts.
-- Released migrations are frozen: never edit this file, add a new one.

-- One row per (case, record) link: a record's "case" field, or each of a
-- person's case_roles. Kept by triggers so that every write path (import,
-- amend, trash, restore) maintains it without knowing about it.
CREATE TABLE record_cases (
    case_id   TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES records (id),
    kind      TEXT NOT NULL,
    trashed   INTEGER NOT NULL CHECK (trashed IN (0, 1)),
    PRIMARY KEY (case_id, record_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX record_cases_by_record ON record_cases (record_id);

CREATE TRIGGER record_cases_after_insert AFTER INSERT ON records BEGIN
    INSERT OR IGNORE INTO record_cases (case_id, record_id, kind, trashed)
    SELECT c, NEW.id, NEW.kind, NEW.trashed_at IS NOT NULL FROM (
        SELECT json_extract(NEW.data, '$.case') AS c
        UNION ALL
        SELECT json_extract(value, '$.case') FROM json_each(NEW.data, '$.case_roles')
    ) WHERE typeof(c) = 'text';
END;

CREATE TRIGGER record_cases_after_update AFTER UPDATE OF data, trashed_at ON records BEGIN
    DELETE FROM record_cases WHERE record_id = NEW.id;
    INSERT OR IGNORE INTO record_cases (case_id, record_id, kind, trashed)
    SELECT c, NEW.id, NEW.kind, NEW.trashed_at IS NOT NULL FROM (
        SELECT json_extract(NEW.data, '$.case') AS c
        UNION ALL
        SELECT json_extract(value, '$.case') FROM json_each(NEW.data, '$.case_roles')
    ) WHERE typeof(c) = 'text';
END;

INSERT OR IGNORE INTO record_cases (case_id, record_id, kind, trashed)
SELECT c, id, kind, trashed_at IS NOT NULL FROM (
    SELECT id, kind, trashed_at, json_extract(data, '$.case') AS c FROM records
    UNION ALL
    SELECT r.id, r.kind, r.trashed_at, json_extract(j.value, '$.case')
    FROM records r, json_each(r.data, '$.case_roles') j
) WHERE typeof(c) = 'text';

-- Lists filter on kind and trash state.
CREATE INDEX records_live_by_kind ON records (kind, trashed_at);

-- Form drafts, saved as the user types so that a crash or a lock loses
-- nothing; never in the webview's storage.
CREATE TABLE drafts (
    key      TEXT PRIMARY KEY,
    data     TEXT NOT NULL CHECK (json_valid(data)),
    saved_at TEXT NOT NULL
) STRICT;
