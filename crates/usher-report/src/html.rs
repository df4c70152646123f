//! The report page: one HTML file with its styles and charts inline, no script, and a
//! Content-Security-Policy that lets it load nothing at all.

use crate::chart;
use crate::rows::{Row, Section, ALL_DOORS};
use std::fmt::Write;
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

fn table(out: &mut String, rows: &[&Row], value_head: &str, detail: bool) {
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
            escape(&r.value)
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

/// The whole page for `report`, its tables made of `rows` (`crate::rows::rows`).
pub fn page(report: &ShiftReport, rows: &[Row]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let event = report.event_name.as_deref().unwrap_or(&report.event_id);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Shift report: {}</title><style>{STYLE}</style></head>\n<body>\n",
        escape(event)
    );
    let _ = writeln!(out, "<h1>Shift report: {}</h1>", escape(event));
    let span = match (report.first_scan_at, report.last_scan_at) {
        (Some(a), Some(b)) => format!("Scans from {} to {}.", report.local(a), report.local(b)),
        _ => "No scans yet.".to_string(),
    };
    let _ = writeln!(
        out,
        "<p class=\"meta\">Event {} · gate {} · device {} · times in {} · made {}. {}</p>",
        escape(&report.event_id),
        escape(&report.gate),
        escape(&report.device_id),
        escape(&report.time_zone),
        escape(&report.local(report.generated_at)),
        escape(&span)
    );

    out.push_str(
        "<div class=\"figures\"><div><h2>This door now</h2>\n\
         <p class=\"note\">As <code>usher status</code> counts them.</p>\n",
    );
    table(&mut out, &of(rows, Section::Status, "", ""), "", false);
    let _ = write!(
        out,
        "</div><div><h2>{ALL_DOORS}</h2>\n<p class=\"note\">Every gate and device in the scan log.</p>\n"
    );
    table(&mut out, &of(rows, Section::Door, ALL_DOORS, ""), "", false);
    out.push_str("</div></div>\n");

    for d in &report.doors {
        let _ = write!(
            out,
            "<section class=\"door\" data-gate=\"{}\" data-device=\"{}\">\n<h2>{} · device {} ({})</h2>\n<div class=\"door-figures\">",
            escape(&d.gate),
            escape(&d.device_id),
            escape(&d.gate),
            escape(&d.device_id),
            match d.mode {
                usher_core::gate::Mode::Entry => "entry",
                usher_core::gate::Mode::Exit => "exit",
            }
        );
        out.push_str("<figure class=\"arrivals\"><figcaption>Arrivals per 5 minutes</figcaption>");
        out.push_str(&chart::arrivals_svg(&d.arrivals));
        out.push_str("</figure>\n");
        table(
            &mut out,
            &of(rows, Section::Door, &d.gate, &d.device_id),
            "",
            false,
        );
        out.push_str("</div>\n<details><summary>Arrivals per 5 minutes, as a table</summary>\n");
        table(
            &mut out,
            &of(rows, Section::Arrivals, &d.gate, &d.device_id),
            "Arrivals",
            false,
        );
        out.push_str("</details>\n</section>\n");
    }

    out.push_str("<h2>Conflicts and rejections</h2>\n");
    let problems: Vec<&Row> = rows
        .iter()
        .filter(|r| r.section == Section::Problem)
        .collect();
    if problems.is_empty() {
        out.push_str("<p class=\"note\">None.</p>\n");
    } else {
        table(&mut out, &problems, "Ticket or order", true);
    }

    out.push_str("<h2>Reconciliation with Session Services</h2>\n");
    let rec = &report.reconciliation;
    if rec.checked {
        let _ = writeln!(
            out,
            "<p id=\"reconciliation\" data-checked=\"true\">{} tickets this device checked in or out were checked against Session Services' current state: {} agree, {} differ.</p>",
            rec.tickets,
            rec.agreeing,
            rec.tickets - rec.agreeing
        );
        let diffs: Vec<&Row> = rows
            .iter()
            .filter(|r| r.section == Section::Reconciliation)
            .collect();
        if !diffs.is_empty() {
            table(&mut out, &diffs, "Difference", true);
        }
    } else {
        let _ = writeln!(
            out,
            "<p id=\"reconciliation\" data-checked=\"false\" class=\"warn\">Not reconciled: {}. The {} tickets this device checked in or out could not be checked against Session Services; everything else in this report is from this laptop's scan log.</p>",
            escape(rec.not_checked_because.as_deref().unwrap_or("unknown")),
            rec.tickets
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
