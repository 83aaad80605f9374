//! Team spaces in the app (issue 18): this vault's device key, spaces and
//! their members, sync, travel mode. The rules are the sync crate's; these
//! commands only carry them, with one limit of their own: the app opens a
//! network connection only to an S3 store (Garage) the user typed as the
//! remote, and only while a sync or a reload runs; with a folder (a USB
//! stick, a folder Syncthing carries) it opens none. The S3 key comes from
//! the vault, never from the environment.

use std::path::{Path, PathBuf};

use casevault_core::model::problem::ProblemCode;
use casevault_core::vault::Vault;
use casevault_sync::remote::s3::{S3Address, S3Credentials, S3Remote};
use casevault_sync::remote::{FolderRemote, Remote};
use casevault_sync::spaces::{
    self, GapSummary, Join, MemberSummary, Offer, SpaceSummary, SyncOutcome,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use super::{full_path, progress_reporter};
use crate::ipc::{IpcError, IpcResult};
use crate::state::AppState;

/// This vault's device key, for an admin to add it to a space.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DeviceKeyView {
    /// The public key as one line of text, to paste.
    pub line: String,
    /// Its fingerprint, to match a member with.
    pub fingerprint: String,
    /// The fingerprint in groups of four, to compare by phone or in person.
    pub grouped: String,
    /// The line as a QR code: SVG markup made here from the line alone.
    pub qr_svg: String,
}

/// A member of a space.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MemberView {
    /// The device's fingerprint (`SHA256:…`), to match on.
    pub fingerprint: String,
    /// The same in groups of four, to show and read aloud.
    pub grouped: String,
    /// The name this vault gave it; none for this device.
    pub label: Option<String>,
    /// This vault's own device.
    pub this_device: bool,
    /// It may add and remove members.
    pub admin: bool,
    /// It was removed.
    pub removed: bool,
}

/// Changes of one device found missing on the remote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GapView {
    /// The device's fingerprint.
    pub device: String,
    /// How many of its changes are missing.
    #[ts(type = "number")]
    pub missing: u64,
}

/// A space as the Team view shows it. Its Debug leaves out the conflicts'
/// labels: they quote case data.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct SpaceView {
    /// Its name.
    pub name: String,
    /// Its cases, by id.
    pub cases: Vec<String>,
    /// Its members, removed ones included.
    pub members: Vec<MemberView>,
    /// The current key epoch.
    pub epoch: u32,
    /// This device was removed from it.
    pub removed: bool,
    /// This device is one of its admins (and may change its members).
    pub admin: bool,
    /// When it last synced (RFC 3339).
    pub last_sync_at: Option<String>,
    /// Changes found missing at the last sync.
    pub gaps: Vec<GapView>,
    /// Records with concurrent edits awaiting review, by id.
    pub conflicts: Vec<String>,
    /// Each of those records in words, in the same order.
    pub conflict_labels: Vec<String>,
    /// Unloaded from this device (travel mode).
    pub unloaded: bool,
}

impl std::fmt::Debug for SpaceView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpaceView")
            .field("name", &self.name)
            .field("cases", &self.cases)
            .field("members", &self.members)
            .field("epoch", &self.epoch)
            .field("removed", &self.removed)
            .field("admin", &self.admin)
            .field("gaps", &self.gaps)
            .field("conflicts", &self.conflicts)
            .field("unloaded", &self.unloaded)
            .finish_non_exhaustive()
    }
}

/// Every space, and where and when this vault last synced.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TeamOverview {
    /// The spaces of this vault.
    pub spaces: Vec<SpaceView>,
    /// The folder or S3 address last synced with.
    pub remote: Option<String>,
    /// When this vault last synced (RFC 3339).
    pub last_sync_at: Option<String>,
    /// Minutes between timed syncs while the vault is unlocked; 0 is off.
    pub sync_interval_minutes: u32,
}

/// An invitation to a space, not joined until the user accepts it after
/// comparing both fingerprints with the people they belong to.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct InvitationView {
    /// Its id, to accept or decline it.
    pub id: String,
    /// The space creator's fingerprint, grouped.
    pub creator: String,
    /// The name this vault gave the creator's device, if any.
    pub creator_label: Option<String>,
    /// The fingerprint of the admin who added this device, grouped.
    pub inviter: String,
    /// The name this vault gave the inviting admin's device, if any.
    pub inviter_label: Option<String>,
    /// Its current members, this device included.
    pub members: u32,
}

/// An invitation to accept.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct InvitationAcceptRequest {
    /// The invitation's id.
    pub offer: String,
    /// What to call the space here.
    pub name: String,
    /// The folder it is on; none for the last one used.
    pub remote: Option<String>,
}

/// An invitation to decline.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct InvitationDeclineRequest {
    /// The invitation's id.
    pub offer: String,
}

/// How often to sync on a timer.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct SyncIntervalRequest {
    /// Minutes between timed syncs (0 turns them off).
    pub minutes: u32,
}

/// What the app's sync timer needs to know, read without making anything
/// (no device key is made for a vault that never used spaces).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SyncTimerPlan {
    /// Minutes between timed syncs; 0 is off.
    pub minutes: u32,
    /// How many spaces this vault holds.
    pub spaces: u32,
    /// The remote last synced with (a folder or an S3 store).
    pub remote: Option<String>,
}

/// A member whose device key to show.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct MemberKeyRequest {
    /// The space's name.
    pub space: String,
    /// The member's fingerprint.
    pub fingerprint: String,
}

/// A new space.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct SpaceCreateRequest {
    /// Its name.
    pub name: String,
    /// The cases it shares, by id.
    pub cases: Vec<String>,
}

/// A device key line to check before adding it.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DeviceKeyCheckRequest {
    /// The line as pasted.
    pub key: String,
}

/// A device to add to a space.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct MemberAddRequest {
    /// The space's name.
    pub space: String,
    /// The device key line the colleague's vault shows.
    pub key: String,
    /// What to call them here.
    pub label: String,
}

/// A member to remove.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct MemberRemoveRequest {
    /// The space's name.
    pub space: String,
    /// The member's fingerprint (or its name here).
    pub member: String,
}

/// Where to sync.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct SyncRequest {
    /// A folder (`file:///PATH` or a full path) or a bucket on an S3 store
    /// (`s3://BUCKET?endpoint=URL`); none for the last one used.
    pub remote: Option<String>,
    /// Started by the Team view's timer, not by the person: not counted
    /// as activity by the backend's idle lock.
    #[serde(default)]
    #[ts(optional)]
    pub timed: Option<bool>,
}

/// The S3 key to keep in the vault for syncing with an S3 store.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct S3KeyRequest {
    /// The key id.
    pub key_id: String,
    /// The secret key; kept in the vault, never shown again.
    #[ts(as = "String")]
    pub secret: SecretText,
}

/// Text that is a secret, in zeroizing memory from the moment it is read
/// (the string's own buffer moves in, it is not copied).
pub struct SecretText(Zeroizing<String>);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretText(…)")
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretText(Zeroizing::new(s)))
    }
}

/// Whether an S3 key is stored; the secret never leaves the vault.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct S3KeyView {
    /// The stored key's id, or none.
    pub key_id: Option<String>,
}

/// A space to unload.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct UnloadRequest {
    /// The space's name.
    pub space: String,
    /// Delete even changes not yet on the remote (the user chose so after
    /// being told how many).
    pub discard_unsynced: bool,
}

/// A space to reload.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReloadRequest {
    /// The space's name.
    pub space: String,
    /// The folder or S3 address to fetch it from; none for the last one
    /// used.
    pub remote: Option<String>,
}

/// What a sync (or a reload) did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SyncReport {
    /// This vault's changes written to the folder.
    pub sent: u32,
    /// Members' changes verified and received.
    pub received: u32,
    /// Records written into this vault.
    pub applied: u32,
    /// Objects refused and never applied (damaged, forged, or sealed
    /// under a key this device does not hold), by the sync crate's code.
    pub refused: Vec<String>,
    /// Received changes this vault's checks refused; tried again next time.
    pub rejected: Vec<String>,
    /// Spaces joined through an invitation.
    pub joined: Vec<String>,
    /// Invitations found and not joined, for the user to judge.
    pub offers: Vec<InvitationView>,
    /// Records not sent because they also belong to a case outside the space.
    pub held_back: Vec<String>,
    /// Records with concurrent edits awaiting review, over every space.
    pub conflicts: u32,
    /// Changes of members found missing on the folder, over every space.
    #[ts(type = "number")]
    pub gaps: u64,
    /// When this sync ended (RFC 3339).
    pub last_sync_at: Option<String>,
}

/// What unloading a space did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct UnloadReport {
    /// Records securely deleted from this vault.
    pub records: u32,
    /// Evidence files securely deleted.
    pub attachments: u32,
    /// Records kept because a case outside the space needs them, by id.
    pub kept: Vec<String>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A sync error as the webview gets it: the vault's own errors unchanged;
/// the others under the nearest vault code, with the sync crate's stable
/// code in `params.sync` for the UI to branch on. A damaged device key is
/// the `key_damaged` problem, as for every other key the app reads.
fn sync_error(e: casevault_sync::Error) -> IpcError {
    use casevault_core::ErrorCode as Core;
    use casevault_sync::ErrorCode as C;
    let code = e.code();
    if let casevault_sync::Error::Vault(inner) = e {
        return IpcError::from(inner);
    }
    if code == C::InvalidDeviceKey {
        let mut err = IpcError::from(casevault_core::Error::invalid(
            "key",
            ProblemCode::KeyDamaged.with("detail", e.to_string()),
        ));
        err.params
            .insert("sync".into(), "invalid_device_key".into());
        return err;
    }
    let core = match code {
        C::Tampered
        | C::BadSignature
        | C::BrokenChain
        | C::NotMember
        | C::UnknownEpoch
        | C::Equivocation => Core::Tampered,
        C::RemoteIo | C::RemoteDenied => Core::Io,
        C::DiskFull => Core::DiskFull,
        C::Internal => Core::Internal,
        _ => Core::InvalidInput,
    };
    let name = serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    IpcError {
        code: core,
        message: e.to_string(),
        params: [("sync".to_owned(), name)].into_iter().collect(),
        problems: Vec::new(),
    }
}

/// Runs `f` with the unlocked vault, its sync errors mapped.
pub(super) fn with_spaces<T>(
    state: &AppState,
    f: impl FnOnce(&mut Vault) -> casevault_sync::Result<T>,
) -> IpcResult<T> {
    with_spaces_as(state, true, f)
}

/// [`with_spaces`], counted as the person's activity or not (a timed sync).
fn with_spaces_as<T>(
    state: &AppState,
    activity: bool,
    f: impl FnOnce(&mut Vault) -> casevault_sync::Result<T>,
) -> IpcResult<T> {
    let mut out = None;
    let run = |v: &mut Vault| {
        out = Some(f(v));
        Ok(())
    };
    if activity {
        state.with_vault(run)?;
    } else {
        state.with_vault_unattended(run)?;
    }
    match out {
        Some(r) => r.map_err(sync_error),
        None => Err(IpcError::from(casevault_core::Error::Internal(
            "a team command did not run".into(),
        ))),
    }
}

fn refuse_remote(value: &str) -> IpcError {
    IpcError::from(casevault_core::Error::invalid(
        "remote",
        ProblemCode::NotOneOf.with("value", value).with(
            "allowed",
            "file:///PATH, /full/path/to/a/folder, s3://BUCKET?endpoint=URL",
        ),
    ))
}

/// A refused value with its field in `params.field`, so that the view can
/// put the problem under the right input (the key id, the secret, or the
/// key as a whole when none is stored).
fn with_field(e: casevault_core::Error) -> IpcError {
    let field = match &e {
        casevault_core::Error::InvalidInput { field, .. } => Some(field.clone()),
        _ => None,
    };
    let mut err = IpcError::from(e);
    if let Some(field) = field {
        err.params.insert("field".into(), field);
    }
    err
}

/// Marks a remote's error (`params.sync` one of `invalid_remote`,
/// `remote_io`, `remote_denied`) as the S3 store's with `params.remote =
/// "s3"`, so that the view speaks of the store and its address rather than
/// of a folder.
fn s3_error(mut e: IpcError) -> IpcError {
    let remote = e
        .params
        .get("sync")
        .is_some_and(|c| matches!(c.as_str(), "invalid_remote" | "remote_io" | "remote_denied"));
    if remote {
        e.params.insert("remote".into(), "s3".into());
    }
    e
}

/// Where the app syncs: a folder, or a bucket on an S3 store the user
/// typed (the only network connection the app opens).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Folder(PathBuf),
    S3(S3Address),
}

impl Place {
    /// Reads a remote as typed: an `s3://` address is checked by the sync
    /// crate (plain `http://` only to this computer), anything else must
    /// be a folder that exists.
    fn parse(text: &str) -> IpcResult<Place> {
        let text = text.trim();
        match text.split_once("://") {
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("s3") => S3Address::parse(text)
                .map(Place::S3)
                .map_err(|e| s3_error(sync_error(e))),
            _ => folder_of(text).map(Place::Folder),
        }
    }

    /// An error of this remote, marked as the S3 store's when it is one.
    fn error(&self, e: IpcError) -> IpcError {
        match self {
            Place::Folder(_) => e,
            Place::S3(_) => s3_error(e),
        }
    }

    /// The address the vault records, as the CLI writes it.
    fn address(&self) -> String {
        match self {
            Place::Folder(path) => address_of(path),
            Place::S3(address) => address.to_string(),
        }
    }

    /// The S3 key stored in the vault, refused (`required` on the field
    /// `s3_key`) before anything is opened when there is none; nothing for
    /// a folder.
    fn credentials(&self, vault: &Vault) -> IpcResult<Option<S3Credentials>> {
        match self {
            Place::Folder(_) => Ok(None),
            Place::S3(_) => {
                let stored = vault.s3_key()?.ok_or_else(|| {
                    with_field(casevault_core::Error::invalid(
                        "s3_key",
                        ProblemCode::Required,
                    ))
                })?;
                S3Credentials::new(&stored.key_id, stored.secret)
                    .map(Some)
                    .map_err(sync_error)
            }
        }
    }

    /// Opens the remote: for S3 this is where the connection starts, and
    /// it ends when the remote is dropped at the end of the command.
    fn open(&self, credentials: Option<S3Credentials>) -> casevault_sync::Result<Box<dyn Remote>> {
        match (self, credentials) {
            (Place::Folder(path), _) => Ok(Box::new(FolderRemote::open(path)?)),
            (Place::S3(address), Some(c)) => Ok(Box::new(S3Remote::open(address.clone(), c)?)),
            (Place::S3(_), None) => Err(casevault_sync::Error::InvalidRemote(
                "no S3 key is stored in this vault".into(),
            )),
        }
    }
}

/// The folder a remote names, refused unless it is one that exists: a
/// mistyped path must not become a new, empty remote.
fn folder_of(text: &str) -> IpcResult<PathBuf> {
    let text = text.trim();
    let path = if let Some((scheme, _)) = text.split_once("://") {
        if !scheme.eq_ignore_ascii_case("file") {
            return Err(refuse_remote(&format!("{scheme}://")));
        }
        let url = tauri::Url::parse(text).map_err(|_| refuse_remote(text))?;
        if url
            .host_str()
            .is_some_and(|h| !h.is_empty() && h != "localhost")
        {
            return Err(refuse_remote(text));
        }
        url.to_file_path().map_err(|_| refuse_remote(text))?
    } else {
        full_path(text, "the sync folder", "/media/usb/casevault-sync")?
    };
    if !path.is_dir() {
        return Err(IpcError::from(casevault_core::Error::invalid(
            "remote",
            ProblemCode::FileMissing.with("path", path.display().to_string()),
        )));
    }
    Ok(path)
}

/// The remote given, or the one this vault last synced with.
fn remote_place(vault: &Vault, given: Option<&str>) -> IpcResult<Place> {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Place::parse(text),
        None => {
            let last = vault.sync_state()?.map(|s| s.remote).ok_or_else(|| {
                IpcError::from(casevault_core::Error::invalid(
                    "remote",
                    ProblemCode::Required,
                ))
            })?;
            Place::parse(&last)
        }
    }
}

/// The address the vault records for a folder, as the CLI writes it.
fn address_of(path: &Path) -> String {
    tauri::Url::from_directory_path(path)
        .map(|u| u.to_string())
        .unwrap_or_else(|()| path.display().to_string())
}

fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default()
}

/// This vault's device key (made on first use).
#[tauri::command(async)]
pub fn device_key_show(state: State<'_, AppState>) -> IpcResult<DeviceKeyView> {
    let public = with_spaces(&state, |v| Ok(spaces::device_key(v)?.public()))?;
    let line = public.line();
    let fingerprint = public.fingerprint();
    Ok(DeviceKeyView {
        grouped: casevault_core::crypto::fingerprint::grouped(&fingerprint),
        fingerprint,
        qr_svg: qr_svg(&line),
        line,
    })
}

/// The fingerprint of a pasted device key, in groups of four, to compare
/// with its owner before adding it; a damaged key is refused as
/// `key_damaged`.
#[tauri::command(async)]
pub fn device_key_check(req: DeviceKeyCheckRequest) -> IpcResult<String> {
    casevault_sync::device::DevicePublic::parse(&req.key)
        .map(|p| casevault_core::crypto::fingerprint::grouped(&p.fingerprint()))
        .map_err(sync_error)
}

fn member_view(m: MemberSummary, me: &str) -> MemberView {
    let this_device = m.fingerprint == me;
    MemberView {
        label: if this_device { None } else { m.name },
        this_device,
        fingerprint: m.fingerprint,
        grouped: m.grouped,
        admin: m.admin,
        removed: m.removed,
    }
}

fn gap_view(g: GapSummary) -> GapView {
    GapView {
        device: g.device,
        missing: g.missing,
    }
}

fn space_view(s: SpaceSummary, me: &str) -> SpaceView {
    let members: Vec<MemberView> = s.members.into_iter().map(|m| member_view(m, me)).collect();
    let admin = members
        .iter()
        .any(|m| m.this_device && m.admin && !m.removed);
    SpaceView {
        name: s.name,
        cases: s.cases,
        members,
        epoch: s.epoch,
        removed: s.removed,
        admin,
        last_sync_at: s.last_sync_at,
        gaps: s.gaps.into_iter().map(gap_view).collect(),
        conflicts: s.conflicts,
        conflict_labels: s.conflict_labels,
        unloaded: s.unloaded,
    }
}

fn overview(v: &mut Vault) -> casevault_sync::Result<TeamOverview> {
    let me = spaces::device_key(v)?.public().fingerprint();
    let list = spaces::list(v)?;
    let sync = v.sync_state()?;
    Ok(TeamOverview {
        spaces: list.into_iter().map(|s| space_view(s, &me)).collect(),
        // Addresses hold no secret (the S3 key is never in one).
        remote: sync.as_ref().map(|s| s.remote.clone()),
        last_sync_at: sync.map(|s| s.last_sync_at),
        sync_interval_minutes: v.sync_interval_minutes()?,
    })
}

/// Every space, with its members, and the last sync.
#[tauri::command(async)]
pub fn spaces_list(state: State<'_, AppState>) -> IpcResult<TeamOverview> {
    with_spaces(&state, overview)
}

/// Creates a space from cases, with this device as its admin.
#[tauri::command(async)]
pub fn space_create(
    state: State<'_, AppState>,
    req: SpaceCreateRequest,
) -> IpcResult<TeamOverview> {
    with_spaces(&state, |v| {
        spaces::create_space(v, &req.name, &req.cases)?;
        overview(v)
    })
}

/// Adds a colleague's device to a space; returns its fingerprint.
#[tauri::command(async)]
pub fn space_member_add(state: State<'_, AppState>, req: MemberAddRequest) -> IpcResult<String> {
    with_spaces(&state, |v| {
        spaces::add_member(v, &req.space, &req.key, &req.label)
    })
}

/// Removes a member; a new key epoch starts. Returns its fingerprint.
#[tauri::command(async)]
pub fn space_member_remove(
    state: State<'_, AppState>,
    req: MemberRemoveRequest,
) -> IpcResult<String> {
    with_spaces(&state, |v| {
        spaces::remove_member(v, &req.space, &req.member)
    })
}

/// Reports sync progress: the sync crate tells its steps as lines, so the
/// bar counts them against what one step per space (and the invitations
/// and the end) makes, never reaching the end before the sync does.
fn step_counter<R: Runtime>(app: &AppHandle<R>, steps: u64) -> impl FnMut(&str) + use<R> {
    let mut report = progress_reporter(app, "sync");
    let mut done = 0u64;
    report(0, steps);
    move |_line| {
        done = (done + 1).min(steps.saturating_sub(1));
        report(done, steps);
    }
}

fn report_of(outcome: SyncOutcome, v: &mut Vault) -> casevault_sync::Result<SyncReport> {
    let list = spaces::list(v)?;
    let refused = outcome
        .refused
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    Ok(SyncReport {
        sent: count(outcome.uploaded),
        received: count(outcome.received),
        applied: count(outcome.applied),
        refused,
        rejected: outcome.rejected,
        joined: outcome.joined,
        offers: outcome.pending.into_iter().map(invitation_view).collect(),
        held_back: outcome.held_back,
        conflicts: count(list.iter().map(|s| s.conflicts.len()).sum()),
        gaps: list
            .iter()
            .flat_map(|s| s.gaps.iter())
            .map(|g| g.missing)
            .sum(),
        last_sync_at: v.sync_state()?.map(|s| s.last_sync_at),
    })
}

fn invitation_view(o: Offer) -> InvitationView {
    InvitationView {
        id: o.id,
        creator: o.creator,
        creator_label: o.creator_label,
        inviter: o.inviter,
        inviter_label: o.inviter_label,
        members: count(o.members),
    }
}

/// The remote a request names or the last one, with the S3 key it needs,
/// read with the vault unlocked and released before the remote is opened.
fn place_for(state: &AppState, given: Option<&str>) -> IpcResult<(Place, Option<S3Credentials>)> {
    place_for_as(state, given, true)
}

/// [`place_for`], counted as the person's activity or not (a timed sync).
fn place_for_as(
    state: &AppState,
    given: Option<&str>,
    activity: bool,
) -> IpcResult<(Place, Option<S3Credentials>)> {
    let mut slot = if activity {
        state.slot()
    } else {
        state.slot_unattended()
    };
    let vault = slot
        .as_mut()
        .ok_or_else(|| IpcError::from(casevault_core::Error::Locked))?;
    let place = remote_place(vault, given)?;
    let credentials = place.credentials(vault)?;
    Ok((place, credentials))
}

/// Syncs every space with a folder or an S3 store: sends this vault's
/// changes and applies the members'. Invitations are not joined: they come
/// back as offers for the user to compare fingerprints and accept or
/// decline (anyone who knows this device's line can invite it to a space of
/// their own).
#[tauri::command(async)]
pub fn space_sync<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: SyncRequest,
) -> IpcResult<SyncReport> {
    let activity = req.timed != Some(true);
    let (place, credentials) = place_for_as(&state, req.remote.as_deref(), activity)?;
    with_spaces_as(&state, activity, |v| {
        let remote = place.open(credentials)?;
        let steps = count(v.spaces()?.len()) as u64 + 3;
        let mut progress = step_counter(&app, steps);
        let outcome = spaces::sync_with(
            v,
            remote.as_ref(),
            &place.address(),
            Join::Ask,
            &mut progress,
        )?;
        let report = report_of(outcome, v)?;
        progress_reporter(&app, "sync")(steps, steps);
        Ok(report)
    })
    .map_err(|e| place.error(e))
}

/// The invitations on the remote to spaces this vault does not hold and has
/// not declined.
#[tauri::command(async)]
pub fn space_invitations(
    state: State<'_, AppState>,
    req: SyncRequest,
) -> IpcResult<Vec<InvitationView>> {
    let (place, credentials) = place_for(&state, req.remote.as_deref())?;
    with_spaces(&state, |v| {
        let remote = place.open(credentials)?;
        Ok(spaces::pending_invitations(v, remote.as_ref())?
            .into_iter()
            .map(invitation_view)
            .collect())
    })
    .map_err(|e| place.error(e))
}

/// Joins the space of one invitation under the name given (checked as any
/// space name); returns that name. The view syncs next to bring its cases.
#[tauri::command(async)]
pub fn space_invitation_accept(
    state: State<'_, AppState>,
    req: InvitationAcceptRequest,
) -> IpcResult<String> {
    // The name is checked before the folder: a typo is the user's to fix
    // whatever the folder holds.
    casevault_core::vault::spaces::check_space_name(&req.name)?;
    let (place, credentials) = place_for(&state, req.remote.as_deref())?;
    with_spaces(&state, |v| {
        let remote = place.open(credentials)?;
        spaces::accept_invitation(v, remote.as_ref(), &req.offer, &req.name)
    })
    .map_err(|e| place.error(e))
}

/// Declines an invitation: it is not offered again.
#[tauri::command(async)]
pub fn space_invitation_decline(
    state: State<'_, AppState>,
    req: InvitationDeclineRequest,
) -> IpcResult<()> {
    with_spaces(&state, |v| spaces::decline_invitation(v, &req.offer))
}

/// Sets the minutes between timed syncs (0 turns them off); returns them.
#[tauri::command(async)]
pub fn sync_interval_set(state: State<'_, AppState>, req: SyncIntervalRequest) -> IpcResult<u32> {
    state.with_vault(|v| {
        v.set_sync_interval_minutes(req.minutes)?;
        v.sync_interval_minutes()
    })
}

/// The sync timer's plan: the interval, the spaces, the last folder.
#[tauri::command(async)]
pub fn sync_timer_plan(state: State<'_, AppState>) -> IpcResult<SyncTimerPlan> {
    state.with_vault(|v| {
        Ok(SyncTimerPlan {
            minutes: v.sync_interval_minutes()?,
            spaces: count(v.spaces()?.len()),
            remote: v.sync_state()?.map(|s| s.remote),
        })
    })
}

/// A member's device key line and its QR code, to show on demand (a
/// colleague scans it to check the key they hold).
#[tauri::command(async)]
pub fn space_member_key(
    state: State<'_, AppState>,
    req: MemberKeyRequest,
) -> IpcResult<DeviceKeyView> {
    let list = with_spaces(&state, spaces::list)?;
    let member = list
        .into_iter()
        .filter(|s| s.name == req.space)
        .flat_map(|s| s.members)
        .find(|m| casevault_core::crypto::fingerprint::same(&m.fingerprint, &req.fingerprint))
        .ok_or_else(|| {
            IpcError::from(casevault_core::Error::invalid(
                "member",
                casevault_core::model::problem::not_found("member", &req.fingerprint),
            ))
        })?;
    Ok(DeviceKeyView {
        grouped: member.grouped,
        fingerprint: member.fingerprint,
        qr_svg: qr_svg(&member.line),
        line: member.line,
    })
}

/// Travel mode: securely deletes a space's records from this device and
/// keeps its membership.
#[tauri::command(async)]
pub fn space_unload(state: State<'_, AppState>, req: UnloadRequest) -> IpcResult<UnloadReport> {
    with_spaces(&state, |v| {
        let done = spaces::unload_space(v, &req.space, req.discard_unsynced)?;
        Ok(UnloadReport {
            records: count(done.records),
            attachments: count(done.attachments),
            kept: done.kept,
        })
    })
}

/// Fetches an unloaded space back from a folder or an S3 store.
#[tauri::command(async)]
pub fn space_reload<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: ReloadRequest,
) -> IpcResult<SyncReport> {
    let mut slot = state.slot();
    let vault = slot
        .as_mut()
        .ok_or_else(|| IpcError::from(casevault_core::Error::Locked))?;
    // Refused before the folder is looked at, as the CLI does.
    spaces::require_unloaded(vault, &req.space).map_err(sync_error)?;
    let place = remote_place(vault, req.remote.as_deref())?;
    let credentials = place.credentials(vault)?;
    drop(slot);
    with_spaces(&state, |v| {
        let remote = place.open(credentials)?;
        let mut progress = step_counter(&app, 3);
        let outcome = spaces::reload_space(
            v,
            &req.space,
            remote.as_ref(),
            &place.address(),
            &mut progress,
        )?;
        let report = report_of(outcome, v)?;
        progress_reporter(&app, "sync")(3, 3);
        Ok(report)
    })
    .map_err(|e| place.error(e))
}

/// Which S3 key is stored, if any (never the secret).
#[tauri::command(async)]
pub fn sync_credentials_show(state: State<'_, AppState>) -> IpcResult<S3KeyView> {
    state.with_vault(|v| {
        Ok(S3KeyView {
            key_id: v.s3_key()?.map(|k| k.key_id),
        })
    })
}

/// Keeps an S3 key in the vault for syncing with an S3 store, replacing
/// any stored one. Nothing is opened: the key is tried at the next sync.
#[tauri::command(async)]
pub fn sync_credentials_set(state: State<'_, AppState>, req: S3KeyRequest) -> IpcResult<S3KeyView> {
    let mut slot = state.slot();
    let vault = slot
        .as_mut()
        .ok_or_else(|| IpcError::from(casevault_core::Error::Locked))?;
    vault
        .set_s3_key(&req.key_id, &req.secret.0)
        .map_err(with_field)?;
    Ok(S3KeyView {
        key_id: vault.s3_key()?.map(|k| k.key_id),
    })
}

/// Forgets the stored S3 key.
#[tauri::command(async)]
pub fn sync_credentials_clear(state: State<'_, AppState>) -> IpcResult<S3KeyView> {
    state.with_vault(|v| {
        v.clear_s3_key()?;
        Ok(S3KeyView { key_id: None })
    })
}

#[cfg(test)]
#[path = "team_garage_tests.rs"]
mod garage_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(e: IpcError) -> (casevault_core::ErrorCode, String) {
        let code = e.problems.first().map(|p| {
            serde_json::to_value(p.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        });
        (e.code, code.unwrap_or_default())
    }

    #[test]
    fn only_an_existing_folder_is_a_remote_here() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        assert_eq!(folder_of(&path.display().to_string()).unwrap(), path);
        let url = address_of(&path);
        assert!(url.starts_with("file:///"));
        assert_eq!(folder_of(&url).unwrap(), path);
        for (text, want) in [
            ("s3://bucket?endpoint=http://127.0.0.1:3900", "not_one_of"),
            ("https://example.org/x", "not_one_of"),
            ("file://server/share", "not_one_of"),
            ("usb/stick", "path_not_absolute"),
            ("", "path_not_absolute"),
        ] {
            let (code, p) = problem(folder_of(text).unwrap_err());
            assert_eq!(code, casevault_core::ErrorCode::InvalidInput, "{text}");
            assert_eq!(p, want, "{text}");
        }
        let missing = path.join("not-there");
        let (_, p) = problem(folder_of(&missing.display().to_string()).unwrap_err());
        assert_eq!(p, "file_missing");
    }

    #[test]
    fn a_remote_is_an_existing_folder_or_an_s3_address() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        assert_eq!(
            Place::parse(&path.display().to_string()).unwrap(),
            Place::Folder(path.clone())
        );
        let s3 = Place::parse(" s3://casevault?endpoint=http://127.0.0.1:3900 ").unwrap();
        assert_eq!(
            s3.address(),
            "s3://casevault?endpoint=http://127.0.0.1:3900&region=garage"
        );
        assert_eq!(Place::parse(&s3.address()).unwrap(), s3);
        for text in [
            // Plain http:// only to this computer.
            "s3://casevault?endpoint=http://192.0.2.1:3900",
            "s3://casevault?endpoint=https://s3.example.org&key=x",
            "s3://user:pass@casevault?endpoint=https://s3.example.org",
            "s3://casevault",
        ] {
            let e = Place::parse(text).unwrap_err();
            assert_eq!(e.code, casevault_core::ErrorCode::InvalidInput, "{text}");
            assert_eq!(
                e.params.get("sync").map(String::as_str),
                Some("invalid_remote"),
                "{text}"
            );
        }
        let (_, p) = problem(Place::parse("https://example.org/x").unwrap_err());
        assert_eq!(p, "not_one_of");
        // A folder's remote errors are not the S3 store's.
        let io = || sync_error(casevault_sync::Error::RemoteIo(std::io::Error::other("x")));
        let folder = Place::Folder(path);
        assert!(!folder.error(io()).params.contains_key("remote"));
        assert_eq!(
            s3.error(io()).params.get("remote").map(String::as_str),
            Some("s3")
        );
        let tampered = sync_error(casevault_sync::Error::Tampered("x"));
        assert!(!s3.error(tampered).params.contains_key("remote"));
    }

    #[test]
    fn sync_errors_keep_their_code_for_the_view() {
        let e = sync_error(casevault_sync::Error::Tampered("x"));
        assert_eq!(e.code, casevault_core::ErrorCode::Tampered);
        assert_eq!(e.params.get("sync").map(String::as_str), Some("tampered"));
        let e = sync_error(casevault_sync::Error::InvalidDeviceKey("x"));
        assert_eq!(e.code, casevault_core::ErrorCode::InvalidInput);
        assert_eq!(
            e.params.get("sync").map(String::as_str),
            Some("invalid_device_key")
        );
        assert_eq!(problem(e).1, "key_damaged");
        let e = sync_error(casevault_sync::Error::Vault(casevault_core::Error::Locked));
        assert_eq!(e.code, casevault_core::ErrorCode::Locked);
        assert!(!e.params.contains_key("sync"));
    }
}
