//! Chapter 8 · Everything side by side: the comparison as a table —
//! Markdown for the book, fixed-width for a terminal, HTML for a notebook.

use std::fmt::Write;

use workbench::Machine;
use workbench::notebook::{Html, escape};

use crate::models::Model;
use crate::side::{Comparison, Entry, Pick};

const HEADER: [&str; 9] = [
    "record", "work", "size", "seq (s)", "threads", "async", "dist", "best",
    "machine",
];

/// `1.98× rayon ×2`.
fn short(pick: &Pick) -> String {
    match pick.speedup {
        Some(s) => format!("{s:.2}× {} ×{}", pick.variant, pick.workers),
        None => format!("{} ×{}", pick.variant, pick.workers),
    }
}

fn best_cell(entry: &Entry) -> String {
    if let Some(best) = &entry.best {
        let at = if best.at.is_empty() {
            String::new()
        } else {
            format!(" at {}", best.at)
        };
        return format!("{}{at}", short(best));
    }
    match &entry.fastest {
        Some(p) => format!(
            "no seq; fastest {} ×{} {:.4} s",
            p.variant, p.workers, p.wall_s
        ),
        None => "–".into(),
    }
}

impl Entry {
    /// The entry's cells, in `HEADER` order.
    pub fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.title(),
            self.work.name().into(),
            self.record.size_text(),
            self.seq_wall_s.map_or("–".into(), |s| format!("{s:.4}")),
        ];
        for model in Model::COMPARED {
            cells.push(self.best_of(model).map_or("–".into(), short));
        }
        cells.push(best_cell(self));
        let m = &self.record.machine;
        let day = m.when.split('T').next().unwrap_or(&m.when);
        cells.push(format!("{} CPUs, {day}", m.cpus));
        cells
    }
}

/// The machine without the time of measurement: what records share.
pub fn machine_text(m: &Machine) -> String {
    m.without_time()
}

impl Comparison {
    /// Distinct machines, each with the records measured on it.
    pub fn machines(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for entry in &self.entries {
            let text = machine_text(&entry.record.machine);
            match out.iter_mut().find(|(m, _)| *m == text) {
                Some((_, titles)) => titles.push(entry.title()),
                None => out.push((text, vec![entry.title()])),
            }
        }
        out
    }

    /// Notes below the table: per record, then files not compared.
    pub fn notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| e.notes.iter().map(move |n| format!("{}: {n}", e.title())))
            .collect();
        for other in &self.others {
            notes.push(format!("{} not compared: {}", other.file, other.why));
        }
        notes
    }

    /// The comparison as a Markdown table with notes and machines.
    pub fn markdown(&self) -> String {
        let mut out = format!("| {} |\n|", HEADER.join(" | "));
        out.push_str(&"---|".repeat(3));
        out.push_str(&"---:|".repeat(4));
        out.push_str("---|---|\n");
        for entry in &self.entries {
            let _ = writeln!(out, "| {} |", entry.cells().join(" | "));
        }
        out.push_str("\n<small>\n\n");
        for note in self.notes() {
            let _ = writeln!(out, "- {note}");
        }
        for (machine, titles) in self.machines() {
            let _ = writeln!(out, "- measured on {machine}: {}", titles.join(", "));
        }
        out.push_str("\n</small>\n");
        out
    }

    /// The same table, padded for a terminal.
    pub fn text(&self) -> String {
        let rows: Vec<Vec<String>> =
            std::iter::once(HEADER.iter().map(|h| h.to_string()).collect())
                .chain(self.entries.iter().map(Entry::cells))
                .collect();
        let widths: Vec<usize> = (0..HEADER.len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| {
                    format!("{cell}{}", " ".repeat(w - cell.chars().count()))
                })
                .collect();
            let _ = writeln!(out, "{}", line.join("  ").trim_end());
        }
        for note in self.notes() {
            let _ = writeln!(out, "note: {note}");
        }
        for (machine, titles) in self.machines() {
            let _ = writeln!(out, "machine: {machine} ({} records)", titles.len());
        }
        out
    }

    /// The table as HTML, for a notebook cell.
    pub fn html(&self) -> Html {
        let head: String = HEADER.iter().map(|h| format!("<th>{h}</th>")).collect();
        let mut rows = String::new();
        for entry in &self.entries {
            let cells: String = entry
                .cells()
                .iter()
                .map(|c| format!("<td>{}</td>", escape(c)))
                .collect();
            let _ = writeln!(rows, "<tr>{cells}</tr>");
        }
        let notes: String = self
            .notes()
            .iter()
            .chain(self.machines().iter().map(|(m, _)| m))
            .map(|n| format!("<li>{}</li>", escape(n)))
            .collect();
        Html(format!(
            "<table><tr>{head}</tr>\n{rows}</table>\n<ul><small>{notes}</small></ul>"
        ))
    }

    /// In a notebook, a comparison shows its table and its figure.
    pub fn evcxr_display(&self) {
        let figure = crate::figure::svg(self);
        Html(format!("{}\n{figure}", self.html().0)).evcxr_display();
    }
}
