//! `idempotencyKey`: a retry replays the first answer, status and body, byte for byte.

use serde_json::json;
use session_api::TicketStatus;
use session_sim::Faults;

use crate::support::*;

async fn raw_check_in(api: &Api, key: &str, body: serde_json::Value) -> (u16, String) {
    let resp = api
        .put_as(&api.token, &format!("/tickets/{key}/check-in"), &body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn same_idempotency_key_replays_the_first_answer_and_never_becomes_noop_transition() {
    let api = start();
    let key = api.active_ticket(0);
    let body = json!({ "idempotencyKey": "scan-1", "deviceId": "door-1" });
    let first = raw_check_in(&api, &key, body.clone()).await;
    assert_eq!(first.0, 200, "{}", first.1);
    let again = raw_check_in(&api, &key, body.clone()).await;
    assert_eq!(again, first, "status and body replayed exactly");
    let third = raw_check_in(&api, &key, json!({ "idempotencyKey": "scan-1" })).await;
    assert_eq!(third, first);
    assert_eq!(
        api.sim.sim().ticket(&key).unwrap().scans.len(),
        1,
        "applied once"
    );
    // A new key for the same ticket is a new scan: NOOP_TRANSITION.
    assert_reason(
        &api.check_in(&key, json!({ "idempotencyKey": "scan-2" }))
            .await,
        "NOOP_TRANSITION",
    );
}

#[tokio::test]
async fn a_first_answer_that_was_a_400_is_replayed_as_that_400() {
    let api = start();
    let key = api.active_ticket(0);
    let first = api
        .check_in(
            &key,
            json!({ "eventId": api.event_id(1), "idempotencyKey": "k" }),
        )
        .await;
    assert_reason(&first, "EVENT_MISMATCH");
    let again = api
        .check_in(
            &key,
            json!({ "eventId": api.event_id(0), "idempotencyKey": "k" }),
        )
        .await;
    assert_eq!(again, first);
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn idempotency_key_reused_for_another_request_is_422() {
    let api = start();
    let (a, b) = (api.active_ticket(0), api.active_ticket(1));
    assert_eq!(
        api.check_in(&a, json!({ "idempotencyKey": "shared" }))
            .await
            .0,
        200
    );
    assert_field_error(
        &api.check_in(&b, json!({ "idempotencyKey": "shared" }))
            .await,
        "idempotencyKey",
    );
    assert_field_error(
        &api.check_out(&a, json!({ "idempotencyKey": "shared" }))
            .await,
        "idempotencyKey",
    );
    assert_eq!(api.status_of(&b), TicketStatus::Active);
}

#[tokio::test]
async fn idempotent_replay_after_commit_then_drop_returns_the_original_success() {
    let api = start();
    let key = api.active_ticket(0);
    let body = json!({ "idempotencyKey": "door-scan-77", "deviceId": "door-1", "eventId": api.event_id(0) });
    api.sim.set_faults(Faults {
        commit_then_drop_rate: 1.0,
        ..Faults::none()
    });
    let lost = api
        .put_as(&api.token, &format!("/tickets/{key}/check-in"), &body)
        .send()
        .await;
    assert!(
        lost.is_err(),
        "the connection closes with no answer: {lost:?}"
    );
    assert_eq!(
        api.status_of(&key),
        TicketStatus::Redeemed,
        "but the change was applied"
    );

    api.sim.set_faults(Faults::none());
    let (status, retry) = api.check_in(&key, body).await;
    assert_eq!(
        status, 200,
        "the retry gets the original success, not NOOP_TRANSITION: {retry}"
    );
    assert_eq!(retry["tickets"][0]["status"], json!("REDEEMED"));
    assert_eq!(retry["tickets"][0]["scans"].as_array().unwrap().len(), 1);
    assert_eq!(api.sim.sim().ticket(&key).unwrap().scans.len(), 1);
}

#[tokio::test]
async fn order_check_in_replay_after_commit_then_drop_returns_the_original_success() {
    let api = start();
    let order = api.active_order(2);
    let body = json!({ "idempotencyKey": "order-scan" });
    api.sim.set_faults(Faults {
        commit_then_drop_rate: 1.0,
        ..Faults::none()
    });
    assert!(api
        .put_as(
            &api.token,
            &format!("/tickets/{}/check-in", order.id),
            &body
        )
        .send()
        .await
        .is_err());
    api.sim.set_faults(Faults::none());
    let (status, retry) = api.check_in(&order.id, body).await;
    assert_eq!(status, 200, "{retry}");
    assert_eq!(
        retry["tickets"].as_array().unwrap().len(),
        order.ticket_ids.len()
    );
}
