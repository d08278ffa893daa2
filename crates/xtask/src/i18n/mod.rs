//! `cargo xtask i18n` (issue 17, 中文版): the gettext catalogs of the
//! Chinese edition — extract the English, merge it into `po/zh-CN.po`, check
//! that the translation is complete and up to date.
//!
//! The tools are mdbook-i18n-helpers 0.4.0 (`mdbook-xgettext`,
//! `mdbook-gettext`) and GNU gettext's `msgmerge`; this module only runs
//! them and reads their catalogs ([`po`]).

mod anchors;
mod extract;
mod nbcheck;
#[cfg(test)]
mod nbtests;
pub mod notebooks;
pub mod po;
mod repair;
mod summary;
#[cfg(test)]
mod tests;
pub mod zh;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::process::{RunExt, cmd};
use crate::setup::{self, Needs};

/// The one translation so far.
pub const LANG: &str = "zh-CN";

/// How many messages a failed check names.
const SHOWN: usize = 8;

/// `cargo xtask i18n <what>`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Regenerate po/messages.pot from the English pages in chapters/, and
    /// po/notebooks.pot from the Markdown cells of notebooks/*.ipynb.
    Extract,
    /// Merge po/messages.pot into po/zh-CN.po and po/notebooks.pot into
    /// po/notebooks.zh-CN.po (msgmerge): new messages appear untranslated,
    /// changed ones fuzzy.
    Update,
    /// Count the translated, fuzzy and untranslated messages of
    /// po/zh-CN.po and the English messages it lacks; with --strict, fail
    /// unless it is complete and up to date, naming what to translate.
    Check {
        #[arg(long)]
        strict: bool,
    },
    /// Write notebooks/zh-CN/: the notebooks with their Markdown cells
    /// translated by po/notebooks.zh-CN.po, outputs stripped.
    Notebooks,
}

/// `po/messages.pot`, `po/zh-CN.po`.
pub fn pot_file(root: &Path) -> PathBuf {
    root.join("po").join("messages.pot")
}

pub fn po_file(root: &Path) -> PathBuf {
    root.join("po").join(format!("{LANG}.po"))
}

/// Run `command`.
pub fn run(command: &Command) -> Result<()> {
    setup::ensure(Needs {
        mdbook: true,
        ..Needs::NONE
    })?;
    let root = paths::root();
    match command {
        Command::Extract => {
            let scratch = tempdir("xtask-i18n-extract")?;
            let pot = extract::extract(&root.join("chapters"), &scratch)?;
            let _ = std::fs::remove_dir_all(&scratch);
            std::fs::write(pot_file(&root), &pot)?;
            let count = po::parse(&pot)?.len();
            println!("ok: {count} messages in {}", paths::show(&pot_file(&root)));
            let scratch = tempdir("xtask-i18n-extract-nb")?;
            let english = notebooks::english(&root.join("notebooks"))?;
            let pot = notebooks::extract(&english, &scratch);
            let _ = std::fs::remove_dir_all(&scratch);
            let pot = pot?;
            std::fs::write(notebooks::pot_file(&root), &pot)?;
            let count = po::parse(&pot)?.len();
            let shown = paths::show(&notebooks::pot_file(&root));
            println!("ok: {count} messages in {shown}");
            Ok(())
        }
        Command::Update => {
            let po = po_file(&root);
            cmd("msgmerge", ["--quiet", "--update", "--backup=none"])
                .arg(&po)
                .arg(pot_file(&root))
                .run()
                .context("msgmerge (Debian package gettext)")?;
            let status = status(&root.join("chapters"), &po)?;
            println!("{}", status.summary());
            merge(&notebooks::po_file(&root), &notebooks::pot_file(&root))?;
            println!("notebooks: {}", notebooks::status(&root)?.summary());
            Ok(())
        }
        Command::Check { strict } => {
            let book = check(&root.join("chapters"), &po_file(&root), *strict);
            let notebooks = notebooks::check(&root, *strict);
            match (book, notebooks) {
                (Ok(()), Ok(())) => Ok(()),
                (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
                (Err(book), Err(nb)) => bail!("{book:#}\n{nb:#}"),
            }
        }
        Command::Notebooks => notebooks::write_all(&root).map(drop),
    }
}

/// Merge the template `pot` into the catalog `po` (msgmerge), or start
/// the catalog from it (msginit) when there is none yet.
fn merge(po: &Path, pot: &Path) -> Result<()> {
    if po.exists() {
        cmd("msgmerge", ["--quiet", "--update", "--backup=none"])
            .arg(po)
            .arg(pot)
            .run()
            .context("msgmerge (Debian package gettext)")
    } else {
        cmd(
            "msginit",
            ["--no-translator", "--locale=zh_CN.UTF-8", "--input"],
        )
        .arg(pot)
        .arg("--output-file")
        .arg(po)
        .run()
        .context("msginit (Debian package gettext)")
    }
}

/// Check `po` against the pages of `chapters`; with `strict`, an error
/// naming the messages to translate unless all is done.
pub fn check(chapters: &Path, po: &Path, strict: bool) -> Result<()> {
    let status = status(chapters, po)?;
    println!("{}", status.summary());
    if status.is_done() {
        println!("ok: {} is complete and up to date", paths::show(po));
        return Ok(());
    }
    let todo = status.todo();
    if !strict {
        println!(
            "(not strict) first messages to translate:\n  {}",
            todo.join("\n  ")
        );
        return Ok(());
    }
    bail!(
        "{} is not complete: translate these (cargo xtask i18n extract; \
         cargo xtask i18n update; fill the msgstrs; remove the fuzzy marks):\n  {}",
        paths::show(po),
        todo.join("\n  ")
    )
}

/// What a catalog lacks.
#[derive(Debug, Default)]
pub struct Status {
    pub total: usize,
    pub translated: usize,
    pub fuzzy: Vec<po::Entry>,
    pub untranslated: Vec<po::Entry>,
    /// English messages (freshly extracted) that the catalog has no entry for.
    pub missing: Vec<po::Entry>,
    /// Translations whose `{{…}}` forms (numbers, claims, includes) are not
    /// those of their msgid: the Chinese page would lose or change them.
    pub markup: Vec<po::Entry>,
}

impl Status {
    pub fn is_done(&self) -> bool {
        self.fuzzy.is_empty()
            && self.untranslated.is_empty()
            && self.missing.is_empty()
            && self.markup.is_empty()
    }

    pub fn summary(&self) -> String {
        let hint = if self.missing.is_empty() {
            ""
        } else {
            " (run `cargo xtask i18n extract` and `update`)"
        };
        format!(
            "{LANG}: {} of {} messages translated, {} fuzzy, {} untranslated; \
             {} English messages not in the catalog{hint}; {} translations \
             whose {{{{…}}}} markup differs from the English",
            self.translated,
            self.total,
            self.fuzzy.len(),
            self.untranslated.len(),
            self.missing.len(),
            self.markup.len()
        )
    }

    /// The first few messages to translate, `file: "msgid"`, new ones first.
    pub fn todo(&self) -> Vec<String> {
        let tagged = [
            ("markup differs", &self.markup),
            ("new", &self.missing),
            ("fuzzy", &self.fuzzy),
            ("untranslated", &self.untranslated),
        ];
        let all = tagged.iter().flat_map(|(tag, list)| {
            list.iter().map(move |e| format!("{tag}: {}", e.describe()))
        });
        let mut shown: Vec<String> = all.take(SHOWN).collect();
        let total = self.markup.len()
            + self.missing.len()
            + self.fuzzy.len()
            + self.untranslated.len();
        if total > SHOWN {
            shown.push(format!("… and {} more", total - SHOWN));
        }
        shown
    }
}

/// Extract `chapters` afresh and compare `po` with it.
pub fn status(chapters: &Path, po: &Path) -> Result<Status> {
    let scratch = tempdir("xtask-i18n-check")?;
    let fresh = extract::extract(chapters, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let fresh = po::parse(&fresh?)?;
    let text = std::fs::read_to_string(po)
        .with_context(|| format!("reading {}", po.display()))?;
    let entries =
        po::parse(&text).with_context(|| format!("parsing {}", po.display()))?;
    Ok(compare(&fresh, &entries))
}

/// The catalog `entries` against the freshly extracted `fresh`.
pub fn compare(fresh: &[po::Entry], entries: &[po::Entry]) -> Status {
    let known: HashSet<&str> = entries.iter().map(|e| e.msgid.as_str()).collect();
    let mut status = Status {
        total: entries.len(),
        ..Status::default()
    };
    for entry in entries {
        if entry.fuzzy {
            status.fuzzy.push(entry.clone());
        } else if entry.msgstr.is_empty() {
            status.untranslated.push(entry.clone());
        } else {
            status.translated += 1;
            if repair::forms(&entry.msgid) != repair::forms(&entry.msgstr) {
                status.markup.push(entry.clone());
            }
        }
    }
    status.missing = fresh
        .iter()
        .filter(|e| !known.contains(e.msgid.as_str()))
        .cloned()
        .collect();
    status
}

/// A fresh empty dir under the system temp dir.
pub fn tempdir(label: &str) -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("{label}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}
