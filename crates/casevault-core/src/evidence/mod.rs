//! Facts about evidence files, read from their names and bytes alone (no
//! vault, no database): a name safe to show and to write into an archive,
//! what kind of file it is, what it says about when, where and with what it
//! was made, and the checks on a file from outside before any of it is
//! stored. The vault's blob store and attachments table build on these.

mod media;
mod name;
mod outside;

pub use media::Capture;
pub(crate) use media::{SNIFF_BYTES, capture_metadata, media_type};
pub use name::sanitise_name;
pub use outside::MAX_ATTACHMENT_BYTES;
pub(crate) use outside::{OutsideFile, source_error};
