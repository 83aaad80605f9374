//! SQLite's memory allocator for Casevault: every block SQLite frees is
//! zeroed before it goes back to the C heap.
//!
//! SQLCipher can do this itself (`PRAGMA cipher_memory_security`), but its
//! wipe fills each freed block with pseudo-random bytes eight at a time
//! through volatile thread-local state, and it turns every `realloc` into
//! malloc + copy + wipe + free. FTS5 reads each index page into a fresh
//! buffer and frees it, so a search over common words spent more than half
//! its CPU time in that fill (docs/BENCHMARKS.md, "Memory wipe"). Here the
//! wipe is `explicit_bzero` (vectorised, and not optimised away), and the
//! guarantee is the same: no freed block keeps what SQLite put in it.
//!
//! [`install`] must run before SQLite initialises (the first connection
//! opened in the process); the core calls it first thing in every open,
//! and falls back to SQLCipher's own wipe when it is too late.
//!
//! The only unsafe code in Casevault is here and in this crate's tests.

use std::ffi::{c_int, c_void};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use libsqlite3_sys as ffi;

/// Bytes in front of each block: its size. 16 keeps the block as aligned
/// as malloc's own (SQLite needs 8).
const HEADER: usize = 16;

/// Bytes zeroed so far, for the tests and for `casevault status`.
static WIPED: AtomicU64 = AtomicU64::new(0);

/// The block's start (header included) and its usable size.
///
/// # Safety
/// `p` was returned by [`x_malloc`] or [`x_realloc`] and not yet freed.
unsafe fn block(p: *mut c_void) -> (*mut u8, usize) {
    // SAFETY: per the contract, HEADER bytes before `p` are our header.
    unsafe {
        let base = p.cast::<u8>().sub(HEADER);
        (base, base.cast::<usize>().read())
    }
}

unsafe extern "C" fn x_malloc(n: c_int) -> *mut c_void {
    let Ok(n) = usize::try_from(n) else {
        return std::ptr::null_mut();
    };
    // SAFETY: a plain malloc; the header write stays inside the block.
    unsafe {
        let base = libc::malloc(n + HEADER).cast::<u8>();
        if base.is_null() {
            return std::ptr::null_mut();
        }
        base.cast::<usize>().write(n);
        base.add(HEADER).cast()
    }
}

unsafe extern "C" fn x_free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: SQLite frees only what this allocator returned, once.
    let n = unsafe {
        let (base, n) = block(p);
        libc::explicit_bzero(base.cast(), n + HEADER);
        libc::free(base.cast());
        n
    };
    WIPED.fetch_add(n as u64, Ordering::Relaxed);
}

unsafe extern "C" fn x_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    if p.is_null() {
        // SAFETY: as x_malloc.
        return unsafe { x_malloc(n) };
    }
    // SAFETY: `p` is a live block of ours (SQLite's contract).
    let (_, old) = unsafe { block(p) };
    let Ok(wanted) = usize::try_from(n) else {
        return std::ptr::null_mut();
    };
    if wanted <= old {
        // Shrinking keeps the block: nothing is freed, so nothing leaks.
        return p;
    }
    // Never libc::realloc: it may move the data and free the old block
    // without wiping it.
    // SAFETY: both blocks are live and `old` bytes fit in each.
    unsafe {
        let q = x_malloc(n);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), q.cast::<u8>(), old);
            x_free(p);
        }
        q
    }
}

unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
    if p.is_null() {
        return 0;
    }
    // SAFETY: a live block of ours; its size came from a c_int.
    let (_, n) = unsafe { block(p) };
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

unsafe extern "C" fn x_roundup(n: c_int) -> c_int {
    n.saturating_add(7) & !7
}

unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn x_shutdown(_: *mut c_void) {}

/// Whether [`install`] succeeded in this process.
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Makes this allocator SQLite's, if SQLite has not initialised yet in
/// this process. Returns whether it is SQLite's allocator now (also on
/// later calls). Thread-safe; the work is done once.
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        let methods = ffi::sqlite3_mem_methods {
            xMalloc: Some(x_malloc),
            xFree: Some(x_free),
            xRealloc: Some(x_realloc),
            xSize: Some(x_size),
            xRoundup: Some(x_roundup),
            xInit: Some(x_init),
            xShutdown: Some(x_shutdown),
            pAppData: std::ptr::null_mut(),
        };
        // SAFETY: SQLITE_CONFIG_MALLOC copies the struct; it is refused
        // (SQLITE_MISUSE) once SQLite has initialised, and then nothing
        // changes.
        let rc = unsafe {
            ffi::sqlite3_config(
                ffi::SQLITE_CONFIG_MALLOC,
                &methods as *const ffi::sqlite3_mem_methods,
            )
        };
        rc == ffi::SQLITE_OK
    })
}

/// Bytes this allocator has zeroed and freed so far in this process.
pub fn wiped_bytes() -> u64 {
    WIPED.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test only: it must run before anything else in this process
    // initialises SQLite, and test threads would race for that.
    #[test]
    fn installs_before_sqlite_starts_and_zeroes_what_sqlite_frees() {
        assert!(install(), "SQLite had not started: install must succeed");
        assert!(install(), "a second call reports the same");
        // SAFETY: plain SQLite API use: allocate, write, grow, free.
        unsafe {
            let p = ffi::sqlite3_malloc(100).cast::<u8>();
            assert!(!p.is_null());
            std::ptr::write_bytes(p, 0xA5, 100);
            assert!(ffi::sqlite3_msize(p.cast()) >= 100);
            let before = wiped_bytes();
            // Growing copies into a new block and wipes the old one.
            let q = ffi::sqlite3_realloc(p.cast(), 5000).cast::<u8>();
            assert!(!q.is_null());
            assert_eq!(*q.add(99), 0xA5, "realloc keeps the contents");
            assert!(wiped_bytes() >= before + 100, "the old block was wiped");
            let before = wiped_bytes();
            ffi::sqlite3_free(q.cast());
            assert!(wiped_bytes() >= before + 5000, "the freed block was wiped");
        }
        // And SQLite works on it: an in-memory database round trip.
        // SAFETY: open, exec and close with valid pointers.
        unsafe {
            let mut db = std::ptr::null_mut();
            let name = c":memory:";
            assert_eq!(ffi::sqlite3_open(name.as_ptr(), &mut db), ffi::SQLITE_OK);
            let sql =
                c"CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(100000)); DELETE FROM t;";
            let before = wiped_bytes();
            let rc = ffi::sqlite3_exec(
                db,
                sql.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            assert_eq!(ffi::sqlite3_close(db), ffi::SQLITE_OK);
            assert!(
                wiped_bytes() > before + 100_000,
                "SQLite's own frees go through the wipe"
            );
        }
    }
}
