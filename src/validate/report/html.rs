//! The HTML report: one self-contained page (inline CSS, JS and SVG; no network)
//! with the totals, counts by rule (a bar chart; a click filters) and by column,
//! and every violation in a table that can be filtered by text, rule, severity
//! and column, and sorted by any column. Values come from files anyone may have
//! written: every one is escaped for HTML, and the violations travel as JSON
//! inside a `<script type="application/json">` with `<`, `>` and `&` escaped, and
//! reach the page only through `textContent`.

use super::{plural, thousands};
use crate::validate::rules::{Rule, Severity};
use crate::validate::violation::AuditReport;
use std::io::{self, Write};

const CSS: &str = include_str!("html.css");
const JS: &str = include_str!("html.js");

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let title = format!(
        "Audit of {}: {}",
        report.file,
        plural(report.violations.len(), "violation")
    );
    write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n\
         <h1>Contact list audit</h1>\n<p class=\"meta\"><strong>{}</strong> · mapping {} · {}</p>\n</header>\n",
        esc(&title),
        esc(&report.file),
        esc(&report.mapping),
        esc(&report.encoding)
    )?;
    let card = |label: &str, n: u64, class: &str| {
        format!(
            "<div class=\"card {class}\"><span>{}</span>{label}</div>",
            thousands(n)
        )
    };
    writeln!(
        out,
        "<section class=\"cards\">{}{}{}{}</section>",
        card("rows checked", report.rows, ""),
        card("violations", report.violations.len() as u64, ""),
        card("errors", report.errors() as u64, "error"),
        card("warnings", report.warnings() as u64, "warning"),
    )?;
    if !report.ignored.is_empty() {
        let cols: Vec<String> = report.ignored.iter().map(|c| esc(c)).collect();
        writeln!(
            out,
            "<p class=\"note\">Not checked (not in the mapping): {}</p>",
            cols.join(", ")
        )?;
    }
    if report.violations.is_empty() {
        writeln!(
            out,
            "<p class=\"ok\">No problems found.</p>\n</body>\n</html>"
        )?;
        return out.flush();
    }
    writeln!(
        out,
        "<section class=\"grid\">\n<div>\n<h2>By rule</h2>\n{}</div>",
        chart(report)
    )?;
    writeln!(
        out,
        "<div>\n<h2>By column</h2>\n{}</div>\n</section>",
        columns(report)
    )?;
    writeln!(
        out,
        "<section>\n<h2>Violations</h2>\n<div class=\"filters\">\
         <input id=\"q\" type=\"search\" placeholder=\"Filter: any text, e.g. a line, a name, +852\">\
         <select id=\"rule\"><option value=\"\">every rule</option>{}</select>\
         <select id=\"sev\"><option value=\"\">every severity</option><option>error</option><option>warning</option></select>\
         <select id=\"col\"><option value=\"\">every column</option>{}</select>\
         <span id=\"count\"></span></div>",
        options(
            report
                .by_rule()
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(r, _)| r.code().to_string())
        ),
        options(report.by_column().into_iter().map(|(c, _)| c)),
    )?;
    writeln!(
        out,
        "<table id=\"t\"><thead><tr>\
         <th data-k=\"0\" class=\"num\">Line</th><th data-k=\"1\">Column</th><th data-k=\"2\">Field</th>\
         <th data-k=\"3\">Rule</th><th data-k=\"4\">Severity</th><th data-k=\"5\">Value</th>\
         <th data-k=\"7\">Suggestion</th><th data-k=\"6\">Problem</th></tr></thead><tbody></tbody></table>\n\
         <p><button id=\"more\" hidden>Show more</button></p>\n</section>"
    )?;
    out.write_all(b"<script type=\"application/json\" id=\"data\">[")?;
    for (i, v) in report.violations.iter().enumerate() {
        let sev = if v.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let item = (
            v.line,
            report.column_name(v),
            v.subject.key(),
            v.rule.code(),
            sev,
            &v.value,
            &v.message,
            &v.suggestion,
            &v.guess,
        );
        let json = serde_json::to_string(&item).map_err(io::Error::other)?;
        if i > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(script_safe(&json).as_bytes())?;
    }
    write!(out, "]</script>\n<script>{JS}</script>\n</body>\n</html>\n")?;
    out.flush()
}

/// A horizontal bar chart of the rules that have violations, as inline SVG.
fn chart(report: &AuditReport) -> String {
    let rules: Vec<(Rule, usize)> = report
        .by_rule()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    let max = rules.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let (bar_x, bar_w, row_h) = (110.0, 300.0, 26.0);
    let height = rules.len() as f64 * row_h + 4.0;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 520 {height}\" role=\"img\" aria-label=\"violations by rule\">\n"
    );
    for (i, (rule, n)) in rules.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (*n as f64 / max as f64 * bar_w).max(2.0);
        let class = if *rule == Rule::Duplicate {
            "warning"
        } else {
            "error"
        };
        svg.push_str(&format!(
            "<g class=\"bar {class}\" data-rule=\"{code}\"><title>{code}: {count}</title>\
             <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{code}</text>\
             <rect x=\"{bar_x}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" rx=\"3\"></rect>\
             <text x=\"{nx:.1}\" y=\"{ty}\">{count}</text></g>\n",
            code = rule.code(),
            count = thousands(*n as u64),
            tx = bar_x - 8.0,
            ty = y + 16.0,
            h = row_h - 8.0,
            nx = bar_x + w + 6.0,
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// Counts by column, each with a bar.
fn columns(report: &AuditReport) -> String {
    let cols = report.by_column();
    let max = cols.first().map_or(1, |(_, n)| *n).max(1);
    let mut html = String::from("<table class=\"cols\">\n");
    for (name, n) in &cols {
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"barcell\"><div style=\"width:{:.1}%\"></div></td></tr>\n",
            esc(name),
            thousands(*n as u64),
            *n as f64 / max as f64 * 100.0
        ));
    }
    html.push_str("</table>\n");
    html
}

fn options(values: impl Iterator<Item = String>) -> String {
    values
        .map(|v| format!("<option value=\"{0}\">{0}</option>", esc(&v)))
        .collect()
}

/// Text safe inside HTML elements and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON that cannot end its `<script>` element or open a comment there.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_stays_text() {
        assert_eq!(
            esc("<b>\"x\" & 'y'"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
        let j = script_safe(r#"["</script><!--&"]"#);
        assert!(!j.contains('<') && !j.contains('&'), "{j}");
    }
}
