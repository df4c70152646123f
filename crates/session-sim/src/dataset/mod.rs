//! Seeded demo data and fixed datasets, held compactly.
//!
//! A [`Dataset`] keeps one small `TicketRow` per ticket (ids as fixed-size bytes, names
//! interned) and writes a ticket's full contract JSON only when it is served or exported
//! (`ticket_view::TicketView`), so a million tickets take a few hundred MB at most
//! (the benchmark prints the resident size) and generate in about a second. Each event is
//! held as the contract's full [`wire::Event`], with the pieces every ticket embeds serialised
//! once.
//! The dataset is immutable: the server keeps the live status and scans beside it.
//!
//! This file holds the shared types, the public reads and the helpers that shape an event
//! the same way whether it is generated or imported. The rest, by what it does:
//! - `generate`: a dataset from a seed ([`Dataset::generate`]).
//! - `import`: a dataset read from an import file ([`Dataset::read_import`]), with the
//!   defaults for what the file leaves out.
//! - `storage`: how a dataset is kept (compact rows, interned strings, the indexes, each
//!   event's JSON serialised once), the server's reads of it, and writing it back out
//!   ([`Dataset::write_import_json`]).

use std::collections::HashMap;

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};
use session_api::{Admission, Event, Ticket, TicketStatus};

use crate::demo;
use crate::wire;

mod generate;
mod import;
mod storage;

pub use generate::{ENDED_ADMISSION, NOT_YET_OPEN_ADMISSION};
pub use import::{DEFAULT_EMAIL, DEFAULT_FIRST_NAME, DEFAULT_LAST_NAME, DEFAULT_SCANNER_EMAIL};
pub(crate) use storage::{
    email_part, Email, EventData, IdBody, OrderRow, Phone, Prefixed, TicketRow,
};

/// What to generate. `Default` gives the demo: 3,000 tickets for one event tonight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetSpec {
    /// The seed: the same seed gives the same ids, names and statuses.
    pub seed: u64,
    /// Tickets across all events, shared out evenly (the first events get one more).
    pub tickets: usize,
    /// Events: the first tonight, each next one a week later (0 counts as 1).
    pub events: usize,
    /// The tenant the dataset is served for.
    pub tenant_id: String,
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec {
            seed: demo::SEED,
            tickets: 3_000,
            events: 1,
            tenant_id: demo::TENANT_ID.to_string(),
        }
    }
}

/// Why an import file cannot be used as a dataset.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The file is not JSON, or not in the import format's shape.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The file is read but cannot be used (a missing or malformed id, an unknown
    /// admission or section, a ticket without a status): why, in words.
    #[error("{0}")]
    Invalid(String),
}

/// A summary of one order, for tests and tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderInfo {
    /// The order's `ord_` id.
    pub id: String,
    /// The `evt_` id of the event it is for.
    pub event_id: String,
    /// Its tickets' `tkt_` ids.
    pub ticket_ids: Vec<String>,
    /// Each ticket's initial status, in the order of `ticket_ids`.
    pub statuses: Vec<TicketStatus>,
}

/// An immutable set of events, orders and tickets in their initial state.
#[derive(Debug, Clone)]
pub struct Dataset {
    tenant_id: String,
    /// The team that owns the events (the demo team, or an imported event's).
    team_id: String,
    pub(crate) events: Vec<EventData>,
    pub(crate) tickets: Vec<TicketRow>,
    pub(crate) orders: Vec<OrderRow>,
    /// Interned first and last names.
    pub(crate) names: Vec<Box<str>>,
    /// Interned other strings: team, promoter and customer ids.
    pub(crate) strings: Vec<Box<str>>,
    /// Explicit (e-mail, phone) of imported attendees.
    pub(crate) contacts: Vec<(Box<str>, Option<Box<str>>)>,
    /// Scans present before the simulator starts (the ~2% already REDEEMED).
    pub(crate) initial_scans: HashMap<u32, Vec<wire::Scan>>,
    /// Every row sorted by attendee name.
    pub(crate) by_name: Vec<u32>,
    /// Each interned name as an e-mail local part.
    email_names: Vec<Box<str>>,
    /// Case-insensitive sort rank of each interned name.
    name_rank: Vec<u32>,
    ticket_index: HashMap<IdBody, u32>,
    order_index: HashMap<IdBody, u32>,
}

impl Dataset {
    /// The tenant the dataset is served for (an import's is the demo tenant).
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The team that owns the dataset's events: memberships of other teams grant nothing here.
    pub fn team_id(&self) -> &str {
        &self.team_id
    }

    /// Number of tickets across all events.
    pub fn ticket_count(&self) -> usize {
        self.tickets.len()
    }

    /// The events as the client reads `GET /events/{key}` (admissions and sections embedded).
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().map(|e| &e.event)
    }

    /// One event as the client reads it.
    pub fn event(&self, index: usize) -> Option<&Event> {
        self.events.get(index).map(|e| &e.event)
    }

    /// One event exactly as `GET /events/{key}` sends it.
    pub fn wire_event(&self, index: usize) -> Option<&wire::Event> {
        self.events.get(index).map(|e| &e.wire)
    }

    /// The events' `evt_` ids, in order.
    pub fn event_ids(&self) -> Vec<String> {
        self.events().map(|e| e.id.clone()).collect()
    }

    /// A ticket in its initial state, as the client reads it.
    pub fn ticket(&self, id: &str) -> Option<Ticket> {
        let row = self.ticket_row(id)?;
        Some(crate::ticket_view::TicketView::initial(self, row).read())
    }

    /// Ids of one event's tickets whose initial status is `status`, in generation order.
    pub fn ticket_ids(&self, event_index: usize, status: TicketStatus) -> Vec<String> {
        self.tickets
            .iter()
            .filter(|t| t.event as usize == event_index && t.status == status)
            .map(|t| t.id.with_prefix("tkt"))
            .collect()
    }

    /// Ids of one event's tickets of one admission (by index in the event's admissions).
    pub fn ticket_ids_of_admission(
        &self,
        event_index: usize,
        admission_index: usize,
        status: TicketStatus,
    ) -> Vec<String> {
        self.tickets
            .iter()
            .filter(|t| {
                t.event as usize == event_index
                    && t.admission as usize == admission_index
                    && t.status == status
            })
            .map(|t| t.id.with_prefix("tkt"))
            .collect()
    }

    /// Every order, summarised.
    pub fn orders(&self) -> impl Iterator<Item = OrderInfo> + '_ {
        self.orders.iter().map(|o| {
            let rows = &self.tickets[o.first as usize..(o.first + o.count) as usize];
            OrderInfo {
                id: o.id.with_prefix("ord"),
                event_id: self.events[o.event as usize].wire.core.id.clone(),
                ticket_ids: rows.iter().map(|t| t.id.with_prefix("tkt")).collect(),
                statuses: rows.iter().map(|t| t.status).collect(),
            }
        })
    }

    /// The first order of at least `min_tickets` tickets, all ACTIVE.
    pub fn active_order(&self, min_tickets: usize) -> Option<OrderInfo> {
        self.orders().find(|o| {
            o.ticket_ids.len() >= min_tickets
                && o.statuses.iter().all(|s| *s == TicketStatus::Active)
        })
    }

    /// The admission of event `event_index` whose entry window has ended by now, if any.
    pub fn admission_ended(&self, event_index: usize) -> Option<&Admission> {
        let now = Timestamp::now();
        self.admission_where(event_index, |a| a.entry_ends_at.as_deref(), |t| t < now)
    }

    /// The admission of event `event_index` whose entry window has not opened yet, if any.
    pub fn admission_not_yet_open(&self, event_index: usize) -> Option<&Admission> {
        let now = Timestamp::now();
        self.admission_where(event_index, |a| a.entry_starts_at.as_deref(), |t| t > now)
    }

    /// The first admission of event `event_index` whose entry time `time` (read in the
    /// event's zone) is one that `holds`.
    fn admission_where(
        &self,
        event_index: usize,
        time: impl Fn(&Admission) -> Option<&str>,
        holds: impl Fn(Timestamp) -> bool,
    ) -> Option<&Admission> {
        let data = self.events.get(event_index)?;
        let tz = data.time_zone();
        data.event.admissions.iter().find(|a| {
            time(a)
                .and_then(|s| local_to_ts(s, &tz))
                .is_some_and(&holds)
        })
    }
}

// ---- shaping an event, generated or imported ----

/// The placeholder images of an event: `https://assets.example.com/session-sim/{key}/…`.
fn images_for(key: &str, name: &str) -> wire::Images {
    let key: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let img = |kind: &str, width, height| wire::Image {
        src: format!("https://assets.example.com/session-sim/{key}/{kind}.jpg"),
        alt: name.to_string(),
        width,
        height,
    };
    wire::Images {
        mobile: img("mobile", 1080, 1350),
        desktop: img("desktop", 1920, 1080),
    }
}

/// The standard geohash of a point, `len` characters long.
fn geohash(lat: f64, lon: f64, len: usize) -> String {
    const BASE32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let (mut lat_r, mut lon_r) = ((-90.0f64, 90.0f64), (-180.0f64, 180.0f64));
    let mut out = String::with_capacity(len);
    let (mut bit, mut ch, mut even) = (0, 0usize, true);
    while out.len() < len {
        let (range, value) = if even {
            (&mut lon_r, lon)
        } else {
            (&mut lat_r, lat)
        };
        let mid = (range.0 + range.1) / 2.0;
        if value > mid {
            ch |= 1 << (4 - bit);
            range.0 = mid;
        } else {
            range.1 = mid;
        }
        even = !even;
        if bit < 4 {
            bit += 1;
        } else {
            out.push(BASE32[ch] as char);
            bit = 0;
            ch = 0;
        }
    }
    out
}

fn local_to_ts(naive: &str, tz: &TimeZone) -> Option<Timestamp> {
    let dt: DateTime = naive.parse().ok()?;
    dt.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn currency(tz: &str) -> &'static str {
    match tz {
        "Europe/London" => "GBP",
        "Europe/Berlin" => "EUR",
        "Australia/Sydney" => "AUD",
        "Asia/Tokyo" => "JPY",
        "America/Sao_Paulo" => "BRL",
        _ => "USD",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// A 2,000-ticket demo dataset: large enough for every status and order size.
    pub(super) fn small() -> Dataset {
        Dataset::generate(&DatasetSpec {
            tickets: 2_000,
            ..DatasetSpec::default()
        })
    }

    /// A ticket of `d` in its initial state, as the contract's JSON.
    pub(super) fn ticket_json(d: &Dataset, id: &str) -> Value {
        let row = d.ticket_row(id).unwrap();
        serde_json::to_value(crate::ticket_view::TicketView::initial(d, row)).unwrap()
    }

    #[test]
    fn geohash_matches_a_known_value() {
        assert_eq!(geohash(57.64911, 10.40744, 11), "u4pruydqqvj");
    }
}
