//! The S3 remote against answers no honest S3 store gives: a web page, a
//! server error, a body cut short, an object larger than any object, a
//! listing that never ends, a redirect. The store here is a plain TCP
//! server that answers as each test scripts it; the client under test is
//! the real `S3Remote`. Every case ends in a clear error code, never a
//! hang, a panic or an unbounded read.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use casevault_sync::ErrorCode;
use casevault_sync::object::MAX_OBJECT;
use casevault_sync::remote::s3::{S3Address, S3Credentials, S3Remote};
use casevault_sync::remote::{ObjectName, Remote};
use zeroize::Zeroizing;

const SECRET: &str = "wJalrXUtnFEMI-secret-never-on-the-wire";

/// One request as the store saw it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    /// Path and query.
    target: String,
    /// Everything received: request line, headers and body.
    raw: Vec<u8>,
}

impl Request {
    fn is_list(&self) -> bool {
        self.method == "GET" && self.target.contains("list-type=2")
    }
}

type Handler = dyn Fn(&Request, &mut TcpStream) + Send + Sync;

/// A store that answers each request with `handler`, one connection at a
/// time, closing each after the answer.
struct Store {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Store {
    fn start(handler: impl Fn(&Request, &mut TcpStream) + Send + Sync + 'static) -> Store {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let handler: Box<Handler> = Box::new(handler);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                if let Some(req) = read_request(&mut conn) {
                    log.lock().unwrap().push(req.clone());
                    handler(&req, &mut conn);
                }
                let _ = conn.flush();
            }
        });
        Store { addr, seen }
    }

    fn address(&self) -> S3Address {
        S3Address::parse(&format!(
            "s3://bucket?endpoint=http://127.0.0.1:{}",
            self.addr.port()
        ))
        .unwrap()
    }

    fn open(&self) -> casevault_sync::Result<S3Remote> {
        S3Remote::open(self.address(), credentials())
    }

    fn seen(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }
}

fn credentials() -> S3Credentials {
    S3Credentials::new("GKtestkey", Zeroizing::new(SECRET.to_owned())).unwrap()
}

fn read_request(conn: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head)) = req.parse(&buf) {
            let len: usize = req
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| std::str::from_utf8(h.value).ok()?.parse().ok())
                .unwrap_or(0);
            let (method, target) = (req.method?.to_owned(), req.path?.to_owned());
            while buf.len() < head + len {
                let n = conn.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(Request {
                method,
                target,
                raw: buf,
            });
        }
    }
}

fn respond(conn: &mut TcpStream, status: &str, headers: &str, body: &[u8]) {
    let _ = write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    );
    let _ = conn.write_all(body);
}

fn listing(keys: &[&str], next: Option<&str>) -> Vec<u8> {
    let contents: String = keys
        .iter()
        .map(|k| format!("<Contents><Key>{k}</Key><Size>1</Size></Contents>"))
        .collect();
    let tail = match next {
        Some(t) => {
            format!(
                "<IsTruncated>true</IsTruncated><NextContinuationToken>{t}</NextContinuationToken>"
            )
        }
        None => "<IsTruncated>false</IsTruncated>".to_owned(),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix></Prefix><KeyCount>{}</KeyCount><MaxKeys>1000</MaxKeys>{contents}{tail}</ListBucketResult>"#,
        keys.len()
    )
    .into_bytes()
}

fn error_answer(code: &str) -> Vec<u8> {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>m</Message></Error>"#)
        .into_bytes()
}

/// A store that lists an empty bucket (so that it opens) and answers
/// everything else with `other`.
fn store_with(other: impl Fn(&Request, &mut TcpStream) + Send + Sync + 'static) -> Store {
    Store::start(move |req, conn| {
        // The probe at open asks for one name.
        let probe = req.target.contains("max-keys=1&") || req.target.ends_with("max-keys=1");
        if req.is_list() && probe {
            respond(conn, "200 OK", "", &listing(&[], None));
        } else {
            other(req, conn);
        }
    })
}

fn name(n: u8) -> ObjectName {
    ObjectName::parse(&format!("{n:02x}").repeat(32)).unwrap()
}

fn code<T: std::fmt::Debug>(r: casevault_sync::Result<T>) -> ErrorCode {
    r.unwrap_err().code()
}

#[test]
fn a_web_page_where_the_store_should_be_is_refused_at_open() {
    let store = Store::start(|_, conn| {
        respond(
            conn,
            "200 OK",
            "Content-Type: text/html\r\n",
            b"<html><body>Welcome to nginx!</body></html>",
        )
    });
    assert_eq!(code(store.open()), ErrorCode::InvalidRemote);
}

#[test]
fn a_store_that_cannot_be_reached_is_remote_io() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address =
        S3Address::parse(&format!("s3://bucket?endpoint=http://127.0.0.1:{port}")).unwrap();
    assert_eq!(
        code(S3Remote::open(address, credentials())),
        ErrorCode::RemoteIo
    );
}

#[test]
fn a_refused_key_and_a_missing_bucket_have_their_own_codes() {
    let denied =
        Store::start(|_, conn| respond(conn, "403 Forbidden", "", &error_answer("AccessDenied")));
    assert_eq!(code(denied.open()), ErrorCode::RemoteDenied);
    let missing =
        Store::start(|_, conn| respond(conn, "404 Not Found", "", &error_answer("NoSuchBucket")));
    assert_eq!(code(missing.open()), ErrorCode::InvalidRemote);
    // A key revoked after open: every operation says so.
    let revoked = store_with(|_, conn| {
        respond(
            conn,
            "403 Forbidden",
            "",
            &error_answer("InvalidAccessKeyId"),
        )
    });
    let r = revoked.open().unwrap();
    assert_eq!(code(r.get(&name(1))), ErrorCode::RemoteDenied);
    assert_eq!(code(r.put(&name(1), b"x")), ErrorCode::RemoteDenied);
    assert_eq!(code(r.list()), ErrorCode::RemoteDenied);
}

#[test]
fn server_errors_are_remote_io() {
    let store = store_with(|_, conn| {
        respond(
            conn,
            "503 Service Unavailable",
            "",
            &error_answer("ServiceUnavailable"),
        )
    });
    let r = store.open().unwrap();
    assert_eq!(code(r.get(&name(1))), ErrorCode::RemoteIo);
    let gets = store.seen().iter().filter(|q| q.method == "GET").count();
    assert_eq!(gets, 1 + 4, "the probe at open, then four tries");
    assert_eq!(code(r.put(&name(1), b"x")), ErrorCode::RemoteIo);
    assert_eq!(code(r.list()), ErrorCode::RemoteIo);
    // A 500 without any S3 body is the same.
    let bare = store_with(|_, conn| respond(conn, "500 Internal Server Error", "", b""));
    let r = bare.open().unwrap();
    assert_eq!(code(r.get(&name(1))), ErrorCode::RemoteIo);
}

#[test]
fn a_body_cut_short_is_remote_io() {
    let store = store_with(|_, conn| {
        let _ = write!(
            conn,
            "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"
        );
        let _ = conn.write_all(&[7u8; 100]);
        let _ = conn.shutdown(std::net::Shutdown::Both);
    });
    let r = store.open().unwrap();
    assert_eq!(code(r.get(&name(1))), ErrorCode::RemoteIo);
}

#[test]
fn an_object_larger_than_any_object_is_refused_unread() {
    // Announced: refused on the header alone.
    let announced = store_with(|_, conn| {
        let _ = write!(
            conn,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            MAX_OBJECT + 1
        );
        let _ = conn.shutdown(std::net::Shutdown::Both);
    });
    let r = announced.open().unwrap();
    assert_eq!(code(r.get(&name(1))), ErrorCode::Tampered);

    // Not announced (chunked, endless): read up to the largest object, no
    // further.
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let endless = store_with(move |_, conn| {
        let _ = write!(
            conn,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
        let chunk = vec![0u8; 1 << 20];
        // Up to twice the largest object, unless the reader stops first.
        for _ in 0..((2 * MAX_OBJECT) >> 20) {
            if write!(conn, "{:x}\r\n", chunk.len()).is_err()
                || conn.write_all(&chunk).is_err()
                || conn.write_all(b"\r\n").is_err()
            {
                return;
            }
            counter.fetch_add(chunk.len(), Ordering::SeqCst);
        }
        let _ = conn.write_all(b"0\r\n\r\n");
    });
    let r = endless.open().unwrap();
    assert_eq!(code(r.get(&name(2))), ErrorCode::Tampered);
    // The sender may get ahead of the reader by what the socket buffers.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        sent.load(Ordering::SeqCst) < MAX_OBJECT + (16 << 20),
        "the reader stopped at the cap"
    );

    // The largest object itself still reads.
    let largest = store_with(|_, conn| respond(conn, "200 OK", "", &vec![1u8; MAX_OBJECT]));
    let r = largest.open().unwrap();
    assert_eq!(r.get(&name(3)).unwrap().unwrap().len(), MAX_OBJECT);
}

#[test]
fn a_listing_that_is_not_one_never_ends_or_is_huge_is_remote_io() {
    let garbage = store_with(|_, conn| respond(conn, "200 OK", "", b"<html>not a listing</html>"));
    assert_eq!(code(garbage.open().unwrap().list()), ErrorCode::RemoteIo);

    let same_token = store_with(|_, conn| respond(conn, "200 OK", "", &listing(&[], Some("t1"))));
    assert_eq!(code(same_token.open().unwrap().list()), ErrorCode::RemoteIo);

    let truncated_without_token = store_with(|_, conn| {
        respond(
            conn,
            "200 OK",
            "",
            &String::from_utf8(listing(&[], None))
                .unwrap()
                .replace("false", "true")
                .into_bytes(),
        )
    });
    assert_eq!(
        code(truncated_without_token.open().unwrap().list()),
        ErrorCode::RemoteIo
    );

    let huge = store_with(|_, conn| {
        let key = "k".repeat(1000);
        let keys: Vec<&str> = (0..10_000).map(|_| key.as_str()).collect();
        respond(conn, "200 OK", "", &listing(&keys, None))
    });
    assert_eq!(code(huge.open().unwrap().list()), ErrorCode::RemoteIo);
}

/// More than one page: the store is listed by range of first hex digit,
/// each range page by page. This store ignores the range asked for and
/// answers every request with both names: each is listed once, in its own
/// range.
#[test]
fn a_listing_follows_its_pages_and_skips_what_is_not_an_object() {
    let store = store_with(|req, conn| {
        let (one, two) = (name(1), name(2));
        let body = if req.target.contains("continuation-token=page%2B2") {
            listing(&[two.as_str(), "notes.txt"], None)
        } else {
            listing(&[one.as_str(), "..%2Fescape"], Some("page+2"))
        };
        respond(conn, "200 OK", "", &body)
    });
    let mut listed = store.open().unwrap().list().unwrap();
    listed.sort();
    assert_eq!(listed, vec![name(1), name(2)]);
}

#[test]
fn a_redirect_is_not_followed() {
    let elsewhere = Store::start(|_, conn| respond(conn, "200 OK", "", b"stolen"));
    let target = format!("http://127.0.0.1:{}/x", elsewhere.addr.port());
    let store = store_with(move |_, conn| {
        respond(
            conn,
            "307 Temporary Redirect",
            &format!("Location: {target}\r\n"),
            b"",
        )
    });
    let r = store.open().unwrap();
    assert_ne!(
        r.get(&name(1)).map_err(|e| e.code()),
        Ok(Some(b"stolen".to_vec()))
    );
    assert!(elsewhere.seen().is_empty(), "nothing was sent elsewhere");
}

/// A store busy for a moment (a Garage node under load answers 503) is
/// asked again: the sync goes on instead of stopping.
#[test]
fn a_store_busy_for_a_moment_is_asked_again() {
    let answers = Arc::new(AtomicUsize::new(0));
    let count = answers.clone();
    let store = store_with(move |req, conn| {
        // Every second answer is "busy", alternating 503 and 500.
        let n = count.fetch_add(1, Ordering::SeqCst);
        if n.is_multiple_of(2) {
            let status = if n.is_multiple_of(4) {
                "503 Service Unavailable"
            } else {
                "500 Internal Server Error"
            };
            return respond(conn, status, "", &error_answer("ServiceUnavailable"));
        }
        match req.method.as_str() {
            "HEAD" => respond(conn, "404 Not Found", "", b""),
            "PUT" => respond(conn, "200 OK", "", b""),
            _ if req.is_list() => respond(conn, "200 OK", "", &listing(&[name(2).as_str()], None)),
            _ => respond(conn, "200 OK", "", b"sealed bytes"),
        }
    });
    let r = store.open().unwrap();
    assert_eq!(
        r.get(&name(1)).unwrap().as_deref(),
        Some(&b"sealed bytes"[..])
    );
    assert!(r.put(&name(1), b"x").unwrap(), "stored");
    assert_eq!(r.list().unwrap(), vec![name(2)]);
    assert_eq!(
        answers.load(Ordering::SeqCst),
        2 * 4,
        "each of four requests asked twice"
    );
}

/// A store with conditional writes (AWS, MinIO) refuses a PUT whose name
/// appeared since the HEAD: that is "already there", not an error.
#[test]
fn a_conditional_write_refused_by_the_store_is_already_there() {
    let store = store_with(|req, conn| match req.method.as_str() {
        "HEAD" => respond(conn, "404 Not Found", "", b""),
        _ => respond(
            conn,
            "412 Precondition Failed",
            "",
            &error_answer("PreconditionFailed"),
        ),
    });
    let r = store.open().unwrap();
    assert!(!r.put(&name(1), b"late").unwrap());
    let put = store
        .seen()
        .into_iter()
        .find(|q| q.method == "PUT")
        .unwrap();
    let head = String::from_utf8_lossy(&put.raw).to_lowercase();
    assert!(head.contains("if-none-match: *"), "{head}");
}

#[test]
fn the_secret_never_crosses_the_wire() {
    let store = store_with(|req, conn| match req.method.as_str() {
        "HEAD" => respond(conn, "404 Not Found", "", b""),
        "PUT" => respond(conn, "200 OK", "", b""),
        _ if req.is_list() => respond(conn, "200 OK", "", &listing(&[], None)),
        _ => respond(conn, "200 OK", "", b"bytes"),
    });
    let r = store.open().unwrap();
    assert!(r.put(&name(1), b"sealed").unwrap());
    r.get(&name(1)).unwrap();
    r.list().unwrap();
    let seen = store.seen();
    assert!(seen.len() >= 5);
    for req in seen {
        let raw = String::from_utf8_lossy(&req.raw);
        assert!(!raw.contains(SECRET), "{raw}");
        assert!(raw.contains("GKtestkey"), "each request is signed: {raw}");
    }
    let shown = format!("{r:?}");
    assert!(!shown.contains(SECRET), "{shown}");
}
