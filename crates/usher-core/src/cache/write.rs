//! Writes of the cache: a download's rows and event, an upload's answer, the refund poll.
//! Each ticket write carries when its state was known (`state_ms`), and none overwrites a
//! state known later.

use crate::column::Stored;
use crate::error::{Error, Result};
use crate::time::parse_naive;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use session_api::ids::is_id;
use session_api::{Event, Ticket, TicketStatus};
use std::collections::HashSet;

/// Writes a full ticket (as the API returns it) into the cache, unless the cache already
/// holds a state known at a later time than `state_ms`. Returns whether it wrote.
pub fn upsert_ticket(
    tx: &Connection,
    t: &Ticket,
    synced_ms: i64,
    state_ms: i64,
) -> rusqlite::Result<bool> {
    // The server's latest scan is the one that explains the ticket's state.
    let last = t
        .scans
        .iter()
        .filter_map(|s| s.scanned_at.parse::<Timestamp>().ok().map(|at| (s, at)))
        .max_by_key(|(_, at)| *at);
    let by = last.and_then(|(s, _)| {
        s.scanned_by.as_ref().map(|p| {
            format!("{} {}", p.first_name, p.last_name)
                .trim()
                .to_string()
        })
    });
    let n = tx
        .prepare_cached(
            "INSERT INTO tickets(id, event_id, order_id, admission_id, section_id, status,
               first_name, last_name, email, phone, last_scan_kind, last_scan_ms,
               last_scan_device, last_scan_by, updated_at, synced_ms, state_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id,
               order_id = excluded.order_id, admission_id = excluded.admission_id,
               section_id = excluded.section_id, status = excluded.status,
               first_name = excluded.first_name, last_name = excluded.last_name,
               email = excluded.email, phone = excluded.phone,
               last_scan_kind = excluded.last_scan_kind, last_scan_ms = excluded.last_scan_ms,
               last_scan_device = excluded.last_scan_device, last_scan_by = excluded.last_scan_by,
               updated_at = excluded.updated_at, synced_ms = excluded.synced_ms,
               state_ms = excluded.state_ms, gone_ms = NULL
             WHERE excluded.state_ms >= tickets.state_ms",
        )?
        .execute(params![
            t.id,
            t.event_id,
            t.order_id,
            t.admission_id,
            t.section.as_ref().map(|s| &s.id),
            Stored(t.status),
            t.attendee.first_name,
            t.attendee.last_name,
            t.attendee.email,
            t.attendee.phone,
            last.map(|(s, _)| Stored(s.kind)),
            last.map(|(_, at)| at.as_millisecond()),
            last.and_then(|(s, _)| s.device_id.clone().filter(|d| !d.is_empty())),
            by,
            t.updated_at,
            synced_ms,
            state_ms,
        ])?;
    Ok(n > 0)
}

/// Writes a roster row (`GET /tickets/attendees`, lighter than a ticket) received by download
/// pass `pass` in a page requested at `requested_ms`. The row is always stamped as received
/// (and so not gone); its status and last scan are written under the "never older" rule: a
/// state the cache knew at a later time (an acknowledged upload) is kept. The roster names no
/// scanner, so who and which device are kept only while the last scan is the same one.
pub fn upsert_roster_row(
    tx: &Connection,
    event_id: &str,
    r: &session_api::AttendeeRow,
    pass: i64,
    requested_ms: i64,
) -> rusqlite::Result<()> {
    let last_ms = r
        .last_scan
        .as_ref()
        .and_then(|s| s.scanned_at.parse::<Timestamp>().ok())
        .map(|t| t.as_millisecond());
    tx.prepare_cached(
        "INSERT INTO tickets(id, event_id, order_id, admission_id, section_id, status,
           first_name, last_name, email, phone, last_scan_kind, last_scan_ms,
           synced_ms, state_ms, roster_pass)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)
         ON CONFLICT(id) DO UPDATE SET order_id = excluded.order_id,
           admission_id = excluded.admission_id, section_id = excluded.section_id,
           first_name = excluded.first_name, last_name = excluded.last_name,
           email = excluded.email, phone = excluded.phone,
           synced_ms = excluded.synced_ms, roster_pass = excluded.roster_pass, gone_ms = NULL,
           status = CASE WHEN excluded.state_ms >= tickets.state_ms
                         THEN excluded.status ELSE tickets.status END,
           last_scan_device = CASE WHEN excluded.state_ms < tickets.state_ms
                                     OR tickets.last_scan_ms IS excluded.last_scan_ms
                                   THEN tickets.last_scan_device END,
           last_scan_by = CASE WHEN excluded.state_ms < tickets.state_ms
                                 OR tickets.last_scan_ms IS excluded.last_scan_ms
                               THEN tickets.last_scan_by END,
           last_scan_kind = CASE WHEN excluded.state_ms >= tickets.state_ms
                                 THEN excluded.last_scan_kind ELSE tickets.last_scan_kind END,
           last_scan_ms = CASE WHEN excluded.state_ms >= tickets.state_ms
                               THEN excluded.last_scan_ms ELSE tickets.last_scan_ms END,
           state_ms = max(tickets.state_ms, excluded.state_ms)",
    )?
    .execute(params![
        r.id,
        event_id,
        r.order_id,
        r.admission.id,
        r.section.as_ref().map(|s| &s.id),
        Stored(r.status),
        r.attendee.first_name,
        r.attendee.last_name,
        r.attendee.email,
        r.attendee.phone,
        r.last_scan.as_ref().map(|s| Stored(s.kind)),
        last_ms,
        requested_ms,
        pass,
    ])?;
    Ok(())
}

/// Distinct tickets of `event_id` that download pass `pass` received.
pub fn received_in_pass(conn: &Connection, event_id: &str, pass: i64) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT count(*) FROM tickets WHERE event_id = ?1 AND roster_pass = ?2",
        params![event_id, pass],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
}

/// Marks the tickets of `event_id` that complete pass `pass` did not receive as gone from the
/// roster (within `admissions` when the pass covered only those). Rows are kept: this
/// device's scans of them may still be waiting for upload. Returns how many were marked.
pub fn mark_gone(
    conn: &Connection,
    event_id: &str,
    pass: i64,
    admissions: Option<&[String]>,
    now_ms: i64,
) -> rusqlite::Result<u64> {
    let only = admissions.map(|a| serde_json::to_string(a).expect("strings serialise"));
    conn.execute(
        "UPDATE tickets SET gone_ms = ?4
         WHERE event_id = ?1 AND roster_pass < ?2 AND gone_ms IS NULL
           AND (?3 IS NULL OR admission_id IN (SELECT value FROM json_each(?3)))",
        params![event_id, pass, only, now_ms],
    )
    .map(|n| n as u64)
}

/// Records that the server listed `ticket_id` as CANCELLED in an answer requested at
/// `requested_ms` (the refund poll), under the "never older" rule. True when it changed.
pub fn cancel(conn: &Connection, ticket_id: &str, requested_ms: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "UPDATE tickets SET status = ?3, state_ms = ?2
         WHERE id = ?1 AND status != ?3 AND state_ms <= ?2",
    )?
    .execute(params![
        ticket_id,
        requested_ms,
        Stored(TicketStatus::Cancelled)
    ])
    .map(|n| n > 0)
}

/// What one page of the refund poll changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cancelled {
    /// CANCELLED tickets of the event the page listed.
    pub listed: u64,
    /// Those the cache had as not cancelled, now CANCELLED.
    pub newly: u64,
}

/// Marks the tickets of one page of the refund poll (`GET /tickets?status=CANCELLED`,
/// requested at `requested_ms`) as cancelled, in one transaction. A row that is not a
/// cancelled ticket of `event_id` (the filter is the server's) changes nothing.
pub fn cancel_listed(
    conn: &mut Connection,
    event_id: &str,
    tickets: &[Ticket],
    requested_ms: i64,
) -> Result<Cancelled> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut out = Cancelled::default();
    for t in tickets {
        if t.event_id != event_id || t.status != TicketStatus::Cancelled {
            continue;
        }
        out.listed += 1;
        if cancel(&tx, &t.id, requested_ms)? {
            out.newly += 1;
        }
    }
    tx.commit()?;
    Ok(out)
}

/// Why an event could not be stored.
#[derive(Debug)]
pub enum EventRefused {
    /// The event itself is wrong, in plain words.
    Invalid(String),
    /// The cache could not be read or written.
    Database(Error),
}

impl From<rusqlite::Error> for EventRefused {
    fn from(e: rusqlite::Error) -> Self {
        EventRefused::Database(e.into())
    }
}

impl From<Error> for EventRefused {
    fn from(e: Error) -> Self {
        EventRefused::Database(e)
    }
}

impl From<String> for EventRefused {
    fn from(s: String) -> Self {
        EventRefused::Invalid(s)
    }
}

/// The ids an event lists, for checking its tickets.
pub struct EventSeen {
    /// The event's id.
    pub id: String,
    /// The event's name.
    pub name: String,
    /// The ids of its admissions: an import refuses a ticket of any other.
    pub admissions: HashSet<String>,
    /// The ids of its sections: an import refuses a ticket of any other.
    pub sections: HashSet<String>,
}

/// Validates an event (as `GET /events/{key}` returns it, with admissions and sections) and
/// writes it, its admissions and its sections into the cache for `tenant_id` on `api`.
pub fn upsert_event(
    tx: &Connection,
    ev: &Event,
    tenant_id: &str,
    api: &str,
    now_ms: i64,
) -> Result<EventSeen, EventRefused> {
    if !is_id("evt", &ev.id) {
        return Err(format!("event id {:?} is not an evt_… id", ev.id).into());
    }
    let tz_name = ev.location.time_zone.clone().ok_or_else(|| {
        format!(
            "event {} has no location.timeZone, so entry times cannot be read",
            ev.id
        )
    })?;
    TimeZone::get(&tz_name)
        .map_err(|_| format!("event {} has an unknown time zone {tz_name:?}", ev.id))?;
    let check_time = |what: &str, t: &Option<String>| -> Result<(), String> {
        match t {
            Some(t) => parse_naive(t)
                .map(|_| ())
                .map_err(|e| format!("{what}: {e}")),
            None => Ok(()),
        }
    };
    check_time(
        &format!("event {} entryStartsAt", ev.id),
        &ev.entry_starts_at,
    )?;
    check_time(&format!("event {} entryEndsAt", ev.id), &ev.entry_ends_at)?;
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT tenant_id, api FROM events WHERE id = ?1",
            [&ev.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((tenant, cached_api)) = existing {
        if tenant != tenant_id || cached_api != api {
            return Err(format!(
                "event {} is already cached for tenant {tenant} on {cached_api}; this device is set up for tenant {tenant_id} on {api}, and tenants' data never mix",
                ev.id
            )
            .into());
        }
    }
    let mut sections = HashSet::new();
    for s in &ev.sections {
        if !is_id("sct", &s.id) {
            return Err(format!("section id {:?} is not a sct_… id", s.id).into());
        }
        sections.insert(s.id.clone());
    }
    let mut admissions = HashSet::new();
    for a in &ev.admissions {
        if !is_id("adm", &a.id) {
            return Err(format!("admission id {:?} is not an adm_… id", a.id).into());
        }
        check_time(
            &format!("admission {} entryStartsAt", a.id),
            &a.entry_starts_at,
        )?;
        check_time(&format!("admission {} entryEndsAt", a.id), &a.entry_ends_at)?;
        admissions.insert(a.id.clone());
    }
    if admissions.is_empty() {
        return Err(format!("event {} lists no admissions", ev.id).into());
    }
    let raw = serde_json::to_string(ev).expect("events serialize");
    let status = Stored(ev.status);
    tx.execute(
        "INSERT INTO events(id, tenant_id, api, name, slug, status, time_zone,
                            entry_starts_at, entry_ends_at, synced_ms, raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, slug = excluded.slug,
           status = excluded.status, time_zone = excluded.time_zone,
           entry_starts_at = excluded.entry_starts_at, entry_ends_at = excluded.entry_ends_at,
           synced_ms = excluded.synced_ms, raw = excluded.raw",
        params![
            ev.id,
            tenant_id,
            api,
            ev.name,
            ev.slug,
            status,
            tz_name,
            ev.entry_starts_at,
            ev.entry_ends_at,
            now_ms,
            raw
        ],
    )?;
    for s in &ev.sections {
        tx.execute(
            "INSERT INTO sections(id, event_id, name, capacity, sort_order)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, name = excluded.name,
               capacity = excluded.capacity, sort_order = excluded.sort_order",
            params![s.id, ev.id, s.name, s.capacity, s.order],
        )?;
    }
    for a in &ev.admissions {
        tx.execute(
            "INSERT INTO admissions(id, event_id, name, section_id, capacity, sort_order,
                                    entry_starts_at, entry_ends_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, name = excluded.name,
               section_id = excluded.section_id, capacity = excluded.capacity,
               sort_order = excluded.sort_order, entry_starts_at = excluded.entry_starts_at,
               entry_ends_at = excluded.entry_ends_at",
            params![
                a.id,
                ev.id,
                a.name,
                a.section_id,
                a.capacity,
                a.order,
                a.entry_starts_at,
                a.entry_ends_at
            ],
        )?;
    }
    Ok(EventSeen {
        id: ev.id.clone(),
        name: ev.name.clone(),
        admissions,
        sections,
    })
}

/// Records that the cache received the whole event as of `at` (the start of the download
/// that finished): the cache age counts from here.
pub fn mark_synced(conn: &Connection, event_id: &str, at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE events SET synced_ms = ?2 WHERE id = ?1",
        params![event_id, at.as_millisecond()],
    )?;
    Ok(())
}

/// Writes the event of a download (`GET /events/{id}`) for `tenant_id` on `api`, in its own
/// transaction, keeping when the cache last received the whole event.
pub fn save_event(
    conn: &mut Connection,
    ev: &Event,
    tenant_id: &str,
    api: &str,
) -> std::result::Result<(), EventRefused> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let previous = super::synced_at(&tx, &ev.id)?
        .map(|t| t.as_millisecond())
        .unwrap_or(0);
    upsert_event(&tx, ev, tenant_id, api, previous)?;
    tx.commit()?;
    Ok(())
}
