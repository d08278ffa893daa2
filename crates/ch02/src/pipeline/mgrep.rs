//! Chapter 2 · An asynchronous example: the pipeline fanned out to one
//! grep → count chain per word (the book's `mgrep.py`).
//!
//! One reader, several chains: each line goes to every chain. With threads
//! and async tasks the chains run side by side; the line is shared
//! (`Arc<str>`), not copied per chain.

use std::path::Path;
use std::sync::{Arc, mpsc};

use anyhow::{Context, Result};

use crate::pipeline::grep::{cat, matches, prepare};

// ANCHOR: mgrep_seq
/// `mgrep`, `seq`: one pass over the lines, each line handed to every
/// pattern's grep → count chain in turn.
pub fn mgrep_seq(
    path: &Path,
    patterns: &[String],
    ignore_case: bool,
) -> Result<Vec<usize>> {
    let patterns: Vec<String> =
        patterns.iter().map(|p| prepare(p, ignore_case)).collect();
    let mut counts = vec![0; patterns.len()];
    for line in cat(path)? {
        let line = line?;
        for (pattern, count) in patterns.iter().zip(&mut counts) {
            *count += usize::from(matches(&line, pattern, ignore_case));
        }
    }
    Ok(counts)
}
// ANCHOR_END: mgrep_seq

// ANCHOR: mgrep_threads
/// `mgrep`, `threads`: the reader fans each line out to one thread per
/// pattern (a shared `Arc<str>`, not a copy per chain).
pub fn mgrep_threads(
    path: &Path,
    patterns: &[String],
    ignore_case: bool,
) -> Result<Vec<usize>> {
    let lines = cat(path)?;
    std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut chains = Vec::new();
        for pattern in patterns {
            let (send, receive) = mpsc::sync_channel::<Arc<str>>(1024);
            let pattern = prepare(pattern, ignore_case);
            senders.push(send);
            chains.push(scope.spawn(move || {
                receive
                    .iter()
                    .filter(|l| matches(l, &pattern, ignore_case))
                    .count()
            }));
        }
        for line in lines {
            let line: Arc<str> = line?.into();
            for send in &senders {
                send.send(Arc::clone(&line))
                    .context("a chain stopped early")?;
            }
        }
        drop(senders); // close every chain's input
        chains
            .into_iter()
            .map(|c| c.join().map_err(|_| anyhow::anyhow!("a chain panicked")))
            .collect()
    })
}
// ANCHOR_END: mgrep_threads

// ANCHOR: mgrep_async
/// `mgrep`, `async`: one task per pattern on one thread, fed by the reader.
pub fn mgrep_async(
    path: &Path,
    patterns: &[String],
    ignore_case: bool,
) -> Result<Vec<usize>> {
    let lines = cat(path)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async move {
        let mut senders = Vec::new();
        let mut chains = Vec::new();
        for pattern in patterns {
            let (send, mut receive) = tokio::sync::mpsc::channel::<Arc<str>>(1024);
            let pattern = prepare(pattern, ignore_case);
            senders.push(send);
            chains.push(tokio::spawn(async move {
                let mut count = 0;
                while let Some(line) = receive.recv().await {
                    count += usize::from(matches(&line, &pattern, ignore_case));
                }
                count
            }));
        }
        for line in lines {
            let line: Arc<str> = line?.into();
            for send in &senders {
                send.send(Arc::clone(&line))
                    .await
                    .context("a chain stopped early")?;
            }
        }
        drop(senders);
        let mut counts = Vec::new();
        for chain in chains {
            counts.push(chain.await.context("a chain panicked")?);
        }
        Ok(counts)
    })
}
// ANCHOR_END: mgrep_async
