//! Pages (issue 12): a record's number as the page prints it, with its unit.

use anyhow::{Result, bail};

/// How a number is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `1.94×`
    Times,
    /// `97 %` (the value is a fraction)
    Percent,
    /// seconds, printed as `s`, `ms` or `µs` by size
    Seconds,
    Ms,
    Us,
    Ns,
    MbPerS,
    Plain,
}

/// A unit and, optionally, a fixed number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub unit: Unit,
    pub decimals: Option<usize>,
}

impl Unit {
    /// The unit a record's key implies: `speedup`, `efficiency`, `*_s`, …
    pub fn of_key(key: &str) -> Unit {
        match key {
            "speedup" | "gustafson_speedup" | "amdahl_speedup" => Unit::Times,
            "efficiency" => Unit::Percent,
            k if k.ends_with("_mb_s") => Unit::MbPerS,
            k if k.ends_with("_ms") => Unit::Ms,
            k if k.ends_with("_us") => Unit::Us,
            k if k.ends_with("_s") => Unit::Seconds,
            _ => Unit::Plain,
        }
    }
}

/// Parse what follows `|` in `{{rec EXPR | FORMAT}}`: a unit, `.N`, or both.
pub fn parse(text: &str, default: Unit) -> Result<Format> {
    let mut format = Format {
        unit: default,
        decimals: None,
    };
    for word in text.split_whitespace() {
        format.unit = match word {
            "×" => Unit::Times,
            "%" => Unit::Percent,
            "s" => Unit::Seconds,
            "ms" => Unit::Ms,
            "µs" | "us" => Unit::Us,
            "ns" => Unit::Ns,
            "MB/s" => Unit::MbPerS,
            "x" => Unit::Plain,
            _ => match word.strip_prefix('.').map(str::parse::<usize>) {
                Some(Ok(n)) => {
                    format.decimals = Some(n);
                    continue;
                }
                _ => {
                    bail!(
                        "`{word}` is not a format (×, %, s, ms, µs, ns, MB/s, x, .N)"
                    )
                }
            },
        };
    }
    Ok(format)
}

/// `value`, measured in `source` (the unit its key implies), as the page
/// prints it. A time is printed in `s`, `ms` or `µs` by its size unless the
/// format names the unit.
pub fn show(value: f64, source: Unit, format: Format) -> String {
    let is_time =
        |unit| matches!(unit, Unit::Seconds | Unit::Ms | Unit::Us | Unit::Ns);
    let value = match source {
        Unit::Ms if is_time(format.unit) => value / 1e3,
        Unit::Us if is_time(format.unit) => value / 1e6,
        _ => value,
    };
    let (scaled, suffix) = match format.unit {
        Unit::Times => (value, "×"),
        Unit::Percent => (value * 100.0, " %"),
        Unit::Seconds if !is_time(source) => (value, " s"),
        Unit::Seconds if value.abs() >= 1.0 => (value, " s"),
        Unit::Seconds if value.abs() >= 1e-3 => (value * 1e3, " ms"),
        Unit::Seconds => (value * 1e6, " µs"),
        Unit::Ms if is_time(source) => (value * 1e3, " ms"),
        Unit::Us if is_time(source) => (value * 1e6, " µs"),
        Unit::Ns if is_time(source) => (value * 1e9, " ns"),
        Unit::Ns => (value, " ns"),
        Unit::Ms => (value, " ms"),
        Unit::Us => (value, " µs"),
        Unit::MbPerS => (value, " MB/s"),
        Unit::Plain => (value, ""),
    };
    let decimals = format.decimals.unwrap_or(match format.unit {
        Unit::Percent => 0,
        _ => decimals_for(scaled),
    });
    let text = format!("{scaled:.decimals$}");
    // A plain number at its default precision drops trailing zeros: 0.05.
    let text = if format.unit == Unit::Plain
        && format.decimals.is_none()
        && text.contains('.')
    {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{suffix}")
}

/// Two decimals from 1 to 10, none from 10 on, two significant digits
/// below 1: `1.94`, `32`, `0.069`.
fn decimals_for(value: f64) -> usize {
    let size = value.abs();
    if size >= 10.0 || size == 0.0 {
        0
    } else if size >= 1.0 {
        2
    } else {
        // 0.069 → 3 decimals; 0.41 → 2.
        (1.0 - size.log10().floor()) as usize
    }
}
