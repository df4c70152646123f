//! The door pipeline through `usher scan`: every verdict from a real cache, recorded.

use crate::support::*;
use session_api::TicketStatus;
use session_sim::dataset::{ENDED_ADMISSION, NOT_YET_OPEN_ADMISSION};

#[test]
fn valid_ticket_is_admitted_then_already_checked_in_with_the_first_scan_time() {
    let door = Door::ready(&[]);
    let id = tickets(0, TicketStatus::Active)
        .into_iter()
        .find(|t| {
            dataset()
                .ticket_ids_of_admission(0, 0, TicketStatus::Active)
                .contains(t)
        })
        .unwrap();
    let first = door.scan_one(&id);
    assert_eq!(first["verdict"], "ADMIT");
    assert_eq!(first["ticketId"], id.as_str());
    assert!(first["attendee"]["lastName"].is_string());
    assert_eq!(first["admission"]["name"], "General Admission");
    assert_eq!(first["upload"], "PENDING");
    assert!(first["scanId"].is_string());

    let second = door.scan_one(&format!("https://tickets.example/t/{id}"));
    assert_eq!(second["verdict"], "ALREADY_CHECKED_IN");
    assert_eq!(second["previous"]["at"], first["doorTime"]);
    assert_eq!(second["previous"]["origin"], "THIS_DEVICE");
    assert_eq!(second["upload"], "NONE");
}

/// A wedge scanner with Caps Lock on types the id in capitals; it is the same ticket.
#[test]
fn ticket_id_typed_in_capitals_is_admitted_as_that_ticket() {
    let door = Door::ready(&["--offline"]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[3];
    let v = door.scan_one(&id.to_uppercase());
    assert_eq!(v["verdict"], "ADMIT", "{v}");
    assert_eq!(v["ticketId"], id.as_str());
    assert_eq!(door.scan_one(id)["verdict"], "ALREADY_CHECKED_IN");
}

#[test]
fn scan_of_cancelled_ticket_is_refused_offline() {
    let door = Door::ready(&["--offline"]);
    let id = &tickets(0, TicketStatus::Cancelled)[0];
    let v = door.scan_one(id);
    assert_eq!(v["verdict"], "CANCELLED");
    assert_eq!(v["upload"], "NONE");
}

#[test]
fn ticket_redeemed_elsewhere_shows_who_scanned_it() {
    let door = Door::ready(&[]);
    let id = &tickets(0, TicketStatus::Redeemed)[0];
    let v = door.scan_one(id);
    assert_eq!(v["verdict"], "ALREADY_CHECKED_IN");
    assert_eq!(v["previous"]["origin"], "SERVER");
    assert!(v["previous"]["by"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(v["previous"]["deviceId"].is_string());
}

#[test]
fn unknown_ticket_is_not_found_with_the_cache_age() {
    let door = Door::ready(&[]);
    let v = door.scan_one("tkt_zzzzzzzzzzzzzzzzzzzzzzzzzz");
    assert_eq!(v["verdict"], "NOT_FOUND");
    assert!(v["cacheAgeSeconds"]
        .as_i64()
        .is_some_and(|s| (0..600).contains(&s)));
}

#[test]
fn ticket_of_another_cached_event_is_wrong_event() {
    let door = Door::ready(&[]);
    door.import_bytes(&import_json(1)).success();
    let other = &tickets(1, TicketStatus::Active)[0];
    assert_eq!(door.scan_one(other)["verdict"], "WRONG_EVENT");
}

#[test]
fn gate_profile_filters_admissions() {
    let vip = dataset().event(0).unwrap().admissions[2].id.clone();
    let door = Door::ready(&["--admissions", &vip]);
    let ga = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    let v = door.scan_one(ga);
    assert_eq!(v["verdict"], "NOT_FOR_THIS_GATE");
    let vip_ticket = &dataset().ticket_ids_of_admission(0, 2, TicketStatus::Active)[0];
    assert_eq!(door.scan_one(vip_ticket)["verdict"], "ADMIT");
}

#[test]
fn entry_windows_refuse_early_and_late_tickets() {
    let door = Door::ready(&[]);
    let early =
        &dataset().ticket_ids_of_admission(0, NOT_YET_OPEN_ADMISSION, TicketStatus::Active)[0];
    let late = &dataset().ticket_ids_of_admission(0, ENDED_ADMISSION, TicketStatus::Active)[0];
    assert_eq!(door.scan_one(early)["verdict"], "TOO_EARLY");
    assert_eq!(door.scan_one(late)["verdict"], "ENTRY_CLOSED");
}

#[test]
fn partly_used_order_is_admitted_only_after_confirmation() {
    let door = Door::ready(&[]);
    let order = dataset().active_order(3).expect("an order of 3");
    door.scan_one(&order.ticket_ids[0]);
    let unconfirmed = door.scan_one(&order.id);
    assert_eq!(unconfirmed["verdict"], "ORDER");
    assert_eq!(unconfirmed["order"]["alreadyIn"], 1);
    assert_eq!(unconfirmed["order"]["needsConfirmation"], true);
    assert_eq!(unconfirmed["upload"], "NONE");

    let confirmed = door.scan(&[&order.id], &["--confirm"]).remove(0);
    assert_eq!(confirmed["order"]["admitting"], order.ticket_ids.len() - 1);
    assert_eq!(confirmed["upload"], "PENDING");
    for t in &order.ticket_ids {
        assert_eq!(door.scan_one(t)["verdict"], "ALREADY_CHECKED_IN", "{t}");
    }
}

#[test]
fn exit_gate_checks_out_and_refuses_those_not_in() {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    assert_eq!(door.scan_one(id)["verdict"], "ADMIT");
    door.setup(&event_id(0), &["--mode", "exit", "--gate", "Exit"])
        .success();
    let out = door.scan_one(id);
    assert_eq!(
        (out["verdict"].as_str(), out["gate"].as_str()),
        (Some("CHECKED_OUT"), Some("Exit"))
    );
    assert_eq!(door.scan_one(id)["verdict"], "NOT_CHECKED_IN");
    // Re-entry after checking out.
    door.setup(&event_id(0), &[]).success();
    assert_eq!(door.scan_one(id)["verdict"], "ADMIT");
}

#[test]
fn counters_never_exceed_attendees_and_follow_local_scans() {
    let door = Door::ready(&[]);
    let before = door.status();
    let ids = dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let codes: Vec<&str> = ids.iter().take(20).map(String::as_str).collect();
    door.scan(&codes, &[]);
    door.scan(&codes, &[]); // all ALREADY_CHECKED_IN
    let after = door.status();
    assert_eq!(
        after["checkedIn"].as_u64().unwrap(),
        before["checkedIn"].as_u64().unwrap() + 20
    );
    assert_eq!(after["pendingUpload"], 20);
    assert_eq!(after["scans"], 40);
    assert!(after["checkedIn"].as_u64() <= after["total"].as_u64());
}

#[test]
fn every_scan_is_in_the_log_with_its_verdict_and_a_unique_idempotency_key() {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    let printed = door.scan(&[id, id, "garbage"], &["--source", "wedge"]);
    let log = door.log();
    assert_eq!(log.len(), 3);
    for (p, l) in printed.iter().zip(&log) {
        assert_eq!(p["scanId"], l["scanId"]);
        assert_eq!(p["verdict"], l["verdict"]);
        assert_eq!(l["source"], "WEDGE");
    }
    let db = door.db();
    let distinct: i64 = db
        .query_row(
            "SELECT count(DISTINCT idempotency_key) FROM scans",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(distinct, 3);
}

#[test]
fn scanning_before_setup_says_how_to_set_up() {
    let door = Door::new();
    let err = door
        .run(&["scan", "tkt_zzzzzzzzzzzzzzzzzzzzzzzzzz"])
        .failure();
    assert!(err.contains("usher setup"), "{err}");
}

#[test]
fn json_errors_carry_a_code_and_a_message() {
    let door = Door::new();
    let err = door.run(&["--json", "status"]).failure();
    let v: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(v["error"]["code"], "NOT_SET_UP");
    assert!(v["error"]["message"].as_str().unwrap().contains("setup"));
}

#[test]
fn demo_tour_admits_a_fresh_ticket_every_time_it_runs() {
    let door = Door::new();
    let run = || {
        let lines = door.run(&["--json", "demo"]).success().json_lines();
        assert_eq!(lines[0]["tickets"], 3000, "the import report comes first");
        lines[1].clone()
    };
    let (first, second) = (run(), run());
    assert_eq!(
        (first["verdict"].as_str(), second["verdict"].as_str()),
        (Some("ADMIT"), Some("ADMIT"))
    );
    assert_ne!(first["ticketId"], second["ticketId"]);
}
