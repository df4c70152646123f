//! Guests' data on a door laptop (issue 12): the data folder holds nothing of a guest in the
//! clear, a verdict carries no contact details, and a door set up without a keychain says it
//! is plain. Exports are in `export`; the encrypted store's own tests sit beside `store.rs`.

use crate::support::*;
use session_api::TicketStatus;
use session_sim::demo;

/// `usher` on `door` with no keychain to keep a key in: the debug build's stand-in keychain
/// is a folder, and a file in its place cannot keep one.
fn without_keychain(door: &Door) -> std::process::Command {
    let not_a_folder = door.tmp().join("not-a-keychain");
    std::fs::write(&not_a_folder, "a file").unwrap();
    let mut cmd = door.cmd();
    cmd.env(usher_sync::token::TEST_TOKEN_DIR_ENV, &not_a_folder);
    cmd
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn after_a_sync_and_100_scans_no_file_in_the_data_folder_holds_a_guest_in_the_clear() {
    let sim = simulator(300);
    let door = door_for(&sim, &[]);
    door.run_stdin(&["--json", "login"], demo::SCAN_TOKEN.as_bytes())
        .success();
    door.run(&["--json", "sync"]).success();
    let data = sim.sim().dataset();
    let ids = data.ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let codes: String = ids
        .iter()
        .cycle()
        .take(100)
        .map(|id| format!("{id}\n"))
        .collect();
    let printed = door
        .run_stdin(&["--json", "scan", "-"], codes.as_bytes())
        .success()
        .json_lines();
    assert_eq!(printed.len(), 100);
    door.run(&["--json", "sync", "--upload-only"]).success();
    let status = door.status();
    assert_eq!(status["encryption"]["encrypted"], true, "{status}");
    assert_eq!(status["pendingUpload"], 0, "{status}");

    let files = files_under(&door.dir);
    assert!(files.iter().any(|f| f.ends_with("usher.db")), "{files:?}");
    let raw: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read(f).unwrap()))
        .collect();
    let mut checked = 0;
    for id in ids.iter().take(40) {
        let t = sim.sim().ticket(id).unwrap();
        let name = format!("{} {}", t.attendee.first_name, t.attendee.last_name);
        for needle in [id.as_str(), t.attendee.email.as_str(), name.as_str()] {
            for (file, bytes) in &raw {
                assert!(
                    !contains(bytes, needle),
                    "{needle:?} is in the clear in {file}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 120);
}

#[test]
fn a_verdict_shows_the_guests_name_but_never_their_email_or_phone() {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    let guest = dataset().ticket(id).unwrap().attendee.clone();
    let v = door.scan_one(id);
    assert_eq!(v["attendee"]["lastName"], guest.last_name.as_str(), "{v}");
    let text = v.to_string();
    assert!(!text.contains(&guest.email), "{text}");
    assert!(v["attendee"].get("email").is_none() && v["attendee"].get("phone").is_none());
    // Lookup is where staff find how to reach a guest.
    let hits = door
        .run(&["--json", "lookup", &guest.email])
        .success()
        .json_lines();
    assert_eq!(
        hits[0][0]["contact"]["email"],
        guest.email.as_str(),
        "{hits:?}"
    );
}

#[test]
fn a_door_whose_keychain_keeps_no_key_runs_plain_and_says_so() {
    let door = Door::new();
    let run = |args: &[&str]| Run(without_keychain(&door).args(args).output().unwrap());
    run(&[
        "setup",
        "--api",
        "http://127.0.0.1:9",
        "--tenant",
        session_sim::demo::TENANT_ID,
        "--event",
        &event_id(0),
    ])
    .success();
    let status = &run(&["--json", "status"]).success().json_lines()[0];
    assert_eq!(status["encryption"]["encrypted"], false, "{status}");
    let words = status["encryption"]["words"].as_str().unwrap();
    assert!(words.contains("NOT encrypted"), "{words}");
    assert_eq!(
        usher_core::store::file_kind(&door.dir).unwrap(),
        usher_core::store::FileKind::Plain
    );
}

#[test]
fn forget_refuses_while_scans_wait_and_removes_the_event_once_they_are_uploaded() {
    let sim = simulator(300);
    // Decided from the cache only, so the scans wait for `usher sync`.
    let door = door_for(&sim, &["--offline"]);
    door.run_stdin(&["--json", "login"], demo::SCAN_TOKEN.as_bytes())
        .success();
    door.run(&["--json", "sync"]).success();
    let event = sim.sim().dataset().event(0).unwrap().id.clone();
    let ids = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active);
    door.run_stdin(
        &["--json", "scan", "-", "--source", "wedge"],
        format!("{}\n{}\n", ids[0], ids[1]).as_bytes(),
    )
    .success();
    let before = door.status();
    // Forgetting the waiting scans would lose them.
    let err = door.run(&["forget", "--event", &event]).failure();
    assert!(
        err.contains("2 scans of event") && err.contains("export --pending"),
        "{err}"
    );
    assert_eq!(door.status(), before, "nothing was removed");

    door.run(&["sync", "--upload-only", "--wait", "30"])
        .success();
    let gone = door
        .run(&["--json", "forget", "--event", &event])
        .success()
        .json_lines();
    assert_eq!(gone[0][0]["scans"], 2, "{gone:?}");
    assert_eq!(gone[0][0]["tickets"], 300, "{gone:?}");
    assert!(door.log().is_empty(), "the event's scan log is gone");
    let after = door.status();
    assert_eq!(
        (&after["total"], &after["scans"]),
        (&0.into(), &0.into()),
        "{after}"
    );
    assert!(after["eventName"].is_null(), "{after}");
    // The forgetting is in the log, with its counts only.
    let logs: String = std::fs::read_dir(door.dir.join("logs"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert!(
        logs.contains("event forgotten") && logs.contains("scans=2"),
        "{logs}"
    );
}

#[test]
fn logout_forget_removes_the_token_the_guest_list_and_its_key_but_not_a_waiting_scan() {
    let door = Door::ready(&[]);
    let id = &dataset().ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    door.scan_one(id);
    let err = door.run(&["logout", "--forget"]).failure();
    assert!(err.contains("1 scans are still waiting"), "{err}");
    assert!(door.dir.join("usher.db").exists());
    assert!(door.cache_key().is_some());

    // Once nothing waits (here: a door whose only scans were refusals).
    let door = Door::ready(&[]);
    door.scan(&["not-a-ticket"], &[]);
    assert!(door.cache_key().is_some());
    let gone = door
        .run(&["--json", "logout", "--forget"])
        .success()
        .json_lines();
    assert_eq!(gone[0][0]["scans"], 1, "{gone:?}");
    assert!(!door.dir.join("usher.db").exists());
    assert!(
        door.cache_key().is_none(),
        "the key is gone from the keychain"
    );
}

#[test]
fn setup_refuses_a_retention_of_zero_days_and_forget_expired_keeps_a_current_event() {
    let door = Door::new();
    let err = door
        .setup(&event_id(0), &["--retention-days", "0"])
        .failure();
    assert!(err.contains("1 to 3650 days"), "{err}");
    let door = Door::ready(&["--retention-days", "1"]);
    let before = door.status();
    let gone = door
        .run(&["--json", "forget", "--expired"])
        .success()
        .json_lines();
    // The dataset's event is current: its entry has not ended a day ago.
    assert_eq!(gone[0], serde_json::json!([]), "{gone:?}");
    assert_eq!(door.status(), before);
}

/// A door set up before its laptop had a keychain for it: a plain guest list with scans
/// waiting. Set up again with the keychain, it is encrypted in place, and every waiting scan
/// still reaches the server once.
#[test]
fn a_plain_cache_with_waiting_scans_is_encrypted_in_place_and_every_scan_still_uploads() {
    let sim = simulator(300);
    let door = Door::new();
    let plain = |args: &[&str]| {
        Run(without_keychain(&door)
            .env("SESSION_SERVICES_TOKEN", demo::SCAN_TOKEN)
            .args(args)
            .output()
            .unwrap())
    };
    let event = sim.sim().dataset().event(0).unwrap().id.clone();
    let url = sim.base_url();
    let setup = [
        "setup",
        "--api",
        &url,
        "--tenant",
        demo::TENANT_ID,
        "--event",
        &event,
        "--offline",
    ];
    plain(&setup).success();
    plain(&["sync"]).success();
    let ids = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active);
    let codes: String = ids.iter().take(5).map(|id| format!("{id}\n")).collect();
    Run(without_keychain(&door)
        .args(["--json", "scan", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(codes.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap())
    .success();
    assert_eq!(
        usher_core::store::file_kind(&door.dir).unwrap(),
        usher_core::store::FileKind::Plain
    );
    assert_eq!(
        plain(&["--json", "status"]).success().json_lines()[0]["pendingUpload"],
        5
    );

    // Set up again, now with a keychain that keeps the key.
    door.run(&setup).success();
    assert_eq!(
        usher_core::store::file_kind(&door.dir).unwrap(),
        usher_core::store::FileKind::Encrypted
    );
    let status = door.status();
    assert_eq!(status["encryption"]["encrypted"], true, "{status}");
    assert_eq!(status["pendingUpload"], 5, "{status}");
    door.run_with_token(demo::SCAN_TOKEN, &["sync", "--upload-only", "--wait", "30"])
        .success();
    assert_eq!(door.status()["pendingUpload"], 0);
    for id in ids.iter().take(5) {
        assert_eq!(server_check_ins(&sim, id), 1, "{id}");
    }
}
