//! Reading a dataset from outside: the import format (`usher import`, `session-sim
//! --data`), one event as `GET /events/{key}` returns it plus its tickets. The file is read
//! leniently: ids are required, and whatever else it lacks or gives out of the contract
//! takes the defaults of the crate's behaviour list ("Import files").

use std::collections::HashMap;
use std::io;

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};
use session_api::{ids, ImportFile};

use super::storage::{count_sales, mix, Interner, NONE16};
use super::{
    currency, geohash, images_for, slugify, Dataset, DatasetError, EventData, IdBody, OrderRow,
    TicketRow,
};
use crate::demo;
use crate::time::{iso_ms, naive, naive_local};
use crate::wire;

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

impl Dataset {
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
}

// ---- import defaults ----

/// The first name of an imported attendee who has none.
pub const DEFAULT_FIRST_NAME: &str = "Unknown";
/// The last name of an imported attendee who has none.
pub const DEFAULT_LAST_NAME: &str = "Attendee";
/// The e-mail address of an imported attendee without a usable one.
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

/// Completes a location: an id derived from `owner` unless it has a valid one, `created`
/// for missing dates, and a zone, coordinates and venue the contract allows.
fn complete_location(l: &mut wire::Location, owner: &str, created: &str) {
    set_if(
        &mut l.id,
        |s| ids::is_id("loc", s),
        || derived_id("loc", owner),
    );
    complete_dates(&mut l.created_at, &mut l.updated_at, created);
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
    complete_dates(&mut c.created_at, &mut c.updated_at, &iso_ms(now_ms));
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
        complete_dates(&mut a.created_at, &mut a.updated_at, &c.created_at);
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
        complete_counts(
            &mut a.capacity,
            &mut a.limit,
            &mut a.reserved,
            &mut a.order,
            i,
        );
        if a.section_id
            .as_ref()
            .is_some_and(|s| !section_ids.contains(s) || !ids::is_id("sct", s))
        {
            a.section_id = None;
        }
        complete_owner(
            &mut a.team_id,
            &mut a.promoter_id,
            &mut a.event_id,
            &mut a.event_slug,
            c,
        );
    }
    for (i, s) in ev.sections.iter_mut().enumerate() {
        if s.id.is_empty() {
            return Err(DatasetError::Invalid("a section has no id".into()));
        }
        complete_dates(&mut s.created_at, &mut s.updated_at, &c.created_at);
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
        complete_counts(
            &mut s.capacity,
            &mut s.limit,
            &mut s.reserved,
            &mut s.order,
            i,
        );
        complete_owner(
            &mut s.team_id,
            &mut s.promoter_id,
            &mut s.event_id,
            &mut s.event_slug,
            c,
        );
    }
    Ok(())
}

/// `createdAt` a UTC time in the contract's form, else `default`; `updatedAt` one, else
/// `createdAt`.
fn complete_dates(created_at: &mut String, updated_at: &mut String, default: &str) {
    *created_at = norm_ts(created_at).unwrap_or_else(|| default.to_string());
    *updated_at = norm_ts(updated_at).unwrap_or_else(|| created_at.clone());
}

/// Keeps a tier's or a section's counts within the contract: a capacity of -1 (unlimited) or
/// more, a per-order limit of -1 (unlimited) or at least 1, no negative reservations, and a
/// display order (its position `i` in place of a negative one).
fn complete_counts(
    capacity: &mut i64,
    limit: &mut i64,
    reserved: &mut i64,
    order: &mut i64,
    i: usize,
) {
    *capacity = (*capacity).max(-1);
    if *limit == 0 || *limit < -1 {
        *limit = -1;
    }
    *reserved = (*reserved).max(0);
    if *order < 0 {
        *order = i as i64;
    }
}

/// Ties a tier or a section to its event: the event's team and promoter unless it names valid
/// ones of its own, and the event's id and slug.
fn complete_owner(
    team_id: &mut String,
    promoter_id: &mut String,
    event_id: &mut String,
    event_slug: &mut String,
    event: &wire::EventCore,
) {
    set_if(team_id, |s| ids::is_id("tem", s), || event.team_id.clone());
    set_if(
        promoter_id,
        |s| ids::is_id("pmt", s),
        || event.promoter_id.clone(),
    );
    *event_id = event.id.clone();
    *event_slug = event.slug.clone();
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

#[cfg(test)]
mod tests {
    use super::super::tests::{small, ticket_json};
    use super::super::DatasetSpec;
    use super::*;
    use serde_json::{json, Value};
    use session_api::TicketStatus;
    use session_contract::Contract;

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
}
