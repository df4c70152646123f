//! `usher export`: the whole scan log, or only the unsynced queue.

use crate::support::*;
use session_api::TicketStatus;

#[test]
fn csv_export_has_a_header_and_one_row_per_scan() {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    door.scan(&[id, id, "nope"], &[]);
    let out = door.tmp().join("scans.csv");
    door.run(&["export", "--out", out.to_str().unwrap()])
        .success();
    let text = std::fs::read_to_string(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("seq,scanId,doorTime"), "{}", lines[0]);
    assert!(lines[1].contains("ADMIT") && lines[2].contains("ALREADY_CHECKED_IN"));
}

#[test]
fn pending_export_lists_only_the_unsynced_queue() {
    let door = Door::ready(&[]);
    let ids = dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active);
    door.scan(&[&ids[0], &ids[1], &ids[0], "junk"], &[]);
    let out = door.tmp().join("queue.jsonl");
    door.run(&["export", "--pending", "--out", out.to_str().unwrap()])
        .success();
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r["upload"] == "PENDING" && r["action"] == "CHECK_IN"));
}
