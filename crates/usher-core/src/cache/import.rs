//! `usher import`: a whole guest-list file (`{"event": …, "tickets": […]}`, the API's own
//! shapes) streamed into the cache in one transaction.

use super::write::{upsert_event, upsert_ticket, EventRefused, EventSeen};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::time::ser_ts;
use jiff::Timestamp;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use session_api::ids::is_id;
use session_api::{Event, Ticket};
use std::io::Read;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The event imported.
    pub event_id: String,
    /// Its name.
    pub event_name: String,
    /// Admissions the event lists.
    pub admissions: usize,
    /// Sections the event lists.
    pub sections: usize,
    /// Tickets read from the file and written (one the cache knew in a later state is kept).
    pub tickets: usize,
    /// When the import ran (the `now` it was given).
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
            return Err(Error::Import(Said::quoted(why)));
        }
        sink.saw_tickets = parsed.map_err(|why| Error::Import(Said::quoted(why)))?;
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
            return Err(Error::Import(Said::new("import-no-event")));
        };
        if !self.saw_tickets {
            return Err(Error::Import(Said::new("import-no-tickets")));
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
