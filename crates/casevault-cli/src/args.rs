//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Casevault: an encrypted, offline vault for documenting transnational repression.
///
/// Secrets for scripts follow restic's conventions: the passphrase comes from
/// --passphrase-file, CASEVAULT_PASSPHRASE_FILE or CASEVAULT_PASSPHRASE, and
/// otherwise from a hidden prompt on the terminal.
#[derive(Debug, Parser)]
#[command(name = "casevault", version, about, long_about)]
pub struct Cli {
    /// The vault directory [default: ~/.local/share/casevault/vault].
    #[arg(long, global = true, env = "CASEVAULT_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,

    #[command(flatten)]
    pub secrets: SecretArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Where secrets come from when there is no terminal to ask on.
#[derive(Debug, Args)]
pub struct SecretArgs {
    /// Read the passphrase from this file (first line).
    #[arg(
        long,
        global = true,
        env = "CASEVAULT_PASSPHRASE_FILE",
        value_name = "FILE"
    )]
    pub passphrase_file: Option<PathBuf>,

    /// Read the new passphrase (init, passwd, recover) from this file.
    #[arg(
        long,
        global = true,
        env = "CASEVAULT_NEW_PASSPHRASE_FILE",
        value_name = "FILE"
    )]
    pub new_passphrase_file: Option<PathBuf>,

    /// Read the recovery key from this file.
    #[arg(
        long,
        global = true,
        env = "CASEVAULT_RECOVERY_KEY_FILE",
        value_name = "FILE"
    )]
    pub recovery_key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new vault and show its recovery key (once).
    Init {
        /// Time budget for key derivation in milliseconds; argon2id is
        /// calibrated to it on this machine. The RFC 9106 floor (64 MiB,
        /// t=3, p=4) always applies.
        #[arg(long, default_value_t = 1000, value_name = "MS")]
        kdf_ms: u64,
        /// A private self-report vault for one person, instead of an
        /// organisation's case vault.
        #[arg(long)]
        self_report: bool,
    },
    /// Unlock and print the vault's facts and record counts.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase (re-wraps the key slot; data is not re-encrypted,
    /// so a header copied before still opens with the old one: see `rekey`).
    Passwd {
        /// Key-derivation time budget in milliseconds.
        #[arg(long, default_value_t = 1000, value_name = "MS")]
        kdf_ms: u64,
    },
    /// Set a new passphrase using the recovery key.
    Recover {
        /// Key-derivation time budget in milliseconds.
        #[arg(long, default_value_t = 1000, value_name = "MS")]
        kdf_ms: u64,
    },
    /// Replace the recovery key in the header. The data key stays: a copy
    /// of the header taken before (a backup, a seized image) still opens
    /// with the old recovery key. Use `rekey` for that.
    NewRecoveryKey,
    /// Rotate the data key: re-encrypt the database and every evidence
    /// file under new keys, re-wrap the passphrase and issue a new recovery
    /// key (printed once). Copies of the vault or its header taken before
    /// can then open nothing written afterwards. Safe to interrupt: the
    /// next unlock finishes or undoes it.
    Rekey,
    /// Write a consistent, encrypted backup of the vault to one file.
    Backup {
        /// The backup file to create (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into a new vault directory.
    Restore {
        /// The backup file.
        backup: PathBuf,
        /// The new vault directory (must not exist or be empty).
        #[arg(long, value_name = "PATH")]
        to: PathBuf,
    },
    /// Check every page's HMAC, the database structure and the header.
    Verify,
    /// Import a Casevault interchange JSON file: validated whole, then
    /// written in one transaction (all or nothing).
    Import {
        /// The JSON file.
        file: PathBuf,
    },
    /// Write every record as interchange JSON. The file is NOT encrypted:
    /// write it only where you mean to.
    ExportJson {
        /// The file to create (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Change one record: its new data, validated as an import would be,
    /// written as a new version with your reason; the old one stays in its
    /// history and the custody log records the change.
    ///
    /// FILE holds the record's data as one JSON object, as `export-json`
    /// or `case show --json` print it, with its id unchanged. Exit 9 if
    /// there is no such record, the file is not JSON or not a record of
    /// the same kind and id, the data does not pass validation (a
    /// reference to a record that does not exist), or the reason is
    /// empty. Nothing is changed then.
    Amend {
        /// The record's id.
        id: String,
        /// The record's new data (a JSON object).
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
        /// Why it changed (kept in the record's history and the custody log).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Browse cases.
    Cases {
        #[command(subcommand)]
        command: CasesCommand,
    },
    /// Show one case with its people, incidents, proceedings and testimonies.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Attach a file to a record, encrypted; prints the attachment id.
    Attach {
        /// The record (case, incident, proceeding, testimony, source…).
        record: String,
        /// The file.
        file: PathBuf,
        /// This file is a redacted or converted copy of that attachment.
        #[arg(long, value_name = "ATTACHMENT")]
        derived_from: Option<String>,
        /// A note kept with it.
        #[arg(long)]
        note: Option<String>,
    },
    /// List attachments.
    Attachments {
        #[command(subcommand)]
        command: AttachmentsCommand,
    },
    /// Work with one attachment.
    Attachment {
        #[command(subcommand)]
        command: AttachmentCommand,
    },
    /// The custody log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Full-text search over testimonies, incidents, cases, sources and
    /// more, with filters. With no words, lists the incidents the filters
    /// match.
    Search {
        /// Words, "a phrase", or a prefix*.
        #[arg(default_value = "")]
        query: String,
        /// Act type (repeatable).
        #[arg(long = "type", value_name = "ACT_TYPE")]
        act_types: Vec<String>,
        /// Country, ISO alpha-2 (repeatable).
        #[arg(long = "country", value_name = "CC")]
        countries: Vec<String>,
        /// From this date ("2008", "March 2008", "2008-03-15").
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Up to this date.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// A perpetrator's organisation or person id.
        #[arg(long, value_name = "ID")]
        perpetrator: Option<String>,
        /// Case status: open, monitoring or closed.
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Testimonies shareable with: lawyers, courts, un, media, publish.
        #[arg(long, value_name = "SCOPE")]
        consent: Option<String>,
        /// How many results.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create an age identity inside this vault (a lawyer's key for
    /// receiving bundles); prints its public key to give to senders.
    Keygen {
        /// A label for it.
        #[arg(long, default_value = "bundles")]
        label: String,
        /// Instead of a new key, import an existing age identity file
        /// (AGE-SECRET-KEY-1…): the organisation's intake key on a second
        /// machine.
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
    /// The address book of bundle recipients.
    Contacts {
        #[command(subcommand)]
        command: ContactsCommand,
    },
    /// Export bundles for lawyers: create, verify, open.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// The organisation's signing key.
    OrgKey {
        #[command(subcommand)]
        command: OrgKeyCommand,
    },
    /// Persons.
    Persons {
        #[command(subcommand)]
        command: PersonsCommand,
    },
    /// This vault's device key, for an admin to add it to a team space.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Team spaces: cases shared with colleagues' vaults through a remote.
    Space {
        #[command(subcommand)]
        command: SpaceCommand,
    },
    /// Sync every team space through a remote.
    ///
    /// Sends this vault's changes to the spaces it belongs to and applies the
    /// members', through a remote that sees only sealed objects. Progress on
    /// stderr. Exit 13 if the remote served damaged or forged objects (none
    /// applied; everything else synced), 14 if two admins changed members at
    /// once, 15 if the remote cannot be reached; `space add`/`remove` exit
    /// 16 on a device that is not an admin of the space. A space unloaded
    /// with `space unload` syncs its membership only.
    Sync {
        /// The remote: file:///PATH (a folder, a USB stick). Defaults to the
        /// last one used.
        #[arg(long, value_name = "ADDRESS")]
        remote: Option<String>,
    },
    /// Self-reports (in a self-report vault): write, attach, seal for an
    /// organisation, delete securely.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The organisation's intake inbox of sealed self-reports.
    Intake {
        #[command(subcommand)]
        command: IntakeCommand,
    },
    /// Name a staff account in exported custody trails by a role or
    /// pseudonym ("Caseworker, Vilnius office") instead of "Staff member N".
    /// Without LABEL, or with --remove, shows or removes the label.
    StaffLabel {
        /// The OS account as the custody log records it.
        account: Option<String>,
        /// The label to show instead of the account.
        label: Option<String>,
        /// Remove the account's label (exports show "Staff member N" again).
        #[arg(long)]
        remove: bool,
    },
    /// Show or change auto-lock and wipe-after-failed-unlocks.
    LockSettings {
        /// Lock the app after this many idle minutes (1-240).
        #[arg(long, value_name = "MINUTES")]
        idle_minutes: Option<u32>,
        /// Destroy the key slots after N failed unlocks (3-100), or "off".
        #[arg(long, value_name = "N|off")]
        wipe_after: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// List cases, with the ids `case show` takes.
    Ls {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Show one case.
    Show {
        /// The case id, as printed by `cases ls`.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AttachmentsCommand {
    /// List attachments, of one record or all.
    Ls {
        /// Only those of this record.
        #[arg(long, value_name = "RECORD")]
        record: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Save a plaintext copy, verified against the intake SHA-256. Logged.
    Get {
        /// Attachment id (from `attachments ls`).
        id: String,
        /// Where to write it; an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the custody log's hash chain, then check every record and
    /// attachment against its latest entry. Exit 4 on any problem.
    Verify {
        /// Skip decrypting and hashing every attachment.
        #[arg(long)]
        quick: bool,
        /// Also check the vault against a signed checkpoint made earlier
        /// (FILE and FILE.sig): catches a rewritten log or a rolled-back vault.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sign the custody log's head with the organisation key and write it
    /// to FILE (and the signature to FILE.sig). Keep it off this device.
    Checkpoint {
        /// Where to write the checkpoint (the signature goes to FILE.sig).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check that checkpoint NEW extends checkpoint OLD (each FILE with
    /// FILE.sig beside it): computes the Merkle consistency proof between
    /// them from this vault's log and verifies it against both signed
    /// roots. Exit 4 if the log was rewritten between them.
    Consistency {
        /// The older checkpoint.
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The newer checkpoint.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// Print JSON (sizes, proof, problems) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the custody log, or the entries about one record or attachment.
    Show {
        /// Only the entries about this record or attachment id.
        #[arg(long, value_name = "ID")]
        target: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonsCommand {
    /// Find persons by name in any script or spelling.
    Find {
        /// A name in any script or spelling, typos allowed.
        name: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgKeyCommand {
    /// Print the public key (OpenSSH format) and its fingerprint, to give
    /// to lawyers and partners.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Add a recipient: their name and public key (age1… or ssh-ed25519 …).
    Add {
        /// The recipient's name, as you will recognise it.
        name: String,
        /// Their public key: age1… or ssh-ed25519 ….
        key: String,
        /// The organisation they work for.
        #[arg(long)]
        organisation: Option<String>,
        /// The date the key was compared with its owner out of band (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        verified: Option<String>,
    },
    /// List contacts with their key fingerprints.
    Ls {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove a contact.
    Rm {
        /// The contact id, from `contacts ls`.
        id: String,
    },
    /// Record that a contact's fingerprint was compared with them out of
    /// band (by phone, in person).
    Verify {
        /// The contact id, from `contacts ls`.
        id: String,
        /// The date it was compared (YYYY-MM-DD) [default: today].
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write an encrypted, signed bundle of cases for lawyers, redacted by
    /// consent. Sealed to --recipient keys, or with a one-time passphrase
    /// (--passphrase: read from CASEVAULT_BUNDLE_PASSPHRASE or a prompt).
    Create {
        /// A case to export (repeatable), as printed by `cases ls`.
        #[arg(long = "case", value_name = "ID", required = true)]
        cases: Vec<String>,
        /// Seal to this age or SSH public key, or contact id (repeatable).
        #[arg(long = "recipient", value_name = "KEY|CONTACT")]
        recipients: Vec<String>,
        /// Seal with a one-time passphrase instead of recipient keys.
        #[arg(long)]
        passphrase: bool,
        /// The language of the bundle's README and dossier.
        #[arg(long, default_value = "en", value_name = "en|ru|kk")]
        lang: String,
        /// The exporting organisation's name, as it should appear.
        #[arg(long, value_name = "NAME")]
        organisation: String,
        /// Where to write the bundle; an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Pseudonymise this person too, in this export only (a related
        /// person `bundle review` flagged): PERSON-ID=PSEUDONYM.
        #[arg(long = "protect", value_name = "ID=PSEUDONYM")]
        protect: Vec<String>,
        /// Remove location, device and time metadata from the exported
        /// copies of images (the originals in the vault stay untouched).
        #[arg(long)]
        strip_metadata: bool,
        /// Leave this testimony, incident, proceeding, intervention or
        /// evidence file (attachment id) out of the export.
        #[arg(long = "leave-out", value_name = "ID")]
        leave_out: Vec<String>,
    },
    /// Show what redaction would do before exporting: every replaced
    /// passage, what may still identify a protected person, and evidence
    /// that carries location, device or time. Writes nothing.
    Review {
        /// A case to review (repeatable), as for `bundle create`.
        #[arg(long = "case", value_name = "ID", required = true)]
        cases: Vec<String>,
        /// As for `bundle create`.
        #[arg(long = "protect", value_name = "ID=PSEUDONYM")]
        protect: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Decrypt and check a bundle without extracting: exit 0 only when the
    /// signature and every hash hold and the signer is the --org-key given.
    /// Exit 10 when the signer is not that key, or unknown (no --org-key)
    /// without --accept-unknown-signer. Needs no vault.
    Verify {
        /// The bundle file (.cvb).
        file: PathBuf,
        #[command(flatten)]
        open: BundleOpenArgs,
        /// Accept a signer no --org-key vouches for (the fingerprint is
        /// printed: compare it with the organisation yourself).
        #[arg(long)]
        accept_unknown_signer: bool,
    },
    /// Verify, then extract into a new directory. The signer is checked
    /// before anything is extracted, as for verify.
    Open {
        /// The bundle file (.cvb).
        file: PathBuf,
        #[command(flatten)]
        open: BundleOpenArgs,
        /// A new directory to extract into; it must not exist yet.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Accept a signer no --org-key vouches for.
        #[arg(long)]
        accept_unknown_signer: bool,
    },
    /// Import a case-export bundle into this vault: its records, with a
    /// source saying where they came from, and every evidence file,
    /// encrypted, hash-checked and logged. Opened with this vault's keys
    /// (see keygen), -i FILE, or --passphrase. The signer must be a
    /// contact, an --org-key, or the --accept-signer fingerprint.
    Import {
        /// The file to import.
        file: PathBuf,
        #[command(flatten)]
        open: BundleOpenArgs,
        /// Import although the signer is not a contact: give the
        /// fingerprint you compared with the organisation (SHA256:…).
        #[arg(long, value_name = "FINGERPRINT")]
        accept_signer: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct BundleOpenArgs {
    /// An age identity file (AGE-SECRET-KEY-…), as written by age-keygen.
    #[arg(short = 'i', long = "identity", value_name = "FILE")]
    pub identity: Vec<PathBuf>,
    /// The bundle was sealed with a passphrase (CASEVAULT_BUNDLE_PASSPHRASE or a prompt).
    #[arg(long)]
    pub passphrase: bool,
    /// The organisation's public key (OpenSSH .pub file) you verified out of band.
    #[arg(long = "org-key", value_name = "FILE")]
    pub org_key: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// List reports.
    Ls {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Start a report from the questionnaire's answers (a JSON file with
    /// the fields of the app's questionnaire); prints its id.
    New {
        /// The answers file (JSON), as the app's questionnaire writes it.
        #[arg(long, value_name = "FILE")]
        answers: PathBuf,
    },
    /// Attach a screenshot, photo, document or MVT report (--mvt).
    Attach {
        /// The report id, from `report ls`.
        id: String,
        /// The file to attach.
        file: PathBuf,
        /// The file is a Mobile Verification Toolkit (MVT) JSON report: its findings are read into the report.
        #[arg(long)]
        mvt: bool,
    },
    /// Seal a report to an organisation's intake key (a key or a contact id).
    Seal {
        /// The report id, from `report ls`.
        id: String,
        /// The organisation's intake key (age1…) or a contact id.
        #[arg(long, value_name = "KEY|CONTACT")]
        to: String,
        /// The language of the sealed report's README.
        #[arg(long, default_value = "en", value_name = "en|ru")]
        lang: String,
        /// Where to write the sealed report.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Delete a report from this computer securely (the sealed file stays).
    Delete {
        /// The report id, from `report ls`.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// Receive a sealed self-report into the inbox: decrypt with this
    /// vault's intake key, verify, queue for review.
    Import {
        /// The file to import.
        file: PathBuf,
    },
    /// List the inbox.
    Ls {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show one report with same-reporter links and matching persons.
    Show {
        /// The inbox item id, from `intake ls`.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Accept a report into a new case, or --case an existing one.
    Accept {
        /// The inbox item id, from `intake ls`.
        id: String,
        /// Add it to this existing case instead of a new one.
        #[arg(long = "case", value_name = "CASE")]
        case: Option<String>,
        /// The existing person who is the reporter.
        #[arg(long = "person", value_name = "PERSON")]
        person: Option<String>,
    },
    /// Reject a report with a reason.
    Reject {
        /// The inbox item id, from `intake ls`.
        id: String,
        /// Why it is rejected (kept in the custody log).
        #[arg(long)]
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command and every argument a person can type says what it is
    /// for. A command without a doc comment shows a blank in `--help`, and a
    /// doc comment with no command under it lands on the next one.
    #[test]
    fn every_command_and_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands() {
                let here = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() {
                    missing.push(format!("command `{here}`"));
                }
                walk(sub, &here, missing);
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" || arg.is_global_set() && !path.is_empty() {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("argument `{id}` of `{path}`"));
                }
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "casevault", &mut missing);
        assert!(missing.is_empty(), "undescribed: {missing:#?}");
    }
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Print this vault's device key on one line (its fingerprint on
    /// stderr, to compare by phone or in person).
    Key,
}

#[derive(Debug, Subcommand)]
pub enum SpaceCommand {
    /// Create a space with this device as its admin.
    Create {
        /// The space's name (travels only sealed, to its members).
        name: String,
        /// A case to share in it (repeatable); a case is in at most one space.
        #[arg(long = "case", value_name = "ID")]
        cases: Vec<String>,
    },
    /// Add a colleague's device, after comparing its fingerprint with them.
    Add {
        /// The space.
        name: String,
        /// The device key the colleague's `casevault device key` printed.
        #[arg(value_name = "DEVICE-KEY", num_args = 1..=3, required = true)]
        device_key: Vec<String>,
        /// The name to show for this member here (never sent anywhere).
        #[arg(long = "as", value_name = "NAME")]
        label: String,
    },
    /// Remove a member (lost laptop, a person who left): a new key epoch
    /// starts, and the device can read nothing written afterwards.
    Remove {
        /// The space.
        name: String,
        /// The member's name here, or its fingerprint.
        member: String,
    },
    /// List spaces, their cases, members, conflicts and last sync.
    Ls {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List a space's records with concurrent versions, for review: each
    /// version with its author, and the merge proposed.
    ///
    /// A record edited on two devices before either synced keeps both
    /// versions; `casevault space resolve` writes the one chosen. Exit 9 if
    /// there is no such space or it is unloaded.
    Conflicts {
        /// The space.
        name: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Resolve a record's conflict: keep one version, use the proposed
    /// merge, or your own data. Every member's vault takes it at its next
    /// sync.
    ///
    /// Exit 9 if there is no such space or record, the record has no
    /// conflict (any more), the merge has overlapping fields (`problem:
    /// merge_overlaps`: keep a version or give --data), or the data is not
    /// a valid record of the same kind and id. Nothing is changed then.
    #[command(group(clap::ArgGroup::new("how").required(true).multiple(false)))]
    Resolve {
        /// The space.
        name: String,
        /// The record's id.
        record: String,
        /// Keep version N, as `casevault space conflicts` numbers them.
        #[arg(long, value_name = "N", group = "how")]
        keep: Option<usize>,
        /// Use the proposed merge.
        #[arg(long, group = "how")]
        merged: bool,
        /// Use this record data (a JSON object, as `conflicts --json` shows
        /// a version's data).
        #[arg(long, value_name = "FILE", group = "how")]
        data: Option<PathBuf>,
        /// The `heads_digest` that `conflicts --json` showed: refused (exit 9,
        /// `problem: conflict_changed`) if a sync brought another version
        /// since, so a choice never lands on versions you did not see.
        #[arg(long, value_name = "DIGEST")]
        heads: Option<String>,
    },
    /// Travel mode: securely delete a space's records from this device
    /// before a border crossing, keeping its membership.
    ///
    /// Deletes every record of the space's cases (with their history,
    /// search index and evidence files) and this device's copy of the
    /// space's changes; keeps the membership and the keys to read again.
    /// A record that also belongs to a case outside the space stays. The
    /// other members keep everything: nothing is sent. Exit 9 if there is
    /// no such space or it is unloaded already; 17 if changes here are not
    /// yet on the remote (sync first, or give --discard-unsynced).
    Unload {
        /// The space.
        name: String,
        /// Delete even changes not yet synced, and evidence files (which
        /// do not travel with a space yet): they are lost.
        #[arg(long)]
        discard_unsynced: bool,
    },
    /// Fetch an unloaded space's records back from the remote.
    ///
    /// Exit 9 if there is no such space or it is not unloaded (checked
    /// before the remote is opened), 15 if the remote cannot be read. A
    /// reload cut short leaves the space marked loaded: the next
    /// `casevault sync` finishes it.
    Reload {
        /// The space.
        name: String,
        /// The remote, as for `casevault sync`. Defaults to the last one
        /// used.
        #[arg(long, value_name = "ADDRESS")]
        remote: Option<String>,
    },
}
