-- Migration 11: references between records, as the model reads them.
-- Released migrations are frozen: never edit this file, add a new one.

-- One row per reference a record holds (a record's field naming another
-- record's id), trashed records included. Rust writes it from the model's
-- Record::refs() in the transaction of every write of a record (SQL cannot
-- tell a reference from a tag that spells an id), and this migration's
-- Rust step fills it for the records already stored. `field` is the path
-- through the record without list indices ("victims",
-- "perpetrators.organisation").
CREATE TABLE record_refs (
    from_id TEXT NOT NULL REFERENCES records (id),
    field   TEXT NOT NULL,
    to_id   TEXT NOT NULL,
    PRIMARY KEY (from_id, field, to_id)
) STRICT, WITHOUT ROWID;

-- "What refers to this record?": the trash check, restore and merges.
CREATE INDEX record_refs_by_target ON record_refs (to_id, from_id);
