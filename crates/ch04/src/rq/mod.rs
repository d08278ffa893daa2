//! Chapter 4 · Alternatives: Python-RQ, re-told on `apalis` 1.0. A caller
//! puts function calls on a queue, worker processes run them one at a time
//! and store each result, the caller waits for the results by job id.
//!
//! The queue lives in SQLite (`apalis-sqlite`: one file, no server — the
//! embedded default) or in Redis (`apalis-redis`, as RQ does).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};
use workbench::redact;

pub mod connect;
pub mod example;
pub mod job;
pub mod place;
pub mod queue;
pub mod report;
pub mod worker;

pub use job::{Answer, Job, Output};
pub use queue::{JobResult, Queue};

/// The queue's name in either store (RQ's `Queue('default')`).
pub const QUEUE: &str = "rq:default";

/// How often an idle worker asks the store for work.
pub const POLL: Duration = Duration::from_millis(50);

/// Where the queue is kept. Its `Debug` hides a Redis URL's password, so
/// a failed assertion or a log line that prints the store leaks nothing.
#[derive(Clone, PartialEq, Eq)]
pub enum Store {
    /// A SQLite database file (created if missing).
    Sqlite(PathBuf),
    /// A Redis server, `redis://host:port/db` (`rediss://` over TLS).
    Redis(String),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Store::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Store::Redis(url) => f
                .debug_tuple("Redis")
                .field(&redact::Redacted(url))
                .finish(),
        }
    }
}

impl Store {
    /// `sqlite:PATH` (or `sqlite://PATH`), `redis://…` or `rediss://…`.
    pub fn parse(url: &str) -> Result<Self> {
        if url.starts_with("redis://") || url.starts_with("rediss://") {
            return Ok(Store::Redis(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                bail!(
                    "`{}` names no database file (sqlite:PATH)",
                    redact::url(url)
                );
            }
            return Ok(Store::Sqlite(PathBuf::from(path)));
        }
        bail!(
            "`{}` is neither sqlite:PATH nor redis://HOST:PORT (rediss:// for TLS)",
            redact::url(url)
        )
    }

    /// The URL a worker is given (`--broker`).
    pub fn url(&self) -> String {
        match self {
            Store::Sqlite(path) => format!("sqlite:{}", path.display()),
            Store::Redis(url) => url.clone(),
        }
    }

    /// `sqlite` or `redis`.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Redis(_) => "redis",
        }
    }

    /// The options sqlx opens the file with (created when missing).
    pub(crate) fn sqlite_options(
        path: &std::path::Path,
    ) -> apalis_sqlite::SqliteConnectOptions {
        apalis_sqlite::SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .busy_timeout(Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls_parse_both_ways() {
        let sqlite = Store::parse("sqlite:/tmp/q.sqlite").expect("sqlite");
        assert_eq!(sqlite, Store::Sqlite("/tmp/q.sqlite".into()));
        assert_eq!(Store::parse(&sqlite.url()).expect("again"), sqlite);
        assert_eq!(
            Store::parse("sqlite:///tmp/q.sqlite").expect("sqlite://"),
            sqlite
        );
        let redis = Store::parse("redis://127.0.0.1:6379/0").expect("redis");
        assert_eq!(redis.kind(), "redis");
        let tls = Store::parse("rediss://app:pw@127.0.0.1:6380/0").expect("tls");
        assert_eq!(tls.kind(), "redis");
        assert!(Store::parse("amqp://localhost").is_err());
        assert!(Store::parse("sqlite:").is_err());
    }

    #[test]
    fn debug_hides_the_password() {
        let store =
            Store::parse("redis://app:s3cret@127.0.0.1:6379/0").expect("redis");
        let shown = format!("{store:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("127.0.0.1:6379"), "{shown}");
    }
}
