//! Chapter 6 · Point to point, measured: the Rust ping-pong beside the
//! same program in C, both on OpenMPI, in one run.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use workbench::bins::require_program;
use workbench::{Machine, Record, Run};

use crate::launch::{MpiJob, json_lines};
use crate::process::run_within;

/// The C twin of the Rust ping-pong, compiled on demand.
pub const C_SOURCE: &str = include_str!("../../c/pingpong.c");

/// One message size of one implementation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Point {
    /// `rust` or `c`.
    #[serde(rename = "impl")]
    pub implementation: String,
    pub bytes: usize,
    pub iters: usize,
    /// Half the median round trip, microseconds.
    pub latency_us: f64,
    /// Bytes over one-way time, MB/s.
    pub bandwidth_mb_s: f64,
}

/// The ping-pong measured: every point, and where it was measured. Its
/// results record ([`PingPong::to_record`]) has one run per point.
#[derive(Debug, Clone, PartialEq)]
pub struct PingPong {
    pub chapter: String,
    pub example: String,
    pub launcher: String,
    pub machine: Machine,
    pub points: Vec<Point>,
}

/// Compile `c/pingpong.c` with mpicc into `target/ch06/` (when stale).
pub fn build_c() -> Result<PathBuf> {
    let dir = workbench::bins::target_dir().join("ch06");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let source = dir.join("pingpong.c");
    let binary = dir.join("pingpong-c");
    let current = std::fs::read_to_string(&source).is_ok_and(|s| s == C_SOURCE);
    if current && binary.is_file() {
        return Ok(binary);
    }
    std::fs::write(&source, C_SOURCE)
        .with_context(|| format!("writing {}", source.display()))?;
    let mut mpicc = Command::new(require_program("mpicc", "libopenmpi-dev")?);
    mpicc.args(["-O2", "-o"]).arg(&binary).arg(&source);
    run_within(&mut mpicc, std::time::Duration::from_secs(120))?;
    Ok(binary)
}

/// Run the Rust and C ping-pongs, alternating `rounds` times, and keep
/// the median latency per implementation and size.
pub fn measure(
    rust: &MpiJob,
    sizes: &[usize],
    iters: usize,
    rounds: usize,
) -> Result<PingPong> {
    let c = MpiJob {
        program: build_c()?,
        ..rust.clone()
    };
    let list = sizes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let iters = iters.to_string();
    let mut samples: Vec<Point> = Vec::new();
    for _ in 0..rounds.max(1) {
        let rust_out =
            rust.run(&["pingpong", "--sizes", &list, "--iters", &iters])?;
        let c_out = c.run(&[&list, &iters])?;
        for line in json_lines(&rust_out).into_iter().chain(json_lines(&c_out)) {
            samples.push(serde_json::from_value(line).context("a ping-pong line")?);
        }
    }
    let mut points = Vec::new();
    for implementation in ["rust", "c"] {
        for &bytes in sizes {
            let mut runs: Vec<&Point> = samples
                .iter()
                .filter(|p| p.implementation == implementation && p.bytes == bytes)
                .collect();
            anyhow::ensure!(
                !runs.is_empty(),
                "no {implementation} result for {bytes} B"
            );
            runs.sort_by(|a, b| a.latency_us.total_cmp(&b.latency_us));
            points.push(runs[runs.len() / 2].clone());
        }
    }
    Ok(PingPong {
        chapter: "ch06".into(),
        example: "pingpong".into(),
        launcher: format!("{:?}", rust.launcher).to_lowercase(),
        machine: Machine::describe(),
        points,
    })
}

impl PingPong {
    pub fn point(&self, implementation: &str, bytes: usize) -> Option<&Point> {
        self.points
            .iter()
            .find(|p| p.implementation == implementation && p.bytes == bytes)
    }

    /// The message sizes measured, in order.
    pub fn sizes(&self) -> Vec<usize> {
        let rust = self.points.iter().filter(|p| p.implementation == "rust");
        rust.map(|p| p.bytes).collect()
    }

    /// Rust latency over C latency at `bytes`.
    pub fn ratio(&self, bytes: usize) -> Option<f64> {
        Some(
            self.point("rust", bytes)?.latency_us
                / self.point("c", bytes)?.latency_us,
        )
    }

    /// The table for the book.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from(
            "| message | Rust latency (µs) | C latency (µs) | Rust / C | Rust bandwidth (MB/s) | C bandwidth (MB/s) |\n\
             |---:|---:|---:|---:|---:|---:|\n",
        );
        for bytes in self.sizes() {
            if let (Some(r), Some(c)) =
                (self.point("rust", bytes), self.point("c", bytes))
            {
                out.push_str(&format!(
                    "| {} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} |\n",
                    human_bytes(bytes),
                    r.latency_us,
                    c.latency_us,
                    r.latency_us / c.latency_us,
                    r.bandwidth_mb_s,
                    c.bandwidth_mb_s
                ));
            }
        }
        out.push_str(&format!(
            "\n<small>ch06 pingpong, 2 ranks ({}), measured on {}.</small>\n",
            self.launcher,
            self.machine.summary()
        ));
        out
    }

    /// The results record: a run per point, its variant the implementation
    /// (`rust`, `c`), its time the one-way latency; `bytes`, `iters`,
    /// `latency_us` and `bandwidth_mb_s` in its extras.
    pub fn to_record(&self) -> Record {
        let size =
            serde_json::json!({ "sizes": self.sizes(), "launcher": self.launcher });
        let mut record = Record::new(&self.chapter, &self.example, size);
        record.machine = self.machine.clone();
        for p in &self.points {
            let mut run = Run::new(&p.implementation, 2, p.latency_us / 1e6, 0.0);
            for (key, value) in [
                ("bytes", p.bytes as f64),
                ("iters", p.iters as f64),
                ("latency_us", p.latency_us),
                ("bandwidth_mb_s", p.bandwidth_mb_s),
            ] {
                run.extra.insert(key.into(), value);
            }
            record.runs.push(run);
        }
        record
    }

    /// The ping-pong a record of [`PingPong::to_record`] holds.
    pub fn from_record(record: &Record) -> Result<PingPong> {
        let extra = |run: &Run, key: &str| {
            run.extra
                .get(key)
                .copied()
                .with_context(|| format!("the {} run has no `{key}`", run.variant))
        };
        let points = record
            .runs
            .iter()
            .map(|run| {
                Ok(Point {
                    implementation: run.variant.clone(),
                    bytes: extra(run, "bytes")? as usize,
                    iters: extra(run, "iters")? as usize,
                    latency_us: extra(run, "latency_us")?,
                    bandwidth_mb_s: extra(run, "bandwidth_mb_s")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PingPong {
            chapter: record.chapter.clone(),
            example: record.example.clone(),
            launcher: record.size["launcher"].as_str().unwrap_or("mpirun").into(),
            machine: record.machine.clone(),
            points,
        })
    }

    /// In a notebook: the table and the figure.
    pub fn evcxr_display(&self) {
        let svg = crate::pingpong_plot::svg(self);
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n<pre>{}</pre>\n{svg}\nEVCXR_END_CONTENT",
            self.markdown_table()
        );
    }
}

/// 8 B, 64 KiB, 1 MiB.
pub fn human_bytes(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}
