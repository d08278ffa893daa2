//! Chapter 8 · Dataflow: a word count on timely dataflow, the Rust
//! counterpart of the book's pointer to Spark and Storm.
//!
//! The corpus is split into chunks; each worker counts the words of its own
//! chunks (Spark's map-side combine), the partial counts are exchanged so
//! that every word lands on the one worker that owns it (the shuffle), and
//! that worker adds them up (the reduce). The same code runs with several
//! workers in one process or across processes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use timely::dataflow::operators::vec::Map;
use timely::dataflow::operators::{Exchange, Inspect, ToStream};

/// Word → how many times it occurs.
pub type Counts = HashMap<String, u64>;

/// What one worker returns: the words it owns, and the seconds it worked
/// (after a barrier — so after the processes have connected — to the end
/// of the dataflow).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Part {
    pub counts: Counts,
    pub busy_s: f64,
}

/// Lines per chunk: the unit of work a worker takes.
pub const CHUNK_LINES: usize = 500;

const WORDS: [&str; 24] = [
    "task",
    "worker",
    "queue",
    "broker",
    "thread",
    "process",
    "message",
    "result",
    "cluster",
    "node",
    "job",
    "rank",
    "future",
    "event",
    "loop",
    "lock",
    "core",
    "memory",
    "network",
    "latency",
    "scheduler",
    "batch",
    "stream",
    "dataflow",
];

/// `lines` lines of twelve words, the same for the same `seed`, skewed so
/// that a few words are common and most are rare.
pub fn corpus(lines: usize, seed: u64) -> Vec<String> {
    let mut state = seed.max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..lines)
        .map(|_| {
            let words: Vec<&str> = (0..12)
                .map(|_| {
                    let r = (next() % 1000) as f64 / 1000.0;
                    WORDS[(r * r * WORDS.len() as f64) as usize]
                })
                .collect();
            words.join(" ")
        })
        .collect()
}

// ANCHOR: seq
/// The sequential count every dataflow run is checked against.
pub fn count_seq(text: &[String]) -> Counts {
    let mut counts = Counts::new();
    for word in text.iter().flat_map(|line| line.split_whitespace()) {
        match counts.get_mut(word) {
            Some(n) => *n += 1,
            None => {
                counts.insert(word.to_owned(), 1);
            }
        }
    }
    counts
}
// ANCHOR_END: seq

/// A hash every process computes alike (FNV-1a), to route a word.
pub fn route(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

// ANCHOR: dataflow
/// Count the words of `text` on the workers `config` describes; returns
/// the words each worker of this process owns.
pub fn count_dataflow(
    text: Arc<Vec<String>>,
    config: timely::Config,
) -> Result<Vec<Part>> {
    let guards = timely::execute(config, move |worker| {
        barrier(worker);
        let start = std::time::Instant::now();
        let (index, peers) = (worker.index(), worker.peers());
        let owned = Rc::new(RefCell::new(Counts::new()));
        let sink = Rc::clone(&owned);
        let text = Arc::clone(&text);
        let chunks = text.len().div_ceil(CHUNK_LINES);
        let mine: Vec<usize> = (index..chunks).step_by(peers).collect();
        worker.dataflow::<u64, _, _>(move |scope| {
            mine.to_stream(scope)
                .container::<Vec<usize>>()
                .flat_map(move |chunk| {
                    let end = ((chunk + 1) * CHUNK_LINES).min(text.len());
                    count_seq(&text[chunk * CHUNK_LINES..end]).into_iter()
                })
                .exchange(|(word, _): &(String, u64)| route(word))
                .inspect(move |(word, n)| {
                    *sink.borrow_mut().entry(word.clone()).or_insert(0) += n;
                });
        });
        while worker.step() {}
        Part {
            counts: owned.take(),
            busy_s: start.elapsed().as_secs_f64(),
        }
    })
    .map_err(|e| anyhow!("starting the timely workers: {e}"))?;
    guards
        .join()
        .into_iter()
        .map(|r| r.map_err(|e| anyhow!("a timely worker failed: {e}")))
        .collect()
}
// ANCHOR_END: dataflow

/// An empty dataflow: it completes only once every worker has heard from
/// every other, so across processes it waits until they have connected.
fn barrier(worker: &mut timely::worker::Worker) {
    worker.dataflow::<u64, _, _>(|scope| {
        Vec::<u64>::new()
            .to_stream(scope)
            .container::<Vec<u64>>()
            .exchange(|x| *x);
    });
    while worker.step() {}
}

/// The configuration of process `process` of a cluster of processes on
/// `addresses` (`127.0.0.1:PORT`), each with `threads` workers.
pub fn cluster(
    threads: usize,
    process: usize,
    addresses: Vec<String>,
) -> timely::Config {
    timely::Config {
        communication: timely::CommunicationConfig::Cluster {
            threads,
            process,
            addresses,
            report: false,
            zerocopy: false,
        },
        worker: timely::WorkerConfig::default(),
    }
}

/// Merge the workers' counts, checking that no word was owned twice.
pub fn merge(parts: Vec<Part>) -> Result<Counts> {
    let mut all = Counts::new();
    for part in parts {
        for (word, n) in part.counts {
            if all.insert(word.clone(), n).is_some() {
                return Err(anyhow!("`{word}` was counted by two workers"));
            }
        }
    }
    Ok(all)
}
