//! `cargo xtask compare` · Chapter 2: grep, mgrep and the asyncio fetch.

use anyhow::ensure;
use serde_json::Value;
use workbench::Record;

use super::{Pair, RustSide, bar, reps, words};
use crate::compare::Scale;

// --- ch02 · grep and mgrep over the corpus the Rust side writes -----------

/// The corpus file the Rust record names, as an absolute path.
fn corpus(rust: &Record) -> String {
    let file = rust.size["file"]
        .as_str()
        .unwrap_or("target/ch02/corpus.txt");
    crate::paths::root().join(file).display().to_string()
}

pub fn grep() -> Pair {
    Pair {
        chapter: "ch02",
        example: "grep",
        service_ms: None,
        redis: false,
        features: None,
        celery_workers: 0,
        rust: RustSide::Record,
        rust_args: |ctx| {
            let scale = ctx.scale;
            words(&[
                "grep",
                "-i",
                "love",
                "--variants",
                "seq,threads,async",
                "--reps",
                reps(scale, true),
            ])
        },
        python_module: "ch02.grep",
        python_args: |ctx| {
            let (scale, rust) = (ctx.scale, ctx.rust());
            let file = corpus(rust);
            words(&["--file", &file, "-i", "love", "--reps", reps(scale, false)])
        },
        probe: None,
        extras: &[],
        derive: None,
        same_size: &["pattern"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("threads ×3", "threads", "threads", 3),
            bar("async / coroutines", "async", "async", 1),
        ],
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
    }
}

const PATTERNS: [&str; 3] = ["love", "hate", "hope"];

pub fn mgrep() -> Pair {
    Pair {
        chapter: "ch02",
        example: "mgrep",
        service_ms: None,
        redis: false,
        features: None,
        celery_workers: 0,
        rust: RustSide::Record,
        rust_args: |ctx| {
            let scale = ctx.scale;
            let mut args = words(&[
                "mgrep",
                "-i",
                "--variants",
                "seq,threads,async",
                "--reps",
                reps(scale, true),
            ]);
            args.extend(words(&PATTERNS));
            args
        },
        python_module: "ch02.mgrep",
        python_args: |ctx| {
            let (scale, rust) = (ctx.scale, ctx.rust());
            let file = corpus(rust);
            let mut args =
                words(&["--file", &file, "-i", "--reps", reps(scale, false)]);
            args.extend(words(&PATTERNS));
            args
        },
        probe: None,
        extras: &[],
        derive: None,
        same_size: &["patterns"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("threads ×4", "threads", "threads", 4),
            bar("async / coroutines", "async", "async", 1),
        ],
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
    }
}

// --- ch02 · fetch: asyncio + aiohttp against tokio + reqwest ---------------

const LATENCY_MS: u64 = 50;

pub fn fetch() -> Pair {
    Pair {
        chapter: "ch02",
        example: "fetch",
        redis: false,
        features: None,
        celery_workers: 0,
        service_ms: Some(LATENCY_MS),
        rust: RustSide::Record,
        rust_args: |ctx| {
            let url = ctx.url();
            let requests = match ctx.scale {
                Scale::Tiny => "1,10",
                Scale::Measure => "1,10,100,1000",
            };
            words(&[
                "fetch",
                "--service",
                &url,
                "--latency-ms",
                "50",
                "--requests",
                requests,
                "--variants",
                "async",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        python_module: "ch02.fetch",
        python_args: |ctx| {
            let url = ctx.url();
            let file = ctx.pairs_file_arg();
            let requests = match ctx.scale {
                Scale::Tiny => "1,10",
                Scale::Measure => "1,10,100,1000",
            };
            words(&[
                "--url",
                &url,
                "--pairs-file",
                &file,
                "--latency-ms",
                "50",
                "--requests",
                requests,
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        probe: None,
        derive: Some(kib_per_request),
        same_size: &["requests", "latency_ms"],
        bars: vec![
            bar("1 request", "async", "async", 1),
            bar("10 requests", "async", "async", 10),
            bar("100 requests", "async", "async", 100),
            bar("1,000 requests", "async", "async", 1000),
        ],
        extras: &["kib_per_request", "added_mib", "peak_mib", "x_latency"],
        check: |rust, answer, _| {
            let quotes: Vec<workbench::rates::Quote> =
                serde_json::from_value(answer["quotes"].clone())?;
            let asked = rust.size["requests"]
                .as_array()
                .and_then(|r| r.last())
                .and_then(Value::as_u64)
                .unwrap_or_default();
            let pairs = workbench::rates::pairs(asked as usize);
            // The Rust side's own check of every quote it fetched.
            workbench::rates::verify(&pairs, &quotes)
        },
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
