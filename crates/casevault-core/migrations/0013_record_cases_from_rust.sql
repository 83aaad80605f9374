-- Migration 13: the cases a record belongs to are decided by the model's
-- Record::cases(), not by triggers reading the JSON.
-- Released migrations are frozen: never edit this file, add a new one.

-- The triggers of migration 3 read `$.case` and `$.case_roles[].case` of
-- any record: a second copy of a rule the model keeps with the
-- references. The store now writes record_cases in the transaction of
-- every write of a record, beside record_refs, and this migration's Rust
-- step refills it from the records already stored.
DROP TRIGGER record_cases_after_insert;
DROP TRIGGER record_cases_after_update;
