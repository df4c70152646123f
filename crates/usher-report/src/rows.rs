//! The report's rows: every figure, bucket, problem and difference, once, for the HTML
//! tables and the CSV alike.

use usher_core::i18n::Said;
use usher_core::look::Words;
use usher_core::report::{serde_name, DoorFigures, ShiftReport, Tally};
use usher_core::scanlog::neutralise_cell;
use usher_core::{Error, Result};

/// Which part of the report a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `usher status`'s figures.
    Status,
    /// One door's counts.
    Door,
    /// Every door's counts together (gate and device empty).
    Total,
    /// One 5-minute bucket of arrivals.
    Arrivals,
    /// A conflict or a rejection.
    Problem,
    /// A difference found by the reconciliation.
    Reconciliation,
}

impl Section {
    /// The name in the CSV's first column.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Status => "status",
            Section::Door => "door",
            Section::Total => "total",
            Section::Arrivals => "arrivals",
            Section::Problem => "problem",
            Section::Reconciliation => "reconciliation",
        }
    }
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its part of the report.
    pub section: Section,
    /// The gate (empty for status rows).
    pub gate: String,
    /// The device (empty for status rows and all doors).
    pub device: String,
    /// What it counts, as a stable name: `admits`, `refused:NOT_FOUND`, a bucket's start, a
    /// scan's number, a ticket id.
    pub item: String,
    /// The same in the report's words.
    pub label: String,
    /// The figure, or the row's main value.
    pub value: String,
    /// More words (who scanned first, the server's view).
    pub detail: String,
}

impl Row {
    /// A key naming the row, the same in the HTML (`data-key`) and the CSV.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.section.as_str(),
            self.gate,
            self.device,
            self.item
        )
    }
}

fn row(section: Section, gate: &str, device: &str, item: &str, label: &str, value: String) -> Row {
    Row {
        section,
        gate: gate.to_string(),
        device: device.to_string(),
        item: item.to_string(),
        label: label.to_string(),
        value,
        detail: String::new(),
    }
}

/// A figure's row: `item` is its stable name, its label message `{prefix}-{item}`.
fn figure(
    words: &Words,
    section: Section,
    gate: &str,
    device: &str,
    prefix: &str,
    item: &str,
    n: u64,
) -> Row {
    let label = words.text(&format!("{prefix}-{item}"), &[]);
    row(section, gate, device, item, &label, n.to_string())
}

fn tally_rows(
    out: &mut Vec<Row>,
    words: &Words,
    section: Section,
    gate: &str,
    device: &str,
    t: &Tally,
) {
    let figures: [(&str, u64); 7] = [
        ("scans", t.scans),
        ("admits", t.admits),
        ("re_entries", t.re_entries),
        ("exits", t.exits),
        ("refused", t.refused()),
        ("conflicts", t.conflicts),
        ("rejected", t.rejected),
    ];
    let figure = |item: &str, n: u64| figure(words, section, gate, device, "report-tally", item, n);
    for (item, n) in figures {
        out.push(figure(item, n));
    }
    for r in &t.refusals {
        let label = words.text(
            "report-refused-because",
            &[("reason", words.headline(r.reason).into())],
        );
        let item = format!("refused:{}", r.reason.as_str());
        out.push(row(
            section,
            gate,
            device,
            &item,
            &label,
            r.count.to_string(),
        ));
    }
    out.push(figure("pending", t.pending));
}

fn door_rows(out: &mut Vec<Row>, r: &ShiftReport, d: &DoorFigures) {
    tally_rows(
        out,
        r.words(),
        Section::Door,
        &d.gate,
        &d.device_id,
        &d.tally,
    );
    for b in &d.arrivals {
        out.push(row(
            Section::Arrivals,
            &d.gate,
            &d.device_id,
            &b.label,
            &r.local(b.start),
            b.arrivals.to_string(),
        ));
    }
}

/// Who got there first, in `r`'s words: "first scanned by Jo at … on device d-2".
fn first_words(r: &ShiftReport, f: &usher_core::activity::FirstScan) -> String {
    let words = r.words();
    let mut out = words.text("report-first-scanned", &[]);
    let mut part = |id: &str, arg: &str, v: String| {
        out.push(' ');
        out.push_str(&words.text(id, &[(arg, v.into())]));
    };
    if let Some(by) = &f.by {
        part("report-first-by", "who", by.clone());
    }
    if let Some(at) = f.at {
        part("report-first-at", "at", r.local(at));
    }
    if let Some(d) = &f.device_id {
        part("report-first-device", "device", d.clone());
    }
    out
}

/// Every row of `r`, in the order the page shows them.
pub fn rows(r: &ShiftReport) -> Vec<Row> {
    let words = r.words();
    let s = &r.status;
    let mut out = vec![];
    let status: [(&str, u64); 7] = [
        ("scans", s.scans),
        ("checked_in", s.checked_in),
        ("total", s.total),
        ("pending_upload", s.pending_upload),
        ("conflicts", s.conflicts),
        ("rejected", s.rejected),
        ("cancelled", s.cancelled),
    ];
    for (item, n) in status {
        out.push(figure(
            words,
            Section::Status,
            "",
            "",
            "report-status",
            item,
            n,
        ));
    }
    for d in &r.doors {
        door_rows(&mut out, r, d);
    }
    tally_rows(&mut out, words, Section::Total, "", "", &r.totals);
    for p in &r.problems {
        let first = p.first.as_ref().map(|f| first_words(r, f));
        let problem = words.text(
            &format!("report-problem-{}", serde_name(&p.upload)),
            &[("at", r.local(p.door_time).into())],
        );
        out.push(Row {
            section: Section::Problem,
            gate: p.gate.clone(),
            device: p.device_id.clone(),
            item: format!("scan {}", p.seq),
            label: match p.guest.as_deref() {
                Some(g) => words.text(
                    "report-problem-guest",
                    &[("problem", problem.into()), ("guest", g.into())],
                ),
                None => problem,
            },
            value: p.key.clone().unwrap_or_default(),
            detail: [first.unwrap_or_default(), p.message.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    for d in &r.reconciliation.differences {
        out.push(Row {
            section: Section::Reconciliation,
            gate: r.gate.clone(),
            device: r.device_id.clone(),
            item: d.ticket_id.clone(),
            label: d.guest.clone().unwrap_or_default(),
            value: serde_name(&d.kind),
            detail: words.text(
                "report-difference",
                &[
                    ("door", d.door.as_str().into()),
                    ("server", d.server.as_str().into()),
                ],
            ),
        });
    }
    out
}

/// The CSV columns.
pub const CSV_HEADER: [&str; 7] = [
    "section", "gate", "device", "item", "label", "value", "detail",
];

/// The rows as CSV, a header first; a cell a spreadsheet would run as a formula gets a
/// leading `'` (`usher_core::scanlog::neutralise_cell`).
pub fn csv(rows: &[Row]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![]);
    let err = |e: csv::Error| {
        Error::InvalidConfig(Said::new("report-csv-write").with("why", e.to_string()))
    };
    w.write_record(CSV_HEADER).map_err(err)?;
    for r in rows {
        w.write_record([
            r.section.as_str().to_string(),
            neutralise_cell(&r.gate),
            neutralise_cell(&r.device),
            neutralise_cell(&r.item),
            neutralise_cell(&r.label),
            neutralise_cell(&r.value),
            neutralise_cell(&r.detail),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::InvalidConfig(Said::new("report-csv-write").with("why", e.to_string())))
}
