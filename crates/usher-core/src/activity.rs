//! What this device did, for the activity and door-health screens: recent scans with their
//! upload state and the server's explanation of conflicts and rejections, the check-in an
//! "undo" takes back, and the pace of scanning.
//!
//! **Architecture invariant:** read-only over the scan log. Undo is not a deletion: it is a
//! new check-out scan, recorded and uploaded like any other.

use crate::column::Stored;
use crate::error::{Error, Result};
use crate::look::{RowFacts, RowLook, Words};
use crate::scanlog::{Source, UploadState};
use crate::time::{iso, ser_ts};
use crate::verdict::{OrderVerdict, Person, VerdictKind};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use session_api::ScanKind;

/// One scan as the activity screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRow {
    /// Door order: the scan's row in the log.
    pub seq: i64,
    /// The local scan id (UUIDv7).
    pub scan_id: String,
    /// When the door took the scan, UTC.
    #[serde(serialize_with = "ser_ts")]
    pub door_time: Timestamp,
    /// Which input the scan came from.
    pub source: Source,
    /// What was shown at the door (the server's answer when it was asked online).
    pub verdict: VerdictKind,
    /// The reason or details shown, in plain words.
    pub detail: String,
    /// The ticket holder's name, for a single-ticket scan; None for an order or a miss.
    pub name: Option<String>,
    /// The ticket or order id found in the scanned text (an order's id for an order code);
    /// None: not a ticket code.
    pub ticket_id: Option<String>,
    /// What the scan uploads (check-in or check-out); None for a refusal.
    pub action: Option<ScanKind>,
    /// Where the scan stands with the server.
    pub upload: UploadState,
    /// For a conflict or a rejection: the server's explanation, in plain words.
    pub problem: Option<String>,
    /// How the window paints it (`crate::look`).
    pub look: RowLook,
}

/// The newest `limit` scans of this data folder, newest first, worded by `words` with times
/// in the zone `tz`.
pub fn recent(
    conn: &Connection,
    limit: usize,
    words: &Words,
    tz: &TimeZone,
) -> Result<Vec<ActivityRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, door_ms, source, coalesce(online_verdict_json, verdict_json), key, action,
                upload, last_error, server_detail
         FROM scans ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(LoggedScan {
            seq: r.get(0)?,
            scan_id: r.get(1)?,
            door_ms: r.get(2)?,
            source: r.get(3)?,
            shown: r.get(4)?,
            key: r.get(5)?,
            action: r.get::<_, Option<Stored<ScanKind>>>(6)?.map(|k| k.0),
            upload: r.get(7)?,
            last_error: r.get(8)?,
            server_detail: r.get(9)?,
        })
    })?;
    rows.map(|row| {
        let row = row?;
        let shown: ShownVerdict =
            serde_json::from_str(&row.shown).map_err(|e| Error::CorruptCache {
                path: Default::default(),
                detail: format!("scan {} has an unreadable verdict: {e}", row.seq),
            })?;
        let problem =
            matches!(row.upload, UploadState::Conflict | UploadState::Rejected).then(|| {
                explain(
                    row.action,
                    row.last_error.as_deref(),
                    row.server_detail.as_deref(),
                )
            });
        let door_time = Timestamp::from_millisecond(row.door_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let name = shown.ticket.map(|t| t.attendee.full_name());
        let who = name.as_deref().or(row.key.as_deref()).unwrap_or("");
        let look = words.row(
            RowFacts {
                verdict: shown.verdict,
                order: shown.order.as_ref(),
                door_time,
                source: row.source,
                action: row.action,
                upload: row.upload,
                who,
            },
            tz,
        );
        Ok(ActivityRow {
            seq: row.seq,
            scan_id: row.scan_id,
            door_time,
            source: row.source,
            verdict: shown.verdict,
            detail: shown.detail,
            name,
            ticket_id: row.key,
            action: row.action,
            upload: row.upload,
            problem,
            look,
        })
    })
    .collect()
}

/// The columns of a `scans` row the activity list reads.
struct LoggedScan {
    seq: i64,
    scan_id: String,
    door_ms: i64,
    source: Source,
    shown: String,
    key: Option<String>,
    action: Option<ScanKind>,
    upload: UploadState,
    last_error: Option<String>,
    server_detail: Option<String>,
}

/// The fields of a stored verdict the activity list shows.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ShownVerdict {
    pub(crate) verdict: VerdictKind,
    #[serde(default)]
    pub(crate) detail: String,
    #[serde(default)]
    pub(crate) ticket: Option<ShownTicket>,
    #[serde(default)]
    pub(crate) order: Option<OrderVerdict>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ShownTicket {
    pub(crate) attendee: Person,
}

/// The server's explanation of a conflict or rejection: who got there first, from the
/// ticket's scan history it sent back, else its message.
fn explain(
    action: Option<ScanKind>,
    last_error: Option<&str>,
    server_detail: Option<&str>,
) -> String {
    let message = last_error
        .unwrap_or("refused by Session Services")
        .to_string();
    let Some(first) = first_scan(action, server_detail) else {
        return message;
    };
    let verb = if action == Some(ScanKind::CheckOut) {
        "Already checked out"
    } else {
        "Already checked in"
    };
    let mut out = verb.to_string();
    if let Some(who) = &first.by {
        out.push_str(&format!(" by {who}"));
    }
    if let Some(at) = first.at {
        out.push_str(&format!(" at {}", iso(at)));
    }
    if let Some(device) = &first.device_id {
        out.push_str(&format!(" (device {device})"));
    }
    out
}

/// The scan that got there first, as the server named it in a conflict's or rejection's
/// detail (the ticket's latest scan of the same kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FirstScan {
    /// Who scanned, when the server says.
    pub by: Option<String>,
    /// When the server recorded it.
    #[serde(serialize_with = "crate::time::ser_opt_ts")]
    pub at: Option<Timestamp>,
    /// The device that scanned, when the server says.
    pub device_id: Option<String>,
}

/// Who got there first, read from the server's detail of a conflict or rejection: its latest
/// scan of the kind this scan tried (`action`). None: the detail names no such scan.
pub(crate) fn first_scan(
    action: Option<ScanKind>,
    server_detail: Option<&str>,
) -> Option<FirstScan> {
    let detail = serde_json::from_str::<serde_json::Value>(server_detail?).ok()?;
    let scans = detail.pointer("/ticket/scans")?.as_array()?;
    let wanted = match action {
        Some(ScanKind::CheckOut) => "CHECK_OUT",
        _ => "CHECK_IN",
    };
    let scan = scans
        .iter()
        .filter(|s| s.get("kind").and_then(|k| k.as_str()) == Some(wanted))
        .max_by_key(|s| {
            s.get("scannedAt")
                .and_then(|t| t.as_str())
                .map(str::to_owned)
        })?;
    let text = |p: &str| scan.pointer(p).and_then(|v| v.as_str()).unwrap_or("");
    let who = format!(
        "{} {}",
        text("/scannedBy/firstName"),
        text("/scannedBy/lastName")
    );
    let who = who.trim();
    let device = text("/deviceId");
    Some(FirstScan {
        by: (!who.is_empty()).then(|| who.to_string()),
        at: text("/scannedAt").parse::<Timestamp>().ok(),
        device_id: (!device.is_empty()).then(|| device.to_string()),
    })
}

/// The key (ticket or order id) of this device's newest check-in that no later check-out of
/// the same key has taken back and the server did not refuse: what "undo" checks out.
pub fn last_check_in(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.key FROM scans s
             WHERE s.action = 'CHECK_IN' AND s.upload IN ('PENDING', 'ACKNOWLEDGED')
               AND NOT EXISTS (SELECT 1 FROM scans o
                               WHERE o.key = s.key AND o.seq > s.seq AND o.action = 'CHECK_OUT'
                                 AND o.upload IN ('PENDING', 'ACKNOWLEDGED'))
             ORDER BY s.seq DESC LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Scans per minute for the `minutes` minutes up to `now`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaceMinute {
    /// The minute's start, ISO UTC.
    pub minute: String,
    /// Scans recorded in that minute, by door time, of any verdict.
    pub scans: u64,
}

/// Scans per minute for the `minutes` minutes up to and including `now`'s, oldest first;
/// a minute without a scan counts 0.
pub fn pace(conn: &Connection, now: Timestamp, minutes: i64) -> Result<Vec<PaceMinute>> {
    const MINUTE_MS: i64 = 60_000;
    let end = now.as_millisecond().div_euclid(MINUTE_MS) + 1;
    let start = end - minutes;
    let mut counts = vec![0u64; minutes.max(0) as usize];
    let mut stmt = conn.prepare_cached(
        "SELECT door_ms / ?1, count(*) FROM scans
         WHERE door_ms >= ?2 AND door_ms < ?3 GROUP BY door_ms / ?1",
    )?;
    let rows = stmt.query_map(
        params![MINUTE_MS, start * MINUTE_MS, end * MINUTE_MS],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
    )?;
    for row in rows {
        let (m, n) = row?;
        if let Some(slot) = counts.get_mut((m - start) as usize) {
            *slot = n as u64;
        }
    }
    Ok(counts
        .into_iter()
        .enumerate()
        .map(|(i, scans)| PaceMinute {
            minute: Timestamp::from_millisecond((start + i as i64) * MINUTE_MS)
                .map(iso)
                .unwrap_or_default(),
            scans,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::explain;
    use serde_json::json;
    use session_api::ScanKind;

    #[test]
    fn a_conflict_names_who_checked_the_ticket_in_first() {
        let detail = json!({"reason": "NOOP_TRANSITION", "ticket": {"scans": [
            {"kind": "CHECK_IN", "scannedAt": "2026-11-28T19:02:03.000Z", "deviceId": "door-1",
             "scannedBy": {"firstName": "Sam", "lastName": "Lee"}},
            {"kind": "CHECK_IN", "scannedAt": "2026-11-28T20:14:00.000Z", "deviceId": "door-2",
             "scannedBy": {"firstName": "Ana", "lastName": "Ruiz"}},
            {"kind": "CHECK_OUT", "scannedAt": "2026-11-28T21:00:00.000Z", "deviceId": "door-3"}
        ]}});
        assert_eq!(
            explain(
                Some(ScanKind::CheckIn),
                Some("already in"),
                Some(&detail.to_string())
            ),
            "Already checked in by Ana Ruiz at 2026-11-28T20:14:00.000Z (device door-2)"
        );
    }

    #[test]
    fn a_rejection_or_an_unreadable_detail_keeps_the_servers_message() {
        let msg = "refused by Session Services (HTTP 422)";
        assert_eq!(
            explain(Some(ScanKind::CheckIn), Some(msg), Some("{not json")),
            msg
        );
        assert_eq!(
            explain(
                Some(ScanKind::CheckIn),
                Some(msg),
                Some(r#"{"reason":"EVENT_MISMATCH"}"#)
            ),
            msg
        );
        assert_eq!(explain(None, None, None), "refused by Session Services");
    }
}
