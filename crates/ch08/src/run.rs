//! Chapter 8 · What each subcommand does: read the records, compare, judge.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use anyhow::Result;
use ch08::dataflow::corpus;
use ch08::rules::book_rules;
use ch08::{Comparison, guide, load};
use workbench::record::write_creating_dirs;
use workbench::{CommonArgs, Size};

fn compare(dir: Option<PathBuf>) -> Result<Comparison> {
    let dir = dir.unwrap_or_else(load::default_dir);
    Ok(Comparison::new(load::load_dir(&dir)?))
}

/// No subcommand: the table, then the guide.
pub fn overview(dir: Option<PathBuf>) -> Result<()> {
    let comparison = compare(dir)?;
    print!("{}", comparison.text());
    println!();
    print!(
        "{}",
        guide::text(&guide::evaluate(&book_rules(), &comparison))
    );
    Ok(())
}

pub fn side(dir: Option<PathBuf>) -> Result<()> {
    print!("{}", compare(dir)?.text());
    Ok(())
}

pub fn guide(dir: Option<PathBuf>) -> Result<()> {
    let comparison = compare(dir)?;
    print!(
        "{}",
        guide::text(&guide::evaluate(&book_rules(), &comparison))
    );
    Ok(())
}

pub fn wordcount(common: &CommonArgs) -> Result<()> {
    common.note_build_profile();
    let record = ch08::wordcount::measure(common, &ch08::wordcount::program()?)?;
    common.warn_if_starved(&record);
    common.emit(&record)
}

/// A process of `dataflow-dist`: its workers' counts, as JSON on stdout.
pub fn dataflow_worker(
    process: usize,
    addresses: Vec<String>,
    lines: usize,
) -> Result<()> {
    let text = Arc::new(corpus(lines, ch08::wordcount::SEED));
    let config = ch08::dataflow::cluster(1, process, addresses);
    let counts = ch08::dataflow::count_dataflow(text, config)?;
    println!("{}", serde_json::to_string(&counts)?);
    Ok(())
}

/// The word count's record (`ch08-wordcount.*`) in `out`, measured at
/// `size` (with no size, the one in `dir` is kept); then
/// `ch08-side.{md,svg}` and `ch08-guide.md` from the records in `dir`.
pub fn figures(dir: &Path, out: &Path, size: Option<Size>) -> Result<()> {
    let mut loaded = load::load_dir(dir)?;
    if let Some(size) = size {
        let common = CommonArgs::for_figures(size, 5);
        let program = ch08::wordcount::program()?;
        let record = ch08::wordcount::measure(&common, &program)?;
        record.write_figure(out, &workbench::plot::svg(&record))?;
        // The word count just measured joins the records, wherever they are.
        loaded
            .records
            .retain(|r| (&*r.chapter, &*r.example) != ("ch08", "wordcount"));
        loaded.records.push(record);
    }
    let comparison = Comparison::new(loaded);
    let side = out.join("ch08-side");
    write_creating_dirs(&side.with_extension("md"), &comparison.markdown())?;
    write_creating_dirs(
        &side.with_extension("svg"),
        &ch08::figure::svg(&comparison),
    )?;
    let evaluations = guide::evaluate(&book_rules(), &comparison);
    write_creating_dirs(&out.join("ch08-guide.md"), &guide::markdown(&evaluations))?;
    println!("{}", side.with_extension("svg").display());
    Ok(())
}
