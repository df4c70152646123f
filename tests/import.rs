//! `usher import`: the API's own shapes in, or a clear refusal with the cache unchanged.

use crate::support::*;
use serde_json::{json, Value};
use session_api::TicketStatus;

fn file() -> Value {
    serde_json::from_slice(&import_json(0)).unwrap()
}

/// Imports `bytes` into a ready door and asserts a refusal naming `needle`, with the cache
/// exactly as before.
#[track_caller]
fn refused(bytes: &[u8], needle: &str) {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    door.scan_one(id);
    let before = door.status();
    let err = door.import_bytes(bytes).failure();
    assert!(err.contains("import refused"), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    let mut after = door.status();
    // Ages move with the clock; everything else must be exactly as before.
    for age in ["cacheAgeSeconds", "oldestPendingAgeSeconds"] {
        after[age] = before[age].clone();
    }
    assert_eq!(before, after, "the cache must be unchanged");
}

#[test]
fn import_reports_what_it_loaded() {
    let door = Door::new();
    door.setup(&event_id(0), &[]).success();
    let out = door
        .run(&["--json", "import", &write(&door, &import_json(0))])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(out["eventId"], event_id(0).as_str());
    assert_eq!(
        out["tickets"],
        dataset().ticket_ids(0, TicketStatus::Active).len()
            + dataset().ticket_ids(0, TicketStatus::Cancelled).len()
            + dataset().ticket_ids(0, TicketStatus::Redeemed).len()
    );
    assert_eq!(out["admissions"], 5);
}

fn write(door: &Door, bytes: &[u8]) -> String {
    let p = door.tmp().join("f.json");
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn reimport_keeps_local_scans() {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    door.scan_one(id);
    door.import_bytes(&import_json(0)).success();
    assert_eq!(door.scan_one(id)["verdict"], "ALREADY_CHECKED_IN");
}

#[test]
fn truncated_import_is_refused() {
    let bytes = import_json(0);
    refused(&bytes[..bytes.len() / 2], "truncated");
}

#[test]
fn non_json_import_is_refused() {
    refused(b"\x89PNG\r\n\x1a\n not json at all", "not valid JSON");
}

#[test]
fn ticket_of_another_event_is_refused() {
    let mut f = file();
    f["tickets"][5]["eventId"] = json!("evt_zzzzzzzzzzzzzzzzzzzzzzzzzz");
    refused(
        &serde_json::to_vec(&f).unwrap(),
        "evt_zzzzzzzzzzzzzzzzzzzzzzzzzz",
    );
}

#[test]
fn ticket_with_unknown_admission_is_refused() {
    let mut f = file();
    f["tickets"][7]["admissionId"] = json!("adm_zzzzzzzzzzzzzzzzzzzzzzzzzz");
    refused(
        &serde_json::to_vec(&f).unwrap(),
        "adm_zzzzzzzzzzzzzzzzzzzzzzzzzz",
    );
}

#[test]
fn malformed_ticket_id_is_refused() {
    let mut f = file();
    f["tickets"][0]["id"] = json!("TKT-1");
    refused(&serde_json::to_vec(&f).unwrap(), "TKT-1");
}

#[test]
fn unknown_status_is_refused() {
    let mut f = file();
    f["tickets"][3]["status"] = json!("LOST");
    refused(&serde_json::to_vec(&f).unwrap(), "LOST");
}

#[test]
fn unknown_time_zone_is_refused() {
    let mut f = file();
    f["event"]["location"]["timeZone"] = json!("Mars/Olympus_Mons");
    refused(&serde_json::to_vec(&f).unwrap(), "Mars/Olympus_Mons");
}

#[test]
fn malformed_entry_time_is_refused() {
    let mut f = file();
    f["event"]["admissions"][0]["entryStartsAt"] = json!("7pm-ish");
    refused(&serde_json::to_vec(&f).unwrap(), "7pm-ish");
}

#[test]
fn file_without_event_is_refused() {
    let mut f = file();
    f.as_object_mut().unwrap().remove("event");
    refused(&serde_json::to_vec(&f).unwrap(), "no \"event\"");
}

#[test]
fn tickets_before_the_event_are_still_checked() {
    let f = file();
    let mut tickets = f["tickets"].clone();
    tickets[2]["eventId"] = json!("evt_zzzzzzzzzzzzzzzzzzzzzzzzzz");
    let text = format!("{{\"tickets\": {tickets}, \"event\": {}}}", f["event"]);
    refused(text.as_bytes(), "evt_zzzzzzzzzzzzzzzzzzzzzzzzzz");
}

#[test]
fn event_of_another_tenant_is_never_mixed_in() {
    let door = Door::ready(&[]);
    door.run(&[
        "setup",
        "--api",
        "sandbox",
        "--tenant",
        "tnt_zzzzzzzzzzzzzzzzzzzzzzzzzz",
        "--event",
        &event_id(0),
    ])
    .success();
    let err = door.import_bytes(&import_json(0)).failure();
    assert!(err.contains("never mix"), "{err}");
}

#[test]
fn missing_import_file_is_named() {
    let door = Door::ready(&[]);
    let err = door.run(&["import", "/nonexistent/guests.json"]).failure();
    assert!(err.contains("/nonexistent/guests.json"), "{err}");
}
