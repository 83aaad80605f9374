-- Migration 1: the vault's metadata and the versioned record store.
-- Released migrations are frozen: never edit this file, add a new one.

CREATE TABLE vault_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Every record is a JSON document of a known kind. Amendments append to
-- record_versions; nothing is overwritten silently.
CREATE TABLE records (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    data         TEXT NOT NULL CHECK (json_valid(data)),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    trashed_at   TEXT,
    trashed_by   TEXT,
    trash_reason TEXT
) STRICT;

CREATE INDEX records_by_kind ON records (kind, updated_at);

CREATE TABLE record_versions (
    record_id  TEXT NOT NULL REFERENCES records (id),
    version    INTEGER NOT NULL,
    data       TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    change_note TEXT,
    PRIMARY KEY (record_id, version)
) STRICT;
