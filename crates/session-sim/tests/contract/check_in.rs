//! `PUT /tickets/{key}/check-in` by ticket and by order, and its four declared 400 reasons.

use serde_json::json;
use session_api::{CheckInResponse, ScanKind, TargetType, Ticket, TicketStatus};

use crate::support::*;

#[tokio::test]
async fn check_in_redeems_and_stamps_server_time_token_user_and_device() {
    let api = start();
    let key = api.active_ticket(0);
    let before = jiff::Timestamp::now();
    let (status, body) = api
        .check_in(
            &key,
            json!({ "eventId": api.event_id(0), "deviceId": "door-1" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let body_json = body.clone();
    let got: CheckInResponse = serde_json::from_value(body).unwrap();
    assert_eq!(got.target_type, TargetType::Ticket);
    assert_eq!(got.tickets.len(), 1);
    let t = &got.tickets[0];
    assert_eq!(t.status, TicketStatus::Redeemed);
    let scan = t.scans.last().unwrap();
    assert_eq!(scan.kind, ScanKind::CheckIn);
    assert_eq!(scan.device_id.as_deref(), Some("door-1"));
    assert_eq!(
        scan.scanned_by.as_ref().unwrap().first_name,
        session_sim::demo::USER_FIRST_NAME
    );
    let raw = &body_json["tickets"][0]["scans"][0];
    assert_eq!(raw["scannedById"], json!(session_sim::demo::USER_ID));
    assert_eq!(
        raw["scannedBy"]["email"],
        json!(session_sim::demo::USER_EMAIL)
    );
    assert!(session_api::ids::is_id("scn", raw["id"].as_str().unwrap()));
    let at: jiff::Timestamp = scan.scanned_at.parse().unwrap();
    assert!(
        at >= before
            .checked_sub(jiff::SignedDuration::from_millis(5))
            .unwrap()
    );
    assert!(
        scan.scanned_at.ends_with('Z') && scan.scanned_at.len() == 24,
        "UTC with ms: {}",
        scan.scanned_at
    );
    assert_eq!(api.status_of(&key), TicketStatus::Redeemed);
}

#[tokio::test]
async fn second_check_in_is_noop_transition_with_the_full_scan_history() {
    let api = start();
    let key = api.active_ticket(0);
    assert_eq!(
        api.check_in(&key, json!({ "deviceId": "door-1" })).await.0,
        200
    );
    let got = api.check_in(&key, json!({ "deviceId": "door-2" })).await;
    assert_reason(&got, "NOOP_TRANSITION");
    let data = &got.1["data"];
    assert_eq!(data["kind"], json!("CHECK_IN"));
    assert_eq!(data["targetType"], json!("ticket"));
    let t: Ticket = serde_json::from_value(data["ticket"].clone()).unwrap();
    assert_eq!(t.scans.len(), 1, "the failed scan adds nothing");
    assert_eq!(t.scans[0].device_id.as_deref(), Some("door-1"));
    assert!(t.scans[0].scanned_by.is_some());
}

#[tokio::test]
async fn ticket_already_redeemed_by_another_device_is_noop_transition_naming_that_device() {
    let api = start();
    let key = api.ds().ticket_ids(0, TicketStatus::Redeemed)[0].clone();
    let got = api.check_in(&key, json!({})).await;
    assert_reason(&got, "NOOP_TRANSITION");
    assert_eq!(
        got.1["data"]["ticket"]["scans"][0]["scannedById"],
        json!(session_sim::demo::OTHER_USER_ID)
    );
    assert!(got.1["data"]["ticket"]["scans"][0]["deviceId"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn a_scan_without_a_device_id_records_an_empty_string() {
    let api = start();
    let key = api.active_ticket(0);
    let (status, body) = api.check_in(&key, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tickets"][0]["scans"][0]["deviceId"], json!(""));
}

#[tokio::test]
async fn check_in_for_another_event_is_event_mismatch() {
    let api = start();
    let key = api.active_ticket(0);
    let other = api.event_id(1);
    let got = api.check_in(&key, json!({ "eventId": other })).await;
    assert_reason(&got, "EVENT_MISMATCH");
    let data = &got.1["data"];
    assert_eq!(data["requestedEventId"], json!(other));
    let ev = api.ds().event(0).unwrap();
    assert_eq!(data["event"]["id"], json!(ev.id));
    assert_eq!(data["event"]["name"], json!(ev.name));
    assert_eq!(data["event"]["slug"], json!(ev.slug));
    assert_eq!(data["event"]["entryStartsAt"], json!(ev.entry_starts_at));
    assert_eq!(data["event"]["teamId"], json!(session_sim::demo::TEAM_ID));
    assert_eq!(data["kind"], json!("CHECK_IN"));
    assert_eq!(data["targetType"], json!("ticket"));
    assert_eq!(data["ticket"]["id"], json!(key));
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn check_in_excluded_by_admission_or_section_filter_is_filtered_out() {
    let api = start();
    let ev = api.ds().event(0).unwrap().clone();
    let key = api.ds().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0].clone();
    let got = api
        .check_in(&key, json!({ "admissionIds": [ev.admissions[1].id] }))
        .await;
    assert_reason(&got, "FILTERED_OUT");
    assert_eq!(got.1["data"]["ticket"]["id"], json!(key));
    assert_eq!(got.1["data"]["kind"], json!("CHECK_IN"));
    // General Admission has no section, so any section filter excludes it.
    let got = api
        .check_in(&key, json!({ "sectionIds": [ev.sections[0].id] }))
        .await;
    assert_reason(&got, "FILTERED_OUT");
    assert_eq!(api.status_of(&key), TicketStatus::Active);
    let got = api
        .check_in(
            &key,
            json!({ "admissionIds": [ev.admissions[1].id, ev.admissions[0].id] }),
        )
        .await;
    assert_eq!(got.0, 200, "{}", got.1);
}

#[tokio::test]
async fn cancelled_ticket_check_in_is_an_undeclared_400_ticket_cancelled() {
    let api = start();
    let key = api.ds().ticket_ids(0, TicketStatus::Cancelled)[0].clone();
    let got = api.check_in(&key, json!({})).await;
    assert_undeclared_reason(&got, session_sim::TICKET_CANCELLED);
    let data = &got.1["data"];
    assert_eq!(data["kind"], json!("CHECK_IN"));
    assert_eq!(data["targetType"], json!("ticket"));
    assert_eq!(data["ticket"]["status"], json!("CANCELLED"));
    assert_eq!(api.status_of(&key), TicketStatus::Cancelled);
    // The client still reads it as the contract's error body with the reason.
    let e = session_api::ErrorBody::parse(400, got.1.to_string().as_bytes()).unwrap();
    assert!(!e.defined);
    assert_eq!(e.reason(), Some(session_sim::TICKET_CANCELLED));
}

#[tokio::test]
async fn order_check_in_admits_every_ticket_of_the_order() {
    let api = start();
    let order = api.active_order(3);
    let (status, body) = api
        .check_in(
            &order.id,
            json!({ "eventId": api.event_id(0), "deviceId": "d" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let got: CheckInResponse = serde_json::from_value(body).unwrap();
    assert_eq!(got.target_type, TargetType::Order);
    assert_eq!(got.tickets.len(), order.ticket_ids.len());
    let summary = got.order.unwrap();
    assert_eq!(summary.id, order.id);
    assert_eq!(
        summary.checked_in_count,
        Some(order.ticket_ids.len() as u32)
    );
    assert_eq!(
        summary
            .items
            .iter()
            .map(|i| i.quantity as usize)
            .sum::<usize>(),
        order.ticket_ids.len()
    );
    for id in &order.ticket_ids {
        assert_eq!(api.status_of(id), TicketStatus::Redeemed);
    }
}

#[tokio::test]
async fn order_with_some_tickets_in_requires_partial_confirmation_then_admits_the_rest() {
    let api = start();
    let order = api.active_order(3);
    let first = &order.ticket_ids[0];
    assert_eq!(api.check_in(first, json!({})).await.0, 200);

    let got = api.check_in(&order.id, json!({})).await;
    assert_reason(&got, "PARTIAL_ORDER_CONFIRMATION_REQUIRED");
    let data = &got.1["data"];
    assert_eq!(data["kind"], json!("CHECK_IN"));
    assert_eq!(data["targetType"], json!("order"));
    assert_eq!(data["ticket"]["id"], json!(first));
    assert_eq!(data["order"]["id"], json!(order.id));
    assert_eq!(data["order"]["checkedInCount"], json!(1));
    assert!(data["order"]["items"]
        .as_array()
        .is_some_and(|i| !i.is_empty()));
    assert_eq!(
        api.status_of(&order.ticket_ids[1]),
        TicketStatus::Active,
        "nothing applied without confirmation"
    );

    let (status, body) = api
        .check_in(&order.id, json!({ "allowPartialOrderCheckIn": true }))
        .await;
    assert_eq!(status, 200, "{body}");
    let got: CheckInResponse = serde_json::from_value(body).unwrap();
    assert_eq!(
        got.tickets.len(),
        order.ticket_ids.len() - 1,
        "only the rest is checked in"
    );
    assert!(got.tickets.iter().all(|t| &t.id != first));
    assert_eq!(
        got.order.unwrap().checked_in_count,
        Some(order.ticket_ids.len() as u32)
    );
}

#[tokio::test]
async fn order_fully_checked_in_is_noop_transition() {
    let api = start();
    let order = api.active_order(2);
    assert_eq!(api.check_in(&order.id, json!({})).await.0, 200);
    let got = api.check_in(&order.id, json!({})).await;
    assert_reason(&got, "NOOP_TRANSITION");
    assert_eq!(got.1["data"]["targetType"], json!("order"));
    assert_eq!(got.1["data"]["order"]["id"], json!(order.id));
}

#[tokio::test]
async fn order_check_in_for_another_event_is_event_mismatch_with_the_order() {
    let api = start();
    let order = api.active_order(2);
    let got = api
        .check_in(&order.id, json!({ "eventId": api.event_id(1) }))
        .await;
    assert_reason(&got, "EVENT_MISMATCH");
    assert_eq!(got.1["data"]["targetType"], json!("order"));
    assert_eq!(got.1["data"]["order"]["id"], json!(order.id));
}

#[tokio::test]
async fn every_order_reason_carries_kind_target_type_and_the_order() {
    let api = start();
    let ev = api.ds().event(0).unwrap().clone();
    let order = api.active_order(2);
    let none_of_them = ev
        .admissions
        .iter()
        .map(|a| a.id.clone())
        .find(|a| {
            order
                .ticket_ids
                .iter()
                .all(|t| api.sim.sim().ticket(t).unwrap().admission_id != *a)
        })
        .expect("an admission the order does not hold");
    let got = api
        .check_in(&order.id, json!({ "admissionIds": [none_of_them] }))
        .await;
    assert_reason(&got, "FILTERED_OUT");
    assert_eq!(got.1["data"]["targetType"], json!("order"));
    assert_eq!(got.1["data"]["order"]["id"], json!(order.id));
    assert!(
        got.1["data"].get("ticket").is_none(),
        "no single ticket for an order"
    );
}
