//! Fault injection: seeded, reproducible, settable per test and at runtime.

use std::time::{Duration, Instant};

use serde_json::json;
use session_api::{TicketPage, TicketStatus};
use session_sim::{Faults, Scripted, ScriptedBody};

use crate::support::*;

#[tokio::test]
async fn commit_then_drop_applies_the_change_but_gives_no_answer() {
    let api = start();
    let key = api.active_ticket(0);
    api.sim.set_faults(Faults {
        commit_then_drop_rate: 1.0,
        ..Faults::none()
    });
    let got = api
        .put_as(&api.token, &format!("/tickets/{key}/check-in"), &json!({}))
        .send()
        .await;
    assert!(got.is_err(), "{got:?}");
    assert_eq!(api.status_of(&key), TicketStatus::Redeemed);
    // Reads are not mutations: commit-then-drop leaves them alone.
    assert_eq!(send(api.get("/users/me")).await.0, 200);
}

#[tokio::test]
async fn reset_fault_closes_the_connection_before_anything_is_applied() {
    let api = start();
    let key = api.active_ticket(0);
    api.sim.set_faults(Faults {
        reset_rate: 1.0,
        ..Faults::none()
    });
    let got = api
        .put_as(&api.token, &format!("/tickets/{key}/check-in"), &json!({}))
        .send()
        .await;
    assert!(got.is_err(), "{got:?}");
    assert_eq!(api.status_of(&key), TicketStatus::Active);
    assert_eq!(
        api.sim
            .sim()
            .request_count("PUT /tickets/{key}/check-in", 0),
        1
    );
}

#[tokio::test]
async fn error_rates_give_500_and_503_with_the_error_body_and_apply_nothing() {
    let api = start();
    let key = api.active_ticket(0);
    api.sim.set_faults(Faults {
        error_503_rate: 1.0,
        ..Faults::none()
    });
    assert_error(
        &api.check_in(&key, json!({})).await,
        503,
        "SERVICE_UNAVAILABLE",
    );
    api.sim.set_faults(Faults {
        error_500_rate: 1.0,
        ..Faults::none()
    });
    assert_error(
        &api.check_in(&key, json!({})).await,
        500,
        "INTERNAL_SERVER_ERROR",
    );
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn faults_are_reproducible_for_a_seed() {
    let api = start();
    let faults = Faults {
        seed: 99,
        error_503_rate: 0.3,
        error_500_rate: 0.1,
        ..Faults::none()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        api.sim.set_faults(faults.clone());
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(send(api.get("/users/me")).await.0);
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(
        runs[0].contains(&200) && runs[0].contains(&503) && runs[0].contains(&500),
        "{:?}",
        runs[0]
    );
    api.sim.set_faults(Faults {
        seed: 100,
        ..faults
    });
    let mut other = Vec::new();
    for _ in 0..40 {
        other.push(send(api.get("/users/me")).await.0);
    }
    assert_ne!(other, runs[0], "another seed, another sequence");
}

#[tokio::test]
async fn above_the_rate_limit_the_answer_is_429_with_retry_after() {
    let api = start();
    api.sim.set_faults(Faults {
        rate_limit_per_sec: 5,
        retry_after_secs: Some(2),
        ..Faults::none()
    });
    let mut limited = None;
    for _ in 0..15 {
        let sent = execute(api.get("/users/me")).await;
        if sent.status() == 429 {
            let retry = sent.header("retry-after");
            limited = Some((retry, body_of(sent).await));
            break;
        }
    }
    let (retry, got) = limited.expect("a 429 within 15 quick requests");
    assert_eq!(retry.as_deref(), Some("2"));
    assert_error(&got, 429, "TOO_MANY_REQUESTS");
    api.sim.set_faults(Faults {
        rate_limit_per_sec: 1,
        retry_after_secs: None,
        ..Faults::none()
    });
    let _ = api.get("/users/me").send().await.unwrap();
    let resp = api.get("/users/me").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().get("retry-after").is_none());
}

#[tokio::test]
async fn latency_fault_delays_every_answer() {
    let api = start();
    api.sim.set_faults(Faults {
        latency_ms: 150,
        jitter_ms: 50,
        ..Faults::none()
    });
    let t = Instant::now();
    assert_eq!(send(api.get("/users/me")).await.0, 200);
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(150), "{took:?}");
}

#[tokio::test]
async fn truncated_body_cannot_be_read_completely() {
    let api = start();
    api.sim.set_faults(Faults {
        truncate_rate: 1.0,
        ..Faults::none()
    });
    let resp = api
        .get(&format!("/tickets?eventId={}&limit=50", api.event_id(0)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.text().await.is_err(), "the body ends early");
}

#[tokio::test]
async fn slow_body_arrives_complete_but_late() {
    let api = start();
    api.sim.set_faults(Faults {
        slow_body_ms: 400,
        ..Faults::none()
    });
    let t = Instant::now();
    let (status, body) =
        send(api.get(&format!("/tickets?eventId={}&limit=10", api.event_id(0)))).await;
    assert_eq!(status, 200);
    assert_eq!(body["tickets"].as_array().unwrap().len(), 10);
    assert!(
        t.elapsed() >= Duration::from_millis(350),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn legacy_cursor_key_names_the_next_cursor_cursor_and_pages_still_reach_the_end() {
    let api = start();
    api.sim.set_faults(Faults {
        legacy_cursor_key: true,
        ..Faults::none()
    });
    let e = api.event_id(0);
    let base = format!("/tickets?eventId={e}&limit=100");
    let (mut url, mut total) = (base.clone(), 0);
    loop {
        let (_, body) = send(api.get(&url)).await;
        assert!(body.get("after").is_none(), "no after key");
        assert!(body.get("cursor").is_some(), "a cursor key");
        let page: TicketPage = serde_json::from_value(body).unwrap();
        total += page.tickets.len();
        match page.after {
            Some(c) => url = format!("{base}&cursor={c}"),
            None => break,
        }
    }
    let expected = api
        .ds()
        .orders()
        .filter(|o| o.event_id == e)
        .map(|o| o.ticket_ids.len())
        .sum::<usize>();
    assert_eq!(total, expected);
}

#[tokio::test]
async fn faults_change_at_runtime_through_the_sim_endpoint() {
    let api = start();
    let put = |v: serde_json::Value| api.client.put(api.url("/__sim/faults")).body(v.to_string());
    assert_eq!(
        put(json!({ "error503Rate": 1.0 }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    assert_error(
        &send(api.get("/users/me")).await,
        503,
        "SERVICE_UNAVAILABLE",
    );
    assert_eq!(put(json!({})).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(send(api.get("/users/me")).await.0, 200);
    assert_eq!(
        put(json!({ "nonsense": 1 }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        422
    );
}

#[tokio::test]
async fn network_cut_then_restart_on_the_same_port_keeps_the_state() {
    let mut api = start();
    let key = api.active_ticket(0);
    assert_eq!(
        api.check_in(&key, json!({ "idempotencyKey": "before-cut" }))
            .await
            .0,
        200
    );
    let addr = api.sim.addr();
    api.sim.cut();
    assert!(!api.sim.is_serving());
    let fresh = reqwest::Client::new();
    let down = fresh
        .get(api.url("/events"))
        .header("x-tenant-id", session_sim::demo::TENANT_ID)
        .send()
        .await;
    assert!(down.is_err(), "nothing listens while cut");
    api.sim.restart().unwrap();
    assert_eq!(api.sim.addr(), addr);
    let retry = api.put_as(
        &api.token,
        &format!("/tickets/{key}/check-in"),
        &json!({ "idempotencyKey": "before-cut" }),
    );
    let (status, body) = send(retry).await;
    assert_eq!(status, 200, "idempotency survives the cut: {body}");
    assert_eq!(api.status_of(&key), TicketStatus::Redeemed);
    api.sim.stop();
    assert!(
        fresh.get(api.url("/events")).send().await.is_err(),
        "nothing listens while stopped"
    );
    api.sim.restart().unwrap();
    let again = fresh
        .get(api.url("/users/me"))
        .header("x-tenant-id", session_sim::demo::TENANT_ID)
        .bearer_auth(&api.token);
    assert_eq!(send(again).await.0, 200);
}

const CHECK_IN: &str = "PUT /tickets/{key}/check-in";

#[tokio::test]
async fn scripted_answers_are_used_once_each_in_order_before_anything_is_applied() {
    let api = start();
    let key = api.active_ticket(0);
    api.sim.set_faults(Faults {
        script: vec![
            Scripted::status(503).on(CHECK_IN),
            Scripted::status(409).on(CHECK_IN),
            Scripted::status(429).on(CHECK_IN).retry_after("120"),
        ],
        ..Faults::none()
    });
    // A request to another route does not use an entry.
    assert_eq!(send(api.get("/users/me")).await.0, 200);
    assert_error(
        &api.check_in(&key, json!({})).await,
        503,
        "SERVICE_UNAVAILABLE",
    );
    assert_eq!(api.sim.sim().faults().script.len(), 2, "the rest is left");
    assert_error(&api.check_in(&key, json!({})).await, 409, "CONFLICT");
    let sent =
        execute(api.put_as(&api.token, &format!("/tickets/{key}/check-in"), &json!({}))).await;
    assert_eq!(sent.header("retry-after").as_deref(), Some("120"));
    assert_error(&body_of(sent).await, 429, "TOO_MANY_REQUESTS");
    assert_eq!(api.status_of(&key), TicketStatus::Active, "nothing applied");
    assert!(api.sim.sim().faults().script.is_empty());
    assert_eq!(
        api.check_in(&key, json!({})).await.0,
        200,
        "the script is used up"
    );
    assert_eq!(api.sim.sim().request_count(CHECK_IN, 409), 1);
}

#[tokio::test]
async fn a_scripted_entry_without_a_route_answers_the_next_request_even_without_a_tenant() {
    let api = start();
    api.sim.set_faults(Faults {
        script: vec![Scripted::status(422)],
        ..Faults::none()
    });
    let got = send(api.client.get(api.url("/users/me"))).await;
    assert_error(&got, 422, "INPUT_VALIDATION_FAILED");
    assert!(got.1["data"]["fieldErrors"].is_object());
    assert_eq!(send(api.get("/users/me")).await.0, 200);
}

#[tokio::test]
async fn scripted_html_empty_and_text_bodies_are_sent_raw() {
    let api = start();
    let key = api.active_ticket(0);
    api.sim.set_faults(Faults {
        script: vec![
            Scripted::status(502).on(CHECK_IN).body(ScriptedBody::Html),
            Scripted::status(504).on(CHECK_IN).body(ScriptedBody::Empty),
            Scripted::status(200)
                .on(CHECK_IN)
                .body(ScriptedBody::Text("{\"tickets\": [".into())),
            Scripted::status(520).on(CHECK_IN),
        ],
        ..Faults::none()
    });
    let path = format!("/tickets/{key}/check-in");
    let sent = execute(api.put_as(&api.token, &path, &json!({}))).await;
    assert_eq!(sent.status(), 502);
    assert!(sent
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let page = sent.resp.text().await.unwrap();
    assert!(page.contains("502 Bad Gateway"), "{page}");

    let sent = execute(api.put_as(&api.token, &path, &json!({}))).await;
    assert_eq!(sent.status(), 504);
    assert!(sent.resp.bytes().await.unwrap().is_empty());

    let sent = execute(api.put_as(&api.token, &path, &json!({}))).await;
    assert_eq!(sent.status(), 200);
    assert_eq!(
        sent.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(sent.resp.text().await.unwrap(), "{\"tickets\": [");

    // A status outside the contract's table: oRPC's body, undeclared.
    let got = send(api.put_as(&api.token, &path, &json!({}))).await;
    assert_undeclared(&got, 520, "INTERNAL_SERVER_ERROR");
    assert_eq!(api.status_of(&key), TicketStatus::Active);
}

#[tokio::test]
async fn scripted_retry_after_is_passed_raw_even_when_absurd_or_a_date() {
    let api = start();
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    api.sim.set_faults(Faults {
        script: vec![
            Scripted::status(429).retry_after("99999999999"),
            Scripted::status(503).retry_after(date),
        ],
        ..Faults::none()
    });
    let sent = execute(api.get("/users/me")).await;
    assert_eq!(sent.header("retry-after").as_deref(), Some("99999999999"));
    assert_error(&body_of(sent).await, 429, "TOO_MANY_REQUESTS");
    let sent = execute(api.get("/users/me")).await;
    assert_eq!(sent.header("retry-after").as_deref(), Some(date));
    assert_error(&body_of(sent).await, 503, "SERVICE_UNAVAILABLE");
}

#[tokio::test]
async fn the_script_is_set_and_read_as_camel_case_json_at_runtime() {
    let api = start();
    let body = json!({
        "script": [
            { "route": "GET /users/me", "status": 503, "retryAfter": "5" },
            { "status": 502, "body": "html" },
            { "status": 200, "body": { "text": "nope" } },
            { "status": 200, "body": "empty" }
        ],
        "rejectCursors": 410,
        "repeatCursor": true
    });
    let resp = api
        .client
        .put(api.url("/__sim/faults"))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let f = api.sim.sim().faults();
    assert_eq!(f.script.len(), 4);
    assert_eq!(f.script[0].retry_after.as_deref(), Some("5"));
    assert_eq!(f.script[1].body, ScriptedBody::Html);
    assert_eq!(f.script[2].body, ScriptedBody::Text("nope".into()));
    assert_eq!(f.reject_cursors, Some(410));
    assert!(f.repeat_cursor);
    let (_, read) = send(api.client.get(api.url("/__sim/faults"))).await;
    assert_eq!(read["script"][0]["route"], json!("GET /users/me"));
    assert_eq!(read["rejectCursors"], json!(410));
}

#[tokio::test]
async fn reject_cursors_refuses_every_list_page_fetched_with_a_cursor() {
    let api = start();
    let e = api.event_id(0);
    let (_, first) = send(api.get(&format!("/tickets/attendees?eventId={e}&limit=5"))).await;
    let c = first["after"].as_str().unwrap().to_string();
    api.sim.set_faults(Faults {
        reject_cursors: Some(422),
        ..Faults::none()
    });
    let with_cursor = format!("/tickets/attendees?eventId={e}&limit=5&cursor={c}");
    assert_field_error(&send(api.get(&with_cursor)).await, "cursor");
    assert_eq!(
        send(api.get(&format!("/tickets/attendees?eventId={e}&limit=5")))
            .await
            .0,
        200,
        "a first page has no cursor"
    );
    api.sim.set_faults(Faults {
        reject_cursors: Some(404),
        ..Faults::none()
    });
    assert_error(&send(api.get(&with_cursor)).await, 404, "NOT_FOUND");
    api.sim.set_faults(Faults {
        reject_cursors: Some(410),
        ..Faults::none()
    });
    let (_, events) = send(api.get("/events?limit=1")).await;
    let ec = events["after"].as_str().unwrap().to_string();
    // 410 is outside the contract's table: oRPC's code, undeclared.
    let got = send(api.get(&format!("/events?limit=1&cursor={ec}"))).await;
    assert_undeclared(&got, 410, "BAD_REQUEST");
}

#[tokio::test]
async fn repeat_cursor_answers_a_cursor_page_with_the_same_cursor() {
    let api = start();
    let e = api.event_id(0);
    api.sim.set_faults(Faults {
        repeat_cursor: true,
        ..Faults::none()
    });
    let base = format!("/tickets?eventId={e}&limit=10");
    let (_, first) = send(api.get(&base)).await;
    let c = first["after"]
        .as_str()
        .expect("a first page moves on")
        .to_string();
    for _ in 0..3 {
        let (status, page) = send(api.get(&format!("{base}&cursor={c}"))).await;
        assert_eq!(status, 200);
        assert_eq!(page["after"], json!(c), "stuck on one page");
        assert_eq!(page["tickets"].as_array().unwrap().len(), 10);
    }
    let roster = format!("/tickets/attendees?eventId={e}&limit=10");
    let (_, first) = send(api.get(&roster)).await;
    let c = first["after"].as_str().unwrap().to_string();
    let (_, page) = send(api.get(&format!("{roster}&cursor={c}"))).await;
    assert_eq!(page["after"], json!(c));
}
