//! Workbench · `ip netns`: a namespace made, entered both ways, and
//! deleted. Needs root (as chapter 5's hosts and chapter 6's cluster do):
//! it fails, rather than skipping, when not run as root.

use workbench::netns::Netns;

#[test]
fn a_namespace_is_made_entered_and_deleted() {
    // /proc/self belongs to this process's effective user.
    let euid = std::os::unix::fs::MetadataExt::uid(
        &std::fs::metadata("/proc/self").expect("/proc/self"),
    );
    assert!(
        euid == 0,
        "network namespaces need root: run this test as root"
    );
    let netns = Netns::new(format!("wb-test-{}", std::process::id()));
    assert!(!netns.exists());
    netns.add().expect("ip netns add");
    let _cleanup = Cleanup(netns.clone());
    assert!(netns.exists());
    netns
        .ip(&["addr", "add", "10.66.0.1/24", "dev", "lo"])
        .expect("an address inside");
    for mut command in [
        netns.exec("ip").expect("ip netns exec"),
        netns.nsenter("ip").expect("nsenter --net"),
    ] {
        let out = command.args(["-o", "addr"]).output().expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        // Inside, only the namespace's own loopback, with its address.
        assert!(text.contains("10.66.0.1/24"), "{text}");
        assert!(text.lines().all(|l| l.contains(" lo ")), "{text}");
    }
    assert!(netns.pids().is_empty());
    assert!(netns.delete().expect("ip netns del"));
    assert!(!netns.exists());
    assert!(!netns.delete().expect("nothing left to delete"));
}

/// Deletes the namespace even when an assertion fails.
struct Cleanup(Netns);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.0.delete();
    }
}
