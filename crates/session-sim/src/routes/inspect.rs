//! Inspection for tests under `/__sim/` (no tenant, no token, no faults):
//! - `GET /__sim/tickets/{id}`: `{"ticket": …}` as it is now, with every scan;
//! - `GET /__sim/requests`: `{"requests": [{"route", "status", "count"}]}`;
//! - `POST /__sim/reset`: back to the dataset's initial state;
//! - `GET`/`PUT /__sim/faults`: the faults in force, as JSON ([`crate::Faults`]);
//! - `GET /__sim/journal`: the request journal, a JSON array of [`crate::JournalEntry`]
//!   (404 when the config keeps none); `DELETE /__sim/journal` clears it.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use serde_json::json;

use crate::error::{Answer, ApiError};
use crate::faults::Faults;
use crate::server::{Shared, Sim};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/tickets/{id}", get(ticket))
        .route("/requests", get(requests))
        .route("/reset", post(reset))
        .route("/faults", get(faults).put(set_faults))
        .route("/journal", get(journal).delete(clear_journal))
}

fn sim(sh: Arc<Shared>) -> Sim {
    Sim { shared: sh }
}

async fn ticket(State(sh): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Answer, ApiError> {
    let ticket = sim(sh)
        .ticket_json(&id)
        .ok_or_else(|| ApiError::not_found(format!("Ticket {id} not found")))?;
    Ok(Answer::ok(&json!({ "ticket": ticket })))
}

async fn journal(State(sh): State<Arc<Shared>>) -> Result<Answer, ApiError> {
    if sh.journal.is_none() {
        return Err(ApiError::not_found(
            "The journal is off (SimConfig::with_journal)",
        ));
    }
    Ok(Answer::ok(&sim(sh).journal()))
}

async fn clear_journal(State(sh): State<Arc<Shared>>) -> Answer {
    sim(sh).clear_journal();
    Answer::ok(&json!({ "cleared": true }))
}

async fn requests(State(sh): State<Arc<Shared>>) -> Answer {
    Answer::ok(&json!({ "requests": sim(sh).request_counts() }))
}

async fn reset(State(sh): State<Arc<Shared>>) -> Answer {
    sim(sh).reset();
    Answer::ok(&json!({ "reset": true }))
}

async fn faults(State(sh): State<Arc<Shared>>) -> Answer {
    Answer::ok(&sim(sh).faults())
}

async fn set_faults(State(sh): State<Arc<Shared>>, body: Bytes) -> Result<Answer, ApiError> {
    let faults: Faults = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid_field("body", e.to_string()))?;
    let s = sim(sh);
    s.set_faults(faults);
    Ok(Answer::ok(&s.faults()))
}
