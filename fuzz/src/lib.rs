//! What every fuzz target links: an allocator that turns one allocation
//! over [`MAX_ALLOCATION`] into a crash. libFuzzer's own
//! `-malloc_limit_mb` only works through a sanitizer's malloc hooks, and
//! these targets run without a sanitizer so that they build on stable.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;

/// The largest single allocation a parser of outside input may make.
pub const MAX_ALLOCATION: usize = 512 << 20;

/// [`System`], aborting (which libFuzzer records as a crash, with the
/// input) on any allocation larger than [`MAX_ALLOCATION`].
pub struct Limited;

fn check(size: usize) {
    if size > MAX_ALLOCATION {
        // No allocation here: format into a fixed buffer.
        let mut buf = [0u8; 96];
        let mut out = &mut buf[..];
        let _ = writeln!(
            out,
            "fuzz: one allocation of {size} bytes is over the limit"
        );
        let left = out.len();
        let _ = std::io::stderr().write_all(&buf[..buf.len() - left]);
        std::process::abort();
    }
}

// SAFETY: every call is passed to `System` unchanged; `check` only reads
// the size.
unsafe impl GlobalAlloc for Limited {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Limited = Limited;
