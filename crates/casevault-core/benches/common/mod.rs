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

/// Writes `files` files of pseudo-random bytes (incompressible, so no
/// contender gains from compression), `total_mib` MiB in all, named
/// `<stem>-<n>.bin` in `dir`; returns their paths.
pub fn random_files(
    dir: &std::path::Path,
    stem: &str,
    files: u64,
    total_mib: u64,
) -> Vec<std::path::PathBuf> {
    use std::io::Write;
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..files)
        .map(|f| {
            let path = dir.join(format!("{stem}-{f}.bin"));
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            let mut block = vec![0u8; 1 << 20];
            for _ in 0..total_mib / files {
                for b in block.chunks_exact_mut(8) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    b.copy_from_slice(&x.to_le_bytes());
                }
                w.write_all(&block).unwrap();
            }
            w.flush().unwrap();
            path
        })
        .collect()
}
