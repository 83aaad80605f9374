-- Migration 15: what the vault and a team space's replica last agreed on,
-- record by record, as rows (issue 18). Until now this map (record id →
-- hash of the state agreed) sat in the `state` JSON of `spaces`: at ten
-- thousand records, a megabyte that every save of a sync rewrote whole
-- and every load parsed, for a sync that changed one record. Now each
-- entry is a row, written when it changes.
-- The sync crate moves a space's old map into these rows the first time
-- it loads it (it alone knows that format), in the same transaction as
-- its next save.
-- Released migrations are frozen: never edit this file, add a new one.

-- `record` is a record id, or an evidence file's key in the replica;
-- `digest` the hex SHA-256 of the state agreed. A hash of record contents,
-- so encrypted at rest like every record.
CREATE TABLE space_agreed (
    space  INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    record TEXT NOT NULL,
    digest TEXT NOT NULL CHECK (length(digest) = 64),
    PRIMARY KEY (space, record)
) STRICT;
