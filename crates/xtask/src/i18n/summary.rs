//! Issue 17 (中文版): SUMMARY.md in the translation's words.
//!
//! mdBook's `markdown` renderer writes the chapters, not SUMMARY.md, so the
//! table of contents is translated here: each `[title](page.md)` and each
//! `# Part` heading is looked up in the catalog (the extraction made one
//! message of each); an untranslated one stays English.

use std::collections::HashMap;

/// `summary` with its titles and part headings translated by `catalog`.
pub fn translate(summary: &str, catalog: &HashMap<&str, &str>) -> String {
    let mut out = String::with_capacity(summary.len());
    for line in summary.split_inclusive('\n') {
        out.push_str(&translate_line(line, catalog));
    }
    out
}

fn translate_line(line: &str, catalog: &HashMap<&str, &str>) -> String {
    let body = line.trim_end_matches('\n');
    let newline = &line[body.len()..];
    if let Some(heading) = body.strip_prefix("# ") {
        let title = heading.trim();
        let shown = catalog.get(title).copied().unwrap_or(title);
        return format!("# {shown}{newline}");
    }
    let Some(open) = body.find('[') else {
        return line.to_string();
    };
    let Some(close) = body[open..].find("](").map(|i| open + i) else {
        return line.to_string();
    };
    let title = &body[open + 1..close];
    match catalog.get(title) {
        Some(shown) => {
            format!("{}[{shown}{}{newline}", &body[..open], &body[close..])
        }
        None => line.to_string(),
    }
}
