//! Workbench · Local services: every server the workbook starts listens on
//! loopback only, read from the kernel's own tables while they run.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use workbench::rates::RateService;
use workbench::services::{RabbitMq, RedisServer};

/// A listening TCP socket: its address as the kernel prints it, its port.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listening {
    addr: String,
    port: u16,
}

impl Listening {
    fn is_loopback(&self) -> bool {
        // /proc/net/tcp prints addresses as little-endian hex words.
        self.addr.ends_with("7F") && self.addr.len() == 8
            || self.addr == "00000000000000000000000001000000"
    }
}

/// Every LISTEN socket of the machine, by inode.
fn listening_sockets() -> HashMap<u64, Listening> {
    let mut sockets = HashMap::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).expect("a /proc/net table");
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 10 || fields[3] != "0A" {
                continue; // 0A: LISTEN
            }
            let (addr, port) = fields[1].split_once(':').expect("ADDR:PORT");
            let port = u16::from_str_radix(port, 16).expect("a hex port");
            let inode = fields[9].parse().expect("an inode");
            sockets.insert(
                inode,
                Listening {
                    addr: addr.into(),
                    port,
                },
            );
        }
    }
    sockets
}

fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect()
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // pid (comm) state ppid ...: comm may hold spaces, so after the ')'.
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// This process, its descendants, and the daemons whose environment names
/// one of `markers` (epmd leaves its parent when it daemonizes).
fn our_processes(markers: &[String]) -> HashSet<u32> {
    let all = pids();
    let mut ours: HashSet<u32> = HashSet::from([std::process::id()]);
    loop {
        let before = ours.len();
        for &pid in &all {
            if parent_of(pid).is_some_and(|p| ours.contains(&p)) {
                ours.insert(pid);
            }
        }
        if ours.len() == before {
            break;
        }
    }
    for &pid in &all {
        let environ =
            std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let environ = String::from_utf8_lossy(&environ);
        if markers.iter().any(|m| environ.split('\0').any(|v| v == m)) {
            ours.insert(pid);
        }
    }
    ours
}

/// The socket inodes `pid` holds open.
fn socket_inodes(pid: u32) -> Vec<u64> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|link| {
            let link = link.to_string_lossy().into_owned();
            link.strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn every_server_the_workbook_starts_listens_on_loopback_only() {
    let redis = RedisServer::start().expect("redis-server starts");
    let rabbitmq = RabbitMq::start().expect("rabbitmq-server starts");
    let rates = RateService::start(Duration::ZERO).expect("the rate service starts");
    let markers = [format!("ERL_EPMD_PORT={}", rabbitmq.epmd_port())];
    let sockets = listening_sockets();
    let mut ours = Vec::new();
    for pid in our_processes(&markers) {
        for inode in socket_inodes(pid) {
            if let Some(socket) = sockets.get(&inode) {
                ours.push((pid, socket.clone()));
            }
        }
    }
    let ports: HashSet<u16> = ours.iter().map(|(_, s)| s.port).collect();
    for (what, port) in [
        ("redis", redis.port()),
        ("amqp", rabbitmq.port()),
        ("erlang distribution", rabbitmq.dist_port()),
        ("epmd", rabbitmq.epmd_port()),
        ("rates", rates.addr().port()),
    ] {
        assert!(
            ports.contains(&port),
            "{what} port {port} not found in {ours:?}"
        );
    }
    let exposed: Vec<_> = ours.iter().filter(|(_, s)| !s.is_loopback()).collect();
    assert!(exposed.is_empty(), "listening beyond loopback: {exposed:?}");
}
