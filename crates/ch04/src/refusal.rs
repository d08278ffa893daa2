//! Chapter 4 · Brokers with a password and TLS: what a wrong password
//! looks like, captured for the page (`chapters/figures/ch05-wrongpass.txt`)
//! from real refused connections — `ch04 echo` run against a Redis and a
//! RabbitMQ of our own, over TLS, with a URL whose password is wrong.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use workbench::services::{RabbitMq, RedisOptions, RedisServer};

/// The password of the URLs that are refused (any but the right one).
const WRONG: &str = "not-the-password";

/// Run `program` (the `ch04` binary) as `ch04 echo` with a wrong password
/// for a TLS Redis, then for a TLS RabbitMQ; the error line each prints,
/// one per line. Fails if a run succeeds, prints no such line, or shows
/// the password it was given.
pub fn capture(program: &Path) -> Result<String> {
    let redis = RedisServer::start_with(RedisOptions {
        tls: true,
        ..RedisOptions::default()
    })?;
    let rabbit = RabbitMq::start_tls()?;
    let brokers = [
        (redis.url(), redis.password(), redis.ca_file()),
        (rabbit.url(), Some(rabbit.password()), rabbit.ca_file()),
    ];
    let mut out = String::new();
    for (url, password, ca) in brokers {
        let (Some(password), Some(ca)) = (password, ca) else {
            bail!("the broker was started without a password or TLS");
        };
        let wrong = url.replacen(password, WRONG, 1);
        let run = Command::new(program)
            .arg("echo")
            .env("REDIS_URL", &wrong) // not argv: it holds a password
            .env("SSL_CERT_FILE", ca)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {}", program.display()))?;
        let said = String::from_utf8_lossy(&run.stderr);
        let line = said
            .lines()
            .find(|line| line.contains("refused the credentials"));
        match line {
            Some(line) if !run.status.success() && !line.contains(WRONG) => {
                writeln!(out, "{line}")?;
            }
            _ => bail!(
                "`ch04 echo` with a wrong password did not say it was refused \
                 ({}):\n{}",
                run.status,
                workbench::redact::text(&said).replace(WRONG, "***")
            ),
        }
    }
    Ok(out)
}
