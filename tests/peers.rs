//! Doors that see each other, through the `usher` binary: a door group made on one door, a
//! second door set up by its join code, scans shared between the two `usher peers serve`
//! processes over loopback, and each door uploading only its own scans to the simulator.

use crate::support::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

/// `usher --json peers serve …` in the background, and its JSON lines as they come.
struct Serving {
    child: Child,
    lines: std::sync::mpsc::Receiver<Value>,
}

impl Serving {
    fn start(door: &Door, extra: &[&str]) -> Serving {
        let mut child = door
            .cmd()
            .args([
                "--json",
                "peers",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--seconds",
                "300",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str(&line) {
                    if send.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Serving { child, lines }
    }

    /// The next line with `field`, waiting as long as the process keeps talking.
    fn next_with(&self, field: &str) -> Value {
        loop {
            let v = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("`usher peers serve` never printed {field}"));
            if v.get(field).is_some() {
                return v;
            }
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `usher peers --json` at `door` says it keeps `n` scans of other doors.
fn until_heard(door: &Door, n: i64) {
    for _ in 0..600 {
        let v = door
            .run(&["--json", "peers"])
            .success()
            .json_lines()
            .remove(0);
        let kept: i64 = v["heardFrom"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["scans"].as_i64().unwrap())
            .sum();
        if kept == n {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the door never kept {n} scans of other doors");
}

#[test]
fn a_door_set_up_by_join_code_refuses_a_ticket_admitted_at_the_first_and_uploads_only_its_own() {
    let sim = simulator(300);
    let first = door_for(&sim, &["--gate", "North Gate 2", "--offline"]);
    first
        .run_with_token(session_sim::demo::SCAN_TOKEN, &["login"])
        .success();
    first.run(&["sync"]).success();
    first.run(&["peers", "create"]).success();
    let first_serve = Serving::start(&first, &["--invite", "--with-token"]);
    let qr = first_serve.next_with("joinCode")["qr"]
        .as_str()
        .unwrap()
        .to_owned();

    // The second door: nothing but the join code's text (the QR code), and its gate name.
    let second = Door::new();
    let joined = second
        .run(&["--json", "peers", "join", &qr, "--gate", "South Gate"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(joined["joined"]["gateName"], "North Gate 2");
    assert_eq!(
        joined["tokenKept"], true,
        "the token was handed on into the keychain"
    );
    assert_eq!(joined["config"]["gate"]["name"], "South Gate");
    // Set up by the join, with the token from the keychain: it downloads the guest list.
    second.run(&["sync"]).success();
    let _second_serve = Serving::start(&second, &[]);

    let tickets = tickets(0, session_api::TicketStatus::Active);
    let admitted = first.scan_one(&tickets[0]);
    assert_eq!(admitted["verdict"], "ADMIT");
    until_heard(&second, 1);
    let again = second.scan_one(&tickets[0]);
    assert_eq!(again["verdict"], "ALREADY_CHECKED_IN");
    assert!(
        again["look"]["previous"]
            .as_str()
            .unwrap()
            .contains("at North Gate 2"),
        "{}",
        again["look"]
    );
    // The first door pulls from nobody (no list, no mDNS here): the second's own scan
    // stays its own to upload.
    assert_eq!(second.scan_one(&tickets[1])["verdict"], "ADMIT");

    // Each door uploads its own scans; the peer scans never leave the door that heard them.
    first.run(&["sync", "--upload-only"]).success();
    second.run(&["sync", "--upload-only"]).success();
    second.run(&["sync", "--upload-only"]).success();
    assert_eq!(server_check_ins(&sim, &tickets[0]), 1);
    assert_eq!(server_check_ins(&sim, &tickets[1]), 1);
    assert_eq!(second.status()["pendingUpload"], 0);
}

#[test]
fn serving_without_a_group_and_joining_with_a_wrong_code_are_refused_and_change_nothing() {
    let sim = simulator(300);
    let first = door_for(&sim, &["--offline"]);
    let err = first
        .run(&["peers", "serve", "--listen", "127.0.0.1:0"])
        .failure();
    assert!(
        err.contains("not of this door group") || err.contains("door group"),
        "{err}"
    );
    first.run(&["peers", "create"]).success();
    let serving = Serving::start(&first, &["--invite"]);
    let at = serving.next_with("listening")["listening"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = Door::new();
    let err = second
        .run(&["peers", "join", "AAAAA-AAAAA", "--at", &at])
        .failure();
    assert!(err.contains("join was refused"), "{err}");
    // Nothing was kept: the door is still not set up and in no group.
    let status = second
        .run(&["--json", "peers"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(status["group"], Value::Null);
    assert!(second.run(&["status"]).failure().contains("usher setup"));
}

#[test]
fn a_peer_list_with_a_bad_address_is_refused_and_the_old_list_stays() {
    let door = Door::ready(&[]);
    door.run(&["peers", "list", "127.0.0.1:7301", "north-gate.local:7300"])
        .success();
    let err = door.run(&["peers", "list", "north-gate"]).failure();
    assert!(err.contains("host:port"), "{err}");
    let v = door
        .run(&["--json", "peers"])
        .success()
        .json_lines()
        .remove(0);
    assert_eq!(
        v["peerList"],
        serde_json::json!(["127.0.0.1:7301", "north-gate.local:7300"])
    );
}
