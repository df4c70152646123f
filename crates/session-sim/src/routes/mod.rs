//! The API routes, the tenant guard, request counting and the `/__sim/` inspection routes.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use serde::Serialize;
use session_api::ids;

use crate::error::{Answer, ApiError};
use crate::faults;
use crate::server::Shared;

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
        .route("/tickets/{id}", get(tickets::one))
        .route("/tickets/{key}/check-in", put(checkin::check_in))
        .route("/tickets/{key}/check-out", put(checkin::check_out))
        .route("/users/me", get(account::me))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(sh.clone(), tenant_guard))
        .layer(from_fn_with_state(sh.clone(), faults::inject));
    Router::new()
        .nest("/__sim", inspect::router())
        .merge(api)
        .layer(from_fn_with_state(sh.clone(), count_requests))
        .with_state(sh)
}

/// `x-tenant-id` on every API request: missing or malformed is 400, a well-formed tenant
/// this simulator does not serve is 401 (the credentials are not valid for it).
async fn tenant_guard(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let tenant = req
        .headers()
        .get("x-tenant-id")
        .map(|v| v.to_str().unwrap_or(""));
    match tenant {
        None => ApiError::bad_request("Missing x-tenant-id header")
            .with_data(serde_json::json!({ "header": "x-tenant-id" }))
            .into_response(),
        Some(t) if !ids::is_id("tnt", t) => ApiError::bad_request("Malformed x-tenant-id header")
            .with_data(serde_json::json!({ "header": "x-tenant-id" }))
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

async fn not_found() -> ApiError {
    ApiError::not_found("No such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ("METHOD_NOT_SUPPORTED", 405),
        "Method not allowed on this route",
    )
}

/// Serialises a list response; with the legacy fault, `after` is renamed `cursor`.
pub(crate) fn page(sh: &Shared, value: &impl Serialize, items: usize) -> Answer {
    if !sh.faults.legacy_cursor_key() {
        return Answer::ok_sized(value, 256 + items * 1_200);
    }
    let mut v = serde_json::to_value(value).expect("serialisable");
    if let Some(obj) = v.as_object_mut() {
        if let Some(after) = obj.remove("after") {
            obj.insert("cursor".into(), after);
        }
    }
    Answer::ok(&v)
}

/// 403 unless the caller has `node` at all; the resource-targeted check comes later.
pub(crate) fn require_any(token: &crate::auth::Token, node: &str) -> Result<(), ApiError> {
    if token.has_any(node) {
        Ok(())
    } else {
        Err(ApiError::forbidden(node))
    }
}
