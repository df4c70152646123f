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
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("# Usher scan log"), "{}", lines[0]);
    assert!(lines[1].starts_with("seq,scanId,doorTime"), "{}", lines[1]);
    assert!(lines[2].contains("ADMIT") && lines[3].contains("ALREADY_CHECKED_IN"));
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
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r["upload"] == "PENDING" && r["action"] == "CHECK_IN"));
}

#[test]
fn export_states_its_tenant_event_device_and_time_range_first() {
    let door = Door::ready(&[]);
    let ids = dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let scans = door.scan(&[&ids[0], &ids[1]], &[]);
    let out = door.tmp().join("scans.jsonl");
    door.run(&["export", "--out", out.to_str().unwrap()])
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let h = &header["usherExport"];
    assert_eq!(h["events"], serde_json::json!([event_id(0)]));
    assert_eq!(h["tenants"].as_array().unwrap().len(), 1, "{h}");
    assert!(h["deviceId"].as_str().unwrap().starts_with("usher-"), "{h}");
    assert_eq!(h["from"], scans[0]["doorTime"]);
    assert_eq!(h["to"], scans[1]["doorTime"]);
    assert_eq!(h["rows"], 2);

    let csv = door.tmp().join("scans.csv");
    door.run(&["export", "--out", csv.to_str().unwrap()])
        .success();
    let first = std::fs::read_to_string(&csv).unwrap();
    let first = first.lines().next().unwrap();
    assert!(
        first.starts_with("# Usher scan log") && first.contains(&event_id(0)),
        "{first}"
    );
}

#[cfg(unix)]
#[test]
fn export_is_owner_only_and_replaces_the_file_whole() {
    use std::os::unix::fs::PermissionsExt;
    let door = Door::ready(&[]);
    door.scan(&["junk"], &[]);
    let out = door.tmp().join("scans.csv");
    std::fs::write(&out, "an older export").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    door.run(&["export", "--out", out.to_str().unwrap()])
        .success();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!std::fs::read_to_string(&out).unwrap().contains("older"));
    let leftovers: Vec<_> = std::fs::read_dir(door.tmp())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".usher-export"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn export_refuses_to_write_through_a_symlink() {
    let door = Door::ready(&[]);
    door.scan(&["junk"], &[]);
    let victim = door.tmp().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = door.tmp().join("scans.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = door
        .run(&["export", "--out", link.to_str().unwrap()])
        .failure();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn csv_export_neutralises_a_scanned_formula() {
    let door = Door::ready(&[]);
    // Through stdin: "-2" would be read as a flag on the command line.
    door.run_stdin(
        &["--json", "scan", "-"],
        b"=HYPERLINK(\"http://x\",\"y\")\n@SUM(A1)\n+1\n-2\nplain\n",
    )
    .success();
    let out = door.tmp().join("scans.csv");
    door.run(&["export", "--out", out.to_str().unwrap()])
        .success();
    let text = std::fs::read_to_string(out).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let col = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "payload")
        .unwrap();
    let payloads: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[col].to_string())
        .collect();
    assert_eq!(
        payloads,
        [
            "'=HYPERLINK(\"http://x\",\"y\")",
            "'@SUM(A1)",
            "'+1",
            "'-2",
            "plain"
        ]
    );
}
