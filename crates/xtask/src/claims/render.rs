//! Pages (issue 12): the forms turned into what mdBook renders, against the
//! records of the staged book (the reader's own, after a re-measure).

use anyhow::Result;

use super::expr::{self, Check};
use super::format::{self, Unit};
use super::forms::{self, Kind};
use super::records::Records;

/// Escaped for an HTML attribute.
pub fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `{{rec EXPR | FORMAT}}`: the number with its unit, and a hover text
/// naming each reference and the machine it was measured on.
pub fn rec(body: &str, records: &Records) -> Result<(String, String)> {
    let (text, format) = body.split_once('|').unwrap_or((body, ""));
    let num = expr::parse_num(text)?;
    let refs = num.refs();
    let mut hover = Vec::new();
    // The first reference's key says what the value is measured in; with
    // one reference it is also shown in that unit, with more as a plain
    // number unless the format says otherwise (a ratio has no unit).
    let mut source = None;
    for name in &refs {
        let found = records.get(name)?;
        source.get_or_insert(Unit::of_key(&found.key));
        let (record, path) = name.split_once(':').unwrap_or((name, ""));
        let machine = found.machine.unwrap_or_else(|| "computed".into());
        hover.push(format!("{record}.json {path} — {machine}"));
    }
    let value = num.eval(records)?;
    let source = source.unwrap_or(Unit::Plain);
    let shown_in = if refs.len() == 1 { source } else { Unit::Plain };
    let shown = format::show(value, source, format::parse(format, shown_in)?);
    Ok((shown, hover.join("; ")))
}

/// What a failing (or unreadable) check measured here, for the page.
pub fn measured(check: &Check, records: &Records) -> String {
    let values: Vec<String> = check
        .values(records)
        .into_iter()
        .map(|(name, found)| match found {
            Ok(found) => {
                let unit = Unit::of_key(&found.key);
                let format = format::Format {
                    unit,
                    decimals: None,
                };
                let shown = format::show(found.value, unit, format);
                format!("{name} = {shown}")
            }
            Err(err) => format!("{name}: {err:#}"),
        })
        .collect();
    values.join(", ")
}

/// The page with every form rendered against `records`. Never fails on a
/// claim: one that does not hold here is marked with what was measured.
pub fn page(text: &str, records: &Records) -> Result<String> {
    let found = forms::scan(text)?;
    let claims = forms::claims(&found)?;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for form in &found {
        out.push_str(&text[at..form.range.start]);
        at = form.range.end;
        let replacement = match form.kind {
            Kind::Set => form.body.clone(),
            Kind::Book => format!(
                "<span class=\"book-number\" title=\"the 2016 book, \
                 Distributed Computing with Python\">{}</span>",
                form.body
            ),
            Kind::Rec => match rec(&form.body, records) {
                Ok((shown, hover)) => {
                    format!(
                        "<span class=\"rec\" title=\"{}\">{shown}</span>",
                        attr(&hover)
                    )
                }
                Err(err) => format!(
                    "<span class=\"rec-missing\" title=\"{}\">(not measured here)</span>",
                    attr(&format!("{}: {err:#}", form.body))
                ),
            },
            Kind::Claim => {
                let check = expr::parse_check(&form.body);
                let holds = check.as_ref().map(|c| c.holds(records));
                let class = match holds {
                    Ok(Ok(true)) => "claim",
                    _ => "claim-failed",
                };
                if text[at..].starts_with('\n') {
                    at += 1; // keep the span inside the paragraph's first line
                }
                let hover = format!("checked against the records: {}", form.body);
                format!("<span class=\"{class}\" title=\"{}\">", attr(&hover))
            }
            Kind::ClaimEnd => {
                let claim = claims.iter().find(|c| c.close == form.range);
                let note = claim.and_then(|c| failure_note(&c.check, records));
                format!("</span>{}", note.unwrap_or_default())
            }
        };
        out.push_str(&replacement);
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The note after a claim that does not hold on `records`, if it does not.
fn failure_note(check_text: &str, records: &Records) -> Option<String> {
    let (what, values) = match expr::parse_check(check_text) {
        Ok(check) => match check.holds(records) {
            Ok(true) => return None,
            Ok(false) => ("not on this machine", measured(&check, records)),
            Err(_) => ("not measured on this machine", measured(&check, records)),
        },
        Err(err) => ("a check that does not parse", format!("{err:#}")),
    };
    Some(format!(
        " <small class=\"claim-note\">({what}: {})</small>",
        attr(&values)
    ))
}
