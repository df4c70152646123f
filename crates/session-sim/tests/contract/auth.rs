//! Tenant header, bearer tokens and permission nodes.

use serde_json::json;
use session_sim::demo;

use crate::support::*;

#[tokio::test]
async fn missing_tenant_header_is_400_on_public_and_private_routes() {
    let api = start();
    for path in [
        "/events".to_string(),
        format!("/tickets?eventId={}", api.event_id(0)),
        "/users/me".into(),
    ] {
        let got = send(api.client.get(api.url(&path)).bearer_auth(demo::SCAN_TOKEN)).await;
        assert_error(&got, 400, "BAD_REQUEST");
        assert_eq!(got.1["data"]["header"], json!("x-tenant-id"));
    }
    let key = api.active_ticket(0);
    let got = send(
        api.client
            .put(api.url(&format!("/tickets/{key}/check-in")))
            .bearer_auth(demo::SCAN_TOKEN),
    )
    .await;
    assert_error(&got, 400, "BAD_REQUEST");
    assert_eq!(api.status_of(&key), session_api::TicketStatus::Active);
}

#[tokio::test]
async fn malformed_tenant_header_is_400() {
    let api = start();
    let got = send(
        api.client
            .get(api.url("/events"))
            .header("x-tenant-id", "acme"),
    )
    .await;
    assert_error(&got, 400, "BAD_REQUEST");
}

#[tokio::test]
async fn unknown_tenant_is_401() {
    let api = start();
    let other = "tnt_01jzzzzzzzzzzzzzzzzzzzzzzz";
    let got = send(
        api.client
            .get(api.url("/users/me"))
            .header("x-tenant-id", other)
            .bearer_auth(demo::SCAN_TOKEN),
    )
    .await;
    assert_error(&got, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn missing_bearer_token_is_401() {
    let api = start();
    let path = format!("/tickets?eventId={}", api.event_id(0));
    let got = send(
        api.client
            .get(api.url(&path))
            .header("x-tenant-id", demo::TENANT_ID),
    )
    .await;
    assert_error(&got, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn invalid_or_non_bearer_token_is_401() {
    let api = start();
    let got = send(api.get_as("not-a-token", "/users/me")).await;
    assert_error(&got, 401, "UNAUTHORIZED");
    let got = send(
        api.client
            .get(api.url("/users/me"))
            .header("x-tenant-id", demo::TENANT_ID)
            .header("authorization", format!("Basic {}", demo::SCAN_TOKEN)),
    )
    .await;
    assert_error(&got, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn token_without_ticket_read_cannot_list_tickets_and_gets_403() {
    let api = start();
    let path = format!("/tickets?eventId={}", api.event_id(0));
    assert_error(&send(api.get_as(SCAN_ONLY, &path)).await, 403, "FORBIDDEN");
    assert_error(&send(api.get_as(NOTHING, &path)).await, 403, "FORBIDDEN");
    let id = api.active_ticket(0);
    assert_error(
        &send(api.get_as(SCAN_ONLY, &format!("/tickets/{id}"))).await,
        403,
        "FORBIDDEN",
    );
}

#[tokio::test]
async fn token_without_ticket_scan_cannot_check_in_and_gets_403() {
    let api = start();
    let key = api.active_ticket(0);
    let got = send(api.put_as(READ_ONLY, &format!("/tickets/{key}/check-in"), &json!({}))).await;
    assert_error(&got, 403, "FORBIDDEN");
    assert_eq!(got.1["data"]["permission"], json!("ticket.scan"));
    assert_eq!(api.status_of(&key), session_api::TicketStatus::Active);
}

#[tokio::test]
async fn event_scoped_token_scans_and_reads_its_event_only() {
    let api = start();
    let first = api.event_id(0);
    let second = api.event_id(1);
    let mine = api.active_ticket(0);
    let theirs = api.ds().ticket_ids(1, session_api::TicketStatus::Active)[0].clone();

    let got = send(api.put_as(
        SCOPED,
        &format!("/tickets/{mine}/check-in"),
        &json!({ "eventId": first }),
    ))
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let got = send(api.put_as(SCOPED, &format!("/tickets/{theirs}/check-in"), &json!({}))).await;
    assert_error(&got, 403, "FORBIDDEN");
    assert_eq!(
        got.1["data"]["permission"],
        json!(format!("ticket.scan.{second}"))
    );

    assert_eq!(
        send(api.get_as(SCOPED, &format!("/tickets?eventId={first}")))
            .await
            .0,
        200
    );
    assert_error(
        &send(api.get_as(SCOPED, &format!("/tickets?eventId={second}"))).await,
        403,
        "FORBIDDEN",
    );
}

#[tokio::test]
async fn wildcard_and_star_tokens_read_and_scan() {
    let api = start();
    for (i, token) in [WILDCARD, STAR].into_iter().enumerate() {
        let key = api.active_ticket(i);
        let got = send(api.put_as(token, &format!("/tickets/{key}/check-in"), &json!({}))).await;
        assert_eq!(got.0, 200, "{token}: {}", got.1);
        let got = send(api.get_as(token, &format!("/tickets/{key}"))).await;
        assert_eq!(got.0, 200, "{token}: {}", got.1);
    }
}

#[tokio::test]
async fn users_me_returns_the_token_user_and_permissions() {
    let api = start();
    let (status, body) = send(api.get("/users/me")).await;
    assert_eq!(status, 200);
    let me: session_api::MeResponse = serde_json::from_value(body).unwrap();
    assert_eq!(me.user.id, demo::USER_ID);
    assert_eq!(me.user.memberships[0].permissions, demo::SCAN_PERMISSIONS);
}

#[tokio::test]
async fn public_event_reads_need_no_token() {
    let api = start();
    let got = send(
        api.client
            .get(api.url("/events"))
            .header("x-tenant-id", demo::TENANT_ID),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let path = format!("/events/{}", api.event_id(0));
    let got = send(
        api.client
            .get(api.url(&path))
            .header("x-tenant-id", demo::TENANT_ID),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
}
