//! Crash safety: `usher scan` killed with SIGKILL at random moments, many times. Every
//! verdict that was printed has its row in the log, and no ticket is ever admitted twice.
//!
//! Each kill is placed by progress (after the k-th printed verdict, plus a seeded random
//! delay), never at a time after spawn, so a loaded machine kills at the same points of the
//! work as an idle one.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use std::collections::{HashMap, HashSet};
use std::process::Stdio;

const KILLS: usize = 60;

#[test]
fn sigkill_between_decide_and_print_never_loses_a_printed_verdict() {
    let door = Door::ready(&[]);
    let ids = dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let mut printed: Vec<Value> = vec![];
    let mut kills = 0;
    // Seeded kill points: random, but the same every run.
    let mut rng = XorShift(0x5eed);
    for round in 0..KILLS {
        let mut child = door
            .cmd()
            .args(["--json", "scan", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Overlapping codes across rounds, so the same tickets are re-scanned after crashes.
        let codes: Vec<String> = (0..400)
            .map(|i| ids[(round * 37 + i * 7) % 300].clone())
            .collect();
        let feeding = Feeding::start(&mut child, codes);
        // After 1 to 40 verdicts, then up to 3 ms on: between two scans or inside one.
        let mut kill = Kill::random(&mut rng, 40, 3_000);
        let hit = kill_on_progress(&mut [(&mut child, &mut kill, &|| feeding.count())]);
        kills += hit[0] as usize;
        let this = feeding.printed();
        assert!(
            this.len() as u64 >= kill.after,
            "round {round}: killed after {} verdicts but only {} were read",
            kill.after,
            this.len()
        );
        printed.extend(this);
    }
    assert!(
        kills > 0,
        "every process ended before its kill: nothing was proven"
    );

    let log = door.log();
    let logged: HashMap<&str, &Value> = log
        .iter()
        .map(|r| (r["scanId"].as_str().unwrap(), r))
        .collect();
    for p in &printed {
        let id = p["scanId"].as_str().unwrap();
        let row = logged
            .get(id)
            .unwrap_or_else(|| panic!("printed scan {id} is not in the log"));
        assert_eq!(row["verdict"], p["verdict"]);
    }
    // No ticket admitted twice, whatever the crashes.
    let mut admitted = HashSet::new();
    for r in log.iter().filter(|r| r["verdict"] == "ADMIT") {
        assert!(
            admitted.insert(r["key"].as_str().unwrap()),
            "admitted twice: {}",
            r["key"]
        );
    }
    // The database is intact after all the kills.
    let db = door.db();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
