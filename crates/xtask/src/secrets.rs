//! `cargo xtask secrets`: no derived `Debug` can print a password.
//!
//! A derived `Debug` prints every field as it is, so a type that holds a
//! broker URL prints its password in a failed assertion, a panic or a log
//! line: CI once showed `redis://app:62b3…@127.0.0.1:…/0` that way. This
//! check reads every `.rs` file under `crates/` and fails on each type that
//! derives `Debug` and has a field of a string type (`String`, `&str`,
//! `Option<String>`, `Vec<String>`, …) that is
//!
//! - named like a secret or a URL: a word of its name (`broker_url` →
//!   `broker`, `url`; `RedisUrl` → `redis`, `url`) is in [`WORDS`], or
//! - read from such an environment variable (`#[arg(env = "REDIS_URL")]`,
//!   or a name [`workbench::redact::is_secret_name`] calls secret).
//!
//! For a tuple struct or an enum's tuple variant, the type's or the
//! variant's name is the field's (`Redis(String)`).
//!
//! Such a type writes its `Debug` by hand with
//! [`workbench::redact::Redacted`] (a password itself shows
//! `workbench::redact::MASK`), or does without `Debug`. A field whose name
//! misleads (a URL that never holds credentials, a network namespace
//! called `broker`) is listed in [`ALLOWED`] with the reason; an entry that
//! no longer matches a field fails the check too.
//!
//! The scan reads tokens (comments and strings skipped), not a syntax
//! tree: enough for struct and enum definitions without a parser crate.
//! It does not see a `derive` inside `cfg_attr`, nor a secret in a field
//! of another type (that type's own `Debug` is checked where it is
//! defined).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Words of a field's name that say it may hold a secret or a URL with
/// credentials in it; a plural (`urls`) counts as its singular.
pub const WORDS: [&str; 14] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "credential",
    "auth",
    "url",
    "uri",
    "dsn",
    "broker",
    "backend",
    "redis",
    "amqp",
];

/// Fields named like a secret that hold none: (file, `Type.field`, why).
pub const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "crates/ch02/src/probe.rs",
        "Probe.base_url",
        "the rate service's base URL: plain http, and the service has no \
         authentication, so no credentials",
    ),
    (
        "crates/ch02/src/fetch/dist.rs",
        "Batch.base_url",
        "the rate service's base URL: plain http, and the service has no \
         authentication, so no credentials",
    ),
    (
        "crates/ch04/src/rpc/mod.rs",
        "RateBookObject.rates_url",
        "the rate service's base URL: plain http, and the service has no \
         authentication, so no credentials",
    ),
    (
        "crates/ch05/src/cloud/tasks.rs",
        "TaskQueue.queue_url",
        "an SQS queue URL names the queue; the credentials travel apart",
    ),
    (
        "crates/ch05/src/cloud/sqs_worker.rs",
        "SqsWorkerConfig.queue_url",
        "an SQS queue URL names the queue; the credentials travel apart",
    ),
    (
        "crates/ch05/src/hosts/mod.rs",
        "Hosts.broker",
        "the name of the broker host's network namespace, not a URL",
    ),
];

/// A type deriving `Debug` with a field that may hold a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line of the field.
    pub line: usize,
    /// The type, and the field (its name, the variant's, or its index).
    pub field: String,
    /// Why it is suspect: the word or the environment variable.
    pub why: String,
}

/// Check every `.rs` file under `root/crates`; fail naming each finding.
pub fn check(root: &Path) -> Result<()> {
    let problems = problems(root)?;
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{problem}");
        }
        bail!(
            "{} secrets a derived Debug would print (see above): write the \
             Debug by hand with workbench::redact::Redacted, or allow the \
             field in crates/xtask/src/secrets.rs with the reason",
            problems.len()
        );
    }
    println!("ok: no derived Debug prints a field named like a secret or a URL");
    Ok(())
}

/// Every finding not allowed, and every allowance that matches nothing.
pub fn problems(root: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files)?;
    files.sort();
    let mut problems = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        for finding in scan(&text) {
            let allowed = ALLOWED.iter().position(|(file, field, _)| {
                *file == rel && *field == finding.field
            });
            match allowed {
                Some(at) => used[at] = true,
                None => problems.push(format!(
                    "{rel}:{}: {} derives Debug and may hold a secret ({})",
                    finding.line, finding.field, finding.why
                )),
            }
        }
    }
    for ((file, field, _), used) in ALLOWED.iter().zip(used) {
        if !used {
            problems.push(format!(
                "{file}: {field} is allowed in secrets.rs but no longer found"
            ));
        }
    }
    Ok(problems)
}

/// The `.rs` files under `dir`, skipping `target` directories.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "target") {
                rust_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// One token of Rust source: an identifier or keyword, a string literal's
/// contents, or any other character (`->` and `::` as one).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(&'static str),
    Other,
}

/// The punctuation the scan reads; any other character is [`Tok::Other`].
const PAIRS: [&str; 3] = ["->", "::", "=>"];
const SINGLES: &str = "#[](){}<>,:&=";

/// The tokens of `text` with their 1-based lines; comments are skipped.
fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len()
                && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/'))
            {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == '"' || raw_string(&chars, i) {
            let start_line = line;
            let (value, end) = string(&chars, i);
            line += chars[i..end.min(chars.len())]
                .iter()
                .filter(|&&c| c == '\n')
                .count();
            out.push((Tok::Str(value), start_line));
            i = end;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\'') or a lifetime ('a).
            let close = match next {
                Some('\\') => chars
                    .get(i + 3..)
                    .and_then(|rest| rest.iter().position(|&c| c == '\''))
                    .map(|p| p + i + 4),
                _ if chars.get(i + 2) == Some(&'\'') => Some(i + 3),
                _ => None,
            };
            match close {
                Some(end) => i = end,
                None => {
                    i += 1;
                    while i < chars.len() && is_ident(chars[i]) {
                        i += 1;
                    }
                }
            }
            out.push((Tok::Other, line));
        } else if is_ident(c) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push((Tok::Ident(word), line));
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let single = SINGLES.find(c).map(|k| &SINGLES[k..=k]);
            let punct = PAIRS.iter().find(|p| **p == two).copied().or(single);
            out.push((punct.map_or(Tok::Other, Tok::Punct), line));
            i += punct.map_or(1, str::len);
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Does a raw string (`r"…"`, `r#"…"#`) start at `at`? (`r#type`, a raw
/// identifier, does not.)
fn raw_string(chars: &[char], at: usize) -> bool {
    if chars[at] != 'r' {
        return false;
    }
    let hashes = chars[at + 1..].iter().take_while(|&&c| c == '#').count();
    chars.get(at + 1 + hashes) == Some(&'"')
}

/// The contents of the string literal starting at `at` (`"…"`, `r"…"`,
/// `r#"…"#`), and where it ends. Escapes are kept as written.
fn string(chars: &[char], at: usize) -> (String, usize) {
    let mut i = at;
    let raw = chars[i] == 'r';
    let mut hashes = 0;
    if raw {
        i += 1;
        while chars.get(i) == Some(&'#') {
            hashes += 1;
            i += 1;
        }
    }
    i += 1; // the opening quote
    let start = i;
    while i < chars.len() {
        if !raw && chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#'))
        {
            let value = chars[start..i].iter().collect();
            return (value, i + 1 + hashes);
        }
        i += 1;
    }
    (chars[start..].iter().collect(), chars.len())
}

/// The types in `text` that derive `Debug` and have a field that may hold
/// a secret.
pub fn scan(text: &str) -> Vec<Finding> {
    let toks = tokens(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some(end) = derive_debug(&toks, i) {
            i = item(&toks, end, &mut found);
        } else {
            i += 1;
        }
    }
    found
}

fn punct(toks: &[(Tok, usize)], at: usize, p: &str) -> bool {
    matches!(toks.get(at), Some((Tok::Punct(q), _)) if *q == p)
}

fn ident(toks: &[(Tok, usize)], at: usize) -> Option<&str> {
    match toks.get(at) {
        Some((Tok::Ident(word), _)) => Some(word),
        _ => None,
    }
}

/// Past the group that opens at `at` (`(`, `[`, `{` or `<`). Angle
/// brackets count only in a group that opens with one (generics): in a
/// body or an attribute, `<` and `>` may be comparisons.
fn skip_group(toks: &[(Tok, usize)], at: usize) -> usize {
    let angle = punct(toks, at, "<");
    let mut depth = 0usize;
    for (i, (tok, _)) in toks.iter().enumerate().skip(at) {
        match tok {
            Tok::Punct("(" | "[" | "{") => depth += 1,
            Tok::Punct("<") if angle => depth += 1,
            Tok::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
            Tok::Punct(">") if angle => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth == 0 {
            return i + 1;
        }
    }
    toks.len()
}

/// At `#[derive(…)]` naming `Debug`: the index past it.
fn derive_debug(toks: &[(Tok, usize)], at: usize) -> Option<usize> {
    if !(punct(toks, at, "#") && punct(toks, at + 1, "[")) {
        return None;
    }
    if ident(toks, at + 2) != Some("derive") || !punct(toks, at + 3, "(") {
        return None;
    }
    let end = skip_group(toks, at + 1);
    let names = &toks[at + 4..end.saturating_sub(2)];
    let debug = names.iter().enumerate().any(|(k, (tok, _))| {
        tok == &Tok::Ident("Debug".into())
            && !matches!(names.get(k + 1), Some((Tok::Punct("::"), _)))
    });
    debug.then_some(end)
}

/// The attributes at `at`: the index past them, and the environment
/// variables they name (`env = "…"`).
fn attributes(toks: &[(Tok, usize)], mut at: usize) -> (usize, Vec<String>) {
    let mut env = Vec::new();
    while punct(toks, at, "#") && punct(toks, at + 1, "[") {
        let end = skip_group(toks, at + 1);
        for k in at..end {
            if ident(toks, k) == Some("env")
                && punct(toks, k + 1, "=")
                && let Some((Tok::Str(name), _)) = toks.get(k + 2)
            {
                env.push(name.clone());
            }
        }
        at = end;
    }
    (at, env)
}

/// Past `pub`, `pub(crate)`, `pub(in …)`.
fn visibility(toks: &[(Tok, usize)], at: usize) -> usize {
    if ident(toks, at) != Some("pub") {
        return at;
    }
    if punct(toks, at + 1, "(") {
        skip_group(toks, at + 1)
    } else {
        at + 1
    }
}

/// The item after a `derive(Debug)` at `at`: record its suspect fields;
/// the index to go on scanning from.
fn item(toks: &[(Tok, usize)], at: usize, found: &mut Vec<Finding>) -> usize {
    let (at, _) = attributes(toks, at);
    let at = visibility(toks, at);
    let (kind, name) = match (ident(toks, at), ident(toks, at + 1)) {
        (Some(kind @ ("struct" | "enum")), Some(name)) => (kind, name.to_owned()),
        _ => return at,
    };
    let mut i = at + 2;
    // Generics and a where clause, up to the body.
    while i < toks.len() && !matches!(toks[i].0, Tok::Punct("{" | "(" | ";")) {
        i = if punct(toks, i, "<") {
            skip_group(toks, i)
        } else {
            i + 1
        };
    }
    let end = if i < toks.len() {
        skip_group(toks, i)
    } else {
        i
    };
    match (kind, toks.get(i).map(|t| &t.0)) {
        ("struct", Some(Tok::Punct("{"))) => {
            named_fields(toks, i, &name, found);
        }
        ("struct", Some(Tok::Punct("("))) => {
            tuple_fields(toks, i, &name, &name, found);
        }
        ("enum", Some(Tok::Punct("{"))) => variants(toks, i, &name, found),
        _ => {}
    }
    end
}

/// The fields of `{ a: T, … }` opening at `open`, of type (or variant)
/// `owner`.
fn named_fields(
    toks: &[(Tok, usize)],
    open: usize,
    owner: &str,
    found: &mut Vec<Finding>,
) {
    let close = skip_group(toks, open) - 1;
    let mut i = open + 1;
    while i < close {
        let (at, env) = attributes(toks, i);
        let at = visibility(toks, at);
        let (Some(field), true) = (ident(toks, at), punct(toks, at + 1, ":")) else {
            return; // not a field list we understand
        };
        let (ty, next) = field_type(toks, at + 2, close);
        let line = toks[at].1;
        if let Some(why) = suspect(field, &env, ty) {
            found.push(Finding {
                line,
                field: format!("{owner}.{field}"),
                why,
            });
        }
        i = next;
    }
}

/// The fields of `(T, U)` opening at `open`, named after `name`.
fn tuple_fields(
    toks: &[(Tok, usize)],
    open: usize,
    owner: &str,
    name: &str,
    found: &mut Vec<Finding>,
) {
    let close = skip_group(toks, open) - 1;
    let mut i = open + 1;
    let mut index = 0;
    while i < close {
        let (at, env) = attributes(toks, i);
        let at = visibility(toks, at);
        let (ty, next) = field_type(toks, at, close);
        if let Some(why) = suspect(name, &env, ty) {
            found.push(Finding {
                line: toks[at.min(toks.len() - 1)].1,
                field: format!("{owner}.{index}"),
                why,
            });
        }
        index += 1;
        i = next;
    }
}

/// The variants of the enum `name` whose body opens at `open`.
fn variants(
    toks: &[(Tok, usize)],
    open: usize,
    name: &str,
    found: &mut Vec<Finding>,
) {
    let close = skip_group(toks, open) - 1;
    let mut i = open + 1;
    while i < close {
        let (at, _) = attributes(toks, i);
        let Some(variant) = ident(toks, at) else {
            return;
        };
        let owner = format!("{name}::{variant}");
        let mut next = at + 1;
        if punct(toks, next, "{") {
            named_fields(toks, next, &owner, found);
            next = skip_group(toks, next);
        } else if punct(toks, next, "(") {
            tuple_fields(toks, next, &owner, variant, found);
            next = skip_group(toks, next);
        }
        // A discriminant, then the comma.
        while next < close && !punct(toks, next, ",") {
            next += 1;
        }
        i = next + 1;
    }
}

/// The tokens of a field's type starting at `at`, up to the comma that
/// ends it (or `close`); and the index past that comma.
fn field_type(
    toks: &[(Tok, usize)],
    at: usize,
    close: usize,
) -> (&[(Tok, usize)], usize) {
    let mut i = at;
    while i < close && !punct(toks, i, ",") {
        i = match &toks[i].0 {
            Tok::Punct("(" | "[" | "{" | "<") => skip_group(toks, i).min(close),
            _ => i + 1,
        };
    }
    (&toks[at..i], i + 1)
}

/// Why a field named `name`, read from `env`, of type `ty` may hold a
/// secret; `None` if it may not.
fn suspect(name: &str, env: &[String], ty: &[(Tok, usize)]) -> Option<String> {
    if !stringy(ty) {
        return None;
    }
    if let Some(word) = words(name).into_iter().find(|w| secret_word(w)) {
        return Some(format!("a string named `{word}`"));
    }
    let secret_env = env.iter().find(|var| {
        workbench::redact::is_secret_name(var)
            || var.split('_').any(|w| secret_word(&w.to_ascii_lowercase()))
    });
    secret_env.map(|var| format!("a string read from ${var}"))
}

/// Is `word` (lowercase) or its singular in [`WORDS`]?
fn secret_word(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    WORDS.contains(&word) || WORDS.contains(&singular)
}

/// The words of a snake_case or CamelCase name, lowercase.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut word = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        }
        out.push(word);
    }
    out
}

/// Is `ty` text: `String`, `str`, `&str`, `&'a str`, `Box<str>`,
/// `Cow<'_, str>`, or an `Option`, `Vec`, `Box`, `Arc`, `Rc` or `Cow` of one?
fn stringy(ty: &[(Tok, usize)]) -> bool {
    let words: Vec<&str> = ty
        .iter()
        .filter_map(|(tok, _)| match tok {
            Tok::Ident(word) => Some(word.as_str()),
            _ => None,
        })
        .filter(|w| {
            !matches!(
                *w,
                "std"
                    | "alloc"
                    | "string"
                    | "borrow"
                    | "sync"
                    | "rc"
                    | "option"
                    | "vec"
                    | "boxed"
                    | "mut"
                    | "dyn"
            )
        })
        .collect();
    let Some((last, wrappers)) = words.split_last() else {
        return false;
    };
    matches!(*last, "String" | "str")
        && wrappers
            .iter()
            .all(|w| matches!(*w, "Option" | "Vec" | "Box" | "Arc" | "Rc" | "Cow"))
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
