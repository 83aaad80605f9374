-- Migration 2: vault settings that need the vault unlocked to change
-- (auto-lock), kept inside the encrypted database.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

INSERT INTO settings (key, value) VALUES ('idle_lock_minutes', '5');
