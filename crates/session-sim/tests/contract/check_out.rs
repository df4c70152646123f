//! `PUT /tickets/{key}/check-out`: REDEEMED back to ACTIVE.

use serde_json::json;
use session_api::{CheckInResponse, ScanKind, TicketStatus};

use crate::support::*;

#[tokio::test]
async fn check_out_moves_redeemed_back_to_active_with_a_check_out_scan() {
    let api = start();
    let key = api.active_ticket(0);
    assert_eq!(api.check_in(&key, json!({ "deviceId": "in" })).await.0, 200);
    let (status, body) = api
        .check_out(
            &key,
            json!({ "deviceId": "out", "eventId": api.event_id(0) }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let got: CheckInResponse = serde_json::from_value(body).unwrap();
    let t = &got.tickets[0];
    assert_eq!(t.status, TicketStatus::Active);
    assert_eq!(t.scans.len(), 2);
    assert_eq!(t.scans[1].kind, ScanKind::CheckOut);
    assert_eq!(t.scans[1].device_id.as_deref(), Some("out"));
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn re_entry_is_check_out_then_check_in() {
    let api = start();
    let key = api.active_ticket(0);
    assert_eq!(api.check_in(&key, json!({})).await.0, 200);
    assert_eq!(api.check_out(&key, json!({})).await.0, 200);
    let (status, body) = api.check_in(&key, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tickets"][0]["scans"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn check_out_of_a_ticket_not_checked_in_is_noop_transition() {
    let api = start();
    let key = api.active_ticket(0);
    let got = api.check_out(&key, json!({})).await;
    assert_reason(&got, "NOOP_TRANSITION");
    assert_eq!(got.1["data"]["kind"], json!("CHECK_OUT"));
}

#[tokio::test]
async fn check_out_of_an_order_with_some_tickets_out_needs_confirmation() {
    let api = start();
    let order = api.active_order(3);
    assert_eq!(api.check_in(&order.id, json!({})).await.0, 200);
    assert_eq!(api.check_out(&order.ticket_ids[0], json!({})).await.0, 200);
    let got = api.check_out(&order.id, json!({})).await;
    // The contract types this reason for CHECK_IN only: on check-out it is undeclared.
    assert_undeclared_reason(&got, "PARTIAL_ORDER_CONFIRMATION_REQUIRED");
    assert_eq!(got.1["data"]["kind"], json!("CHECK_OUT"));
    assert_eq!(got.1["data"]["order"]["id"], json!(order.id));
    let (status, body) = api
        .check_out(&order.id, json!({ "allowPartialOrderCheckIn": true }))
        .await;
    assert_eq!(status, 200, "{body}");
    for id in &order.ticket_ids {
        assert_eq!(api.status_of(id), TicketStatus::Active);
    }
}

#[tokio::test]
async fn check_out_guards_event_and_cancelled_like_check_in() {
    let api = start();
    let key = api.ds().ticket_ids(0, TicketStatus::Redeemed)[0].clone();
    assert_reason(
        &api.check_out(&key, json!({ "eventId": api.event_id(1) }))
            .await,
        "EVENT_MISMATCH",
    );
    let cancelled = api.ds().ticket_ids(0, TicketStatus::Cancelled)[0].clone();
    assert_undeclared_reason(
        &api.check_out(&cancelled, json!({})).await,
        session_sim::TICKET_CANCELLED,
    );
}

#[tokio::test]
async fn check_out_filtered_out_is_undeclared_as_the_contract_types_it_check_in_only() {
    let api = start();
    let ev = api.ds().event(0).unwrap().clone();
    let key = api.ds().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0].clone();
    assert_eq!(api.check_in(&key, json!({})).await.0, 200);
    let got = api
        .check_out(&key, json!({ "admissionIds": [ev.admissions[1].id] }))
        .await;
    assert_undeclared_reason(&got, "FILTERED_OUT");
    assert_eq!(got.1["data"]["kind"], json!("CHECK_OUT"));
    assert_eq!(got.1["data"]["targetType"], json!("ticket"));
    assert_eq!(api.status_of(&key), TicketStatus::Redeemed);
}
