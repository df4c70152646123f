//! Conformance with the published Session Services contract, by machine, both ways:
//! - the client's types read a maximal and a minimal example of every output schema
//!   (hand-written fixtures in `tests/fixtures/contract/`, themselves checked against the
//!   schemas in `tests/contract/schemas/`), and the error bodies of every check-in reason;
//! - every request the app sends in real flows (setup, login, events, sync, scan with online
//!   confirm, upload), and every answer the simulator gives it, is checked against the
//!   route's input, output or error schema.

use crate::support::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use session_api::{
    AdmissionList, Attendance, AttendeeIndex, AttendeePage, CheckInResponse, ErrorBody,
    EventEnvelope, EventPage, MeResponse, ScanKind, SectionList, TicketEnvelope, TicketPage,
    TicketStatus,
};
use session_contract::{fixture, Contract};
use session_sim::dataset::{Dataset, DatasetSpec};
use session_sim::{demo, spawn, SimConfig};
use usher_sync::Failure;

/// Each route's output schema, with the client type that reads it.
const ROUTES: &[&str] = &[
    "user.me",
    "event.get",
    "event.list",
    "admission.list",
    "section.list",
    "ticket.list",
    "ticket.get",
    "ticket.attendees.list",
    "ticket.attendees.index",
    "ticket.checkInByKey",
    "ticket.checkOutByKey",
    "event.performance.attendance",
];

fn read<T: DeserializeOwned>(name: &str, v: &Value) -> T {
    serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{name}: the client cannot read it: {e}"))
}

/// Reads `v` as the client type of `route`; returns a few facts the door relies on.
fn read_as_client(route: &str, name: &str, v: &Value) {
    match route {
        "user.me" => {
            let me: MeResponse = read(name, v);
            assert!(!me.members.is_empty(), "{name}: members are read");
            assert!(
                me.members.iter().all(|m| m.team_id.starts_with("tem_")),
                "{name}"
            );
        }
        "event.get" => {
            let e: EventEnvelope = read(name, v);
            assert!(
                e.event.location.time_zone.is_some(),
                "{name}: the zone is read"
            );
            assert!(e.event.team_id.is_some(), "{name}: the team is read");
            assert!(
                !e.event.admissions.is_empty(),
                "{name}: admissions are read"
            );
        }
        "event.list" => {
            let p: EventPage = read(name, v);
            assert!(!p.events.is_empty(), "{name}");
        }
        "admission.list" => assert!(!read::<AdmissionList>(name, v).admissions.is_empty()),
        "section.list" => assert!(!read::<SectionList>(name, v).sections.is_empty()),
        "ticket.list" => assert!(!read::<TicketPage>(name, v).tickets.is_empty()),
        "ticket.get" => {
            let t: TicketEnvelope = read(name, v);
            assert!(t.ticket.id.starts_with("tkt_"), "{name}");
        }
        "ticket.attendees.list" => assert!(!read::<AttendeePage>(name, v).tickets.is_empty()),
        "ticket.attendees.index" => assert!(!read::<AttendeeIndex>(name, v).buckets.is_empty()),
        "ticket.checkInByKey" | "ticket.checkOutByKey" => {
            let r: CheckInResponse = read(name, v);
            assert!(!r.tickets.is_empty(), "{name}");
        }
        "event.performance.attendance" => {
            let _: Attendance = read(name, v);
        }
        other => panic!("no client type for {other}"),
    }
}

#[test]
fn client_types_read_a_maximal_and_a_minimal_example_of_every_output_schema() {
    let contract = Contract::get();
    for route in ROUTES {
        let schema = contract.route(route);
        for variant in ["max", "min"] {
            let name = format!("{route}.{variant}.json");
            let v = fixture(&name);
            let wrong = schema.check_output(&v);
            assert!(
                wrong.is_empty(),
                "fixture {name} breaks the contract: {wrong:#?}"
            );
            read_as_client(route, &name, &v);
        }
    }
    let series = fixture("event.performance.attendance.series-min.json");
    assert!(contract
        .route("event.performance.attendance")
        .check_output(&series)
        .is_empty());
    assert!(matches!(
        read::<Attendance>("series", &series),
        Attendance::Series { .. }
    ));
}

#[test]
fn the_maximal_examples_read_the_fields_the_door_uses() {
    let e: EventEnvelope = read("event", &fixture("event.get.max.json"));
    let venue = e.event.location.venue.as_ref().expect("the venue is read");
    assert!(venue.id.starts_with("ven_"));
    assert!(e
        .event
        .promoter_id
        .as_deref()
        .is_some_and(|p| p.starts_with("pmt_")));
    let t: TicketEnvelope = read("ticket", &fixture("ticket.get.max.json"));
    let scan = t.ticket.scans.last().expect("scans are read");
    assert!(scan.device_id.as_deref().is_some_and(|d| !d.is_empty()));
    assert!(scan.scanned_by.is_some());
    assert!(t.ticket.section.is_some());
    let me: MeResponse = read("me", &fixture("user.me.min.json"));
    assert!(me.user.is_none(), "a null user reads as none");
}

/// Every check-in reason's body (declared, so `defined: true`) is read as Session Services'
/// own answer and classified: NOOP_TRANSITION is a conflict with the ticket's history, the
/// others are final refusals that keep their reason.
#[test]
fn every_check_in_reason_is_read_as_the_services_answer() {
    let contract = Contract::get().route("ticket.checkInByKey");
    for reason in [
        "NOOP_TRANSITION",
        "EVENT_MISMATCH",
        "PARTIAL_ORDER_CONFIRMATION_REQUIRED",
        "FILTERED_OUT",
    ] {
        for variant in ["max", "min"] {
            let name = format!("ticket.checkInByKey.error.{reason}.{variant}.json");
            let v = fixture(&name);
            assert!(
                contract.check_answer(400, &v).is_empty(),
                "{name} breaks the contract"
            );
            let bytes = serde_json::to_vec(&v).unwrap();
            let body = ErrorBody::parse(400, &bytes).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(body.reason(), Some(reason));
            let failure = usher_sync::client::classify(400, &bytes, None);
            assert_eq!(failure.reason(), Some(reason), "{name}");
            if reason == "NOOP_TRANSITION" {
                assert!(matches!(failure, Failure::Conflict { .. }), "{name}");
                if variant == "max" {
                    let t: session_api::Ticket = read(&name, &v["data"]["ticket"]);
                    assert!(!t.scans.is_empty(), "{name}: the history is read");
                }
            } else {
                assert!(matches!(failure, Failure::Rejected { .. }), "{name}");
            }
        }
    }
    let v = fixture("ticket.checkInByKey.error.INPUT_VALIDATION_FAILED.json");
    assert!(contract.check_answer(422, &v).is_empty());
    let failure = usher_sync::client::classify(422, &serde_json::to_vec(&v).unwrap(), None);
    assert!(matches!(failure, Failure::Rejected { status: 422, .. }));
    let v = fixture("ticket.checkOutByKey.error.NOOP_TRANSITION.min.json");
    assert!(Contract::get()
        .route("ticket.checkOutByKey")
        .check_answer(400, &v)
        .is_empty());
}

/// The checks can fail: `images` as an array (the first wave's mistake) breaks the schema,
/// and a wrong shape in a field the client reads breaks the client.
#[test]
fn a_deliberately_wrong_fixture_fails_the_conformance_checks() {
    let contract = Contract::get();
    let mut event = fixture("event.get.max.json");
    event["event"]["images"] = json!([{"src": "https://cdn.example/a.jpg"}]);
    let wrong = contract.route("event.get").check_output(&event);
    assert!(
        wrong.iter().any(|w| w.contains("/event/images")),
        "{wrong:#?}"
    );

    let mut me = fixture("user.me.max.json");
    me["members"] = json!({"teamId": "tem_01jps5cgsg0s32w2pr73vbccde"});
    assert!(!contract.route("user.me").check_output(&me).is_empty());
    assert!(serde_json::from_value::<MeResponse>(me).is_err());

    let mut ticket = fixture("ticket.get.max.json");
    ticket["ticket"]["scans"][0]["deviceId"] = Value::Null;
    assert!(!contract
        .route("ticket.get")
        .check_output(&ticket)
        .is_empty());
}

/// Real flows against the simulator with its request journal on: every request the app
/// sends fits the route's input schema, and every answer it gets fits the output or error
/// schema.
#[test]
fn every_request_the_app_sends_and_every_answer_it_reads_fits_the_contract() {
    let data = Dataset::generate(&DatasetSpec {
        tickets: 600,
        ..DatasetSpec::default()
    });
    let sim = spawn(SimConfig::new(data).with_journal()).unwrap();
    let ins = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active);
    // Door A logs in (keychain), lists the events and downloads the guest list; door B too.
    let a = door_for(&sim, &[]);
    a.run_stdin(&["--json", "login"], demo::SCAN_TOKEN.as_bytes())
        .success();
    a.run(&["--json", "events"]).success();
    a.run(&["--json", "sync"]).success();
    let b = door_for(&sim, &[]);
    b.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    // Online confirm: B admits a guest first, so A's scan of it is a NOOP on the server.
    assert_eq!(
        b.run_with_token(demo::SCAN_TOKEN, &["--json", "scan", &ins[3]])
            .success()
            .json_lines()[0]["verdict"],
        "ADMIT"
    );
    let at_a = a
        .run(&["--json", "scan", &ins[0], &ins[3]])
        .success()
        .json_lines();
    assert_eq!(at_a[0]["verdict"], "ADMIT");
    assert_eq!(at_a[1]["verdict"], "ALREADY_CHECKED_IN", "{}", at_a[1]);
    // An exit gate checks a guest out online.
    a.setup_against(&sim, &["--mode", "exit"]).success();
    a.run(&["--json", "scan", &ins[0]]).success();
    // Offline scans, then the upload of the queue.
    a.setup_against(&sim, &["--offline"]).success();
    a.run(&["--json", "scan", &ins[1], &ins[2]]).success();
    a.setup_against(&sim, &[]).success();
    a.run(&["--json", "sync", "--upload-only", "--wait", "30"])
        .success();
    // A refund, and the watch loop's poll for refunds.
    assert!(sim.sim().cancel(&ins[5]));
    let (store, config, client) = a.sync_parts();
    let polled = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(usher_sync::refunds::poll(&store, &client, &config.event_id))
        .unwrap();
    assert_eq!(polled.newly_cancelled, 1, "{polled:?}");

    let journal = sim.sim().journal();
    let (routes, wrong) = check_journal(&journal);
    assert!(wrong.is_empty(), "{wrong:#?}");
    for r in [
        "user.me",
        "event.list",
        "event.get",
        "ticket.attendees.index",
        "ticket.attendees.list",
        "ticket.list",
        "ticket.checkInByKey",
        "ticket.checkOutByKey",
    ] {
        assert!(routes.contains(r), "the flows used {r}: {routes:?}");
    }
    let statuses: Vec<u16> = journal.iter().map(|e| e.status).collect();
    assert!(
        statuses.contains(&400),
        "a NOOP answer was among them: {statuses:?}"
    );
    for id in [&ins[1], &ins[2]] {
        assert_eq!(
            sim.sim().ticket(id).unwrap().status,
            TicketStatus::Redeemed,
            "{id} uploaded"
        );
    }
    let kinds: Vec<ScanKind> = sim
        .sim()
        .ticket(&ins[0])
        .unwrap()
        .scans
        .iter()
        .map(|s| s.kind)
        .collect();
    assert_eq!(kinds, [ScanKind::CheckIn, ScanKind::CheckOut]);
}
