//! Issue 17 (中文版): translated headings keep their English ids.
//!
//! mdBook makes a heading's id from its text, so `## 笔记本` would get the id
//! `笔记本` and every `how-to-read.md#the-notebooks` of the other pages (and
//! of the language switch) would break. Each heading of a translated page
//! gets an explicit `{#id}` with the id mdBook gives the English heading
//! (mdbook-html 0.5's `id_from_content` and `unique_id`).

use std::collections::HashSet;

/// The ids of the ATX headings of `english`, in order; `None` for one with
/// an explicit `{#id}` (which the translation keeps).
pub fn heading_ids(english: &str) -> Vec<Option<String>> {
    let mut used = HashSet::new();
    headings(english)
        .into_iter()
        .map(|(_, text)| {
            if explicit(text) {
                return None;
            }
            let base = id_from_content(&visible(text));
            let mut id = base.clone();
            let mut n = 0;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            Some(id)
        })
        .collect()
}

/// `translated` with ` {#id}` after each heading that has none; unchanged
/// (and `false`) when its headings do not pair with `ids` one to one.
pub fn keep_ids(translated: &str, ids: &[Option<String>]) -> (String, bool) {
    let found = headings(translated);
    if found.len() != ids.len() {
        return (translated.to_string(), false);
    }
    let mut out = String::with_capacity(translated.len() + 32 * ids.len());
    let mut at = 0;
    for ((end, text), id) in found.iter().zip(ids) {
        out.push_str(&translated[at..*end]);
        at = *end;
        if let Some(id) = id.as_ref().filter(|_| !explicit(text)) {
            out.push_str(&format!(" {{#{id}}}"));
        }
    }
    out.push_str(&translated[at..]);
    (out, true)
}

fn explicit(heading: &str) -> bool {
    heading.trim_end().ends_with('}') && heading.contains("{#")
}

/// (byte offset of the end of the heading's text, the text) of every ATX
/// heading outside fenced code.
fn headings(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut fence = Fence::default();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if fence.holds(line, true) {
            continue;
        }
        let body = line.trim_end();
        let trimmed = body.trim_start();
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        let indent = body.len() - trimmed.len();
        let rest = &trimmed[level..];
        if (1..=6).contains(&level) && indent < 4 && rest.starts_with(' ') {
            let content = rest.trim().trim_end_matches('#').trim_end();
            found.push((start + body.len(), content));
        }
    }
    found
}

/// The fenced code block (``` or ~~~, three or more) a Markdown text is
/// in, followed line by line.
#[derive(Default)]
pub(super) struct Fence(Option<String>);

impl Fence {
    /// Whether `line` belongs to a fenced block: its opening line (when
    /// `may_open`), a line inside, or its closing line.
    pub(super) fn holds(&mut self, line: &str, may_open: bool) -> bool {
        let trimmed = line.trim();
        let ticks: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if let Some(open) = &self.0 {
            if ticks.len() >= open.len() && trimmed == ticks {
                self.0 = None;
            }
            return true;
        }
        if may_open && ticks.len() >= 3 {
            self.0 = Some(ticks);
            return true;
        }
        false
    }
}

/// The heading's text as the reader sees it: no code ticks, emphasis
/// stars, link targets or HTML tags.
fn visible(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '*' | '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                chars.by_ref().take_while(|c| *c != ')').for_each(drop);
            }
            '<' => chars.by_ref().take_while(|c| *c != '>').for_each(drop),
            '\\' => out.extend(chars.next()),
            _ => out.push(c),
        }
    }
    out
}

/// mdbook-html 0.5.4's `id_from_content`.
fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}
