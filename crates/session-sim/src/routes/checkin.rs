//! `PUT /tickets/{key}/check-in` and `/check-out`, by ticket or order key.
//!
//! Order of checks: 401 token → 403 no `ticket.scan` at all → 400 malformed JSON → 422
//! strict body → idempotent replay → 404 unknown key → 403 targeted permission (on the
//! body's `eventId`, else the ticket's event) → `EVENT_MISMATCH` → `FILTERED_OUT` →
//! `TICKET_CANCELLED` → `NOOP_TRANSITION` → `PARTIAL_ORDER_CONFIRMATION_REQUIRED` → applied.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;
use serde_json::{json, Map, Value};
use session_api::permission::Resource;
use session_api::{ids, reasons, CheckInRequest, ScanKind, TargetType, TicketStatus};

use crate::auth::{Caller, Principal};
use crate::dataset::Dataset;
use crate::error::{Answer, ApiError, FieldErrors};
use crate::live::{Live, Replay};
use crate::server::Shared;
use crate::ticket_view::TicketView;
use crate::time::now_ms;
use crate::wire;

use crate::TICKET_CANCELLED;

pub(crate) async fn check_in(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    transition(&sh, &p, &key, &body, ScanKind::CheckIn)
        .unwrap_or_else(|e| e.to_answer())
        .into_response()
}

pub(crate) async fn check_out(
    State(sh): State<Arc<Shared>>,
    Caller(p): Caller,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    transition(&sh, &p, &key, &body, ScanKind::CheckOut)
        .unwrap_or_else(|e| e.to_answer())
        .into_response()
}

/// Parses the body strictly: no unknown keys, no nulls, ids with the right prefix, an
/// `idempotencyKey` of 1 to 255 characters once trimmed (it is stored trimmed).
fn parse_body(body: &[u8]) -> Result<CheckInRequest, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(CheckInRequest::default());
    }
    let mut v: Value = serde_json::from_slice(body).map_err(|e| {
        // oRPC's own answer to a body it cannot parse: no route declares it.
        ApiError::bad_request(format!("Malformed JSON body: {e}")).undeclared()
    })?;
    let Some(obj) = v.as_object_mut() else {
        let mut e = FieldErrors::default();
        e.form.push("Expected an object".into());
        return Err(ApiError::validation(e));
    };
    let mut errors = FieldErrors::default();
    for (k, val) in obj.iter_mut() {
        match k.as_str() {
            "eventId" => match val.as_str() {
                Some(s) if ids::is_id("evt", s) => {}
                _ => errors.field(k, "Expected an event id (evt_ followed by 26 characters)"),
            },
            "deviceId" => {
                if !val.is_string() {
                    errors.field(k, "Expected a string");
                }
            }
            "idempotencyKey" => match val.as_str().map(str::trim) {
                Some(s) if (1..=255).contains(&s.chars().count()) => {
                    *val = Value::String(s.to_string());
                }
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
    errors.into_result()?;
    serde_json::from_value(v).map_err(|e| ApiError::invalid_field("body", e.to_string()))
}

fn transition(
    sh: &Shared,
    p: &Principal,
    key: &str,
    body: &[u8],
    kind: ScanKind,
) -> Result<Answer, ApiError> {
    p.require_any("ticket.scan")?;
    let req = parse_body(body)?;
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
    let (target, rows, order): (TargetType, Vec<u32>, Option<u32>) =
        if let Some(row) = ds.ticket_row(key) {
            (TargetType::Ticket, vec![row], None)
        } else if let Some(o) = ds.order_row(key) {
            (TargetType::Order, ds.order_rows(o).collect(), Some(o))
        } else {
            return Err(ApiError::not_found(format!("No ticket or order {key}")));
        };

    // The permission: on the ticket (or order), or on the event the body names.
    let first = rows[0];
    let order_id = ds.order_id(first);
    let ticket_id = (target == TargetType::Ticket).then_some(key);
    let own = super::ticket_resource(ds, first, &order_id, key);
    let resource = match req.event_id.as_deref() {
        Some(e) if e != ds.event_of(first).id() => {
            let base = match ds.event_index(e) {
                Some(i) => super::event_resource(&ds.events[i]),
                None => Resource {
                    team_id: Some(ds.team_id()),
                    event_id: Some(e),
                    ..Resource::default()
                },
            };
            Resource {
                order_id: Some(&order_id),
                ticket_id,
                ..base
            }
        }
        _ => Resource { ticket_id, ..own },
    };
    p.require("ticket.scan", &resource)?;

    let answer = decide(ds, &mut live, &p.token, target, &rows, order, &req, kind);
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

fn order_summary(ds: &Dataset, live: &Live, order: u32) -> wire::OrderSummary {
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
    wire::OrderSummary {
        id: ds.orders[order as usize].id.with_prefix("ord"),
        checked_in_count: checked_in as u32,
        items: by_admission
            .into_values()
            .map(|quantity| wire::OrderItem { quantity })
            .collect(),
    }
}

/// Success (200) of check-in and check-out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Success<'a> {
    tickets: Vec<TicketView<'a>>,
    target_type: TargetType,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<wire::OrderSummary>,
}

#[allow(
    clippy::too_many_arguments,
    reason = "one check-in's facts, gathered by the handler; the one caller passes them straight on"
)]
fn decide(
    ds: &Dataset,
    live: &mut Live,
    token: &crate::auth::Token,
    target: TargetType,
    rows: &[u32],
    order: Option<u32>,
    req: &CheckInRequest,
    kind: ScanKind,
) -> Answer {
    let event = &ds.event_of(rows[0]).wire.core;
    // Every reason's data carries `kind` and `targetType`.
    let base = |reason: &str| -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("reason".into(), json!(reason));
        m.insert("kind".into(), json!(kind));
        m.insert("targetType".into(), json!(target));
        m
    };
    // The contract declares FILTERED_OUT and PARTIAL_ORDER_CONFIRMATION_REQUIRED with kind
    // CHECK_IN only, and no TICKET_CANCELLED at all: those answers are `defined: false`.
    let declared = |reason: &str| match reason {
        reasons::NOOP_TRANSITION | reasons::EVENT_MISMATCH => true,
        reasons::FILTERED_OUT | reasons::PARTIAL_ORDER_CONFIRMATION_REQUIRED => {
            kind == ScanKind::CheckIn
        }
        _ => false,
    };
    let reject = |message: &str, mut data: Map<String, Value>, live: &Live, ticket: Option<u32>| {
        let reason = data["reason"].as_str().unwrap_or_default().to_string();
        if let Some(row) = ticket {
            data.insert("ticket".into(), TicketView::live(ds, live, row).to_value());
        }
        if let Some(o) = order {
            data.insert(
                "order".into(),
                serde_json::to_value(order_summary(ds, live, o)).expect("serialisable"),
            );
        }
        let mut e = ApiError::bad_request(message).with_data(Value::Object(data));
        if !declared(&reason) {
            e = e.undeclared();
        }
        e.to_answer()
    };
    let single = (target == TargetType::Ticket).then_some(rows[0]);

    if let Some(requested) = &req.event_id {
        if *requested != event.id {
            let mut data = base(reasons::EVENT_MISMATCH);
            data.insert("requestedEventId".into(), json!(requested));
            data.insert(
                "event".into(),
                serde_json::to_value(wire::MismatchEvent {
                    id: &event.id,
                    name: &event.name,
                    slug: &event.slug,
                    entry_starts_at: &event.entry_starts_at,
                    team_id: &event.team_id,
                })
                .expect("serialisable"),
            );
            return reject("The ticket belongs to another event", data, live, single);
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
        return reject(
            "Excluded by the admission or section filter",
            base(reasons::FILTERED_OUT),
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
        return reject(
            "The ticket is cancelled",
            base(TICKET_CANCELLED),
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
        let message = match kind {
            ScanKind::CheckIn => "Already checked in",
            ScanKind::CheckOut => "Not checked in",
        };
        return reject(
            message,
            base(reasons::NOOP_TRANSITION),
            live,
            single.or(already.first().copied()),
        );
    }
    if target == TargetType::Order
        && !already.is_empty()
        && req.allow_partial_order_check_in != Some(true)
    {
        return reject(
            "Some tickets of this order are already in: resend with allowPartialOrderCheckIn",
            base(reasons::PARTIAL_ORDER_CONFIRMATION_REQUIRED),
            live,
            already.first().copied(),
        );
    }

    let now = now_ms();
    for &r in &movable {
        live.record(r, kind, token, req.device_id.as_deref(), now);
    }
    let live: &Live = live;
    Answer::ok(&Success {
        tickets: movable
            .iter()
            .map(|&r| TicketView::live(ds, live, r))
            .collect(),
        target_type: target,
        order: order.map(|o| order_summary(ds, live, o)),
    })
}
