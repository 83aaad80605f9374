-- Migration 6: the address book of bundle recipients, and this vault's own
-- age identities (a lawyer's key for opening bundles).
-- Released migrations are frozen: never edit this file, add a new one.

CREATE TABLE contacts (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    organisation TEXT,
    recipient    TEXT NOT NULL UNIQUE,
    key_type     TEXT NOT NULL CHECK (key_type IN ('age', 'ssh-ed25519')),
    fingerprint  TEXT NOT NULL,
    verified_on  TEXT,
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL
) STRICT;

-- The secret half never leaves the encrypted database.
CREATE TABLE identities (
    id         TEXT PRIMARY KEY,
    label      TEXT NOT NULL,
    secret     TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
