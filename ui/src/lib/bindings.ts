// Generated from the Rust IPC types (src-tauri/src/ipc.rs) by scripts/gen-bindings.
// Do not edit by hand: run `scripts/gen-bindings` after changing a command or type.
import { invoke } from "@tauri-apps/api/core";

export type AboutInfo = { 
/**
 * The app's version.
 */
app_version: string, 
/**
 * The Tauri version linked in.
 */
tauri_version: string, 
/**
 * The core's versions and crypto choices.
 */
core: CoreInfo, 
/**
 * Whether core dumps are off for this process.
 */
core_dumps_disabled: boolean, };
export type AboutMe = { 
/**
 * The name the organisation may use (a real name or a pseudonym).
 */
name: string, 
/**
 * Other names or spellings, one per line (Молдашев, Moldashev).
 */
other_names: string, 
/**
 * Citizenship, ISO 3166-1 alpha-2 ("KZ").
 */
citizenship: string, 
/**
 * Where the reporter lives now, ISO 3166-1 alpha-2.
 */
living_in: string, 
/**
 * A safe way to reach them (Signal number, e-mail), if they want.
 */
contact: string, };
export type AddReport = { 
/**
 * Records written, by kind.
 */
counts: Array<KindCount>, };
export type AmendRequest = { 
/**
 * The record, tagged with its kind.
 */
record: AnyRecord, 
/**
 * Why it changes; kept in the history.
 */
reason: string, };
export type Analysis = { 
/**
 * Incidents counted.
 */
incidents: number, 
/**
 * Cases they belong to.
 */
cases: number, 
/**
 * By act type, most first.
 */
by_act_type: Array<Count>, 
/**
 * By origin→host country pair, most first.
 */
by_route: Array<Count>, 
/**
 * By perpetrator (organisation or person name), most first.
 */
by_perpetrator: Array<Count>, 
/**
 * By year, in order.
 */
by_year: Array<Count>, 
/**
 * Every incident, earliest first (uncertain dates by their earliest
 * possible moment, unknown last).
 */
timeline: Array<TimelineItem>, };
export type AnyRecord = { "kind": "case", "record": Case } | { "kind": "person", "record": Person } | { "kind": "organisation", "record": Organisation } | { "kind": "incident", "record": Incident } | { "kind": "proceeding", "record": Proceeding } | { "kind": "source", "record": Source } | { "kind": "testimony", "record": Testimony } | { "kind": "intervention", "record": Intervention };
export type AttachFileRequest = { 
/**
 * Record id.
 */
record_id: string, 
/**
 * Full path of the file.
 */
path: string, 
/**
 * The original, when this is a redacted or converted copy.
 */
derived_from: string | null, 
/**
 * A note kept with it.
 */
note: string | null, };
export type Attachment = { 
/**
 * Attachment id.
 */
id: string, 
/**
 * The record it belongs to.
 */
record_id: string, 
/**
 * The file's name when it was attached (sanitised).
 */
original_name: string, 
/**
 * Size in bytes.
 */
size: number, 
/**
 * SHA-256 of the original bytes, lowercase hex.
 */
sha256: string, 
/**
 * Detected media type.
 */
media_type: string, 
/**
 * Capture metadata.
 */
capture: Capture, 
/**
 * When it was attached.
 */
added_at: string, 
/**
 * By whom.
 */
added_by: string, 
/**
 * The original this is a working copy of (redacted, converted).
 */
derived_from: string | null, 
/**
 * A note from whoever attached it.
 */
note: string | null, };
export type AttachmentRequest = { 
/**
 * Attachment id.
 */
id: string, };
export type AuditProblem = { 
/**
 * What kind of problem.
 */
code: AuditProblemCode, 
/**
 * The log entry concerned, when there is one.
 */
seq: number | null, 
/**
 * The record or attachment concerned.
 */
target: string | null, 
/**
 * What is wrong.
 */
problem: string, };
export type AuditProblemCode = "broken_link" | "target_missing" | "state_mismatch" | "no_entry" | "bytes_damaged" | "checkpoint_mismatch";
export type AuditReport = { 
/**
 * Entries in the log.
 */
entries: number, 
/**
 * The hash of the last entry: what a signed checkpoint records.
 */
head_hash: string, 
/**
 * The first entry whose link is broken, if any.
 */
first_broken_link: number | null, 
/**
 * Records checked against their latest entry.
 */
records_checked: number, 
/**
 * Attachments checked (their bytes decrypted and hashed).
 */
attachments_checked: number, 
/**
 * Every problem, in the order found. Empty means all is well.
 */
problems: Array<AuditProblem>, };
export type AuditRequest = { 
/**
 * Skip decrypting and hashing every attachment.
 */
quick: boolean, };
export type BackupReport = { 
/**
 * The backup file.
 */
path: string, 
/**
 * Its size.
 */
bytes: number, };
export type BackupRequest = { 
/**
 * Where the backup file goes; must not exist.
 */
path: string, };
export type BundleCreateRequest = { 
/**
 * Case ids.
 */
case_ids: Array<string>, 
/**
 * Contact ids (or public keys) to seal to; empty with a passphrase.
 */
recipients: Array<string>, 
/**
 * A one-time passphrase instead of recipients.
 */
passphrase: string | null, 
/**
 * "en" or "ru".
 */
language: Language, 
/**
 * The exporting organisation's name.
 */
organisation: string, 
/**
 * Full path of the bundle file to create.
 */
path: string, 
/**
 * What the caseworker decided in the redaction review.
 */
choices?: ExportChoices, };
export type BundleFile = { 
/**
 * Path inside the archive.
 */
path: string, 
/**
 * Size in bytes.
 */
size: number, 
/**
 * SHA-256, lowercase hex.
 */
sha256: string, 
/**
 * For evidence: its media type and capture metadata.
 */
note: string | null, 
/**
 * For an evidence copy cleaned of metadata: the SHA-256 of the
 * original at intake, which the vault keeps (`sha256` is the copy's).
 */
intake_sha256?: string | null, 
/**
 * Whether location, device and time metadata were removed from this
 * copy.
 */
metadata_removed?: boolean, };
export type BundleFilePreview = { 
/**
 * The URL the webview loads it from (served from memory).
 */
url: string, 
/**
 * Its media type, read from the bytes.
 */
media_type: string, 
/**
 * Its size in bytes.
 */
size: number, };
export type BundleFileRequest = { 
/**
 * Full path of the bundle.
 */
path: string, 
/**
 * Its passphrase, when it was sealed with one.
 */
passphrase: string | null, 
/**
 * The file's path in the bundle (`attachments/…`, as in the manifest).
 */
file: string, };
export type BundleFileSaveRequest = { 
/**
 * Full path of the bundle.
 */
path: string, 
/**
 * Its passphrase, when it was sealed with one.
 */
passphrase: string | null, 
/**
 * The file's path in the bundle.
 */
file: string, 
/**
 * Full path of the copy to create.
 */
out: string, };
export type BundleImportRequest = { 
/**
 * Full path of the bundle.
 */
path: string, 
/**
 * Its passphrase, when it was sealed with one.
 */
passphrase: string | null, 
/**
 * The bundle id shown when it was opened.
 */
bundle_id: string, 
/**
 * The signer fingerprint shown when it was opened.
 */
signer_fingerprint: string, 
/**
 * Import even though the signer is not a trusted organisation (the
 * user saw the warning and that fingerprint).
 */
accept_untrusted: boolean, };
export type BundleOpenRequest = { 
/**
 * Full path of the bundle.
 */
path: string, 
/**
 * Its passphrase, when it was sealed with one.
 */
passphrase: string | null, };
export type BundleView = { 
/**
 * What verification found.
 */
verification: Verification, 
/**
 * How many files it holds, as the sender counted them, and how they
 * were checked.
 */
counts: FileCounts, 
/**
 * Its data, to read as a dossier.
 */
data: Document, };
export type Capture = { 
/**
 * When it was taken, as the file says (EXIF DateTimeOriginal).
 */
taken_at: string | null, 
/**
 * The device (EXIF Make and Model).
 */
device: string | null, 
/**
 * Where, as the file says (EXIF GPS latitude, longitude).
 */
gps: string | null, };
export type Case = { 
/**
 * Id.
 */
id: string, 
/**
 * Short title.
 */
title: string, 
/**
 * open, monitoring or closed.
 */
status: CaseStatus, 
/**
 * The caseworker in charge.
 */
caseworker?: string, 
/**
 * low, medium, high or critical.
 */
risk?: RiskLevel, 
/**
 * Free tags.
 */
tags: Array<string>, 
/**
 * The perpetrating state (ISO 3166-1 alpha-2).
 */
origin_country?: string, 
/**
 * Where the person lives now.
 */
host_countries: Array<string>, 
/**
 * Notes.
 */
notes?: string, };
export type CaseDetail = { 
/**
 * The case.
 */
case: Case, 
/**
 * People with a role in it.
 */
persons: Array<Person>, 
/**
 * Its incidents, earliest first (uncertain dates sort by their
 * earliest possible moment).
 */
incidents: Array<Incident>, 
/**
 * Its proceedings.
 */
proceedings: Array<Proceeding>, 
/**
 * Its testimonies.
 */
testimonies: Array<Testimony>, 
/**
 * Who acted on it.
 */
interventions: Array<Intervention>, 
/**
 * Sources cited by its incidents.
 */
sources: Array<Source>, 
/**
 * Organisations named as perpetrators in its incidents.
 */
organisations: Array<Organisation>, 
/**
 * Who wrote each record and when (the case and everything above).
 */
meta: Array<RecordMeta>, 
/**
 * Its records in the trash.
 */
trash: Array<TrashedRecord>, 
/**
 * Every date in the records above taken apart, keyed by its
 * canonical text, so the screens can say them in words.
 */
dates: { [key in string]: DateView }, };
export type CaseRequest = { 
/**
 * Case id.
 */
id: string, };
export type CaseRole = { 
/**
 * The case.
 */
case: string, 
/**
 * A code from [`super::vocab::ROLES`].
 */
role: string, };
export type CaseStatus = "open" | "monitoring" | "closed";
export type CaseSummary = { 
/**
 * Case id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Status.
 */
status: CaseStatus, 
/**
 * Risk level.
 */
risk: RiskLevel | null, 
/**
 * Assigned caseworker.
 */
caseworker: string | null, 
/**
 * Origin country.
 */
origin_country: string | null, 
/**
 * Host countries.
 */
host_countries: Array<string>, 
/**
 * Tags.
 */
tags: Array<string>, 
/**
 * When the case record last changed.
 */
updated_at: string, 
/**
 * How many incidents.
 */
incidents: number, 
/**
 * How many people.
 */
persons: number, 
/**
 * Primary names and aliases of the people, for quick-find.
 */
names: Array<string>, };
export type CasesRequest = { 
/**
 * Case ids.
 */
case_ids: Array<string>, };
export type ChangePassphraseRequest = { 
/**
 * The current passphrase, asked again.
 */
current: string, 
/**
 * The new one.
 */
new_passphrase: string, };
export type Choice = { 
/**
 * Stable code, stored in the answers.
 */
code: string, 
/**
 * English label.
 */
en: string, 
/**
 * Russian label.
 */
ru: string, 
/**
 * Kazakh label.
 */
kk: string, 
/**
 * The code in [`vocab::ACT_TYPES`] the organisation records.
 */
act_type: string, };
export type ConflictChoice = { "keep": number } | "merged" | { "edited": Record<string, unknown> };
export type ConflictFieldView = { 
/**
 * The field's name in the record's data.
 */
field: string, 
/**
 * Its value in each version, in order; null where it is absent.
 */
values: Array<unknown>, 
/**
 * For each version, whether it changed the field.
 */
changed: Array<boolean>, 
/**
 * A long text (a statement, a description), shown as a line diff.
 */
long_text: boolean, 
/**
 * For a long text: its lines from the first version to the last.
 */
lines: Array<DiffLineView>, 
/**
 * Both sides changed it in overlapping ways: the merge cannot be used.
 */
conflict: boolean, };
export type ConflictResolveRequest = { 
/**
 * The space's name.
 */
space: string, 
/**
 * The record's id.
 */
record: string, 
/**
 * What to write.
 */
choice: ConflictChoice, 
/**
 * The `heads_digest` of the versions the person reviewed.
 */
heads_digest: string, };
export type ConflictVersionView = { 
/**
 * Its number, from 1, in the order every replica shows (the version
 * the vault currently shows is the last).
 */
number: number, 
/**
 * Its author's device fingerprint, grouped in fours.
 */
fingerprint: string, 
/**
 * The name this vault gave that device, if any.
 */
label: string | null, 
/**
 * This vault's own device wrote it.
 */
this_device: boolean, 
/**
 * The record's data in this version.
 */
data: Record<string, unknown>, 
/**
 * This version has the record in the trash.
 */
trashed: boolean, };
export type ConflictView = { 
/**
 * The record's id.
 */
record: string, 
/**
 * Its kind.
 */
kind: string, 
/**
 * Its versions, side by side.
 */
versions: Array<ConflictVersionView>, 
/**
 * The proposed merge's data.
 */
merged: Record<string, unknown>, 
/**
 * The fields the merge cannot settle; empty when it can be used.
 */
conflicting: Array<string>, 
/**
 * The fields the versions disagree on.
 */
fields: Array<ConflictFieldView>, 
/**
 * The record in words, for the dialog's title.
 */
label: string, 
/**
 * Names these versions; sent back with the choice, which is refused
 * (`conflict_changed`) if a sync brought another version meanwhile.
 */
heads_digest: string, };
export type ConflictsRequest = { 
/**
 * The space's name.
 */
space: string, };
export type Consent = { 
/**
 * To be recorded at all.
 */
record: boolean, 
/**
 * To be shared with lawyers.
 */
share_lawyers: boolean, 
/**
 * With courts.
 */
share_courts: boolean, 
/**
 * With UN mechanisms.
 */
share_un: boolean, 
/**
 * With media.
 */
share_media: boolean, 
/**
 * To be published.
 */
publish: boolean, 
/**
 * none (named), pseudonym, or full (anonymous).
 */
anonymity?: string, 
/**
 * When consent was withdrawn.
 */
withdrawn?: string, 
/**
 * When this consent was given (or last confirmed).
 */
given?: string, 
/**
 * Whether the person may be contacted; none when it was not asked.
 */
contact?: boolean, };
export type Contact = { 
/**
 * Contact id.
 */
id: string, 
/**
 * Their name.
 */
name: string, 
/**
 * Their organisation (a law firm, an NGO).
 */
organisation: string | null, 
/**
 * The public key, as given.
 */
recipient: string, 
/**
 * "age" or "ssh-ed25519".
 */
key_type: string, 
/**
 * The key's fingerprint, to compare out of band.
 */
fingerprint: string, 
/**
 * When the key was compared with its owner out of band.
 */
verified_on: string | null, 
/**
 * When the contact was added.
 */
added_at: string, };
export type ContactIdRequest = { 
/**
 * Contact id.
 */
id: string, };
export type ContactRequest = { 
/**
 * Their name.
 */
name: string, 
/**
 * Their organisation.
 */
organisation: string | null, 
/**
 * Their public key (age1… or ssh-ed25519 …).
 */
key: string, 
/**
 * When it was compared out of band (YYYY-MM-DD).
 */
verified_on: string | null, };
export type ContactVerifyRequest = { 
/**
 * Contact id.
 */
id: string, 
/**
 * When it was compared (YYYY-MM-DD); today when absent.
 */
on: string | null, };
export type CoreInfo = { 
/**
 * This crate's version.
 */
core_version: string, 
/**
 * The SQLCipher version, as reported by the linked library.
 */
sqlcipher_version: string, 
/**
 * The SQLite version underneath SQLCipher.
 */
sqlite_version: string, 
/**
 * The crypto provider SQLCipher uses.
 */
sqlcipher_provider: string, 
/**
 * The crypto choices.
 */
crypto: CryptoChoices, };
export type Count = { 
/**
 * What is counted (a code, a "KZ→TR" route, a name, a year).
 */
label: string, 
/**
 * How many incidents.
 */
count: number, };
export type CreateReport = { 
/**
 * The bundle's id.
 */
bundle_id: string, 
/**
 * Files inside.
 */
files: number, 
/**
 * Bytes of the bundle file.
 */
bytes: number, 
/**
 * What was held back.
 */
withheld: Array<Withheld>, 
/**
 * The signing key's fingerprint.
 */
fingerprint: string, };
export type CreateVaultRequest = { 
/**
 * The new passphrase.
 */
passphrase: string, 
/**
 * Who the vault is for; an organisation's when absent.
 */
mode: VaultMode | null, };
export type CreatedVault = { 
/**
 * Shown once, for the recovery-key ceremony.
 */
recovery_key: string, 
/**
 * The new vault.
 */
status: VaultStatus, };
export type CryptoChoices = { 
/**
 * Database encryption.
 */
database: string, 
/**
 * Passphrase key derivation.
 */
passphrase_kdf: string, 
/**
 * Key wrapping in key slots.
 */
key_wrapping: string, 
/**
 * Recovery-key derivation.
 */
recovery_kdf: string, };
export type CustodyEntry = { 
/**
 * Position in the chain, from 1.
 */
seq: number, 
/**
 * When.
 */
at: string, 
/**
 * Who.
 */
actor: string, 
/**
 * What (a [`CustodyAction`] code).
 */
action: string, 
/**
 * Which record or attachment.
 */
target: string | null, 
/**
 * "case", "person", …, or "attachment".
 */
target_kind: string | null, 
/**
 * SHA-256 of the content after this entry.
 */
digest: string | null, 
/**
 * Why, or what else is worth knowing (a reason, a file name).
 */
detail: string | null, 
/**
 * The previous entry's hash.
 */
prev_hash: string, 
/**
 * This entry's hash.
 */
hash: string, };
export type CustodyHead = { 
/**
 * Entries in the log.
 */
entries: number, 
/**
 * Hash of the last entry (also in the signed `checkpoint.txt`).
 */
head_hash: string, };
export type CustodyRequest = { 
/**
 * A record or attachment id; all entries when absent.
 */
target: string | null, };
export type DateCheck = { 
/**
 * The canonical form, when it parsed.
 */
canonical: string | null, 
/**
 * The same, taken apart, so the form can read it back in words.
 */
view: DateView | null, 
/**
 * Why it did not parse.
 */
error: string | null, 
/**
 * The same as a problem code and its parameters, which the form says
 * in the UI's language (`error` is the English).
 */
problem?: Problem, };
export type DateParts = { 
/**
 * Year.
 */
year: number, 
/**
 * Month, 1 to 12, when known.
 */
month: number | null, 
/**
 * Day of the month, when known.
 */
day: number | null, 
/**
 * Hour, when the time is known.
 */
hour: number | null, 
/**
 * Minute, when the time is known.
 */
minute: number | null, };
export type DateRequest = { 
/**
 * What the user typed.
 */
text: string, };
export type DateView = { 
/**
 * The date, or the start of the range.
 */
from: DateParts | null, 
/**
 * The end of the range.
 */
to: DateParts | null, 
/**
 * "about", "approx.".
 */
approximate: boolean, };
export type DeviceKeyCheckRequest = { 
/**
 * The line as pasted.
 */
key: string, };
export type DeviceKeyView = { 
/**
 * The public key as one line of text, to paste.
 */
line: string, 
/**
 * Its fingerprint, to match a member with.
 */
fingerprint: string, 
/**
 * The fingerprint in groups of four, to compare by phone or in person.
 */
grouped: string, 
/**
 * The line as a QR code: SVG markup made here from the line alone.
 */
qr_svg: string, };
export type DiffLineView = { 
/**
 * Which version has it.
 */
side: LineSide, 
/**
 * The line, without its line break.
 */
text: string, };
export type Document = { 
/**
 * Always [`FORMAT`].
 */
format: string, 
/**
 * Format version.
 */
version: number, 
/**
 * Cases.
 */
cases: Array<Case>, 
/**
 * Persons.
 */
persons: Array<Person>, 
/**
 * Organisations.
 */
organisations: Array<Organisation>, 
/**
 * Incidents.
 */
incidents: Array<Incident>, 
/**
 * Legal proceedings.
 */
proceedings: Array<Proceeding>, 
/**
 * Sources.
 */
sources: Array<Source>, 
/**
 * Testimonies.
 */
testimonies: Array<Testimony>, 
/**
 * Interventions (added in version 1 without a bump: older files
 * simply have none).
 */
interventions: Array<Intervention>, };
export type Draft = { 
/**
 * Which form (e.g. "testimony:case-svoik").
 */
key: string, 
/**
 * The form's fields.
 */
data: unknown, 
/**
 * When it was saved.
 */
saved_at: string, };
export type DraftRequest = { 
/**
 * Which form.
 */
key: string, };
export type DraftSaveRequest = { 
/**
 * Which form.
 */
key: string, 
/**
 * Its fields.
 */
data: unknown, };
export type ErrorCode = "vault_not_found" | "vault_exists" | "wrong_credential" | "tampered" | "vault_in_use" | "newer_version" | "weak_passphrase" | "invalid_recovery_key" | "keys_destroyed" | "locked" | "cancelled" | "invalid_input" | "import_rejected" | "not_addressed_to_you" | "untrusted_signer" | "disk_full" | "io" | "internal" | "bundle_damaged" | "report_damaged";
export type ExportChoices = { 
/**
 * Related persons to pseudonymise in this export too.
 */
extra_protected: Array<ExtraProtection>, 
/**
 * Remove location, device and time metadata from the exported copies
 * of images (the originals in the vault are untouched).
 */
strip_metadata: boolean, 
/**
 * Records (testimonies, incidents, proceedings, interventions) or
 * evidence files (attachment ids) to leave out of this export.
 */
leave_out: Array<string>, };
export type ExportPreview = { 
/**
 * Records that would leave, by kind.
 */
counts: Array<[string, number]>, 
/**
 * Evidence files that would leave, and their total size.
 */
attachments: number, 
/**
 * Total bytes of evidence.
 */
attachment_bytes: number, 
/**
 * What stays, and why.
 */
withheld: Array<Withheld>, 
/**
 * The pseudonyms protected persons will appear under.
 */
pseudonyms: Array<string>, };
export type ExtraProtection = { 
/**
 * The person's vault id.
 */
person: string, 
/**
 * The pseudonym to use in this export.
 */
pseudonym: string, };
export type FileCounts = { 
/**
 * Every file in the bundle (what the sender was told it wrote).
 */
in_bundle: number, 
/**
 * Files whose SHA-256 was checked against `SHA256SUMS`: the manifest
 * and every file it lists.
 */
hashed: number, 
/**
 * `SHA256SUMS` and `SHA256SUMS.sig`, checked by the signature.
 */
signature_files: number, 
/**
 * Evidence files among them.
 */
evidence: number, };
export type Filters = { 
/**
 * Act types (codes); an incident matches one of them.
 */
act_types: Array<string>, 
/**
 * Countries (ISO alpha-2): origin, host, third or place of an
 * incident, or the case's origin and host countries.
 */
countries: Array<string>, 
/**
 * From this date (any form a date field accepts: "2008", "March 2008").
 */
from?: string, 
/**
 * Up to this date.
 */
to?: string, 
/**
 * A perpetrator (organisation or person id).
 */
perpetrator?: string, 
/**
 * Case status.
 */
case_status?: CaseStatus, 
/**
 * Testimonies whose consent covers this audience: lawyers, courts, un,
 * media or publish.
 */
consent?: string, };
export type FindRequest = { 
/**
 * What was typed.
 */
query: string, };
export type FlagKind = "related_person" | "own_testimony" | "kinship" | "address" | "shared_first_name" | "file_metadata";
export type GapView = { 
/**
 * The device's fingerprint.
 */
device: string, 
/**
 * How many of its changes are missing.
 */
missing: number, };
export type IdentityInfo = { 
/**
 * Identity id.
 */
id: string, 
/**
 * A label ("bundles from NGOs").
 */
label: string, 
/**
 * The public key (`age1…`) to give to senders.
 */
recipient: string, 
/**
 * Its fingerprint.
 */
fingerprint: string, 
/**
 * When it was made.
 */
created_at: string, };
export type IdentityRequest = { 
/**
 * Its label.
 */
label: string, };
export type IdentityView = { 
/**
 * The identity.
 */
identity: IdentityInfo, 
/**
 * The public key as a QR code, an SVG `data:` URL for an `<img>`.
 */
qr_data_url: string, };
export type ImportFileRequest = { 
/**
 * Its full path (typed, or chosen with `path_pick`).
 */
path: string, };
export type InboxItem = { 
/**
 * The bundle's id.
 */
bundle_id: string, 
/**
 * When it arrived here.
 */
received_at: string, 
/**
 * When the reporter sealed it.
 */
sealed_at: string, 
/**
 * The reporter key's fingerprint.
 */
reporter_fingerprint: string, 
/**
 * The name the reporter gave, or their pseudonym.
 */
reporter_name: string, 
/**
 * What happened, in a line.
 */
summary: string, 
/**
 * Evidence files.
 */
files: number, 
/**
 * Where it stands.
 */
status: IntakeStatus, 
/**
 * The case it was accepted into.
 */
case_id: string | null, 
/**
 * Why it was rejected.
 */
reason: string | null, 
/**
 * When it was decided (RFC 3339, UTC), for the reader's calendar.
 */
decided_at: string | null, 
/**
 * Who decided it.
 */
decided_by: string | null, 
/**
 * Earlier reports signed with the same key.
 */
earlier_reports: number, };
export type Incident = { 
/**
 * Id.
 */
id: string, 
/**
 * The case it belongs to.
 */
case: string, 
/**
 * Short title.
 */
title: string, 
/**
 * A code from [`super::vocab::ACT_TYPES`].
 */
act_type: string, 
/**
 * When it started (or happened).
 */
start: string, 
/**
 * When it ended, for things that lasted.
 */
end?: string, 
/**
 * IANA time zone or UTC offset, where known.
 */
timezone?: string, 
/**
 * Where.
 */
place: Place, 
/**
 * The perpetrating state.
 */
origin_state?: string, 
/**
 * Where the victim lived.
 */
host_state?: string, 
/**
 * Transit or lure countries.
 */
third_states: Array<string>, 
/**
 * What happened.
 */
description: string, 
/**
 * Victims (person ids).
 */
victims: Array<string>, 
/**
 * Alleged perpetrators.
 */
perpetrators: Array<Perpetrator>, 
/**
 * Witnesses (person ids).
 */
witnesses: Array<string>, 
/**
 * Sources (source ids).
 */
sources: Array<string>, 
/**
 * Related incidents.
 */
related: Array<string>, };
export type IntakeAcceptRequest = { 
/**
 * Bundle id.
 */
bundle_id: string, 
/**
 * An existing case, or null for a new one.
 */
case_id: string | null, 
/**
 * The existing person who is the reporter, or null for a new person.
 */
person_id: string | null, };
export type IntakeFileRequest = { 
/**
 * Full path of the sealed report.
 */
path: string, };
export type IntakeIdRequest = { 
/**
 * Bundle id.
 */
bundle_id: string, };
export type IntakeRejectRequest = { 
/**
 * Bundle id.
 */
bundle_id: string, 
/**
 * Why.
 */
reason: string, };
export type IntakeReview = { 
/**
 * The inbox entry.
 */
item: InboxItem, 
/**
 * The report as records.
 */
data: Document, 
/**
 * The answers and files, as the reporter gave them.
 */
report: SealedReport, 
/**
 * Other reports signed with the same key, oldest first.
 */
same_reporter: Array<InboxItem>, 
/**
 * Cases earlier reports from this reporter went into.
 */
reporter_cases: Array<string>, 
/**
 * Persons already in the vault whose names match the reporter's.
 */
person_matches: Array<PersonHit>, };
export type IntakeStatus = "pending" | "accepted" | "rejected";
export type Intervention = { 
/**
 * Id.
 */
id: string, 
/**
 * The case.
 */
case: string, 
/**
 * A code from [`super::vocab::INTERVENTION_ACTORS`].
 */
actor_kind: string, 
/**
 * Who exactly (a name, an office, a mandate).
 */
actor?: string, 
/**
 * When it was made.
 */
date?: string, 
/**
 * What was asked.
 */
request: string, 
/**
 * What came back.
 */
response?: string, 
/**
 * A code from [`super::vocab::INTERVENTION_STATUSES`].
 */
status: string, };
export type InvitationAcceptRequest = { 
/**
 * The invitation's id.
 */
offer: string, 
/**
 * What to call the space here.
 */
name: string, 
/**
 * The folder it is on; none for the last one used.
 */
remote: string | null, };
export type InvitationDeclineRequest = { 
/**
 * The invitation's id.
 */
offer: string, };
export type InvitationView = { 
/**
 * Its id, to accept or decline it.
 */
id: string, 
/**
 * The space creator's fingerprint, grouped.
 */
creator: string, 
/**
 * The name this vault gave the creator's device, if any.
 */
creator_label: string | null, 
/**
 * The fingerprint of the admin who added this device, grouped.
 */
inviter: string, 
/**
 * The name this vault gave the inviting admin's device, if any.
 */
inviter_label: string | null, 
/**
 * Its current members, this device included.
 */
members: number, };
export type IpcError = { 
/**
 * Stable error code.
 */
code: ErrorCode, 
/**
 * Human-readable message (English; the UI translates by code).
 */
message: string, 
/**
 * Parameters of the code's message (`attempts_left`), by name.
 */
params: { [key in string]: string }, 
/**
 * For a rejected import or record: every problem, as data.
 */
problems: Array<Problem>, };
export type KeyCheck = { 
/**
 * The key, normalised.
 */
key: string, 
/**
 * "age" or "ssh-ed25519".
 */
kind: string, 
/**
 * Its fingerprint.
 */
fingerprint: string, };
export type KeyCheckRequest = { 
/**
 * The key as pasted.
 */
key: string, };
export type KeyDate = { 
/**
 * "charged", "sentenced", "notice issued", "deleted"…
 */
label: string, 
/**
 * When.
 */
date: string, };
export type KeyFileRequest = { 
/**
 * Full path of the file.
 */
path: string, };
export type KindCount = { 
/**
 * Record kind.
 */
kind: string, 
/**
 * How many.
 */
count: number, };
export type Language = "en" | "ru" | "kk";
export type LineSide = "both" | "left" | "right";
export type LockSettings = { 
/**
 * Lock after this many idle minutes (1–240).
 */
idle_lock_minutes: number, 
/**
 * Destroy the key slots after this many failed unlocks (3–100), or never.
 */
wipe_after_failed_unlocks: number | null, };
export type Manifest = { 
/**
 * Always [`FORMAT`].
 */
format: string, 
/**
 * Manifest version.
 */
version: number, 
/**
 * Random id of this bundle.
 */
bundle_id: string, 
/**
 * "case-export", or "self-report" (sealed by an activist for intake).
 */
kind: string, 
/**
 * When it was written.
 */
created_at: string, 
/**
 * The dossier's language.
 */
language: Language, 
/**
 * Who exported it.
 */
organisation: OrgInfo, 
/**
 * The cases it holds (ids as in the bundle).
 */
case_ids: Array<string>, 
/**
 * What was held back or pseudonymised.
 */
redaction: RedactionReport, 
/**
 * The custody log's head at export.
 */
custody: CustodyHead, 
/**
 * Every file except `manifest.json`, `SHA256SUMS` and its signature.
 */
files: Array<BundleFile>, };
export type MemberAddRequest = { 
/**
 * The space's name.
 */
space: string, 
/**
 * The device key line the colleague's vault shows.
 */
key: string, 
/**
 * What to call them here.
 */
label: string, };
export type MemberKeyRequest = { 
/**
 * The space's name.
 */
space: string, 
/**
 * The member's fingerprint.
 */
fingerprint: string, };
export type MemberRemoveRequest = { 
/**
 * The space's name.
 */
space: string, 
/**
 * The member's fingerprint (or its name here).
 */
member: string, };
export type MemberView = { 
/**
 * The device's fingerprint (`SHA256:…`), to match on.
 */
fingerprint: string, 
/**
 * The same in groups of four, to show and read aloud.
 */
grouped: string, 
/**
 * The name this vault gave it; none for this device.
 */
label: string | null, 
/**
 * This vault's own device.
 */
this_device: boolean, 
/**
 * It may add and remove members.
 */
admin: boolean, 
/**
 * It was removed.
 */
removed: boolean, };
export type MergeRequest = { 
/**
 * The person who stays.
 */
keep: string, 
/**
 * The person merged into them (goes to the trash).
 */
other: string, 
/**
 * Why they are the same person.
 */
reason: string, };
export type NameKind = "primary" | "alias" | "transliteration" | "passport" | "former" | "original_script";
export type NameMatch = "exact" | "variant" | "fuzzy";
export type OrgInfo = { 
/**
 * The organisation's name as the exporter gave it.
 */
name: string, 
/**
 * `SHA256:…` of its signing key.
 */
fingerprint: string, 
/**
 * The signing key, OpenSSH format. Trust comes from comparing the
 * fingerprint out of band, never from this field.
 */
public_key: string, };
export type OrgPublicKey = { 
/**
 * `ssh-ed25519 AAAA… casevault-org`.
 */
openssh: string, 
/**
 * `SHA256:…`.
 */
fingerprint: string, };
export type Organisation = { 
/**
 * Id.
 */
id: string, 
/**
 * Name.
 */
name: string, 
/**
 * A code from [`super::vocab::ORGANISATION_KINDS`].
 */
kind: string, 
/**
 * Country (ISO 3166-1 alpha-2).
 */
country?: string, };
export type PassphraseRequest = { 
/**
 * The passphrase.
 */
passphrase: string, };
export type PathCheck = { 
/**
 * A full path: a command taking a file or folder accepts it.
 */
ok: boolean, 
/**
 * Refused because it starts with `~`, which nothing here expands: the
 * field says so rather than only "give the full path".
 */
tilde: boolean, };
export type PathCheckRequest = { 
/**
 * The text of the path field.
 */
path: string, };
export type Perpetrator = { 
/**
 * A person id, or…
 */
person?: string, 
/**
 * …an organisation id.
 */
organisation?: string, 
/**
 * A code from [`super::vocab::INVOLVEMENT`].
 */
involvement: string, 
/**
 * A code from [`super::vocab::ATTRIBUTION`].
 */
attribution: string, };
export type Person = { 
/**
 * Id.
 */
id: string, 
/**
 * Names: exactly one primary, then aliases and spellings.
 */
names: Array<PersonName>, 
/**
 * Birth date, possibly partial.
 */
birth_date?: string, 
/**
 * Citizenships (ISO 3166-1 alpha-2).
 */
citizenships: Array<string>, 
/**
 * Occupation.
 */
occupation?: string, 
/**
 * Affiliation (party, movement, employer).
 */
affiliation?: string, 
/**
 * activist, journalist, former official, minority…
 */
target_category?: string, 
/**
 * refugee, asylum seeker, citizen…
 */
host_status?: string, 
/**
 * Shown only under the pseudonym outside the vault.
 */
protected: boolean, 
/**
 * Required when protected.
 */
pseudonym?: string, 
/**
 * Relationships to other persons.
 */
relationships: Array<Relationship>, 
/**
 * Roles per case.
 */
case_roles: Array<CaseRole>, };
export type PersonHit = { 
/**
 * Person id.
 */
id: string, 
/**
 * Every name, primary first.
 */
names: Array<string>, 
/**
 * The name that matched best.
 */
matched: string, 
/**
 * How it matched.
 */
how: NameMatch, 
/**
 * The cases the person has a role in.
 */
cases: Array<string>, };
export type PersonName = { 
/**
 * The name as written, in any script.
 */
name: string, 
/**
 * primary, alias, transliteration, passport, former, original_script.
 */
kind: NameKind, };
export type PickPathRequest = { 
/**
 * "open" to choose a file to attach, "save" to choose where a copy goes,
 * "folder" to choose a folder (the sync folder).
 */
purpose: string, 
/**
 * The file name suggested when saving.
 */
suggested_name: string | null, };
export type Place = { 
/**
 * As described.
 */
text?: string, 
/**
 * City.
 */
city?: string, 
/**
 * Country (ISO 3166-1 alpha-2).
 */
country?: string, };
export type Preview = { 
/**
 * The URL the webview loads it from (served from memory).
 */
url: string, 
/**
 * What is known about it.
 */
attachment: Attachment, };
export type Problem = { 
/**
 * The record kind ("incident"), or "" for the file.
 */
record: string, 
/**
 * The record's id, or "".
 */
id: string, 
/**
 * The field, as a path ("perpetrators.attribution"), or "".
 */
field: string, 
/**
 * What is wrong.
 */
code: ProblemCode, 
/**
 * The values the message needs, by name (see [`ProblemCode`]).
 */
params: { [key in string]: string }, };
export type ProblemCode = "id_format" | "id_duplicate_in_file" | "id_exists_in_vault" | "reference_trashed" | "reference_wrong_kind" | "reference_missing" | "required" | "too_long" | "too_large" | "not_a_country" | "primary_name_count" | "pseudonym_required" | "unknown_term" | "end_before_start" | "perpetrator_kind" | "reliability_range" | "credibility_range" | "anonymity_level" | "request_required" | "refused_character" | "file_too_large" | "file_not_utf8" | "file_not_json" | "file_wrong_format" | "file_wrong_shape" | "report_answer" | "not_found" | "kind_cannot_change" | "reason_required" | "same_person" | "not_one_of" | "in_trash" | "already_in_trash" | "not_in_trash" | "space_name" | "space_exists" | "member_name" | "case_in_other_space" | "refused_from_member" | "space_unloaded" | "space_loaded" | "space_unsynced" | "not_in_conflict" | "merge_overlaps" | "conflict_changed" | "restore_references_first" | "still_referred_to" | "left_out_still_referred" | "unchanged" | "no_intake_key" | "no_identity" | "not_a_self_report" | "not_a_case_export" | "not_a_bundle" | "bundle_needs_passphrase" | "bundle_needs_key" | "already_received" | "bundle_changed_since_review" | "report_already_accepted" | "report_already_rejected" | "preview_too_large" | "metadata_not_removable" | "no_case_chosen" | "no_recipient" | "key_damaged" | "key_required" | "key_is_secret" | "key_unsupported" | "secret_key_invalid" | "key_already_present" | "length_range" | "draft_key_format" | "kind_format" | "out_of_range" | "file_missing" | "file_is_folder" | "file_unreadable" | "file_not_text" | "file_too_big_for_kind" | "file_grew" | "attachment_too_large" | "too_many_files" | "not_mvt" | "not_a_questionnaire" | "mode_fixed" | "path_not_utf8" | "path_not_absolute" | "not_a_checkpoint" | "query_syntax" | "entries_differ" | "no_terminal" | "not_both" | "either_option" | "protect_format" | "date_year_range" | "date_day_needs_month" | "date_time_needs_day" | "date_no_such_day" | "date_time_range" | "date_range_reversed" | "date_unreadable" | "date_no_year" | "date_format";
export type Proceeding = { 
/**
 * Id.
 */
id: string, 
/**
 * The case.
 */
case: string, 
/**
 * A code from [`super::vocab::PROCEEDING_KINDS`].
 */
kind: string, 
/**
 * The state that acts (prosecutes, requests).
 */
requesting_state?: string, 
/**
 * The state asked to act.
 */
requested_state?: string, 
/**
 * Court or authority.
 */
authority?: string, 
/**
 * Case or notice number.
 */
reference?: string, 
/**
 * Charges.
 */
charges: Array<string>, 
/**
 * Key dates.
 */
dates: Array<KeyDate>, 
/**
 * Outcome in words ("20 years in absentia", "extradition refused").
 */
outcome?: string, 
/**
 * Codes from [`super::vocab::LEGAL_GROUNDS`].
 */
legal_grounds: Array<string>, 
/**
 * Related incidents.
 */
incidents: Array<string>, 
/**
 * Persons concerned.
 */
persons: Array<string>, };
export type ProgressEvent = { 
/**
 * Which task ("backup", …).
 */
task: string, 
/**
 * Units done.
 */
done: number, 
/**
 * Units in all.
 */
total: number, };
export type RecordAttachmentsRequest = { 
/**
 * Record id.
 */
record_id: string, };
export type RecordCount = { 
/**
 * Record kind.
 */
kind: string, 
/**
 * How many.
 */
count: number, };
export type RecordMeta = { 
/**
 * Record id.
 */
id: string, 
/**
 * Record kind.
 */
kind: string, 
/**
 * Current version, from 1.
 */
version: number, 
/**
 * When it was created.
 */
created_at: string, 
/**
 * Who created it.
 */
created_by: string, 
/**
 * When it last changed.
 */
updated_at: string, 
/**
 * Who changed it last.
 */
updated_by: string, };
export type RecordRequest = { 
/**
 * Record id.
 */
id: string, };
export type RecordVersion = { 
/**
 * Version number, from 1.
 */
version: number, 
/**
 * The data as of this version.
 */
data: unknown, 
/**
 * When.
 */
changed_at: string, 
/**
 * By whom.
 */
changed_by: string, 
/**
 * Why ("created", "imported", the amendment's reason, "trashed: …", "restored").
 */
note: string | null, };
export type RecoverRequest = { 
/**
 * The recovery key.
 */
recovery_key: string, 
/**
 * The new passphrase.
 */
new_passphrase: string, };
export type RecoveryKeyRequest = { 
/**
 * As typed; groups and case do not matter.
 */
recovery_key: string, };
export type RedactionReport = { 
/**
 * The profile applied.
 */
profile: string, 
/**
 * Records held back.
 */
withheld: Array<Withheld>, 
/**
 * How many protected persons appear only under a pseudonym.
 */
pseudonymised: number, 
/**
 * How many ids were renamed because they contained a protected name.
 */
ids_renamed: number, };
export type RedactionReview = { 
/**
 * Passages where names were replaced.
 */
passages: Array<ReviewPassage>, 
/**
 * What may still identify a protected person.
 */
flags: Array<ReviewFlag>, 
/**
 * Records held back (with vault ids, for this screen only).
 */
withheld: Array<Withheld>, 
/**
 * Evidence files that leave.
 */
files: Array<ReviewFile>, 
/**
 * Records that leave, each of which may be left out.
 */
records: Array<ReviewRecord>, 
/**
 * How many persons leave only under a pseudonym.
 */
pseudonymised: number, };
export type RekeyRequest = { 
/**
 * The current passphrase, asked again; it stays the passphrase.
 */
passphrase: string, };
export type RekeyResult = { 
/**
 * The new recovery key, shown once for the ceremony; the old one no
 * longer opens the vault.
 */
recovery_key: string, 
/**
 * How many encrypted files were re-encrypted.
 */
files: number, };
export type Relationship = { 
/**
 * The other person.
 */
person: string, 
/**
 * In words: "brother", "colleague", "bodyguard".
 */
relation: string, };
export type ReloadRequest = { 
/**
 * The space's name.
 */
space: string, 
/**
 * The folder or S3 address to fetch it from; none for the last one
 * used.
 */
remote: string | null, };
export type ReportAttachRequest = { 
/**
 * Report id.
 */
id: string, 
/**
 * Full path of the file.
 */
path: string, 
/**
 * "file", or "mvt" for a mobile verification toolkit report.
 */
kind: string, };
export type ReportConsent = { 
/**
 * The organisation may record the report (required to seal).
 */
record: boolean, 
/**
 * It may share it with lawyers acting for the reporter.
 */
share_lawyers: boolean, 
/**
 * With UN mechanisms.
 */
share_un: boolean, 
/**
 * The organisation may contact the reporter.
 */
contact_me: boolean, 
/**
 * Appear under a pseudonym outside the organisation.
 */
pseudonym_only: boolean, };
export type ReportFile = { 
/**
 * File id.
 */
id: string, 
/**
 * Its name when attached (sanitised).
 */
original_name: string, 
/**
 * Size in bytes.
 */
size: number, 
/**
 * SHA-256 of the bytes, lowercase hex.
 */
sha256: string, 
/**
 * Detected media type.
 */
media_type: string, 
/**
 * Capture metadata the file carried.
 */
capture: Capture, 
/**
 * When it was attached.
 */
added_at: string, 
/**
 * "file", or "mvt" for a mobile verification toolkit report.
 */
kind: string, 
/**
 * What the file says, for an MVT report.
 */
note: string | null, };
export type ReportFileRequest = { 
/**
 * Report id.
 */
id: string, 
/**
 * File id.
 */
file_id: string, };
export type ReportIdRequest = { 
/**
 * Report id.
 */
id: string, };
export type ReportNameCheckRequest = { 
/**
 * Report id.
 */
id: string, 
/**
 * The sealed file's full path or name, as typed.
 */
path: string, };
export type ReportProblem = { 
/**
 * The step (one of [`STEPS`]).
 */
step: string, 
/**
 * The field.
 */
field: string, 
/**
 * What to do.
 */
message: string, 
/**
 * The same as a code and parameters, where the app's words come from
 * the core's refusal (an unreadable date); `message` is the English.
 */
problem?: Problem, };
export type ReportSaveRequest = { 
/**
 * Report id.
 */
id: string, 
/**
 * The answers.
 */
answers: SelfReport, };
export type ReportSealRequest = { 
/**
 * Report id.
 */
id: string, 
/**
 * The organisation: a contact id, or its intake key itself.
 */
recipient: string, 
/**
 * The dossier's language.
 */
language: Language, 
/**
 * Full path of the sealed file to create.
 */
path: string, };
export type ReportSummary = { 
/**
 * Report id.
 */
id: string, 
/**
 * Started.
 */
created_at: string, 
/**
 * Last saved.
 */
updated_at: string, 
/**
 * Files attached.
 */
files: number, 
/**
 * When it was last sealed, if ever.
 */
last_sealed_at: string | null, };
export type ReviewFile = { 
/**
 * Attachment id.
 */
attachment_id: string, 
/**
 * The file's name in the vault.
 */
name: string, 
/**
 * The name it will have in the bundle.
 */
name_in_bundle: string, 
/**
 * Its media type.
 */
media_type: string, 
/**
 * GPS position, if the file carries one.
 */
gps?: string, 
/**
 * Device, if the file names one.
 */
device?: string, 
/**
 * Capture time, if the file has one.
 */
taken_at?: string, 
/**
 * Whether Casevault can remove the metadata from the exported copy.
 */
strippable: boolean, };
export type ReviewFlag = { 
/**
 * What it is.
 */
kind: FlagKind, 
/**
 * The record it was found in (vault id), if any.
 */
record_id?: string, 
/**
 * The record's kind.
 */
record_kind?: string, 
/**
 * The field.
 */
field?: string, 
/**
 * The passage as it would leave.
 */
context: string, 
/**
 * The protected person it concerns (their pseudonym), if known.
 */
concerns?: string, 
/**
 * A related person the caseworker can pseudonymise too (vault id).
 */
person?: string, 
/**
 * That person's name and relation, for the screen.
 */
person_label?: string, };
export type ReviewPassage = { 
/**
 * The record's kind ("testimony").
 */
record_kind: string, 
/**
 * Its id in the vault (for the caseworker's screen only).
 */
record_id: string, 
/**
 * The field ("statement", "names[0].name").
 */
field: string, 
/**
 * The passage before redaction.
 */
before: string, 
/**
 * The same passage as it leaves.
 */
after: string, };
export type ReviewRecord = { 
/**
 * "testimony", "incident", "proceeding" or "intervention".
 */
kind: string, 
/**
 * Its vault id (the id to put in `ExportChoices::leave_out`).
 */
id: string, 
/**
 * Which record it is, in words ([`redact::record_label`]).
 */
label: string, };
export type ReviewRequest = { 
/**
 * Case ids.
 */
case_ids: Array<string>, 
/**
 * Related persons to pseudonymise in this export as well.
 */
extra_protected?: Array<ExtraProtection>, };
export type RiskLevel = "low" | "medium" | "high" | "critical";
export type S3KeyRequest = { 
/**
 * The key id.
 */
key_id: string, 
/**
 * The secret key; kept in the vault, never shown again.
 */
secret: string, };
export type S3KeyView = { 
/**
 * The stored key's id, or none.
 */
key_id: string | null, };
export type SaveCopyRequest = { 
/**
 * Attachment id.
 */
id: string, 
/**
 * Full path of the file to create.
 */
path: string, };
export type SealReport = { 
/**
 * The bundle's id.
 */
bundle_id: string, 
/**
 * Bytes of the bundle file.
 */
bytes: number, 
/**
 * Files inside.
 */
files: number, 
/**
 * The fingerprint of the one-time key that signed it (a new key for
 * every seal; the key itself is gone).
 */
reporter_fingerprint: string, 
/**
 * The fingerprint of the intake key it was sealed to.
 */
sealed_to: string, };
export type SealedFile = { 
/**
 * Path inside the bundle.
 */
path: string, 
/**
 * The file as it was attached.
 */
file: ReportFile, };
export type SealedReport = { 
/**
 * Always [`REPORT_FORMAT`].
 */
format: string, 
/**
 * Version of this file.
 */
version: number, 
/**
 * The report's id in the reporter's vault (random).
 */
report_id: string, 
/**
 * The answers.
 */
answers: SelfReport, 
/**
 * The files.
 */
files: Array<SealedFile>, };
export type SearchHit = { 
/**
 * Record id.
 */
record_id: string, 
/**
 * Record kind.
 */
kind: string, 
/**
 * The case it belongs to (the first, for a person in several).
 */
case_id: string | null, 
/**
 * That case's title.
 */
case_title: string | null, 
/**
 * The record's title (or names, or citation).
 */
title: string, 
/**
 * Where the query matched, with the matches marked.
 */
snippet: Array<SnippetPart>, 
/**
 * The person the record is about or by, for a result title
 * ("Testimony of Ainur Kurmanov"): a testimony's witness, a person's
 * primary name.
 */
person_name: string | null, 
/**
 * The record's date, taken apart for display ("12 March 2012",
 * "March 2008", "about 1997"): a testimony's interview, an incident's
 * start, an intervention's date.
 */
date: DateView | null, 
/**
 * False when the record was found only through another form, script
 * or spelling of the words (a stem, a romanisation, a place's other
 * name); such results rank after exact ones.
 */
exact: boolean, };
export type SearchRequest = { 
/**
 * Words, "a phrase", or a prefix*.
 */
text: string, 
/**
 * Filters.
 */
filters: Filters, 
/**
 * How many results.
 */
limit: number, };
export type SearchResults = { 
/**
 * The results, best first.
 */
hits: Array<SearchHit>, 
/**
 * True when there were more than were returned.
 */
truncated: boolean, };
export type Section = { 
/**
 * Whether this happened.
 */
happened: boolean | null, 
/**
 * What it was: the code of one of the section's [`section_choices`].
 */
act_type: string, 
/**
 * When, as precisely as known ("March 2008", "approx. 22:30 on 1 May 2023").
 */
when: string, 
/**
 * Where (city, address, or "online").
 */
place: string, 
/**
 * The country where it happened, ISO 3166-1 alpha-2.
 */
country: string, 
/**
 * What happened, in their words.
 */
details: string, 
/**
 * Who they think was behind it.
 */
who: string, 
/**
 * Why they think so.
 */
why: string, };
export type SelfReport = { 
/**
 * The step the reporter was on, to resume there.
 */
step: number, 
/**
 * The language the answers are written in (ISO 639-1: "ru", "en", "kk").
 */
language: string, 
/**
 * About the reporter.
 */
about_me: AboutMe, 
/**
 * The main event.
 */
what_happened: Section, 
/**
 * Pressure on relatives back home.
 */
relatives: Section, 
/**
 * Digital signs: phishing, account takeover, spyware warnings.
 */
digital: Section, 
/**
 * Travel and document problems.
 */
travel: Section, 
/**
 * Wanted notices, summonses, extradition requests.
 */
notices: Section, 
/**
 * Consent.
 */
consent: ReportConsent, };
export type SlotKind = "passphrase" | "recovery";
export type SlotSummary = { 
/**
 * What opens it.
 */
kind: SlotKind, 
/**
 * Its KDF, in words.
 */
kdf: string, };
export type SnippetPart = { 
/**
 * The text.
 */
text: string, 
/**
 * Whether it matched.
 */
hit: boolean, };
export type Source = { 
/**
 * Id.
 */
id: string, 
/**
 * A code from [`super::vocab::SOURCE_TYPES`].
 */
source_type: string, 
/**
 * Citation.
 */
citation: string, 
/**
 * When it was accessed.
 */
accessed?: string, 
/**
 * Reliability of the source, A (reliable) to F (cannot be judged).
 */
reliability?: string, 
/**
 * Credibility of the information, 1 (confirmed) to 6 (cannot be judged).
 */
credibility?: number, };
export type SpaceCreateRequest = { 
/**
 * Its name.
 */
name: string, 
/**
 * The cases it shares, by id.
 */
cases: Array<string>, };
export type SpaceView = { 
/**
 * Its name.
 */
name: string, 
/**
 * Its cases, by id.
 */
cases: Array<string>, 
/**
 * Its members, removed ones included.
 */
members: Array<MemberView>, 
/**
 * The current key epoch.
 */
epoch: number, 
/**
 * This device was removed from it.
 */
removed: boolean, 
/**
 * This device is one of its admins (and may change its members).
 */
admin: boolean, 
/**
 * When it last synced (RFC 3339).
 */
last_sync_at: string | null, 
/**
 * Changes found missing at the last sync.
 */
gaps: Array<GapView>, 
/**
 * Records with concurrent edits awaiting review, by id.
 */
conflicts: Array<string>, 
/**
 * Each of those records in words, in the same order.
 */
conflict_labels: Array<string>, 
/**
 * Unloaded from this device (travel mode).
 */
unloaded: boolean, };
export type StepChoices = { 
/**
 * The screen's code: a questionnaire step, "review" or "seal".
 */
step: string, 
/**
 * The answers, in the reporter's words, each with the act type it
 * stands for; empty for screens without the question.
 */
choices: Array<Choice>, };
export type StoredReport = { 
/**
 * The list entry.
 */
summary: ReportSummary, 
/**
 * The answers so far.
 */
answers: SelfReport, 
/**
 * The files.
 */
files: Array<ReportFile>, };
export type Strength = { 
/**
 * zxcvbn score, 0 (weakest) to 4.
 */
score: number, 
/**
 * Whether the vault will accept it.
 */
acceptable: boolean, 
/**
 * zxcvbn's warning, in English.
 */
warning: string | null, 
/**
 * zxcvbn's suggestions, in English.
 */
suggestions: Array<string>, };
export type SyncIntervalRequest = { 
/**
 * Minutes between timed syncs (0 turns them off).
 */
minutes: number, };
export type SyncReport = { 
/**
 * This vault's changes written to the folder.
 */
sent: number, 
/**
 * Members' changes verified and received.
 */
received: number, 
/**
 * Records written into this vault.
 */
applied: number, 
/**
 * Objects refused and never applied (damaged, forged, or sealed
 * under a key this device does not hold), by the sync crate's code.
 */
refused: Array<string>, 
/**
 * Received changes this vault's checks refused; tried again next time.
 */
rejected: Array<string>, 
/**
 * Spaces joined through an invitation.
 */
joined: Array<string>, 
/**
 * Invitations found and not joined, for the user to judge.
 */
offers: Array<InvitationView>, 
/**
 * Records not sent because they also belong to a case outside the space.
 */
held_back: Array<string>, 
/**
 * Records with concurrent edits awaiting review, over every space.
 */
conflicts: number, 
/**
 * Changes of members found missing on the folder, over every space.
 */
gaps: number, 
/**
 * When this sync ended (RFC 3339).
 */
last_sync_at: string | null, };
export type SyncRequest = { 
/**
 * A folder (`file:///PATH` or a full path) or a bucket on an S3 store
 * (`s3://BUCKET?endpoint=URL`); none for the last one used.
 */
remote: string | null, 
/**
 * Started by the Team view's timer, not by the person: not counted
 * as activity by the backend's idle lock.
 */
timed?: boolean, };
export type SyncTimerPlan = { 
/**
 * Minutes between timed syncs; 0 is off.
 */
minutes: number, 
/**
 * How many spaces this vault holds.
 */
spaces: number, 
/**
 * The remote last synced with (a folder or an S3 store).
 */
remote: string | null, };
export type TeamOverview = { 
/**
 * The spaces of this vault.
 */
spaces: Array<SpaceView>, 
/**
 * The folder or S3 address last synced with.
 */
remote: string | null, 
/**
 * When this vault last synced (RFC 3339).
 */
last_sync_at: string | null, 
/**
 * Minutes between timed syncs while the vault is unlocked; 0 is off.
 */
sync_interval_minutes: number, };
export type TermDto = { 
/**
 * Stable code.
 */
code: string, 
/**
 * English label.
 */
en: string, 
/**
 * Russian label.
 */
ru: string, 
/**
 * Kazakh label.
 */
kk: string, 
/**
 * Group, for grouped vocabularies.
 */
group: string | null, };
export type Testimony = { 
/**
 * Id.
 */
id: string, 
/**
 * The case.
 */
case: string, 
/**
 * Who gave it.
 */
person: string, 
/**
 * Language (BCP 47, e.g. "ru", "kk", "en").
 */
language: string, 
/**
 * When the interview took place.
 */
interview_date?: string, 
/**
 * Where.
 */
interview_place?: string, 
/**
 * in person, video, phone, written.
 */
mode?: string, 
/**
 * Who interviewed.
 */
interviewer?: string, 
/**
 * Who interpreted.
 */
interpreter?: string, 
/**
 * The statement.
 */
statement: string, 
/**
 * Consent.
 */
consent: Consent, };
export type TimelineItem = { 
/**
 * Incident id.
 */
incident_id: string, 
/**
 * Its case.
 */
case_id: string, 
/**
 * The case's title.
 */
case_title: string, 
/**
 * The incident's title.
 */
title: string, 
/**
 * Act type code.
 */
act_type: string, 
/**
 * The date as recorded (canonical form).
 */
start: string, 
/**
 * The same, taken apart for display.
 */
date: DateView, 
/**
 * The year it starts in, when known.
 */
year: number | null, };
export type TrashRequest = { 
/**
 * Record id.
 */
id: string, 
/**
 * Why; kept in the history.
 */
reason: string, };
export type TrashedRecord = { 
/**
 * Record id.
 */
id: string, 
/**
 * Record kind.
 */
kind: string, 
/**
 * Its data as trashed.
 */
data: unknown, 
/**
 * When.
 */
trashed_at: string, 
/**
 * By whom.
 */
trashed_by: string, 
/**
 * Why.
 */
reason: string, };
export type UiPrefs = { 
/**
 * "en", "ru" or "kk" (Kazakh: the self-report screens; the rest falls back to English).
 */
language: string, };
export type UnloadReport = { 
/**
 * Records securely deleted from this vault.
 */
records: number, 
/**
 * Evidence files securely deleted.
 */
attachments: number, 
/**
 * Records kept because a case outside the space needs them, by id.
 */
kept: Array<string>, };
export type UnloadRequest = { 
/**
 * The space's name.
 */
space: string, 
/**
 * Delete even changes not yet on the remote (the user chose so after
 * being told how many).
 */
discard_unsynced: boolean, };
export type VaultMode = "organisation" | "lawyer" | "self_report";
export type VaultState = { 
/**
 * The vault directory.
 */
path: string, 
/**
 * A vault exists there.
 */
exists: boolean, 
/**
 * It is unlocked in this window.
 */
unlocked: boolean, };
export type VaultStatus = { 
/**
 * The vault directory.
 */
path: string, 
/**
 * Random vault id.
 */
vault_id: string, 
/**
 * Creation time (RFC 3339).
 */
created_at: string, 
/**
 * Database schema version.
 */
schema_version: number, 
/**
 * Header format version.
 */
header_format: number, 
/**
 * The key slots, by kind.
 */
slots: Array<SlotSummary>, 
/**
 * Lock settings.
 */
lock: LockSettings, 
/**
 * Failed unlocks between the previous successful unlock and this one.
 */
failed_unlocks_before_this_one: number, 
/**
 * Record counts by kind (trash excluded).
 */
record_counts: Array<RecordCount>, 
/**
 * Bytes on disk (database plus WAL).
 */
size_bytes: number, 
/**
 * Who the vault is for.
 */
mode: VaultMode, };
export type Verification = { 
/**
 * The manifest.
 */
manifest: Manifest, 
/**
 * The signer's fingerprint (from the signature's key).
 */
signer_fingerprint: string, 
/**
 * Whether the signer is one of the trusted keys given; None when none
 * were given.
 */
signer_trusted: boolean | null, 
/**
 * Files checked.
 */
files_checked: number, 
/**
 * Everything wrong. Empty means the signature and every hash hold.
 */
problems: Array<string>, };
export type VocabularyDto = { 
/**
 * Its name.
 */
name: string, 
/**
 * Its terms.
 */
terms: Array<TermDto>, };
export type Withheld = { 
/**
 * Record kind.
 */
kind: string, 
/**
 * Its id in the vault, for the caseworker's screens only: never
 * written into a bundle.
 */
id?: string, 
/**
 * Which record it is, in words that tell it from its siblings (a
 * person's two testimonies by date and opening words), for the
 * caseworker's screens only: it may name a protected person, so it
 * is never written into a bundle.
 */
label?: string, 
/**
 * Why it stays, in English: what a bundle's reader without
 * [`Self::code`] (a bundle from before it) shows.
 */
reason: string, 
/**
 * Why it stays, as a code the UI translates. Absent in bundles
 * written before the code existed.
 */
code?: WithheldReason, };
export type WithheldReason = "left_out" | "consent_withdrawn" | "not_for_lawyers";

/** Every backend command. The Tauri implementation is below; the component tests carry it to a headless host. */
export interface Commands {
  about(): Promise<AboutInfo>;
  prefsGet(): Promise<UiPrefs>;
  prefsSet(req: UiPrefs): Promise<UiPrefs>;
  vaultState(): Promise<VaultState>;
  passphraseStrength(req: PassphraseRequest): Promise<Strength>;
  vaultCreate(req: CreateVaultRequest): Promise<CreatedVault>;
  recoveryKeyConfirm(req: RecoveryKeyRequest): Promise<boolean>;
  vaultUnlock(req: PassphraseRequest): Promise<VaultStatus>;
  vaultRecover(req: RecoverRequest): Promise<VaultStatus>;
  vaultLock(): Promise<null>;
  vaultStatus(): Promise<VaultStatus>;
  vaultChangePassphrase(req: ChangePassphraseRequest): Promise<null>;
  vaultRekey(req: RekeyRequest): Promise<RekeyResult>;
  vaultBackup(req: BackupRequest): Promise<BackupReport>;
  vaultVerify(): Promise<Array<string>>;
  lockSettingsSet(req: LockSettings): Promise<LockSettings>;
  casesList(): Promise<Array<CaseSummary>>;
  caseGet(req: CaseRequest): Promise<CaseDetail>;
  recordsAdd(req: Document): Promise<AddReport>;
  interchangeImport(req: ImportFileRequest): Promise<AddReport>;
  dateCheck(req: DateRequest): Promise<DateCheck>;
  vocabularies(): Promise<Array<VocabularyDto>>;
  recordAmend(req: AmendRequest): Promise<number>;
  recordTrash(req: TrashRequest): Promise<null>;
  recordRestore(req: RecordRequest): Promise<number>;
  recordHistory(req: RecordRequest): Promise<Array<RecordVersion>>;
  trashList(): Promise<Array<TrashedRecord>>;
  personsFind(req: FindRequest): Promise<Array<PersonHit>>;
  organisationsList(): Promise<Array<Organisation>>;
  sourcesList(): Promise<Array<Source>>;
  draftSave(req: DraftSaveRequest): Promise<null>;
  draftLoad(req: DraftRequest): Promise<Draft | null>;
  draftDiscard(req: DraftRequest): Promise<null>;
  attachmentsList(req: RecordAttachmentsRequest): Promise<Array<Attachment>>;
  attachmentAdd(req: AttachFileRequest): Promise<Attachment>;
  attachmentOpen(req: AttachmentRequest): Promise<Preview>;
  attachmentSaveCopy(req: SaveCopyRequest): Promise<null>;
  pathPick(req: PickPathRequest): Promise<string | null>;
  pathCheck(req: PathCheckRequest): Promise<PathCheck>;
  custodyTrail(req: CustodyRequest): Promise<Array<CustodyEntry>>;
  auditVerify(req: AuditRequest): Promise<AuditReport>;
  search(req: SearchRequest): Promise<SearchResults>;
  personDuplicates(req: Person): Promise<Array<PersonHit>>;
  personsMerge(req: MergeRequest): Promise<null>;
  analysis(req: Filters): Promise<Analysis>;
  orgKeyShow(): Promise<OrgPublicKey>;
  contactsList(): Promise<Array<Contact>>;
  contactAdd(req: ContactRequest): Promise<Contact>;
  contactRemove(req: ContactIdRequest): Promise<null>;
  contactVerify(req: ContactVerifyRequest): Promise<Contact>;
  identitiesList(): Promise<Array<IdentityView>>;
  identityCreate(req: IdentityRequest): Promise<IdentityView>;
  bundlePreview(req: CasesRequest): Promise<ExportPreview>;
  bundleCreate(req: BundleCreateRequest): Promise<CreateReport>;
  exportReview(req: ReviewRequest): Promise<RedactionReview>;
  bundleOpen(req: BundleOpenRequest): Promise<BundleView>;
  bundleImport(req: BundleImportRequest): Promise<Verification>;
  bundleFileOpen(req: BundleFileRequest): Promise<BundleFilePreview>;
  bundleFileSave(req: BundleFileSaveRequest): Promise<null>;
  reportsList(): Promise<Array<ReportSummary>>;
  reportNew(): Promise<StoredReport>;
  reportGet(req: ReportIdRequest): Promise<StoredReport>;
  reportSave(req: ReportSaveRequest): Promise<ReportSummary>;
  reportProblems(req: ReportIdRequest): Promise<Array<ReportProblem>>;
  reportSteps(): Promise<Array<StepChoices>>;
  reportNameCheck(req: ReportNameCheckRequest): Promise<Array<string>>;
  reportAttach(req: ReportAttachRequest): Promise<ReportFile>;
  reportFileRemove(req: ReportFileRequest): Promise<null>;
  reportSeal(req: ReportSealRequest): Promise<SealReport>;
  reportDelete(req: ReportIdRequest): Promise<null>;
  keyCheckText(req: KeyCheckRequest): Promise<KeyCheck>;
  keyCheckFile(req: KeyFileRequest): Promise<KeyCheck>;
  intakeReceive(req: IntakeFileRequest): Promise<InboxItem>;
  intakeList(): Promise<Array<InboxItem>>;
  intakeReview(req: IntakeIdRequest): Promise<IntakeReview>;
  intakeAccept(req: IntakeAcceptRequest): Promise<string>;
  intakeReject(req: IntakeRejectRequest): Promise<null>;
  quickExit(): Promise<null>;
  deviceKeyShow(): Promise<DeviceKeyView>;
  deviceKeyCheck(req: DeviceKeyCheckRequest): Promise<string>;
  spacesList(): Promise<TeamOverview>;
  spaceCreate(req: SpaceCreateRequest): Promise<TeamOverview>;
  spaceMemberAdd(req: MemberAddRequest): Promise<string>;
  spaceMemberRemove(req: MemberRemoveRequest): Promise<string>;
  spaceSync(req: SyncRequest): Promise<SyncReport>;
  spaceUnload(req: UnloadRequest): Promise<UnloadReport>;
  spaceReload(req: ReloadRequest): Promise<SyncReport>;
  syncCredentialsShow(): Promise<S3KeyView>;
  syncCredentialsSet(req: S3KeyRequest): Promise<S3KeyView>;
  syncCredentialsClear(): Promise<S3KeyView>;
  spaceConflicts(req: ConflictsRequest): Promise<Array<ConflictView>>;
  spaceConflictResolve(req: ConflictResolveRequest): Promise<Array<ConflictView>>;
  spaceInvitations(req: SyncRequest): Promise<Array<InvitationView>>;
  spaceInvitationAccept(req: InvitationAcceptRequest): Promise<string>;
  spaceInvitationDecline(req: InvitationDeclineRequest): Promise<null>;
  syncIntervalSet(req: SyncIntervalRequest): Promise<number>;
  syncTimerPlan(): Promise<SyncTimerPlan>;
  spaceMemberKey(req: MemberKeyRequest): Promise<DeviceKeyView>;
}

/** Event names the backend emits. */
export const EVENTS = { progress: "progress", vaultLocked: "vault-locked" } as const;

/** How a command reaches the Rust side: Tauri's `invoke`, or the UI tests' command host. */
export type Invoke = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command, carried by `call`. */
export function commandsVia(call: Invoke): Commands {
  return {
    about: () => call("about"),
    prefsGet: () => call("prefs_get"),
    prefsSet: (req) => call("prefs_set", { req }),
    vaultState: () => call("vault_state"),
    passphraseStrength: (req) => call("passphrase_strength", { req }),
    vaultCreate: (req) => call("vault_create", { req }),
    recoveryKeyConfirm: (req) => call("recovery_key_confirm", { req }),
    vaultUnlock: (req) => call("vault_unlock", { req }),
    vaultRecover: (req) => call("vault_recover", { req }),
    vaultLock: () => call("vault_lock"),
    vaultStatus: () => call("vault_status"),
    vaultChangePassphrase: (req) => call("vault_change_passphrase", { req }),
    vaultRekey: (req) => call("vault_rekey", { req }),
    vaultBackup: (req) => call("vault_backup", { req }),
    vaultVerify: () => call("vault_verify"),
    lockSettingsSet: (req) => call("lock_settings_set", { req }),
    casesList: () => call("cases_list"),
    caseGet: (req) => call("case_get", { req }),
    recordsAdd: (req) => call("records_add", { req }),
    interchangeImport: (req) => call("interchange_import", { req }),
    dateCheck: (req) => call("date_check", { req }),
    vocabularies: () => call("vocabularies"),
    recordAmend: (req) => call("record_amend", { req }),
    recordTrash: (req) => call("record_trash", { req }),
    recordRestore: (req) => call("record_restore", { req }),
    recordHistory: (req) => call("record_history", { req }),
    trashList: () => call("trash_list"),
    personsFind: (req) => call("persons_find", { req }),
    organisationsList: () => call("organisations_list"),
    sourcesList: () => call("sources_list"),
    draftSave: (req) => call("draft_save", { req }),
    draftLoad: (req) => call("draft_load", { req }),
    draftDiscard: (req) => call("draft_discard", { req }),
    attachmentsList: (req) => call("attachments_list", { req }),
    attachmentAdd: (req) => call("attachment_add", { req }),
    attachmentOpen: (req) => call("attachment_open", { req }),
    attachmentSaveCopy: (req) => call("attachment_save_copy", { req }),
    pathPick: (req) => call("path_pick", { req }),
    pathCheck: (req) => call("path_check", { req }),
    custodyTrail: (req) => call("custody_trail", { req }),
    auditVerify: (req) => call("audit_verify", { req }),
    search: (req) => call("search", { req }),
    personDuplicates: (req) => call("person_duplicates", { req }),
    personsMerge: (req) => call("persons_merge", { req }),
    analysis: (req) => call("analysis", { req }),
    orgKeyShow: () => call("org_key_show"),
    contactsList: () => call("contacts_list"),
    contactAdd: (req) => call("contact_add", { req }),
    contactRemove: (req) => call("contact_remove", { req }),
    contactVerify: (req) => call("contact_verify", { req }),
    identitiesList: () => call("identities_list"),
    identityCreate: (req) => call("identity_create", { req }),
    bundlePreview: (req) => call("bundle_preview", { req }),
    bundleCreate: (req) => call("bundle_create", { req }),
    exportReview: (req) => call("export_review", { req }),
    bundleOpen: (req) => call("bundle_open", { req }),
    bundleImport: (req) => call("bundle_import", { req }),
    bundleFileOpen: (req) => call("bundle_file_open", { req }),
    bundleFileSave: (req) => call("bundle_file_save", { req }),
    reportsList: () => call("reports_list"),
    reportNew: () => call("report_new"),
    reportGet: (req) => call("report_get", { req }),
    reportSave: (req) => call("report_save", { req }),
    reportProblems: (req) => call("report_problems", { req }),
    reportSteps: () => call("report_steps"),
    reportNameCheck: (req) => call("report_name_check", { req }),
    reportAttach: (req) => call("report_attach", { req }),
    reportFileRemove: (req) => call("report_file_remove", { req }),
    reportSeal: (req) => call("report_seal", { req }),
    reportDelete: (req) => call("report_delete", { req }),
    keyCheckText: (req) => call("key_check_text", { req }),
    keyCheckFile: (req) => call("key_check_file", { req }),
    intakeReceive: (req) => call("intake_receive", { req }),
    intakeList: () => call("intake_list"),
    intakeReview: (req) => call("intake_review", { req }),
    intakeAccept: (req) => call("intake_accept", { req }),
    intakeReject: (req) => call("intake_reject", { req }),
    quickExit: () => call("quick_exit"),
    deviceKeyShow: () => call("device_key_show"),
    deviceKeyCheck: (req) => call("device_key_check", { req }),
    spacesList: () => call("spaces_list"),
    spaceCreate: (req) => call("space_create", { req }),
    spaceMemberAdd: (req) => call("space_member_add", { req }),
    spaceMemberRemove: (req) => call("space_member_remove", { req }),
    spaceSync: (req) => call("space_sync", { req }),
    spaceUnload: (req) => call("space_unload", { req }),
    spaceReload: (req) => call("space_reload", { req }),
    syncCredentialsShow: () => call("sync_credentials_show"),
    syncCredentialsSet: (req) => call("sync_credentials_set", { req }),
    syncCredentialsClear: () => call("sync_credentials_clear"),
    spaceConflicts: (req) => call("space_conflicts", { req }),
    spaceConflictResolve: (req) => call("space_conflict_resolve", { req }),
    spaceInvitations: (req) => call("space_invitations", { req }),
    spaceInvitationAccept: (req) => call("space_invitation_accept", { req }),
    spaceInvitationDecline: (req) => call("space_invitation_decline", { req }),
    syncIntervalSet: (req) => call("sync_interval_set", { req }),
    syncTimerPlan: () => call("sync_timer_plan"),
    spaceMemberKey: (req) => call("space_member_key", { req }),
  };
}

export const tauriCommands: Commands = commandsVia(invoke);
