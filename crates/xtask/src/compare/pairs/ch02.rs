//! `cargo xtask compare` · Chapter 2: grep, mgrep and the asyncio fetch.

use anyhow::ensure;
use serde_json::Value;
use workbench::Record;

use super::{Bar, Pair, bar, line, quotes_agree, reps, words};
use crate::compare::{Ctx, Scale};

// --- ch02 · grep and mgrep over the corpus the Rust side writes -----------

/// The corpus file the Rust record names, as an absolute path.
fn corpus(rust: &Record) -> String {
    let file = rust.size["file"]
        .as_str()
        .unwrap_or("target/ch02/corpus.txt");
    crate::paths::root().join(file).display().to_string()
}

/// The Python side's arguments: `--file` and the corpus, then `rest`.
fn corpus_args(ctx: &Ctx, rest: &str) -> Vec<String> {
    let mut args = words(&["--file", &corpus(ctx.rust())]);
    args.extend(line(rest));
    args
}

/// Both greps' bars: one thread, the threaded pipeline (`threads` threads
/// as the Rust side counts them), the coroutines.
fn grep_bars(threads_label: &'static str, threads: usize) -> Vec<Bar> {
    vec![
        bar("seq", "seq", "seq", 1),
        bar(threads_label, "threads", "threads", threads),
        bar("async / coroutines", "async", "async", 1),
    ]
}

pub fn grep() -> Pair {
    Pair {
        rust_args: |ctx| {
            let reps = reps(ctx.scale, true);
            line(&format!(
                "grep -i love --variants seq,threads,async --reps {reps}"
            ))
        },
        python_args: |ctx| {
            corpus_args(ctx, &format!("-i love --reps {}", reps(ctx.scale, false)))
        },
        same_size: &["pattern"],
        bars: grep_bars("threads ×3", 3),
        check: |rust, answer, _| {
            let counted = rust.runs.first().and_then(|r| r.extra.get("count"));
            let counted = counted.map(|&c| c as u64);
            ensure!(
                answer["count"].as_u64() == counted,
                "Python counted {}, Rust {counted:?}",
                answer["count"]
            );
            Ok(())
        },
        ..Pair::plain("ch02", "grep", "ch02.grep")
    }
}

const PATTERNS: [&str; 3] = ["love", "hate", "hope"];

pub fn mgrep() -> Pair {
    Pair {
        rust_args: |ctx| {
            let (reps, patterns) = (reps(ctx.scale, true), PATTERNS.join(" "));
            line(&format!(
                "mgrep -i --variants seq,threads,async --reps {reps} {patterns}"
            ))
        },
        python_args: |ctx| {
            let (reps, patterns) = (reps(ctx.scale, false), PATTERNS.join(" "));
            corpus_args(ctx, &format!("-i --reps {reps} {patterns}"))
        },
        same_size: &["patterns"],
        bars: grep_bars("threads ×4", 4),
        check: |rust, answer, _| {
            let run = rust.runs.first();
            let counted: Vec<Value> = PATTERNS
                .iter()
                .map(|p| {
                    let count = run.and_then(|r| r.extra.get(*p)).copied();
                    Value::from(count.map(|c| c as u64))
                })
                .collect();
            ensure!(
                answer["counts"] == Value::from(counted.clone()),
                "Python counted {}, Rust {counted:?}",
                answer["counts"]
            );
            Ok(())
        },
        ..Pair::plain("ch02", "mgrep", "ch02.mgrep")
    }
}

// --- ch02 · fetch: asyncio + aiohttp against tokio + reqwest ---------------

const LATENCY_MS: u64 = 50;

/// The numbers of requests in flight at once.
fn requests(scale: Scale) -> &'static str {
    scale.pick("1,10", "1,10,100,1000")
}

pub fn fetch() -> Pair {
    Pair {
        service_ms: Some(LATENCY_MS),
        rust_args: |ctx| {
            let mut args = words(&["fetch", "--service", &ctx.url()]);
            args.extend(line(&format!(
                "--latency-ms 50 --requests {} --variants async --reps {}",
                requests(ctx.scale),
                reps(ctx.scale, false)
            )));
            args
        },
        python_args: |ctx| {
            let rest = format!(
                "--latency-ms 50 --requests {} --reps {}",
                requests(ctx.scale),
                reps(ctx.scale, false)
            );
            ctx.service_args("--url", &rest)
        },
        derive: Some(kib_per_request),
        same_size: &["requests", "latency_ms"],
        bars: vec![
            bar("1 request", "async", "async", 1),
            bar("10 requests", "async", "async", 10),
            bar("100 requests", "async", "async", 100),
            bar("1,000 requests", "async", "async", 1000),
        ],
        extras: &["kib_per_request", "added_mib", "peak_mib", "x_latency"],
        // The most requests of one run: the pairs Rust's quotes were for.
        check: |rust, answer, _| {
            let asked = rust.size["requests"].as_array().and_then(|r| r.last());
            quotes_agree(answer, asked.unwrap_or(&Value::Null))
        },
        ..Pair::plain("ch02", "fetch", "ch02.fetch")
    }
}

/// Memory per request in flight: the resident memory a run added beyond
/// the one-request run's, over the requests beyond the first (KiB). The
/// first request's share (a runtime, a connection pool) is not per request.
fn kib_per_request(record: &mut Record) {
    let added = |r: &workbench::Run| r.extra.get("added_mib").copied();
    let Some((one, base)) = record
        .runs
        .iter()
        .filter_map(|r| Some((r.workers, added(r)?)))
        .min_by_key(|&(n, _)| n)
    else {
        return;
    };
    for run in &mut record.runs {
        let (n, Some(mib)) = (run.workers, added(run)) else {
            continue;
        };
        if n > one {
            let per = (mib - base) * 1024.0 / (n - one) as f64;
            run.extra.insert("kib_per_request".into(), per);
        }
    }
}
