//! The demo dataset (what the app's demo serves), checked against the contract's schemas
//! with formats on (date-time, email, uri): every answer `send` reads is checked.

use serde_json::json;
use session_api::TicketStatus;
use session_contract::Contract;
use session_sim::SimConfig;

use crate::support::*;

#[tokio::test]
async fn the_demo_dataset_answers_every_scanner_route_within_the_contract() {
    let api = start_with(SimConfig::demo());
    let e = api.event_id(0);
    let c = Contract::get();
    let checked = |route: &str, body: &serde_json::Value| {
        let v = c.route(route).check_output(body);
        assert!(v.is_empty(), "{route}: {v:#?}");
    };

    let (status, event) = send(api.get(&format!("/events/{e}"))).await;
    assert_eq!(status, 200);
    checked("event.get", &event);
    let (_, page) = send(api.get(&format!("/tickets?eventId={e}&limit=100"))).await;
    assert_eq!(page["tickets"].as_array().unwrap().len(), 100);
    checked("ticket.list", &page);
    let redeemed = api.ds().ticket_ids(0, TicketStatus::Redeemed)[0].clone();
    let (_, ticket) = send(api.get(&format!("/tickets/{redeemed}"))).await;
    checked("ticket.get", &ticket);
    let (_, roster) = send(api.get(&format!("/tickets/attendees?eventId={e}"))).await;
    checked("ticket.attendees.list", &roster);
    let key = api.active_ticket(0);
    let (status, answer) = api
        .check_in(&key, json!({ "eventId": e, "deviceId": "demo" }))
        .await;
    assert_eq!(status, 200, "{answer}");
    checked("ticket.checkInByKey", &answer);
    let noop = api.check_in(&key, json!({ "eventId": e })).await;
    assert_reason(&noop, "NOOP_TRANSITION");
    let (status, out) = api.check_out(&key, json!({})).await;
    assert_eq!(status, 200);
    checked("ticket.checkOutByKey", &out);

    // The rest of the scanner's routes.
    for (route, path) in [
        ("event.list", "/events".to_string()),
        ("admission.list", format!("/events/{e}/admissions")),
        ("section.list", format!("/events/{e}/sections")),
        ("user.me", "/users/me".to_string()),
        (
            "event.performance.attendance",
            format!("/events/{e}/performance/attendance"),
        ),
        (
            "event.performance.attendance",
            format!("/events/{e}/performance/attendance?granularity=MINUTE"),
        ),
    ] {
        let (status, body) = send(api.get(&path)).await;
        assert_eq!(status, 200, "{path}: {body}");
        checked(route, &body);
    }
}

#[test]
fn the_answer_check_refuses_an_answer_outside_the_contract() {
    let images_as_array = json!({ "event": { "id": "evt_x", "images": [] } });
    let checked = std::panic::catch_unwind(|| conforms("GET", "/events/x", 200, &images_as_array));
    assert!(
        checked.is_err(),
        "an event without its required fields is refused"
    );
    let not_orpc = json!({ "error": "nope" });
    let checked = std::panic::catch_unwind(|| conforms("GET", "/users/me", 401, &not_orpc));
    assert!(
        checked.is_err(),
        "an error body without `defined` is refused"
    );
    // Inspection routes are not part of the contract.
    conforms("GET", "/__sim/requests", 200, &not_orpc);
}
