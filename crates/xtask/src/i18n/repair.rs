//! Issue 17 (中文版): undo what the gettext round trip does to the markup.
//!
//! mdbook-gettext parses a translated page with pulldown-cmark and writes it
//! back with pulldown-cmark-to-cmark. Markdown does not know `{{…}}` or math,
//! so it escapes inside them (`{{claim a \<= b}}`, `rows\[1\]`, `S\_{p}`) and
//! drops the backslash of TeX's `\,` (a valid Markdown escape). The record
//! markup gets its escapes removed; math is put back verbatim from the
//! English page, matched by its text with escapes and spaces ignored.

use std::collections::HashMap;

/// `translated` with `{{…}}` forms unescaped and math spans restored from
/// `english` (the page the translation was made from).
pub fn repair(translated: &str, english: &str) -> String {
    let mut originals = HashMap::new();
    for (start, end) in math_spans(english) {
        let span = &english[start..end];
        originals.entry(normalize(span)).or_insert(span);
    }
    let mut out = String::with_capacity(translated.len());
    let mut at = 0;
    for (start, end) in math_spans(translated) {
        out.push_str(&unescape_forms(&translated[at..start]));
        let span = &translated[start..end];
        out.push_str(originals.get(&normalize(span)).copied().unwrap_or(span));
        at = end;
    }
    out.push_str(&unescape_forms(&translated[at..]));
    out
}

/// Inside every `{{…}}`, a backslash before ASCII punctuation removed (a
/// Markdown escape; the record markup has no backslashes of its own).
pub fn unescape_forms(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(len) = rest[open..].find("}}") else {
            break;
        };
        let close = open + len + 2;
        out.push_str(&rest[..open]);
        out.push_str(&unescape(&rest[open..close]));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The `{{…}}` forms of a message, unescaped, spaces collapsed, sorted:
/// a translation must keep the msgid's (in any order).
pub fn forms(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(len) = rest[open..].find("}}") else {
            break;
        };
        let form = unescape(&rest[open..open + len + 2]);
        found.push(form.split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &rest[open + len + 2..];
    }
    found.sort();
    found
}

/// Markdown's backslash escapes resolved: `\<` → `<`, `\\` → `\`.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// A math span as Markdown would read it, without whitespace: the key that
/// matches a round-tripped span to its original.
fn normalize(span: &str) -> String {
    unescape(span).split_whitespace().collect()
}

/// Byte ranges of `$$…$$` (across lines) and `$…$` (within a line) outside
/// fenced code blocks and inline code.
fn math_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut fence = super::anchors::Fence::default();
    let mut display: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if fence.holds(line, display.is_none()) {
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut inline: Option<usize> = None;
        let mut code = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'`' if display.is_none() => code = !code,
                b'$' if code => {}
                b'$' if bytes.get(i + 1) == Some(&b'$') => {
                    match display.take() {
                        Some(open) => spans.push((open, start + i + 2)),
                        None if inline.is_none() => display = Some(start + i),
                        None => {}
                    }
                    i += 1;
                }
                b'$' if display.is_none() => match inline.take() {
                    Some(open) => spans.push((open, start + i + 1)),
                    None => inline = Some(start + i),
                },
                _ => {}
            }
            i += 1;
        }
    }
    spans.sort_unstable();
    spans
}
