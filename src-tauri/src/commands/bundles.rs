//! Export bundles and the people and keys around them: the organisation
//! key, contacts (recipients, and trusted organisations' signing keys), this
//! vault's own identities, the export preview and wizard, and the lawyer's
//! side: open a bundle, read it as a dossier, import it.

use std::path::PathBuf;

use casevault_core::Error;
use casevault_core::bundle::Language;
use casevault_core::bundle::read::{self, Unseal, Verification};
use casevault_core::bundle::receive::{self, Approval, ExportPreview, FileCounts};
use casevault_core::bundle::write::{self, CreateReport, CreateRequest, Seal};
use casevault_core::model::interchange::Document;
use casevault_core::vault::Vault;
use casevault_core::vault::contacts::{Contact, IdentityInfo, NewContact};
use casevault_core::vault::custody::CustodyAction;
use casevault_core::vault::org_key::OrgPublicKey;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use crate::ipc::{IpcError, IpcResult};
use crate::state::AppState;

/// A new contact.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ContactRequest {
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: Option<String>,
    /// Their public key (age1… or ssh-ed25519 …).
    pub key: String,
    /// When it was compared out of band (YYYY-MM-DD).
    pub verified_on: Option<String>,
}

/// Which contact.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ContactIdRequest {
    /// Contact id.
    pub id: String,
}

/// A contact whose fingerprint was compared out of band.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ContactVerifyRequest {
    /// Contact id.
    pub id: String,
    /// When it was compared (YYYY-MM-DD); today when absent.
    pub on: Option<String>,
}

/// A new identity.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct IdentityRequest {
    /// Its label.
    pub label: String,
}

/// An identity with its QR code.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct IdentityView {
    /// The identity.
    pub identity: IdentityInfo,
    /// The public key as a QR code, an SVG `data:` URL for an `<img>`.
    pub qr_data_url: String,
}

/// Which cases.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CasesRequest {
    /// Case ids.
    pub case_ids: Vec<String>,
}

/// The export wizard's choices.
#[derive(Deserialize, ts_rs::TS)]
pub struct BundleCreateRequest {
    /// Case ids.
    pub case_ids: Vec<String>,
    /// Contact ids (or public keys) to seal to; empty with a passphrase.
    pub recipients: Vec<String>,
    /// A one-time passphrase instead of recipients.
    pub passphrase: Option<String>,
    /// "en" or "ru".
    pub language: Language,
    /// The exporting organisation's name.
    pub organisation: String,
    /// Full path of the bundle file to create.
    pub path: String,
    /// What the caseworker decided in the redaction review.
    #[serde(default)]
    #[ts(optional)]
    pub choices: Option<casevault_core::bundle::write::ExportChoices>,
}

/// Which bundle to open, and how.
#[derive(Deserialize, ts_rs::TS)]
pub struct BundleOpenRequest {
    /// Full path of the bundle.
    pub path: String,
    /// Its passphrase, when it was sealed with one.
    pub passphrase: Option<String>,
}

/// Importing the bundle the user opened and reviewed. The file is read
/// again, so it must still be that bundle, signed by that signer.
#[derive(Deserialize, ts_rs::TS)]
pub struct BundleImportRequest {
    /// Full path of the bundle.
    pub path: String,
    /// Its passphrase, when it was sealed with one.
    pub passphrase: Option<String>,
    /// The bundle id shown when it was opened.
    pub bundle_id: String,
    /// The signer fingerprint shown when it was opened.
    pub signer_fingerprint: String,
    /// Import even though the signer is not a trusted organisation (the
    /// user saw the warning and that fingerprint).
    pub accept_untrusted: bool,
}

/// One evidence file of a bundle.
#[derive(Deserialize, ts_rs::TS)]
pub struct BundleFileRequest {
    /// Full path of the bundle.
    pub path: String,
    /// Its passphrase, when it was sealed with one.
    pub passphrase: Option<String>,
    /// The file's path in the bundle (`attachments/…`, as in the manifest).
    pub file: String,
}

/// Where to save a verified copy of a bundle's evidence file.
#[derive(Deserialize, ts_rs::TS)]
pub struct BundleFileSaveRequest {
    /// Full path of the bundle.
    pub path: String,
    /// Its passphrase, when it was sealed with one.
    pub passphrase: Option<String>,
    /// The file's path in the bundle.
    pub file: String,
    /// Full path of the copy to create.
    pub out: String,
}

/// A bundle's evidence file, verified and held in memory for preview.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct BundleFilePreview {
    /// The URL the webview loads it from (served from memory).
    pub url: String,
    /// Its media type, read from the bytes.
    pub media_type: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size: u64,
}

// Requests that carry a passphrase print it redacted.
macro_rules! redacted_debug {
    ($t:ty, $($field:ident),*) => {
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    $(.field(stringify!($field), &self.$field))*
                    .field("passphrase", &self.passphrase.as_ref().map(|_| "<redacted>"))
                    .finish()
            }
        }
    };
}
redacted_debug!(BundleOpenRequest, path);
redacted_debug!(
    BundleImportRequest,
    path,
    bundle_id,
    signer_fingerprint,
    accept_untrusted
);
redacted_debug!(BundleFileRequest, path, file);
redacted_debug!(BundleFileSaveRequest, path, file, out);

/// Shown instead of a bundle passphrase: whether there is one, not what.
fn redacted(passphrase: &Option<String>) -> Option<&'static str> {
    passphrase.as_ref().map(|_| "<redacted>")
}

impl std::fmt::Debug for BundleCreateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleCreateRequest")
            .field("case_ids", &self.case_ids)
            .field("recipients", &self.recipients)
            .field("passphrase", &redacted(&self.passphrase))
            .field("language", &self.language)
            .field("organisation", &self.organisation)
            .field("path", &self.path)
            .finish()
    }
}

/// A verified bundle, read.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct BundleView {
    /// What verification found.
    pub verification: Verification,
    /// How many files it holds, as the sender counted them, and how they
    /// were checked.
    pub counts: FileCounts,
    /// Its data, to read as a dossier.
    pub data: Document,
}

fn bundle_path(text: &str) -> Result<PathBuf, IpcError> {
    super::full_path(text, "the bundle file", "/media/usb/moldashev.cvb")
}

fn unseal(v: &Vault, passphrase: &Option<String>) -> casevault_core::Result<Unseal> {
    Ok(match passphrase.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Unseal::Passphrase(p.to_owned().into()),
        None => {
            let ids = v.identity_secrets()?;
            if ids.is_empty() {
                return Err(Error::invalid(
                    "identity",
                    casevault_core::model::problem::ProblemCode::NoIdentity,
                ));
            }
            Unseal::Identities(ids)
        }
    })
}

/// Trusted organisations: the keys of every contact.
fn trusted(v: &Vault) -> casevault_core::Result<Vec<String>> {
    Ok(v.contacts()?.into_iter().map(|c| c.recipient).collect())
}

/// The organisation's signing key.
#[tauri::command(async)]
pub fn org_key_show(state: State<'_, AppState>) -> IpcResult<OrgPublicKey> {
    state.with_vault(|v| v.org_public_key())
}

/// Every contact.
#[tauri::command(async)]
pub fn contacts_list(state: State<'_, AppState>) -> IpcResult<Vec<Contact>> {
    state.with_vault(|v| v.contacts())
}

/// Adds a contact, validating the key.
#[tauri::command(async)]
pub fn contact_add(state: State<'_, AppState>, req: ContactRequest) -> IpcResult<Contact> {
    state.with_vault(|v| {
        v.add_contact(NewContact {
            name: &req.name,
            organisation: req.organisation.as_deref(),
            key: &req.key,
            verified_on: req.verified_on.as_deref(),
        })
    })
}

/// Records that a contact's fingerprint was compared with its owner.
#[tauri::command(async)]
pub fn contact_verify(state: State<'_, AppState>, req: ContactVerifyRequest) -> IpcResult<Contact> {
    state.with_vault(|v| v.mark_contact_verified(&req.id, req.on.as_deref()))
}

/// Removes a contact.
#[tauri::command(async)]
pub fn contact_remove(state: State<'_, AppState>, req: ContactIdRequest) -> IpcResult<()> {
    state.with_vault(|v| v.remove_contact(&req.id))
}

fn qr(text: &str) -> String {
    let svg = qrcode::QrCode::new(text.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default();
    format!(
        "data:image/svg+xml;base64,{}",
        data_encoding::BASE64.encode(svg.as_bytes())
    )
}

/// This vault's identities with their QR codes.
#[tauri::command(async)]
pub fn identities_list(state: State<'_, AppState>) -> IpcResult<Vec<IdentityView>> {
    state.with_vault(|v| {
        Ok(v.identities()?
            .into_iter()
            .map(|identity| IdentityView {
                qr_data_url: qr(&identity.recipient),
                identity,
            })
            .collect())
    })
}

/// Creates an identity for receiving bundles.
#[tauri::command(async)]
pub fn identity_create(
    state: State<'_, AppState>,
    req: IdentityRequest,
) -> IpcResult<IdentityView> {
    state.with_vault(|v| {
        let identity = v.create_identity(&req.label)?;
        Ok(IdentityView {
            qr_data_url: qr(&identity.recipient),
            identity,
        })
    })
}

/// Exactly what an export of these cases would carry.
#[tauri::command(async)]
pub fn bundle_preview(state: State<'_, AppState>, req: CasesRequest) -> IpcResult<ExportPreview> {
    state.with_vault(|v| receive::preview(v, &req.case_ids))
}

/// Writes a bundle.
#[tauri::command(async)]
pub fn bundle_create(
    state: State<'_, AppState>,
    req: BundleCreateRequest,
) -> IpcResult<CreateReport> {
    let out = bundle_path(&req.path)?;
    state.with_vault(|v| {
        let seal = match req.passphrase.filter(|p| !p.is_empty()) {
            Some(p) => Seal::Passphrase(p.into()),
            None => Seal::Recipients(v.resolve_recipients(&req.recipients)?),
        };
        write::create_with(
            v,
            CreateRequest {
                case_ids: &req.case_ids,
                seal,
                language: req.language,
                organisation: &req.organisation,
                out: &out,
            },
            &req.choices.clone().unwrap_or_default(),
        )
    })
}

/// Opens a bundle: decrypts and verifies all of it, then returns its data
/// to read as a dossier. Nothing is written anywhere.
#[tauri::command(async)]
pub fn bundle_open(state: State<'_, AppState>, req: BundleOpenRequest) -> IpcResult<BundleView> {
    let path = bundle_path(&req.path)?;
    state.with_vault(|v| {
        let (verification, data) =
            read::read_data(&path, &unseal(v, &req.passphrase)?, &trusted(v)?)?;
        Ok(BundleView {
            counts: receive::file_counts(&verification),
            verification,
            data,
        })
    })
}

/// Imports the bundle the user reviewed into this vault, with its
/// provenance and its evidence; progress events "bundle-import". Refused
/// when the file is no longer that bundle from that signer.
#[tauri::command(async)]
pub fn bundle_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: BundleImportRequest,
) -> IpcResult<Verification> {
    let path = bundle_path(&req.path)?;
    let progress = super::progress_reporter(&app, "bundle-import");
    state.with_vault(|v| {
        let unseal = unseal(v, &req.passphrase)?;
        let trusted = trusted(v)?;
        receive::import(
            v,
            &path,
            &unseal,
            &trusted,
            &Approval {
                bundle_id: Some(&req.bundle_id),
                signer_fingerprint: Some(&req.signer_fingerprint),
                accept_untrusted: req.accept_untrusted,
            },
            progress,
        )
    })
}

/// Verifies the whole bundle again and holds one of its evidence files in
/// memory for the preview protocol, as the case view previews attachments.
/// Nothing is written to disk; the opening is logged.
#[tauri::command(async)]
pub fn bundle_file_open(
    state: State<'_, AppState>,
    req: BundleFileRequest,
) -> IpcResult<BundleFilePreview> {
    let path = bundle_path(&req.path)?;
    let file = state.with_vault(|v| {
        let (verification, file) =
            read::read_evidence(&path, &unseal(v, &req.passphrase)?, &trusted(v)?, &req.file)?;
        v.log_event(
            CustodyAction::OpenAttachment,
            None,
            Some(&format!(
                "{} of bundle {} (not imported), viewed",
                req.file, verification.manifest.bundle_id
            )),
        )?;
        Ok(file)
    })?;
    let token = data_encoding::HEXLOWER
        .encode(&casevault_core::crypto::random_bytes::<16>().map_err(IpcError::from)?);
    let preview = BundleFilePreview {
        url: crate::preview::bundle_url_for(&token),
        media_type: file.media_type.clone(),
        size: file.bytes().len() as u64,
    };
    // One file at a time: the previous one is wiped, so memory stays at
    // one file however many are viewed.
    let mut previews = state.bundle_previews();
    previews.clear();
    previews.insert(token, file);
    Ok(preview)
}

/// Saves a verified plaintext copy of one of a bundle's evidence files to
/// a path the user chose; the whole bundle is checked as it is copied, and
/// the saving is logged.
#[tauri::command(async)]
pub fn bundle_file_save(state: State<'_, AppState>, req: BundleFileSaveRequest) -> IpcResult<()> {
    let path = bundle_path(&req.path)?;
    let out = super::full_path(
        &req.out,
        "the copy to create",
        "/home/you/Documents/photo.jpg",
    )?;
    state.with_vault(|v| {
        let verification = read::save_evidence(
            &path,
            &unseal(v, &req.passphrase)?,
            &trusted(v)?,
            &req.file,
            &out,
        )?;
        v.log_event(
            CustodyAction::SaveCopy,
            None,
            Some(&format!(
                "{} of bundle {} (not imported) saved to {}",
                req.file,
                verification.manifest.bundle_id,
                out.display()
            )),
        )
    })
}
