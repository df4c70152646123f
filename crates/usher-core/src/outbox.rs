//! The outbox: the scan log seen from the upload side. What "waiting to upload" means (one
//! definition, [`waiting`], used by the status line, the sync engine, the command line and
//! the window), which scans may go now and in what order ([`due_uploads`]), and how the
//! server's answer settles a scan ([`settle`]).
//!
//! **Architecture invariant:** a scan leaves the outbox only by a settlement: acknowledged,
//! conflict or rejected. Nothing here deletes a scan or changes what the door decided.

use crate::column::Stored;
use crate::error::Result;
use crate::scanlog::UploadState;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

/// Where uploads go: one tenant on one API. A data folder's scans are uploaded, and counted
/// as waiting, per target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// The tenant the scans were recorded for.
    pub tenant_id: &'a str,
    /// The API as the configuration writes it (`production`, `sandbox` or a base URL).
    pub api: &'a str,
}

/// The scans waiting to upload to one target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    /// How many.
    pub count: u64,
    /// The oldest one's door time.
    pub oldest: Option<Timestamp>,
    /// When the next retry falls due (`None`: one is due now, or none waits).
    pub next_attempt_ms: Option<i64>,
}

/// The scans of `target` waiting to upload: pending, whatever their retry time.
pub fn waiting(conn: &Connection, target: Target<'_>) -> Result<Waiting> {
    let (count, oldest, next): (i64, Option<i64>, Option<i64>) = conn
        .prepare_cached(
            "SELECT count(*), min(door_ms), min(next_attempt_ms) FROM scans
             WHERE upload = ?1 AND tenant_id = ?2 AND api = ?3",
        )?
        .query_row(
            params![UploadState::Pending, target.tenant_id, target.api],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    Ok(Waiting {
        count: count.max(0) as u64,
        oldest: oldest.and_then(|ms| Timestamp::from_millisecond(ms).ok()),
        next_attempt_ms: next,
    })
}

/// Scans of one event still waiting to upload, whatever their target (forgetting the event
/// would lose them).
pub fn waiting_for_event(conn: &Connection, event_id: &str) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM scans WHERE event_id = ?1 AND upload = ?2")?
        .query_row(params![event_id, UploadState::Pending], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Scans waiting to upload in the whole data folder, whatever their target (the folder
/// cannot be removed while there are any).
pub fn waiting_anywhere(conn: &Connection) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM scans WHERE upload = ?1")?
        .query_row([UploadState::Pending], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// A recorded scan waiting to reach the server: everything its request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The scan's row in the log (door order).
    pub seq: i64,
    /// Sent with every attempt, so a retry never acts twice.
    pub idempotency_key: String,
    /// `tkt_…` or `ord_…`: the check-in key.
    pub key: String,
    /// Check-in or check-out.
    pub kind: session_api::ScanKind,
    /// The event the scan was recorded for: the server refuses it for another.
    pub event_id: String,
    /// The device that recorded it.
    pub device_id: String,
    /// Staff confirmed a partly used order: check in the rest.
    pub allow_partial: bool,
    /// The gate's admission filter when it scanned (empty: every admission).
    pub admission_ids: Vec<String>,
    /// The gate's section filter when it scanned (empty: every section).
    pub section_ids: Vec<String>,
    /// Upload attempts made so far.
    pub attempts: i64,
}

/// The furthest ahead a retry is ever scheduled (the sync engine's backoff and a server's
/// clamped `Retry-After` stay well inside it). A retry time beyond it can only come from a
/// clock that was wrong or a value from elsewhere: such a scan is due now, never parked.
pub const LONGEST_RETRY_WAIT_MS: i64 = 10 * 60_000;

/// Scans of `tenant_id` on `api` that may be uploaded now, in door order: pending, due
/// (no retry time, or it has passed, or it lies beyond [`LONGEST_RETRY_WAIT_MS`]), and first
/// in line for each of their tickets, so two scans of one ticket always reach the server in
/// door order.
pub fn due_uploads(
    conn: &Connection,
    target: Target<'_>,
    now: Timestamp,
    limit: usize,
) -> Result<Vec<Upload>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {UPLOAD_COLUMNS}
         FROM scans s
         WHERE s.upload = 'PENDING' AND s.tenant_id = ?1 AND s.api = ?2
           AND (coalesce(s.next_attempt_ms, 0) <= ?3 OR s.next_attempt_ms > ?3 + ?5)
           AND {FIRST_IN_LINE}
         ORDER BY s.seq LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            target.tenant_id,
            target.api,
            now.as_millisecond(),
            limit as i64,
            LONGEST_RETRY_WAIT_MS
        ],
        upload_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The scan `s` is first in line for each of its tickets: no earlier scan of any of them is
/// still pending. Upload and online confirm both keep to it, so the server sees a ticket's
/// scans in door order.
const FIRST_IN_LINE: &str = "NOT EXISTS (
             SELECT 1 FROM scan_tickets mine
             JOIN scan_tickets other ON other.ticket_id = mine.ticket_id AND other.scan_seq < mine.scan_seq
             CROSS JOIN scans earlier ON earlier.seq = other.scan_seq
             WHERE mine.scan_seq = s.seq AND earlier.upload = 'PENDING')";

const UPLOAD_COLUMNS: &str = "s.seq, s.idempotency_key, s.key, s.action, s.event_id, s.device_id,
                s.allow_partial, s.admission_ids, s.section_ids, s.attempts";

fn upload_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Upload> {
    let Stored(kind) = r.get(3)?;
    // A gate filter that does not read is an error, never "every admission".
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let text: String = r.get(i)?;
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    Ok(Upload {
        seq: r.get(0)?,
        idempotency_key: r.get(1)?,
        key: r.get(2)?,
        kind,
        event_id: r.get(4)?,
        device_id: r.get(5)?,
        allow_partial: r.get(6)?,
        admission_ids: list(7)?,
        section_ids: list(8)?,
        attempts: r.get(9)?,
    })
}

/// The upload request of one pending scan, when it is first in line for each of its
/// tickets; `None` when it is settled or waits behind an earlier scan of one of them (a
/// check-out still queued before this re-entry: asking the server now would break door
/// order).
pub fn upload_if_first_in_line(conn: &Connection, seq: i64) -> Result<Option<Upload>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM scans s
             WHERE s.seq = ?1 AND s.upload = 'PENDING' AND {FIRST_IN_LINE}"
        ))?
        .query_row([seq], upload_row)
        .optional()?)
}

/// How the server answered an upload.
#[derive(Debug, Clone)]
pub enum Settlement {
    /// 200: the server's tickets after the change.
    Acknowledged {
        /// Each ticket the scan changed, as the server now has it: written into the cache.
        tickets: Vec<session_api::Ticket>,
    },
    /// Someone else got there first (`NOOP_TRANSITION`); `ticket` carries their scans.
    Conflict {
        /// The server's words, kept as the scan's `last_error`.
        message: String,
        /// The server's error data, kept as `server_detail` for the activity screen.
        detail: serde_json::Value,
        /// The ticket as the server has it, when the answer held it: written into the cache.
        ticket: Option<Box<session_api::Ticket>>,
    },
    /// Refused for good (`EVENT_MISMATCH`, `FILTERED_OUT`, 404, 422, …): kept and shown.
    Rejected {
        /// The server's words, kept as the scan's `last_error`.
        message: String,
        /// The server's error data, kept as `server_detail` for the activity screen.
        detail: serde_json::Value,
    },
    /// Not now (network, 409, 429, 5xx, or uploads paused): try again at `next_attempt`.
    Retry {
        /// Why, in plain words; kept as the scan's `last_error`.
        error: String,
        /// When the scan falls due again.
        next_attempt: Timestamp,
    },
}

/// Records an upload's answer in one transaction. An acknowledgement or a conflict also
/// writes the server's ticket state into the cache, stamped with `now`, so an older page can
/// never take the ticket's state back.
pub fn settle(
    conn: &mut Connection,
    seq: i64,
    settlement: &Settlement,
    now: Timestamp,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now_ms = now.as_millisecond();
    match settlement {
        Settlement::Acknowledged { tickets } => {
            // The newest scan on the returned tickets is the one this upload made.
            let scan = tickets
                .iter()
                .flat_map(|t| t.scans.iter())
                .max_by(|a, b| a.scanned_at.cmp(&b.scanned_at));
            tx.execute(
                "UPDATE scans SET upload = 'ACKNOWLEDGED', attempts = attempts + 1, last_error = NULL,
                        next_attempt_ms = NULL, server_scan_id = ?2, server_scanned_at = ?3,
                        settled_ms = ?4
                 WHERE seq = ?1 AND upload = 'PENDING'",
                params![
                    seq,
                    scan.map(|s| s.id.as_str()).filter(|id| !id.is_empty()),
                    scan.map(|s| &s.scanned_at),
                    now_ms
                ],
            )?;
            for t in tickets {
                crate::cache::upsert_ticket(&tx, t, now_ms, now_ms)?;
            }
        }
        Settlement::Conflict {
            message,
            detail,
            ticket,
        } => {
            refused(&tx, seq, UploadState::Conflict, message, detail, now_ms)?;
            if let Some(t) = ticket {
                crate::cache::upsert_ticket(&tx, t, now_ms, now_ms)?;
            }
        }
        Settlement::Rejected { message, detail } => {
            refused(&tx, seq, UploadState::Rejected, message, detail, now_ms)?;
        }
        Settlement::Retry {
            error,
            next_attempt,
        } => {
            tx.execute(
                "UPDATE scans SET attempts = attempts + 1, last_error = ?2, next_attempt_ms = ?3
                 WHERE seq = ?1 AND upload = 'PENDING'",
                params![seq, error, next_attempt.as_millisecond()],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Settles a pending scan the server refused, as a conflict or a rejection, with its
/// explanation.
fn refused(
    tx: &Connection,
    seq: i64,
    outcome: UploadState,
    message: &str,
    detail: &serde_json::Value,
    now_ms: i64,
) -> Result<()> {
    tx.execute(
        "UPDATE scans SET upload = ?5, attempts = attempts + 1, last_error = ?2,
                server_detail = ?3, next_attempt_ms = NULL, settled_ms = ?4
         WHERE seq = ?1 AND upload = 'PENDING'",
        params![seq, message, detail.to_string(), now_ms, outcome],
    )?;
    Ok(())
}
