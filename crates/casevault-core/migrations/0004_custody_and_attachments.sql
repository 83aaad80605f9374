-- Migration 4: the custody log and evidence attachments.
-- Released migrations are frozen: never edit this file, add a new one.

-- Append-only and hash-chained: each entry's hash covers its fields and
-- the previous entry's hash, so editing, removing or reordering an entry
-- breaks every link after it. `digest` is the SHA-256 of the record data
-- or attachment bytes as of this entry.
CREATE TABLE custody_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT,
    target_kind TEXT,
    digest      TEXT,
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

CREATE INDEX custody_by_target ON custody_log (target, seq);

-- The log is append-only inside SQL too: a bug cannot rewrite history.
CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log BEGIN
    SELECT RAISE(ABORT, 'the custody log is append-only');
END;
CREATE TRIGGER custody_log_no_delete BEFORE DELETE ON custody_log BEGIN
    SELECT RAISE(ABORT, 'the custody log is append-only');
END;

-- Evidence files. The bytes live encrypted (age) in attachments/<id>.age
-- beside the database; this row is what was known at intake. Originals
-- are immutable; a redacted or converted copy is its own attachment with
-- derived_from pointing at the original.
CREATE TABLE attachments (
    id            TEXT PRIMARY KEY,
    record_id     TEXT NOT NULL REFERENCES records (id),
    original_name TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size >= 0),
    sha256        TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    capture       TEXT NOT NULL CHECK (json_valid(capture)),
    added_at      TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    derived_from  TEXT REFERENCES attachments (id),
    note          TEXT
) STRICT;

CREATE INDEX attachments_by_record ON attachments (record_id);
