//! Issue 17 (中文版): reading gettext catalogs (`po/messages.pot`,
//! `po/zh-CN.po`) — just what the checks and the SUMMARY translation need.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};

/// One message of a catalog (the header, msgid "", is left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub msgid: String,
    pub msgstr: String,
    /// The `#:` references: `chapters/preface.md` (with `:line` at other
    /// granularities).
    pub refs: Vec<String>,
    pub fuzzy: bool,
}

impl Entry {
    pub fn translated(&self) -> bool {
        !self.msgstr.is_empty() && !self.fuzzy
    }

    /// `chapters/preface.md: "The first words…"`, for error messages.
    pub fn describe(&self) -> String {
        let mut id: String = self.msgid.chars().take(70).collect();
        if id.len() < self.msgid.len() {
            id.push('…');
        }
        let id = id.replace('\n', "⏎");
        let refs = if self.refs.is_empty() {
            "(no reference)".to_string()
        } else {
            self.refs.join(" ")
        };
        format!("{refs}: \"{id}\"")
    }
}

/// The messages of a `.po`/`.pot` text, in file order; obsolete (`#~`)
/// entries are skipped.
pub fn parse(text: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut entry = Entry::default();
    // Which string a continuation line `"…"` extends.
    let mut field: Option<bool> = None; // Some(true) = msgid, Some(false) = msgstr
    let mut started = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        let at = || format!("line {}", n + 1);
        if line.is_empty() || line.starts_with("#~") {
            continue;
        }
        if let Some(refs) = line.strip_prefix("#:") {
            if started && field == Some(false) {
                push(&mut entries, std::mem::take(&mut entry));
                started = false;
            }
            entry
                .refs
                .extend(refs.split_whitespace().map(str::to_string));
        } else if let Some(flags) = line.strip_prefix("#,") {
            if started && field == Some(false) {
                push(&mut entries, std::mem::take(&mut entry));
                started = false;
            }
            entry.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
        } else if line.starts_with('#') {
            continue;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            if started {
                push(&mut entries, std::mem::take(&mut entry));
            }
            started = true;
            entry.msgid = unquote(rest).with_context(at)?;
            field = Some(true);
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            entry.msgstr = unquote(rest).with_context(at)?;
            field = Some(false);
        } else if line.starts_with('"') {
            let more = unquote(line).with_context(at)?;
            match field {
                Some(true) => entry.msgid.push_str(&more),
                Some(false) => entry.msgstr.push_str(&more),
                None => bail!("{}: a string outside a message", at()),
            }
        } else if line.starts_with("msgctxt") || line.starts_with("msgid_plural") {
            bail!("{}: msgctxt and plurals are not used here", at());
        } else {
            bail!("{}: not gettext: {line}", at());
        }
    }
    if started {
        push(&mut entries, entry);
    }
    Ok(entries)
}

fn push(entries: &mut Vec<Entry>, entry: Entry) {
    if !entry.msgid.is_empty() {
        entries.push(entry);
    }
}

/// The translations of `entries` that are done: msgid → msgstr.
pub fn translations(entries: &[Entry]) -> HashMap<&str, &str> {
    entries
        .iter()
        .filter(|e| e.translated())
        .map(|e| (e.msgid.as_str(), e.msgstr.as_str()))
        .collect()
}

/// `"a\"b\n"` → `a"b⏎`.
fn unquote(quoted: &str) -> Result<String> {
    let inner = quoted
        .trim()
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .with_context(|| format!("not a quoted string: {quoted}"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => bail!("a string ends in a backslash: {quoted}"),
        }
    }
    Ok(out)
}
