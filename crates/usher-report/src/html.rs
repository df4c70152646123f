//! The report page: one HTML file with its styles and charts inline, no script, and a
//! Content-Security-Policy that lets it load nothing at all.

use crate::chart;
use crate::rows::{Row, Section};
use std::fmt::Write;
use usher_core::look::Words;
use usher_core::report::ShiftReport;

/// `s` with `&`, `<`, `>`, `"` and `'` escaped: safe as element text and as a quoted
/// attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; color: #1d232b; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid #dee2e6; }
h3 { font-size: 16px; margin: 16px 0 6px; }
.meta { color: #5b6470; margin: 0 0 12px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid #eef0f2; vertical-align: top; }
td.value { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.figures { display: flex; gap: 48px; flex-wrap: wrap; align-items: flex-start; }
.figures h2 { margin-top: 12px; }
figure.arrivals { margin: 0 0 8px; } figcaption { font-weight: 600; margin: 4px 0; }
.note { color: #5b6470; } .warn { color: #9a3412; font-weight: 600; }
svg.arrivals-chart { max-width: 100%; height: auto; border: 1px solid #eef0f2; }
";

/// A figure as the report's language groups it ("1,234", "1.234"); any other value as it is.
fn value(words: &Words, v: &str) -> String {
    match v.parse::<i64>() {
        Ok(n) => words.number(n),
        Err(_) => v.to_string(),
    }
}

fn table(out: &mut String, words: &Words, rows: &[&Row], value_head: &str, detail: bool) {
    out.push_str("<table><thead><tr><th></th>");
    let _ = write!(out, "<th>{}</th>", escape(value_head));
    if detail {
        out.push_str("<th></th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in rows {
        let _ = write!(
            out,
            "<tr data-key=\"{}\"><th>{}</th><td class=\"value\">{}</td>",
            escape(&r.key()),
            escape(&r.label),
            escape(&value(words, &r.value))
        );
        if detail {
            let _ = write!(out, "<td class=\"detail\">{}</td>", escape(&r.detail));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn of<'a>(rows: &'a [Row], section: Section, gate: &str, device: &str) -> Vec<&'a Row> {
    rows.iter()
        .filter(|r| r.section == section && r.gate == gate && r.device == device)
        .collect()
}

/// The whole page for `report`, its tables made of `rows` (`crate::rows::rows`), in the
/// report's words.
pub fn page(report: &ShiftReport, rows: &[Row]) -> String {
    let words = report.words();
    let t = |id: &str| escape(&words.text(id, &[]));
    let mut out = String::with_capacity(64 * 1024);
    let event = report.event_name.as_deref().unwrap_or(&report.event_id);
    let title = escape(&words.text("report-title", &[("event", event.into())]));
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head>\n<body>\n",
        words.language().code()
    );
    let _ = writeln!(out, "<h1>{title}</h1>");
    let span = match (report.first_scan_at, report.last_scan_at) {
        (Some(a), Some(b)) => words.text(
            "report-span",
            &[
                ("from", report.local(a).into()),
                ("to", report.local(b).into()),
            ],
        ),
        _ => words.text("report-no-scans", &[]),
    };
    let meta = words.text(
        "report-meta",
        &[
            ("event", report.event_id.as_str().into()),
            ("gate", report.gate.as_str().into()),
            ("device", report.device_id.as_str().into()),
            ("zone", report.time_zone.as_str().into()),
            ("made", report.local(report.generated_at).into()),
        ],
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} {}</p>",
        escape(&meta),
        escape(&span)
    );

    let _ = write!(
        out,
        "<div class=\"figures\"><div><h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        t("report-this-door"),
        t("report-this-door-note")
    );
    table(
        &mut out,
        words,
        &of(rows, Section::Status, "", ""),
        "",
        false,
    );
    let _ = write!(
        out,
        "</div><div><h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        t("report-all-doors"),
        t("report-all-doors-note")
    );
    table(
        &mut out,
        words,
        &of(rows, Section::Total, "", ""),
        "",
        false,
    );
    out.push_str("</div></div>\n");

    for d in &report.doors {
        let mode = match d.mode {
            usher_core::gate::Mode::Entry => "report-mode-ENTRY",
            usher_core::gate::Mode::Exit => "report-mode-EXIT",
        };
        let heading = words.text(
            "report-door-heading",
            &[
                ("gate", d.gate.as_str().into()),
                ("device", d.device_id.as_str().into()),
                ("mode", words.text(mode, &[]).into()),
            ],
        );
        let _ = write!(
            out,
            "<section class=\"door\" data-gate=\"{}\" data-device=\"{}\">\n<h2>{}</h2>\n<div class=\"door-figures\">",
            escape(&d.gate),
            escape(&d.device_id),
            escape(&heading),
        );
        let _ = write!(
            out,
            "<figure class=\"arrivals\"><figcaption>{}</figcaption>",
            t("report-arrivals")
        );
        out.push_str(&chart::arrivals_svg(&d.arrivals, words));
        out.push_str("</figure>\n");
        table(
            &mut out,
            words,
            &of(rows, Section::Door, &d.gate, &d.device_id),
            "",
            false,
        );
        let _ = write!(
            out,
            "</div>\n<details><summary>{}</summary>\n",
            t("report-arrivals-table")
        );
        table(
            &mut out,
            words,
            &of(rows, Section::Arrivals, &d.gate, &d.device_id),
            &words.text("report-arrivals-axis", &[]),
            false,
        );
        out.push_str("</details>\n</section>\n");
    }

    let _ = writeln!(out, "<h2>{}</h2>", t("report-problems"));
    let problems: Vec<&Row> = rows
        .iter()
        .filter(|r| r.section == Section::Problem)
        .collect();
    if problems.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", t("report-none"));
    } else {
        table(
            &mut out,
            words,
            &problems,
            &words.text("report-problem-head", &[]),
            true,
        );
    }

    let _ = writeln!(out, "<h2>{}</h2>", t("report-reconciliation"));
    let rec = &report.reconciliation;
    let count = |n: u64| usher_core::i18n::Arg::from(n as f64);
    if rec.checked {
        let said = words.text(
            "report-reconciled",
            &[
                ("tickets", count(rec.tickets)),
                ("agree", count(rec.agreeing)),
                ("differ", count(rec.tickets - rec.agreeing)),
            ],
        );
        let _ = writeln!(
            out,
            "<p id=\"reconciliation\" data-checked=\"true\">{}</p>",
            escape(&said)
        );
        let diffs: Vec<&Row> = rows
            .iter()
            .filter(|r| r.section == Section::Reconciliation)
            .collect();
        if !diffs.is_empty() {
            table(
                &mut out,
                words,
                &diffs,
                &words.text("report-difference-head", &[]),
                true,
            );
        }
    } else {
        let why = match rec.not_checked_because.as_deref() {
            Some(why) => why.to_string(),
            None => words.text("report-not-reconciled-unknown", &[]),
        };
        let said = words.text(
            "report-not-reconciled",
            &[("why", why.into()), ("tickets", count(rec.tickets))],
        );
        let _ = writeln!(
            out,
            "<p id=\"reconciliation\" data-checked=\"false\" class=\"warn\">{}</p>",
            escape(&said)
        );
    }
    let _ = write!(
        out,
        "<p class=\"note\">{}</p>\n</body></html>\n",
        escape(&report.limits)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_of_untrusted_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("Zoë Ørsted"), "Zoë Ørsted");
    }
}
