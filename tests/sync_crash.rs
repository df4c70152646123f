//! Crash safety of sync: `usher scan` and `usher sync` run side by side on one data folder
//! against a slow, lossy simulator, and both are killed with SIGKILL at random moments, over
//! and over. A final sync then drains the queue. Every recorded check-in reaches the server
//! exactly once (idempotent replays count once), every printed verdict has its row, no ticket
//! is admitted twice, and the database is intact.
//!
//! Kills are placed by progress, never at a time after spawn: the scanner after its k-th
//! printed verdict, the syncer after the simulator has received its m-th request of the round
//! (or once the scanner is done, so a syncer with nothing to send is killed too), each plus a
//! seeded random delay. A loaded machine kills at the same points of the work as an idle one.
//!
//! The same test is the soak (`scripts/soak`): `USHER_SOAK=1` turns it into 1,000 kills
//! (`USHER_SOAK_KILLS`) of `usher scan -` and `usher sync --watch` against 30% faults, on a
//! bigger event, and prints the figures. A plain `cargo test` runs the short version.

use crate::support::*;
use serde_json::Value;
use session_api::{ScanKind, TicketStatus};
use session_sim::{demo, spawn, Dataset, DatasetSpec, Faults, RunningSim, SimConfig};
use std::collections::{HashMap, HashSet};
use std::process::{Child, Stdio};
use std::time::Instant;

/// Each round starts `STEP` tickets further into the pool, so rounds overlap.
const STEP: usize = 12;
/// Codes fed to each scanner.
const CODES: usize = 200;

/// One chaos run's size and weather.
struct Chaos {
    /// SIGKILLs of a running process, at least.
    kills: usize,
    /// Rounds at most, so the run ends whatever the machine.
    max_rounds: usize,
    tickets: usize,
    /// Distinct tickets scanned.
    pool: usize,
    /// `usher sync --watch` (the soak) rather than `usher sync --upload-only --wait 5`.
    watch: bool,
    faults: Faults,
    /// The syncer's kill: after up to this many requests, then up to this many µs.
    sync_after: u64,
    sync_delay_us: u64,
}

impl Chaos {
    /// The short run for `cargo test`, or the soak when `USHER_SOAK` is set.
    fn from_env() -> Chaos {
        if std::env::var_os("USHER_SOAK").is_none() {
            return Chaos {
                kills: 200,
                max_rounds: 400,
                tickets: 10_000,
                pool: 1_500,
                watch: false,
                // A slow network that loses answers after committing them: the replays must
                // count once.
                faults: Faults {
                    seed: 11,
                    latency_ms: 5,
                    jitter_ms: 20,
                    commit_then_drop_rate: 0.2,
                    ..Faults::none()
                },
                sync_after: 6,
                sync_delay_us: 50_000,
            };
        }
        let kills = std::env::var("USHER_SOAK_KILLS")
            .ok()
            .map(|k| k.parse().expect("USHER_SOAK_KILLS is a number"))
            .unwrap_or(1_000);
        Chaos {
            kills,
            max_rounds: kills * 2,
            tickets: 40_000,
            pool: 12_000,
            watch: true,
            // 30% of requests fail: before anything is applied (500, 503, a reset), or
            // after the check-in is committed (the answer dropped).
            faults: Faults {
                seed: 30,
                latency_ms: 5,
                jitter_ms: 20,
                error_500_rate: 0.08,
                error_503_rate: 0.07,
                reset_rate: 0.05,
                commit_then_drop_rate: 0.10,
                ..Faults::none()
            },
            sync_after: 40,
            // The watch loop polls the log every 500 ms: let it live through some polls.
            sync_delay_us: 1_500_000,
        }
    }
}

/// Every API request the simulator has counted, whatever its answer.
fn requests(sim: &RunningSim) -> u64 {
    sim.sim().request_counts().iter().map(|c| c.count).sum()
}

#[test]
fn sigkilled_scans_and_syncs_still_reach_the_server_exactly_once() {
    let chaos = Chaos::from_env();
    let sim = spawn(SimConfig::new(Dataset::generate(&DatasetSpec {
        tickets: chaos.tickets,
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
        .take(chaos.pool)
        .collect();
    assert_eq!(pool.len(), chaos.pool);

    sim.set_faults(chaos.faults.clone());

    let mut rng = XorShift(0x5eed_cafe);
    let mut printed: Vec<Value> = vec![];
    let (mut kills, mut scan_kills, mut sync_kills, mut rounds) = (0, 0, 0, 0);
    let started = Instant::now();
    while kills < chaos.kills && rounds < chaos.max_rounds {
        let mut scanner = door
            .cmd()
            .args(["--json", "scan", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = requests(&sim);
        let mut syncer = door
            .cmd()
            .env("SESSION_SERVICES_TOKEN", demo::SCAN_TOKEN)
            .args(if chaos.watch {
                &["--json", "sync", "--watch"][..]
            } else {
                &["sync", "--upload-only", "--wait", "5"][..]
            })
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // New tickets, and tickets of the round before, so tickets are re-scanned after every
        // kind of crash, whether their first scan was uploaded or not.
        let codes: Vec<String> = (0..CODES)
            .map(|i| pool[(rounds * STEP + i) % chaos.pool].clone())
            .collect();
        let feeding = Feeding::start(&mut scanner, codes);
        // The scanner after 1 to 24 verdicts, then up to 5 ms on.
        let mut scan_kill = Kill::random(&mut rng, 24, 5_000);
        let mut sync_kill = Kill::random(&mut rng, chaos.sync_after, chaos.sync_delay_us);
        let (scan_hit, sync_hit) = kill_side_by_side(
            &mut scanner,
            &feeding,
            &mut scan_kill,
            &mut syncer,
            &mut sync_kill,
            || requests(&sim) - base,
        );
        scan_kills += scan_hit as usize;
        sync_kills += sync_hit as usize;
        kills += scan_hit as usize + sync_hit as usize;
        let this = feeding.printed();
        assert!(
            this.len() as u64 >= scan_kill.after,
            "round {rounds}: the scanner was killed after {} verdicts, {} were read",
            scan_kill.after,
            this.len()
        );
        printed.extend(this);
        rounds += 1;
    }
    let chaos_time = started.elapsed();
    assert!(
        kills >= chaos.kills && scan_kills > 0 && sync_kills > 0,
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
    let mut lost: Vec<String> = vec![];
    for p in &printed {
        let id = p["scanId"].as_str().unwrap();
        match logged.get(id) {
            None => lost.push(format!("printed scan {id} is not in the log")),
            Some(row) if row["verdict"] != p["verdict"] => lost.push(format!(
                "printed scan {id} was {} but its row says {}",
                p["verdict"], row["verdict"]
            )),
            Some(_) => {}
        }
    }
    // No ticket admitted twice locally.
    let mut doubled: Vec<String> = vec![];
    let mut admitted: HashMap<&str, &Value> = HashMap::new();
    for r in log.iter().filter(|r| r["verdict"] == "ADMIT") {
        let key = r["key"].as_str().unwrap();
        if admitted.insert(key, r).is_some() {
            doubled.push(format!("admitted twice here: {key}"));
        }
    }
    // Every check-in was settled by the server. With one device and tickets that started
    // unused, a conflict would mean a replay was not recognised, so each one is acknowledged.
    let check_ins: Vec<&Value> = log.iter().filter(|r| r["action"] == "CHECK_IN").collect();
    for r in &check_ins {
        if r["upload"] != "ACKNOWLEDGED" {
            lost.push(format!(
                "check-in of {} is {} ({})",
                r["key"], r["upload"], r["lastError"]
            ));
        }
    }
    // The server holds exactly one check-in by this device per admitted ticket, the one the
    // log acknowledged, and none for a ticket this device did not admit.
    let mut on_server = 0;
    for id in pool.iter().collect::<HashSet<_>>() {
        let t = sim.sim().ticket(id).unwrap();
        let mine: Vec<_> = t
            .scans
            .iter()
            .filter(|s| s.kind == ScanKind::CheckIn && s.device_id.as_deref() == Some(me.as_str()))
            .collect();
        on_server += mine.len();
        match (admitted.get(id.as_str()), mine.len()) {
            (Some(_), 0) => lost.push(format!("{id}: admitted here, no check-in on the server")),
            (None, 0) => {}
            (Some(row), 1) => {
                if t.status != TicketStatus::Redeemed
                    || row["serverScanId"].as_str() != Some(mine[0].id.as_str())
                {
                    lost.push(format!(
                        "{id}: the server's check-in is not the logged one ({:?})",
                        t.status
                    ));
                }
            }
            (None, n) => doubled.push(format!(
                "{id}: {n} check-ins on the server, none admitted here"
            )),
            (Some(_), n) => doubled.push(format!("{id}: {n} check-ins on the server")),
        }
    }

    let db = door.db();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    eprintln!(
        "chaos: {kills} kills ({scan_kills} scans, {sync_kills} {}) in {rounds} rounds, {:.1?}; \
         {} scans printed, {} rows, {} tickets admitted, {} check-ins logged, {on_server} \
         check-ins on the simulator, {dropped} answers dropped; lost {}, doubled {}; \
         integrity_check {check}",
        if chaos.watch { "sync --watch" } else { "syncs" },
        chaos_time,
        printed.len(),
        log.len(),
        admitted.len(),
        check_ins.len(),
        lost.len(),
        doubled.len(),
    );
    assert!(lost.is_empty(), "lost: {lost:?}");
    assert!(doubled.is_empty(), "doubled: {doubled:?}");
    assert_eq!(check, "ok");
    assert_eq!(check_ins.len(), admitted.len());
    assert!(
        admitted.len() >= 100,
        "too few tickets admitted to prove much: {}",
        admitted.len()
    );
}

/// Kills the scanner by its verdicts and the syncer by the requests the simulator received
/// since the round began; once the scanner is settled the syncer's delay starts whatever its
/// progress (a syncer with nothing left to send would otherwise wait out its `--wait`, or,
/// watching, never end).
fn kill_side_by_side(
    scanner: &mut Child,
    feeding: &Feeding,
    scan_kill: &mut Kill,
    syncer: &mut Child,
    sync_kill: &mut Kill,
    sync_progress: impl Fn() -> u64,
) -> (bool, bool) {
    let scan_progress = || feeding.count();
    let scan_hit = {
        // Poll both until the scanner is settled; the syncer may be killed first.
        let mut last = (0, Instant::now());
        loop {
            sync_kill.poll(syncer, sync_progress());
            let n = scan_progress();
            if let Some(hit) = scan_kill.poll(scanner, n) {
                break hit;
            }
            if n != last.0 {
                last = (n, Instant::now());
            }
            assert!(
                last.1.elapsed() < STALL,
                "the scanner printed nothing more in {STALL:?} ({n} verdicts)"
            );
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
    };
    sync_kill.arm();
    let sync_hit = kill_on_progress(&mut [(syncer, sync_kill, &sync_progress)])[0];
    (scan_hit, sync_hit)
}
