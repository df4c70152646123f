//! `/__sim/`: ticket state, request counts, reset.

use serde_json::json;
use session_api::{TicketEnvelope, TicketStatus};

use crate::support::*;

#[tokio::test]
async fn sim_ticket_shows_the_current_state_with_scans_without_tenant_or_token() {
    let api = start();
    let key = api.active_ticket(0);
    assert_eq!(api.check_in(&key, json!({ "deviceId": "x" })).await.0, 200);
    let (status, body) = send(api.client.get(api.url(&format!("/__sim/tickets/{key}")))).await;
    assert_eq!(status, 200);
    let t: TicketEnvelope = serde_json::from_value(body).unwrap();
    assert_eq!(t.ticket.status, TicketStatus::Redeemed);
    assert_eq!(t.ticket.scans[0].device_id.as_deref(), Some("x"));
}

#[tokio::test]
async fn request_counts_are_kept_by_route_and_status() {
    let api = start();
    let key = api.active_ticket(0);
    api.check_in(&key, json!({})).await;
    api.check_in(&key, json!({})).await;
    send(api.get("/users/me")).await;
    let (_, body) = send(api.client.get(api.url("/__sim/requests"))).await;
    let rows = body["requests"].as_array().unwrap();
    let count = |route: &str, status: u16| {
        rows.iter()
            .find(|r| r["route"] == json!(route) && r["status"] == json!(status))
            .map_or(0, |r| r["count"].as_u64().unwrap())
    };
    assert_eq!(count("PUT /tickets/{key}/check-in", 200), 1);
    assert_eq!(count("PUT /tickets/{key}/check-in", 400), 1);
    assert_eq!(count("GET /users/me", 200), 1);
    assert_eq!(
        api.sim
            .sim()
            .request_count("PUT /tickets/{key}/check-in", 400),
        1
    );
}

#[tokio::test]
async fn reset_restores_the_initial_state_and_forgets_idempotency_keys() {
    let api = start();
    let key = api.active_ticket(0);
    assert_eq!(
        api.check_in(&key, json!({ "idempotencyKey": "k" })).await.0,
        200
    );
    let (status, _) = send(api.client.post(api.url("/__sim/reset"))).await;
    assert_eq!(status, 200);
    assert_eq!(api.status_of(&key), TicketStatus::Active);
    assert!(api.sim.sim().ticket(&key).unwrap().scans.is_empty());
    assert!(api
        .sim
        .sim()
        .request_counts()
        .iter()
        .all(|c| !c.route.starts_with("PUT")));
    let (status, body) = api.check_in(&key, json!({ "idempotencyKey": "k" })).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn live_export_carries_the_current_scans_in_the_import_format() {
    let api = start();
    let key = api.active_ticket(0);
    assert_eq!(
        api.check_in(&key, json!({ "deviceId": "gate" })).await.0,
        200
    );
    let mut buf = Vec::new();
    api.sim.sim().write_import_json(0, &mut buf).unwrap();
    let file: session_api::ImportFile = serde_json::from_slice(&buf).unwrap();
    let t = file.tickets.iter().find(|t| t.id == key).unwrap();
    assert_eq!(t.status, TicketStatus::Redeemed);
    assert_eq!(t.scans[0].device_id.as_deref(), Some("gate"));
    assert_eq!(file.event.admissions.len(), 5);
    let mut initial = Vec::new();
    api.ds().write_import_json(0, &mut initial).unwrap();
    let initial: session_api::ImportFile = serde_json::from_slice(&initial).unwrap();
    assert_eq!(initial.tickets.len(), file.tickets.len());
    assert_eq!(
        initial.tickets.iter().find(|t| t.id == key).unwrap().status,
        TicketStatus::Active
    );
}
