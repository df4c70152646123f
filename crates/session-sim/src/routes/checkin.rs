//! `PUT /tickets/{key}/check-in` and `/check-out`, by ticket or order key.
//!
//! Order of checks: 401 token → 403 no `ticket.scan` at all → 400 malformed JSON → 422
//! strict body → 422 malformed key → idempotent replay → 404 unknown key → 403 targeted
//! permission (on the body's `eventId`, else the ticket's event) → `EVENT_MISMATCH` →
//! `FILTERED_OUT` → `TICKET_CANCELLED` → `NOOP_TRANSITION` →
//! `PARTIAL_ORDER_CONFIRMATION_REQUIRED` → applied.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{json, Value};
use session_api::{
    ids, reasons, CheckInRequest, CheckInResponse, OrderItem, OrderSummary, ScanKind, TargetType,
    TicketStatus,
};

use crate::auth::{Caller, Token};
use crate::dataset::Dataset;
use crate::error::{Answer, ApiError, FieldErrors};
use crate::live::{Live, Replay};
use crate::query::{Query, Shape};
use crate::server::Shared;
use crate::time::now_ms;

use crate::TICKET_CANCELLED;

pub(crate) async fn check_in(
    State(sh): State<Arc<Shared>>,
    caller: Caller,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    transition(
        &sh,
        &caller.0,
        &key,
        raw.as_deref(),
        &body,
        ScanKind::CheckIn,
    )
    .unwrap_or_else(|e| e.to_answer())
    .into_response()
}

pub(crate) async fn check_out(
    State(sh): State<Arc<Shared>>,
    caller: Caller,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    transition(
        &sh,
        &caller.0,
        &key,
        raw.as_deref(),
        &body,
        ScanKind::CheckOut,
    )
    .unwrap_or_else(|e| e.to_answer())
    .into_response()
}

const BODY_KEYS: &[&str] = &[
    "eventId",
    "deviceId",
    "idempotencyKey",
    "allowPartialOrderCheckIn",
    "admissionIds",
    "sectionIds",
];

/// Parses the body strictly: no unknown keys, no nulls, ids with the right prefix.
fn parse_body(body: &[u8]) -> Result<CheckInRequest, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(CheckInRequest::default());
    }
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))?;
    let Some(obj) = v.as_object() else {
        let mut e = FieldErrors::default();
        e.form.push("Expected an object".into());
        return Err(ApiError::validation(e));
    };
    let mut errors = FieldErrors::default();
    for (k, val) in obj {
        match k.as_str() {
            "eventId" => match val.as_str() {
                Some(s) if ids::is_id("evt", s) => {}
                _ => errors.field(k, "Expected an event id (evt_ followed by 26 characters)"),
            },
            "deviceId" => match val.as_str() {
                Some(s) if s.len() <= 255 => {}
                _ => errors.field(k, "Expected a string of at most 255 characters"),
            },
            "idempotencyKey" => match val.as_str() {
                Some(s) if (1..=255).contains(&s.len()) => {}
                _ => errors.field(k, "Expected a string of 1 to 255 characters"),
            },
            "allowPartialOrderCheckIn" => {
                if !val.is_boolean() {
                    errors.field(k, "Expected a boolean");
                }
            }
            "admissionIds" | "sectionIds" => {
                let prefix = if k == "admissionIds" { "adm" } else { "sct" };
                match val.as_array() {
                    Some(items)
                        if items
                            .iter()
                            .all(|i| i.as_str().is_some_and(|s| ids::is_id(prefix, s))) => {}
                    _ => errors.field(k, format!("Expected an array of {prefix}_ ids")),
                }
            }
            _ => errors.unknown_key(k),
        }
    }
    debug_assert!(BODY_KEYS.len() == 6);
    errors.into_result()?;
    serde_json::from_value(v).map_err(|e| ApiError::invalid_field("body", e.to_string()))
}

fn transition(
    sh: &Shared,
    token: &Token,
    key: &str,
    raw_query: Option<&str>,
    body: &[u8],
    kind: ScanKind,
) -> Result<Answer, ApiError> {
    super::require_any(token, "ticket.scan")?;
    Query::parse(
        raw_query,
        &Shape {
            scalars: &[],
            arrays: &[],
        },
    )?;
    let req = parse_body(body)?;
    let target = if ids::is_id("tkt", key) {
        TargetType::Ticket
    } else if ids::is_id("ord", key) {
        TargetType::Order
    } else {
        return Err(ApiError::invalid_field(
            "key",
            "Expected a ticket id (tkt_…) or an order id (ord_…)",
        ));
    };
    let request = format!("{} {key}", kind.as_str());
    let ds = &sh.dataset;
    let mut live = sh.live.write().expect("live lock");
    if let Some(k) = &req.idempotency_key {
        if let Some(replay) = live.idempotency.get(k) {
            if replay.request == request {
                return Ok(replay.answer.clone());
            }
            return Err(ApiError::invalid_field(
                "idempotencyKey",
                "Already used for a different request",
            ));
        }
    }
    let (rows, order): (Vec<u32>, Option<u32>) = match target {
        TargetType::Ticket => {
            let row = ds
                .ticket_row(key)
                .ok_or_else(|| ApiError::not_found(format!("Ticket {key} not found")))?;
            (vec![row], None)
        }
        TargetType::Order => {
            let o = ds
                .order_row(key)
                .ok_or_else(|| ApiError::not_found(format!("Order {key} not found")))?;
            (ds.order_rows(o).collect(), Some(o))
        }
    };
    let event = &ds.event_of(rows[0]).event;
    token.require(
        "ticket.scan",
        Some(req.event_id.as_deref().unwrap_or(&event.id)),
    )?;

    let answer = decide(ds, &mut live, token, target, &rows, order, &req, kind);
    if let Some(k) = req.idempotency_key {
        live.idempotency.insert(
            k,
            Replay {
                request,
                answer: answer.clone(),
            },
        );
    }
    Ok(answer)
}

fn order_summary(ds: &Dataset, live: &Live, order: u32) -> OrderSummary {
    let rows = ds.order_rows(order);
    let checked_in = rows
        .clone()
        .filter(|&r| live.status[r as usize] == TicketStatus::Redeemed)
        .count();
    let mut by_admission: BTreeMap<u16, u32> = BTreeMap::new();
    for r in rows {
        *by_admission
            .entry(ds.tickets[r as usize].admission)
            .or_default() += 1;
    }
    OrderSummary {
        id: ds.orders[order as usize].id.with_prefix("ord"),
        checked_in_count: Some(checked_in as u32),
        items: by_admission
            .into_values()
            .map(|quantity| OrderItem { quantity })
            .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn decide(
    ds: &Dataset,
    live: &mut Live,
    token: &Token,
    target: TargetType,
    rows: &[u32],
    order: Option<u32>,
    req: &CheckInRequest,
    kind: ScanKind,
) -> Answer {
    let event = &ds.event_of(rows[0]).event;
    let order_json = |live: &Live| {
        order.map(|o| serde_json::to_value(order_summary(ds, live, o)).expect("serialisable"))
    };
    let ticket_json =
        |live: &Live, row: u32| serde_json::to_value(live.ticket(ds, row)).expect("serialisable");
    let target_str = match target {
        TargetType::Ticket => "ticket",
        TargetType::Order => "order",
    };
    let reject = |message: &str,
                  mut data: serde_json::Map<String, Value>,
                  live: &Live,
                  ticket: Option<u32>| {
        if let Some(row) = ticket {
            data.insert("ticket".into(), ticket_json(live, row));
        }
        if let Some(o) = order_json(live) {
            data.insert("order".into(), o);
        }
        ApiError::bad_request(message)
            .with_data(Value::Object(data))
            .to_answer()
    };
    let single = (target == TargetType::Ticket).then_some(rows[0]);

    if let Some(requested) = &req.event_id {
        if *requested != event.id {
            let data = json!({
                "reason": reasons::EVENT_MISMATCH,
                "requestedEventId": requested,
                "event": { "id": event.id, "name": event.name, "slug": event.slug, "entryStartsAt": event.entry_starts_at },
            });
            return reject(
                "The ticket belongs to another event",
                into_map(data),
                live,
                single,
            );
        }
    }

    let admissions = req.admission_ids.as_deref();
    let sections = req.section_ids.as_deref();
    let selected: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&r| {
            admissions.is_none_or(|a| a.iter().any(|id| id == ds.admission_id(r)))
                && sections.is_none_or(|s| {
                    ds.section_id(r)
                        .is_some_and(|sid| s.iter().any(|id| id == sid))
                })
        })
        .collect();
    if selected.is_empty() {
        let data = json!({ "reason": reasons::FILTERED_OUT });
        return reject(
            "Excluded by the admission or section filter",
            into_map(data),
            live,
            single,
        );
    }

    let (from, to) = match kind {
        ScanKind::CheckIn => (TicketStatus::Active, TicketStatus::Redeemed),
        ScanKind::CheckOut => (TicketStatus::Redeemed, TicketStatus::Active),
    };
    let eligible: Vec<u32> = selected
        .iter()
        .copied()
        .filter(|&r| live.status[r as usize] != TicketStatus::Cancelled)
        .collect();
    if eligible.is_empty() {
        let data = json!({ "reason": TICKET_CANCELLED, "kind": kind, "targetType": target_str });
        return reject(
            "The ticket is cancelled",
            into_map(data),
            live,
            single.or(selected.first().copied()),
        );
    }
    let movable: Vec<u32> = eligible
        .iter()
        .copied()
        .filter(|&r| live.status[r as usize] == from)
        .collect();
    let already: Vec<u32> = eligible
        .iter()
        .copied()
        .filter(|&r| live.status[r as usize] == to)
        .collect();
    if movable.is_empty() {
        let data =
            json!({ "reason": reasons::NOOP_TRANSITION, "kind": kind, "targetType": target_str });
        let message = match kind {
            ScanKind::CheckIn => "Already checked in",
            ScanKind::CheckOut => "Not checked in",
        };
        return reject(
            message,
            into_map(data),
            live,
            single.or(already.first().copied()),
        );
    }
    if target == TargetType::Order
        && !already.is_empty()
        && req.allow_partial_order_check_in != Some(true)
    {
        let data = json!({ "reason": reasons::PARTIAL_ORDER_CONFIRMATION_REQUIRED });
        return reject(
            "Some tickets of this order are already in: resend with allowPartialOrderCheckIn",
            into_map(data),
            live,
            already.first().copied(),
        );
    }

    let now = now_ms();
    for &r in &movable {
        live.record(r, kind, token, req.device_id.as_deref(), now);
    }
    let response = CheckInResponse {
        tickets: movable.iter().map(|&r| live.ticket(ds, r)).collect(),
        target_type: target,
        order: order.map(|o| order_summary(ds, live, o)),
    };
    Answer::ok(&response)
}

fn into_map(v: Value) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
