//! Answers that are not Session Services' own, and answers that would never end: a proxy's
//! HTML page, a load balancer's 408, 409 CONFLICT, a huge `Retry-After`, a rejected saved
//! cursor, a cursor that repeats. Each is scripted into the simulator (its `script`,
//! `reject_cursors` and `repeat_cursor` faults) and met by the real `usher` binary.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use session_sim::{demo, Faults, RunningSim, Scripted, ScriptedBody};

const CHECK_IN: &str = "PUT /tickets/{key}/check-in";
const ATTENDEES: &str = "GET /tickets/attendees";

fn script(sim: &RunningSim, answers: Vec<Scripted>) {
    sim.set_faults(Faults {
        script: answers,
        ..Faults::none()
    });
}

fn answer(route: &str, status: u16, body: ScriptedBody) -> Scripted {
    Scripted {
        route: Some(route.to_string()),
        status,
        body,
        retry_after: None,
    }
}

/// A proxy's HTML error page is not Session Services refusing the scan: it is retried, and
/// the scan reaches the server once the real service answers.
#[test]
fn an_html_502_page_from_a_proxy_is_retried_and_the_scan_lands_once() {
    let sim = simulator(600);
    let (door, ids) = queued_door(&sim, 1);
    script(&sim, vec![answer(CHECK_IN, 502, ScriptedBody::Html)]);
    let first = upload_round(&door, "0");
    assert_eq!(first["upload"]["rejected"], 0, "{first}");
    assert_eq!(door.status()["pendingUpload"], 1);
    let last = door.log().pop().unwrap();
    assert_eq!(last["upload"], "PENDING", "{last}");
    upload_round(&door, "30");
    assert_eq!(door.status()["pendingUpload"], 0);
    assert_eq!(server_check_ins(&sim, &ids[0]), 1);
}

#[test]
fn a_408_from_a_load_balancer_is_retried_not_refused() {
    let sim = simulator(600);
    let (door, ids) = queued_door(&sim, 1);
    script(&sim, vec![answer(CHECK_IN, 408, ScriptedBody::Empty)]);
    let out = upload_round(&door, "30");
    assert_eq!(out["upload"]["rejected"], 0, "{out}");
    assert_eq!(door.status()["pendingUpload"], 0);
    assert_eq!(
        sim.sim().ticket(&ids[0]).unwrap().status,
        TicketStatus::Redeemed
    );
}

#[test]
fn a_409_twice_then_200_is_acknowledged_with_one_check_in() {
    let sim = simulator(600);
    let (door, ids) = queued_door(&sim, 1);
    script(
        &sim,
        vec![
            answer(CHECK_IN, 409, ScriptedBody::Contract),
            answer(CHECK_IN, 409, ScriptedBody::Contract),
        ],
    );
    upload_round(&door, "30");
    let status = door.status();
    assert_eq!(
        (
            status["pendingUpload"].as_u64(),
            status["rejected"].as_u64()
        ),
        (Some(0), Some(0)),
        "{status}"
    );
    assert_eq!(server_check_ins(&sim, &ids[0]), 1);
    assert_eq!(door.log().pop().unwrap()["upload"], "ACKNOWLEDGED");
}

#[test]
fn a_409_every_time_is_kept_as_refused_with_the_servers_words() {
    let sim = simulator(600);
    let (door, ids) = queued_door(&sim, 1);
    script(
        &sim,
        (0..8)
            .map(|_| answer(CHECK_IN, 409, ScriptedBody::Contract))
            .collect(),
    );
    upload_round(&door, "60");
    let status = door.status();
    assert_eq!(
        (
            status["pendingUpload"].as_u64(),
            status["rejected"].as_u64()
        ),
        (Some(0), Some(1)),
        "{status}"
    );
    let error: String = door
        .db()
        .query_row(
            "SELECT last_error FROM scans ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(error.contains("409"), "{error}");
    assert_eq!(server_check_ins(&sim, &ids[0]), 0, "nothing was applied");
}

/// `Retry-After: 99999999999` (three thousand years) neither panics nor parks the scan: the
/// next attempt is at most five minutes away, and it is persisted that way across restarts.
#[test]
fn a_retry_after_of_99999999999_is_clamped_and_the_scan_stays_queued() {
    let sim = simulator(600);
    let (door, _) = queued_door(&sim, 1);
    let mut busy = answer(CHECK_IN, 429, ScriptedBody::Contract);
    busy.retry_after = Some("99999999999".into());
    script(&sim, vec![busy]);
    let before = jiff::Timestamp::now().as_millisecond();
    let out = upload_round(&door, "0");
    assert_eq!(out["upload"]["retries"], 1, "{out}");
    let next: i64 = door
        .db()
        .query_row(
            "SELECT next_attempt_ms FROM scans ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let after = jiff::Timestamp::now().as_millisecond();
    assert!(
        next >= before + 299_000,
        "the server's wait was honoured up to the clamp: {}",
        next - before
    );
    assert!(
        next <= after + 300_000,
        "at most five minutes: {} ms",
        next - after
    );
    // A second run (a restart) leaves it queued, not lost and not stuck for years.
    upload_round(&door, "0");
    assert_eq!(door.status()["pendingUpload"], 1);
}

/// A retry time stored years ahead (a clock that was wrong, a value from an older build) is
/// no reason to hold a scan: it is due at once.
#[test]
fn a_retry_time_stored_years_ahead_does_not_park_the_scan() {
    let sim = simulator(600);
    let (door, ids) = queued_door(&sim, 1);
    door.db()
        .execute("UPDATE scans SET next_attempt_ms = 99999999999000", [])
        .unwrap();
    upload_round(&door, "0");
    assert_eq!(door.status()["pendingUpload"], 0);
    assert_eq!(server_check_ins(&sim, &ids[0]), 1);
}

/// At the door, a page from something that is not Session Services is no answer: the cache
/// decides (ADMIT), never NOT FOUND, and the scan stays queued.
#[test]
fn online_confirm_treats_an_html_404_page_as_no_answer() {
    let sim = simulator(600);
    let door = door_for(&sim, &[]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    let id = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0]
        .clone();
    script(&sim, vec![answer(CHECK_IN, 404, ScriptedBody::Html)]);
    let v = door
        .run_with_token(demo::SCAN_TOKEN, &["--json", "scan", &id])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(v["verdict"], "ADMIT", "{v}");
    assert_eq!(v["upload"], "PENDING", "{v}");
    assert_eq!(server_check_ins(&sim, &id), 0);
}

/// A server without the roster's index (an older release: 404) gets one walk per admission
/// from the top, and the guest list still arrives whole.
#[test]
fn a_server_without_the_roster_index_gets_one_walk_per_admission() {
    let sim = simulator(600);
    let door = door_for(&sim, &[]);
    script(
        &sim,
        vec![answer(
            "GET /tickets/attendees/index",
            404,
            ScriptedBody::Contract,
        )],
    );
    let out = door
        .run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["download"]["plan"], "admissions", "{out}");
    assert_eq!(out["download"]["received"], 600, "{out}");
    assert_eq!(
        out["download"]["shortfall"],
        Value::Null,
        "no count to check: {out}"
    );
    let status = door.status();
    assert_eq!(
        status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap(),
        600
    );
}

/// A walk whose saved cursor is refused (here a 404, not the 422 a cursor check gives)
/// starts over from its bucket's anchor, and the guest list ends complete.
#[test]
fn a_rejected_saved_cursor_restarts_its_walk_and_the_list_completes() {
    let sim = simulator(600);
    let door = door_for(&sim, &[]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    let event = sim.sim().dataset().event(0).unwrap();
    // An interrupted pass: one walk with a position saved by an earlier run.
    let db = door.db();
    db.execute(
        "UPDATE roster_passes SET finished_ms = NULL WHERE event_id = ?1",
        [event.id.as_str()],
    )
    .unwrap();
    let changed = db
        .execute(
            "UPDATE roster_walks SET done = 0, cursor = 'c2F2ZWQ'
             WHERE walk = (SELECT min(walk) FROM roster_walks WHERE event_id = ?1)",
            [event.id.as_str()],
        )
        .unwrap();
    assert_eq!(changed, 1);
    script(&sim, vec![answer(ATTENDEES, 404, ScriptedBody::Contract)]);
    let out = door
        .run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["download"]["resumed"], true, "{out}");
    assert_eq!(out["download"]["shortfall"], 0, "{out}");
    let status = door.status();
    let cached = status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap();
    assert_eq!(cached, 600, "{status}");
    let open: i64 = db
        .query_row(
            "SELECT count(*) FROM roster_walks WHERE done = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(open, 0);
}

/// A server stuck on one page (it answers a cursor with the same cursor) cannot loop the
/// download: the walk ends with an error that `usher status` shows, and the next sync
/// starts it afresh.
#[test]
fn a_cursor_that_repeats_ends_the_walk_with_an_error_in_status() {
    // Big enough that some walk needs a second page.
    let sim = simulator(5_000);
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        repeat_cursor: true,
        ..Faults::none()
    });
    let err = door.run_with_token(demo::SCAN_TOKEN, &["sync"]).failure();
    assert!(err.contains("cursor it had sent before"), "{err}");
    let status = door.status();
    assert!(
        status["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("cursor it had sent before")),
        "{status}"
    );
    let saved: i64 = door
        .db()
        .query_row(
            "SELECT count(*) FROM roster_walks WHERE cursor IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(saved, 0, "no walk resumes into the loop");
    sim.set_faults(Faults::none());
    door.run_with_token(demo::SCAN_TOKEN, &["sync"]).success();
    let status = door.status();
    assert_eq!(
        status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap(),
        5_000
    );
}
