//! `cargo xtask book --serve`: serve target/book/ and rebuild on changes.
//!
//! The server is tower-http's `ServeDir` (`crate::httpd`). Changes are
//! found by looking at `chapters/` once a second (the file count and the
//! newest modification time), not with the `notify` crate: a rebuild takes
//! seconds anyway, the look is twenty lines with no dependency, and it
//! sees edits the same way on every file system (inotify misses some on
//! network and container mounts, and an editor's save-by-rename needs
//! debouncing).

use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::Result;

use super::{Notebooks, build};
use crate::httpd::Server;
use crate::paths;

/// The port `--serve` listens on, on 127.0.0.1.
const PORT: u16 = 3000;

/// Serve the rendered book until interrupted; rebuild it (without
/// re-measuring figures or re-running notebooks) when chapters/ changes.
pub fn serve_and_rebuild(notebooks: Notebooks) -> Result<()> {
    let server = Server::start(&paths::book_dir(), PORT)?;
    println!(
        "serving the book at {} — edits under chapters/ rebuild it; reload \
         the page to see them (Ctrl-C stops)",
        server.url()
    );
    let chapters = paths::root().join("chapters");
    let mut seen = fingerprint(&chapters);
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = fingerprint(&chapters);
        if now != seen {
            seen = now;
            match build(notebooks) {
                Ok(()) => println!("rebuilt: reload the page"),
                Err(err) => eprintln!("rebuild failed: {err:#}"),
            }
        }
    }
}

/// The number of files under `dir` and their latest modification time.
fn fingerprint(dir: &Path) -> (usize, Option<SystemTime>) {
    let mut count = 0;
    let mut latest = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified())
            {
                count += 1;
                latest = latest.max(Some(modified));
            }
        }
    }
    (count, latest)
}
