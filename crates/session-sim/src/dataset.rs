//! Seeded demo data and fixed datasets, held compactly.
//!
//! A [`Dataset`] keeps one small `TicketRow` per ticket (ids as fixed-size bytes, names
//! interned) and writes a ticket's full contract JSON only when it is served or exported
//! (`ticket_view::TicketView`), so a million tickets take a few hundred MB at most
//! (the benchmark prints the resident size) and generate in about a second. Each event is
//! held as the contract's full [`wire::Event`], with the pieces every ticket embeds serialised
//! once.
//! The dataset is immutable: the server keeps the live status and scans beside it.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde_json::value::RawValue;
use session_api::{ids, Admission, Event, ImportFile, ScanKind, Ticket, TicketStatus};

use crate::demo;
use crate::names::{EMAIL_DOMAINS, EVENT_NAMES, FIRST_NAMES, LAST_NAMES, VENUES, VENUE_PLACES};
use crate::time::{iso_ms, naive, naive_local};
use crate::wire;

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

/// A stable id derived from other text (an imported event's location, a scan without an
/// id): `prefix_` and a UUIDv7-shaped body of the text's hash.
pub(crate) fn derived_id(prefix: &str, from: &str) -> String {
    let h = from.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let hi = u128::from(mix(h));
    let lo = u128::from(mix(h ^ 0x5bd1_e995));
    // Version 7 bits, so derived ids look like minted ones.
    let n = ((hi << 64 | lo) & !(0xfu128 << 76)) | (0x7u128 << 76);
    format!("{prefix}_{}", ids::encode_body(n))
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
        // What the contract needs beyond the ids, names and statuses (locations, venues)
        // comes from a second RNG, so that the first one's sequence, and so every id, stays
        // what it always was for a seed.
        let mut aux = StdRng::seed_from_u64(spec.seed ^ 0x00c0_ffee_5e55_1035);
        // Doors of the first event opened an hour ago, on a 5-minute boundary.
        let doors_ms = (now.as_millisecond() - 60 * 60_000) / 300_000 * 300_000;
        // "Now" on the dataset's own timeline (at most 5 minutes before the real now).
        let now_ms = doors_ms + 60 * 60_000;
        let id_at = |rng: &mut StdRng, ms: i64| v7(rng, ms - doors_ms + ID_DOORS_MS);
        let n_events = spec.events.max(1);
        const DAY: i64 = 86_400_000;

        let mut names = Interner::default();
        let first_ids: Vec<u32> = FIRST_NAMES.iter().map(|n| names.intern(n)).collect();
        let last_ids: Vec<u32> = LAST_NAMES.iter().map(|n| names.intern(n)).collect();
        let mut strings = Interner::default();
        let team = strings.intern(demo::TEAM_ID);
        let promoters: Vec<u32> = (0..3)
            .map(|_| strings.intern(&id_at(&mut rng, now_ms - 300 * DAY).with_prefix("pmt")))
            .collect();

        let other_scanner = wire::ScannedBy {
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
            let v = (spec.seed as usize + e) % VENUES.len();
            let (venue, place) = (VENUES[v], VENUE_PLACES[v]);
            let tz = TimeZone::get(venue.2).expect("bundled tz database has the venue's zone");
            let start_ms = doors_ms + e as i64 * 7 * DAY;
            let at = |minutes: i64| naive_local(start_ms + minutes * 60_000, &tz);
            let event_id = id_at(&mut rng, start_ms - 90 * DAY).with_prefix("evt");
            let name = EVENT_NAMES[(spec.seed as usize + e) % EVENT_NAMES.len()];
            let name = if e < EVENT_NAMES.len() {
                name.to_string()
            } else {
                format!("{name} #{e}")
            };
            let slug = format!("{}-{}", slugify(&name), e + 1);
            // On the real timeline: created three months before the doors, published a day
            // later.
            let created_ms = start_ms - 90 * DAY;
            let (created, updated) = (iso_ms(created_ms), iso_ms(created_ms + DAY));
            let publish_at = naive_local(created_ms + DAY, &tz);
            let promoter_id = strings.pool[promoters[e % promoters.len()] as usize].to_string();
            let fixed_ms = ID_DOORS_MS + e as i64 * 7 * DAY - 400 * DAY;
            let location = wire::Location {
                id: v7(&mut aux, fixed_ms).with_prefix("loc"),
                created_at: iso_ms(start_ms - 400 * DAY),
                updated_at: iso_ms(start_ms - 400 * DAY),
                name: venue.0.to_string(),
                address: venue.1.to_string(),
                city: Some(place.0.to_string()),
                postcode: Some(place.1.to_string()),
                country: place.2.to_string(),
                latitude: place.3,
                longitude: place.4,
                time_zone: venue.2.to_string(),
                venue: Some(wire::Venue {
                    id: v7(&mut aux, fixed_ms).with_prefix("ven"),
                    name: venue.0.to_string(),
                    slug: slugify(venue.0),
                    team_id: demo::TEAM_ID.to_string(),
                    approval: "APPROVED".into(),
                }),
                venue_id: None,
            };
            let sections: Vec<wire::Section> = SECTIONS
                .iter()
                .enumerate()
                .map(|(i, s)| wire::Section {
                    id: id_at(&mut rng, start_ms - 90 * DAY).with_prefix("sct"),
                    created_at: created.clone(),
                    updated_at: updated.clone(),
                    name: s.to_string(),
                    // Capacity, sold and available are counted from the tickets below.
                    capacity: 0,
                    limit: -1,
                    available: 0,
                    sold: 0,
                    reserved: 0,
                    order: i as i64,
                    visibility: "ALWAYS".into(),
                    location: location.embedded(),
                    team_id: demo::TEAM_ID.into(),
                    promoter_id: promoter_id.clone(),
                    event_id: event_id.clone(),
                    event_slug: slug.clone(),
                })
                .collect();
            let currency = currency(venue.2);
            let admissions: Vec<wire::Admission> = ADMISSIONS
                .iter()
                .enumerate()
                .map(|(i, a)| wire::Admission {
                    id: id_at(&mut rng, start_ms - 90 * DAY).with_prefix("adm"),
                    name: a.name.to_string(),
                    capacity: 0,
                    limit: 10,
                    available: 0,
                    sold: 0,
                    reserved: 0,
                    order: i as i64,
                    created_at: created.clone(),
                    updated_at: updated.clone(),
                    entry_starts_at: at(a.starts),
                    entry_ends_at: at(a.ends),
                    sale_starts_at: publish_at.clone(),
                    sale_ends_at: at(a.ends),
                    sale_ends_behavior: "SALE_ENDED".into(),
                    price: wire::Price {
                        base: a.base,
                        booking: a.base / 10,
                        currency: currency.into(),
                    },
                    visibility: "ALWAYS".into(),
                    section_id: a.section.map(|s| sections[s].id.clone()),
                    team_id: demo::TEAM_ID.into(),
                    promoter_id: promoter_id.clone(),
                    event_id: event_id.clone(),
                    event_slug: slug.clone(),
                })
                .collect();
            let event = wire::Event {
                core: wire::EventCore {
                    description: format!(
                        "{name} at {}. Doors open at {}.",
                        venue.0,
                        &at(-30)[11..16]
                    ),
                    id: event_id,
                    created_at: created,
                    updated_at: updated,
                    images: images_for(&slug, &name),
                    name,
                    slug,
                    approval: "APPROVED".into(),
                    status: "UPCOMING".into(),
                    visibility: "PUBLIC".into(),
                    currency: currency.into(),
                    entry_starts_at: at(-30),
                    entry_ends_at: at(420),
                    publish_at,
                    geohash: geohash(place.3, place.4, 9),
                    location,
                    team_id: demo::TEAM_ID.into(),
                    promoter_id,
                },
                sections,
                admissions,
            };
            events.push(EventData::new(event, venue.3));

            // Tickets of this event.
            let share = spec.tickets / n_events + usize::from(e < spec.tickets % n_events);
            let end = tickets.len() + share;
            while tickets.len() < end {
                let size =
                    (pick_weighted(&mut rng, &ORDER_SIZE_WEIGHTS) + 1).min(end - tickets.len());
                let created_ms =
                    start_ms - e as i64 * 7 * DAY - rng.random_range(3_600_000..60 * DAY);
                let order_ix = orders.len() as u32;
                let customer =
                    strings.intern(&id_at(&mut rng, created_ms - DAY).with_prefix("cus"));
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
                        updated_ms = created_ms + rng.random_range(60_000..DAY);
                        TicketStatus::Cancelled
                    } else if roll < 0.05 && ADMISSIONS[admission].starts <= 0 {
                        let scanned_ms = now_ms - rng.random_range(60_000..55 * 60_000);
                        updated_ms = scanned_ms;
                        initial_scans.insert(
                            row_ix,
                            vec![wire::Scan {
                                id: id_at(&mut rng, scanned_ms).with_prefix("scn"),
                                scanned_at: iso_ms(scanned_ms),
                                scanned_by_id: other_scanner.id.clone(),
                                scanned_by: other_scanner.clone(),
                                device_id: other_devices[rng.random_range(0..other_devices.len())]
                                    .into(),
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

        count_sales(&tickets, &mut events, true);
        Dataset::assemble(
            spec.tenant_id.clone(),
            demo::TEAM_ID.to_string(),
            events,
            tickets,
            orders,
            names.pool,
            strings.pool,
            vec![],
            initial_scans,
        )
    }

    /// Loads a fixed dataset from the import format (`usher import`), as the client reads
    /// it: one event as `GET /events/{key}` returns it, plus its tickets. What the client's
    /// reading leaves out is filled in with the defaults of [`Dataset::read_import`]. The
    /// tenant is the demo tenant; the server config can override it.
    pub fn load_import(file: ImportFile) -> Result<Dataset, DatasetError> {
        let value = serde_json::to_value(&file)?;
        Dataset::from_import(serde_json::from_value(value)?)
    }

    /// Reads an import file: one event as `GET /events/{key}` returns it, plus its tickets
    /// (as `GET /tickets` returns them). Every field the contract requires and the file
    /// lacks (or gives in a shape the contract does not allow) gets a default, listed in the
    /// crate's behaviour list ("Import files"). Ids are required: the event's `evt_`, each
    /// admission's `adm_`, each ticket's `tkt_` and `ord_`; a ticket's admission and section
    /// must be the event's, and its `status` and each scan's `kind` must be given.
    pub fn read_import(r: impl io::Read) -> Result<Dataset, DatasetError> {
        let file: wire::ImportIn = serde_json::from_reader(io::BufReader::new(r))?;
        Dataset::from_import(file)
    }

    fn from_import(file: wire::ImportIn) -> Result<Dataset, DatasetError> {
        let invalid = |m: String| DatasetError::Invalid(m);
        let now_ms = Timestamp::now().as_millisecond();
        let mut event = file.event;
        if !ids::is_id("evt", &event.core.id) {
            return Err(invalid(format!(
                "event id {:?} is not an evt_ id",
                event.core.id
            )));
        }
        complete_event(&mut event, now_ms)?;
        let event_id = event.core.id.clone();
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
        let event_team = strings.intern(&event.core.team_id);
        let event_promoter = strings.intern(&event.core.promoter_id);
        let valid = |prefix: &str, s: &Option<String>| {
            s.as_deref()
                .filter(|s| ids::is_id(prefix, s))
                .map(str::to_string)
        };

        for group in &groups {
            let first = &file.tickets[group[0]];
            let order_id = IdBody::parse("ord", &first.order_id).ok_or_else(|| {
                invalid(format!("order id {:?} is not an ord_ id", first.order_id))
            })?;
            let customer =
                valid("cus", &first.customer_id).unwrap_or_else(|| order_id.with_prefix("cus"));
            let order_ix = orders.len() as u32;
            orders.push(OrderRow {
                id: order_id,
                customer: strings.intern(&customer),
                event: 0,
                first: tickets.len() as u32,
                count: group.len() as u32,
            });
            for &i in group {
                let t = &file.tickets[i];
                let id = IdBody::parse("tkt", &t.id)
                    .ok_or_else(|| invalid(format!("ticket id {:?} is not a tkt_ id", t.id)))?;
                if !t.event_id.is_empty() && t.event_id != event_id {
                    return Err(invalid(format!(
                        "ticket {} belongs to event {}, not {event_id}",
                        t.id, t.event_id
                    )));
                }
                let admission = *adm_ix.get(t.admission_id.as_str()).ok_or_else(|| {
                    invalid(format!(
                        "ticket {} has unknown admission {:?}",
                        t.id, t.admission_id
                    ))
                })?;
                let section = match &t.section {
                    None => NONE16,
                    Some(s) => *sct_ix.get(s.id.as_str()).ok_or_else(|| {
                        invalid(format!("ticket {} has unknown section {:?}", t.id, s.id))
                    })?,
                };
                let status = t
                    .status
                    .ok_or_else(|| invalid(format!("ticket {} has no status", t.id)))?;
                let created_ms = t.created_at.as_deref().and_then(parse_ms).unwrap_or(now_ms);
                let updated_ms = t
                    .updated_at
                    .as_deref()
                    .and_then(parse_ms)
                    .unwrap_or(created_ms);
                let row_ix = tickets.len() as u32;
                if !t.scans.is_empty() {
                    let scans = t
                        .scans
                        .iter()
                        .enumerate()
                        .map(|(n, s)| complete_scan(&t.id, n, s, updated_ms))
                        .collect::<Result<Vec<_>, _>>()?;
                    initial_scans.insert(row_ix, scans);
                }
                let a = &t.attendee;
                let given = |s: &Option<String>, default: &str| {
                    s.as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .unwrap_or(default)
                        .to_string()
                };
                let email = a
                    .email
                    .as_deref()
                    .map(str::trim)
                    .filter(|e| looks_like_email(e))
                    .unwrap_or(DEFAULT_EMAIL);
                contacts.push((email.into(), a.phone.as_deref().map(Into::into)));
                tickets.push(TicketRow {
                    id,
                    order: order_ix,
                    first: names.intern(&given(&a.first_name, DEFAULT_FIRST_NAME)),
                    last: names.intern(&given(&a.last_name, DEFAULT_LAST_NAME)),
                    contact: contacts.len() as u32 - 1,
                    created_ms,
                    updated_ms,
                    event: 0,
                    admission,
                    section,
                    team: valid("tem", &t.team_id).map_or(event_team, |team| strings.intern(&team)),
                    promoter: valid("pmt", &t.promoter_id)
                        .map_or(event_promoter, |p| strings.intern(&p)),
                    status,
                });
            }
        }
        let team_id = event.core.team_id.clone();
        let mut events = vec![EventData::new(event, "+1 555 0")];
        count_sales(&tickets, &mut events, false);
        Ok(Dataset::assemble(
            demo::TENANT_ID.to_string(),
            team_id,
            events,
            tickets,
            orders,
            names.pool,
            strings.pool,
            contacts,
            initial_scans,
        ))
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the raw parts the generator and the import reader both hand over; a struct would only name them twice"
    )]
    fn assemble(
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

    /// Streams one event (as `GET /events/{key}` sends it) and its tickets (initial state,
    /// sorted by attendee name, as `GET /tickets` sends them) in the import format, one
    /// ticket at a time.
    pub fn write_import_json(&self, event_index: usize, w: &mut impl Write) -> io::Result<()> {
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
            serde_json::to_writer(&mut w, &crate::ticket_view::TicketView::initial(self, row))?;
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
fn count_sales(tickets: &[TicketRow], events: &mut [EventData], fill_capacity: bool) {
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
    fn new(wire: wire::Event, phone_prefix: &'static str) -> EventData {
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

// ---- import defaults ----

/// An imported attendee without a first name, last name or usable e-mail gets these.
pub const DEFAULT_FIRST_NAME: &str = "Unknown";
pub const DEFAULT_LAST_NAME: &str = "Attendee";
pub const DEFAULT_EMAIL: &str = "unknown.attendee@example.com";
/// An imported scan whose scanner has no usable e-mail gets this one.
pub const DEFAULT_SCANNER_EMAIL: &str = "unknown.scanner@example.com";

/// Enough of an address for the contract's e-mail pattern: one `@`, a dot in the domain,
/// no spaces.
fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !s.contains("..")
                && domain.contains('.')
                && !domain.starts_with('.')
                && domain.rsplit('.').next().is_some_and(|tld| {
                    tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
                })
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_'+-.@".contains(&b))
                && !domain.contains('@')
        }
        None => false,
    }
}

fn parse_ms(s: &str) -> Option<i64> {
    s.parse::<Timestamp>().ok().map(|t| t.as_millisecond())
}

/// A UTC timestamp in the contract's form (with milliseconds), or `None`.
fn norm_ts(s: &str) -> Option<String> {
    parse_ms(s).map(iso_ms)
}

/// A naive wall-clock time `YYYY-MM-DDTHH:mm:ss`, or `None`.
fn norm_naive(s: &str) -> Option<String> {
    s.parse::<DateTime>().ok().map(naive)
}

fn one_of(value: &mut String, allowed: &[&str], default: &str) {
    if !allowed.contains(&value.as_str()) {
        *value = default.to_string();
    }
}

fn set_if(value: &mut String, keep: impl Fn(&str) -> bool, default: impl FnOnce() -> String) {
    if !keep(value) {
        *value = default();
    }
}

fn is_currency(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Completes a location from `fallback` (the event's) and `created`.
fn complete_location(l: &mut wire::Location, owner: &str, created: &str) {
    set_if(
        &mut l.id,
        |s| ids::is_id("loc", s),
        || derived_id("loc", owner),
    );
    let created = created.to_string();
    let c = norm_ts(&l.created_at).unwrap_or(created);
    l.created_at = c.clone();
    l.updated_at = norm_ts(&l.updated_at).unwrap_or(c);
    if TimeZone::get(&l.time_zone).is_err() {
        l.time_zone = "UTC".into();
    }
    if !(l.latitude > -90.0 && l.latitude < 90.0) {
        l.latitude = 0.0;
    }
    if !(l.longitude > -180.0 && l.longitude < 180.0) {
        l.longitude = 0.0;
    }
    if let Some(v) = &mut l.venue {
        if !ids::is_id("ven", &v.id) {
            l.venue = None;
        } else {
            one_of(
                &mut v.approval,
                &["PENDING", "APPROVED", "REJECTED"],
                "APPROVED",
            );
            if v.slug.is_empty() {
                v.slug = slugify(&v.name);
            }
        }
    }
    if l.venue_id.as_deref().is_some_and(|v| !ids::is_id("ven", v)) {
        l.venue_id = None;
    }
}

/// Fills in what an imported event lacks (see the crate's behaviour list, "Import files").
fn complete_event(ev: &mut wire::Event, now_ms: i64) -> Result<(), DatasetError> {
    let c = &mut ev.core;
    c.created_at = norm_ts(&c.created_at).unwrap_or_else(|| iso_ms(now_ms));
    c.updated_at = norm_ts(&c.updated_at).unwrap_or_else(|| c.created_at.clone());
    complete_location(
        &mut c.location,
        &format!("{} location", c.id),
        &c.created_at,
    );
    let tz = TimeZone::get(&c.location.time_zone).unwrap_or(TimeZone::UTC);
    if c.slug.trim().is_empty() {
        c.slug = match slugify(&c.name) {
            s if s.is_empty() => c.id.clone(),
            s => s,
        };
    }
    one_of(
        &mut c.approval,
        &["PENDING", "APPROVED", "REJECTED"],
        "APPROVED",
    );
    one_of(&mut c.status, &["UPCOMING", "ENDED"], "UPCOMING");
    one_of(
        &mut c.visibility,
        &["PUBLIC", "PRIVATE", "SCHEDULED", "PASSCODE", "CANCELLED"],
        "PUBLIC",
    );
    if !is_currency(&c.currency) {
        c.currency = ev
            .admissions
            .iter()
            .map(|a| a.price.currency.as_str())
            .find(|cur| is_currency(cur))
            .unwrap_or(currency(&c.location.time_zone))
            .to_string();
    }
    let starts: Vec<String> = ev
        .admissions
        .iter()
        .filter_map(|a| norm_naive(&a.entry_starts_at))
        .collect();
    let ends: Vec<String> = ev
        .admissions
        .iter()
        .filter_map(|a| norm_naive(&a.entry_ends_at))
        .collect();
    c.entry_starts_at = norm_naive(&c.entry_starts_at)
        .or_else(|| starts.iter().min().cloned())
        .unwrap_or_else(|| naive_local(now_ms, &tz));
    c.entry_ends_at = norm_naive(&c.entry_ends_at)
        .or_else(|| ends.iter().max().cloned())
        .unwrap_or_else(|| naive_local(now_ms + 86_400_000, &tz));
    let created_ms = parse_ms(&c.created_at).unwrap_or(now_ms);
    c.publish_at = norm_naive(&c.publish_at).unwrap_or_else(|| naive_local(created_ms, &tz));
    let defaults = images_for(&c.id, &c.name);
    for (img, default) in [
        (&mut c.images.mobile, defaults.mobile),
        (&mut c.images.desktop, defaults.desktop),
    ] {
        if !img.src.starts_with("https://") && !img.src.starts_with("http://") {
            *img = default;
        }
    }
    if c.geohash.is_empty() {
        c.geohash = geohash(c.location.latitude, c.location.longitude, 9);
    }
    set_if(
        &mut c.team_id,
        |s| ids::is_id("tem", s),
        || demo::TEAM_ID.into(),
    );
    let event_id = c.id.clone();
    set_if(
        &mut c.promoter_id,
        |s| ids::is_id("pmt", s),
        || derived_id("pmt", &event_id),
    );

    let c = &ev.core;
    let section_ids: Vec<String> = ev.sections.iter().map(|s| s.id.clone()).collect();
    for (i, a) in ev.admissions.iter_mut().enumerate() {
        if !ids::is_id("adm", &a.id) {
            return Err(DatasetError::Invalid(format!(
                "admission id {:?} is not an adm_ id",
                a.id
            )));
        }
        a.created_at = norm_ts(&a.created_at).unwrap_or_else(|| c.created_at.clone());
        a.updated_at = norm_ts(&a.updated_at).unwrap_or_else(|| a.created_at.clone());
        a.entry_starts_at =
            norm_naive(&a.entry_starts_at).unwrap_or_else(|| c.entry_starts_at.clone());
        a.entry_ends_at = norm_naive(&a.entry_ends_at).unwrap_or_else(|| c.entry_ends_at.clone());
        a.sale_starts_at = norm_naive(&a.sale_starts_at).unwrap_or_else(|| c.publish_at.clone());
        a.sale_ends_at = norm_naive(&a.sale_ends_at).unwrap_or_else(|| a.entry_ends_at.clone());
        one_of(
            &mut a.sale_ends_behavior,
            &["SALE_ENDED", "SOLD_OUT", "DOOR"],
            "SALE_ENDED",
        );
        one_of(
            &mut a.visibility,
            &["ALWAYS", "HIDDEN", "AFTER_ADMISSION"],
            "ALWAYS",
        );
        if !is_currency(&a.price.currency) {
            a.price.currency = c.currency.clone();
        }
        a.price.base = a.price.base.max(0);
        a.price.booking = a.price.booking.max(0);
        a.capacity = a.capacity.max(-1);
        if a.limit == 0 || a.limit < -1 {
            a.limit = -1;
        }
        a.reserved = a.reserved.max(0);
        if a.order < 0 {
            a.order = i as i64;
        }
        if a.section_id
            .as_ref()
            .is_some_and(|s| !section_ids.contains(s) || !ids::is_id("sct", s))
        {
            a.section_id = None;
        }
        set_if(
            &mut a.team_id,
            |s| ids::is_id("tem", s),
            || c.team_id.clone(),
        );
        set_if(
            &mut a.promoter_id,
            |s| ids::is_id("pmt", s),
            || c.promoter_id.clone(),
        );
        a.event_id = c.id.clone();
        a.event_slug = c.slug.clone();
    }
    for (i, s) in ev.sections.iter_mut().enumerate() {
        if s.id.is_empty() {
            return Err(DatasetError::Invalid("a section has no id".into()));
        }
        s.created_at = norm_ts(&s.created_at).unwrap_or_else(|| c.created_at.clone());
        s.updated_at = norm_ts(&s.updated_at).unwrap_or_else(|| s.created_at.clone());
        if s.location.name.is_empty() && s.location.address.is_empty() {
            s.location = c.location.clone();
        } else {
            complete_location(
                &mut s.location,
                &format!("{} location", s.id),
                &c.created_at,
            );
        }
        s.location = s.location.embedded();
        one_of(
            &mut s.visibility,
            &["ALWAYS", "STACKED", "HIDDEN"],
            "ALWAYS",
        );
        s.capacity = s.capacity.max(-1);
        if s.limit == 0 || s.limit < -1 {
            s.limit = -1;
        }
        s.reserved = s.reserved.max(0);
        if s.order < 0 {
            s.order = i as i64;
        }
        set_if(
            &mut s.team_id,
            |v| ids::is_id("tem", v),
            || c.team_id.clone(),
        );
        set_if(
            &mut s.promoter_id,
            |v| ids::is_id("pmt", v),
            || c.promoter_id.clone(),
        );
        s.event_id = c.id.clone();
        s.event_slug = c.slug.clone();
    }
    Ok(())
}

/// Fills in what an imported scan lacks (see the crate's behaviour list, "Import files").
fn complete_scan(
    ticket: &str,
    n: usize,
    s: &wire::ScanIn,
    updated_ms: i64,
) -> Result<wire::Scan, DatasetError> {
    let kind = s
        .kind
        .ok_or_else(|| DatasetError::Invalid(format!("scan {n} of ticket {ticket} has no kind")))?;
    let by = s.scanned_by.clone().unwrap_or_default();
    let first_name = by.first_name.unwrap_or_default();
    let last_name = by.last_name.unwrap_or_default();
    let id = by
        .id
        .or_else(|| s.scanned_by_id.clone())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| derived_id("usr", &format!("{first_name} {last_name}")));
    Ok(wire::Scan {
        id: s
            .id
            .clone()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| derived_id("scn", &format!("{ticket}#{n}"))),
        scanned_at: s
            .scanned_at
            .as_deref()
            .and_then(norm_ts)
            .unwrap_or_else(|| iso_ms(updated_ms)),
        scanned_by_id: s
            .scanned_by_id
            .clone()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| id.clone()),
        scanned_by: wire::ScannedBy {
            id,
            first_name,
            last_name,
            email: by
                .email
                .filter(|e| looks_like_email(e))
                .unwrap_or_else(|| DEFAULT_SCANNER_EMAIL.into()),
        },
        device_id: s.device_id.clone().unwrap_or_default(),
        kind,
    })
}

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
    use serde_json::{json, Value};
    use session_contract::Contract;

    fn small() -> Dataset {
        Dataset::generate(&DatasetSpec {
            tickets: 2_000,
            ..DatasetSpec::default()
        })
    }

    fn ticket_json(d: &Dataset, id: &str) -> Value {
        let row = d.ticket_row(id).unwrap();
        serde_json::to_value(crate::ticket_view::TicketView::initial(d, row)).unwrap()
    }

    #[test]
    fn same_seed_gives_same_ids() {
        let a = small();
        let b = small();
        assert_eq!(
            a.ticket_ids(0, TicketStatus::Active),
            b.ticket_ids(0, TicketStatus::Active)
        );
        let (ea, eb) = (a.wire_event(0).unwrap(), b.wire_event(0).unwrap());
        assert_eq!(ea.core.location.id, eb.core.location.id);
        assert_eq!(ea.core.promoter_id, eb.core.promoter_id);
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
                let (x, y) = (ticket_json(&a, id), ticket_json(&b, id));
                assert_eq!(x["scans"][0]["id"], y["scans"][0]["id"]);
                assert_eq!(x["event"]["location"]["id"], y["event"]["location"]["id"]);
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
        let t = ticket_json(&d, &d.ticket_ids(0, TicketStatus::Redeemed)[0]);
        assert_eq!(t["scans"].as_array().unwrap().len(), 1);
        assert_eq!(t["scans"][0]["scannedById"], json!(demo::OTHER_USER_ID));
    }

    #[test]
    fn every_id_matches_the_contract_pattern() {
        let d = small();
        let t = ticket_json(&d, &d.ticket_ids(0, TicketStatus::Active)[0]);
        for (key, prefix) in [
            ("id", "tkt"),
            ("orderId", "ord"),
            ("customerId", "cus"),
            ("eventId", "evt"),
            ("admissionId", "adm"),
            ("teamId", "tem"),
            ("promoterId", "pmt"),
        ] {
            assert!(
                ids::is_id(prefix, t[key].as_str().unwrap()),
                "{key}: {}",
                t[key]
            );
        }
        assert!(ids::is_id(
            "loc",
            t["event"]["location"]["id"].as_str().unwrap()
        ));
        assert!(ids::is_id(
            "ven",
            t["event"]["location"]["venueId"].as_str().unwrap()
        ));
    }

    #[test]
    fn generated_event_and_tickets_follow_the_contract() {
        let d = Dataset::generate(&DatasetSpec {
            tickets: 400,
            events: 2,
            ..DatasetSpec::default()
        });
        let c = Contract::get();
        for e in 0..2 {
            let body = json!({ "event": d.wire_event(e).unwrap() });
            let v = c.route("event.get").check_output(&body);
            assert!(v.is_empty(), "{v:#?}");
        }
        let tickets: Vec<Value> = (0..d.ticket_count() as u32)
            .map(|row| {
                serde_json::to_value(crate::ticket_view::TicketView::initial(&d, row)).unwrap()
            })
            .collect();
        let page = json!({ "tickets": tickets, "before": null, "after": null, "limit": 100 });
        let v = c.route("ticket.list").check_output(&page);
        assert!(v.is_empty(), "{:#?}", &v[..v.len().min(10)]);
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
    fn import_json_round_trips_byte_for_byte() {
        let d = small();
        let mut buf = Vec::new();
        d.write_import_json(0, &mut buf).unwrap();
        let file: ImportFile = serde_json::from_slice(&buf).unwrap();
        assert_eq!(file.tickets.len(), d.ticket_count());
        let again = Dataset::read_import(buf.as_slice()).unwrap();
        let mut buf2 = Vec::new();
        again.write_import_json(0, &mut buf2).unwrap();
        let (a, b): (Value, Value) = (
            serde_json::from_slice(&buf).unwrap(),
            serde_json::from_slice(&buf2).unwrap(),
        );
        assert_eq!(a["event"], b["event"]);
        assert_eq!(a["tickets"], b["tickets"]);
        assert_eq!(buf, buf2);
    }

    #[test]
    fn import_of_the_clients_reading_keeps_ids_and_fills_the_rest() {
        let d = small();
        let mut buf = Vec::new();
        d.write_import_json(0, &mut buf).unwrap();
        let file: ImportFile = serde_json::from_slice(&buf).unwrap();
        let loaded = Dataset::load_import(file).unwrap();
        assert_eq!(loaded.event_ids(), d.event_ids());
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(
            sorted(loaded.ticket_ids(0, TicketStatus::Redeemed)),
            sorted(d.ticket_ids(0, TicketStatus::Redeemed))
        );
        let id = &d.ticket_ids(0, TicketStatus::Redeemed)[0];
        let t = ticket_json(&loaded, id);
        let v = Contract::get()
            .route("ticket.get")
            .check_output(&json!({ "ticket": t }));
        assert!(v.is_empty(), "{v:#?}");
        // The client's reading has no scan ids: they are derived, the same every load.
        assert!(t["scans"][0]["id"].as_str().unwrap().starts_with("scn_"));
    }

    #[test]
    fn import_fills_missing_required_fields_with_the_documented_defaults() {
        let file = json!({
            "event": {
                "id": "evt_01jps5cgsenjrazw6wswmyspa3",
                "name": "Bare Event",
                "status": "UPCOMING",
                "location": { "timeZone": "Europe/Paris" },
                "admissions": [{ "id": "adm_01jps5cgsee0xvapbk92e8eb4g", "name": "GA",
                                 "entryStartsAt": "2026-07-01T19:00:00",
                                 "entryEndsAt": "2026-07-01T23:30:00" }],
                "sections": [{ "id": "sct_01jps5cgse0g3qj16kpq8t221r", "name": "Floor" }]
            },
            "tickets": [{
                "id": "tkt_01jps5cgsg0s32w2pr73vbccde",
                "status": "REDEEMED",
                "orderId": "ord_01jps5cgsfgve5b5g2666kyryh",
                "admissionId": "adm_01jps5cgsee0xvapbk92e8eb4g",
                "section": { "id": "sct_01jps5cgse0g3qj16kpq8t221r" },
                "attendee": { "firstName": "", "email": "not an email" },
                "scans": [{ "scannedAt": "2026-07-01T19:05:00Z", "kind": "CHECK_IN" }]
            }]
        });
        let d = Dataset::read_import(file.to_string().as_bytes()).unwrap();
        let ev = d.wire_event(0).unwrap();
        let c = Contract::get();
        let v = c.route("event.get").check_output(&json!({ "event": ev }));
        assert!(v.is_empty(), "{v:#?}");
        assert_eq!(ev.core.slug, "bare-event");
        assert_eq!(ev.core.team_id, demo::TEAM_ID);
        assert_eq!(ev.core.entry_starts_at, "2026-07-01T19:00:00");
        assert_eq!(ev.core.currency, "USD");
        assert_eq!(ev.admissions[0].visibility, "ALWAYS");
        assert_eq!(ev.sections[0].location.time_zone, "Europe/Paris");
        let t = ticket_json(&d, "tkt_01jps5cgsg0s32w2pr73vbccde");
        let v = c.route("ticket.get").check_output(&json!({ "ticket": t }));
        assert!(v.is_empty(), "{v:#?}");
        assert_eq!(t["attendee"]["firstName"], json!(DEFAULT_FIRST_NAME));
        assert_eq!(t["attendee"]["lastName"], json!(DEFAULT_LAST_NAME));
        assert_eq!(t["attendee"]["email"], json!(DEFAULT_EMAIL));
        assert_eq!(t["customerId"], json!("cus_01jps5cgsfgve5b5g2666kyryh"));
        assert_eq!(t["scans"][0]["deviceId"], json!(""));
        assert_eq!(
            t["scans"][0]["scannedAt"],
            json!("2026-07-01T19:05:00.000Z")
        );
        assert_eq!(
            t["scans"][0]["scannedBy"]["email"],
            json!(DEFAULT_SCANNER_EMAIL)
        );
        // Still required: ids, a ticket's status, a scan's kind.
        let mut bad = file.clone();
        bad["tickets"][0]["status"] = Value::Null;
        assert!(Dataset::read_import(bad.to_string().as_bytes()).is_err());
        let mut bad = file;
        bad["tickets"][0]["admissionId"] = json!("adm_01jps5cgsee0xvapbk92e8eb4h");
        assert!(Dataset::read_import(bad.to_string().as_bytes()).is_err());
    }

    #[test]
    fn import_with_more_customers_than_fit_in_16_bits_loads() {
        let d = Dataset::generate(&DatasetSpec {
            tickets: 1,
            ..DatasetSpec::default()
        });
        let admission = &d.wire_event(0).unwrap().admissions[0].id;
        // Only what an import must give: the rest takes its defaults.
        let tickets: Vec<Value> = (1..=70_000u128)
            .map(|i| {
                json!({
                    "id": format!("tkt_{}", ids::encode_body(i)),
                    "orderId": format!("ord_{}", ids::encode_body(i)),
                    "customerId": format!("cus_{}", ids::encode_body(i)),
                    "admissionId": admission,
                    "status": "ACTIVE",
                })
            })
            .collect();
        let file = json!({ "event": d.wire_event(0).unwrap(), "tickets": tickets });
        let loaded = Dataset::read_import(file.to_string().as_bytes()).unwrap();
        assert_eq!(loaded.ticket_count(), 70_000);
        let last = format!("tkt_{}", ids::encode_body(70_000));
        assert_eq!(
            ticket_json(&loaded, &last)["customerId"],
            json!(format!("cus_{}", ids::encode_body(70_000)))
        );
    }

    #[test]
    fn geohash_matches_a_known_value() {
        assert_eq!(geohash(57.64911, 10.40744, 11), "u4pruydqqvj");
    }
}
