-- Migration 7: the activist's self-reports, and the organisation's intake
-- inbox of sealed self-reports waiting for review.
-- Released migrations are frozen: never edit this file, add a new one.

-- Which interface the vault is for: an organisation's case vault, or one
-- person's private self-report vault. Existing vaults are organisations.
INSERT INTO settings (key, value) VALUES ('vault_mode', 'organisation');

-- A report in progress: the questionnaire's answers, saved at every step.
-- Not records: a report is the activist's draft until it is sealed, and
-- deleting it must leave nothing behind (no custody entries, no history).
CREATE TABLE self_reports (
    id         TEXT PRIMARY KEY,
    answers    TEXT NOT NULL CHECK (json_valid(answers)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Files attached to a report, encrypted like evidence under
-- attachments/<id>.age and hashed at intake.
CREATE TABLE self_report_files (
    id            TEXT PRIMARY KEY,
    report_id     TEXT NOT NULL REFERENCES self_reports (id),
    original_name TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size >= 0),
    sha256        TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    capture       TEXT NOT NULL CHECK (json_valid(capture)),
    added_at      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('file', 'mvt')),
    note          TEXT
) STRICT;

CREATE INDEX self_report_files_by_report ON self_report_files (report_id);

-- Every time a report was sealed, and to whom.
CREATE TABLE self_report_seals (
    bundle_id   TEXT PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES self_reports (id),
    recipient   TEXT NOT NULL,
    sealed_at   TEXT NOT NULL
) STRICT;

-- Self-reports received by the organisation. `data` and `report` are the
-- verified contents; the sealed file itself is kept under intake/ until a
-- decision, because the evidence is streamed from it on accept.
CREATE TABLE intake_inbox (
    bundle_id            TEXT PRIMARY KEY,
    received_at          TEXT NOT NULL,
    received_by          TEXT NOT NULL,
    sealed_at            TEXT NOT NULL,
    reporter_fingerprint TEXT NOT NULL,
    reporter_key         TEXT NOT NULL,
    data                 TEXT NOT NULL CHECK (json_valid(data)),
    report               TEXT NOT NULL CHECK (json_valid(report)),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_at           TEXT,
    decided_by           TEXT,
    case_id              TEXT,
    reason               TEXT
) STRICT;

CREATE INDEX intake_by_reporter ON intake_inbox (reporter_fingerprint, received_at);
