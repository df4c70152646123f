//! Kiosk mode at the station, without a window: the switch behind the door PIN, a close that
//! waits for the PIN and says how many scans wait to upload, and off undoing all of it.

use crate::support::token_store;
use session_api::TicketStatus;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use usher_core::scanlog::Source;
use usher_core::verdict::VerdictKind;
use usher_station::{ScanInput, Station, StationEvent};

/// What the station told the window that a close was asked, in order.
fn close_asks(events: &Mutex<Vec<StationEvent>>) -> Vec<Option<u64>> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            StationEvent::CloseAsked { waiting } => Some(*waiting),
            _ => None,
        })
        .collect()
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(10);
    while !ok() {
        assert!(Instant::now() < until, "waited 10 s for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_kiosk_close_waits_for_the_door_pin_and_says_how_many_scans_wait() {
    let home = tempfile::tempdir().unwrap();
    let events = Arc::new(Mutex::new(vec![]));
    let seen = events.clone();
    let s = Station::with_tokens(
        home.path().to_path_buf(),
        false,
        token_store(home.path()),
        move |e| seen.lock().unwrap().push(e),
    )
    .unwrap();
    s.start_demo().unwrap();
    assert!(!s.kiosk().unwrap().on, "a new door is no kiosk");
    assert!(!s.ask_to_close(), "a plain window closes at once");

    // On needs a door PIN; the switch can choose it.
    let err = s.set_kiosk(true, None).unwrap_err();
    assert_eq!(err.code(), "INVALID_CONFIG", "{err}");
    assert!(!s.kiosk().unwrap().on);
    let on = s.set_kiosk(true, Some("2468")).unwrap();
    assert!(on.on);
    assert!(
        on.screen_awake
            .as_deref()
            .is_some_and(|w| w.starts_with("Kiosk mode:")),
        "Door health says whether the screen is kept awake: {:?}",
        on.screen_awake
    );
    assert!(s.health().unwrap().screen_awake.is_some());

    // Two scans wait to upload: the demo's network is down.
    s.demo_network(false).unwrap();
    let data = session_sim::Dataset::generate(&session_sim::DatasetSpec {
        tickets: usher_station::demo::DEMO_TICKETS,
        ..Default::default()
    });
    for id in &data.ticket_ids_of_admission(0, 0, TicketStatus::Active)[300..302] {
        let out = s
            .scan(ScanInput::new(id.as_bytes(), Source::Wedge))
            .unwrap();
        assert_eq!(out.verdict, VerdictKind::Admit);
    }

    assert!(s.ask_to_close(), "a kiosk stays open");
    wait_for("the close dialog's event", || {
        !close_asks(&events).is_empty()
    });
    assert_eq!(close_asks(&events), vec![Some(2)], "with the scans waiting");

    let wrong = s.allow_close("1111").unwrap_err();
    assert_eq!(wrong.code(), "WRONG_PIN", "{wrong}");
    assert!(s.ask_to_close(), "a wrong PIN keeps it open");

    // Setup closed again: kiosk mode does not go off without the PIN.
    s.lock_setup();
    assert_eq!(s.set_kiosk(false, None).unwrap_err().code(), "SETUP_LOCKED");
    assert!(s.kiosk().unwrap().on, "still a kiosk");

    s.allow_close("2468").unwrap();
    assert!(!s.ask_to_close(), "the right PIN lets it close");

    // Off undoes it all: no keep-awake, and a close goes through at once.
    s.unlock_setup("2468").unwrap();
    let off = s.set_kiosk(false, None).unwrap();
    assert!(!off.on);
    assert_eq!(off.screen_awake, None, "the screen is let go");
    assert_eq!(s.health().unwrap().screen_awake, None);
    assert!(!s.ask_to_close());
    // Kept in the data folder: a station started again over it reads it.
    s.set_kiosk(true, None).unwrap();
    drop(s);
    let again = Station::with_tokens(
        home.path().to_path_buf(),
        false,
        token_store(home.path()),
        |_| {},
    )
    .unwrap();
    assert!(again.kiosk().unwrap().on, "kiosk mode is kept");
    assert!(again.ask_to_close(), "and guards the close from the start");
}
