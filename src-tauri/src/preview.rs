//! The `cvfile:` protocol: serves decrypted attachment bytes to the webview
//! from memory, with HTTP range requests so that video and audio seek, and
//! without any plaintext temp file. Only attachments opened (and logged)
//! through `attachment_open` since the last unlock are served.

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom};

use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

/// The scheme name.
pub const SCHEME: &str = "cvfile";
/// The most one response carries: a full image, or one slice of a video.
pub(crate) const MAX_RESPONSE: u64 = 8 * 1024 * 1024;

/// The URL of an attachment as the webview on this platform sees it.
pub fn url_for(id: &str) -> String {
    if cfg!(any(windows, target_os = "android")) {
        format!("http://{SCHEME}.localhost/{id}")
    } else {
        format!("{SCHEME}://localhost/{id}")
    }
}

/// Path prefix of a bundle's evidence file held in memory.
const BUNDLE_PREFIX: &str = "bundle-";

/// The URL of a bundle's evidence file held for preview under `token`.
pub fn bundle_url_for(token: &str) -> String {
    url_for(&format!("{BUNDLE_PREFIX}{token}"))
}

/// Registered with the builder; answers on a worker thread so decryption
/// never blocks the UI thread.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    std::thread::spawn(move || {
        let state = app.state::<AppState>();
        responder.respond(serve(&state, &request));
    });
}

fn plain(status: StatusCode, text: &'static str) -> Response<Cow<'static, [u8]>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Cow::Borrowed(text.as_bytes()))
        .unwrap_or_else(|_| Response::new(Cow::Borrowed(&[])))
}

/// Parses `bytes=START-[END]` against `size`; None for anything else
/// (multiple ranges, suffix ranges), which gets the whole-file answer.
fn parse_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = match end.trim() {
        "" => size.checked_sub(1)?,
        e => e.parse::<u64>().ok()?.min(size.checked_sub(1)?),
    };
    (start <= end).then_some((start, end))
}

fn is_token(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A bundle's evidence file, verified when it was opened and held in
/// memory since: served from there, whole or by range.
fn serve_bundle_file(
    state: &AppState,
    token: &str,
    request: &Request<Vec<u8>>,
) -> Response<Cow<'static, [u8]>> {
    if state.with_vault(|_| Ok(())).is_err() {
        return plain(StatusCode::FORBIDDEN, "the vault is locked");
    }
    let previews = state.bundle_previews();
    let Some(file) = previews.get(token) else {
        return plain(StatusCode::FORBIDDEN, "open the bundle's file first");
    };
    let bytes = file.bytes();
    let size = bytes.len() as u64;
    let (status, start, end) = chosen_range(request, size);
    let body = if size == 0 {
        Vec::new()
    } else {
        bytes[start as usize..=end as usize].to_vec()
    };
    respond(status, (start, end, size), &file.media_type, body)
}

pub(crate) fn serve(state: &AppState, request: &Request<Vec<u8>>) -> Response<Cow<'static, [u8]>> {
    let id = request.uri().path().trim_start_matches('/').to_owned();
    if let Some(token) = id.strip_prefix(BUNDLE_PREFIX).filter(|t| is_token(t)) {
        return serve_bundle_file(state, token, request);
    }
    if !is_token(&id) {
        return plain(StatusCode::NOT_FOUND, "no such attachment");
    }
    if !state.opened().contains(&id) {
        return plain(StatusCode::FORBIDDEN, "open the attachment first");
    }
    // Take what is needed and let go of the vault before decrypting.
    let opened = state.with_vault(|v| Ok((v.attachment(&id)?, v.reopen_attachment(&id)?)));
    let Ok((attachment, mut reader)) = opened else {
        return plain(StatusCode::FORBIDDEN, "the vault is locked");
    };
    let size = attachment.size;
    // A whole small file is read start to end, so the reader also checks
    // its SHA-256; a big one without a range gets its first slice.
    let (status, start, end) = chosen_range(request, size);
    let len = if size == 0 { 0 } else { end - start + 1 };
    let mut body = Vec::with_capacity(len as usize);
    let read = if status == StatusCode::OK {
        reader.read_to_end(&mut body).map(|_| ())
    } else {
        reader
            .seek(SeekFrom::Start(start))
            .and_then(|_| (&mut reader).take(len).read_to_end(&mut body).map(|_| ()))
    };
    if read.is_err() || body.len() as u64 != len {
        return plain(
            StatusCode::UNPROCESSABLE_ENTITY,
            "this attachment is damaged; run the audit to see more",
        );
    }
    respond(status, (start, end, size), &attachment.media_type, body)
}

/// The part of a `size`-byte file to answer with: the requested range,
/// capped at [`MAX_RESPONSE`]; without one, the whole file when small,
/// else its first slice.
fn chosen_range(request: &Request<Vec<u8>>, size: u64) -> (StatusCode, u64, u64) {
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_range(v, size));
    match range {
        Some((start, end)) => (
            StatusCode::PARTIAL_CONTENT,
            start,
            end.min(start + MAX_RESPONSE - 1),
        ),
        None if size <= MAX_RESPONSE => (StatusCode::OK, 0, size.saturating_sub(1)),
        None => (StatusCode::PARTIAL_CONTENT, 0, MAX_RESPONSE - 1),
    }
}

/// Decrypted bytes as a response: never cached, with the range they are.
fn respond(
    status: StatusCode,
    (start, end, size): (u64, u64, u64),
    media_type: &str,
    body: Vec<u8>,
) -> Response<Cow<'static, [u8]>> {
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, media_type)
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::ACCEPT_RANGES, "bytes")
        // Nothing of it may be kept in any cache, memory or disk.
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if status == StatusCode::PARTIAL_CONTENT {
        response = response.header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}"));
    }
    response
        .body(Cow::Owned(body))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "could not answer"))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges_are_parsed_and_clamped() {
        assert_eq!(parse_range("bytes=0-", 1000), Some((0, 999)));
        assert_eq!(parse_range("bytes=100-199", 1000), Some((100, 199)));
        assert_eq!(parse_range("bytes=900-5000", 1000), Some((900, 999)));
        assert_eq!(parse_range("bytes=500-100", 1000), None);
        assert_eq!(parse_range("bytes=-500", 1000), None);
        assert_eq!(parse_range("bytes=0-10,20-30", 1000), None);
        assert_eq!(parse_range("bytes=0-", 0), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
    }
}
