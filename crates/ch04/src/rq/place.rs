//! Chapter 4 · Alternatives: Python-RQ — where the queue lives: the URL
//! given, else a `redis-server` of our own, else (none installed) SQLite.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use workbench::services::{RedisServer, TempDir};

use super::Store;

/// Where the RQ-style queue lives, when no `--broker` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RqBackend {
    /// A SQLite file: no server.
    Sqlite,
    /// A Redis server.
    Redis,
}

/// Where the queue is, and what keeps it alive for the run.
#[derive(Debug)]
pub struct Place {
    pub store: Store,
    /// How it was chosen, for the reader.
    pub notes: Vec<String>,
    _redis: Option<RedisServer>,
    _dir: Option<TempDir>,
}

// ANCHOR: choose
/// The embedded default: a `redis-server` of our own when one is installed
/// (RQ's queue lives in Redis); if not, say how to install it and keep the
/// queue in a SQLite file instead of failing.
pub fn choose(backend: Option<RqBackend>, broker: Option<&str>) -> Result<Place> {
    if let Some(url) = broker {
        let store = Store::parse(url)
            .map_err(|e| workbench::cli::UsageError(format!("--broker: {e}")))?;
        return Ok(place(
            store,
            vec![format!("queue: {} (given)", workbench::redact::url(url))],
            None,
            None,
        ));
    }
    match backend {
        Some(RqBackend::Sqlite) => sqlite_place(Vec::new()),
        Some(RqBackend::Redis) => redis_place(redis_server_program()?),
        None => match redis_server_program() {
            Ok(program) => redis_place(program),
            Err(missing) => sqlite_place(vec![format!(
                "{missing:#}\nso the queue is kept in SQLite instead (no server needed)"
            )]),
        },
    }
}
// ANCHOR_END: choose

/// The `redis-server` to start: `CH04_REDIS_SERVER` when set (a path; a
/// missing file counts as not installed), else the one on `PATH`.
pub fn redis_server_program() -> Result<PathBuf> {
    match std::env::var_os("CH04_REDIS_SERVER") {
        Some(path) if PathBuf::from(&path).is_file() => Ok(PathBuf::from(path)),
        Some(path) => bail!(
            "redis-server is not installed at {} (CH04_REDIS_SERVER): \
             `apt install redis-server` or `cargo xtask setup`",
            PathBuf::from(path).display()
        ),
        None => workbench::bins::require_program("redis-server", "redis-server"),
    }
}

fn redis_place(program: PathBuf) -> Result<Place> {
    let redis =
        RedisServer::start_program(program).context("starting redis-server")?;
    let store = Store::Redis(redis.url());
    let note = format!(
        "queue: a redis-server of our own at {}",
        workbench::redact::url(&redis.url())
    );
    Ok(place(store, vec![note], Some(redis), None))
}

fn sqlite_place(mut notes: Vec<String>) -> Result<Place> {
    let dir = TempDir::new("ch04-rq")?;
    let path = dir.path().join("queue.sqlite");
    notes.push(format!(
        "queue: SQLite file {} (removed at exit)",
        path.display()
    ));
    Ok(place(Store::Sqlite(path), notes, None, Some(dir)))
}

fn place(
    store: Store,
    notes: Vec<String>,
    redis: Option<RedisServer>,
    dir: Option<TempDir>,
) -> Place {
    Place {
        store,
        notes,
        _redis: redis,
        _dir: dir,
    }
}
