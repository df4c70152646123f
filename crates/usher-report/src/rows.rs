//! The report's rows: every figure, bucket, problem and difference, once, for the HTML
//! tables and the CSV alike.

use usher_core::report::{DoorFigures, ShiftReport, Tally};
use usher_core::scanlog::neutralise_cell;
use usher_core::{Error, Result};

/// The gate column of the rows that add up every door.
pub const ALL_DOORS: &str = "All doors";

/// Which part of the report a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `usher status`'s figures.
    Status,
    /// One door's counts (or every door's, gate [`ALL_DOORS`]).
    Door,
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
    /// The same in words.
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

fn tally_rows(out: &mut Vec<Row>, gate: &str, device: &str, t: &Tally) {
    let figures: [(&str, &str, u64); 7] = [
        ("scans", "Scans", t.scans),
        ("admits", "Admitted", t.admits),
        ("re_entries", "of them re-entries", t.re_entries),
        ("exits", "Exits", t.exits),
        ("refused", "Refused", t.refused()),
        ("conflicts", "Conflicts", t.conflicts),
        ("rejected", "Rejected by Session Services", t.rejected),
    ];
    for (item, label, n) in figures {
        out.push(row(Section::Door, gate, device, item, label, n.to_string()));
    }
    for r in &t.refusals {
        let reason = r.reason.as_str();
        out.push(row(
            Section::Door,
            gate,
            device,
            &format!("refused:{reason}"),
            &format!("Refused: {reason}"),
            r.count.to_string(),
        ));
    }
    out.push(row(
        Section::Door,
        gate,
        device,
        "pending",
        "Waiting to upload",
        t.pending.to_string(),
    ));
}

fn door_rows(out: &mut Vec<Row>, d: &DoorFigures) {
    tally_rows(out, &d.gate, &d.device_id, &d.tally);
    for b in &d.arrivals {
        out.push(row(
            Section::Arrivals,
            &d.gate,
            &d.device_id,
            &b.label,
            &b.label,
            b.arrivals.to_string(),
        ));
    }
}

/// Every row of `r`, in the order the page shows them.
pub fn rows(r: &ShiftReport) -> Vec<Row> {
    let s = &r.status;
    let mut out = vec![];
    let status: [(&str, &str, u64); 7] = [
        ("scans", "Scans in the log", s.scans),
        ("checked_in", "Inside now", s.checked_in),
        ("total", "Tickets that can enter", s.total),
        ("pending_upload", "Waiting to upload", s.pending_upload),
        ("conflicts", "Conflicts", s.conflicts),
        ("rejected", "Rejected by Session Services", s.rejected),
        ("cancelled", "Cancelled tickets", s.cancelled),
    ];
    for (item, label, n) in status {
        out.push(row(Section::Status, "", "", item, label, n.to_string()));
    }
    for d in &r.doors {
        door_rows(&mut out, d);
    }
    tally_rows(&mut out, ALL_DOORS, "", &r.totals);
    for p in &r.problems {
        let first = p.first.as_ref().map(|f| {
            let mut words = String::from("first scanned");
            if let Some(by) = &f.by {
                words.push_str(&format!(" by {by}"));
            }
            if let Some(at) = f.at {
                words.push_str(&format!(" at {}", r.local(at)));
            }
            if let Some(d) = &f.device_id {
                words.push_str(&format!(" on device {d}"));
            }
            words
        });
        out.push(Row {
            section: Section::Problem,
            gate: p.gate.clone(),
            device: p.device_id.clone(),
            item: format!("scan {}", p.seq),
            label: format!(
                "{} at {}{}",
                problem_words(p),
                r.local(p.door_time),
                p.guest
                    .as_deref()
                    .map(|g| format!(": {g}"))
                    .unwrap_or_default()
            ),
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
            detail: format!("This door: {}. Session Services: {}.", d.door, d.server),
        });
    }
    out
}

fn problem_words(p: &usher_core::report::Problem) -> &'static str {
    match p.upload {
        usher_core::scanlog::UploadState::Conflict => "Conflict",
        _ => "Rejected",
    }
}

fn serde_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The CSV columns.
pub const CSV_HEADER: [&str; 7] = [
    "section", "gate", "device", "item", "label", "value", "detail",
];

/// The rows as CSV, a header first; a cell a spreadsheet would run as a formula gets a
/// leading `'` (`usher_core::scanlog::neutralise_cell`).
pub fn csv(rows: &[Row]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![]);
    let err = |e: csv::Error| Error::InvalidConfig(format!("cannot write the CSV: {e}"));
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
        .map_err(|e| Error::InvalidConfig(format!("cannot write the CSV: {e}")))
}
