-- Migration 12: team spaces (issue 18). Everything here is inside the
-- SQLCipher database, so the device key's secret half and the space keys
-- are encrypted at rest like every record.
-- Released migrations are frozen: never edit this file, add a new one.

-- This vault's device key: its Ed25519 seed and age identity (the sync
-- crate's secret line) and its public line. One per vault, made on first use.
CREATE TABLE sync_device (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      TEXT NOT NULL,
    public_line TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- One row per space this vault is a member of (or was: a removed device
-- keeps what it had). `log` is the verified membership log, whose grants
-- hold the epoch keys and the naming key sealed to each member; `state` is
-- the replica's bookkeeping (sequence numbers sent and seen per device,
-- versions and their bases, the outbox, pending invitations, the last
-- state agreed with the vault's records). Neither leaves the vault in clear.
-- The space id is not unique: an impostor's log under a known id is kept
-- apart (docs/SYNC.md), never merged.
CREATE TABLE spaces (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    space_id     TEXT NOT NULL,
    log          TEXT NOT NULL CHECK (json_valid(log)),
    state        TEXT NOT NULL CHECK (json_valid(state)),
    last_sync_at TEXT,
    gaps         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(gaps))
) STRICT;

-- A case belongs to at most one space; cases not listed here never leave
-- the vault.
CREATE TABLE space_cases (
    case_id TEXT PRIMARY KEY,
    space   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE
) STRICT;

-- Records with concurrent edits awaiting review.
CREATE TABLE space_conflicts (
    space     INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    record_id TEXT NOT NULL,
    PRIMARY KEY (space, record_id)
) STRICT, WITHOUT ROWID;

-- The names this vault's user gave to other devices ("--as"), by device
-- fingerprint. Local only: member identities never travel.
CREATE TABLE device_labels (
    fingerprint TEXT PRIMARY KEY,
    label       TEXT NOT NULL
) STRICT;

-- The last remote synced with and when.
CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    remote       TEXT NOT NULL,
    last_sync_at TEXT NOT NULL
) STRICT;
