//! Inline display in a Jupyter notebook running the evcxr Rust kernel.
//!
//! evcxr shows a value whose type has an `evcxr_display` method by reading
//! what that method prints between `EVCXR_BEGIN_CONTENT <mime>` and
//! `EVCXR_END_CONTENT`.

use crate::record::Record;

/// An SVG figure that shows itself inline in a notebook.
#[derive(Debug, Clone)]
pub struct Svg(pub String);

impl Svg {
    pub fn evcxr_display(&self) {
        emit("image/svg+xml", &self.0);
    }
}

/// An HTML fragment that shows itself inline in a notebook.
#[derive(Debug, Clone)]
pub struct Html(pub String);

impl Html {
    pub fn evcxr_display(&self) {
        emit("text/html", &self.0);
    }
}

fn emit(mime: &str, body: &str) {
    println!("EVCXR_BEGIN_CONTENT {mime}\n{body}\nEVCXR_END_CONTENT");
}

impl Record {
    /// The record's figure, for a notebook cell.
    pub fn figure(&self) -> Svg {
        Svg(crate::plot::svg(self))
    }

    /// The record's table as HTML, for a notebook cell.
    pub fn html_table(&self) -> Html {
        let keys = self.extra_keys();
        let mut rows = String::new();
        for run in &self.runs {
            let extras: String = keys
                .iter()
                .map(|k| format!("<td>{}</td>", crate::table::extra_text(run, k)))
                .collect();
            let cells = match &run.skipped {
                Some(why) => {
                    format!("<td colspan=\"4\">skipped: {}</td>", escape(why))
                }
                None => format!(
                    "<td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{}</td>",
                    run.wall_s,
                    run.cpu_s,
                    run.speedup.map_or("–".into(), |s| format!("{s:.2}×")),
                    run.efficiency
                        .map_or("–".into(), |e| format!("{:.0} %", e * 100.0)),
                ),
            };
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td>{cells}{extras}</tr>\n",
                escape(&run.variant),
                run.workers
            ));
        }
        Html(format!(
            "<table><caption>{} {} ({})</caption>\n\
             <tr><th>variant</th><th>workers</th><th>wall s</th><th>CPU s</th>\
             <th>speed-up</th><th>efficiency</th>{}</tr>\n{rows}</table>\n\
             <p><small>{}</small></p>",
            self.chapter,
            self.example,
            escape(&self.size_text()),
            keys.iter()
                .map(|k| format!("<th>{}</th>", escape(k)))
                .collect::<String>(),
            escape(&self.machine.summary()),
        ))
    }

    /// A record as a cell's value shows its table and its figure, as one
    /// HTML output (a front end shows only one MIME type per output).
    pub fn evcxr_display(&self) {
        let figure = crate::plot::svg(self);
        Html(format!("{}\n{figure}", self.html_table().0)).evcxr_display();
    }
}

/// `text` made safe inside HTML: `&`, `<` and `>` escaped.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_and_has_rows() {
        let mut rec = Record::new("ch03", "fib", serde_json::json!({"n": 1}));
        rec.runs.push(crate::record::Run {
            variant: "dist".into(),
            workers: 2,
            wall_s: 0.0,
            cpu_s: 0.0,
            speedup: None,
            efficiency: None,
            verified: false,
            skipped: Some("needs <redis-server>".into()),
            extra: Default::default(),
        });
        let html = rec.html_table().0;
        assert!(
            html.contains("skipped: needs &lt;redis-server&gt;"),
            "{html}"
        );
    }
}
