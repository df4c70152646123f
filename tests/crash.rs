//! Crash safety: `usher scan` killed with SIGKILL at random moments, many times. Every
//! verdict that was printed has its row in the log, and no ticket is ever admitted twice.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::time::{Duration, Instant};

const KILLS: usize = 60;

#[test]
fn sigkill_between_decide_and_print_never_loses_a_printed_verdict() {
    let door = Door::ready(&[]);
    let ids = dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let mut printed: Vec<Value> = vec![];
    // Seeded kill delays: random, but the same every run.
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
        kill_at(
            &mut child,
            Instant::now() + Duration::from_millis(5 + rng.next() % 120),
        );
        printed.extend(feeding.printed());
    }
    assert!(
        printed.len() > KILLS,
        "the processes printed too little: {}",
        printed.len()
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
    let db = rusqlite::Connection::open(door.dir.join("usher.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
