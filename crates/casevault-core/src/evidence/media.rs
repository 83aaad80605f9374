//! What a file is and what it says about itself: the media type from its
//! first bytes (never its name), and the capture metadata of its EXIF block.

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How much of the start of a file is kept (in zeroizing memory) to detect
/// its type and read its EXIF block.
pub(crate) const SNIFF_BYTES: usize = 256 * 1024;

/// Capture metadata the file carried at intake (kept in the original, too).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Capture {
    /// When it was taken, as the file says (EXIF DateTimeOriginal).
    pub taken_at: Option<String>,
    /// The device (EXIF Make and Model).
    pub device: Option<String>,
    /// Where, as the file says (EXIF GPS latitude, longitude).
    pub gps: Option<String>,
}

impl Capture {
    /// As stored in the `capture` column.
    pub(crate) fn to_column(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(format!("capture: {e}")))
    }

    /// Read back from the `capture` column.
    pub(crate) fn from_column(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|_| Error::tampered("stored capture metadata is not valid"))
    }
}

pub(crate) fn media_type(prefix: &[u8]) -> String {
    if let Some(kind) = infer::get(prefix) {
        return kind.mime_type().to_owned();
    }
    if prefix.is_empty() {
        return "application/octet-stream".to_owned();
    }
    // A text file cut at SNIFF_BYTES may end mid-character: allow that.
    match std::str::from_utf8(prefix) {
        Ok(_) => "text/plain".to_owned(),
        Err(e) if e.error_len().is_none() => "text/plain".to_owned(),
        Err(_) => "application/octet-stream".to_owned(),
    }
}

pub(crate) fn capture_metadata(prefix: &[u8]) -> Capture {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(prefix)) else {
        return Capture::default();
    };
    let text = |tag| {
        exif.get_field(tag, exif::In::PRIMARY)
            .map(|f| f.display_value().with_unit(&exif).to_string())
            .map(|s| s.trim_matches('"').trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let device = match (text(exif::Tag::Make), text(exif::Tag::Model)) {
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (a, b) => a.or(b),
    };
    // kamadak-exif shows a latitude or longitude with its reference as
    // the unit ("… sec N"), so the references are not added again.
    let gps = match (text(exif::Tag::GPSLatitude), text(exif::Tag::GPSLongitude)) {
        (Some(lat), Some(lon)) => Some(format!("{lat}, {lon}")),
        _ => None,
    };
    Capture {
        taken_at: text(exif::Tag::DateTimeOriginal).or_else(|| text(exif::Tag::DateTime)),
        device,
        gps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_content_not_names() {
        assert_eq!(media_type(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), "image/jpeg");
        assert_eq!(media_type(b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(media_type("Показания, 2008".as_bytes()), "text/plain");
        assert_eq!(
            media_type(&[0u8, 159, 146, 150, 1, 2]),
            "application/octet-stream"
        );
        assert_eq!(media_type(b""), "application/octet-stream");
    }
}
