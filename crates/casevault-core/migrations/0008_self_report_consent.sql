-- Migration 8: testimonies of self-reports accepted before this version
-- said more than the reporter consented to (sharing with lawyers was also
-- recorded as sharing with courts; a named reporter's anonymity read
-- "full"), and dropped the consent date and the answer to "may we contact
-- you". The schema does not change. The repair needs the reporter's
-- answers, parsed in Rust (bundle::intake::repair_consent), which runs in
-- this migration's transaction: each such testimony that nobody amended
-- since it was accepted gets, as a new version with a custody entry, the
-- consent of the answers kept in intake_inbox.report.
SELECT 1;
