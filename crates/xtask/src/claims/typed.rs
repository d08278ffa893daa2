//! Pages (issue 12): numbers typed by hand in prose — digits followed by
//! `×`, ` s`, ` ms`, ` µs` or `%` outside code, comments and the forms.
//! An image's alt text is not prose (and cannot hold a `{{rec}}`'s HTML):
//! its figure carries the numbers.

use std::ops::Range;

use super::forms::{Form, code_ranges};

/// A typed number: its line and the text around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub line: usize,
    pub text: String,
}

/// `text` with code, comments, `{{…}}` forms, `{{#…}}` links and images'
/// alt text blanked
/// (newlines kept, so lines stay where they were).
fn prose(text: &str, forms: &[Form]) -> String {
    let mut hidden: Vec<Range<usize>> = code_ranges(text);
    hidden.extend(forms.iter().map(|form| form.range.clone()));
    let mut from = 0;
    while let Some(pos) = text[from..].find("{{#") {
        let start = from + pos;
        let end = text[start..]
            .find("}}")
            .map_or(text.len(), |e| start + e + 2);
        hidden.push(start..end);
        from = end;
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find("![") {
        let start = from + pos;
        let end = text[start..].find("](").map_or(text.len(), |e| start + e);
        hidden.push(start..end);
        from = end;
    }
    let mut bytes = text.as_bytes().to_vec();
    for range in hidden {
        for byte in &mut bytes[range] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Whole characters were blanked, so this cannot fail.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Every typed number in the prose of `text`.
pub fn find(text: &str, forms: &[Form]) -> Vec<Typed> {
    let prose = prose(text, forms);
    let mut found = Vec::new();
    for (index, line) in prose.lines().enumerate() {
        for (at, c) in line.char_indices() {
            if !c.is_ascii_digit() {
                continue;
            }
            let rest = &line[at + 1..];
            let unit = ["×", "%", " %"].iter().any(|u| rest.starts_with(u))
                || [" s", " ms", " µs"].iter().any(|u| {
                    rest.strip_prefix(u).is_some_and(|after| {
                        !after.starts_with(char::is_alphanumeric)
                    })
                });
            if unit {
                let start =
                    line[..at].rfind(char::is_whitespace).map_or(0, |i| i + 1);
                // Through the unit's word: `2.01 s,`, `(97%).`.
                let spaces = rest.len() - rest.trim_start_matches(' ').len();
                let word = &rest[spaces..];
                let end = at + 1 + spaces + word.find(' ').unwrap_or(word.len());
                found.push(Typed {
                    line: index + 1,
                    text: line[start..end].trim().to_string(),
                });
            }
        }
    }
    found
}
