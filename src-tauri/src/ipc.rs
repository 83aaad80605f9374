//! The IPC surface: the one list of commands, the error shape that crosses
//! to the webview, and the TypeScript generator that keeps
//! `ui/src/lib/bindings.ts` in step with the Rust types.
//!
//! To add a command: write it in `commands/`, add one line to
//! [`with_commands!`], run `scripts/gen-bindings`. A test fails while the
//! committed bindings are stale.

use std::fmt::Write as _;

use casevault_core::ErrorCode;
use serde::Serialize;
use ts_rs::{Config, TS, TypeVisitor};

/// What a failed command returns to the webview: a stable code to branch
/// on, the values its translated message needs, the validation problems
/// (each a code with parameters, translated the same way), and the English
/// message for what no code covers. Nothing else crosses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    /// Stable error code.
    pub code: ErrorCode,
    /// Human-readable message (English; the UI translates by code).
    pub message: String,
    /// Parameters of the code's message (`attempts_left`), by name.
    pub params: std::collections::BTreeMap<String, String>,
    /// For a rejected import or record: every problem, as data.
    pub problems: Vec<casevault_core::model::problem::Problem>,
}

impl From<casevault_core::Error> for IpcError {
    fn from(e: casevault_core::Error) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
            params: e.params(),
            problems: e.problems().to_vec(),
        }
    }
}

/// Result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;

/// Calls `$callback!` with the list of commands:
/// `module::command(RequestType) -> ResponseType;` (request optional).
/// Each command takes its request as one argument named `req`.
macro_rules! with_commands {
    ($($callback:tt)+) => {
        $($callback)+! {
            about::about() -> crate::commands::about::AboutInfo;
            about::prefs_get() -> crate::prefs::UiPrefs;
            about::prefs_set(crate::prefs::UiPrefs) -> crate::prefs::UiPrefs;
            vault::vault_state() -> crate::commands::vault::VaultState;
            vault::passphrase_strength(crate::commands::vault::PassphraseRequest) -> casevault_core::crypto::strength::Strength;
            vault::vault_create(crate::commands::vault::CreateVaultRequest) -> crate::commands::vault::CreatedVault;
            vault::recovery_key_confirm(crate::commands::vault::RecoveryKeyRequest) -> bool;
            vault::vault_unlock(crate::commands::vault::PassphraseRequest) -> casevault_core::vault::VaultStatus;
            vault::vault_recover(crate::commands::vault::RecoverRequest) -> casevault_core::vault::VaultStatus;
            vault::vault_lock() -> ();
            vault::vault_status() -> casevault_core::vault::VaultStatus;
            vault::vault_change_passphrase(crate::commands::vault::ChangePassphraseRequest) -> ();
            vault::vault_rekey(crate::commands::vault::RekeyRequest) -> crate::commands::vault::RekeyResult;
            vault::vault_backup(crate::commands::vault::BackupRequest) -> casevault_core::vault::backup::BackupReport;
            vault::vault_verify() -> Vec<String>;
            vault::lock_settings_set(casevault_core::vault::LockSettings) -> casevault_core::vault::LockSettings;
            cases::cases_list() -> Vec<casevault_core::ops::browse::CaseSummary>;
            cases::case_get(crate::commands::cases::CaseRequest) -> casevault_core::ops::browse::CaseDetail;
            cases::records_add(casevault_core::model::interchange::Document) -> crate::commands::cases::AddReport;
            cases::interchange_import(crate::commands::cases::ImportFileRequest) -> crate::commands::cases::AddReport;
            cases::date_check(crate::commands::cases::DateRequest) -> crate::commands::cases::DateCheck;
            cases::vocabularies() -> Vec<crate::commands::cases::VocabularyDto>;
            records::record_amend(crate::commands::records::AmendRequest) -> u32;
            records::record_trash(crate::commands::records::TrashRequest) -> ();
            records::record_restore(crate::commands::records::RecordRequest) -> u32;
            records::record_history(crate::commands::records::RecordRequest) -> Vec<casevault_core::vault::RecordVersion>;
            records::trash_list() -> Vec<casevault_core::vault::TrashedRecord>;
            records::persons_find(crate::commands::records::FindRequest) -> Vec<casevault_core::ops::search::PersonHit>;
            records::organisations_list() -> Vec<casevault_core::model::records::Organisation>;
            records::sources_list() -> Vec<casevault_core::model::records::Source>;
            records::draft_save(crate::commands::records::DraftSaveRequest) -> ();
            records::draft_load(crate::commands::records::DraftRequest) -> Option<casevault_core::vault::drafts::Draft>;
            records::draft_discard(crate::commands::records::DraftRequest) -> ();
            evidence::attachments_list(crate::commands::evidence::RecordAttachmentsRequest) -> Vec<casevault_core::vault::attachments::Attachment>;
            evidence::attachment_add(crate::commands::evidence::AttachFileRequest) -> casevault_core::vault::attachments::Attachment;
            evidence::attachment_open(crate::commands::evidence::AttachmentRequest) -> crate::commands::evidence::Preview;
            evidence::attachment_save_copy(crate::commands::evidence::SaveCopyRequest) -> ();
            evidence::path_pick(crate::commands::evidence::PickPathRequest) -> Option<String>;
            paths::path_check(crate::commands::paths::PathCheckRequest) -> crate::commands::paths::PathCheck;
            evidence::custody_trail(crate::commands::evidence::CustodyRequest) -> Vec<casevault_core::vault::custody::CustodyEntry>;
            evidence::audit_verify(crate::commands::evidence::AuditRequest) -> casevault_core::vault::custody::AuditReport;
            search::search(crate::commands::search::SearchRequest) -> casevault_core::ops::search::SearchResults;
            search::person_duplicates(casevault_core::model::records::Person) -> Vec<casevault_core::ops::search::PersonHit>;
            search::persons_merge(crate::commands::search::MergeRequest) -> ();
            search::analysis(casevault_core::ops::search::Filters) -> casevault_core::ops::search::Analysis;
            bundles::org_key_show() -> casevault_core::vault::org_key::OrgPublicKey;
            bundles::contacts_list() -> Vec<casevault_core::vault::contacts::Contact>;
            bundles::contact_add(crate::commands::bundles::ContactRequest) -> casevault_core::vault::contacts::Contact;
            bundles::contact_remove(crate::commands::bundles::ContactIdRequest) -> ();
            bundles::contact_verify(crate::commands::bundles::ContactVerifyRequest) -> casevault_core::vault::contacts::Contact;
            bundles::identities_list() -> Vec<crate::commands::bundles::IdentityView>;
            bundles::identity_create(crate::commands::bundles::IdentityRequest) -> crate::commands::bundles::IdentityView;
            bundles::bundle_preview(crate::commands::bundles::CasesRequest) -> casevault_core::bundle::receive::ExportPreview;
            bundles::bundle_create(crate::commands::bundles::BundleCreateRequest) -> casevault_core::bundle::write::CreateReport;
            export::export_review(crate::commands::export::ReviewRequest) -> casevault_core::bundle::review::RedactionReview;
            bundles::bundle_open(crate::commands::bundles::BundleOpenRequest) -> crate::commands::bundles::BundleView;
            bundles::bundle_import(crate::commands::bundles::BundleImportRequest) -> casevault_core::bundle::read::Verification;
            bundles::bundle_file_open(crate::commands::bundles::BundleFileRequest) -> crate::commands::bundles::BundleFilePreview;
            bundles::bundle_file_save(crate::commands::bundles::BundleFileSaveRequest) -> ();
            intake::reports_list() -> Vec<casevault_core::vault::self_reports::ReportSummary>;
            intake::report_new() -> casevault_core::vault::self_reports::StoredReport;
            intake::report_get(crate::commands::intake::ReportIdRequest) -> casevault_core::vault::self_reports::StoredReport;
            intake::report_save(crate::commands::intake::ReportSaveRequest) -> casevault_core::vault::self_reports::ReportSummary;
            intake::report_problems(crate::commands::intake::ReportIdRequest) -> Vec<casevault_core::model::self_report::ReportProblem>;
            intake::report_steps() -> Vec<crate::commands::intake::StepChoices>;
            intake::report_name_check(crate::commands::intake::ReportNameCheckRequest) -> Vec<String>;
            intake::report_attach(crate::commands::intake::ReportAttachRequest) -> casevault_core::vault::self_reports::ReportFile;
            intake::report_file_remove(crate::commands::intake::ReportFileRequest) -> ();
            intake::report_seal(crate::commands::intake::ReportSealRequest) -> casevault_core::bundle::seal::SealReport;
            intake::report_delete(crate::commands::intake::ReportIdRequest) -> ();
            intake::key_check_text(crate::commands::intake::KeyCheckRequest) -> crate::commands::intake::KeyCheck;
            intake::key_check_file(crate::commands::intake::KeyFileRequest) -> crate::commands::intake::KeyCheck;
            intake::intake_receive(crate::commands::intake::IntakeFileRequest) -> casevault_core::bundle::intake::InboxItem;
            intake::intake_list() -> Vec<casevault_core::bundle::intake::InboxItem>;
            intake::intake_review(crate::commands::intake::IntakeIdRequest) -> casevault_core::bundle::intake::IntakeReview;
            intake::intake_accept(crate::commands::intake::IntakeAcceptRequest) -> String;
            intake::intake_reject(crate::commands::intake::IntakeRejectRequest) -> ();
            intake::quick_exit() -> ();
            team::device_key_show() -> crate::commands::team::DeviceKeyView;
            team::device_key_check(crate::commands::team::DeviceKeyCheckRequest) -> String;
            team::spaces_list() -> crate::commands::team::TeamOverview;
            team::space_create(crate::commands::team::SpaceCreateRequest) -> crate::commands::team::TeamOverview;
            team::space_member_add(crate::commands::team::MemberAddRequest) -> String;
            team::space_member_remove(crate::commands::team::MemberRemoveRequest) -> String;
            team::space_sync(crate::commands::team::SyncRequest) -> crate::commands::team::SyncReport;
            team::space_unload(crate::commands::team::UnloadRequest) -> crate::commands::team::UnloadReport;
            team::space_reload(crate::commands::team::ReloadRequest) -> crate::commands::team::SyncReport;
            team::sync_credentials_show() -> crate::commands::team::S3KeyView;
            team::sync_credentials_set(crate::commands::team::S3KeyRequest) -> crate::commands::team::S3KeyView;
            team::sync_credentials_clear() -> crate::commands::team::S3KeyView;
            team_conflicts::space_conflicts(crate::commands::team_conflicts::ConflictsRequest) -> Vec<crate::commands::team_conflicts::ConflictView>;
            team_conflicts::space_conflict_resolve(crate::commands::team_conflicts::ConflictResolveRequest) -> Vec<crate::commands::team_conflicts::ConflictView>;
            team::space_invitations(crate::commands::team::SyncRequest) -> Vec<crate::commands::team::InvitationView>;
            team::space_invitation_accept(crate::commands::team::InvitationAcceptRequest) -> String;
            team::space_invitation_decline(crate::commands::team::InvitationDeclineRequest) -> ();
            team::sync_interval_set(crate::commands::team::SyncIntervalRequest) -> u32;
            team::sync_timer_plan() -> crate::commands::team::SyncTimerPlan;
            team::space_member_key(crate::commands::team::MemberKeyRequest) -> crate::commands::team::DeviceKeyView;
        }
    };
}
pub(crate) use with_commands;

/// Types that cross IPC but are not a command's request or response.
fn extra_types(v: &mut Collector) {
    v.visit::<IpcError>();
    v.visit::<crate::commands::ProgressEvent>();
}

macro_rules! make_handler {
    ($($module:ident :: $name:ident ($($req:ty)?) -> $ret:ty;)*) => {
        ::tauri::generate_handler![$(crate::commands::$module::$name),*]
    };
}
pub(crate) use make_handler;

/// The invoke handler for every command in [`with_commands!`].
macro_rules! handler {
    () => {
        $crate::ipc::with_commands!($crate::ipc::make_handler)
    };
}
pub(crate) use handler;

/// One command as seen from TypeScript.
struct CommandSig {
    name: &'static str,
    request: Option<String>,
    response: String,
}

macro_rules! request_name {
    ($cfg:ident) => {
        None
    };
    ($cfg:ident, $req:ty) => {
        Some(<$req as TS>::name($cfg))
    };
}

macro_rules! make_signatures {
    ($($module:ident :: $name:ident ($($req:ty)?) -> $ret:ty;)*) => {
        fn signatures(cfg: &Config, v: &mut Collector) -> Vec<CommandSig> {
            vec![$({
                $( v.visit::<$req>(); )?
                v.visit::<$ret>();
                CommandSig {
                    name: stringify!($name),
                    request: request_name!(cfg $(, $req)?),
                    response: <$ret as TS>::name(cfg),
                }
            }),*]
        }
    };
}
with_commands!(make_signatures);

/// Walks types and their dependencies, collecting each declaration once.
struct Collector {
    cfg: Config,
    /// Declarations by type name, so the output order is stable.
    decls: std::collections::BTreeMap<String, String>,
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Built-in types (String, Vec, Option…) have no file of their own and
        // no declaration; their type arguments are reached through
        // visit_generics.
        if T::output_path().is_some() && !self.decls.contains_key(&T::ident(&self.cfg)) {
            self.decls.insert(
                T::ident(&self.cfg),
                format!("export {}", T::decl(&self.cfg)),
            );
            T::visit_dependencies(self);
        }
        T::visit_generics(self);
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The complete text of `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut collector = Collector {
        cfg: Config::new().with_large_int("number"),
        decls: Default::default(),
    };
    let sigs = signatures(&cfg, &mut collector);
    extra_types(&mut collector);

    let mut out = String::new();
    out.push_str(
        "// Generated from the Rust IPC types (src-tauri/src/ipc.rs) by scripts/gen-bindings.\n",
    );
    out.push_str(
        "// Do not edit by hand: run `scripts/gen-bindings` after changing a command or type.\n",
    );
    out.push_str("import { invoke } from \"@tauri-apps/api/core\";\n\n");
    for decl in collector.decls.values() {
        let _ = writeln!(out, "{}", decl.trim_end());
    }
    out.push_str(
        "\n/** Every backend command. The Tauri implementation is below; the component tests carry it to a headless host. */\n",
    );
    out.push_str("export interface Commands {\n");
    for s in &sigs {
        let arg = s
            .request
            .as_ref()
            .map(|r| format!("req: {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}({arg}): Promise<{}>;",
            camel_case(s.name),
            s.response
        );
    }
    out.push_str("}\n\n/** Event names the backend emits. */\n");
    let _ = writeln!(
        out,
        "export const EVENTS = {{ progress: \"{}\", vaultLocked: \"{}\" }} as const;\n",
        crate::commands::EVENT_PROGRESS,
        crate::commands::EVENT_VAULT_LOCKED
    );
    out.push_str(
        "/** How a command reaches the Rust side: Tauri's `invoke`, or the UI tests' command host. */\n\
         export type Invoke = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** Every command, carried by `call`. */\n\
         export function commandsVia(call: Invoke): Commands {\n  return {\n",
    );
    for s in &sigs {
        let line = match s.request {
            Some(_) => format!(
                "    {}: (req) => call(\"{}\", {{ req }}),",
                camel_case(s.name),
                s.name
            ),
            None => format!("    {}: () => call(\"{}\"),", camel_case(s.name), s.name),
        };
        let _ = writeln!(out, "{line}");
    }
    out.push_str("  };\n}\n\nexport const tauriCommands: Commands = commandsVia(invoke);\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One filled request: its Debug output and the canaries placed in it.
    type Filled = Result<(String, Vec<(String, String)>), String>;

    macro_rules! make_filled_requests {
        ($($module:ident :: $name:ident ($($req:ty)?) -> $ret:ty;)*) => {
            /// Every request type in the command list, built with a canary
            /// in each string field.
            fn filled_requests() -> Vec<(&'static str, Filled)> {
                vec![$($((stringify!($req), {
                    let canaries = crate::filler::Canaries::default();
                    crate::filler::fill::<$req>(&canaries)
                        .map(|req| (format!("{req:?}"), canaries.placed()))
                        .map_err(|e| e.to_string())
                }),)?)*]
            }
        };
    }
    with_commands!(make_filled_requests);

    /// Whether a field holds a secret, by its path (`Type.field.sub`):
    /// its name speaks of a passphrase, secret, recovery key, identity or
    /// private key, or it sits in a request named for a passphrase
    /// (`ChangePassphraseRequest.current`). A bare `key` here is a public
    /// key or a draft's lookup key, and `public_key` is public.
    fn is_secret_field(path: &str) -> bool {
        const WORDS: [&str; 6] = [
            "passphrase",
            "password",
            "secret",
            "recovery",
            "identity",
            "private",
        ];
        let lower = path.to_lowercase();
        let mut segments = lower.split('.');
        let root = segments.next().unwrap_or_default();
        root.contains("passphrase")
            || segments.any(|s| {
                WORDS.iter().any(|w| s.contains(w)) || (s.ends_with("_key") && s != "public_key")
            })
    }

    /// No request prints a secret in its Debug output. Every request type
    /// in the command list is built with a canary in each string field, so
    /// a new command's request is checked without a sample written for it.
    #[test]
    fn no_request_prints_a_secret_in_debug() {
        let mut secrets_checked = std::collections::BTreeSet::new();
        for (name, filled) in filled_requests() {
            let (debug, placed) =
                filled.unwrap_or_else(|e| panic!("{name} cannot be built to check: {e}"));
            assert!(!debug.is_empty(), "{name}");
            for (path, canary) in placed {
                if is_secret_field(&path) {
                    assert!(
                        !debug.contains(&canary),
                        "{name}'s Debug prints {path}: {debug}"
                    );
                    secrets_checked.insert(path);
                }
            }
        }
        for known in [
            "BundleCreateRequest.passphrase",
            "BundleOpenRequest.passphrase",
            "PassphraseRequest.passphrase",
            "CreateVaultRequest.passphrase",
            "RecoveryKeyRequest.recovery_key",
            "RecoverRequest.recovery_key",
            "RecoverRequest.new_passphrase",
            "ChangePassphraseRequest.current",
            "ChangePassphraseRequest.new_passphrase",
            "RekeyRequest.passphrase",
        ] {
            assert!(secrets_checked.contains(known), "{known} was not checked");
        }
    }

    #[test]
    fn the_secret_field_rule() {
        assert!(is_secret_field("X.passphrase"));
        assert!(is_secret_field("X.inner.recovery_key"));
        assert!(is_secret_field("X.age_identity"));
        assert!(is_secret_field("X.signing_key"));
        assert!(is_secret_field("ChangePassphraseRequest.current"));
        assert!(!is_secret_field("ContactRequest.key"));
        assert!(!is_secret_field("X.public_key"));
        assert!(!is_secret_field("BundleOpenRequest.path"));
    }

    /// The committed TypeScript must match the Rust types. Regenerate with
    /// `scripts/gen-bindings` (which sets UPDATE_BINDINGS=1).
    #[test]
    fn committed_bindings_are_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
        let fresh = typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings.ts is stale: run scripts/gen-bindings and commit the result"
        );
    }

    #[test]
    fn camel_case_converts_command_names() {
        assert_eq!(
            camel_case("vault_change_passphrase"),
            "vaultChangePassphrase"
        );
        assert_eq!(camel_case("about"), "about");
    }

    #[test]
    fn bindings_declare_every_type_they_use() {
        let ts = typescript_bindings();
        for name in [
            "AboutInfo",
            "VaultStatus",
            "LockSettings",
            "IpcError",
            "ErrorCode",
            "ProgressEvent",
            "Strength",
        ] {
            assert!(
                ts.contains(&format!("export type {name} =")),
                "{name} missing:\n{ts}"
            );
        }
        assert!(
            ts.contains("vaultCreate(req: CreateVaultRequest): Promise<CreatedVault>;"),
            "{ts}"
        );
        assert!(
            ts.contains("vaultLock: () => call(\"vault_lock\"),"),
            "{ts}"
        );
        assert!(
            ts.contains("export const tauriCommands: Commands = commandsVia(invoke);"),
            "{ts}"
        );
    }

    #[test]
    fn core_errors_keep_code_and_message() {
        let e = IpcError::from(casevault_core::Error::WrongCredential);
        assert_eq!(e.code, ErrorCode::WrongCredential);
        assert!(e.message.contains("wrong"));
        assert_eq!(
            serde_json::to_value(&e).unwrap()["code"],
            "wrong_credential"
        );
    }
}
