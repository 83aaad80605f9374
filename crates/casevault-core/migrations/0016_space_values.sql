-- Migration 16: a version's value apart from what orders it (issue 18).
-- A replica read from the vault needs every version's id and bases, to
-- order them, but the value of only the few records a sync writes or a
-- review shows. With the values in the same rows, a CLI sync read and
-- decrypted them all (30 MB at 10,000 records, 96 ms of each sync), and
-- hashed every current one to find what differed (38 ms). Now the values
-- have a table of their own, read one at a time when needed, and each
-- version's row carries the SHA-256 of its value.
-- The rows are moved, and each digest computed, by the Rust step that
-- follows this file (`split_space_values`): SQLite cannot hash.
-- Released migrations are frozen: never edit this file, add a new one.

-- The value of each version of `space_versions` (the record as it
-- travels): case data, encrypted at rest like every record.
CREATE TABLE space_values (
    space  INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    device BLOB NOT NULL CHECK (length(device) = 32),
    seq    INTEGER NOT NULL,
    value  BLOB NOT NULL,
    PRIMARY KEY (space, device, seq)
) STRICT;

-- `space_versions` as migration 14 made it, with `digest` (SHA-256 of the
-- value) in place of the value. Renamed to `space_versions` by the step.
CREATE TABLE space_versions_16 (
    space   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    record  TEXT NOT NULL,
    device  BLOB NOT NULL CHECK (length(device) = 32),
    seq     INTEGER NOT NULL,
    lamport INTEGER NOT NULL,
    bases   BLOB NOT NULL CHECK (length(bases) % 40 = 0),
    digest  BLOB NOT NULL CHECK (length(digest) = 32),
    UNIQUE (space, device, seq)
) STRICT;
