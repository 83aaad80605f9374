//! One function per subcommand. Each parses its input, calls the core and
//! prints; there is no logic here that the app would need too.

mod bundle;
mod contacts;
mod evidence;
mod intake;
mod records;
mod search;
pub mod spaces;
mod vault;

use std::path::{Path, PathBuf};

use casevault_core::vault::{Credential, Vault};
use casevault_core::{Clock, Result, Session};

use crate::args::{
    AttachmentCommand, AttachmentsCommand, AuditCommand, BundleCommand, CaseCommand, CasesCommand,
    Cli, Command, ContactsCommand, IntakeCommand, OrgKeyCommand, PersonsCommand, ReportCommand,
    SecretArgs,
};
use crate::credentials;

/// The vault directory chosen by --vault / CASEVAULT_VAULT, or the default.
pub(crate) fn vault_dir(cli: &Cli) -> PathBuf {
    cli.vault
        .clone()
        .unwrap_or_else(casevault_core::vault::default_location)
}

/// Record data given in a file (`amend --data`, `space resolve --data`):
/// JSON, read within the size limit of an answer file. Read before any
/// unlock, so a broken file needs no passphrase to be refused.
pub(crate) fn read_record_data(file: &Path) -> Result<serde_json::Value> {
    use casevault_core::model::problem::ProblemCode;
    let bytes = casevault_core::input::read_file(
        file,
        casevault_core::input::MAX_ANSWERS_BYTES,
        "data",
        "the record data",
    )?;
    serde_json::from_slice(&bytes).map_err(|e| {
        casevault_core::Error::invalid(
            "data",
            ProblemCode::FileNotJson.with("detail", e.to_string()),
        )
    })
}

/// Pretty JSON for `--json` output, safe on a terminal (see [`crate::show::json`]).
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v)
        .map(crate::show::json)
        .map_err(|e| casevault_core::Error::Internal(e.to_string()))
}

/// Who this run writes as, and its clock: the operating-system login,
/// which is what a caseworker's desktop knows them by, and the system
/// time. The core reads neither; each run opens or creates one vault, with
/// this session.
fn session() -> Session {
    let actor = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "caseworker".into());
    Session::new(actor, Clock::system())
}

/// Unlocks the vault in `dir` with the passphrase from the usual sources.
///
/// A vault from an older version may rebuild its search keys while it
/// opens (minutes for 100,000 records), so that step reports its progress
/// on stderr, one line per report.
pub(crate) fn unlock(dir: &Path, secrets: &SecretArgs) -> Result<Vault> {
    let credential = Credential::Passphrase(credentials::passphrase(secrets)?);
    Vault::open_reporting(dir, &credential, session(), |done, total| {
        eprintln!("Updating the search index for this version: {done} of {total} records");
    })
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let dir = vault_dir(&cli);
    let secrets = &cli.secrets;
    match &cli.command {
        Command::Init {
            kdf_ms,
            self_report,
        } => vault::init(&dir, secrets, *kdf_ms, *self_report),
        Command::Report { command } => match command {
            ReportCommand::Ls { json } => intake::report_ls(&dir, secrets, *json),
            ReportCommand::New { answers } => intake::report_new(&dir, secrets, answers),
            ReportCommand::Attach { id, file, mvt } => {
                intake::report_attach(&dir, secrets, id, file, *mvt)
            }
            ReportCommand::Seal { id, to, lang, out } => {
                intake::report_seal(&dir, secrets, id, to, lang, out)
            }
            ReportCommand::Delete { id } => intake::report_delete(&dir, secrets, id),
        },
        Command::Intake { command } => match command {
            IntakeCommand::Import { file } => intake::import(&dir, secrets, file),
            IntakeCommand::Ls { json } => intake::ls(&dir, secrets, *json),
            IntakeCommand::Show { id, json } => intake::show(&dir, secrets, id, *json),
            IntakeCommand::Accept { id, case, person } => {
                intake::accept(&dir, secrets, id, case.clone(), person.clone())
            }
            IntakeCommand::Reject { id, reason } => intake::reject(&dir, secrets, id, reason),
        },
        Command::Status { json } => vault::status(&dir, secrets, *json),
        Command::Passwd { kdf_ms } => vault::passwd(&dir, secrets, *kdf_ms),
        Command::Recover { kdf_ms } => vault::recover(&dir, secrets, *kdf_ms),
        Command::NewRecoveryKey => vault::new_recovery_key(&dir, secrets),
        Command::Rekey => vault::rekey(&dir, secrets),
        Command::Backup { out } => vault::backup(&dir, secrets, out),
        Command::Restore { backup, to } => vault::restore(backup, to, secrets),
        Command::Verify => vault::verify(&dir, secrets),
        Command::Import { file } => records::import(&dir, secrets, file),
        Command::ExportJson { out } => records::export_json(&dir, secrets, out),
        Command::Amend { id, data, reason } => records::amend(&dir, secrets, id, data, reason),
        Command::Cases {
            command: CasesCommand::Ls { json },
        } => records::cases_ls(&dir, secrets, *json),
        Command::Case {
            command: CaseCommand::Show { id, json },
        } => records::case_show(&dir, secrets, id, *json),
        Command::Attach {
            record,
            file,
            derived_from,
            note,
        } => evidence::attach(
            &dir,
            secrets,
            record,
            file,
            derived_from.as_deref(),
            note.as_deref(),
        ),
        Command::Attachments {
            command: AttachmentsCommand::Ls { record, json },
        } => evidence::ls(&dir, secrets, record.as_deref(), *json),
        Command::Attachment {
            command: AttachmentCommand::Get { id, out },
        } => evidence::get(&dir, secrets, id, out),
        Command::Audit {
            command:
                AuditCommand::Verify {
                    quick,
                    checkpoint,
                    json,
                },
        } => evidence::audit_verify(&dir, secrets, *quick, checkpoint.as_deref(), *json),
        Command::Audit {
            command: AuditCommand::Checkpoint { out },
        } => evidence::audit_checkpoint(&dir, secrets, out),
        Command::Audit {
            command: AuditCommand::Consistency { old, new, json },
        } => evidence::audit_consistency(&dir, secrets, old, new, *json),
        Command::Keygen { label, import } => {
            contacts::keygen(&dir, secrets, label, import.as_deref())
        }
        Command::Contacts {
            command:
                ContactsCommand::Add {
                    name,
                    key,
                    organisation,
                    verified,
                },
        } => contacts::add(
            &dir,
            secrets,
            name,
            key,
            organisation.as_deref(),
            verified.as_deref(),
        ),
        Command::Contacts {
            command: ContactsCommand::Ls { json },
        } => contacts::ls(&dir, secrets, *json),
        Command::Contacts {
            command: ContactsCommand::Rm { id },
        } => contacts::rm(&dir, secrets, id),
        Command::Contacts {
            command: ContactsCommand::Verify { id, on },
        } => contacts::verify(&dir, secrets, id, on.as_deref()),
        Command::Bundle {
            command:
                BundleCommand::Create {
                    cases,
                    recipients,
                    passphrase,
                    lang,
                    organisation,
                    out,
                    protect,
                    strip_metadata,
                    leave_out,
                },
        } => bundle::create(
            &dir,
            secrets,
            bundle::CreateArgs {
                cases,
                recipients,
                passphrase: *passphrase,
                lang,
                organisation,
                out,
                protect,
                strip_metadata: *strip_metadata,
                leave_out,
            },
        ),
        Command::Bundle {
            command:
                BundleCommand::Review {
                    cases,
                    protect,
                    json,
                },
        } => bundle::review(&dir, secrets, cases, protect, *json),
        Command::Bundle {
            command:
                BundleCommand::Verify {
                    file,
                    open,
                    accept_unknown_signer,
                },
        } => bundle::verify(file, open, *accept_unknown_signer),
        Command::Bundle {
            command:
                BundleCommand::Open {
                    file,
                    open,
                    out,
                    accept_unknown_signer,
                },
        } => bundle::open(file, open, out, *accept_unknown_signer),
        Command::Bundle {
            command:
                BundleCommand::Import {
                    file,
                    open,
                    accept_signer,
                },
        } => bundle::import(&dir, secrets, file, open, accept_signer.as_deref()),
        Command::OrgKey {
            command: OrgKeyCommand::Show { json },
        } => evidence::org_key_show(&dir, secrets, *json),
        Command::Audit {
            command: AuditCommand::Show { target, json },
        } => evidence::audit_show(&dir, secrets, target.as_deref(), *json),
        Command::Search {
            query,
            act_types,
            countries,
            from,
            to,
            perpetrator,
            status,
            consent,
            limit,
            json,
        } => search::search(
            &dir,
            secrets,
            query,
            search::FilterArgs {
                act_types,
                countries,
                from,
                to,
                perpetrator,
                status,
                consent,
            },
            *limit,
            *json,
        ),
        Command::Persons {
            command: PersonsCommand::Find { name, json },
        } => search::persons_find(&dir, secrets, name, *json),
        Command::LockSettings {
            idle_minutes,
            wipe_after,
        } => vault::lock_settings(&dir, secrets, *idle_minutes, wipe_after.as_deref()),
        Command::StaffLabel {
            account,
            label,
            remove,
        } => bundle::staff_label(&dir, secrets, account.as_deref(), label.as_deref(), *remove),
        // `main` hands these to `spaces::run`, whose errors carry the sync
        // crate's codes.
        Command::Device { .. } | Command::Space { .. } | Command::Sync { .. } => Err(
            casevault_core::Error::Internal("a spaces command reached the wrong handler".into()),
        ),
    }
}
