//! Notebook outputs as Markdown: text in fences, HTML as HTML, SVG as files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

/// Where a page's figures go: `<dir>/<stem>_files/<stem>-cell<N>-<k>.svg`.
#[derive(Debug)]
pub struct Files {
    dir: PathBuf,
    stem: String,
    written: usize,
}

impl Files {
    pub fn new(dir: &Path, stem: &str) -> Files {
        Files {
            dir: dir.to_path_buf(),
            stem: stem.to_string(),
            written: 0,
        }
    }

    /// Write one SVG; the path to use from the page.
    fn svg(&mut self, cell: usize, svg: &str) -> Result<String> {
        self.written += 1;
        let folder = format!("{}_files", self.stem);
        let name = format!("{}-cell{cell}-{}.svg", self.stem, self.written);
        let dir = self.dir.join(&folder);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        let mut svg = svg.to_string();
        if !svg.contains("xmlns=") {
            svg =
                svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
        }
        std::fs::write(dir.join(&name), svg)
            .with_context(|| format!("writing {}", dir.join(&name).display()))?;
        Ok(format!("{folder}/{name}"))
    }
}

/// Notebook text: a string or a list of lines, without ANSI colour codes.
pub fn text(value: &Value) -> String {
    let raw = match value {
        Value::String(text) => text.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    };
    strip_ansi(&raw)
}

/// `text` in a fence longer than any backtick run inside it.
pub fn fenced(info: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{info}\n{}\n{fence}", text.trim_end_matches('\n'))
}

/// One output of the code cell number `cell`, as Markdown.
pub fn render(output: &Value, cell: usize, files: &mut Files) -> Result<String> {
    let data = &output["data"];
    let shown = match output["output_type"].as_str() {
        Some("stream") => fenced("text", &text(&output["text"])),
        Some("error") => {
            let head =
                format!("{}: {}", text(&output["ename"]), text(&output["evalue"]));
            let trace: Vec<String> = output["traceback"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect();
            fenced("text", &[head, trace.join("\n")].join("\n"))
        }
        Some(_) if data.get("image/svg+xml").is_some() => {
            let src = files.svg(cell, &text(&data["image/svg+xml"]))?;
            format!("<img src=\"{src}\" alt=\"figure from cell {cell}\">")
        }
        Some(_) if data.get("text/html").is_some() => {
            html(&text(&data["text/html"]), cell, files)?
        }
        Some(_) if data.get("image/png").is_some() => {
            let png: String = text(&data["image/png"]).split_whitespace().collect();
            format!(
                "<img src=\"data:image/png;base64,{png}\" alt=\"figure from cell {cell}\">"
            )
        }
        Some(_) if data.get("text/markdown").is_some() => {
            text(&data["text/markdown"])
        }
        Some(_) if data.get("text/plain").is_some() => {
            fenced("text", &text(&data["text/plain"]))
        }
        _ => return Ok(String::new()),
    };
    Ok(format!("{shown}\n\n"))
}

/// HTML output as one HTML block: SVGs moved to files and shown as images,
/// no blank line (it would end the block), `$` escaped (it is not math).
pub(super) fn html(html: &str, cell: usize, files: &mut Files) -> Result<String> {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let end = start + len + "</svg>".len();
        out.push_str(&rest[..start]);
        let src = files.svg(cell, &rest[start..end])?;
        let _ = write!(out, "<img src=\"{src}\" alt=\"figure from cell {cell}\">");
        rest = &rest[end..];
    }
    out.push_str(rest);
    let lines: Vec<&str> =
        out.lines().filter(|line| !line.trim().is_empty()).collect();
    let body = lines.join("\n").replace('$', "&#36;");
    Ok(format!("<div class=\"notebook-output\">\n{body}\n</div>"))
}

/// `text` without ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
