//! `GET /tickets`, `GET /tickets/{id}`, `GET /tickets/attendees`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use serde::Serialize;
use session_api::permission::Resource;
use session_api::TicketStatus;

use crate::auth::Caller;
use crate::dataset::{Dataset, EventData};
use crate::error::{Answer, ApiError, FieldErrors};
use crate::query::{Query, Shape};
use crate::server::Shared;
use crate::ticket_view::{RosterPageView, RosterView, TicketPageView, TicketView};

const LIST: Shape<'static> = Shape {
    scalars: &[
        "eventId",
        "orderId",
        "customerId",
        "promoterId",
        "status",
        "orderSignature",
        "query",
        "limit",
        "cursor",
    ],
    arrays: &[],
};

const ROSTER: Shape<'static> = Shape {
    scalars: &["eventId", "query", "limit", "cursor", "before", "anchor"],
    arrays: &["admissionIds", "sectionIds"],
};

/// Name, e-mail or phone search: case-insensitive substring; digits-only needles of three or
/// more also match the phone's digits. An empty needle matches everyone.
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
        let a = ds.attendee_parts(row);
        let full = format!("{} {}", a.first, a.last).to_lowercase();
        if full.contains(&self.text) || a.email.to_string().to_lowercase().contains(&self.text) {
            return true;
        }
        match (&self.digits, a.phone) {
            (Some(d), Some(p)) => p
                .to_string()
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .contains(d.as_str()),
            _ => false,
        }
    }
}

fn parse_status(q: &Query, errors: &mut FieldErrors) -> Option<TicketStatus> {
    match q.choice("status", &["ACTIVE", "REDEEMED", "CANCELLED"], errors)? {
        "ACTIVE" => Some(TicketStatus::Active),
        "REDEEMED" => Some(TicketStatus::Redeemed),
        _ => Some(TicketStatus::Cancelled),
    }
}

/// A signature the simulator does not check: exactly 16 characters, as the contract says.
fn signature(q: &Query, key: &str, errors: &mut FieldErrors) {
    if q.get(key).is_some_and(|s| s.chars().count() != 16) {
        errors.field(key, "Must be exactly 16 characters");
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

/// Walks `seq` backwards from just before `end`: up to `limit` matching rows (returned in
/// order), the position of the first of them, and whether any match lies before it.
fn collect_before(
    seq: &[u32],
    end: usize,
    limit: usize,
    mut keep: impl FnMut(u32) -> bool,
) -> (Vec<u32>, usize, bool) {
    let mut rows = Vec::with_capacity(limit);
    let mut first = end;
    for pos in (0..end.min(seq.len())).rev() {
        let row = seq[pos];
        if !keep(row) {
            continue;
        }
        if rows.len() == limit {
            rows.reverse();
            return (rows, first, true);
        }
        rows.push(row);
        first = pos;
    }
    rows.reverse();
    (rows, first, false)
}

/// The resource a list reads: the filtered event (an event the dataset does not hold is
/// still in the dataset's team), else the order's event, else the dataset's team and the
/// `promoterId` filter.
fn list_resource<'a>(
    ds: &'a Dataset,
    event_id: Option<&'a str>,
    order: Option<(u32, &'a str)>,
    promoter_id: Option<&'a str>,
) -> Resource<'a> {
    let known = event_id
        .and_then(|e| ds.event_index(e))
        .or_else(|| order.map(|(o, _)| ds.orders[o as usize].event as usize));
    let base = match known {
        Some(e) => super::event_resource(&ds.events[e]),
        None => Resource {
            team_id: Some(ds.team_id()),
            event_id,
            promoter_id,
            ..Resource::default()
        },
    };
    Resource {
        order_id: order.map(|(_, id)| id),
        ..base
    }
}

pub(crate) async fn list(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    p.require_any("ticket.read")?;
    let q = Query::parse(raw.as_deref(), &LIST)?;
    let mut errors = FieldErrors::default();
    let status = parse_status(&q, &mut errors);
    signature(&q, "orderSignature", &mut errors);
    let filters = [
        "eventId",
        "orderId",
        "customerId",
        "promoterId",
        "status",
        "query",
    ];
    if filters.iter().all(|k| q.get(k).is_none()) {
        errors.form.push(
            "At least one filter is required: eventId, orderId, customerId, promoterId, status or query"
                .into(),
        );
    }
    errors.into_result()?;
    let limit = q.limit(20)?;
    let (event_id, order_id) = (q.get("eventId"), q.get("orderId"));
    let (customer_id, promoter_id) = (q.get("customerId"), q.get("promoterId"));
    let needle = q.get("query").map(Needle::new);

    let ds = &sh.dataset;
    let event_ix = event_id.map(|e| ds.event_index(e));
    let order_ix = order_id.map(|o| ds.order_row(o));
    let order = order_ix.flatten().zip(order_id);
    p.require(
        "ticket.read",
        &list_resource(ds, event_id, order, promoter_id),
    )?;

    let scope = format!("GET /tickets?{}", q.fingerprint());
    let cursor = q.get("cursor");
    let start = match cursor {
        Some(c) => sh.cursors.open(&scope, c)? as usize,
        None => 0,
    };
    let seq: Cow<'_, [u32]> = match (order_ix, event_ix) {
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
        !live.off_roster.contains(&row)
            && event_ix.is_none_or(|e| e == Some(ds.tickets[row as usize].event as usize))
            && customer_id.is_none_or(|c| ds.customer_id(row) == c)
            && promoter_id.is_none_or(|p| ds.promoter_id(row) == p)
            && status.is_none_or(|s| live.status[row as usize] == s)
            && needle.as_ref().is_none_or(|n| n.matches(ds, row))
    });
    let tickets = rows
        .iter()
        .map(|&r| TicketView::live(ds, &live, r))
        .collect();
    let after = super::next_cursor(&sh, &scope, next, cursor);
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

#[derive(Serialize)]
struct TicketEnvelope<'a> {
    ticket: TicketView<'a>,
}

pub(crate) async fn one(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    p.require_any("ticket.read")?;
    let q = Query::parse(
        raw.as_deref(),
        &Shape {
            scalars: &["signature"],
            arrays: &[],
        },
    )?;
    let mut errors = FieldErrors::default();
    signature(&q, "signature", &mut errors);
    errors.into_result()?;
    let ds = &sh.dataset;
    let live = sh.live.read().expect("live lock");
    let row = ds
        .ticket_row(&id)
        .filter(|r| !live.off_roster.contains(r))
        .ok_or_else(|| ApiError::not_found(format!("Ticket {id} not found")))?;
    let order_id = ds.order_id(row);
    p.require(
        "ticket.read",
        &super::ticket_resource(ds, row, &order_id, &id),
    )?;
    Ok(Answer::ok(&TicketEnvelope {
        ticket: TicketView::live(ds, &live, row),
    }))
}

/// The roster's scope, shared by `/tickets/attendees` and its index: the required `eventId`
/// and the optional `admissionIds` / `sectionIds` filters.
fn roster_scope(q: &Query, errors: &mut FieldErrors) -> (Option<String>, Vec<String>, Vec<String>) {
    let event_id = q.id("eventId", "evt", errors);
    if q.get("eventId").is_none() {
        errors.field("eventId", "Required");
    }
    let admission_ids = q.ids("admissionIds", "adm", errors);
    let section_ids = q.ids("sectionIds", "sct", errors);
    (event_id, admission_ids, section_ids)
}

pub(crate) async fn attendees(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    p.require_any("ticket.read")?;
    let q = Query::parse(raw.as_deref(), &ROSTER)?;
    let mut errors = FieldErrors::default();
    let (event_id, admission_ids, section_ids) = roster_scope(&q, &mut errors);
    let bookmarks: Vec<&str> = ["cursor", "before", "anchor"]
        .into_iter()
        .filter(|k| q.get(k).is_some())
        .collect();
    if bookmarks.len() > 1 {
        errors
            .form
            .push("cursor, before and anchor are mutually exclusive".into());
    }
    errors.into_result()?;
    let limit = q.limit(100)?;
    let event_id = event_id.expect("validated above");
    let ds = &sh.dataset;
    p.require(
        "ticket.read",
        &list_resource(ds, Some(&event_id), None, None),
    )?;
    let needle = q.get("query").map(Needle::new);

    let scope = format!("GET /tickets/attendees?{}", q.fingerprint());
    let open = |key: &str, scope: &str| -> Result<Option<usize>, ApiError> {
        match q.get(key) {
            None => Ok(None),
            Some(c) => sh
                .cursors
                .open(scope, c)
                .map(|p| Some(p as usize))
                .map_err(|_| ApiError::invalid_field(key, format!("Invalid {key}"))),
        }
    };
    let cursor = open("cursor", &scope)?;
    let before = open("before", &scope)?;
    let anchor = open("anchor", &format!("anchor {scope}"))?;
    let empty = |limit: usize| {
        super::page(
            &sh,
            &RosterPageView {
                tickets: vec![],
                before: None,
                after: None,
                limit: limit as u32,
            },
            0,
        )
    };
    let Some(e) = ds.event_index(&event_id) else {
        return Ok(empty(limit));
    };
    let ev = &ds.events[e];
    let slice = Slice::new(ev, &admission_ids, &section_ids);
    let live = sh.live.read().expect("live lock");
    let hidden: HashSet<u32> = sh
        .faults
        .hidden_rows()
        .iter()
        .filter_map(|id| ds.ticket_row(id))
        .collect();
    let keep = |row: u32| {
        slice.holds(ds, row)
            && !live.off_roster.contains(&row)
            && !hidden.contains(&row)
            && needle.as_ref().is_none_or(|n| n.matches(ds, row))
    };
    let issue = |pos: usize| sh.cursors.issue(&scope, pos as u64);
    let (rows, before_out, after) = match before {
        Some(end) => {
            let (rows, first, more) = collect_before(&ev.by_name, end, limit, keep);
            let after = (end < ev.by_name.len()).then(|| issue(end));
            (rows, more.then(|| issue(first)), after)
        }
        None => {
            let start = cursor.or(anchor).unwrap_or(0);
            let (rows, next) = collect(&ev.by_name, start, limit, keep);
            let before = (start > 0 && !rows.is_empty()).then(|| issue(start));
            let given = q.get("cursor");
            (rows, before, super::next_cursor(&sh, &scope, next, given))
        }
    };
    let tickets = rows
        .iter()
        .map(|&r| RosterView::new(ds, &live, r))
        .collect();
    Ok(super::page(
        &sh,
        &RosterPageView {
            tickets,
            before: before_out,
            after,
            limit: limit as u32,
        },
        limit / 3,
    ))
}

/// The admission and section filters of a roster walk, as indices of the event's tiers.
struct Slice {
    admissions: Option<HashSet<u16>>,
    sections: Option<HashSet<u16>>,
}

impl Slice {
    fn new(ev: &EventData, admission_ids: &[String], section_ids: &[String]) -> Slice {
        let pick = |ids: &[String], all: &mut dyn Iterator<Item = &str>| {
            (!ids.is_empty()).then(|| {
                all.enumerate()
                    .filter(|(_, id)| ids.iter().any(|x| x == id))
                    .map(|(i, _)| i as u16)
                    .collect()
            })
        };
        Slice {
            admissions: pick(
                admission_ids,
                &mut ev.wire.admissions.iter().map(|a| a.id.as_str()),
            ),
            sections: pick(
                section_ids,
                &mut ev.wire.sections.iter().map(|s| s.id.as_str()),
            ),
        }
    }

    fn holds(&self, ds: &Dataset, row: u32) -> bool {
        let t = &ds.tickets[row as usize];
        self.admissions
            .as_ref()
            .is_none_or(|a| a.contains(&t.admission))
            && self
                .sections
                .as_ref()
                .is_none_or(|s| s.contains(&t.section))
    }
}

const INDEX: Shape<'static> = Shape {
    scalars: &["eventId"],
    arrays: &["admissionIds", "sectionIds"],
};

/// The alpha bucket of a last name: its first letter, accents folded, upper case; `#` for
/// anything else.
fn bucket_of(last_name: &str) -> usize {
    let first = last_name
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    match crate::dataset::email_part(&first).bytes().next() {
        Some(b) if b.is_ascii_lowercase() => 1 + usize::from(b - b'a'),
        _ => 0,
    }
}

#[derive(Serialize)]
struct Bucket {
    key: String,
    count: u64,
    anchor: String,
}

#[derive(Serialize)]
struct Buckets {
    buckets: Vec<Bucket>,
}

/// `GET /tickets/attendees/index`: the non-empty alpha buckets (by the first letter of the
/// attendee's last name) of the roster under `admissionIds`/`sectionIds`, `#` first, each
/// with its rows' count and an anchor at its first row in roster order.
pub(crate) async fn attendee_index(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    RawQuery(raw): RawQuery,
) -> Result<Answer, ApiError> {
    p.require_any("ticket.read")?;
    let q = Query::parse(raw.as_deref(), &INDEX)?;
    let mut errors = FieldErrors::default();
    let (event_id, admission_ids, section_ids) = roster_scope(&q, &mut errors);
    errors.into_result()?;
    let event_id = event_id.expect("validated above");
    let ds = &sh.dataset;
    p.require(
        "ticket.read",
        &list_resource(ds, Some(&event_id), None, None),
    )?;
    let Some(e) = ds.event_index(&event_id) else {
        return Ok(Answer::ok(&Buckets { buckets: vec![] }));
    };
    let ev = &ds.events[e];
    let slice = Slice::new(ev, &admission_ids, &section_ids);
    // The roster's own scope with no query: an anchor opens only a walk of these filters.
    let scope = format!("anchor GET /tickets/attendees?{}", q.fingerprint());
    let mut found: [(u64, usize); 27] = [(0, usize::MAX); 27];
    let live = sh.live.read().expect("live lock");
    for (pos, &row) in ev.by_name.iter().enumerate() {
        if !slice.holds(ds, row) || live.off_roster.contains(&row) {
            continue;
        }
        let b = &mut found[bucket_of(ds.attendee_parts(row).last)];
        b.0 += 1;
        b.1 = b.1.min(pos);
    }
    let buckets = found
        .iter()
        .enumerate()
        .filter(|(_, (count, _))| *count > 0)
        .map(|(i, &(count, first))| Bucket {
            key: if i == 0 {
                "#".into()
            } else {
                char::from(b'A' + (i - 1) as u8).to_string()
            },
            count,
            anchor: sh.cursors.issue(&scope, first as u64),
        })
        .collect();
    Ok(Answer::ok(&Buckets { buckets }))
}
