//! `GET /tickets`, `GET /tickets/{id}`, `GET /tickets/attendees`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use session_api::{
    ids, AttendeePage, AttendeeRow, LastScan, RosterAdmission, RosterSection, ScanKind,
    TicketEnvelope, TicketStatus,
};

use super::require_any;
use crate::auth::Caller;
use crate::dataset::Dataset;
use crate::error::{Answer, ApiError, FieldErrors};
use crate::live::Live;
use crate::query::{Query, Shape};
use crate::server::Shared;
use crate::ticket_view::{TicketPageView, TicketView};

const LIST: Shape<'static> = Shape {
    scalars: &[
        "eventId",
        "orderId",
        "customerId",
        "promoterId",
        "status",
        "query",
        "limit",
        "cursor",
    ],
    arrays: &[],
};

const ROSTER: Shape<'static> = Shape {
    scalars: &["eventId", "query", "limit", "cursor"],
    arrays: &["admissionIds", "sectionIds"],
};

/// Name, e-mail or phone search: case-insensitive substring; digits-only needles of three or
/// more also match the phone's digits.
struct Needle {
    text: String,
    digits: Option<String>,
}

impl Needle {
    fn new(q: &str) -> Needle {
        let text = q.trim().to_lowercase();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let digits = (digits.len() >= 3
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c)))
        .then_some(digits);
        Needle { text, digits }
    }

    fn matches(&self, ds: &Dataset, row: u32) -> bool {
        let a = ds.attendee(row);
        let full = format!("{} {}", a.first_name, a.last_name).to_lowercase();
        if full.contains(&self.text) || a.email.to_lowercase().contains(&self.text) {
            return true;
        }
        match (&self.digits, &a.phone) {
            (Some(d), Some(p)) => p
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .contains(d.as_str()),
            _ => false,
        }
    }
}

fn query_text(q: &Query, errors: &mut FieldErrors) -> Option<Needle> {
    let v = q.get("query")?;
    if v.trim().is_empty() || v.chars().count() > 200 {
        errors.field("query", "Must be 1 to 200 characters");
        return None;
    }
    Some(Needle::new(v))
}

fn parse_status(q: &Query, errors: &mut FieldErrors) -> Option<TicketStatus> {
    match q.get("status")? {
        "ACTIVE" => Some(TicketStatus::Active),
        "REDEEMED" => Some(TicketStatus::Redeemed),
        "CANCELLED" => Some(TicketStatus::Cancelled),
        _ => {
            errors.field("status", "Expected 'ACTIVE' | 'REDEEMED' | 'CANCELLED'");
            None
        }
    }
}

/// Walks `seq` from `start`, returning up to `limit` matching rows and the position of the
/// next match (for `after`), if any.
fn collect(
    seq: &[u32],
    start: usize,
    limit: usize,
    mut keep: impl FnMut(u32) -> bool,
) -> (Vec<u32>, Option<usize>) {
    let mut rows = Vec::with_capacity(limit);
    for (pos, &row) in seq.iter().enumerate().skip(start) {
        if !keep(row) {
            continue;
        }
        if rows.len() == limit {
            return (rows, Some(pos));
        }
        rows.push(row);
    }
    (rows, None)
}

pub(crate) async fn list(
    State(sh): State<Arc<Shared>>,
    Caller(token): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    require_any(&token, "ticket.read")?;
    let q = Query::parse(raw.as_deref(), &LIST)?;
    let mut errors = FieldErrors::default();
    let event_id = q.id("eventId", "evt", &mut errors);
    let order_id = q.id("orderId", "ord", &mut errors);
    let customer_id = q.id("customerId", "cus", &mut errors);
    let promoter_id = q.id("promoterId", "pmt", &mut errors);
    let status = parse_status(&q, &mut errors);
    let needle = query_text(&q, &mut errors);
    if [
        "eventId",
        "orderId",
        "customerId",
        "promoterId",
        "status",
        "query",
    ]
    .iter()
    .all(|k| q.get(k).is_none())
    {
        errors.form.push("At least one filter is required: eventId, orderId, customerId, promoterId, status or query".into());
    }
    errors.into_result()?;
    let limit = q.limit(20)?;

    let ds = &sh.dataset;
    let event_ix = event_id.as_deref().map(|e| ds.event_index(e));
    let order_ix = order_id.as_deref().map(|o| ds.order_row(o));
    // The permission is targeted at the filtered event, else the order's event.
    let target_event = match (&event_id, order_ix) {
        (Some(e), _) => Some(e.clone()),
        (None, Some(Some(o))) => Some(
            ds.events[ds.orders[o as usize].event as usize]
                .event
                .id
                .clone(),
        ),
        _ => None,
    };
    token.require("ticket.read", target_event.as_deref())?;

    let scope = format!("GET /tickets?{}", q.fingerprint());
    let start = match q.get("cursor") {
        Some(c) => sh.cursors.open(&scope, c)? as usize,
        None => 0,
    };
    let seq: Cow<[u32]> = match (order_ix, event_ix) {
        (Some(None), _) | (_, Some(None)) => Cow::Owned(vec![]),
        (Some(Some(o)), _) => {
            let mut rows: Vec<u32> = ds.order_rows(o).collect();
            rows.sort_by_key(|&r| ds.name_key(r));
            Cow::Owned(rows)
        }
        (None, Some(Some(e))) => Cow::Borrowed(&ds.events[e].by_name),
        (None, None) => Cow::Borrowed(&ds.by_name),
    };
    let live = sh.live.read().expect("live lock");
    let (rows, next) = collect(&seq, start, limit, |row| {
        event_ix.is_none_or(|e| e == Some(ds.tickets[row as usize].event as usize))
            && customer_id
                .as_deref()
                .is_none_or(|c| ds.customer_id(row) == c)
            && promoter_id
                .as_deref()
                .is_none_or(|p| ds.promoter_id(row) == p)
            && status.is_none_or(|s| live.status[row as usize] == s)
            && needle.as_ref().is_none_or(|n| n.matches(ds, row))
    });
    let tickets = rows
        .iter()
        .map(|&r| TicketView::new(ds, &live, r))
        .collect();
    let after = next.map(|p| sh.cursors.issue(&scope, p as u64));
    Ok(super::page(
        &sh,
        &TicketPageView {
            tickets,
            before: None,
            after,
            limit: limit as u32,
        },
        limit,
    ))
}

pub(crate) async fn one(
    State(sh): State<Arc<Shared>>,
    Caller(token): Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    require_any(&token, "ticket.read")?;
    Query::parse(
        raw.as_deref(),
        &Shape {
            scalars: &[],
            arrays: &[],
        },
    )?;
    if !ids::is_id("tkt", &id) {
        return Err(ApiError::invalid_field(
            "id",
            "Invalid id: expected tkt_ followed by 26 characters",
        ));
    }
    let ds = &sh.dataset;
    let row = ds
        .ticket_row(&id)
        .ok_or_else(|| ApiError::not_found(format!("Ticket {id} not found")))?;
    token.require("ticket.read", Some(&ds.event_of(row).event.id))?;
    let ticket = sh.live.read().expect("live lock").ticket(ds, row);
    Ok(Answer::ok(&TicketEnvelope { ticket }))
}

fn roster_row(ds: &Dataset, live: &Live, row: u32) -> AttendeeRow {
    let t = &ds.tickets[row as usize];
    let ev = ds.event_of(row);
    let adm = &ev.event.admissions[t.admission as usize];
    let scans = live.scans(row);
    AttendeeRow {
        id: t.id.with_prefix("tkt"),
        order_id: ds.order_id(row),
        status: live.status[row as usize],
        attendee: ds.attendee(row),
        admission: RosterAdmission {
            id: adm.id.clone(),
            name: adm.name.clone(),
            entry_ends_at: adm.entry_ends_at.clone(),
        },
        section: ds.section_id(row).map(|id| RosterSection {
            id: id.to_string(),
            name: ev.event.sections[t.section as usize].name.clone(),
        }),
        last_scan: scans.last().map(|s| LastScan {
            kind: s.kind,
            scanned_at: s.scanned_at.clone(),
        }),
        last_check_in_at: scans
            .iter()
            .rev()
            .find(|s| s.kind == ScanKind::CheckIn)
            .map(|s| s.scanned_at.clone()),
    }
}

pub(crate) async fn attendees(
    State(sh): State<Arc<Shared>>,
    Caller(token): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    require_any(&token, "ticket.read")?;
    let q = Query::parse(raw.as_deref(), &ROSTER)?;
    let mut errors = FieldErrors::default();
    let event_id = q.id("eventId", "evt", &mut errors);
    if q.get("eventId").is_none() {
        errors.field("eventId", "Required");
    }
    let admission_ids = q.ids("admissionIds", "adm", &mut errors);
    let section_ids = q.ids("sectionIds", "sct", &mut errors);
    let needle = query_text(&q, &mut errors);
    errors.into_result()?;
    let limit = q.limit(100)?;
    let event_id = event_id.expect("validated above");
    token.require("ticket.read", Some(&event_id))?;

    let ds = &sh.dataset;
    let scope = format!("GET /tickets/attendees?{}", q.fingerprint());
    let start = match q.get("cursor") {
        Some(c) => sh.cursors.open(&scope, c)? as usize,
        None => 0,
    };
    let Some(e) = ds.event_index(&event_id) else {
        return Ok(super::page(
            &sh,
            &AttendeePage {
                tickets: vec![],
                before: None,
                after: None,
                limit: limit as u32,
            },
            limit,
        ));
    };
    let ev = &ds.events[e];
    let adm: Option<HashSet<u16>> = (!admission_ids.is_empty()).then(|| {
        ev.event
            .admissions
            .iter()
            .enumerate()
            .filter(|(_, a)| admission_ids.contains(&a.id))
            .map(|(i, _)| i as u16)
            .collect()
    });
    let sct: Option<HashSet<u16>> = (!section_ids.is_empty()).then(|| {
        ev.event
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| section_ids.contains(&s.id))
            .map(|(i, _)| i as u16)
            .collect()
    });
    let live = sh.live.read().expect("live lock");
    let (rows, next) = collect(&ev.by_name, start, limit, |row| {
        let t = &ds.tickets[row as usize];
        adm.as_ref().is_none_or(|a| a.contains(&t.admission))
            && sct.as_ref().is_none_or(|s| s.contains(&t.section))
            && needle.as_ref().is_none_or(|n| n.matches(ds, row))
    });
    let tickets = rows.iter().map(|&r| roster_row(ds, &live, r)).collect();
    drop(live);
    let after = next.map(|p| sh.cursors.issue(&scope, p as u64));
    Ok(super::page(
        &sh,
        &AttendeePage {
            tickets,
            before: None,
            after,
            limit: limit as u32,
        },
        limit,
    ))
}
