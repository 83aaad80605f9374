-- Migration 11: script-neutral keys for full-text search.
-- Released migrations are frozen: never edit this file, add a new one.

-- One row per live record (rowid = records.rowid, as in search_fts): the
-- romanisation, stem and place keys of its searchable text, each once
-- (model::stem). Rust computes them (SQL cannot stem or transliterate) in
-- the transaction of every write, right after search_fts's triggers, and
-- migration 11's Rust step fills it for existing records.
-- Contentless and without positions: the keys find records; snippets and
-- phrases come from search_fts, which keeps the text.
CREATE VIRTUAL TABLE search_keys USING fts5 (
    keys,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'ascii'
);
