//! The door's counters and health: checked in / total (overall and per admission), the
//! upload queue, and the cache's age.

use crate::error::Result;
use crate::gate::Mode;
use crate::i18n::Said;
use crate::look::Words;
use crate::outbox;
use crate::scanlog::UploadState;
use crate::settings::DeviceConfig;
use crate::sync_state::{self, SyncState};
use crate::time::iso;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A cache older than this is warned about.
pub const STALE_CACHE_AFTER_SECONDS: i64 = 6 * 3600;

/// One admission's counters at this door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionCount {
    /// The admission's id.
    pub id: String,
    /// Its name; the id when the cache has none.
    pub name: String,
    /// Its tickets inside now (server state plus this device's pending scans), cancelled left out.
    pub checked_in: u64,
    /// Its tickets that can enter: on the guest list and not cancelled.
    pub total: u64,
}

/// The door's counters and health, as `usher status` prints them and the window shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoorStatus {
    /// The configured tenant.
    pub tenant_id: String,
    /// The configured Session Services: `production`, `sandbox` or a base URL.
    pub api: String,
    /// The configured event.
    pub event_id: String,
    /// The event's name; None when the cache does not hold the event.
    pub event_name: Option<String>,
    /// The gate's name.
    pub gate: String,
    /// Entry or exit.
    pub mode: Mode,
    /// Guest lookup is on at this door (its gate profile).
    pub lookup: bool,
    /// Staff forced the door offline: the cache decides every scan.
    pub offline: bool,
    /// This device's id.
    pub device_id: String,
    /// Tickets that can enter (not cancelled).
    pub total: u64,
    /// Inside now: server state plus this device's unacknowledged scans.
    pub checked_in: u64,
    /// Cancelled tickets of the event still on the guest list.
    pub cancelled: u64,
    /// The counters per admission, in the event's order of admissions.
    pub admissions: Vec<AdmissionCount>,
    /// Every scan in the log, of any event or verdict.
    pub scans: u64,
    /// Scans waiting to upload to this tenant and API.
    pub pending_upload: u64,
    /// How long the oldest of them has waited, in seconds (door time); None: none waits.
    pub oldest_pending_age_seconds: Option<i64>,
    /// Scans the server answered with a conflict (someone else got there first), of any event.
    pub conflicts: u64,
    /// Scans the server refused for good, of any event.
    pub rejected: u64,
    /// When the cache last received the whole event (ISO UTC); None: the event is not cached.
    pub cache_synced_at: Option<String>,
    /// The cache's age in seconds; None: the event is not cached.
    pub cache_age_seconds: Option<i64>,
    /// The cache is older than [`STALE_CACHE_AFTER_SECONDS`], or the event is not cached.
    pub cache_stale: bool,
    /// When an upload round last reached the server (ISO UTC); None: never.
    pub last_upload_at: Option<String>,
    /// When a download last finished (ISO UTC); None: never.
    pub last_download_at: Option<String>,
    /// The last sync failure, in plain words.
    pub last_error: Option<String>,
    /// Why uploads are paused (a refused token), in plain words.
    pub uploads_paused: Option<String>,
    /// The last complete download's check against the server's own count.
    pub roster: Option<RosterCheck>,
    /// Session Services' clock minus this laptop's, when it is off by more than two minutes
    /// (`crate::clock`), and the words for it.
    pub clock_skew_seconds: Option<i64>,
    /// The skew in words ("This laptop's clock is 7 min fast: …"), when it is off.
    pub clock_warning: Option<String>,
}

/// How the last complete download of the guest list compared with the server's index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterCheck {
    /// Rows the server's index counted (None: the server has no index).
    pub expected: Option<u64>,
    /// Rows that download received.
    pub received: u64,
    /// Rows counted but never received, beyond what sales during the download explain.
    pub shortfall: u64,
    /// Tickets that download found gone from the guest list.
    pub gone: u64,
    /// Tickets gone from the guest list, of all downloads.
    pub gone_total: u64,
    /// The problem in plain words, when there is one.
    pub warning: Option<String>,
}

/// The last complete pass of `event_id`, if any.
fn roster_check(conn: &Connection, event_id: &str, words: &Words) -> Result<Option<RosterCheck>> {
    type PassRow = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<PassRow> = conn
        .query_row(
            "SELECT expected, received, shortfall, gone FROM roster_passes
             WHERE event_id = ?1 AND finished_ms IS NOT NULL",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((expected, received, shortfall, gone)) = row else {
        return Ok(None);
    };
    let gone_total: i64 = conn.query_row(
        "SELECT count(*) FROM tickets WHERE event_id = ?1 AND gone_ms IS NOT NULL",
        [event_id],
        |r| r.get(0),
    )?;
    let shortfall = shortfall.unwrap_or(0).max(0) as u64;
    let warning = (shortfall > 0)
        .then(|| words.say(&Said::new("roster-shortfall").with("shortfall", shortfall)));
    Ok(Some(RosterCheck {
        expected: expected.map(|n| n.max(0) as u64),
        received: received.unwrap_or(0).max(0) as u64,
        shortfall,
        gone: gone.unwrap_or(0).max(0) as u64,
        gone_total: gone_total.max(0) as u64,
        warning,
    }))
}

/// Reads the door's counters and health for the configured event, ages counted to `now`,
/// its sentences in `words`' language.
pub fn status(
    conn: &Connection,
    config: &DeviceConfig,
    device_id: &str,
    now: Timestamp,
    words: &Words,
) -> Result<DoorStatus> {
    let event: Option<(String, i64)> = conn
        .query_row(
            "SELECT name, synced_ms FROM events WHERE id = ?1",
            [&config.event_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // A ticket is inside when this device's latest unacknowledged scan of it is a check-in,
    // or, with none, when the server has it REDEEMED. (SQLite returns the bare `action`
    // column from the row that holds max(seq).)
    let mut stmt = conn.prepare(
        "WITH local AS (
            SELECT st.ticket_id, s.action, max(s.seq)
            FROM scan_tickets st JOIN scans s ON s.seq = st.scan_seq
            WHERE s.upload = 'PENDING' GROUP BY st.ticket_id
         )
         SELECT t.admission_id, coalesce(a.name, t.admission_id),
                sum(t.status != 'CANCELLED'),
                sum(t.status != 'CANCELLED'
                    AND coalesce(l.action = 'CHECK_IN', t.status = 'REDEEMED')),
                sum(t.status = 'CANCELLED')
         FROM tickets t
         LEFT JOIN local l ON l.ticket_id = t.id
         LEFT JOIN admissions a ON a.id = t.admission_id
         WHERE t.event_id = ?1 AND t.gone_ms IS NULL
         GROUP BY t.admission_id ORDER BY min(a.sort_order), t.admission_id",
    )?;
    let mut cancelled = 0;
    let admissions = stmt
        .query_map([&config.event_id], |r| {
            Ok((
                AdmissionCount {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    total: r.get::<_, i64>(2)? as u64,
                    checked_in: r.get::<_, i64>(3)? as u64,
                },
                r.get::<_, i64>(4)? as u64,
            ))
        })?
        .map(|row| {
            row.map(|(count, c)| {
                cancelled += c;
                count
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (scans, conflicts, rejected): (i64, i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(upload = ?1), 0), coalesce(sum(upload = ?2), 0)
         FROM scans",
        params![UploadState::Conflict, UploadState::Rejected],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let api = config.api.to_string();
    let waiting = outbox::waiting(
        conn,
        outbox::Target {
            tenant_id: &config.tenant_id,
            api: &api,
        },
    )?;
    let SyncState {
        last_upload_ms: last_upload,
        last_download_ms: last_download,
        last_error,
        paused,
        ..
    } = sync_state::read(conn)?;
    // A stamp from the future (the clock was set back since) reads as now.
    let at = |ms: Option<i64>| {
        ms.and_then(|ms| Timestamp::from_millisecond(ms.min(now.as_millisecond())).ok())
            .map(iso)
    };
    let skew = crate::clock::Skew::read(conn)?.filter(|s| s.is_off());
    let age = |ms: i64| (now.as_millisecond() - ms).max(0) / 1000;
    let cache_age = event.as_ref().map(|(_, ms)| age(*ms));
    Ok(DoorStatus {
        tenant_id: config.tenant_id.clone(),
        api,
        event_id: config.event_id.clone(),
        event_name: event.as_ref().map(|(n, _)| n.clone()),
        gate: config.gate.name.clone(),
        mode: config.gate.mode,
        lookup: config.gate.lookup,
        offline: config.offline,
        device_id: device_id.to_string(),
        total: admissions.iter().map(|a| a.total).sum(),
        checked_in: admissions.iter().map(|a| a.checked_in).sum(),
        cancelled,
        admissions,
        scans: scans as u64,
        pending_upload: waiting.count,
        oldest_pending_age_seconds: waiting.oldest.map(|t| age(t.as_millisecond())),
        conflicts: conflicts as u64,
        rejected: rejected as u64,
        cache_synced_at: event
            .as_ref()
            .and_then(|(_, ms)| Timestamp::from_millisecond(*ms).ok())
            .map(iso),
        cache_age_seconds: cache_age,
        cache_stale: cache_age.is_none_or(|a| a > STALE_CACHE_AFTER_SECONDS),
        last_upload_at: at(last_upload),
        last_download_at: at(last_download),
        last_error: last_error.map(|e| words.say(&Said::from_stored(&e))),
        uploads_paused: paused.map(|p| words.say(&Said::from_stored(&p))),
        roster: roster_check(conn, &config.event_id, words)?,
        clock_skew_seconds: skew.map(|s| s.skew_ms / 1000),
        clock_warning: skew.map(|s| words.say(&s.said())),
    })
}
