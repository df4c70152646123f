//! **Record**: the scan log, one row per scan whatever the verdict. It is the app's log and
//! the upload outbox at once: a row that acts on a ticket starts `PENDING` and moves to
//! `ACKNOWLEDGED`, `CONFLICT` or `REJECTED` as uploads answer.
//!
//! **Architecture invariant:** rows are never deleted and what the door decided is never
//! rewritten; the schema enforces both with triggers. Only the upload columns change.

use crate::code::preview;
use crate::column::Stored;
use crate::error::{Error, Result};
use crate::gate::{GateProfile, Mode};
use crate::i18n::Said;
use crate::look::Look;
use crate::settings::DeviceConfig;
use crate::time::{iso, ser_ts};
use crate::verdict::{Named, OrderVerdict, Person, PriorScan, Reason, Verdict, VerdictKind};
use jiff::Timestamp;
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};
use session_api::ScanKind;
use std::io::Write;

/// Characters of the scanned text kept in the log.
pub const PAYLOAD_PREVIEW_CHARS: usize = 512;

/// Where a scan came from. All three are equal at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Source {
    /// A camera frame, decoded by `usher-camera`.
    Camera,
    /// A keyboard-wedge USB scanner typing into the window (or `usher scan --source wedge`).
    Wedge,
    /// Typed or pasted by staff; also a check-in, check-out or undo from lookup and activity.
    Manual,
}

/// Where a scan stands with the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UploadState {
    /// A refusal: nothing to upload.
    None,
    /// Waiting to upload, or to hear back from the server.
    Pending,
    /// The server took it.
    Acknowledged,
    /// Someone else got there first (`NOOP_TRANSITION`).
    Conflict,
    /// Refused for good; kept and shown to the door lead.
    Rejected,
}

/// What the door shows and `usher scan --json` prints for one scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanOutcome {
    /// The local scan id (UUIDv7), the log row's `id`.
    pub scan_id: String,
    /// What was scanned, as printable text (its first [`PAYLOAD_PREVIEW_CHARS`] characters,
    /// escaped): shown as text only, never interpreted.
    pub scanned: String,
    /// The verdict shown: the cache's, or the server's when it answered online.
    pub verdict: VerdictKind,
    /// The reason or details in plain English words, as the scan log keeps them (`look`'s
    /// `detail` is the one in the door's language).
    pub detail: String,
    /// The reason as facts, for `look` to word; [`Reason::AsSaid`] for the server's words.
    #[serde(skip)]
    pub reason: Reason,
    /// The scanned ticket's id; None for an order or a code the cache does not hold.
    pub ticket_id: Option<String>,
    /// The ticket's order, or the scanned order's id.
    pub order_id: Option<String>,
    /// The ticket holder's name (never email or phone).
    pub attendee: Option<Person>,
    /// The ticket's admission; None when no single ticket was found.
    pub admission: Option<Named>,
    /// The ticket's section; None when it has none or no single ticket was found.
    pub section: Option<Named>,
    /// The ticket's last scan, for ALREADY_CHECKED_IN and NOT_CHECKED_IN.
    pub previous: Option<PriorScan>,
    /// For an order code: its tickets' lines and counts.
    pub order: Option<OrderVerdict>,
    /// NOT_FOUND: how old the cache is, in seconds (None: never synced).
    pub cache_age_seconds: Option<i64>,
    /// When the door took the scan, UTC (by the server's clock while a measured skew applies).
    #[serde(serialize_with = "ser_ts")]
    pub door_time: Timestamp,
    /// Which input the scan came from.
    pub source: Source,
    /// The gate's name.
    pub gate: String,
    /// Where the scan stands with the server (NONE for a refusal).
    pub upload: UploadState,
    /// Session Services answered in time and this is its verdict (online confirm).
    pub confirmed_online: bool,
    /// A repeat of the scan shown (the same code from the same source within the debounce
    /// window: a scanner that fired twice): shown again, not recorded again.
    pub same_scan: bool,
    /// How the window paints it, worded by the door (`crate::look`).
    pub look: Look,
}

/// Everything about a scan except the verdict.
pub struct ScanFacts<'a> {
    /// The scanned bytes, untrusted; the log keeps a printable preview and their length.
    pub payload: &'a [u8],
    /// Which input the scan came from.
    pub source: Source,
    /// The time the scan is recorded at (already corrected by the clock skew, if any).
    pub door_time: Timestamp,
    /// This device's id.
    pub device_id: &'a str,
    /// The configuration in force: tenant, API, event and gate.
    pub config: &'a DeviceConfig,
    /// Server clock minus this laptop's, when the door time was corrected by it
    /// (`crate::clock`).
    pub clock_skew_ms: Option<i64>,
}

/// Appends one scan to the log inside the caller's transaction, with a fresh idempotency
/// key, and returns what the door shows. The caller commits before showing it.
pub fn record(tx: &Transaction<'_>, facts: &ScanFacts<'_>, verdict: Verdict) -> Result<Recorded> {
    let scan_id = uuid::Uuid::now_v7().to_string();
    let idempotency_key = uuid::Uuid::new_v4().to_string();
    let gate: &GateProfile = &facts.config.gate;
    let upload = if verdict.action.is_some() {
        UploadState::Pending
    } else {
        UploadState::None
    };
    let verdict_json = serde_json::to_string(&verdict).expect("verdicts serialize");
    let action = verdict.action.as_ref();
    tx.prepare_cached(
        "INSERT INTO scans(id, idempotency_key, door_ms, tenant_id, api, event_id, device_id,
            gate_name, mode, source, payload, payload_len, key, verdict, verdict_json, action,
            allow_partial, admission_ids, section_ids, upload, clock_skew_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?
    .execute(params![
        scan_id,
        idempotency_key,
        facts.door_time.as_millisecond(),
        facts.config.tenant_id,
        facts.config.api.to_string(),
        facts.config.event_id,
        facts.device_id,
        gate.name,
        gate.mode,
        facts.source,
        preview(facts.payload, PAYLOAD_PREVIEW_CHARS),
        facts.payload.len() as i64,
        verdict.key,
        verdict.verdict,
        verdict_json,
        action.map(|a| Stored(a.kind)),
        action.is_some_and(|a| a.allow_partial),
        serde_json::to_string(&gate.admission_ids).expect("strings serialize"),
        serde_json::to_string(&gate.section_ids).expect("strings serialize"),
        upload,
        facts.clock_skew_ms,
    ])?;
    let seq = tx.last_insert_rowid();
    if let Some(a) = action {
        let mut link =
            tx.prepare_cached("INSERT INTO scan_tickets(ticket_id, scan_seq) VALUES (?1, ?2)")?;
        for t in &a.ticket_ids {
            link.execute(params![t, seq])?;
        }
    }
    Ok(Recorded {
        seq,
        outcome: outcome(scan_id, facts, verdict, upload),
    })
}

/// A scan just written: its row and what the door shows.
pub struct Recorded {
    /// The new row's `seq` (door order).
    pub seq: i64,
    /// What the door shows.
    pub outcome: ScanOutcome,
}

/// What the door shows for `verdict`.
pub fn outcome(
    scan_id: String,
    facts: &ScanFacts<'_>,
    verdict: Verdict,
    upload: UploadState,
) -> ScanOutcome {
    let ticket = verdict.ticket;
    ScanOutcome {
        scan_id,
        scanned: preview(facts.payload, PAYLOAD_PREVIEW_CHARS),
        verdict: verdict.verdict,
        detail: verdict.detail,
        reason: verdict.reason,
        ticket_id: ticket.as_ref().map(|t| t.id.clone()),
        order_id: ticket
            .as_ref()
            .map(|t| t.order_id.clone())
            .or_else(|| verdict.order.as_ref().map(|o| o.order_id.clone())),
        attendee: ticket.as_ref().map(|t| t.attendee.clone()),
        admission: ticket.as_ref().map(|t| t.admission.clone()),
        section: ticket.and_then(|t| t.section),
        previous: verdict.previous,
        order: verdict.order,
        cache_age_seconds: verdict.cache_age_seconds,
        door_time: facts.door_time,
        source: facts.source,
        gate: facts.config.gate.name.clone(),
        upload,
        confirmed_online: false,
        same_scan: false,
        look: Look::default(),
    }
}

/// Records what the server made of a scan that was asked online (once).
pub fn set_online_verdict(conn: &Connection, seq: i64, verdict: &Verdict) -> Result<()> {
    conn.execute(
        "UPDATE scans SET online_verdict = ?2, online_verdict_json = ?3 WHERE seq = ?1",
        params![
            seq,
            verdict.verdict,
            serde_json::to_string(verdict).expect("verdicts serialize")
        ],
    )?;
    Ok(())
}

/// One row of the scan log as exported.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// Door order: the row's position in the log.
    pub seq: i64,
    /// The local scan id (UUIDv7).
    pub scan_id: String,
    /// When the door took the scan, UTC.
    #[serde(serialize_with = "ser_ts")]
    pub door_time: Timestamp,
    /// Which input the scan came from.
    pub source: Source,
    /// The gate's name.
    pub gate: String,
    /// Entry or exit, as the gate (or staff's explicit direction) decided it.
    pub mode: Mode,
    /// The device that recorded it.
    pub device_id: String,
    /// The tenant the device was set up for when it scanned.
    pub tenant_id: Option<String>,
    /// The event the device was set up for when it scanned.
    pub event_id: Option<String>,
    /// The ticket or order id found in the scanned text; None: not a ticket code.
    pub key: Option<String>,
    /// The door's verdict (the cache's, as recorded).
    pub verdict: VerdictKind,
    /// What it uploads (check-in or check-out); None for a refusal.
    pub action: Option<ScanKind>,
    /// Where it stands with the server.
    pub upload: UploadState,
    /// Upload attempts made so far.
    pub attempts: i64,
    /// The last upload failure, in plain words; cleared once acknowledged.
    pub last_error: Option<String>,
    /// The server's id for the scan, once acknowledged.
    pub server_scan_id: Option<String>,
    /// The printable preview of the scanned text.
    pub payload: String,
    /// Server clock minus this laptop's while it was off (the door time follows the server).
    pub clock_skew_ms: Option<i64>,
}

/// Export formats of `usher export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, after `#` comment lines naming what the file holds.
    Csv,
    /// One JSON object a line; the first is `{"usherExport": header}`.
    JsonLines,
}

/// What an export holds, stated in its first lines (a `#` comment in CSV, a header object
/// in JSON lines), so a file found later says whose scans it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportHeader {
    /// The tenants of the rows exported, sorted, each once.
    pub tenants: Vec<String>,
    /// The events of the rows exported, sorted, each once.
    pub events: Vec<String>,
    /// The device exporting.
    pub device_id: String,
    /// Door time of the first scan exported, ISO UTC (`None`: no rows).
    pub from: Option<String>,
    /// Door time of the last scan exported (`None`: no rows).
    pub to: Option<String>,
    /// How many scans the file holds.
    pub rows: usize,
    /// Only the scans still waiting to upload (`--pending`).
    pub pending_only: bool,
    /// When the export was written (ISO UTC).
    pub exported_at: String,
}

const EXPORT_SELECT: &str =
    "SELECT seq, id, door_ms, source, gate_name, mode, device_id, tenant_id,
        event_id, key, verdict, action, upload, attempts, last_error, server_scan_id, payload,
        clock_skew_ms
     FROM scans WHERE (?1 = 0 OR upload = 'PENDING') ORDER BY seq";

/// Writes the scan log to `path` (`pending_only`: just the unsynced queue), in door order,
/// after a header naming its tenant, event, device and time range. Returns that header.
///
/// The file holds guests' ticket ids (bearer credentials), so it is created readable by its
/// owner only (`0600`), written to a temporary file beside it and renamed into place (a
/// reader never sees half an export; a crash leaves the old file), and never written through
/// a symbolic link: a link at `path` is refused. In CSV, a text cell that a spreadsheet would
/// run as a formula is neutralised ([`neutralise_cell`]).
pub fn export(
    conn: &Connection,
    device_id: &str,
    path: &std::path::Path,
    format: ExportFormat,
    pending_only: bool,
    now: Timestamp,
) -> Result<ExportHeader> {
    let rows = export_rows(conn, pending_only)?;
    let header = export_header(&rows, device_id, pending_only, now);
    write_private(path, |file| write_export(file, &header, &rows, format))?;
    Ok(header)
}

/// Writes a file the way an export is written: readable by its owner only (`0600`), through
/// a temporary file beside it that is renamed into place (a reader never sees half of it; a
/// crash leaves the old file), never through a symbolic link (a link at `path`, or a
/// folder, is refused with a clear error and nothing is written). `write` fills the file.
pub fn write_private(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    let io = |verb: &'static str| Error::io(Said::io(verb, &path));
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::InvalidConfig(
                Said::new("config-export-link").with("path", path.display().to_string()),
            ))
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::InvalidConfig(
                Said::new("config-export-folder").with("path", path.display().to_string()),
            ))
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    // tempfile creates the file with mode 0600 on Unix, with O_EXCL: never through a link.
    let mut tmp = tempfile::Builder::new()
        .prefix(".usher-export-")
        .tempfile_in(dir)
        .map_err(io("create-beside"))?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all().map_err(io("write"))?;
    tmp.persist(path)
        .map_err(|e| Error::io(Said::io("write", &path))(e.error))?;
    Ok(())
}

fn export_rows(conn: &Connection, pending_only: bool) -> Result<Vec<LogEntry>> {
    let mut stmt = conn.prepare(EXPORT_SELECT)?;
    let rows = stmt.query_map([pending_only], |r| {
        let ms: i64 = r.get(2)?;
        Ok(LogEntry {
            seq: r.get(0)?,
            scan_id: r.get(1)?,
            door_time: Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH),
            source: r.get(3)?,
            gate: r.get(4)?,
            mode: r.get(5)?,
            device_id: r.get(6)?,
            tenant_id: r.get(7)?,
            event_id: r.get(8)?,
            key: r.get(9)?,
            verdict: r.get(10)?,
            action: r.get::<_, Option<Stored<ScanKind>>>(11)?.map(|k| k.0),
            upload: r.get(12)?,
            attempts: r.get(13)?,
            last_error: r.get(14)?,
            server_scan_id: r.get(15)?,
            payload: r.get(16)?,
            clock_skew_ms: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn export_header(
    rows: &[LogEntry],
    device_id: &str,
    pending_only: bool,
    now: Timestamp,
) -> ExportHeader {
    let distinct = |f: fn(&LogEntry) -> Option<&String>| {
        let set: std::collections::BTreeSet<&String> = rows.iter().filter_map(f).collect();
        set.into_iter().cloned().collect()
    };
    ExportHeader {
        tenants: distinct(|r| r.tenant_id.as_ref()),
        events: distinct(|r| r.event_id.as_ref()),
        device_id: device_id.to_string(),
        from: rows.first().map(|r| iso(r.door_time)),
        to: rows.last().map(|r| iso(r.door_time)),
        rows: rows.len(),
        pending_only,
        exported_at: iso(now),
    }
}

fn write_export(
    file: &mut std::fs::File,
    header: &ExportHeader,
    rows: &[LogEntry],
    format: ExportFormat,
) -> Result<()> {
    let write_err = || Error::io(Said::new("io-write-export"));
    let mut out = std::io::BufWriter::new(file);
    match format {
        ExportFormat::Csv => {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(" ")
                }
            };
            // Comment lines: what a reader needs to know whose scans these are. Ids and
            // timestamps only, none of which can start a formula.
            writeln!(
                out,
                "# Usher scan log{}: tenant {}; event {}; device {}; door time {} to {}; {} rows; exported {}",
                if header.pending_only { " (waiting to upload)" } else { "" },
                list(&header.tenants),
                list(&header.events),
                neutralise_cell(&header.device_id),
                header.from.as_deref().unwrap_or("-"),
                header.to.as_deref().unwrap_or("-"),
                header.rows,
                header.exported_at,
            )
            .map_err(write_err())?;
            let mut w = csv::Writer::from_writer(&mut out);
            for row in rows {
                w.serialize(row.neutralised()).map_err(|e| Error::Io {
                    context: Said::new("io-write-export"),
                    source: e.into(),
                })?;
            }
            w.flush().map_err(write_err())?;
        }
        ExportFormat::JsonLines => {
            let line = serde_json::json!({ "usherExport": header });
            writeln!(out, "{line}").map_err(write_err())?;
            for row in rows {
                let line = serde_json::to_string(row).expect("log entries serialize");
                writeln!(out, "{line}").map_err(write_err())?;
            }
        }
    }
    out.flush().map_err(write_err())?;
    Ok(())
}

impl LogEntry {
    /// The row with every text cell a spreadsheet could run made inert.
    fn neutralised(&self) -> LogEntry {
        let n = |s: &String| neutralise_cell(s);
        let o = |s: &Option<String>| s.as_deref().map(neutralise_cell);
        LogEntry {
            seq: self.seq,
            scan_id: n(&self.scan_id),
            door_time: self.door_time,
            source: self.source,
            gate: n(&self.gate),
            mode: self.mode,
            device_id: n(&self.device_id),
            tenant_id: o(&self.tenant_id),
            event_id: o(&self.event_id),
            key: o(&self.key),
            verdict: self.verdict,
            action: self.action,
            upload: self.upload,
            attempts: self.attempts,
            last_error: o(&self.last_error),
            server_scan_id: o(&self.server_scan_id),
            payload: n(&self.payload),
            clock_skew_ms: self.clock_skew_ms,
        }
    }
}

/// A CSV cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return: OWASP's list for CSV injection) gets a leading `'`, which
/// spreadsheets show as text. Scanned text and gate names are untrusted.
pub fn neutralise_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}
