//! The embedded Redis: started, restarted, stopped; open, with a password,
//! over TLS.

use super::*;

#[test]
fn redis_starts_answers_restarts_and_stops() {
    let mut server = RedisServer::start_persistent().expect("redis-server starts");
    let shown = crate::redact::url(&server.url());
    assert!(server.url().starts_with("redis://app:"), "{shown}");
    server.ping().expect("PONG");
    let port = server.port();
    server.restart().expect("restarts");
    assert_eq!(server.port(), port);
    server.ping().expect("PONG after restart");
    server.stop().expect("stops");
    assert!(!server.is_running());
    assert!(server.ping().is_err(), "nothing answers once stopped");
}

/// What `redis-cli` (password from the environment) answers over TLS.
fn cli_ping(server: &RedisServer, ca: Option<&std::path::Path>) -> String {
    let mut cli = Command::new("redis-cli");
    cli.args(["--tls", "-p", &server.port().to_string(), "--user", USER])
        .env("REDISCLI_AUTH", server.password().expect("a password"));
    if let Some(ca) = ca {
        cli.arg("--cacert").arg(ca);
    }
    let out = cli.arg("PING").output().expect("redis-cli runs");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    said + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn tls_redis_answers_who_trusts_its_ca_and_keeps_the_password_off_argv() {
    let server = RedisServer::start_with(RedisOptions {
        tls: true,
        ..RedisOptions::default()
    })
    .expect("redis-server starts with TLS");
    let url = server.url();
    assert!(url.starts_with("rediss://app:"), "{url}");
    let ca = server.ca_file().expect("a CA");
    assert!(cli_ping(&server, Some(&ca)).contains("PONG"));
    let untrusted = cli_ping(&server, None);
    assert!(!untrusted.contains("PONG"), "{untrusted}");
    let pid = server.child.as_ref().expect("running").id();
    let argv = std::fs::read(format!("/proc/{pid}/cmdline")).expect("argv");
    let password = server.password().expect("a password").as_bytes();
    assert!(!argv.windows(password.len()).any(|w| w == password));
}

#[test]
fn an_open_redis_has_no_password() {
    let server = RedisServer::start_open().expect("redis-server starts");
    assert!(server.url().starts_with("redis://127.0.0.1:"));
    assert!(server.password().is_none());
    server.ping().expect("PONG without AUTH");
}

#[test]
fn debug_shows_the_port_and_not_the_password() {
    let server = RedisServer::start().expect("redis-server starts");
    let password = server.password().expect("a password");
    let debug = format!("{server:?}");
    assert!(!debug.contains(password), "{debug}");
    assert!(debug.contains(r#"password: Some("***")"#), "{debug}");
    assert!(
        debug.contains(&format!("port: {}", server.port())),
        "{debug}"
    );
}
