//! Chapter 6 · The cluster's network namespace, seen from the test: the
//! daemons' ports listen inside it and not in the host's namespace.

use ch06::cluster::Cluster;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// slurmctld listens on 0.0.0.0, slurmd on 127.0.0.1, both inside the
/// cluster's namespace: neither port is open in this (the host's) one.
pub fn only_the_namespace_listens(cluster: &Cluster) {
    let conf = std::fs::read_to_string(cluster.layout.conf()).expect("slurm.conf");
    let ports = ["SlurmctldPort=", "SlurmdPort="].map(|key| {
        let value = conf.lines().find_map(|l| l.strip_prefix(key)).expect(key);
        value.trim().parse::<u16>().expect("a port number")
    });
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let host = host_listening();
    let probe_port = probe.local_addr().expect("bound").port();
    assert!(
        host.contains(&probe_port),
        "/proc/net/tcp parsing: {host:?}"
    );
    for port in ports {
        assert!(!host.contains(&port), "port {port} listens on the host");
    }

    let mut ss = cluster.netns.command("ss").expect("ss in the namespace");
    let inside = text(&ss.arg("-ltn").output().expect("ss runs").stdout);
    let inside: Vec<u16> = inside
        .lines()
        .filter_map(|line| line.split_whitespace().nth(3)?.rsplit_once(':'))
        .filter_map(|(_, port)| port.parse().ok())
        .collect();
    for port in ports {
        assert!(inside.contains(&port), "port {port} not in {inside:?}");
    }
    let mut links = cluster.netns.command("ip").expect("ip in the namespace");
    let links = text(&links.args(["-o", "link"]).output().expect("ip").stdout);
    assert!(links.lines().all(|l| l.contains(": lo:")), "{links}");
}

/// Ports in LISTEN state (`0A`) in this process's network namespace.
fn host_listening() -> Vec<u16> {
    let tables = ["/proc/net/tcp", "/proc/net/tcp6"]
        .map(|path| std::fs::read_to_string(path).unwrap_or_default());
    tables
        .iter()
        .flat_map(|table| table.lines().skip(1))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (_, port) = fields.get(1)?.rsplit_once(':')?;
            let listening = *fields.get(3)? == "0A";
            listening.then(|| u16::from_str_radix(port, 16).ok())?
        })
        .collect()
}
