//! `cargo xtask compare` · Every pair's declaration, printed: the commands
//! both sides run at both scales, checked against `pairs.golden`.

use std::fmt::Write as _;

use serde_json::json;
use workbench::Record;

use super::pairs::{self, Pair, RustSide};
use super::{Ctx, Scale};

/// A context as the run gives it once the Rust side ran: a rate service,
/// a broker at `broker`, a pairs file, the Rust record.
pub(super) fn fake_ctx<'a>(scale: Scale, broker: &str, rust: &'a Record) -> Ctx<'a> {
    Ctx {
        scale,
        url: Some("http://127.0.0.1:9".into()),
        broker: Some(broker.into()),
        pairs_file: Some("/tmp/pairs.json".into()),
        rust: Some(rust),
    }
}

/// One pair at one scale as text: what is run, and what is compared.
fn describe(pair: &Pair, scale: Scale, out: &mut String) {
    let mut rust = Record::new(pair.chapter, pair.example, json!({}));
    rust.size = json!({"file": "target/ch02/corpus.txt", "units": 200,
        "serial": 0.05});
    let ctx = fake_ctx(scale, "redis://127.0.0.1:7", &rust);
    let root = crate::paths::root().display().to_string();
    let line = |args: Vec<String>| format!("{args:?}").replace(&root, "<root>");
    let _ = writeln!(out, "== {} {} {scale:?}", pair.chapter, pair.example);
    let _ = writeln!(
        out,
        "service {:?} features {:?} redis {} celery {}",
        pair.service_ms, pair.features, pair.redis, pair.celery_workers
    );
    match pair.rust {
        RustSide::Record => {
            let _ = writeln!(out, "rust record");
        }
        RustSide::Merged { calls, .. } => {
            for call in calls(&ctx) {
                let _ = writeln!(out, "rust merged: {}", line(call));
            }
        }
        RustSide::Converted { flags, rounds, .. } => {
            let _ = writeln!(out, "rust converted flags {flags} rounds {rounds}");
        }
    }
    let _ = writeln!(out, "rust: {}", line((pair.rust_args)(&ctx)));
    let _ = writeln!(out, "python -m {}", pair.python_module);
    let _ = writeln!(out, "python: {}", line((pair.python_args)(&ctx)));
    if let Some(probe) = pair.probe {
        let (args, stdin) = probe(&rust);
        let _ = writeln!(out, "probe: {} <<< {}", line(args), stdin.trim());
    }
    let _ = writeln!(
        out,
        "derive {} same_size {:?} extras {:?}",
        pair.derive.is_some(),
        pair.same_size,
        pair.extras
    );
    for bar in &pair.bars {
        let _ = writeln!(out, "bar {bar:?}");
    }
}

#[test]
fn every_pair_declares_what_it_declared_before() {
    let mut out = String::new();
    for pair in pairs::all() {
        for scale in [Scale::Tiny, Scale::Measure] {
            describe(&pair, scale, &mut out);
        }
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/compare/pairs.golden");
    if std::env::var_os("XTASK_BLESS").is_some() {
        std::fs::write(path, &out).expect("writing pairs.golden");
    }
    let want = std::fs::read_to_string(path).expect("pairs.golden");
    assert_eq!(out, want, "the pairs' declarations changed");
}

/// `Pair::plain`'s check fails on purpose: every pair declares its own.
#[test]
fn every_pair_declares_its_answer_check() {
    let rust = Record::new("ch00", "any", json!({}));
    for pair in pairs::all() {
        if let Err(err) = (pair.check)(&rust, &json!({}), None) {
            let what = format!("{err:#}");
            assert!(
                !what.contains("declares no answer check"),
                "{}",
                pair.example
            );
        }
    }
}
