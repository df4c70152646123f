//! Seeded demo data and fixed datasets, held compactly.
//!
//! A [`Dataset`] keeps one small `TicketRow` per ticket (ids as fixed-size bytes, names
//! interned) and builds full [`session_api::Ticket`]s only when a ticket is served or
//! exported, so a million tickets take a few hundred MB at most (the benchmark prints the
//! resident size) and generate in about a second.
//! The dataset is immutable: the server keeps the live status and scans beside it.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde_json::value::RawValue;
use session_api::{
    ids, Admission, AdmissionRef, Attendee, Event, EventRef, EventStatus, ImportFile, Location,
    Price, ScanKind, ScanRecord, ScannedBy, Section, SectionRef, Ticket, TicketStatus,
};

use crate::demo;
use crate::names::{EMAIL_DOMAINS, EVENT_NAMES, FIRST_NAMES, LAST_NAMES, VENUES};
use crate::time::{iso_ms, naive_local};

/// What to generate. `Default` gives the demo: 3,000 tickets for one event tonight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetSpec {
    pub seed: u64,
    pub tickets: usize,
    pub events: usize,
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
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Invalid(String),
}

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

/// Where ids put the first event's doors-open time: ids are minted on this fixed timeline,
/// not on the wall clock, so a dataset generated a minute later has the same ids (a test and
/// the app it drives each generate the demo, and must agree on its tickets).
const ID_DOORS_MS: i64 = 1_780_336_800_000; // 2026-06-01T18:00:00Z

/// A new UUIDv7-shaped id body: the millisecond time, then random bits.
fn v7(rng: &mut StdRng, ms: i64) -> IdBody {
    let rand_bits: u128 = rng.random::<u128>() & ((1u128 << 74) - 1);
    let n = ((ms.max(0) as u128) << 80) | (0x7u128 << 76) | (0b10u128 << 74) | rand_bits;
    IdBody::from_u128(n)
}

const NONE16: u16 = u16::MAX;
const GENERATED: u32 = u32::MAX;

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

/// An event with everything a ticket embeds, precomputed.
#[derive(Debug, Clone)]
pub(crate) struct EventData {
    pub event: Event,
    pub event_ref: EventRef,
    pub admission_refs: Vec<AdmissionRef>,
    pub section_refs: Vec<SectionRef>,
    /// The three refs above, serialised once (see [`EventData::serialise_refs`]).
    pub event_json: Box<RawValue>,
    pub admission_json: Vec<Box<RawValue>>,
    pub section_json: Vec<Box<RawValue>>,
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
            } => write!(f, "{first}.{last}{n}@{domain}"),
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

/// A summary of one order, for tests and tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderInfo {
    pub id: String,
    pub event_id: String,
    pub ticket_ids: Vec<String>,
    pub statuses: Vec<TicketStatus>,
}

/// An immutable set of events, orders and tickets in their initial state.
#[derive(Debug, Clone)]
pub struct Dataset {
    tenant_id: String,
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
    pub(crate) initial_scans: HashMap<u32, Vec<ScanRecord>>,
    /// Every row sorted by attendee name.
    pub(crate) by_name: Vec<u32>,
    /// Each interned name as an e-mail local part.
    email_names: Vec<Box<str>>,
    /// Case-insensitive sort rank of each interned name.
    name_rank: Vec<u32>,
    ticket_index: HashMap<IdBody, u32>,
    order_index: HashMap<IdBody, u32>,
}

/// Interns strings into a pool, returning stable indices.
#[derive(Default)]
struct Interner {
    pool: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.pool.len() as u32;
        self.pool.push(s.into());
        self.index.insert(s.into(), i);
        i
    }
}

struct AdmissionPlan {
    name: &'static str,
    /// Minutes relative to the event's doors (start).
    starts: i64,
    ends: i64,
    section: Option<usize>,
    weight: u32,
    base: i64,
}

/// The demo event's tiers. Relative to tonight's doors (opened an hour ago): "Early Entry"
/// has already closed and "Late Entry" has not opened yet.
const ADMISSIONS: &[AdmissionPlan] = &[
    AdmissionPlan {
        name: "General Admission",
        starts: 0,
        ends: 360,
        section: None,
        weight: 40,
        base: 3500,
    },
    AdmissionPlan {
        name: "Floor Standing",
        starts: 0,
        ends: 360,
        section: Some(0),
        weight: 20,
        base: 4500,
    },
    AdmissionPlan {
        name: "VIP Balcony",
        starts: 0,
        ends: 360,
        section: Some(1),
        weight: 12,
        base: 9500,
    },
    AdmissionPlan {
        name: "Early Entry",
        starts: -60,
        ends: 30,
        section: None,
        weight: 10,
        base: 3000,
    },
    AdmissionPlan {
        name: "Late Entry",
        starts: 180,
        ends: 420,
        section: Some(2),
        weight: 18,
        base: 2500,
    },
];

const SECTIONS: &[&str] = &["Floor", "Balcony", "Mezzanine"];

/// Index of the admission whose entry window has ended in the demo event.
pub const ENDED_ADMISSION: usize = 3;
/// Index of the admission whose entry window has not opened yet in the demo event.
pub const NOT_YET_OPEN_ADMISSION: usize = 4;

/// Order sizes 1..=6 and their weights.
const ORDER_SIZE_WEIGHTS: [u32; 6] = [35, 30, 12, 12, 6, 5];

fn pick_weighted(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut r = rng.random_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if r < w {
            return i;
        }
        r -= w;
    }
    weights.len() - 1
}

/// Lowercase ASCII for e-mail local parts: accents folded, other symbols dropped.
fn email_part(s: &str) -> String {
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
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Dataset {
    /// Generates a dataset from a seed. The same spec gives the same ids, names and
    /// statuses; times are relative to now, so the demo's entry windows are always live.
    pub fn generate(spec: &DatasetSpec) -> Dataset {
        Self::generate_at(spec, Timestamp::now())
    }

    /// As [`Dataset::generate`], as if generated at `now`.
    pub fn generate_at(spec: &DatasetSpec, now: Timestamp) -> Dataset {
        let mut rng = StdRng::seed_from_u64(spec.seed);
        // Doors of the first event opened an hour ago, on a 5-minute boundary.
        let doors_ms = (now.as_millisecond() - 60 * 60_000) / 300_000 * 300_000;
        // "Now" on the dataset's own timeline (at most 5 minutes before the real now).
        let now_ms = doors_ms + 60 * 60_000;
        let id_at = |rng: &mut StdRng, ms: i64| v7(rng, ms - doors_ms + ID_DOORS_MS);
        let n_events = spec.events.max(1);

        let mut names = Interner::default();
        let first_ids: Vec<u32> = FIRST_NAMES.iter().map(|n| names.intern(n)).collect();
        let last_ids: Vec<u32> = LAST_NAMES.iter().map(|n| names.intern(n)).collect();
        let mut strings = Interner::default();
        let team = strings.intern(demo::TEAM_ID);
        let promoters: Vec<u32> = (0..3)
            .map(|_| strings.intern(&id_at(&mut rng, now_ms - 300 * 86_400_000).with_prefix("pmt")))
            .collect();

        let other_scanner = ScannedBy {
            id: demo::OTHER_USER_ID.to_string(),
            first_name: "Jordan".into(),
            last_name: "Okafor".into(),
            email: "jordan.okafor@venue.example".into(),
        };
        let other_devices = ["gate-2-ipad", "north-door-laptop", "box-office-1"];
        let weights: Vec<u32> = ADMISSIONS.iter().map(|a| a.weight).collect();

        let mut tickets: Vec<TicketRow> = Vec::with_capacity(spec.tickets);
        let mut orders: Vec<OrderRow> = Vec::with_capacity(spec.tickets / 2 + 1);
        let mut initial_scans = HashMap::new();
        let mut events = Vec::with_capacity(n_events);

        for e in 0..n_events {
            let venue = VENUES[(spec.seed as usize + e) % VENUES.len()];
            let tz = TimeZone::get(venue.2).expect("bundled tz database has the venue's zone");
            let start_ms = doors_ms + e as i64 * 7 * 86_400_000;
            let at = |minutes: i64| naive_local(start_ms + minutes * 60_000, &tz);
            let event_id = id_at(&mut rng, start_ms - 90 * 86_400_000).with_prefix("evt");
            let name = EVENT_NAMES[(spec.seed as usize + e) % EVENT_NAMES.len()];
            let name = if e < EVENT_NAMES.len() {
                name.to_string()
            } else {
                format!("{name} #{e}")
            };
            let slug = format!("{}-{}", slugify(&name), e + 1);
            let location = Location {
                name: Some(venue.0.to_string()),
                address: Some(venue.1.to_string()),
                time_zone: Some(venue.2.to_string()),
            };
            let sections: Vec<Section> = SECTIONS
                .iter()
                .enumerate()
                .map(|(i, s)| Section {
                    id: id_at(&mut rng, start_ms - 90 * 86_400_000).with_prefix("sct"),
                    name: s.to_string(),
                    capacity: 0,
                    sold: 0,
                    available: 0,
                    order: i as i64,
                })
                .collect();
            let admissions: Vec<Admission> = ADMISSIONS
                .iter()
                .enumerate()
                .map(|(i, a)| Admission {
                    id: id_at(&mut rng, start_ms - 90 * 86_400_000).with_prefix("adm"),
                    name: a.name.to_string(),
                    capacity: 0,
                    sold: 0,
                    available: 0,
                    entry_starts_at: Some(at(a.starts)),
                    entry_ends_at: Some(at(a.ends)),
                    section_id: a.section.map(|s| sections[s].id.clone()),
                    order: i as i64,
                    visibility: Some("PUBLIC".into()),
                    price: Some(Price {
                        base: a.base,
                        booking: a.base / 10,
                        currency: currency(venue.2).into(),
                    }),
                })
                .collect();
            let event = Event {
                id: event_id,
                name,
                slug,
                status: EventStatus::Upcoming,
                entry_starts_at: Some(at(-30)),
                entry_ends_at: Some(at(420)),
                location,
                images: vec![],
                admissions,
                sections,
            };
            events.push(EventData::new(event, venue.3));

            // Tickets of this event.
            let share = spec.tickets / n_events + usize::from(e < spec.tickets % n_events);
            let end = tickets.len() + share;
            while tickets.len() < end {
                let size =
                    (pick_weighted(&mut rng, &ORDER_SIZE_WEIGHTS) + 1).min(end - tickets.len());
                let created_ms = start_ms
                    - e as i64 * 7 * 86_400_000
                    - rng.random_range(3_600_000..60 * 86_400_000i64);
                let order_ix = orders.len() as u32;
                let customer =
                    strings.intern(&id_at(&mut rng, created_ms - 86_400_000).with_prefix("cus"));
                orders.push(OrderRow {
                    id: id_at(&mut rng, created_ms),
                    customer,
                    event: e as u16,
                    first: tickets.len() as u32,
                    count: size as u32,
                });
                let order_admission = pick_weighted(&mut rng, &weights);
                let promoter = promoters[rng.random_range(0..promoters.len())];
                let family = last_ids[rng.random_range(0..last_ids.len())];
                for k in 0..size {
                    let admission = if k == 0 || rng.random_bool(0.8) {
                        order_admission
                    } else {
                        pick_weighted(&mut rng, &weights)
                    };
                    let first = first_ids[rng.random_range(0..first_ids.len())];
                    let last = if k == 0 || rng.random_bool(0.4) {
                        family
                    } else {
                        last_ids[rng.random_range(0..last_ids.len())]
                    };
                    let roll: f64 = rng.random();
                    let row_ix = tickets.len() as u32;
                    let mut updated_ms = created_ms;
                    let status = if roll < 0.03 {
                        updated_ms = created_ms + rng.random_range(60_000..86_400_000);
                        TicketStatus::Cancelled
                    } else if roll < 0.05 && ADMISSIONS[admission].starts <= 0 {
                        let scanned_ms = now_ms - rng.random_range(60_000..55 * 60_000);
                        updated_ms = scanned_ms;
                        initial_scans.insert(
                            row_ix,
                            vec![ScanRecord {
                                id: id_at(&mut rng, scanned_ms).with_prefix("scn"),
                                scanned_at: iso_ms(scanned_ms),
                                scanned_by_id: other_scanner.id.clone(),
                                scanned_by: Some(other_scanner.clone()),
                                device_id: Some(
                                    other_devices[rng.random_range(0..other_devices.len())].into(),
                                ),
                                kind: ScanKind::CheckIn,
                            }],
                        );
                        TicketStatus::Redeemed
                    } else {
                        TicketStatus::Active
                    };
                    tickets.push(TicketRow {
                        id: id_at(&mut rng, created_ms),
                        order: order_ix,
                        first,
                        last,
                        contact: GENERATED,
                        created_ms,
                        updated_ms,
                        event: e as u16,
                        admission: admission as u16,
                        section: ADMISSIONS[admission].section.map_or(NONE16, |s| s as u16),
                        team,
                        promoter,
                        status,
                    });
                }
            }
        }

        let mut dataset = Dataset::assemble(
            spec.tenant_id.clone(),
            events,
            tickets,
            orders,
            names.pool,
            strings.pool,
            vec![],
            initial_scans,
        );
        dataset.count_sales();
        dataset
    }

    /// Sets `sold`, `capacity` and `available` of generated admissions and sections.
    fn count_sales(&mut self) {
        let (tickets, events) = (&self.tickets, &mut self.events);
        for t in tickets.iter() {
            if t.status == TicketStatus::Cancelled {
                continue;
            }
            let ev = &mut events[t.event as usize].event;
            ev.admissions[t.admission as usize].sold += 1;
            if t.section != NONE16 {
                ev.sections[t.section as usize].sold += 1;
            }
        }
        for data in events.iter_mut() {
            for a in &mut data.event.admissions {
                if a.capacity <= 0 {
                    a.capacity = a.sold + a.sold / 10 + 10;
                }
                a.available = (a.capacity - a.sold).max(0);
            }
            for s in &mut data.event.sections {
                if s.capacity <= 0 {
                    s.capacity = s.sold + s.sold / 10 + 10;
                }
                s.available = (s.capacity - s.sold).max(0);
            }
        }
    }

    /// Loads a fixed dataset from the import format (`usher import`): one event as
    /// `GET /events/{key}` returns it, plus its tickets. The tenant is the demo tenant;
    /// the server config can override it.
    pub fn load_import(file: ImportFile) -> Result<Dataset, DatasetError> {
        let invalid = |m: String| DatasetError::Invalid(m);
        let event = file.event;
        if !ids::is_id("evt", &event.id) {
            return Err(invalid(format!(
                "event id {:?} is not an evt_ id",
                event.id
            )));
        }
        let adm_ix: HashMap<&str, u16> = event
            .admissions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i as u16))
            .collect();
        let sct_ix: HashMap<&str, u16> = event
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i as u16))
            .collect();

        // Group tickets by order, keeping first appearance, so each order's rows are contiguous.
        let mut order_of: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, t) in file.tickets.iter().enumerate() {
            let g = *order_of.entry(t.order_id.as_str()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }

        let mut names = Interner::default();
        let mut strings = Interner::default();
        let mut contacts = Vec::new();
        let mut tickets = Vec::with_capacity(file.tickets.len());
        let mut orders = Vec::with_capacity(groups.len());
        let mut initial_scans = HashMap::new();
        let mut section_refs: Vec<Option<SectionRef>> = vec![None; event.sections.len()];
        let now_ms = Timestamp::now().as_millisecond();
        let parse_ms = |s: &str| {
            s.parse::<Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(now_ms)
        };

        for group in &groups {
            let first = &file.tickets[group[0]];
            let order_id = IdBody::parse("ord", &first.order_id).ok_or_else(|| {
                invalid(format!("order id {:?} is not an ord_ id", first.order_id))
            })?;
            let order_ix = orders.len() as u32;
            orders.push(OrderRow {
                id: order_id,
                customer: strings.intern(&first.customer_id),
                event: 0,
                first: tickets.len() as u32,
                count: group.len() as u32,
            });
            for &i in group {
                let t = &file.tickets[i];
                let id = IdBody::parse("tkt", &t.id)
                    .ok_or_else(|| invalid(format!("ticket id {:?} is not a tkt_ id", t.id)))?;
                if t.event_id != event.id {
                    return Err(invalid(format!(
                        "ticket {} belongs to event {}, not {}",
                        t.id, t.event_id, event.id
                    )));
                }
                let admission = *adm_ix.get(t.admission_id.as_str()).ok_or_else(|| {
                    invalid(format!(
                        "ticket {} has unknown admission {}",
                        t.id, t.admission_id
                    ))
                })?;
                let section = match &t.section {
                    None => NONE16,
                    Some(s) => {
                        let ix = *sct_ix.get(s.id.as_str()).ok_or_else(|| {
                            invalid(format!("ticket {} has unknown section {}", t.id, s.id))
                        })?;
                        section_refs[ix as usize].get_or_insert_with(|| s.clone());
                        ix
                    }
                };
                let row_ix = tickets.len() as u32;
                if !t.scans.is_empty() {
                    initial_scans.insert(row_ix, t.scans.clone());
                }
                contacts.push((
                    t.attendee.email.as_str().into(),
                    t.attendee.phone.as_deref().map(Into::into),
                ));
                tickets.push(TicketRow {
                    id,
                    order: order_ix,
                    first: names.intern(&t.attendee.first_name),
                    last: names.intern(&t.attendee.last_name),
                    contact: contacts.len() as u32 - 1,
                    created_ms: parse_ms(&t.created_at),
                    updated_ms: parse_ms(&t.updated_at),
                    event: 0,
                    admission,
                    section,
                    team: strings.intern(&t.team_id),
                    promoter: strings.intern(&t.promoter_id),
                    status: t.status,
                });
            }
        }
        let mut data = EventData::new(event, "+1 555 0");
        for (i, r) in section_refs.into_iter().enumerate() {
            if let Some(r) = r {
                data.section_refs[i] = r;
            }
        }
        Ok(Dataset::assemble(
            demo::TENANT_ID.to_string(),
            vec![data],
            tickets,
            orders,
            names.pool,
            strings.pool,
            contacts,
            initial_scans,
        ))
    }

    /// Reads an import file (see [`Dataset::load_import`]).
    pub fn read_import(r: impl io::Read) -> Result<Dataset, DatasetError> {
        let file: ImportFile = serde_json::from_reader(io::BufReader::new(r))?;
        Dataset::load_import(file)
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        tenant_id: String,
        mut events: Vec<EventData>,
        tickets: Vec<TicketRow>,
        orders: Vec<OrderRow>,
        names: Vec<Box<str>>,
        strings: Vec<Box<str>>,
        contacts: Vec<(Box<str>, Option<Box<str>>)>,
        initial_scans: HashMap<u32, Vec<ScanRecord>>,
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
            e.serialise_refs();
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

    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// Number of tickets across all events.
    pub fn ticket_count(&self) -> usize {
        self.tickets.len()
    }

    /// The events, with admissions and sections embedded, as `GET /events/{key}` returns them.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().map(|e| &e.event)
    }

    pub fn event(&self, index: usize) -> Option<&Event> {
        self.events.get(index).map(|e| &e.event)
    }

    pub fn event_ids(&self) -> Vec<String> {
        self.events().map(|e| e.id.clone()).collect()
    }

    /// A ticket in its initial state.
    pub fn ticket(&self, id: &str) -> Option<Ticket> {
        let row = self.ticket_row(id)?;
        Some(self.initial_ticket(row))
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
                event_id: self.events[o.event as usize].event.id.clone(),
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
        let data = self.events.get(event_index)?;
        let tz = data.time_zone();
        let now = Timestamp::now();
        data.event.admissions.iter().find(|a| {
            a.entry_ends_at
                .as_deref()
                .and_then(|s| local_to_ts(s, &tz))
                .is_some_and(|t| t < now)
        })
    }

    /// The admission of event `event_index` whose entry window has not opened yet, if any.
    pub fn admission_not_yet_open(&self, event_index: usize) -> Option<&Admission> {
        let data = self.events.get(event_index)?;
        let tz = data.time_zone();
        let now = Timestamp::now();
        data.event.admissions.iter().find(|a| {
            a.entry_starts_at
                .as_deref()
                .and_then(|s| local_to_ts(s, &tz))
                .is_some_and(|t| t > now)
        })
    }

    /// Streams one event and its tickets (initial state, sorted by attendee name) in the
    /// import format, one ticket at a time.
    pub fn write_import_json(&self, event_index: usize, w: &mut impl Write) -> io::Result<()> {
        let data = self
            .events
            .get(event_index)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such event index"))?;
        let mut w = BufWriter::with_capacity(64 * 1024, w);
        w.write_all(b"{\"event\":")?;
        serde_json::to_writer(&mut w, &data.event)?;
        w.write_all(b",\"tickets\":[")?;
        for (n, &row) in data.by_name.iter().enumerate() {
            if n > 0 {
                w.write_all(b",")?;
            }
            serde_json::to_writer(&mut w, &self.initial_ticket(row))?;
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
            .position(|e| e.event.id == key || e.event.slug == key)
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

    pub(crate) fn initial_scans(&self, row: u32) -> &[ScanRecord] {
        self.initial_scans.get(&row).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn initial_ticket(&self, row: u32) -> Ticket {
        let t = &self.tickets[row as usize];
        self.build_ticket(row, t.status, self.initial_scans(row), t.updated_ms)
    }

    pub(crate) fn attendee(&self, row: u32) -> Attendee {
        let p = self.attendee_parts(row);
        Attendee {
            first_name: p.first.to_string(),
            last_name: p.last.to_string(),
            email: p.email.to_string(),
            phone: p.phone.map(|ph| ph.to_string()),
        }
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
        &self.events[t.event as usize].event.admissions[t.admission as usize].id
    }

    pub(crate) fn section_id(&self, row: u32) -> Option<&str> {
        let t = &self.tickets[row as usize];
        (t.section != NONE16).then(|| {
            self.events[t.event as usize].event.sections[t.section as usize]
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

    pub(crate) fn team_id(&self, row: u32) -> &str {
        &self.strings[self.tickets[row as usize].team as usize]
    }

    pub(crate) fn promoter_id(&self, row: u32) -> &str {
        &self.strings[self.tickets[row as usize].promoter as usize]
    }

    pub(crate) fn event_of(&self, row: u32) -> &EventData {
        &self.events[self.tickets[row as usize].event as usize]
    }

    /// Builds a full ticket from its row and a live status, scans and update time.
    pub(crate) fn build_ticket(
        &self,
        row: u32,
        status: TicketStatus,
        scans: &[ScanRecord],
        updated_ms: i64,
    ) -> Ticket {
        let t = &self.tickets[row as usize];
        let data = &self.events[t.event as usize];
        Ticket {
            id: t.id.with_prefix("tkt"),
            status,
            scans: scans.to_vec(),
            attendee: self.attendee(row),
            customer_id: self.customer_id(row).to_string(),
            event_id: data.event.id.clone(),
            event: Some(data.event_ref.clone()),
            admission_id: data.event.admissions[t.admission as usize].id.clone(),
            admission: Some(data.admission_refs[t.admission as usize].clone()),
            section: (t.section != NONE16).then(|| data.section_refs[t.section as usize].clone()),
            order_id: self.order_id(row),
            order_item_id: None,
            team_id: self.strings[t.team as usize].to_string(),
            promoter_id: self.promoter_id(row).to_string(),
            created_at: iso_ms(t.created_ms),
            updated_at: iso_ms(updated_ms),
        }
    }
}

impl EventData {
    fn new(event: Event, phone_prefix: &'static str) -> EventData {
        let event_ref = EventRef {
            id: event.id.clone(),
            name: event.name.clone(),
            slug: event.slug.clone(),
            location: event.location.clone(),
            entry_starts_at: event.entry_starts_at.clone(),
            entry_ends_at: event.entry_ends_at.clone(),
            images: event.images.clone(),
        };
        let admission_refs = event
            .admissions
            .iter()
            .map(|a| AdmissionRef {
                id: a.id.clone(),
                name: a.name.clone(),
                price: a.price.clone(),
                entry_starts_at: a.entry_starts_at.clone(),
                entry_ends_at: a.entry_ends_at.clone(),
            })
            .collect();
        let section_refs = event
            .sections
            .iter()
            .map(|s| SectionRef {
                id: s.id.clone(),
                name: s.name.clone(),
                location: None,
            })
            .collect();
        EventData {
            event,
            event_ref,
            admission_refs,
            section_refs,
            phone_prefix,
            by_name: Vec::new(),
            event_json: RawValue::from_string("null".into()).expect("valid JSON"),
            admission_json: vec![],
            section_json: vec![],
        }
    }

    /// Serialises the embedded refs once, so pages splice them in verbatim.
    fn serialise_refs(&mut self) {
        let raw = |v: String| RawValue::from_string(v).expect("serde_json output is JSON");
        self.event_json = raw(serde_json::to_string(&self.event_ref).expect("serialisable"));
        self.admission_json = self
            .admission_refs
            .iter()
            .map(|a| raw(serde_json::to_string(a).expect("serialisable")))
            .collect();
        self.section_json = self
            .section_refs
            .iter()
            .map(|a| raw(serde_json::to_string(a).expect("serialisable")))
            .collect();
    }

    pub(crate) fn time_zone(&self) -> TimeZone {
        self.event
            .location
            .time_zone
            .as_deref()
            .and_then(|z| TimeZone::get(z).ok())
            .unwrap_or(TimeZone::UTC)
    }
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

    fn small() -> Dataset {
        Dataset::generate(&DatasetSpec {
            tickets: 2_000,
            ..DatasetSpec::default()
        })
    }

    #[test]
    fn same_seed_gives_same_ids() {
        let a = small();
        let b = small();
        assert_eq!(
            a.ticket_ids(0, TicketStatus::Active),
            b.ticket_ids(0, TicketStatus::Active)
        );
    }

    #[test]
    fn same_seed_gives_same_ids_and_names_across_a_five_minute_boundary() {
        let spec = DatasetSpec {
            tickets: 2_000,
            ..DatasetSpec::default()
        };
        // 23:39:59 and 23:40:00 fall on each side of the 5-minute step the times use.
        let before: Timestamp = "2026-11-28T23:39:59Z".parse().unwrap();
        let after: Timestamp = "2026-11-28T23:40:00Z".parse().unwrap();
        let (a, b) = (
            Dataset::generate_at(&spec, before),
            Dataset::generate_at(&spec, after),
        );
        assert_ne!(
            a.event(0).unwrap().entry_starts_at,
            b.event(0).unwrap().entry_starts_at,
            "times follow the clock"
        );
        assert_eq!(a.event(0).unwrap().id, b.event(0).unwrap().id);
        for status in [
            TicketStatus::Active,
            TicketStatus::Redeemed,
            TicketStatus::Cancelled,
        ] {
            let ids = a.ticket_ids(0, status);
            assert!(!ids.is_empty());
            assert_eq!(ids, b.ticket_ids(0, status));
            for id in ids.iter().take(50) {
                let (x, y) = (a.ticket(id).unwrap(), b.ticket(id).unwrap());
                assert_eq!(x.attendee.first_name, y.attendee.first_name);
                assert_eq!(x.order_id, y.order_id);
            }
        }
    }

    #[test]
    fn generated_mix_has_cancelled_and_redeemed_share() {
        let d = small();
        let cancelled = d.ticket_ids(0, TicketStatus::Cancelled).len();
        let redeemed = d.ticket_ids(0, TicketStatus::Redeemed).len();
        assert!((30..=90).contains(&cancelled), "{cancelled}");
        assert!((15..=70).contains(&redeemed), "{redeemed}");
        let t = d
            .ticket(&d.ticket_ids(0, TicketStatus::Redeemed)[0])
            .unwrap();
        assert_eq!(t.scans.len(), 1);
        assert_eq!(t.scans[0].scanned_by_id, demo::OTHER_USER_ID);
    }

    #[test]
    fn every_id_matches_the_contract_pattern() {
        let d = small();
        let t = d.ticket(&d.ticket_ids(0, TicketStatus::Active)[0]).unwrap();
        assert!(ids::is_id("tkt", &t.id));
        assert!(ids::is_id("ord", &t.order_id));
        assert!(ids::is_id("cus", &t.customer_id));
        assert!(ids::is_id("evt", &t.event_id));
        assert!(ids::is_id("adm", &t.admission_id));
        assert!(ids::is_id("tem", &t.team_id));
        assert!(ids::is_id("pmt", &t.promoter_id));
    }

    #[test]
    fn demo_event_has_an_ended_and_a_not_yet_open_admission() {
        let d = small();
        assert_eq!(d.admission_ended(0).unwrap().name, "Early Entry");
        assert_eq!(d.admission_not_yet_open(0).unwrap().name, "Late Entry");
    }

    #[test]
    fn orders_have_one_to_six_tickets() {
        let d = small();
        assert!(d.orders().all(|o| (1..=6).contains(&o.ticket_ids.len())));
        assert!(d.orders().any(|o| o.ticket_ids.len() >= 4));
    }

    #[test]
    fn import_json_round_trips() {
        let d = small();
        let mut buf = Vec::new();
        d.write_import_json(0, &mut buf).unwrap();
        let file: ImportFile = serde_json::from_slice(&buf).unwrap();
        assert_eq!(file.tickets.len(), d.ticket_count());
        let again = Dataset::load_import(file.clone()).unwrap();
        let mut buf2 = Vec::new();
        again.write_import_json(0, &mut buf2).unwrap();
        let file2: ImportFile = serde_json::from_slice(&buf2).unwrap();
        assert_eq!(file, file2);
    }

    #[test]
    fn import_with_more_customers_than_fit_in_16_bits_loads() {
        let d = Dataset::generate(&DatasetSpec {
            tickets: 1,
            ..DatasetSpec::default()
        });
        let template = d.initial_ticket(0);
        let event = d.event(0).unwrap().clone();
        let tickets = (1..=70_000u128)
            .map(|i| Ticket {
                id: format!("tkt_{}", ids::encode_body(i)),
                order_id: format!("ord_{}", ids::encode_body(i)),
                customer_id: format!("cus_{}", ids::encode_body(i)),
                ..template.clone()
            })
            .collect();
        let loaded = Dataset::load_import(ImportFile { event, tickets }).unwrap();
        assert_eq!(loaded.ticket_count(), 70_000);
        let last = format!("tkt_{}", ids::encode_body(70_000));
        assert_eq!(
            loaded.ticket(&last).unwrap().customer_id,
            format!("cus_{}", ids::encode_body(70_000))
        );
    }
}
