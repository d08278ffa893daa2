//! Memory of this process as Linux reports it in `/proc/self/status`:
//! the resident set now (`VmRSS`) and its peak so far (`VmHWM`).
//!
//! The peak never goes down, so to measure one piece of work, run it in a
//! fresh child process and read the child's peak at its end.

use anyhow::{Context, Result};

/// Resident memory now, in KiB.
pub fn rss_kib() -> Result<u64> {
    field("VmRSS")
}

/// The highest resident memory this process has had, in KiB.
pub fn peak_rss_kib() -> Result<u64> {
    field("VmHWM")
}

fn field(name: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("reading /proc/self/status (memory figures need Linux)")?;
    parse(&status, name).with_context(|| format!("no {name} in /proc/self/status"))
}

/// The value in KiB of a `Name:   1234 kB` line.
fn parse(status: &str, name: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_lines_parse() {
        let status = "Name:\tch02\nVmHWM:\t   10240 kB\nVmRSS:\t    8000 kB\n";
        assert_eq!(parse(status, "VmHWM"), Some(10240));
        assert_eq!(parse(status, "VmRSS"), Some(8000));
        assert_eq!(parse(status, "VmPeak"), None);
    }

    #[test]
    fn the_peak_is_at_least_what_is_resident_and_grows() {
        let resident = rss_kib().expect("rss");
        assert!(resident >= 1 && resident <= peak_rss_kib().expect("peak"));
        let block = vec![1u8; 64 << 20]; // 64 MiB, every page written
        assert!(std::hint::black_box(&block).iter().all(|&b| b == 1));
        assert!(peak_rss_kib().expect("peak") >= resident + 60 * 1024);
    }
}
