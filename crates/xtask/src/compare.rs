//! `cargo xtask compare [chNN]`: the book's examples in Python (`python/`)
//! beside the chapters' Rust ones, measured in the same run at the same
//! sizes, answers checked, one figure per example.

mod celery;
mod figure;
mod pairs;
pub(crate) mod python;
mod table;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use workbench::Record;
use workbench::redact::Redacted;

use crate::figures::FIGURES_DIR;
use crate::paths;
use crate::process::{RunExt, cargo, cmd};
use pairs::{Pair, RustSide};

/// Options of `cargo xtask compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this chapter's examples (ch01, ch02, ch03, ch04, ch06), or one
    /// example of it (ch06/pingpong); a comma-separated list of either.
    pub chapter: Option<String>,
    /// Where the figures, tables and records go.
    #[arg(long, default_value = FIGURES_DIR)]
    pub out: PathBuf,
    /// Only check the answers: both sides at a tiny size (Rust debug
    /// builds), no figures. `cargo xtask test` runs this for every chapter.
    #[arg(long)]
    pub check: bool,
    /// Draw the figures again from the last records in target/compare/,
    /// measuring nothing.
    #[arg(long, conflicts_with = "check")]
    pub redraw: bool,
}

/// How big a comparison runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Seconds: for `cargo xtask test`, answers only (debug Rust builds).
    Tiny,
    /// The figures' size (release Rust builds).
    Measure,
}

impl Scale {
    /// `tiny` or `measure`, whichever this scale is.
    pub fn pick<T>(self, tiny: T, measure: T) -> T {
        match self {
            Scale::Tiny => tiny,
            Scale::Measure => measure,
        }
    }
}

/// What the arguments of both sides are made from. Its `Debug` hides the
/// URLs' passwords.
pub struct Ctx<'a> {
    pub scale: Scale,
    /// The rate service's base URL, when the pair asks for one.
    pub url: Option<String>,
    /// The Redis both sides use as their broker, when the pair asks for one.
    pub broker: Option<String>,
    /// A JSON list of the currency pairs asked, when there is a service.
    pub pairs_file: Option<PathBuf>,
    /// The Rust side's record, once it ran.
    pub rust: Option<&'a Record>,
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("scale", &self.scale)
            .field("url", &self.url.as_deref().map(Redacted))
            .field("broker", &self.broker.as_deref().map(Redacted))
            .field("pairs_file", &self.pairs_file)
            .field("rust", &self.rust)
            .finish()
    }
}

impl Ctx<'_> {
    /// The Rust record (for the Python side's arguments).
    pub fn rust(&self) -> &Record {
        self.rust.expect("the Rust side runs first")
    }

    pub fn broker(&self) -> String {
        self.broker.clone().unwrap_or_default()
    }

    pub fn url(&self) -> String {
        self.url.clone().unwrap_or_default()
    }

    pub fn pairs_file_arg(&self) -> String {
        self.pairs_file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default()
    }

    /// The rate service's URL after `flag`, then `--pairs-file` and the
    /// file of the pairs asked (how a Python side is pointed at them), then
    /// the words of `rest`.
    pub fn service_args(&self, flag: &str, rest: &str) -> Vec<String> {
        let pairs = ["--pairs-file".to_owned(), self.pairs_file_arg()];
        [flag.to_owned(), self.url()]
            .into_iter()
            .chain(pairs)
            .chain(rest.split_whitespace().map(str::to_owned))
            .collect()
    }
}

/// One side's numbers for one bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub wall_s: f64,
    pub speedup: Option<f64>,
    /// The run's further measurements (`peak_mib`, ...).
    pub extra: std::collections::BTreeMap<String, f64>,
}

/// Both records of one example.
#[derive(Debug)]
pub struct Measured {
    pub rust: Record,
    pub python: Record,
    /// What the Python side computed (its record's `answer`).
    pub answer: serde_json::Value,
    /// The interpreter that ran the Python side, e.g. `CPython 3.11.7`.
    pub interpreter: String,
}

/// Measure every pair (of one chapter) and write their figures.
pub fn run(args: &Args) -> Result<()> {
    run_with(args, &[])
}

/// As [`run`], building the chapters with the features `also` as well.
fn run_with(args: &Args, also: &[&str]) -> Result<()> {
    let chosen = chosen(args.chapter.as_deref())?;
    let out = paths::root().join(&args.out);
    if args.redraw {
        for pair in chosen {
            let (rust, python) = record_paths(&pair);
            write_figure(&pair, &load(&pair, &rust, &python)?, &out)?;
        }
        return Ok(());
    }
    python::ensure_env()?;
    let scale = if args.check {
        Scale::Tiny
    } else {
        Scale::Measure
    };
    build_chapters(&chosen, scale, also)?;
    for pair in chosen {
        if args.check {
            measure(&pair, Scale::Tiny)?;
            continue;
        }
        let measured = measure(&pair, Scale::Measure)?;
        write_figure(&pair, &measured, &out)?;
    }
    Ok(())
}

/// For `cargo xtask figures`: every side-by-side, or, where no Python venv
/// can be made, a note that the committed figures stay.
pub fn figures(out: &Path) -> Result<()> {
    if let Err(err) = python::ensure_env() {
        println!(
            "note: no Python environment ({err:#}); the committed \
             chapters/figures/chNN-python-* stay as they are. Install python3 \
             and python3-venv, then run `cargo xtask compare`."
        );
        return Ok(());
    }
    let all = pairs::all();
    build_chapters(&all, Scale::Measure, &[])?;
    for pair in all {
        let measured = measure(&pair, Scale::Measure)?;
        write_figure(&pair, &measured, out)?;
    }
    Ok(())
}

/// Build every chapter binary once, for the whole workspace with the
/// features the pairs need: `cargo run -p chNN` would resolve features for
/// each package alone and compile shared dependencies again for each.
/// `also` adds features: `cargo xtask test` passes its own, so that the
/// debug binaries its `cargo test` step built are the ones used here.
fn build_chapters(pairs: &[Pair], scale: Scale, also: &[&str]) -> Result<()> {
    let mut build = cmd(cargo(), ["build", "--locked", "--workspace", "--bins"]);
    if scale == Scale::Measure {
        build.arg("--release");
    } else if !also.is_empty() {
        // As the test step builds: without incremental caches.
        build.env("CARGO_INCREMENTAL", "0");
    }
    let mut features: Vec<&str> = pairs.iter().filter_map(|p| p.features).collect();
    features.extend(also);
    features.sort_unstable();
    features.dedup();
    if !features.is_empty() {
        build.args(["--features", &features.join(",")]);
    }
    build.run()
}

/// For `cargo xtask test`: every Python side at a tiny size, its answer
/// checked against the one the Rust side verified; the chapters are built
/// with `features` (the test step's), so its debug binaries serve again.
pub fn check_answers(features: &[&str]) -> Result<()> {
    let args = Args {
        chapter: None,
        out: PathBuf::from(FIGURES_DIR),
        check: true,
        redraw: false,
    };
    run_with(&args, features)?;
    println!("ok: the Python sides answer as the Rust sides do");
    Ok(())
}

fn chosen(chapter: Option<&str>) -> Result<Vec<Pair>> {
    let Some(chapter) = chapter else {
        return Ok(pairs::all());
    };
    let mut chosen: Vec<Pair> = Vec::new();
    // `ch06`, one example of it (`ch06/pingpong`), or a list of either.
    for asked in chapter.split(',') {
        let (chapter, example) = asked.split_once('/').unwrap_or((asked, ""));
        let before = chosen.len();
        chosen.extend(pairs::all().into_iter().filter(|p| {
            p.chapter == chapter && (example.is_empty() || p.example == example)
        }));
        if chosen.len() == before {
            let known: Vec<String> = pairs::all()
                .iter()
                .map(|p| format!("{}/{}", p.chapter, p.example))
                .collect();
            bail!(
                "no Python example `{asked}`; there are: {}",
                known.join(", ")
            );
        }
    }
    Ok(chosen)
}

/// Run both sides of `pair` at `scale` and check their answers agree.
pub fn measure(pair: &Pair, scale: Scale) -> Result<Measured> {
    let dir = paths::target_dir().join("compare");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let stem = format!("{}-{}", pair.chapter, pair.example);
    let (rust_json, python_json) = record_paths(pair);
    // Both sides ask the same service, started here and stopped on return.
    let service = match pair.service_ms {
        Some(ms) => Some(
            workbench::rates::RateService::start_with_threads(
                std::time::Duration::from_millis(ms),
                2,
            )
            .context("starting the rate service")?,
        ),
        None => None,
    };
    let redis = match pair.redis {
        true => Some(
            workbench::services::RedisServer::start()
                .context("starting redis-server")?,
        ),
        false => None,
    };
    let mut ctx = Ctx {
        scale,
        url: service.as_ref().map(|s| s.base_url()),
        broker: redis.as_ref().map(|r| r.url()),
        pairs_file: None,
        rust: None,
    };
    if service.is_some() {
        let file = dir.join("pairs.json");
        let pairs = workbench::rates::pairs(1000);
        workbench::record::write_creating_dirs(
            &file,
            &serde_json::to_string(&pairs)?,
        )?;
        ctx.pairs_file = Some(file);
    }
    let rust_record = run_rust(pair, &ctx, &rust_json)
        .with_context(|| format!("the Rust side of {stem}"))?;
    let mut py = cmd(paths::venv_bin("python"), ["-m", pair.python_module]);
    with_broker(&mut py, &ctx);
    ctx.rust = Some(&rust_record);
    let workers = match pair.celery_workers {
        0 => None,
        n => Some(celery::Workers::start(
            &ctx.broker(),
            ctx.url.as_deref(),
            n,
            &dir,
        )?),
    };
    py.args((pair.python_args)(&ctx))
        .arg("--json")
        .arg(&python_json)
        .current_dir(python::dir());
    py.run()
        .with_context(|| format!("the Python side of {stem}"))?;
    drop(workers);
    let probed = match pair.probe {
        Some(probe) => Some(self::probe(pair, &ctx, probe(&rust_record))?),
        None => None,
    };
    let measured = load(pair, &rust_json, &python_json)?;
    check(pair, &measured, probed.as_deref())
        .with_context(|| format!("{stem}: the two sides disagree"))?;
    println!("ok: {stem}: Rust and Python answers agree");
    Ok(measured)
}

/// Run the Rust side as `pair.rust` says; its record, also written to
/// `json`.
fn run_rust(pair: &Pair, ctx: &Ctx, json: &Path) -> Result<Record> {
    let svg = json.with_extension("svg");
    match pair.rust {
        RustSide::Record => {
            let mut rust = chapter_cli(pair, ctx);
            rust.args((pair.rust_args)(ctx)).arg("--json").arg(json);
            rust.arg("--svg").arg(svg).arg("--quiet").run()?;
            return Record::load_json(json);
        }
        RustSide::Merged { calls, merge } => {
            let mut records = Vec::new();
            for (i, args) in calls(ctx).into_iter().enumerate() {
                let part = json.with_extension(format!("{i}.json"));
                let mut rust = chapter_cli(pair, ctx);
                rust.args(args).arg("--json").arg(&part);
                rust.arg("--svg").arg(part.with_extension("svg"));
                rust.arg("--quiet").run()?;
                records.push(Record::load_json(&part)?);
            }
            merge(records)?.save_json(json)?;
        }
        RustSide::Converted {
            flags,
            convert,
            rounds,
        } => {
            let own = json.with_extension("own.json");
            let rounds = if ctx.scale == Scale::Measure {
                rounds
            } else {
                1
            };
            let mut records = Vec::new();
            for _ in 0..rounds.max(1) {
                let mut rust = chapter_cli(pair, ctx);
                rust.args((pair.rust_args)(ctx));
                if flags {
                    rust.arg("--json").arg(&own).arg("--svg").arg(&svg);
                }
                println!("$ {}", crate::process::show(&rust));
                let stdout = rust.read()?;
                print!("{stdout}");
                records.push(convert(&own, &stdout)?);
            }
            // The round whose first run took the median time.
            let first = |r: &Record| r.runs.first().map_or(0.0, |run| run.wall_s);
            records.sort_by(|a, b| first(a).total_cmp(&first(b)));
            let mut record = records.swap_remove(records.len() / 2);
            if ctx.scale == Scale::Measure {
                // Described by xtask (a debug build), measured by `chapter_cli`.
                record.machine.profile = "release".into();
            }
            record.save_json(json)?;
        }
    }
    Record::load_json(json)
}

/// Where `measure` keeps the two records of `pair`.
fn record_paths(pair: &Pair) -> (PathBuf, PathBuf) {
    let dir = paths::target_dir().join("compare");
    let stem = format!("{}-{}", pair.chapter, pair.example);
    (
        dir.join(format!("{stem}-rust.json")),
        dir.join(format!("{stem}-python.json")),
    )
}

/// The chapter's binary that [`build_chapters`] built: release for
/// measuring, debug (most of which `cargo test` just compiled) for answers
/// only.
/// The chapter's CLI. A pair's broker reaches both sides as `REDIS_URL`
/// in the environment, never in argv: its URL holds the embedded Redis's
/// password, and `ps` shows every process's arguments.
fn chapter_cli(pair: &Pair, ctx: &Ctx) -> std::process::Command {
    let scale = ctx.scale;
    let profile = if scale == Scale::Measure {
        "release"
    } else {
        "debug"
    };
    let program = paths::target_dir().join(profile).join(pair.chapter);
    let mut command = cmd(program, Vec::<&str>::new());
    command.current_dir(paths::root());
    with_broker(&mut command, ctx);
    command
}

/// `REDIS_URL` for `command` when the pair has a broker.
fn with_broker(command: &mut std::process::Command, ctx: &Ctx) {
    match &ctx.broker {
        Some(url) => command.env("REDIS_URL", url),
        None => command.env_remove("REDIS_URL"),
    };
}

/// Run the chapter CLI with `args`, `input` on its stdin; its stdout.
fn probe(
    pair: &Pair,
    ctx: &Ctx,
    (args, input): (Vec<String>, String),
) -> Result<String> {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut command = chapter_cli(pair, ctx);
    command
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let line = crate::process::show(&command);
    println!("$ {line}");
    let mut child = command
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    let mut stdin = child.stdin.take().context("the child's stdin")?;
    stdin
        .write_all(input.as_bytes())
        .with_context(|| format!("writing to `{line}`"))?;
    drop(stdin); // end of input: the worker answers and exits
    let output = child
        .wait_with_output()
        .with_context(|| format!("waiting for `{line}`"))?;
    if !output.status.success() {
        bail!("`{line}` failed: {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn load(pair: &Pair, rust_json: &Path, python_json: &Path) -> Result<Measured> {
    let mut rust = Record::load_json(rust_json)?;
    let mut python = Record::load_json(python_json)?;
    if let Some(derive) = pair.derive {
        derive(&mut rust);
        derive(&mut python);
    }
    let text = std::fs::read_to_string(python_json)
        .with_context(|| format!("reading {}", python_json.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", python_json.display()))?;
    let answer = value.get("answer").cloned().unwrap_or_default();
    let interpreter = value["machine"]["python"]
        .as_str()
        .unwrap_or("Python")
        .to_owned();
    Ok(Measured {
        rust,
        python,
        answer,
        interpreter,
    })
}

/// Both sides verified every run, measured the same size, and the Python
/// answer is the one the Rust side verified against.
pub fn check(pair: &Pair, m: &Measured, probed: Option<&str>) -> Result<()> {
    for (name, record) in [("Rust", &m.rust), ("Python", &m.python)] {
        if let Some(run) = record
            .runs
            .iter()
            .find(|r| r.skipped.is_none() && !r.verified)
        {
            bail!("the {name} `{}` run was not verified", run.variant);
        }
    }
    if m.python.language != "python" || m.rust.language != "rust" {
        bail!(
            "records say `{}` and `{}`, not rust and python",
            m.rust.language,
            m.python.language
        );
    }
    for key in pair.same_size {
        let (r, p) = (&m.rust.size[*key], &m.python.size[*key]);
        if r != p || r.is_null() {
            bail!("size `{key}`: Rust measured {r}, Python {p}");
        }
    }
    (pair.check)(&m.rust, &m.answer, probed)
}

/// `chNN-python-EXAMPLE.{svg,md,json}` into `out`.
pub fn write_figure(pair: &Pair, m: &Measured, out: &Path) -> Result<()> {
    let rows = table::rows(pair, m);
    let stem = out.join(format!("{}-python-{}", pair.chapter, pair.example));
    let title = format!("{} {}", pair.chapter, pair.example);
    let footer = table::footer(m);
    let svg = figure::svg(&title, &rows, pair.extras.first().copied(), &footer);
    let both = serde_json::json!({
        "chapter": pair.chapter,
        "example": format!("python-{}", pair.example),
        "rust": m.rust,
        "python": m.python,
        "python_answer": m.answer,
    });
    let json = serde_json::to_string_pretty(&both).context("a record serializes")?;
    workbench::record::write_creating_dirs(&stem.with_extension("json"), &json)?;
    workbench::record::write_creating_dirs(&stem.with_extension("svg"), &svg)?;
    // Pairs that wait on a service use little CPU by nature; a Celery pair
    // computes too (fib), and its service-bound runs are not single-worker.
    let cpu_bound = pair.service_ms.is_none() || pair.redis;
    workbench::record::write_creating_dirs(
        &stem.with_extension("md"),
        &table::markdown(&rows, pair.extras, &footer, m, cpu_bound),
    )?;
    println!("{}", stem.with_extension("svg").display());
    Ok(())
}

#[cfg(test)]
mod pairs_golden;
#[cfg(test)]
mod tests;
