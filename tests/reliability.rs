//! A door that never hangs, never goes silent and keeps a record (issue 11): the upload
//! circuit breaker, answers that cannot be read, uploads beside a refresh, and the logs.
//! The station's own (door switch, keychain, camera errors, double fire) are in `station`.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use session_sim::{demo, Faults, Scripted, ScriptedBody};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CHECK_IN: &str = "PUT /tickets/{key}/check-in";

/// A failing server gets the first answers of a round, not the whole backlog: the first 503
/// stops the round (requests already in flight finish), and the queue lands once it is back.
#[test]
fn the_first_503_stops_an_upload_round_and_the_queue_lands_when_the_server_is_back() {
    let sim = simulator(600);
    let (door, ids) = queued_door(&sim, 60);
    sim.set_faults(Faults {
        error_503_rate: 1.0,
        ..Faults::none()
    });
    let round = upload_round(&door, "0");
    let sent = round["upload"]["retries"].as_u64().unwrap();
    assert!(
        (1..=usher_sync::upload::CONCURRENCY as u64).contains(&sent),
        "{sent} of 60 scans were sent to a failing server: {round}"
    );
    assert!(round["upload"]["tripped"].is_string(), "{round}");
    println!("breaker: one round sent {sent} of 60 queued scans to a server answering 503");
    assert_eq!(sim.sim().request_count(CHECK_IN, 503), sent);
    assert_eq!(door.status()["pendingUpload"], 60);

    sim.set_faults(Faults::none());
    upload_round(&door, "60");
    assert_eq!(door.status()["pendingUpload"], 0);
    for id in &ids {
        assert_eq!(server_check_ins(&sim, id), 1, "{id}");
    }
}

/// A 200 whose body cannot be read is not "offline": it has its own code and words.
#[test]
fn an_answer_that_cannot_be_read_is_a_bad_answer_not_offline() {
    let sim = simulator(300);
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        script: (0..20)
            .map(|_| Scripted {
                route: None,
                status: 200,
                body: ScriptedBody::Text("<html>Sign in to the hotel Wi-Fi</html>".into()),
                retry_after: None,
            })
            .collect(),
        ..Faults::none()
    });
    let err = door
        .run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .failure();
    let err: Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(err["error"]["code"], "BAD_ANSWER", "{err}");
    let words = err["error"]["message"].as_str().unwrap();
    assert!(words.contains("cannot read"), "{words}");
    assert!(!words.to_lowercase().contains("offline"), "{words}");
}

/// Uploads and the guest-list refresh are separate tasks: a scan recorded while a refresh
/// is downloading is uploaded before the refresh ends.
#[test]
fn a_scan_is_uploaded_while_a_slow_refresh_is_still_running() {
    use usher_sync::watch::{SyncEvent, WatchConfig};
    let sim = simulator(3_000);
    let door = door_for(&sim, &["--offline"]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    // Every request is slow: a refresh is dozens of them, an upload one.
    sim.set_faults(Faults {
        latency_ms: 150,
        ..Faults::none()
    });
    let (store, config, client) = door.sync_parts();
    let store = store.into_inner().unwrap();
    let events: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let seen = events.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (nudge, stop) = (
        Arc::new(tokio::sync::Notify::new()),
        Arc::new(tokio::sync::Notify::new()),
    );
    let watching = rt.spawn(usher_sync::watch::watch(
        store,
        client,
        config,
        WatchConfig::default(),
        nudge.clone(),
        stop.clone(),
        move |e| {
            let name = match e {
                SyncEvent::Uploaded(r) if r.acknowledged > 0 => "uploaded",
                SyncEvent::Downloaded(_) => "downloaded",
                _ => return,
            };
            seen.lock().unwrap().push(name);
        },
    ));
    // The refresh has started: its first page requests are out.
    let started = std::time::Instant::now();
    while sim.sim().request_count("GET /tickets/attendees", 200) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no refresh started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let id = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0]
        .clone();
    assert_eq!(door.scan_one(&id)["verdict"], "ADMIT");
    nudge.notify_one();
    while events.lock().unwrap().len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(300), "{:?}", events);
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.notify_one();
    rt.block_on(watching).unwrap();
    assert_eq!(
        events.lock().unwrap()[..2],
        ["uploaded", "downloaded"],
        "the upload waited for the refresh"
    );
    assert_eq!(server_check_ins(&sim, &id), 1);
}

/// The log files record a night's work and never a token, an email or a phone number.
#[test]
fn logs_record_setup_login_sync_and_scans_but_never_a_token_email_or_phone() {
    let sim = simulator(300);
    let door = door_for(&sim, &[]);
    door.run_stdin(&["--json", "login"], demo::SCAN_TOKEN.as_bytes())
        .success();
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    let ids = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active);
    for id in ids.iter().take(5) {
        door.run_with_token(demo::SCAN_TOKEN, &["--json", "scan", id])
            .success();
    }
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync", "--upload-only"])
        .success();

    let logs: String = std::fs::read_dir(door.dir.join("logs"))
        .expect("a logs folder in the data folder")
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert!(logs.contains("scan recorded"), "{logs}");
    assert!(
        logs.contains("guest list") || logs.contains("started"),
        "{logs}"
    );
    assert!(!logs.contains(demo::SCAN_TOKEN), "the token is in the logs");
    for id in ids.iter().take(5) {
        let guest = sim.sim().ticket(id).unwrap().attendee;
        assert!(
            !guest.email.is_empty(),
            "the simulator's guests have emails"
        );
        assert!(
            !logs.contains(&guest.email),
            "{} is in the logs",
            guest.email
        );
        if let Some(phone) = &guest.phone {
            assert!(!logs.contains(phone.as_str()), "{phone} is in the logs");
        }
        // Long enough not to match a word of a log line by chance.
        if guest.last_name.len() >= 6 {
            assert!(
                !logs.contains(&guest.last_name),
                "{} is in the logs",
                guest.last_name
            );
        }
    }

    let saved = door
        .run(&["--json", "logs"])
        .success()
        .json_lines()
        .remove(0);
    let folder = std::path::PathBuf::from(saved["folder"].as_str().unwrap());
    assert!(folder.join("status.json").is_file());
    assert!(folder.join("about.json").is_file());
    assert!(std::fs::read_dir(folder.join("logs")).unwrap().count() > 0);
}

/// A laptop clock an hour slow (the server's `Date` says so): status says which way and by
/// how much, the door decides and records by the server's clock while it is known, and each
/// scan recorded meanwhile carries the skew into the export.
#[test]
fn a_laptop_clock_an_hour_slow_is_shown_corrected_at_the_door_and_exported_with_scans() {
    let sim = simulator(300);
    sim.set_faults(Faults {
        clock_offset_secs: 3_600,
        ..Faults::none()
    });
    let door = door_for(&sim, &[]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    let status = door.status();
    let skew = status["clockSkewSeconds"]
        .as_i64()
        .expect("a skew is shown");
    assert!((3_590..=3_610).contains(&skew), "{status}");
    let words = status["clockWarning"].as_str().unwrap();
    assert!(words.contains("60 min slow"), "{words}");

    let id = &sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    let before = jiff::Timestamp::now();
    let v = door
        .run(&["--json", "scan", id])
        .success()
        .json_lines()
        .remove(0);
    let door_time: jiff::Timestamp = v["doorTime"].as_str().unwrap().parse().unwrap();
    let ahead = door_time.duration_since(before).as_secs();
    assert!(
        (3_590..=3_700).contains(&ahead),
        "door time {door_time}, {ahead} s ahead"
    );

    let row = door.log().remove(0);
    let kept = row["clockSkewMs"]
        .as_i64()
        .expect("the scan keeps the skew");
    assert!((3_590_000..=3_610_000).contains(&kept), "{row}");
}

/// A clock within two minutes of the server's is left alone: nothing shown, nothing kept.
#[test]
fn a_clock_a_minute_off_is_neither_shown_nor_kept_with_scans() {
    let sim = simulator(300);
    sim.set_faults(Faults {
        clock_offset_secs: -60,
        ..Faults::none()
    });
    let door = door_for(&sim, &[]);
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success();
    assert!(door.status()["clockWarning"].is_null());
    let id = &sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0];
    door.run(&["--json", "scan", id]).success();
    assert!(door.log()[0]["clockSkewMs"].is_null());
}
