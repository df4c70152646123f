//! The ticket cache: the event, its admissions and sections, and its tickets, as the last
//! import or download left them. Reads for the door (`find`, `door_context`), and the
//! streaming import of `usher import`.
//!
//! **Architecture invariant:** the cache holds the server's state only. This device's own
//! scans live in the scan log (`scanlog.rs`) and are merged in when a ticket is read, so a
//! refresh of the cache can never erase a local scan.

use crate::code::{KeyKind, TicketKey};
use crate::error::{Error, Result};
use crate::settings::DeviceConfig;
use crate::time::{parse_naive, ser_ts};
use crate::verdict::{
    DoorContext, EntryWindow, Found, Named, Person, PriorScan, ScanOrigin, TicketSummary,
    TicketView,
};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use session_api::ids::is_id;
use session_api::{Event, ScanKind, Ticket, TicketStatus};
use std::collections::HashSet;
use std::io::Read;

/// Selects what a [`TicketView`] is built from (`ticket_row`); add a WHERE clause.
pub(crate) const TICKET_SELECT: &str =
    "SELECT t.id, t.order_id, t.event_id, t.admission_id, coalesce(a.name, t.admission_id),
     t.section_id, s.name, t.status, t.first_name, t.last_name, t.email, t.phone,
     t.last_scan_kind, t.last_scan_ms, t.last_scan_device, t.last_scan_by
     FROM tickets t LEFT JOIN admissions a ON a.id = t.admission_id
     LEFT JOIN sections s ON s.id = t.section_id";

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
                    view.local_pending = pending_scans(conn, &view.summary.id)?;
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
                v.local_pending = pending_scans(conn, &v.summary.id)?;
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

pub(crate) fn ticket_row(r: &Row<'_>) -> rusqlite::Result<TicketView> {
    let status: String = r.get(7)?;
    let status = match status.as_str() {
        "REDEEMED" => TicketStatus::Redeemed,
        "CANCELLED" => TicketStatus::Cancelled,
        _ => TicketStatus::Active,
    };
    let section_id: Option<String> = r.get(5)?;
    let section_name: Option<String> = r.get(6)?;
    let last_kind: Option<String> = r.get(12)?;
    let last_ms: Option<i64> = r.get(13)?;
    let server_last_scan = match (last_kind, last_ms) {
        (Some(kind), Some(ms)) => Some(PriorScan {
            kind: scan_kind(&kind),
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
    })
}

fn scan_kind(s: &str) -> ScanKind {
    if s == "CHECK_OUT" {
        ScanKind::CheckOut
    } else {
        ScanKind::CheckIn
    }
}

/// This device's scans of a ticket that the server has not acknowledged, in door order.
/// (`CROSS JOIN` pins the join order: from the ticket's few scans, never from every pending
/// scan, so the cost does not grow with the upload queue.)
pub(crate) fn pending_scans(conn: &Connection, ticket_id: &str) -> Result<Vec<PriorScan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.action, s.door_ms, s.device_id, s.gate_name
         FROM scan_tickets st CROSS JOIN scans s ON s.seq = st.scan_seq
         WHERE st.ticket_id = ?1 AND s.upload = 'PENDING' ORDER BY s.seq",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        let kind: String = r.get(0)?;
        Ok(PriorScan {
            kind: scan_kind(&kind),
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
    let time_zone =
        TimeZone::get(&tz_name).map_err(|e| damaged(format!("time zone {tz_name:?}: {e}")))?;
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
            t.status.as_str(),
            t.attendee.first_name,
            t.attendee.last_name,
            t.attendee.email,
            t.attendee.phone,
            last.map(|(s, _)| s.kind.as_str()),
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
        r.status.as_str(),
        r.attendee.first_name,
        r.attendee.last_name,
        r.attendee.email,
        r.attendee.phone,
        r.last_scan.as_ref().map(|s| s.kind.as_str()),
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
        "UPDATE tickets SET status = 'CANCELLED', state_ms = ?2
         WHERE id = ?1 AND status != 'CANCELLED' AND state_ms <= ?2",
    )?
    .execute(params![ticket_id, requested_ms])
    .map(|n| n > 0)
}

/// Why an event could not be stored.
#[derive(Debug)]
pub enum EventRefused {
    /// The event itself is wrong, in plain words.
    Invalid(String),
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for EventRefused {
    fn from(e: rusqlite::Error) -> Self {
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
    pub id: String,
    pub name: String,
    pub admissions: HashSet<String>,
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
    let status = ev.status.as_str();
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

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub event_id: String,
    pub event_name: String,
    pub admissions: usize,
    pub sections: usize,
    pub tickets: usize,
    #[serde(serialize_with = "ser_ts")]
    pub imported_at: Timestamp,
}

/// Imports an `ImportFile` (`{"event": …, "tickets": […]}`, the API's own shapes) from
/// `reader`, streaming: the tickets are never all in memory. The JSON is parsed on a second
/// thread while this one writes, so the two cores share the work. The whole import is one
/// transaction, so a bad file leaves the cache exactly as it was.
pub fn import(
    conn: &mut Connection,
    reader: impl Read + Send,
    tenant_id: &str,
    api: &str,
    now: Timestamp,
) -> Result<ImportReport> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let report = std::thread::scope(|scope| -> Result<ImportReport> {
        let (send, recv) = std::sync::mpsc::sync_channel::<Item>(16);
        let parser = scope.spawn(move || -> Result<bool, String> {
            let reader = std::io::BufReader::with_capacity(1 << 20, reader);
            let mut de = serde_json::Deserializer::from_reader(reader);
            let mut feed = Feed {
                send,
                batch: Vec::with_capacity(BATCH),
                saw_tickets: false,
            };
            FileSeed(&mut feed)
                .deserialize(&mut de)
                .and_then(|()| de.end())
                .map_err(|e| describe_json_error(&e))?;
            feed.flush()?;
            Ok(feed.saw_tickets)
        });
        let mut sink = ImportSink {
            tx: &tx,
            tenant_id,
            api,
            now_ms: now.as_millisecond(),
            event: None,
            deferred: vec![],
            tickets: 0,
            saw_tickets: false,
            failure: None,
        };
        let mut refused = None;
        for item in recv.iter() {
            let written = match item {
                Item::Event(ev) => sink.event(*ev),
                Item::Tickets(batch) => batch.into_iter().try_for_each(|t| sink.ticket(t)),
            };
            if let Err(why) = written {
                refused = Some(why);
                break;
            }
        }
        // Stops the parser if the writer gave up first.
        drop(recv);
        let parsed = parser.join().expect("the import parser does not panic");
        if let Some(failure) = sink.failure.take() {
            return Err(failure);
        }
        if let Some(why) = refused {
            return Err(Error::Import(why));
        }
        sink.saw_tickets = parsed.map_err(Error::Import)?;
        sink.finish(now)
    })?;
    tx.commit()?;
    Ok(report)
}

/// Tickets handed from the parser to the writer at a time.
const BATCH: usize = 512;
const STOPPED: &str = "the import stopped";

/// What the parser hands the writer, in file order.
enum Item {
    Event(Box<Event>),
    Tickets(Vec<Ticket>),
}

/// The parser's end of the import.
struct Feed {
    send: std::sync::mpsc::SyncSender<Item>,
    batch: Vec<Ticket>,
    saw_tickets: bool,
}

impl Feed {
    fn event(&mut self, ev: Event) -> Result<(), String> {
        self.flush()?;
        self.send
            .send(Item::Event(Box::new(ev)))
            .map_err(|_| STOPPED.to_string())
    }

    fn ticket(&mut self, t: Ticket) -> Result<(), String> {
        self.batch.push(t);
        if self.batch.len() == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.send
            .send(Item::Tickets(batch))
            .map_err(|_| STOPPED.to_string())
    }
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!("the file ends too early, it is truncated or incomplete ({e})"),
        Category::Syntax => format!("the file is not valid JSON ({e})"),
        Category::Data => format!("{e}"),
        Category::Io => format!("the file could not be read ({e})"),
    }
}

struct ImportSink<'a> {
    tx: &'a Transaction<'a>,
    tenant_id: &'a str,
    api: &'a str,
    now_ms: i64,
    event: Option<EventSeen>,
    /// Tickets seen before the event: (ticket, event, admission, section) to check at the end.
    deferred: Vec<(String, String, String, Option<String>)>,
    tickets: usize,
    saw_tickets: bool,
    /// A database error met while streaming (serde errors can only carry text).
    failure: Option<Error>,
}

impl ImportSink<'_> {
    fn event(&mut self, ev: Event) -> Result<(), String> {
        if self.event.is_some() {
            return Err("the file holds two \"event\" entries".into());
        }
        let (tenant, api, now) = (self.tenant_id, self.api, self.now_ms);
        let seen = match upsert_event(self.tx, &ev, tenant, api, now) {
            Ok(seen) => seen,
            Err(EventRefused::Invalid(why)) => return Err(why),
            Err(EventRefused::Database(e)) => {
                let e = Error::from(e);
                let text = e.to_string();
                self.failure = Some(e);
                return Err(text);
            }
        };
        self.event = Some(seen);
        let deferred = std::mem::take(&mut self.deferred);
        for (ticket, event, admission, section) in deferred {
            self.check_refs(&ticket, &event, &admission, section.as_deref())?;
        }
        Ok(())
    }

    fn check_refs(
        &self,
        ticket: &str,
        event: &str,
        admission: &str,
        section: Option<&str>,
    ) -> Result<(), String> {
        let Some(ev) = &self.event else {
            return Ok(());
        };
        if event != ev.id {
            return Err(format!(
                "ticket {ticket} belongs to event {event}, but the file's event is {}",
                ev.id
            ));
        }
        if !ev.admissions.contains(admission) {
            return Err(format!(
                "ticket {ticket} has admission {admission}, which event {} does not list",
                ev.id
            ));
        }
        if let Some(s) = section {
            if !ev.sections.contains(s) {
                return Err(format!(
                    "ticket {ticket} has section {s}, which event {} does not list",
                    ev.id
                ));
            }
        }
        Ok(())
    }

    fn ticket(&mut self, t: Ticket) -> Result<(), String> {
        if !is_id("tkt", &t.id) {
            return Err(format!("ticket id {:?} is not a tkt_… id", t.id));
        }
        if !is_id("ord", &t.order_id) {
            return Err(format!(
                "ticket {} has order id {:?}, not an ord_… id",
                t.id, t.order_id
            ));
        }
        for scan in &t.scans {
            scan.scanned_at.parse::<Timestamp>().map_err(|e| {
                format!(
                    "ticket {} has a scan with scannedAt {:?} ({e})",
                    t.id, scan.scanned_at
                )
            })?;
        }
        let section = t.section.as_ref().map(|s| s.id.clone());
        if self.event.is_some() {
            self.check_refs(&t.id, &t.event_id, &t.admission_id, section.as_deref())?;
        } else {
            self.deferred.push((
                t.id.clone(),
                t.event_id.clone(),
                t.admission_id.clone(),
                section.clone(),
            ));
        }
        let (now, t) = (self.now_ms, &t);
        self.db(|tx| upsert_ticket(tx, t, now, now))?;
        self.tickets += 1;
        Ok(())
    }

    /// Runs a statement, keeping the real database error for the caller.
    fn db<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, String> {
        f(self.tx).map_err(|e| {
            let e = Error::from(e);
            let text = e.to_string();
            self.failure = Some(e);
            text
        })
    }

    fn finish(self, now: Timestamp) -> Result<ImportReport> {
        let Some(ev) = self.event else {
            return Err(Error::Import("the file has no \"event\"".into()));
        };
        if !self.saw_tickets {
            return Err(Error::Import("the file has no \"tickets\" list".into()));
        }
        Ok(ImportReport {
            event_id: ev.id,
            event_name: ev.name,
            admissions: ev.admissions.len(),
            sections: ev.sections.len(),
            tickets: self.tickets,
            imported_at: now,
        })
    }
}

struct FileSeed<'s>(&'s mut Feed);

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object {\"event\": …, \"tickets\": […]}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "event" => {
                    let ev: Event = map.next_value()?;
                    self.0.event(ev).map_err(A::Error::custom)?;
                }
                "tickets" => {
                    self.0.saw_tickets = true;
                    map.next_value_seed(TicketsSeed(self.0))?;
                }
                other => {
                    return Err(A::Error::custom(format!(
                        "unexpected field {other:?}: an import file holds only \"event\" and \"tickets\""
                    )))
                }
            }
        }
        Ok(())
    }
}

struct TicketsSeed<'s>(&'s mut Feed);

impl<'de> DeserializeSeed<'de> for TicketsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TicketsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of tickets")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(t) = seq.next_element::<Ticket>()? {
            self.0.ticket(t).map_err(A::Error::custom)?;
        }
        Ok(())
    }
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
