//! Bad input gets a clear error and loses nothing: scanned codes, config, corrupt caches,
//! unwritable folders.

use crate::support::*;
use session_api::TicketStatus;

#[test]
fn garbage_binary_and_one_megabyte_payloads_are_not_ticket_codes() {
    let door = Door::ready(&[]);
    let mut input = Vec::new();
    input.extend_from_slice(b"hello world\n");
    input.extend_from_slice(&[0x00, 0xff, 0xfe, 0x1b, b'[', b'2', b'J', b'\n']);
    let mut big = vec![b'a'; 1 << 20];
    big[..30].copy_from_slice(b"tkt_0000000000000000000000000a");
    input.extend_from_slice(&big);
    input.extend_from_slice(b"\n<script>alert(1)</script>\n");
    let out = door
        .run_stdin(&["--json", "scan", "-"], &input)
        .success()
        .json_lines();
    assert_eq!(out.len(), 4);
    for v in &out {
        assert_eq!(v["verdict"], "NOT_A_TICKET_CODE", "{v}");
    }
    assert!(out[2]["detail"].as_str().unwrap().contains("1048576 bytes"));
    // All four are logged, with a bounded, printable preview.
    let log = door.log();
    assert_eq!(log.len(), 4);
    assert!(log[1]["payload"].as_str().unwrap().contains("\\u{1b}"));
    assert!(log[2]["payload"].as_str().unwrap().chars().count() <= 513);
    assert_eq!(log[3]["payload"], "<script>alert(1)</script>");
}

#[test]
fn setup_refuses_malformed_ids_and_apis() {
    let door = Door::new();
    let err = door.setup("evt_123", &[]).failure();
    assert!(err.contains("evt_123"), "{err}");
    let err = door
        .run(&[
            "setup",
            "--api",
            "gopher://x",
            "--tenant",
            session_sim::demo::TENANT_ID,
            "--event",
            &event_id(0),
        ])
        .failure();
    assert!(err.contains("gopher://x"), "{err}");
    let err = door
        .setup(&event_id(0), &["--admissions", "adm_nope"])
        .failure();
    assert!(err.contains("adm_nope"), "{err}");
}

#[test]
fn scanning_an_event_that_is_not_cached_says_to_import_it() {
    let door = Door::new();
    door.setup("evt_zzzzzzzzzzzzzzzzzzzzzzzzzz", &[]).success();
    let err = door
        .run(&["scan", "tkt_zzzzzzzzzzzzzzzzzzzzzzzzzz"])
        .failure();
    assert!(
        err.contains("evt_zzzzzzzzzzzzzzzzzzzzzzzzzz") && err.contains("usher import"),
        "{err}"
    );
}

#[test]
fn corrupt_cache_is_reported_plainly_and_left_untouched() {
    let door = Door::ready(&[]);
    let db = door.dir.join("usher.db");
    // Remove the WAL so the damage is not masked, then overwrite the header.
    let _ = std::fs::remove_file(door.dir.join("usher.db-wal"));
    let _ = std::fs::remove_file(door.dir.join("usher.db-shm"));
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(0x42);
    std::fs::write(&db, &bytes).unwrap();
    let err = door.run(&["status"]).failure();
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the damaged file is kept as it was"
    );
}

#[test]
fn damaged_stored_config_asks_for_setup_again() {
    let door = Door::ready(&[]);
    let db = door.db();
    db.execute("UPDATE device SET admission_ids = 'not json'", [])
        .unwrap();
    drop(db);
    let err = door.run(&["status"]).failure();
    assert!(err.contains("usher setup"), "{err}");
}

#[test]
fn data_folder_without_write_permission_is_a_clear_error() {
    let door = Door::new();
    // A folder the caller cannot write to. Root ignores permission bits, so as root the
    // command runs as `nobody` through setpriv (util-linux).
    let locked = door.tmp().join("locked");
    std::fs::create_dir(&locked).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(door.tmp(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let data = locked.join("data");
    let is_root = effective_uid() == 0;
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        std::process::Command::new(BIN)
    };
    let out = cmd
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "setup",
            "--api",
            "sandbox",
        ])
        .args([
            "--tenant",
            session_sim::demo::TENANT_ID,
            "--event",
            &event_id(0),
        ])
        .output()
        .unwrap();
    let err = Run(out).failure();
    assert!(
        err.contains("cannot use the data folder") && err.contains("ermission denied"),
        "{err}"
    );
    assert!(!data.exists());
}

/// The effective user id, read from /proc to avoid an unsafe libc call in tests.
fn effective_uid() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|u| u.parse().ok())
        .unwrap()
}

/// `http://` to another machine would send the token across the venue network in clear:
/// set-up refuses it, in words, and stores nothing.
#[test]
fn setup_refuses_http_to_any_host_but_this_computer() {
    let door = Door::new();
    let err = door
        .run(&[
            "setup",
            "--api",
            "http://192.168.1.20:8080",
            "--tenant",
            session_sim::demo::TENANT_ID,
            "--event",
            &event_id(0),
        ])
        .failure();
    assert!(
        err.contains("in clear") && err.contains("https://"),
        "{err}"
    );
    let status = door.run(&["--json", "status"]).failure();
    assert!(status.contains("NOT_SET_UP"), "{status}");
}

#[test]
fn a_ticket_with_an_unknown_status_is_a_damaged_cache_not_an_admit() {
    let door = Door::ready(&[]);
    let id = tickets(0, TicketStatus::Active)[0].clone();
    let db = door.db();
    // The schema's CHECK refuses it; a file damaged outside SQLite would not ask.
    db.execute_batch("PRAGMA ignore_check_constraints = ON")
        .unwrap();
    db.execute("UPDATE tickets SET status = 'SHIPPED' WHERE id = ?1", [&id])
        .unwrap();
    drop(db);
    let err = door.run(&["scan", &id]).failure();
    assert!(err.contains("unknown TicketStatus \"SHIPPED\""), "{err}");
    assert!(err.contains("damaged"), "{err}");
    // Nothing was recorded for it: the door did not decide from a guess.
    assert!(door.log().is_empty(), "{:?}", door.log());
}
