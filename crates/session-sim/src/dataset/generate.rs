//! Seeded generation: a dataset made from a [`DatasetSpec`], the demo's and the
//! benchmarks'. The same seed gives the same ids, names and statuses whenever it runs; times
//! follow the clock, so the demo's entry windows are always live.

use std::collections::HashMap;

use jiff::{tz::TimeZone, Timestamp};
use rand::{rngs::StdRng, Rng, SeedableRng};
use session_api::{ScanKind, TicketStatus};

use super::storage::{count_sales, Interner, GENERATED, NONE16};
use super::{
    currency, geohash, images_for, slugify, Dataset, DatasetSpec, EventData, IdBody, OrderRow,
    TicketRow,
};
use crate::demo;
use crate::names::{EVENT_NAMES, FIRST_NAMES, LAST_NAMES, VENUES, VENUE_PLACES};
use crate::time::{iso_ms, naive_local};
use crate::wire;

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
}

#[cfg(test)]
mod tests {
    use super::super::tests::{small, ticket_json};
    use super::*;
    use serde_json::{json, Value};
    use session_api::ids;
    use session_contract::Contract;

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
}
