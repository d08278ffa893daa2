//! Just enough HTML: the tags of a page, their href/src, id/name and base.
//!
//! Script and style bodies and comments are skipped, so a `href=` inside
//! JavaScript is not taken for a link.

/// What the link checker needs from one page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Every `href` and `src` value, entities decoded, in order.
    pub links: Vec<String>,
    /// Every `id` and `name` value: the anchors a `#fragment` may name.
    pub anchors: Vec<String>,
    /// The `href` of `<base>`, when the page has one.
    pub base: Option<String>,
}

/// Scan `html` for tags and collect links and anchors.
pub fn parse(html: &str) -> Page {
    let mut page = Page::default();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found + 1;
        let rest = &html[start..];
        if rest.starts_with("!--") {
            at = skip_past(html, start, "-->");
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 {
            // `</end>`, `<!DOCTYPE>`, `<?xml?>` or a stray `<`.
            at = start;
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let (attrs, end) = attributes(html, start + name_len);
        for (key, value) in attrs {
            match key.as_str() {
                "href" if name == "base" => page.base = Some(value),
                "href" | "src" => page.links.push(value),
                "id" | "name" => page.anchors.push(value),
                _ => {}
            }
        }
        at = match name.as_str() {
            "script" | "style" => skip_past(html, end, &format!("</{name}")),
            _ => end,
        };
    }
    page
}

/// Attributes from `at` up to the tag's `>`; also the index after it.
fn attributes(html: &str, mut at: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    let skip_space = |mut i: usize| {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/')
        {
            i += 1;
        }
        i
    };
    loop {
        at = skip_space(at);
        if at >= bytes.len() {
            return (attrs, at);
        }
        if bytes[at] == b'>' {
            return (attrs, at + 1);
        }
        let key_start = at;
        while at < bytes.len() && !b" \t\r\n=>/".contains(&bytes[at]) {
            at += 1;
        }
        let key = html[key_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] != b'=' {
            attrs.push((key, String::new()));
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let (value, next) = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let close = html[at + 1..]
                    .find(quote as char)
                    .map_or(html.len(), |i| at + 1 + i);
                (&html[at + 1..close], (close + 1).min(html.len()))
            }
            _ => {
                let end = html[at..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(html.len(), |i| at + i);
                (&html[at..end], end)
            }
        };
        attrs.push((key, decode_entities(value)));
        at = next;
    }
}

/// The index just past the next `needle` at or after `from` (or the end).
fn skip_past(html: &str, from: usize, needle: &str) -> usize {
    html[from..]
        .find(needle)
        .map_or(html.len(), |i| from + i + needle.len())
}

/// The few entities that appear in attribute values.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `%20` and friends back to text.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
