//! Reads of the cache for the door and the screens: a ticket or an order with this device's
//! unacknowledged scans merged in, the event's context (time zone, entry windows), and the
//! cache's age.

use super::TICKET_SELECT;
use crate::code::{KeyKind, TicketKey};
use crate::column::Stored;
use crate::error::{Error, Result};
use crate::scanlog::UploadState;
use crate::settings::DeviceConfig;
use crate::time::parse_naive;
use crate::verdict::{
    DoorContext, EntryWindow, Found, Named, Person, PriorScan, ScanOrigin, TicketSummary,
    TicketView,
};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row};
use session_api::ScanKind;

/// Reads what the cache knows about a key, with this device's unacknowledged scans. Tickets
/// gone from the roster are not found; a key with only such tickets is [`Found::Gone`].
pub fn find(conn: &Connection, key: &TicketKey) -> Result<Found> {
    let found = match key.kind() {
        KeyKind::Ticket => {
            let mut stmt = conn.prepare_cached(&format!(
                "{TICKET_SELECT} WHERE t.id = ?1 AND t.gone_ms IS NULL"
            ))?;
            let row = stmt.query_row([key.as_str()], ticket_row).optional()?;
            match row {
                Some(mut view) => {
                    with_scans(conn, &mut view)?;
                    Found::Ticket(Box::new(view))
                }
                None => Found::Missing,
            }
        }
        KeyKind::Order => {
            let mut stmt = conn.prepare_cached(&format!(
                "{TICKET_SELECT} WHERE t.order_id = ?1 AND t.gone_ms IS NULL
                 ORDER BY t.last_name, t.first_name, t.id"
            ))?;
            let mut views = stmt
                .query_map([key.as_str()], ticket_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for v in &mut views {
                with_scans(conn, v)?;
            }
            if views.is_empty() {
                Found::Missing
            } else {
                Found::Order(views)
            }
        }
    };
    if !matches!(found, Found::Missing) {
        return Ok(found);
    }
    let gone: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM tickets WHERE gone_ms IS NOT NULL
                            AND (id = ?1 OR order_id = ?1))",
        )?
        .query_row([key.as_str()], |r| r.get(0))?;
    Ok(if gone { Found::Gone } else { Found::Missing })
}

/// A [`TicketView`] from a row of [`TICKET_SELECT`]. A status or scan kind the cache should
/// not hold is an error, never read as ACTIVE or as a check-in.
pub(crate) fn ticket_row(r: &Row<'_>) -> rusqlite::Result<TicketView> {
    let Stored(status) = r.get(7)?;
    let section_id: Option<String> = r.get(5)?;
    let section_name: Option<String> = r.get(6)?;
    let last_kind: Option<Stored<ScanKind>> = r.get(12)?;
    let last_ms: Option<i64> = r.get(13)?;
    let server_last_scan = match (last_kind, last_ms) {
        (Some(Stored(kind)), Some(ms)) => Some(PriorScan {
            kind,
            at: Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH),
            device_id: r.get(14)?,
            by: r.get(15)?,
            origin: ScanOrigin::Server,
        }),
        _ => None,
    };
    Ok(TicketView {
        summary: TicketSummary {
            id: r.get(0)?,
            order_id: r.get(1)?,
            attendee: Person {
                first_name: r.get(8)?,
                last_name: r.get(9)?,
            },
            admission: Named {
                id: r.get(3)?,
                name: r.get(4)?,
            },
            section: section_id.map(|id| Named {
                name: section_name.unwrap_or_else(|| id.clone()),
                id,
            }),
        },
        event_id: r.get(2)?,
        status,
        server_last_scan,
        local_pending: vec![],
        peer_scans: vec![],
    })
}

/// Fills in a ticket's scans the server's state does not show yet: this device's
/// unacknowledged ones and other doors' that still count.
pub(crate) fn with_scans(conn: &Connection, view: &mut TicketView) -> Result<()> {
    view.local_pending = pending_scans(conn, &view.summary.id)?;
    view.peer_scans = crate::peers::peer_scans_of(conn, &view.summary.id)?;
    Ok(())
}

/// This device's scans of a ticket that the server has not acknowledged, in door order.
/// (`CROSS JOIN` pins the join order: from the ticket's few scans, never from every pending
/// scan, so the cost does not grow with the upload queue.)
pub(crate) fn pending_scans(conn: &Connection, ticket_id: &str) -> Result<Vec<PriorScan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.action, s.door_ms, s.device_id, s.gate_name
         FROM scan_tickets st CROSS JOIN scans s ON s.seq = st.scan_seq
         WHERE st.ticket_id = ?1 AND s.upload = ?2 ORDER BY s.seq",
    )?;
    let rows = stmt.query_map(params![ticket_id, UploadState::Pending], |r| {
        let Stored(kind) = r.get(0)?;
        Ok(PriorScan {
            kind,
            at: Timestamp::from_millisecond(r.get(1)?).unwrap_or(Timestamp::UNIX_EPOCH),
            device_id: r.get(2)?,
            by: r.get(3)?,
            origin: ScanOrigin::ThisDevice,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Loads what the door needs to know about the configured event, once per session.
pub fn door_context(conn: &Connection, config: &DeviceConfig) -> Result<DoorContext> {
    let row: Option<(String, Option<String>, Option<String>, i64)> = conn
        .query_row(
            "SELECT time_zone, entry_starts_at, entry_ends_at, synced_ms FROM events WHERE id = ?1",
            [&config.event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((tz_name, starts, ends, synced_ms)) = row else {
        return Err(Error::EventNotCached(config.event_id.clone()));
    };
    let damaged = |what: String| Error::CorruptCache {
        path: Default::default(),
        detail: what,
    };
    let time_zone = zone(&tz_name)?;
    let window = |s: Option<String>, e: Option<String>| -> Result<EntryWindow> {
        Ok(EntryWindow {
            starts: s.as_deref().map(parse_naive).transpose().map_err(damaged)?,
            ends: e.as_deref().map(parse_naive).transpose().map_err(damaged)?,
        })
    };
    let event_window = window(starts, ends)?;
    let mut stmt = conn
        .prepare("SELECT id, entry_starts_at, entry_ends_at FROM admissions WHERE event_id = ?1")?;
    let admission_windows = stmt
        .query_map([&config.event_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
        })?
        .map(|row| {
            let (id, s, e) = row?;
            Ok((id, window(s, e)?))
        })
        .collect::<Result<_>>()?;
    Ok(DoorContext {
        gate: config.gate.clone(),
        event_id: config.event_id.clone(),
        time_zone,
        event_window,
        admission_windows,
        cache_synced: Timestamp::from_millisecond(synced_ms).ok(),
    })
}

/// When the cache last received the whole event.
pub fn synced_at(conn: &Connection, event_id: &str) -> Result<Option<Timestamp>> {
    let ms: Option<i64> = conn
        .prepare_cached("SELECT synced_ms FROM events WHERE id = ?1")?
        .query_row([event_id], |r| r.get(0))
        .optional()?;
    Ok(ms.and_then(|ms| Timestamp::from_millisecond(ms).ok()))
}

/// The time zone of a cached event: the door's screens show times in it.
pub fn event_time_zone(conn: &Connection, event_id: &str) -> Result<TimeZone> {
    let name: Option<String> = conn
        .prepare_cached("SELECT time_zone FROM events WHERE id = ?1")?
        .query_row([event_id], |r| r.get(0))
        .optional()?;
    zone(&name.ok_or_else(|| Error::EventNotCached(event_id.to_owned()))?)
}

fn zone(name: &str) -> Result<TimeZone> {
    TimeZone::get(name).map_err(|e| Error::CorruptCache {
        path: Default::default(),
        detail: format!("time zone {name:?}: {e}"),
    })
}
