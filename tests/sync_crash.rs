//! Crash safety of sync: `usher scan` and `usher sync` run side by side on one data folder
//! against a slow, lossy simulator, and both are killed with SIGKILL at random moments, over
//! and over. A final sync then drains the queue. Every recorded check-in reaches the server
//! exactly once (idempotent replays count once), every printed verdict has its row, and the
//! database is intact.

use crate::support::*;
use serde_json::Value;
use session_api::{ScanKind, TicketStatus};
use session_sim::{demo, spawn, Dataset, DatasetSpec, Faults, SimConfig};
use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// SIGKILLs of a running process, at least.
const KILLS: usize = 200;
/// Rounds at most, so a machine that is too fast or too slow ends the test all the same.
const MAX_ROUNDS: usize = 400;
/// Distinct tickets scanned; each round starts `STEP` further on, so rounds overlap.
const POOL: usize = 1_500;
const STEP: usize = 12;

#[test]
fn sigkilled_scans_and_syncs_still_reach_the_server_exactly_once() {
    let sim = spawn(SimConfig::new(Dataset::generate(&DatasetSpec {
        tickets: 10_000,
        ..DatasetSpec::default()
    })))
    .unwrap();
    let door = door_for(&sim, &[]);
    door.run_with_token(demo::SCAN_TOKEN, &["sync"]).success();
    let me = door.status()["deviceId"].as_str().unwrap().to_string();
    // Unused tickets of the admissions whose entry is open now.
    let data = sim.sim().dataset();
    let pool: Vec<String> = (0..3)
        .flat_map(|a| data.ticket_ids_of_admission(0, a, TicketStatus::Active))
        .take(POOL)
        .collect();
    assert_eq!(pool.len(), POOL);

    // A slow network that loses answers after committing them: the replays must count once.
    sim.set_faults(Faults {
        seed: 11,
        latency_ms: 5,
        jitter_ms: 20,
        commit_then_drop_rate: 0.2,
        ..Faults::none()
    });

    let mut rng = XorShift(0x5eed_cafe);
    let mut printed: Vec<Value> = vec![];
    let (mut kills, mut scan_kills, mut sync_kills, mut rounds) = (0, 0, 0, 0);
    let started = Instant::now();
    while kills < KILLS && rounds < MAX_ROUNDS {
        let mut scanner = door
            .cmd()
            .args(["--json", "scan", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut syncer = door
            .cmd()
            .env("SESSION_SERVICES_TOKEN", demo::SCAN_TOKEN)
            .args(["sync", "--upload-only", "--wait", "5"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // New tickets, and tickets of the round before, so tickets are re-scanned after every
        // kind of crash, whether their first scan was uploaded or not.
        let codes: Vec<String> = (0..200)
            .map(|i| pool[(rounds * STEP + i) % POOL].clone())
            .collect();
        let feeding = Feeding::start(&mut scanner, codes);
        let now = Instant::now();
        let scan_deadline = now + Duration::from_millis(5 + rng.next() % 150);
        let sync_deadline = now + Duration::from_millis(5 + rng.next() % 400);
        // Kill in deadline order, so neither waits for the other's moment.
        let (scan_hit, sync_hit) = if scan_deadline <= sync_deadline {
            let a = kill_at(&mut scanner, scan_deadline);
            (a, kill_at(&mut syncer, sync_deadline))
        } else {
            let b = kill_at(&mut syncer, sync_deadline);
            (kill_at(&mut scanner, scan_deadline), b)
        };
        scan_kills += scan_hit as usize;
        sync_kills += sync_hit as usize;
        kills += scan_hit as usize + sync_hit as usize;
        printed.extend(feeding.printed());
        rounds += 1;
    }
    let chaos = started.elapsed();
    assert!(
        kills >= KILLS && scan_kills > 0 && sync_kills > 0,
        "only {kills} kills ({scan_kills} scans, {sync_kills} syncs) in {rounds} rounds"
    );
    let dropped = sim.sim().request_count("PUT /tickets/{key}/check-in", 0);
    let acked_under_kills = door
        .log()
        .iter()
        .filter(|r| r["upload"] == "ACKNOWLEDGED")
        .count();
    assert!(
        dropped > 0 && acked_under_kills > 0,
        "uploads ran during the kills: {dropped} answers dropped, {acked_under_kills} acknowledged"
    );

    // Calm network: drain everything.
    sim.set_faults(Faults::none());
    let out = door
        .run_with_token(
            demo::SCAN_TOKEN,
            &["--json", "sync", "--upload-only", "--wait", "120"],
        )
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["upload"]["stillPending"], 0, "{out}");

    let log = door.log();
    // Every printed verdict has its row, with the same verdict.
    let logged: HashMap<&str, &Value> = log
        .iter()
        .map(|r| (r["scanId"].as_str().unwrap(), r))
        .collect();
    for p in &printed {
        let id = p["scanId"].as_str().unwrap();
        let row = logged
            .get(id)
            .unwrap_or_else(|| panic!("printed scan {id} is not in the log"));
        assert_eq!(row["verdict"], p["verdict"], "{id}");
    }
    // No ticket admitted twice locally.
    let mut admitted: HashMap<&str, &Value> = HashMap::new();
    for r in log.iter().filter(|r| r["verdict"] == "ADMIT") {
        let key = r["key"].as_str().unwrap();
        assert!(admitted.insert(key, r).is_none(), "admitted twice: {key}");
    }
    assert!(
        admitted.len() >= 100,
        "too few tickets admitted to prove much: {}",
        admitted.len()
    );
    // Every check-in was settled by the server. With one device and tickets that started
    // unused, a conflict would mean a replay was not recognised, so each one is acknowledged.
    let check_ins: Vec<&Value> = log.iter().filter(|r| r["action"] == "CHECK_IN").collect();
    assert_eq!(check_ins.len(), admitted.len());
    let unsettled: Vec<_> = check_ins
        .iter()
        .filter(|r| r["upload"] != "ACKNOWLEDGED" && r["upload"] != "CONFLICT")
        .map(|r| (&r["key"], &r["upload"]))
        .collect();
    assert!(unsettled.is_empty(), "lost or pending: {unsettled:?}");
    let conflicts: Vec<_> = check_ins
        .iter()
        .filter(|r| r["upload"] == "CONFLICT")
        .map(|r| (&r["key"], &r["lastError"]))
        .collect();
    assert!(
        conflicts.is_empty(),
        "own replays taken for conflicts: {conflicts:?}"
    );
    // The server holds exactly one check-in by this device per admitted ticket, the one the
    // log acknowledged, and none for a ticket this device did not admit.
    let mut wrong = vec![];
    for id in &pool {
        let t = sim.sim().ticket(id).unwrap();
        let mine: Vec<_> = t
            .scans
            .iter()
            .filter(|s| s.kind == ScanKind::CheckIn && s.device_id.as_deref() == Some(me.as_str()))
            .collect();
        let right = match admitted.get(id.as_str()) {
            Some(row) => {
                mine.len() == 1
                    && t.status == TicketStatus::Redeemed
                    && row["serverScanId"].as_str() == Some(mine[0].id.as_str())
            }
            None => mine.is_empty(),
        };
        if !right {
            wrong.push(format!(
                "{id}: admitted here: {}, {} check-ins by this device, {:?}",
                admitted.contains_key(id.as_str()),
                mine.len(),
                t.status
            ));
        }
    }
    assert!(wrong.is_empty(), "server disagrees with the log: {wrong:?}");

    let db = rusqlite::Connection::open(door.dir.join("usher.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    eprintln!(
        "{kills} kills ({scan_kills} scans, {sync_kills} syncs) in {rounds} rounds, {:.1?}; \
         {} verdicts printed, {} tickets admitted, {dropped} answers dropped",
        chaos,
        printed.len(),
        admitted.len()
    );
}
