//! The API routes, the tenant guard, request counting and the `/__sim/` inspection routes.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use serde::Serialize;
use session_api::ids;

use session_api::permission::Resource;

use crate::dataset::{Dataset, EventData};
use crate::error::{Answer, ApiError};
use crate::server::Shared;
use crate::{faults, journal};

mod account;
mod checkin;
mod events;
mod inspect;
mod tickets;

pub(crate) fn router(sh: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/events", get(events::list))
        .route("/events/{key}", get(events::one))
        .route("/events/{key}/admissions", get(events::admissions))
        .route("/events/{key}/sections", get(events::sections))
        .route(
            "/events/{key}/performance/attendance",
            get(account::attendance),
        )
        .route("/tickets", get(tickets::list))
        .route("/tickets/attendees", get(tickets::attendees))
        .route("/tickets/attendees/index", get(tickets::attendee_index))
        .route("/tickets/{id}", get(tickets::one))
        .route("/tickets/{key}/check-in", put(checkin::check_in))
        .route("/tickets/{key}/check-out", put(checkin::check_out))
        .route("/users/me", get(account::me))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(sh.clone(), tenant_guard))
        .layer(from_fn_with_state(sh.clone(), faults::inject))
        .layer(from_fn_with_state(sh.clone(), journal::record));
    Router::new()
        .nest("/__sim", inspect::router())
        .merge(api)
        .layer(from_fn_with_state(sh.clone(), count_requests))
        .with_state(sh)
}

/// `x-tenant-id` on every API request: missing or malformed is 400 (`defined: false`: no
/// route declares it), a well-formed tenant this simulator does not serve is 401 (the
/// credentials are not valid for it).
async fn tenant_guard(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let tenant = req
        .headers()
        .get("x-tenant-id")
        .map(|v| v.to_str().unwrap_or(""));
    match tenant {
        None => ApiError::bad_request("Missing x-tenant-id header")
            .with_data(serde_json::json!({ "header": "x-tenant-id" }))
            .undeclared()
            .into_response(),
        Some(t) if !ids::is_id("tnt", t) => ApiError::bad_request("Malformed x-tenant-id header")
            .with_data(serde_json::json!({ "header": "x-tenant-id" }))
            .undeclared()
            .into_response(),
        Some(t) if t != sh.tenant_id => {
            ApiError::unauthorized(format!("Unknown tenant {t}")).into_response()
        }
        Some(_) => next.run(req).await,
    }
}

/// Counts each request by route and status; a request whose connection a fault closed is
/// counted with status 0 (the guard's drop).
async fn count_requests(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("<unmatched>", |m| m.as_str());
    let mut tally = Tally {
        sh: sh.clone(),
        route: Some(format!("{} {}", req.method(), path)),
        status: 0,
    };
    let resp = next.run(req).await;
    tally.status = resp.status().as_u16();
    resp
}

struct Tally {
    sh: Arc<Shared>,
    route: Option<String>,
    status: u16,
}

impl Drop for Tally {
    fn drop(&mut self) {
        if let Some(route) = self.route.take() {
            self.sh.count(route, self.status);
        }
    }
}

/// No route: oRPC's 404, which no route declares.
async fn not_found() -> ApiError {
    ApiError::not_found("No such route").undeclared()
}

/// oRPC's 405, which no route declares.
async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ("METHOD_NOT_SUPPORTED", 405),
        "Method not allowed on this route",
    )
    .undeclared()
}

/// The `after` of a list page: a cursor for the next position, or (the repeat-cursor fault)
/// the very cursor the page was fetched with.
pub(crate) fn next_cursor(
    sh: &Shared,
    scope: &str,
    next: Option<usize>,
    given: Option<&str>,
) -> Option<String> {
    match given {
        Some(c) if sh.faults.repeat_cursor() => Some(c.to_string()),
        _ => next.map(|p| sh.cursors.issue(scope, p as u64)),
    }
}

/// Serialises a list response; with the legacy fault, `after` is renamed `cursor`.
pub(crate) fn page(sh: &Shared, value: &impl Serialize, items: usize) -> Answer {
    if !sh.faults.legacy_cursor_key() {
        return Answer::ok_sized(value, 256 + items * 2_000);
    }
    let mut v = serde_json::to_value(value).expect("serialisable");
    if let Some(obj) = v.as_object_mut() {
        if let Some(after) = obj.remove("after") {
            obj.insert("cursor".into(), after);
        }
    }
    Answer::ok(&v)
}

/// The permission resource of an event: its team, promoter, venue and id.
pub(crate) fn event_resource(data: &EventData) -> Resource<'_> {
    let c = &data.wire.core;
    Resource {
        team_id: Some(&c.team_id),
        promoter_id: Some(&c.promoter_id),
        venue_id: c.location.venue_id(),
        event_id: Some(&c.id),
        ..Resource::default()
    }
}

/// The permission resource of a ticket: its team and promoter, its event's venue and id,
/// its order and its own id (`order_id` and `ticket_id` are the row's, written out).
pub(crate) fn ticket_resource<'a>(
    ds: &'a Dataset,
    row: u32,
    order_id: &'a str,
    ticket_id: &'a str,
) -> Resource<'a> {
    Resource {
        team_id: Some(ds.ticket_team_id(row)),
        promoter_id: Some(ds.promoter_id(row)),
        order_id: Some(order_id),
        ticket_id: Some(ticket_id),
        ..event_resource(ds.event_of(row))
    }
}
