//! Process hardening applied by the app and the CLI at start-up.
//!
//! A core dump of a process holding an unlocked vault would write the data
//! key and decrypted records to disk, so we forbid them, as KeePassXC does.

/// Disables core dumps (`RLIMIT_CORE = 0`) and, on Linux, marks the process
/// non-dumpable (`PR_SET_DUMPABLE = 0`), which also stops other processes of
/// the same user from attaching a debugger. Returns what could not be done;
/// failure is not fatal, but callers should report it.
pub fn disable_core_dumps() -> Vec<String> {
    let mut problems = Vec::new();
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        if let Err(e) = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        ) {
            problems.push(format!("could not set RLIMIT_CORE to 0: {e}"));
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
            problems.push(format!("could not clear PR_SET_DUMPABLE: {e}"));
        }
    }
    problems
}

/// True when core dumps are off for this process (used by tests and the
/// About panel).
pub fn core_dumps_disabled() -> bool {
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        limit.current == Some(0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}
