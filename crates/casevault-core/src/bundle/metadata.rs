//! Removing location, device and time metadata from the exported copy of
//! an image. The adversary wants exactly what EXIF carries: the GPS of an
//! exile's home, the phone that took the photo, when.
//!
//! Only containers whose metadata lives in separable blocks are handled,
//! losslessly, by dropping those blocks with `img-parts` (the image data is
//! not re-encoded, so the picture is bit-for-bit the same): JPEG (EXIF and
//! XMP in APP1, IPTC in APP13, comments) and PNG (eXIf, text chunks, tIME).
//! Anything else is refused with a code, and the caseworker can leave the
//! file out instead.

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;

use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// Media types [`strip`] can clean.
pub const STRIPPABLE: &[&str] = &["image/jpeg", "image/png"];

/// Whether `media_type` can be cleaned.
pub fn can_strip(media_type: &str) -> bool {
    STRIPPABLE.contains(&media_type)
}

/// The same image without metadata blocks.
pub fn strip(media_type: &str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    let bad = |e: img_parts::Error| {
        Error::invalid(
            "file",
            ProblemCode::MetadataNotRemovable
                .with("detail", format!("the image could not be read: {e}")),
        )
    };
    match media_type {
        "image/jpeg" => {
            let mut jpeg = Jpeg::from_bytes(Bytes::from(bytes)).map_err(bad)?;
            // APP0 (JFIF) and APP14 (Adobe colour transform) describe how
            // to decode the pixels; APP2 holds the colour profile. The
            // rest is metadata: APP1 EXIF/XMP, APP13 IPTC, COM comments,
            // and maker blocks in APP3–APP12, APP15.
            jpeg.segments_mut().retain(|s| {
                let m = s.marker();
                let app = (markers::APP0..=markers::APP15).contains(&m);
                let keep_app = matches!(m, markers::APP0 | markers::APP2 | markers::APP14);
                !(m == markers::COM || (app && !keep_app))
            });
            Ok(jpeg.encoder().bytes().to_vec())
        }
        "image/png" => {
            let mut png = Png::from_bytes(Bytes::from(bytes)).map_err(bad)?;
            png.chunks_mut()
                .retain(|c| !matches!(&c.kind(), b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"));
            Ok(png.encoder().bytes().to_vec())
        }
        other => Err(Error::invalid(
            "file",
            ProblemCode::MetadataNotRemovable.with("detail", format!("{other} files")),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, an APP1 "Exif" block carrying a GPS-like
    /// canary, a COM block, a tiny valid image body, EOI.
    fn jpeg_with_exif(canary: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(canary);
        v.extend_from_slice(&[0xFF, 0xE1]);
        v.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(&app1);
        v.extend_from_slice(&[0xFF, 0xFE]);
        v.extend_from_slice(&((canary.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(canary);
        // DQT, SOF0, DHT and SOS segments are not needed by img-parts to
        // split the file; an SOS with entropy data and EOI close it.
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        v
    }

    #[test]
    fn jpeg_metadata_blocks_go_and_the_image_stays() {
        let canary = b"GPS 43.238949 76.889709 CANARY-7f3a";
        let original = jpeg_with_exif(canary);
        let stripped = strip("image/jpeg", original.clone()).expect("strip");
        assert!(
            !stripped.windows(canary.len()).any(|w| w == canary),
            "metadata survived"
        );
        assert!(stripped.starts_with(&[0xFF, 0xD8]));
        assert!(stripped.ends_with(&[0x12, 0x34, 0xFF, 0xD9]));
        assert!(stripped.len() < original.len());
    }

    #[test]
    fn other_types_are_refused_with_a_code() {
        let e = strip("video/mp4", vec![0; 16]).expect_err("refused");
        assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
        let e = strip("image/jpeg", b"not a jpeg".to_vec()).expect_err("refused");
        assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
    }
}
