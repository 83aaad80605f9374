//! Measuring helpers shared by the benchmarks.

/// Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0), so that
/// the next reading is the peak of what runs after this call alone.
pub fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
}

/// The peak RSS since start or the last reset, in MiB.
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap()
        / 1024.0
}
