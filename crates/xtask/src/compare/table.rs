//! `cargo xtask compare` · The rows of a side-by-side and its Markdown table.

use std::fmt::Write as _;

use super::figure::{Row, short};
use super::pairs::Pair;
use super::{Measured, Side};

/// One row per bar pair the example declares, from both records.
pub fn rows(pair: &Pair, m: &Measured) -> Vec<Row> {
    let side = |record: &workbench::Record, pick: Option<(&str, usize)>| {
        let (variant, workers) = pick?;
        let run = record
            .run(variant, workers)
            .filter(|r| r.skipped.is_none())?;
        Some(Side {
            wall_s: run.wall_s,
            speedup: run.speedup,
            extra: run.extra.clone(),
        })
    };
    pair.bars
        .iter()
        .map(|bar| Row {
            label: bar.label.to_owned(),
            rust: side(&m.rust, bar.rust),
            python: side(&m.python, bar.python),
        })
        .collect()
}

/// The size, the interpreter and the machine, under the figure and table.
pub fn footer(m: &Measured) -> String {
    format!(
        "{} · {} · {}",
        m.rust.size_text(),
        m.interpreter,
        m.rust.machine.summary()
    )
}

/// The table for the chapter page; `cpu_bound`: flag the runs that got
/// too little CPU while they were timed.
pub fn markdown(
    rows: &[Row],
    extras: &[&str],
    footer: &str,
    m: &Measured,
    cpu_bound: bool,
) -> String {
    let mut out = String::from(
        "| variant | Rust wall (s) | Python wall (s) | Python ÷ Rust | Rust speed-up | Python speed-up |",
    );
    for key in extras {
        let _ = write!(out, " Rust {key} | Python {key} |");
    }
    out.push_str("\n|---|---:|---:|---:|---:|---:|");
    out.push_str(&"---:|---:|".repeat(extras.len()));
    out.push('\n');
    let extra = |s: &Option<Side>, key: &str| {
        s.as_ref()
            .and_then(|s| s.extra.get(key))
            .map_or("–".into(), |v| format!("{v:.2}"))
    };
    // Four decimals, or three significant digits below a millisecond
    // (a ping-pong's latency).
    let wall = |s: &Option<Side>| {
        s.as_ref().map_or("–".into(), |s| match s.wall_s {
            w if w < 1e-3 => format!("{w:.2e}"),
            w => format!("{w:.4}"),
        })
    };
    let speedup = |s: &Option<Side>| {
        s.as_ref()
            .and_then(|s| s.speedup)
            .map_or("–".into(), |v| format!("{v:.2}×"))
    };
    for row in rows {
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.label,
            wall(&row.rust),
            wall(&row.python),
            row.ratio().map_or("–".into(), |r| format!("{}×", short(r))),
            speedup(&row.rust),
            speedup(&row.python),
        );
        for key in extras {
            let _ = write!(
                out,
                " {} | {} |",
                extra(&row.rust, key),
                extra(&row.python, key)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\n<small>{footer}.</small>");
    // Short of CPU only matters for work that computes; a run that waits
    // on a service uses little CPU by nature.
    let computes = |r: &&workbench::Run| !r.extra.contains_key("requests");
    for (side, record) in [("Rust", &m.rust), ("Python", &m.python)] {
        if !cpu_bound {
            continue;
        }
        for run in record.starved_runs().into_iter().filter(computes) {
            let _ = writeln!(
                out,
                "\n<small>⚠ {side} `{}` had {:.0} % of a core while it was \
                 timed: the machine was busy with other work, so its times \
                 are unreliable; run `cargo xtask compare` again on a quiet \
                 machine.</small>",
                run.variant,
                100.0 * run.cpu_s / run.wall_s
            );
        }
    }
    out
}
