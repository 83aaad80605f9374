-- Migration 14: a team space's replica as rows (issue 18). Until now its
-- every version of every record and its unsent changes sat inside the
-- `state` JSON of `spaces`, parsed at each sync and rewritten whole by
-- every sync that changed anything: fine for hundreds of records, not for
-- ten thousand. Now each version and each unsent change is a row, written
-- once, when it appears; `state` keeps the small bookkeeping.
-- The sync crate moves a space's old JSON into these rows the first time
-- it loads it (it alone knows that format), in the same transaction as
-- its next save.
-- Released migrations are frozen: never edit this file, add a new one.

-- Every version of every record of the space this replica holds. `device`
-- is the author's 32-byte id, `seq` its sequence number; `bases` the
-- versions this one replaces, 40 bytes each (device id, then the number,
-- big-endian); `value` the record as it travels. `seq` and `lamport` are
-- unsigned 64-bit numbers kept bit for bit (a member may send any clock
-- value). Record contents, so encrypted at rest like every record, and
-- never outside the vault.
CREATE TABLE space_versions (
    space   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    record  TEXT NOT NULL,
    device  BLOB NOT NULL CHECK (length(device) = 32),
    seq     INTEGER NOT NULL,
    lamport INTEGER NOT NULL,
    bases   BLOB NOT NULL CHECK (length(bases) % 40 = 0),
    value   BLOB NOT NULL,
    UNIQUE (space, device, seq)
) STRICT;

-- This device's changes not yet read back from the remote: the signed
-- payload, the epoch it is sealed under, and its digest.
CREATE TABLE space_outbox (
    space   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    epoch   INTEGER NOT NULL CHECK (epoch >= 0),
    payload BLOB NOT NULL,
    digest  BLOB NOT NULL CHECK (length(digest) = 32),
    PRIMARY KEY (space, seq)
) STRICT;
