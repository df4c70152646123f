//! How a dataset is kept: one compact row per ticket and per order (ids as fixed-size
//! bytes, strings interned in pools), each event with the JSON its tickets embed serialised
//! once, and the indexes built when a dataset is assembled. Also the server's reads of a
//! row, and writing a dataset back out in the import format.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use jiff::tz::TimeZone;
use serde_json::value::RawValue;
use session_api::{ids, Event, TicketStatus};

use super::Dataset;
use crate::names::EMAIL_DOMAINS;
use crate::ticket_view::TicketView;
use crate::wire;

/// The 26-character body of an id, without its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct IdBody([u8; ids::BODY_LEN]);

impl IdBody {
    pub(crate) fn from_u128(n: u128) -> Self {
        let s = ids::encode_body(n);
        let mut out = [0u8; ids::BODY_LEN];
        out.copy_from_slice(s.as_bytes());
        IdBody(out)
    }

    pub(crate) fn parse(prefix: &str, s: &str) -> Option<Self> {
        if !ids::is_id(prefix, s) {
            return None;
        }
        let mut out = [0u8; ids::BODY_LEN];
        out.copy_from_slice(&s.as_bytes()[prefix.len() + 1..]);
        Some(IdBody(out))
    }

    pub(crate) fn with_prefix(&self, prefix: &str) -> String {
        let mut s = String::with_capacity(prefix.len() + 1 + ids::BODY_LEN);
        s.push_str(prefix);
        s.push('_');
        s.push_str(std::str::from_utf8(&self.0).expect("id bodies are ASCII"));
        s
    }
}

/// A row's `section` when the ticket has none.
pub(super) const NONE16: u16 = u16::MAX;
/// A row's `contact` when its e-mail and phone are derived from the row (generated data).
pub(super) const GENERATED: u32 = u32::MAX;

/// One ticket, compactly. Strings live in the dataset's pools.
#[derive(Debug, Clone)]
pub(crate) struct TicketRow {
    pub id: IdBody,
    pub order: u32,
    pub first: u32,
    pub last: u32,
    /// Index into `contacts`, or [`GENERATED`] (e-mail and phone derived from the row).
    pub contact: u32,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub event: u16,
    /// Index into the event's admissions.
    pub admission: u16,
    /// Index into the event's sections, or [`NONE16`].
    pub section: u16,
    pub team: u32,
    pub promoter: u32,
    pub status: TicketStatus,
}

/// An order: its tickets are contiguous rows.
#[derive(Debug, Clone)]
pub(crate) struct OrderRow {
    pub id: IdBody,
    pub customer: u32,
    pub event: u16,
    pub first: u32,
    pub count: u32,
}

/// An event with everything a ticket or a roster row embeds, precomputed.
#[derive(Debug, Clone)]
pub(crate) struct EventData {
    /// The contract's full event (`GET /events/{key}`).
    pub wire: wire::Event,
    /// The client's reading of it (what [`Dataset::event`] hands out).
    pub event: Event,
    /// A ticket's `event`, `admission` (per tier) and `section` (per section), and a roster
    /// row's `admission` and `section`, serialised once (see [`EventData::finish`]).
    pub event_json: Box<RawValue>,
    pub admission_json: Vec<Box<RawValue>>,
    pub section_json: Vec<Box<RawValue>>,
    pub roster_admission_json: Vec<Box<RawValue>>,
    pub roster_section_json: Vec<Box<RawValue>>,
    /// Phone prefix for generated attendees.
    pub phone_prefix: &'static str,
    /// This event's rows, sorted by attendee name (last, first, id).
    pub by_name: Vec<u32>,
}

/// An attendee, borrowed from the dataset's pools.
pub(crate) struct AttendeeParts<'a> {
    pub first: &'a str,
    pub last: &'a str,
    pub email: Email<'a>,
    pub phone: Option<Phone<'a>>,
}

/// An e-mail address: derived from the names for generated attendees, or as imported.
pub(crate) enum Email<'a> {
    Generated {
        first: &'a str,
        last: &'a str,
        n: u64,
        domain: &'static str,
    },
    Given(&'a str),
}

impl std::fmt::Display for Email<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Email::Generated {
                first,
                last,
                n,
                domain,
            } => {
                // A name with no ASCII letter at all still gives a valid address.
                let first = if first.is_empty() { "guest" } else { first };
                if last.is_empty() {
                    write!(f, "{first}{n}@{domain}")
                } else {
                    write!(f, "{first}.{last}{n}@{domain}")
                }
            }
            Email::Given(e) => f.write_str(e),
        }
    }
}

/// A phone number: derived for generated attendees, or as imported.
pub(crate) enum Phone<'a> {
    Generated { prefix: &'static str, n: u64 },
    Given(&'a str),
}

impl std::fmt::Display for Phone<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Phone::Generated { prefix, n } => write!(f, "{prefix}{n:05}"),
            Phone::Given(p) => f.write_str(p),
        }
    }
}

/// An id written as `prefix_body` without allocating.
pub(crate) struct Prefixed<'a>(pub &'static str, pub &'a IdBody);

impl std::fmt::Display for Prefixed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str("_")?;
        f.write_str(std::str::from_utf8(&self.1 .0).expect("id bodies are ASCII"))
    }
}

/// Interns strings into a pool, returning stable indices.
#[derive(Default)]
pub(super) struct Interner {
    /// The strings, each once, at the index `intern` returned for it.
    pub(super) pool: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Interner {
    pub(super) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.pool.len() as u32;
        self.pool.push(s.into());
        self.index.insert(s.into(), i);
        i
    }
}

/// Lowercase ASCII for e-mail local parts: accents folded, other symbols dropped.
pub(crate) fn email_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ě' | 'É' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ı' | 'Í' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ş' => 's',
            'ř' => 'r',
            'ễ' => 'e',
            'ő' => 'o',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A cheap, stable hash of a row number (splitmix64).
pub(super) fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Dataset {
    #[allow(
        clippy::too_many_arguments,
        reason = "the raw parts the generator and the import reader both hand over; a struct would only name them twice"
    )]
    pub(super) fn assemble(
        tenant_id: String,
        team_id: String,
        mut events: Vec<EventData>,
        tickets: Vec<TicketRow>,
        orders: Vec<OrderRow>,
        names: Vec<Box<str>>,
        strings: Vec<Box<str>>,
        contacts: Vec<(Box<str>, Option<Box<str>>)>,
        initial_scans: HashMap<u32, Vec<wire::Scan>>,
    ) -> Dataset {
        // Rank names case-insensitively so sorting compares integers.
        let mut order: Vec<u32> = (0..names.len() as u32).collect();
        order
            .sort_by_cached_key(|&i| (names[i as usize].to_lowercase(), names[i as usize].clone()));
        let mut rank = vec![0u32; names.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let mut by_name: Vec<u32> = (0..tickets.len() as u32).collect();
        by_name.sort_unstable_by_key(|&i| {
            let t = &tickets[i as usize];
            (rank[t.last as usize], rank[t.first as usize], t.id)
        });
        for &i in &by_name {
            events[tickets[i as usize].event as usize].by_name.push(i);
        }
        for e in &mut events {
            e.finish();
        }
        let email_names = names
            .iter()
            .map(|n| email_part(n).into_boxed_str())
            .collect();

        let ticket_index = tickets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i as u32))
            .collect();
        let order_index = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id, i as u32))
            .collect();
        Dataset {
            tenant_id,
            team_id,
            events,
            tickets,
            orders,
            names,
            strings,
            contacts,
            initial_scans,
            by_name,
            name_rank: rank,
            email_names,
            ticket_index,
            order_index,
        }
    }

    /// Streams one event (as `GET /events/{key}` sends it) and its tickets (initial state,
    /// sorted by attendee name, as `GET /tickets` sends them) in the import format, one
    /// ticket at a time.
    pub fn write_import_json(&self, event_index: usize, w: &mut impl Write) -> io::Result<()> {
        self.write_event_file(event_index, w, |row| TicketView::initial(self, row))
    }

    /// Streams one event as `GET /events/{key}` sends it and its tickets in roster order,
    /// each as `ticket` shows it, in the import format: the dataset's initial state, or the
    /// server's live one ([`crate::Sim::write_import_json`]).
    pub(crate) fn write_event_file<'a>(
        &'a self,
        event_index: usize,
        w: &mut impl Write,
        ticket: impl Fn(u32) -> TicketView<'a>,
    ) -> io::Result<()> {
        let data = self
            .events
            .get(event_index)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such event index"))?;
        let mut w = BufWriter::with_capacity(64 * 1024, w);
        w.write_all(b"{\"event\":")?;
        serde_json::to_writer(&mut w, &data.wire)?;
        w.write_all(b",\"tickets\":[")?;
        for (n, &row) in data.by_name.iter().enumerate() {
            if n > 0 {
                w.write_all(b",")?;
            }
            serde_json::to_writer(&mut w, &ticket(row))?;
        }
        w.write_all(b"]}")?;
        w.flush()
    }

    // ---- crate-internal access for the server ----

    pub(crate) fn ticket_row(&self, id: &str) -> Option<u32> {
        self.ticket_index.get(&IdBody::parse("tkt", id)?).copied()
    }

    pub(crate) fn order_row(&self, id: &str) -> Option<u32> {
        self.order_index.get(&IdBody::parse("ord", id)?).copied()
    }

    pub(crate) fn event_index(&self, key: &str) -> Option<usize> {
        self.events
            .iter()
            .position(|e| e.wire.core.id == key || e.wire.core.slug == key)
    }

    /// The attendee-name sort key of a row: last name, first name, id.
    pub(crate) fn name_key(&self, row: u32) -> (u32, u32, IdBody) {
        let t = &self.tickets[row as usize];
        (
            self.name_rank[t.last as usize],
            self.name_rank[t.first as usize],
            t.id,
        )
    }

    pub(crate) fn order_rows(&self, order: u32) -> std::ops::Range<u32> {
        let o = &self.orders[order as usize];
        o.first..o.first + o.count
    }

    pub(crate) fn initial_scans(&self, row: u32) -> &[wire::Scan] {
        self.initial_scans.get(&row).map_or(&[], Vec::as_slice)
    }

    /// The attendee of a row, borrowed; e-mail and phone are shown on demand.
    pub(crate) fn attendee_parts(&self, row: u32) -> AttendeeParts<'_> {
        let t = &self.tickets[row as usize];
        let first = &self.names[t.first as usize];
        let last = &self.names[t.last as usize];
        let (email, phone) = if t.contact == GENERATED {
            let h = mix(u64::from(row));
            let email = Email::Generated {
                first: &self.email_names[t.first as usize],
                last: &self.email_names[t.last as usize],
                n: (h >> 8) % 100,
                domain: EMAIL_DOMAINS[(h % EMAIL_DOMAINS.len() as u64) as usize],
            };
            let phone = ((h >> 20) & 3 != 0).then_some(Phone::Generated {
                prefix: self.events[t.event as usize].phone_prefix,
                n: (h >> 24) % 100_000,
            });
            (email, phone)
        } else {
            let (e, p) = &self.contacts[t.contact as usize];
            (Email::Given(e), p.as_deref().map(Phone::Given))
        };
        AttendeeParts {
            first,
            last,
            email,
            phone,
        }
    }

    pub(crate) fn admission_id(&self, row: u32) -> &str {
        let t = &self.tickets[row as usize];
        &self.events[t.event as usize].wire.admissions[t.admission as usize].id
    }

    pub(crate) fn section_id(&self, row: u32) -> Option<&str> {
        let t = &self.tickets[row as usize];
        (t.section != NONE16).then(|| {
            self.events[t.event as usize].wire.sections[t.section as usize]
                .id
                .as_str()
        })
    }

    pub(crate) fn order_id(&self, row: u32) -> String {
        self.orders[self.tickets[row as usize].order as usize]
            .id
            .with_prefix("ord")
    }

    pub(crate) fn customer_id(&self, row: u32) -> &str {
        &self.strings[self.orders[self.tickets[row as usize].order as usize].customer as usize]
    }

    pub(crate) fn ticket_team_id(&self, row: u32) -> &str {
        &self.strings[self.tickets[row as usize].team as usize]
    }

    pub(crate) fn promoter_id(&self, row: u32) -> &str {
        &self.strings[self.tickets[row as usize].promoter as usize]
    }

    pub(crate) fn event_of(&self, row: u32) -> &EventData {
        &self.events[self.tickets[row as usize].event as usize]
    }
}

/// Sets `sold` and `available` of every admission and section from the tickets that are not
/// cancelled. With `fill_capacity` (generated data), a capacity of 0 becomes a little above
/// what was sold; otherwise (imports) the file's capacity stays, -1 meaning unlimited.
pub(super) fn count_sales(tickets: &[TicketRow], events: &mut [EventData], fill_capacity: bool) {
    for data in events.iter_mut() {
        data.wire.admissions.iter_mut().for_each(|a| a.sold = 0);
        data.wire.sections.iter_mut().for_each(|s| s.sold = 0);
    }
    for t in tickets {
        if t.status == TicketStatus::Cancelled {
            continue;
        }
        let ev = &mut events[t.event as usize].wire;
        ev.admissions[t.admission as usize].sold += 1;
        if t.section != NONE16 {
            ev.sections[t.section as usize].sold += 1;
        }
    }
    let available = |capacity: &mut i64, sold: i64, reserved: i64| {
        if fill_capacity && *capacity <= 0 {
            *capacity = sold + sold / 10 + 10;
        }
        if *capacity < 0 {
            -1
        } else {
            (*capacity - sold - reserved).max(0)
        }
    };
    for data in events.iter_mut() {
        for a in &mut data.wire.admissions {
            a.available = available(&mut a.capacity, a.sold, a.reserved);
        }
        for s in &mut data.wire.sections {
            s.available = available(&mut s.capacity, s.sold, s.reserved);
        }
    }
}

impl EventData {
    pub(super) fn new(wire: wire::Event, phone_prefix: &'static str) -> EventData {
        let placeholder = || RawValue::from_string("null".into()).expect("valid JSON");
        EventData {
            event: Event {
                id: wire.core.id.clone(),
                name: wire.core.name.clone(),
                slug: wire.core.slug.clone(),
                status: session_api::EventStatus::Upcoming,
                entry_starts_at: None,
                entry_ends_at: None,
                location: Default::default(),
                team_id: None,
                promoter_id: None,
                admissions: vec![],
                sections: vec![],
            },
            wire,
            phone_prefix,
            by_name: Vec::new(),
            event_json: placeholder(),
            admission_json: vec![],
            section_json: vec![],
            roster_admission_json: vec![],
            roster_section_json: vec![],
        }
    }

    /// Once the event is final: the client's reading of it, and the pieces tickets and
    /// roster rows embed, serialised once so pages splice them in verbatim.
    fn finish(&mut self) {
        fn raw(v: &impl serde::Serialize) -> Box<RawValue> {
            RawValue::from_string(serde_json::to_string(v).expect("serialisable"))
                .expect("serde_json output is JSON")
        }
        let ev = &self.wire;
        let c = &ev.core;
        self.event = serde_json::to_value(ev)
            .and_then(serde_json::from_value)
            .expect("the client reads every event the simulator makes");
        self.event_json = raw(&wire::TicketEvent {
            id: &c.id,
            name: &c.name,
            slug: &c.slug,
            location: c.location.embedded(),
            entry_starts_at: &c.entry_starts_at,
            entry_ends_at: &c.entry_ends_at,
            images: &c.images,
        });
        self.admission_json = ev
            .admissions
            .iter()
            .map(|a| {
                raw(&wire::TicketAdmission {
                    id: &a.id,
                    name: &a.name,
                    price: &a.price,
                    entry_starts_at: &a.entry_starts_at,
                    entry_ends_at: &a.entry_ends_at,
                })
            })
            .collect();
        self.section_json = ev
            .sections
            .iter()
            .map(|s| {
                let l = &s.location;
                raw(&wire::TicketSection {
                    id: &s.id,
                    name: &s.name,
                    location: wire::SectionLocation {
                        name: &l.name,
                        address: &l.address,
                        country: &l.country,
                        latitude: l.latitude,
                        longitude: l.longitude,
                        time_zone: &l.time_zone,
                    },
                })
            })
            .collect();
        self.roster_admission_json = ev
            .admissions
            .iter()
            .map(|a| {
                raw(&wire::RosterAdmission {
                    id: &a.id,
                    name: &a.name,
                    entry_ends_at: &a.entry_ends_at,
                })
            })
            .collect();
        self.roster_section_json = ev
            .sections
            .iter()
            .map(|s| {
                raw(&wire::RosterSection {
                    id: &s.id,
                    name: &s.name,
                })
            })
            .collect();
    }

    pub(crate) fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.wire.core.location.time_zone).unwrap_or(TimeZone::UTC)
    }

    /// The event's id.
    pub(crate) fn id(&self) -> &str {
        &self.wire.core.id
    }
}
