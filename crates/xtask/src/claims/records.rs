//! Pages (issue 12): a value out of a results record, `RECORD:PATH`.
//!
//! `ch03-fib:threads@2.speedup` is the `speedup` of the run in
//! `chapters/figures/ch03-fib.json` whose variant is `threads` and workers 2;
//! `ch06-pingpong:points[impl=rust,bytes=8].latency_us` filters an array;
//! `runs[variant=dist,extra.requests=1000]` filters on a nested key.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

/// Every `*.json` record of one figures directory, by file stem.
#[derive(Debug, Default, Clone)]
pub struct Records {
    by_name: BTreeMap<String, Value>,
}

/// `path` (relative to the repository at `root`) as committed at `HEAD`;
/// `None` outside a git checkout or when it is not committed.
pub fn committed_file(root: &Path, path: &str) -> Option<Vec<u8>> {
    git_output(root, &["show", &format!("HEAD:{path}")])
}

/// What `git -C root ARGS` printed, if it ran and succeeded.
fn git_output(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// A number read from a record, with where it was measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub value: f64,
    /// The last key of the path (`speedup`, `wall_s`): it picks the unit.
    pub key: String,
    /// The machine and date of the nearest `machine` above the value.
    pub machine: Option<String>,
}

impl Records {
    /// Read every record in `dir` (`chapters/figures/`).
    pub fn load(dir: &Path) -> Result<Self> {
        let mut by_name = BTreeMap::new();
        for path in crate::paths::files_in(dir, "json")? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let value: Value = serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", path.display()))?;
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            by_name.insert(stem.into_owned(), value);
        }
        Ok(Self { by_name })
    }

    /// The records of `dir` (relative to the repository at `root`) as
    /// committed at `HEAD`; `None` outside a git checkout.
    pub fn committed(root: &Path, dir: &str) -> Result<Option<Self>> {
        let Some(listing) = git_output(
            root,
            &["ls-tree", "--name-only", "HEAD", &format!("{dir}/")],
        ) else {
            return Ok(None);
        };
        let mut by_name = BTreeMap::new();
        for path in String::from_utf8_lossy(&listing).lines() {
            let Some(stem) = path.strip_suffix(".json") else {
                continue;
            };
            let text = committed_file(root, path)
                .with_context(|| format!("git show HEAD:{path} failed"))?;
            let value: Value = serde_json::from_slice(&text)
                .with_context(|| format!("parsing {path} as committed"))?;
            let name = stem.rsplit('/').next().unwrap_or(stem);
            by_name.insert(name.to_string(), value);
        }
        Ok(Some(Self { by_name }))
    }

    /// These records, plus those of `other` that these lack (a record
    /// added but not committed yet).
    pub fn with_new_from(&self, other: &Records) -> Self {
        let mut by_name = self.by_name.clone();
        for (name, value) in &other.by_name {
            by_name.entry(name.clone()).or_insert_with(|| value.clone());
        }
        Self { by_name }
    }

    /// Whether `other` has a record these have with other contents.
    pub fn differs_from(&self, other: &Records) -> bool {
        other
            .by_name
            .iter()
            .any(|(name, value)| self.by_name.get(name).is_some_and(|v| v != value))
    }

    /// Records from (name, JSON) pairs, for tests.
    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, Value)]) -> Self {
        let by_name = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        Self { by_name }
    }

    /// The number `reference` (`RECORD:PATH`) names.
    pub fn get(&self, reference: &str) -> Result<Found> {
        let (name, path) = reference
            .split_once(':')
            .ok_or_else(|| anyhow!("`{reference}` is not RECORD:PATH"))?;
        let mut here = self
            .by_name
            .get(name)
            .ok_or_else(|| anyhow!("no record chapters/figures/{name}.json"))?;
        let mut machine = here.get("machine").map(describe);
        let mut key = String::new();
        for step in steps(path) {
            here = step_into(here, step)
                .with_context(|| format!("`{reference}` at `{step}`"))?;
            if let Some(m) = here.get("machine") {
                machine = Some(describe(m));
            }
            key = step.split(['[', '@']).next().unwrap_or(step).to_string();
        }
        let value = here
            .as_f64()
            .ok_or_else(|| anyhow!("`{reference}` is {here}, not a number"))?;
        Ok(Found {
            value,
            key,
            machine,
        })
    }
}

/// The path split at dots that are not inside `[…]`.
fn steps(path: &str) -> Vec<&str> {
    let (mut out, mut start, mut depth) = (Vec::new(), 0, 0u32);
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out
}

fn step_into<'a>(here: &'a Value, step: &str) -> Result<&'a Value> {
    if let Some((variant, workers)) = step.split_once('@') {
        let filter = format!("variant={variant},workers={workers}");
        let runs = here.get("runs").ok_or_else(|| anyhow!("no `runs` here"))?;
        return select(runs, &filter);
    }
    let (key, rest) = match step.split_once('[') {
        Some((key, rest)) => (key, Some(rest.strip_suffix(']').unwrap_or(rest))),
        None => (step, None),
    };
    let mut value = here.get(key).ok_or_else(|| anyhow!("no key `{key}`"))?;
    if let Some(inner) = rest {
        value = match inner.parse::<usize>() {
            Ok(index) => value
                .get(index)
                .ok_or_else(|| anyhow!("no element {index} in `{key}`"))?,
            Err(_) => select(value, inner)?,
        };
    }
    Ok(value)
}

/// The one element of the array `list` matching every `k=v` of `filter`
/// (`k` may be a dotted path inside the element: `extra.requests=1000`).
fn select<'a>(list: &'a Value, filter: &str) -> Result<&'a Value> {
    let items = list.as_array().ok_or_else(|| anyhow!("not an array"))?;
    let conditions: Vec<(&str, &str)> = filter
        .split(',')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    let matches = |item: &Value| {
        let field = |key: &str| key.split('.').try_fold(item, |at, k| at.get(k));
        conditions.iter().all(|(k, v)| match field(k) {
            Some(Value::String(s)) => s == v,
            Some(Value::Number(n)) => {
                v.parse::<f64>().ok() == n.as_f64() && !v.is_empty()
            }
            _ => false,
        })
    };
    let mut found = items.iter().filter(|item| matches(item));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => bail!("no element with {filter}"),
        (Some(_), Some(_)) => bail!("more than one element with {filter}"),
    }
}

/// `2 CPUs (AMD EPYC), Debian …, rustc …, release, 2026-11-27T06:40:51Z`.
fn describe(machine: &Value) -> String {
    let text = |key: &str| machine.get(key).and_then(Value::as_str).unwrap_or("");
    let cpus = machine.get("cpus").and_then(Value::as_u64).unwrap_or(0);
    let mut parts = vec![format!("{cpus} CPUs ({})", text("cpu_model"))];
    for key in ["os", "rustc", "profile", "when"] {
        if !text(key).is_empty() {
            parts.push(text(key).to_string());
        }
    }
    parts.join(", ")
}
