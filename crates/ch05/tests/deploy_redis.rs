//! Chapter 5 · Packaging: the Redis start-up scripts of the Kubernetes and
//! Compose files, run here against the local `redis-server` — the password
//! read from stdin is required, the shell is replaced by Redis (`exec`, so
//! Redis gets the SIGTERM), and the Secret's placeholder is refused.
//! (That no password is in argv is checked statically, in deploy_k8s.rs
//! and deploy_compose.rs: Redis rewrites its process title, so its
//! /proc/PID/cmdline would not show one anyway.)

#[path = "support/manifests.rs"]
mod manifests;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use manifests::{find, k8s_docs, seq, text, volume_at, yaml};
use workbench::services::free_port;

const PASSWORD: &str = "9f1c0de2b7a4";

/// Run `script` with `sh -c` and the password in the environment, as the
/// container would; wait for Redis to listen on `port`.
fn start(script: &str, password: &str, port: u16) -> Child {
    let mut child = Command::new("sh")
        .args(["-c", script])
        .env("REDIS_PASSWORD", password)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("redis exited: {status}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "redis never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// Without the password: refused; with it: served, append-only on; and
/// the process started is Redis itself, not a shell waiting for it.
fn check_running(mut redis: Child, port: u16) {
    let ping = |url: &str| -> redis::RedisResult<String> {
        let client = redis::Client::open(url)?;
        let mut conn = client.get_connection_with_timeout(Duration::from_secs(2))?;
        redis::cmd("PING").query(&mut conn)
    };
    let refused = ping(&format!("redis://127.0.0.1:{port}/0")).expect_err("refused");
    assert!(refused.to_string().contains("NOAUTH"), "{refused}");
    let url = format!("redis://:{PASSWORD}@127.0.0.1:{port}/0");
    assert_eq!(ping(&url).expect("served"), "PONG");
    let client = redis::Client::open(url).expect("a URL");
    let mut conn = client.get_connection().expect("connects");
    let aof: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("appendonly")
        .query(&mut conn)
        .expect("CONFIG GET");
    assert_eq!(aof[1], "yes");
    let argv = std::fs::read(format!("/proc/{}/cmdline", redis.id())).expect("argv");
    let argv = String::from_utf8_lossy(&argv);
    assert!(
        argv.contains("redis-server"),
        "exec'd: Redis is the process"
    );
    assert!(!argv.contains(PASSWORD), "the password in argv: {argv}");
    redis.kill().expect("stopped");
    redis.wait().expect("reaped");
}

fn kubernetes_script(dir: &std::path::Path, port: u16) -> String {
    let docs = k8s_docs();
    let config =
        text(&find(&docs, "ConfigMap", "redis-config")["data"]["redis.conf"]);
    let config = config.replace("dir /data", &format!("dir {}", dir.display()));
    let conf = dir.join("redis.conf");
    let local = format!("{config}\nport {port}\nbind 127.0.0.1\n");
    std::fs::write(&conf, local).expect("a config file");
    let redis = find(&docs, "StatefulSet", "redis");
    let container = &redis["spec"]["template"]["spec"]["containers"][0];
    let command: Vec<String> = seq(&container["command"]).iter().map(text).collect();
    assert_eq!(command, ["sh", "-c"]);
    let script = text(&container["args"][0]);
    assert!(
        script.contains("/etc/redis/redis.conf"),
        "the mounted config"
    );
    // ...which is where the ConfigMap is mounted.
    let pod = &redis["spec"]["template"]["spec"];
    let volume = volume_at(pod, container, "/etc/redis");
    assert_eq!(volume["configMap"]["name"], "redis-config");
    script.replace("/etc/redis/redis.conf", &conf.to_string_lossy())
}

#[test]
fn the_kubernetes_redis_takes_its_password_on_stdin_and_refuses_the_placeholder() {
    let dir = tempfile::tempdir().expect("a directory");
    let port = free_port().expect("a port");
    let script = kubernetes_script(dir.path(), port);
    check_running(start(&script, PASSWORD, port), port);

    let out = Command::new("sh")
        .args(["-c", &script])
        .env("REDIS_PASSWORD", "CHANGE-ME-with-kubectl-create-secret")
        .output()
        .expect("sh runs");
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("create the Secret ch05-redis"), "{said}");
}

#[test]
fn the_compose_redis_takes_its_password_on_stdin() {
    let dir = tempfile::tempdir().expect("a directory");
    let port = free_port().expect("a port");
    let doc = &yaml("compose.yaml")[0];
    let command: Vec<String> = seq(&doc["services"]["redis"]["command"])
        .iter()
        .map(text)
        .collect();
    assert_eq!(command[..2], ["sh", "-c"]);
    // Compose turns `$$` into `$`; here Redis listens on loopback, in `dir`.
    let local = format!(
        "redis-server - --port {port} --bind 127.0.0.1 --dir {}",
        dir.path().display()
    );
    let script = command[2]
        .replace("$$", "$")
        .replace("redis-server -", &local);
    check_running(start(&script, PASSWORD, port), port);
}
