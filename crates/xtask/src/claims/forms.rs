//! Pages (issue 12): finding `{{rec}}`, `{{claim}}…{{/claim}}`, `{{book}}`
//! and `{{set}}` in a page's prose, outside code and HTML comments.

use std::ops::Range;

use anyhow::{Result, bail};

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rec,
    Book,
    Set,
    Claim,
    ClaimEnd,
}

/// One `{{word body}}` in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: Kind,
    /// From `{{` to past `}}`.
    pub range: Range<usize>,
    pub body: String,
    /// 1-based line of its `{{`.
    pub line: usize,
}

/// A claim: its check and the tags around its prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub check: String,
    pub open: Range<usize>,
    pub close: Range<usize>,
    pub line: usize,
}

const WORDS: &[(&str, Kind)] = &[
    ("rec", Kind::Rec),
    ("book", Kind::Book),
    ("set", Kind::Set),
    ("claim", Kind::Claim),
    ("/claim", Kind::ClaimEnd),
];

/// Byte ranges of fenced code blocks, inline code and HTML comments.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut fence: Option<(String, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        match &fence {
            Some((open, start)) if trimmed.trim_end().starts_with(open.as_str()) => {
                ranges.push(*start..at + line.len());
                fence = None;
            }
            None if marker.len() >= 3 => fence = Some((marker, at)),
            _ => {}
        }
        at += line.len();
    }
    if let Some((_, start)) = fence {
        ranges.push(start..text.len());
    }
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = ranges.iter().find(|r| r.contains(&i)) {
            i = block.end;
            continue;
        }
        if text[i..].starts_with("<!--") {
            let end = text[i..].find("-->").map_or(text.len(), |e| i + e + 3);
            spans.push(i..end);
            i = end;
        } else if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            let ticks = &text[i..i + run];
            let after = i + run;
            match find_run(&text[after..], ticks) {
                Some(end) => {
                    spans.push(i..after + end + run);
                    i = after + end + run;
                }
                None => i = after,
            }
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    ranges.extend(spans);
    ranges
}

/// Where a run of exactly `ticks` starts in `text`.
fn find_run(text: &str, ticks: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = text[from..].find(ticks) {
        let start = from + pos;
        let end = start + ticks.len();
        let longer = text[end..].starts_with('`');
        if !longer {
            return Some(start);
        }
        from = end + text[end..].bytes().take_while(|b| *b == b'`').count();
    }
    None
}

/// Every form in `text` outside code, in order.
pub fn scan(text: &str) -> Result<Vec<Form>> {
    let code = code_ranges(text);
    let mut forms = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("{{") {
        let start = from + pos;
        from = start + 2;
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let rest = &text[start + 2..];
        let Some(&(word, kind)) = WORDS.iter().find(|(word, _)| {
            rest.starts_with(word)
                && rest[word.len()..].starts_with([' ', '}', '\n', ':'])
        }) else {
            continue;
        };
        let line = text[..start].matches('\n').count() + 1;
        let Some(end) = rest.find("}}") else {
            bail!("line {line}: `{{{{{word}` without its `}}}}`");
        };
        let body = rest[word.len()..end].trim();
        let body = body.strip_prefix(':').unwrap_or(body).trim();
        forms.push(Form {
            kind,
            range: start..start + 2 + end + 2,
            body: body.to_string(),
            line,
        });
        from = start + 2 + end + 2;
    }
    Ok(forms)
}

/// The claims among `forms`: each `{{claim}}` with its `{{/claim}}`.
pub fn claims(forms: &[Form]) -> Result<Vec<Claim>> {
    let mut out = Vec::new();
    let mut open: Option<&Form> = None;
    for form in forms {
        match (form.kind, open) {
            (Kind::Claim, None) => open = Some(form),
            (Kind::Claim, Some(outer)) => {
                bail!(
                    "line {}: a claim inside the claim of line {}",
                    form.line,
                    outer.line
                )
            }
            (Kind::ClaimEnd, Some(claim)) => {
                out.push(Claim {
                    check: claim.body.clone(),
                    open: claim.range.clone(),
                    close: form.range.clone(),
                    line: claim.line,
                });
                open = None;
            }
            (Kind::ClaimEnd, None) => {
                bail!("line {}: `{{{{/claim}}}}` without a claim", form.line)
            }
            _ => {}
        }
    }
    if let Some(claim) = open {
        bail!("line {}: a claim without its `{{{{/claim}}}}`", claim.line);
    }
    Ok(out)
}
