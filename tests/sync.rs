//! Sync against the simulator over real loopback HTTP: download, upload, faults, two devices,
//! tokens.

use crate::support::*;
use serde_json::Value;
use session_api::{ScanKind, TicketStatus};
use session_sim::{demo, spawn, Faults, RunningSim, SimConfig};
use std::collections::HashSet;

fn sim(tickets: usize) -> RunningSim {
    simulator(tickets)
}

/// A door set up against `sim`'s first event, its guest list downloaded.
fn synced_door(sim: &RunningSim) -> Door {
    let door = door_for(sim, &[]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    door
}

fn active(sim: &RunningSim, n: usize, skip: usize) -> Vec<String> {
    sim.sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)
        .into_iter()
        .skip(skip)
        .take(n)
        .collect()
}

fn scan_all(door: &Door, ids: &[String]) -> Vec<Value> {
    let input = ids.join("\n");
    door.run_stdin(&["--json", "scan", "-"], input.as_bytes())
        .success()
        .json_lines()
}

fn device_id(door: &Door) -> String {
    door.status()["deviceId"].as_str().unwrap().to_string()
}

#[test]
fn sync_fills_an_empty_cache_from_the_simulator() {
    let sim = sim(3_000);
    let door = door_for(&sim, &[]);
    let out = door
        .run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(
        out["download"]["tickets"],
        sim.sim().dataset().ticket_count() as u64
    );
    let status = door.status();
    let cached = status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap();
    assert_eq!(cached, sim.sim().dataset().ticket_count() as u64);
    assert!(status["cacheAgeSeconds"].as_i64().unwrap() < 60);
    let used = &sim.sim().dataset().ticket_ids(0, TicketStatus::Redeemed)[0];
    assert_eq!(door.scan_one(used)["verdict"], "ALREADY_CHECKED_IN");
    let cancelled = &sim.sim().dataset().ticket_ids(0, TicketStatus::Cancelled)[0];
    assert_eq!(door.scan_one(cancelled)["verdict"], "CANCELLED");
}

#[test]
fn each_scan_reaches_the_server_once_with_its_device_id() {
    let sim = sim(3_000);
    let door = synced_door(&sim);
    let ids = active(&sim, 40, 0);
    assert!(scan_all(&door, &ids)
        .iter()
        .all(|v| v["verdict"] == "ADMIT"));
    let out = door
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "60"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["upload"]["acknowledged"], 40);
    assert_eq!(out["upload"]["stillPending"], 0);
    let me = device_id(&door);
    for id in &ids {
        let t = sim.sim().ticket(id).unwrap();
        assert_eq!(t.status, TicketStatus::Redeemed, "{id}");
        let ins: Vec<_> = t
            .scans
            .iter()
            .filter(|s| s.kind == ScanKind::CheckIn)
            .collect();
        assert_eq!(ins.len(), 1, "{id}: {:?}", t.scans);
        assert_eq!(ins[0].device_id.as_deref(), Some(me.as_str()));
    }
    assert!(door
        .log()
        .iter()
        .all(|r| r["upload"] == "ACKNOWLEDGED" && r["serverScanId"].is_string()));
    // After the acknowledgement the cache knows, and a refresh does not undo it.
    door.run_with_token(demo::SCAN_TOKEN, &["sync"]).success();
    assert_eq!(door.scan_one(&ids[0])["verdict"], "ALREADY_CHECKED_IN");
    assert_eq!(door.status()["pendingUpload"], 0);
}

#[test]
fn uploads_through_injected_faults_lose_nothing_and_double_nothing() {
    const SCANS: usize = 10_000;
    let sim = sim(SCANS * 2);
    let door = synced_door(&sim);
    // Tickets of the three admissions whose entry is open now.
    let data = sim.sim().dataset();
    let ids: Vec<String> = (0..3)
        .flat_map(|a| data.ticket_ids_of_admission(0, a, TicketStatus::Active))
        .take(SCANS)
        .collect();
    assert_eq!(ids.len(), SCANS);
    let printed = scan_all(&door, &ids);
    assert!(
        printed.iter().all(|v| v["upload"] == "PENDING"),
        "every ticket is admitted once"
    );
    // About 30% of requests fail in one of the ways a venue network does. The wait is a bound,
    // not a figure: on a loaded CI machine the drain took longer than 300 s.
    sim.set_faults(Faults {
        seed: 7,
        latency_ms: 1,
        jitter_ms: 3,
        error_500_rate: 0.06,
        error_503_rate: 0.06,
        reset_rate: 0.06,
        commit_then_drop_rate: 0.07,
        truncate_rate: 0.05,
        ..Faults::none()
    });
    let out = door
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "1800"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert!(
        out["upload"]["retries"].as_u64().unwrap() > (SCANS as u64) / 10,
        "faults were injected: {out}"
    );
    assert_eq!(out["upload"]["stillPending"], 0, "{out}");
    // The server's state equals the device's log: each scanned ticket checked in exactly once.
    let me = device_id(&door);
    let mut doubled = vec![];
    for id in &ids {
        let t = sim.sim().ticket(id).unwrap();
        let mine = t
            .scans
            .iter()
            .filter(|s| s.kind == ScanKind::CheckIn && s.device_id.as_deref() == Some(me.as_str()))
            .count();
        if t.status != TicketStatus::Redeemed || mine != 1 {
            doubled.push((id.clone(), t.status, mine));
        }
    }
    assert!(
        doubled.is_empty(),
        "lost or doubled: {:?}",
        &doubled[..doubled.len().min(5)]
    );
    let log = door.log();
    assert_eq!(
        log.iter().filter(|r| r["upload"] == "ACKNOWLEDGED").count(),
        SCANS
    );
}

#[test]
fn overlapping_offline_scans_on_two_devices_become_conflicts_showing_the_first() {
    let sim = sim(3_000);
    let (a, b) = (synced_door(&sim), synced_door(&sim));
    let first = active(&sim, 30, 0);
    let second = active(&sim, 30, 20); // 10 tickets in common
    scan_all(&a, &first);
    scan_all(&b, &second);
    a.run_with_token(demo::SCAN_TOKEN, &["sync", "--upload-only", "--wait", "60"])
        .success();
    let out = b
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "60"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["upload"]["conflicts"], 10);
    assert_eq!(out["upload"]["acknowledged"], 20);
    let status = b.status();
    assert_eq!(status["conflicts"], 10);
    // Each conflict keeps the server's explanation: the first device's scan.
    let db = b.db();
    let details: Vec<String> = db
        .prepare("SELECT server_detail FROM scans WHERE upload = 'CONFLICT'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let a_device = device_id(&a);
    assert!(details.iter().all(|d| d.contains(&a_device)), "{details:?}");
    // Counts add up: 50 distinct tickets are in on the server.
    let all: HashSet<&String> = first.iter().chain(&second).collect();
    assert_eq!(all.len(), 50);
    assert!(all
        .iter()
        .all(|id| sim.sim().ticket(id).unwrap().status == TicketStatus::Redeemed));
}

#[test]
fn rejected_token_pauses_uploads_and_keeps_the_queue_until_a_good_one() {
    let sim = sim(3_000);
    let door = synced_door(&sim);
    let ids = active(&sim, 5, 0);
    scan_all(&door, &ids);
    let err = door
        .run_with_token("expired-token", &["sync", "--upload-only"])
        .failure();
    assert!(
        err.contains("log in again") && !err.contains("expired-token"),
        "{err}"
    );
    assert_eq!(door.status()["pendingUpload"], 5);
    let out = door
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "60"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["upload"]["acknowledged"], 5);
}

#[test]
fn scans_of_another_tenant_are_never_sent_with_this_tenants_token() {
    let sim = sim(3_000);
    let door = synced_door(&sim);
    let ids = active(&sim, 3, 0);
    scan_all(&door, &ids);
    // The device is moved to another tenant: its old scans stay queued for their own tenant.
    let event = sim.sim().dataset().event(0).unwrap().id.clone();
    door.run(&[
        "setup",
        "--api",
        &sim.base_url(),
        "--tenant",
        "tnt_zzzzzzzzzzzzzzzzzzzzzzzzzz",
        "--event",
        &event,
    ])
    .success();
    let _ = door.run_with_token(demo::SCAN_TOKEN, &["sync", "--upload-only"]);
    assert_eq!(
        sim.sim().request_count("PUT /tickets/{key}/check-in", 200),
        0
    );
    assert!(ids
        .iter()
        .all(|id| sim.sim().ticket(id).unwrap().status == TicketStatus::Active));
}

#[test]
fn login_keeps_the_token_in_the_keychain_only_and_logout_keeps_the_scans() {
    let sim = sim(3_000);
    let door = door_for(&sim, &[]);
    let login = door.run_stdin(&["--json", "login"], demo::SCAN_TOKEN.as_bytes());
    let report = login.success().json_lines().remove(0);
    assert_eq!(report["access"][0]["scan"], "YES", "{report}");
    assert_eq!(report["access"][0]["read"], "YES", "{report}");
    assert_eq!(report["warnings"], serde_json::json!([]), "{report}");
    // The token comes from the keychain now.
    door.run(&["sync"]).success();
    let ids = active(&sim, 2, 0);
    scan_all(&door, &ids);
    let _ = door.run_with_token("wrong-token-for-error-paths", &["sync", "--upload-only"]);
    door.run(&["sync", "--upload-only", "--wait", "30"])
        .success();
    let logout = door
        .run(&["--json", "logout"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(logout["removed"], true);
    let err = door.run(&["sync"]).failure();
    assert!(err.contains("usher login"), "{err}");
    assert_eq!(door.log().len(), 2, "logout keeps the scan log");
    // The token is nowhere in the data folder, logs included.
    for entry in files_under(&door.dir) {
        let bytes = std::fs::read(entry).unwrap();
        assert!(!bytes
            .windows(demo::SCAN_TOKEN.len())
            .any(|w| w == demo::SCAN_TOKEN.as_bytes()));
    }
}

/// A sim whose extra tokens show the shapes of `/users/me` a door meets: scanning granted only
/// through a role (not listed), a service token (`user: null`), and a token that can do
/// everything.
fn sim_with_login_shapes() -> RunningSim {
    use session_sim::{Token, TokenMembership};
    let door_role = TokenMembership::new(&[]).with_role(
        "rol_door_staff",
        &["ticket.scan", "ticket.read", "event.read"],
    );
    spawn(
        SimConfig::demo()
            .with_token(Token::with_derived_user("role-token", &[]).with_membership(door_role))
            .with_token(Token::service(
                "service-token",
                &["ticket.scan", "ticket.read"],
            ))
            .with_token(Token::with_derived_user("everything-token", &["*"])),
    )
    .unwrap()
}

fn login_as(door: &Door, token: &str) -> Value {
    door.run_stdin(&["--json", "login"], token.as_bytes())
        .success()
        .json_lines()
        .remove(0)
}

/// Roles may grant what `/users/me` does not list: login keeps the token, says the scan
/// permission could not be confirmed, and the first check-in tells (here: it works).
#[test]
fn a_token_whose_role_grants_scanning_logs_in_unconfirmed_and_scans() {
    let sim = sim_with_login_shapes();
    let door = door_for(&sim, &[]);
    let report = login_as(&door, "role-token");
    assert_eq!(report["access"][0]["scan"], "UNCONFIRMED", "{report}");
    assert!(
        report["access"][0]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("the first check-in will tell")),
        "{report}"
    );
    door.run(&["sync"]).success();
    let id = &active(&sim, 1, 0)[0];
    let v = door.scan_one(id);
    assert_eq!(
        (v["verdict"].as_str(), v["upload"].as_str()),
        (Some("ADMIT"), Some("ACKNOWLEDGED")),
        "{v}"
    );
}

#[test]
fn a_service_token_with_no_user_logs_in_and_scans() {
    let sim = sim_with_login_shapes();
    let door = door_for(&sim, &[]);
    let report = login_as(&door, "service-token");
    assert_eq!(report["user"], Value::Null, "{report}");
    assert_eq!(report["access"][0]["scan"], "YES", "{report}");
    door.run(&["sync"]).success();
    assert_eq!(
        door.scan_one(&active(&sim, 1, 0)[0])["upload"],
        "ACKNOWLEDGED"
    );
}

#[test]
fn a_token_that_can_do_everything_is_warned_about_at_login() {
    let sim = sim_with_login_shapes();
    let door = door_for(&sim, &[]);
    let report = login_as(&door, "everything-token");
    assert_eq!(report["access"][0]["scan"], "YES", "{report}");
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("much more than scan") && warnings.contains("SCANNING"),
        "{report}"
    );
    let text = door
        .run_stdin(&["login"], b"everything-token")
        .success()
        .stdout();
    assert!(
        text.contains("warning: This token can do much more than scan"),
        "{text}"
    );
}

#[test]
fn a_token_without_scan_permission_is_told_plainly() {
    let sim = spawn(
        SimConfig::demo().with_token(session_sim::Token::with_derived_user(
            "read-only",
            &["ticket.read", "event.read"],
        )),
    )
    .unwrap();
    let door = door_for(&sim, &[]);
    door.run_with_token("read-only", &["sync"]).success();
    scan_all(&door, &active(&sim, 1, 0));
    let err = door
        .run_with_token("read-only", &["sync", "--upload-only"])
        .failure();
    assert!(err.contains("SCANNING"), "{err}");
    assert_eq!(door.status()["pendingUpload"], 1);
}

fn scan_online(door: &Door, code: &str) -> Value {
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "scan", code])
        .success()
        .json_lines()
        .remove(0)
}

#[test]
fn online_confirm_admits_and_is_acknowledged_at_once() {
    let sim = sim(3_000);
    let door = synced_door(&sim);
    let id = &active(&sim, 1, 0)[0];
    let v = scan_online(&door, id);
    assert_eq!(
        (v["verdict"].as_str(), v["confirmedOnline"].as_bool()),
        (Some("ADMIT"), Some(true))
    );
    assert_eq!(v["upload"], "ACKNOWLEDGED");
    assert_eq!(sim.sim().ticket(id).unwrap().status, TicketStatus::Redeemed);
    assert_eq!(door.status()["pendingUpload"], 0);
}

#[test]
fn online_confirm_refuses_a_screenshot_already_used_at_another_gate() {
    let sim = sim(3_000);
    let (a, b) = (synced_door(&sim), synced_door(&sim));
    let id = &active(&sim, 1, 0)[0];
    assert_eq!(scan_online(&a, id)["verdict"], "ADMIT");
    // B's cache still says ACTIVE; the server says otherwise, and the door shows it.
    let v = scan_online(&b, id);
    assert_eq!(v["verdict"], "ALREADY_CHECKED_IN", "{v}");
    assert_eq!(v["confirmedOnline"], true);
    assert_eq!(v["previous"]["deviceId"], device_id(&a).as_str());
    assert_eq!(v["upload"], "CONFLICT");
    // The log keeps both: what the cache decided and what the server made of it.
    let db = b.db();
    let (local, online): (String, String) = db
        .query_row("SELECT verdict, online_verdict FROM scans", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (local.as_str(), online.as_str()),
        ("ADMIT", "ALREADY_CHECKED_IN")
    );
    let ins = server_check_ins(&sim, id);
    assert_eq!(ins, 1);
}

#[test]
fn slow_server_leaves_the_verdict_to_the_cache_and_queues_the_same_key() {
    let sim = sim(3_000);
    let door = synced_door(&sim);
    let id = &active(&sim, 1, 0)[0];
    sim.set_faults(Faults {
        latency_ms: 4_000,
        ..Faults::none()
    });
    let started = std::time::Instant::now();
    let v = scan_online(&door, id);
    let waited = started.elapsed();
    assert_eq!(
        (v["verdict"].as_str(), v["confirmedOnline"].as_bool()),
        (Some("ADMIT"), Some(false))
    );
    assert_eq!(v["upload"], "PENDING");
    assert!(
        waited < std::time::Duration::from_millis(3_900),
        "the door must not wait for a slow server: {waited:?}"
    );
    sim.set_faults(Faults::none());
    let out = door
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "30"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["upload"]["stillPending"], 0);
    // The slow request may have landed too: the shared idempotency key makes it one check-in.
    std::thread::sleep(std::time::Duration::from_millis(4_500));
    let ins = server_check_ins(&sim, id);
    assert_eq!(ins, 1);
}

#[test]
fn forced_offline_door_never_asks_the_server() {
    let sim = sim(3_000);
    let door = synced_door(&sim);
    door.setup_against(&sim, &["--offline"]).success();
    let v = scan_online(&door, &active(&sim, 1, 0)[0]);
    assert_eq!(
        (v["verdict"].as_str(), v["confirmedOnline"].as_bool()),
        (Some("ADMIT"), Some(false))
    );
    assert_eq!(
        sim.sim().request_count("PUT /tickets/{key}/check-in", 200),
        0
    );
}

#[test]
fn door_decides_from_the_cache_when_the_server_is_down() {
    let mut sim = sim(3_000);
    let door = synced_door(&sim);
    sim.stop();
    let ids = active(&sim, 3, 0);
    let input = ids.join("\n");
    let out = door
        .cmd()
        .env("SESSION_SERVICES_TOKEN", demo::SCAN_TOKEN)
        .args(["--json", "scan", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(input.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let lines = Run(out).success().json_lines();
    assert!(lines
        .iter()
        .all(|v| v["verdict"] == "ADMIT" && v["upload"] == "PENDING"));
    sim.restart().unwrap();
    let out = door
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "30"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["upload"]["acknowledged"], 3);
}

/// Polls `check` for up to `secs` seconds.
fn eventually(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        if check() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn background_sync_uploads_new_scans_and_recovers_after_an_outage() {
    let mut sim = sim(3_000);
    let door = synced_door(&sim);
    let mut watcher = door
        .cmd()
        .env("SESSION_SERVICES_TOKEN", demo::SCAN_TOKEN)
        .args(["--json", "sync", "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let ids = active(&sim, 2, 0);
    scan_all(&door, &ids[..1]);
    let first = ids[0].clone();
    let uploaded = eventually(15, || {
        sim.sim().ticket(&first).unwrap().status == TicketStatus::Redeemed
    });
    // An outage: the scan made meanwhile waits, and goes up once the server is back.
    sim.stop();
    scan_all(&door, &ids[1..]);
    std::thread::sleep(std::time::Duration::from_secs(2));
    sim.restart().unwrap();
    let second = ids[1].clone();
    let recovered = eventually(30, || {
        sim.sim().ticket(&second).unwrap().status == TicketStatus::Redeemed
    });
    // The server applies a check-in before the door hears the answer: wait for the door to
    // record it, not just for the server, before stopping the loop.
    let settled = eventually(30, || door.status()["pendingUpload"] == 0);
    watcher.kill().ok();
    watcher.wait().unwrap();
    assert!(
        uploaded,
        "the first scan was not uploaded by the background loop"
    );
    assert!(
        recovered,
        "the background loop did not recover after the outage"
    );
    assert!(settled, "the door did not record the server's answers");
    assert_eq!(door.status()["pendingUpload"], 0);
}

#[test]
fn events_lists_the_tenants_events_and_marks_this_devices() {
    let sim = sim(3_000);
    let door = door_for(&sim, &[]);
    let events = door
        .run(&["--json", "events"])
        .success()
        .json_lines()
        .remove(0);
    let ids: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let expected = sim.sim().dataset().event_ids();
    assert_eq!(ids.len(), expected.len());
    assert!(expected.iter().all(|e| ids.contains(&e.as_str())));
    let text = door.run(&["events"]).success().stdout();
    assert!(text.contains("(this device)"), "{text}");
}

/// A re-entry scanned while the same guest's check-out is still queued is decided from the
/// cache and queued behind it: confirming it online first would reach the server out of door
/// order (it would answer "already in", and the late check-out would leave the guest "out").
#[test]
fn re_entry_behind_a_queued_check_out_is_not_confirmed_online_and_uploads_in_door_order() {
    use usher_core::gate::Mode;
    use usher_core::scanlog::{Source, UploadState};
    let sim = sim(3_000);
    let door = synced_door(&sim);
    let id = &active(&sim, 1, 0)[0];
    let (store, _, client) = door.sync_parts();
    let confirm = usher_sync::online::OnlineClient::new(client).unwrap();
    let mut gate = usher_core::Door::open(store.into_inner().unwrap())
        .unwrap()
        .with_online_confirm(Box::new(confirm), usher_core::online::DEFAULT_TIMEOUT);
    let mut scan = |direction: Mode| {
        let input = usher_core::ScanInput {
            direction: Some(direction),
            ..usher_core::ScanInput::new(id.as_bytes(), Source::Manual)
        };
        gate.scan(input, jiff::Timestamp::now()).unwrap()
    };

    let first = scan(Mode::Entry);
    assert!(first.confirmed_online, "{first:?}");
    // The check-out finds the server failing: it stays queued.
    sim.set_faults(Faults {
        error_503_rate: 1.0,
        ..Faults::none()
    });
    let out = scan(Mode::Exit);
    assert_eq!(out.upload, UploadState::Pending, "{out:?}");
    sim.set_faults(Faults::none());

    let back = scan(Mode::Entry);
    assert_eq!(
        back.verdict,
        usher_core::verdict::VerdictKind::Admit,
        "{back:?}"
    );
    assert!(
        !back.confirmed_online,
        "confirmed ahead of the queued check-out"
    );
    assert_eq!(back.upload, UploadState::Pending);
    drop(gate);

    door.run_with_token(demo::SCAN_TOKEN, &["sync", "--upload-only"])
        .success();
    assert_eq!(door.status()["pendingUpload"], 0);
    let server = sim.sim().ticket(id).unwrap();
    assert_eq!(server.status, TicketStatus::Redeemed, "the guest is in");
    let kinds: Vec<_> = server.scans.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [ScanKind::CheckIn, ScanKind::CheckOut, ScanKind::CheckIn],
        "the server saw the door's order"
    );
}

/// "Strings where types belong": a stored gate filter that does not read is a damaged cache,
/// never an upload with no filter (which would admit at every admission).
#[test]
fn a_queued_scan_with_an_unreadable_gate_filter_is_not_uploaded_as_every_admission() {
    let sim = sim(300);
    let door = synced_door(&sim);
    door.setup_against(&sim, &["--offline"]).success();
    let id = active(&sim, 1, 0)[0].clone();
    let v = scan_online(&door, &id);
    assert_eq!(v["upload"], "PENDING", "{v}");
    let db = door.db();
    db.execute_batch(
        "DROP TRIGGER scans_door_facts_are_immutable;
         UPDATE scans SET admission_ids = 'every one';",
    )
    .unwrap();
    drop(db);
    let err = door.run_with_token(demo::SCAN_TOKEN, &["sync"]).failure();
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(
        sim.sim().request_count("PUT /tickets/{key}/check-in", 200),
        0,
        "nothing was sent"
    );
}
