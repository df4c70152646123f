//! Tenant header, bearer tokens and permission nodes.

use serde_json::json;
use session_sim::{demo, Token, TokenMembership};

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
        assert_undeclared(&got, 400, "BAD_REQUEST");
        assert_eq!(got.1["data"]["header"], json!("x-tenant-id"));
    }
    let key = api.active_ticket(0);
    let got = send(
        api.client
            .put(api.url(&format!("/tickets/{key}/check-in")))
            .bearer_auth(demo::SCAN_TOKEN),
    )
    .await;
    assert_undeclared(&got, 400, "BAD_REQUEST");
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
    assert_undeclared(&got, 400, "BAD_REQUEST");
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
async fn users_me_returns_the_user_and_one_membership_in_the_datasets_team() {
    let api = start();
    let (status, body) = send(api.get("/users/me")).await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["id"], json!(demo::USER_ID));
    assert_eq!(body["user"]["email"], json!(demo::USER_EMAIL));
    assert_eq!(body["isAdmin"], json!(false));
    let members = body["members"].as_array().unwrap();
    assert_eq!(members.len(), 1);
    let m = &members[0];
    assert_eq!(m["teamId"], json!(demo::TEAM_ID));
    assert_eq!(m["userId"], json!(demo::USER_ID));
    assert_eq!(m["user"]["firstName"], json!(demo::USER_FIRST_NAME));
    assert_eq!(m["permissions"], json!(demo::SCAN_PERMISSIONS));
    assert_eq!(m["isOwner"], json!(false));
    assert_eq!(m["tenantId"], json!(demo::TENANT_ID));
    let me: session_api::MeResponse = serde_json::from_value(body).unwrap();
    assert_eq!(me.user.unwrap().first_name, demo::USER_FIRST_NAME);
    let want: Vec<String> = demo::SCAN_PERMISSIONS
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(me.members[0].permissions, Some(want));
}

#[tokio::test]
async fn users_me_ignores_any_query_as_the_route_declares_no_input() {
    let api = start();
    assert_eq!(send(api.get("/users/me?verbose=1")).await.0, 200);
}

#[tokio::test]
async fn service_token_has_a_null_user_and_still_scans() {
    let config = session_sim::SimConfig::new(dataset())
        .with_token(Token::service("svc-token", &["ticket.scan", "ticket.read"]));
    let api = start_with(config);
    let (status, body) = send(api.get_as("svc-token", "/users/me")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], serde_json::Value::Null);
    assert_eq!(
        body["members"][0]["permissions"],
        json!(["ticket.scan", "ticket.read"])
    );
    let key = api.active_ticket(0);
    let got = send(api.put_as("svc-token", &format!("/tickets/{key}/check-in"), &json!({}))).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(
        got.1["tickets"][0]["scans"][0]["scannedBy"]["firstName"],
        json!("Service")
    );
}

#[tokio::test]
async fn several_memberships_are_listed_and_only_the_datasets_team_counts() {
    let other_team = "tem_01jzzzzzzzzzzzzzzzzzzzzzzz";
    let token = Token::with_derived_user("two-teams", &["ticket.read"])
        .with_membership(TokenMembership::in_team(other_team, &["*"]));
    let api = start_with(session_sim::SimConfig::new(dataset()).with_token(token));
    let (_, body) = send(api.get_as("two-teams", "/users/me")).await;
    let teams: Vec<&str> = body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["teamId"].as_str().unwrap())
        .collect();
    assert_eq!(teams, [demo::TEAM_ID, other_team]);
    let key = api.active_ticket(0);
    assert_error(
        &send(api.put_as("two-teams", &format!("/tickets/{key}/check-in"), &json!({}))).await,
        403,
        "FORBIDDEN",
    );
    assert_eq!(
        send(api.get_as("two-teams", &format!("/tickets/{key}")))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_deny_node_beats_a_wildcard_on_its_event_only() {
    let api = start();
    let first = api.event_id(0);
    let deny = format!("-ticket.scan.{first}");
    let token = Token::with_derived_user("denied", &["ticket.*", &deny]);
    let api2 = start_with(session_sim::SimConfig::new(dataset()).with_token(token));
    let mine = api.active_ticket(0);
    let theirs = api.ds().ticket_ids(1, session_api::TicketStatus::Active)[0].clone();
    let got = send(api2.put_as("denied", &format!("/tickets/{mine}/check-in"), &json!({}))).await;
    assert_error(&got, 403, "FORBIDDEN");
    assert_eq!(
        got.1["data"]["permission"],
        json!(format!("ticket.scan.{first}"))
    );
    let got = send(api2.put_as("denied", &format!("/tickets/{theirs}/check-in"), &json!({}))).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(
        send(api2.get_as("denied", &format!("/tickets/{mine}")))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn promoter_and_order_targeted_nodes_cover_only_their_tickets() {
    let api = start();
    let order = api.active_order(2);
    let other = api
        .ds()
        .orders()
        .find(|o| o.id != order.id && o.event_id == order.event_id)
        .unwrap();
    let node = format!("ticket.scan.{}", order.id);
    let token = Token::with_derived_user("one-order", &[&node]);
    let api2 = start_with(session_sim::SimConfig::new(dataset()).with_token(token));
    let got = send(api2.put_as(
        "one-order",
        &format!("/tickets/{}/check-in", order.ticket_ids[0]),
        &json!({}),
    ))
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let got = send(api2.put_as(
        "one-order",
        &format!("/tickets/{}/check-in", other.ticket_ids[0]),
        &json!({}),
    ))
    .await;
    assert_error(&got, 403, "FORBIDDEN");
    // The order key itself: the node names the order.
    let got = send(api2.put_as(
        "one-order",
        &format!("/tickets/{}/check-in", order.id),
        &json!({
            "allowPartialOrderCheckIn": true
        }),
    ))
    .await;
    assert_eq!(got.0, 200, "{}", got.1);

    let promoter = api.sim.sim().ticket_json(&order.ticket_ids[0]).unwrap()["promoterId"]
        .as_str()
        .unwrap()
        .to_string();
    let node = format!("ticket.read.{promoter}");
    let token = Token::with_derived_user("one-promoter", &[&node]);
    let api3 = start_with(session_sim::SimConfig::new(dataset()).with_token(token));
    let all = api.ds().ticket_ids(0, session_api::TicketStatus::Active);
    let mut seen = (false, false);
    for id in all.iter().take(60) {
        let theirs = api.sim.sim().ticket_json(id).unwrap()["promoterId"] == json!(promoter);
        let got = send(api3.get_as("one-promoter", &format!("/tickets/{id}"))).await;
        if theirs {
            assert_eq!(got.0, 200, "{}", got.1);
            seen.0 = true;
        } else {
            assert_error(&got, 403, "FORBIDDEN");
            seen.1 = true;
        }
    }
    assert!(seen.0 && seen.1, "both kinds of ticket among the first 60");
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
