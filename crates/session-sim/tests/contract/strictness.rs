//! Strict inputs: unknown fields, bad limits, forged cursors, malformed ids and bodies.

use serde_json::json;
use session_api::TicketStatus;

use crate::support::*;

#[tokio::test]
async fn unknown_query_field_is_rejected_with_422() {
    let api = start();
    let got = send(api.get(&format!(
        "/tickets?eventId={}&updatedSince=2026-01-01",
        api.event_id(0)
    )))
    .await;
    assert_field_error(&got, "updatedSince");
    assert!(got.1["data"]["formErrors"][0]
        .as_str()
        .unwrap()
        .contains("updatedSince"));
    let e = api.event_id(0);
    assert_field_error(
        &send(api.get(&format!("/tickets/attendees?eventId={e}&verbose=1"))).await,
        "verbose",
    );
    assert_field_error(&send(api.get("/events?sort=name")).await, "sort");
}

#[tokio::test]
async fn routes_whose_input_is_not_strict_ignore_unknown_query_keys() {
    let api = start();
    let e = api.event_id(0);
    assert_eq!(
        send(api.get(&format!("/events/{e}?verbose=1"))).await.0,
        200
    );
    assert_eq!(
        send(api.get(&format!("/events/{e}/performance/attendance?verbose=1")))
            .await
            .0,
        200
    );
    assert_eq!(send(api.get("/users/me?verbose=1")).await.0, 200);
}

#[tokio::test]
async fn declared_optional_inputs_are_accepted_and_checked() {
    let api = start();
    let e = api.event_id(0);
    let id = api.active_ticket(0);
    let sig = "0123456789abcdef";
    assert_eq!(
        send(api.get(&format!("/tickets/{id}?signature={sig}")))
            .await
            .0,
        200
    );
    assert_field_error(
        &send(api.get(&format!("/tickets/{id}?signature=short"))).await,
        "signature",
    );
    assert_eq!(
        send(api.get(&format!("/tickets?eventId={e}&orderSignature={sig}")))
            .await
            .0,
        200
    );
    assert_field_error(
        &send(api.get(&format!("/tickets?eventId={e}&orderSignature=x"))).await,
        "orderSignature",
    );
    let got = send(api.get(&format!(
        "/events?approval=APPROVED&visibility=PUBLIC&teamId={}&featured=false&genres[0]=Techno",
        session_sim::demo::TEAM_ID
    )))
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert!(
        got.1["events"].as_array().unwrap().is_empty(),
        "no event has genres"
    );
    assert_field_error(&send(api.get("/events?genres[0]=Polka")).await, "genres");
    assert_field_error(
        &send(api.get("/events?visibility=CANCELLED")).await,
        "visibility",
    );
}

#[tokio::test]
async fn unknown_body_field_is_rejected_with_422_and_nothing_changes() {
    let api = start();
    let key = api.active_ticket(0);
    let got = api
        .check_in(&key, json!({ "scannedAt": "2026-11-28T20:00:00.000Z" }))
        .await;
    assert_field_error(&got, "scannedAt");
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn wrongly_typed_body_fields_are_rejected_with_422() {
    let api = start();
    let key = api.active_ticket(0);
    assert_field_error(
        &api.check_in(&key, json!({ "eventId": 12 })).await,
        "eventId",
    );
    assert_field_error(
        &api.check_in(&key, json!({ "eventId": "evt_short" })).await,
        "eventId",
    );
    assert_field_error(
        &api.check_in(&key, json!({ "allowPartialOrderCheckIn": "yes" }))
            .await,
        "allowPartialOrderCheckIn",
    );
    assert_field_error(
        &api.check_in(
            &key,
            json!({ "admissionIds": ["sct_01jzzzzzzzzzzzzzzzzzzzzzzz"] }),
        )
        .await,
        "admissionIds",
    );
    assert_field_error(
        &api.check_in(&key, json!({ "idempotencyKey": "" })).await,
        "idempotencyKey",
    );
    assert_field_error(
        &api.check_in(&key, json!({ "idempotencyKey": "k".repeat(256) }))
            .await,
        "idempotencyKey",
    );
    assert_field_error(
        &api.check_in(&key, json!({ "deviceId": null })).await,
        "deviceId",
    );
    assert_error(
        &api.check_in(&key, json!(["not", "an", "object"])).await,
        422,
        "INPUT_VALIDATION_FAILED",
    );
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn malformed_json_body_is_400() {
    let api = start();
    let key = api.active_ticket(0);
    let req = api
        .client
        .put(api.url(&format!("/tickets/{key}/check-in")))
        .header("x-tenant-id", session_sim::demo::TENANT_ID)
        .bearer_auth(&api.token)
        .body("{\"eventId\":");
    assert_undeclared(&send(req).await, 400, "BAD_REQUEST");
}

#[tokio::test]
async fn device_id_is_any_string_and_idempotency_key_is_trimmed_first() {
    let api = start();
    let key = api.active_ticket(0);
    assert_field_error(
        &api.check_in(&key, json!({ "idempotencyKey": "   " })).await,
        "idempotencyKey",
    );
    let long = "d".repeat(1_000);
    let (status, body) = api
        .check_in(&key, json!({ "deviceId": long, "idempotencyKey": " k1 " }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tickets"][0]["scans"][0]["deviceId"], json!(long));
    let again = api.check_in(&key, json!({ "idempotencyKey": "k1" })).await;
    assert_eq!(again.0, 200, "the trimmed key replays: {}", again.1);
}

#[tokio::test]
async fn limit_outside_1_to_100_is_rejected_with_422() {
    let api = start();
    let e = api.event_id(0);
    for bad in ["0", "101", "-1", "ten"] {
        assert_field_error(
            &send(api.get(&format!("/tickets?eventId={e}&limit={bad}"))).await,
            "limit",
        );
        assert_field_error(
            &send(api.get(&format!("/tickets/attendees?eventId={e}&limit={bad}"))).await,
            "limit",
        );
    }
    for good in ["1", "100"] {
        assert_eq!(
            send(api.get(&format!("/tickets?eventId={e}&limit={good}")))
                .await
                .0,
            200
        );
    }
}

#[tokio::test]
async fn forged_or_garbage_cursor_is_rejected_with_422() {
    use base64::Engine;
    let api = start();
    let e = api.event_id(0);
    assert_field_error(
        &send(api.get(&format!("/tickets?eventId={e}&cursor=garbage"))).await,
        "cursor",
    );
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"p":40,"m":"AAAAAAAAAAAAAAAA"}"#);
    assert_field_error(
        &send(api.get(&format!("/tickets?eventId={e}&cursor={forged}"))).await,
        "cursor",
    );
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"offset":40}"#);
    assert_field_error(
        &send(api.get(&format!("/tickets?eventId={e}&cursor={forged}"))).await,
        "cursor",
    );
}

#[tokio::test]
async fn cursor_of_another_query_is_rejected_with_422() {
    let api = start();
    let e = api.event_id(0);
    let (_, page) = send(api.get(&format!("/tickets?eventId={e}&limit=5"))).await;
    let cursor = page["after"].as_str().unwrap().to_string();
    assert_eq!(
        send(api.get(&format!("/tickets?eventId={e}&limit=7&cursor={cursor}")))
            .await
            .0,
        200
    );
    let got = send(api.get(&format!(
        "/tickets?eventId={e}&status=ACTIVE&cursor={cursor}"
    )))
    .await;
    assert_field_error(&got, "cursor");
}

#[tokio::test]
async fn ticket_list_needs_a_filter_and_a_known_status_but_takes_any_id_text() {
    let api = start();
    let got = send(api.get("/tickets")).await;
    assert_error(&got, 422, "INPUT_VALIDATION_FAILED");
    assert!(!got.1["data"]["formErrors"].as_array().unwrap().is_empty());
    // The contract types these filters as plain strings: no match, an empty page.
    for filter in ["eventId=evt_nope", "orderId=tkt_01jzzzzzzzzzzzzzzzzzzzzzzz"] {
        let (status, body) = send(api.get(&format!("/tickets?{filter}"))).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["tickets"].as_array().unwrap().is_empty());
    }
    assert_field_error(
        &send(api.get(&format!("/tickets?eventId={}&status=USED", api.event_id(0)))).await,
        "status",
    );
}

#[tokio::test]
async fn attendee_arrays_need_bracket_notation_and_an_event() {
    let api = start();
    let e = api.event_id(0);
    let adm = api.ds().event(0).unwrap().admissions[0].id.clone();
    assert_field_error(
        &send(api.get(&format!(
            "/tickets/attendees?eventId={e}&admissionIds={adm}"
        )))
        .await,
        "admissionIds",
    );
    assert_field_error(
        &send(api.get(&format!("/tickets/attendees?admissionIds[0]={adm}"))).await,
        "eventId",
    );
    assert_field_error(
        &send(api.get(&format!(
            "/tickets/attendees?eventId={e}&admissionIds[0]=adm_bad"
        )))
        .await,
        "admissionIds",
    );
}

#[tokio::test]
async fn malformed_or_unknown_key_is_404() {
    let api = start();
    assert_error(
        &api.check_in("not-a-ticket", json!({})).await,
        404,
        "NOT_FOUND",
    );
    assert_error(&send(api.get("/tickets/tkt_short")).await, 404, "NOT_FOUND");
    let unknown = "tkt_01jzzzzzzzzzzzzzzzzzzzzzzz";
    assert_error(&api.check_in(unknown, json!({})).await, 404, "NOT_FOUND");
    assert_error(
        &api.check_in("ord_01jzzzzzzzzzzzzzzzzzzzzzzz", json!({}))
            .await,
        404,
        "NOT_FOUND",
    );
    assert_error(
        &send(api.get(&format!("/tickets/{unknown}"))).await,
        404,
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn unknown_route_and_wrong_method_use_the_undeclared_error_body() {
    let api = start();
    assert_undeclared(&send(api.get("/orders")).await, 404, "NOT_FOUND");
    let got = send(
        api.client
            .post(api.url("/events"))
            .header("x-tenant-id", session_sim::demo::TENANT_ID),
    )
    .await;
    assert_undeclared(&got, 405, "METHOD_NOT_SUPPORTED");
}

#[tokio::test]
async fn roster_takes_one_of_cursor_before_and_anchor_and_no_forged_one() {
    let api = start();
    let e = api.event_id(0);
    let (_, page) = send(api.get(&format!("/tickets/attendees?eventId={e}&limit=5"))).await;
    let c = page["after"].as_str().unwrap().to_string();
    let got = send(api.get(&format!(
        "/tickets/attendees?eventId={e}&cursor={c}&before={c}"
    )))
    .await;
    assert_error(&got, 422, "INPUT_VALIDATION_FAILED");
    assert_field_error(
        &send(api.get(&format!("/tickets/attendees?eventId={e}&anchor={c}"))).await,
        "anchor",
    );
    assert_field_error(
        &send(api.get(&format!("/tickets/attendees?eventId={e}&before=garbage"))).await,
        "before",
    );
}
