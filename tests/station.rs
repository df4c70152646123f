//! The station behind the window, without a window: the demo against its in-process
//! simulator over loopback HTTP, undo, lookup check-in/out, the network cut, and the setup of
//! a real door with its token in the OS keychain.

use crate::support::*;
use session_api::TicketStatus;
use session_sim::{demo, RunningSim};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use usher_core::gate::{GateProfile, Mode};
use usher_core::scanlog::{Source, UploadState};
use usher_core::verdict::VerdictKind;
use usher_station::{ScanInput, Station, StationEvent};
use usher_sync::login::Likely;

/// A station over a fresh folder, collecting what it tells the window.
fn station() -> (
    tempfile::TempDir,
    Arc<Station>,
    Arc<Mutex<Vec<StationEvent>>>,
) {
    let home = tempfile::tempdir().unwrap();
    let events = Arc::new(Mutex::new(vec![]));
    let seen = events.clone();
    let tokens = token_store(home.path());
    let s = Station::with_tokens(home.path().to_path_buf(), false, tokens, move |e| {
        seen.lock().unwrap().push(e)
    })
    .unwrap();
    (home, s, events)
}

/// A valid ticket of the demo event that its camera tour does not use.
fn demo_ticket(n: usize) -> String {
    let data = session_sim::Dataset::generate(&session_sim::DatasetSpec {
        tickets: usher_station::demo::DEMO_TICKETS,
        ..Default::default()
    });
    data.ticket_ids_of_admission(0, 0, TicketStatus::Active)[200 + n].clone()
}

fn wait_for(what: &str, within: Duration, mut ok: impl FnMut() -> bool) {
    let until = Instant::now() + within;
    while !ok() {
        assert!(Instant::now() < until, "waited {within:?} for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn scan(s: &Station, code: &str) -> usher_core::scanlog::ScanOutcome {
    s.scan(ScanInput::new(code.as_bytes(), Source::Wedge))
        .unwrap()
}

#[test]
fn fresh_station_offers_the_demo_then_the_demo_admits_and_uploads() {
    let (_home, s, events) = station();
    assert_eq!(s.start().unwrap().screen, "WELCOME");
    assert_eq!(
        s.scan(ScanInput::new(b"x", Source::Wedge))
            .unwrap_err()
            .code(),
        "NOT_OPEN"
    );

    let view = s.start_demo().unwrap();
    assert!(view.demo);
    assert!(view.status.total > 2_000, "{:?}", view.status);
    let id = demo_ticket(0);
    let outcome = scan(&s, &id);
    assert_eq!(outcome.verdict, VerdictKind::Admit);
    assert!(events.lock().unwrap().iter().any(|e| matches!(
        e,
        StationEvent::Verdict { outcome } if outcome.ticket_id.as_deref() == Some(id.as_str())
    )));
    assert!(events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, StationEvent::Progress(p) if p.rows > 0)));
    // Online confirm settled it, or the background loop uploads it at once.
    wait_for("the upload", Duration::from_secs(10), || {
        s.view().unwrap().status.pending_upload == 0
    });
    let row = &s.activity(10).unwrap()[0];
    assert_eq!(
        (row.verdict, row.upload),
        (VerdictKind::Admit, UploadState::Acknowledged)
    );
    // Typed in again (not the scanner firing twice): refused.
    let typed = s.scan(ScanInput::new(id.as_bytes(), Source::Manual));
    assert_eq!(typed.unwrap().verdict, VerdictKind::AlreadyCheckedIn);
}

#[test]
fn undo_checks_the_last_check_in_out_once() {
    let (_home, s, _) = station();
    s.start_demo().unwrap();
    let id = demo_ticket(1);
    let inside = s.view().unwrap().status.checked_in;
    scan(&s, &id);
    assert_eq!(s.view().unwrap().status.checked_in, inside + 1);

    let undo = s.undo_last().unwrap();
    assert_eq!(undo.verdict, VerdictKind::CheckedOut);
    assert_eq!(undo.ticket_id.as_deref(), Some(id.as_str()));
    assert_eq!(s.view().unwrap().status.checked_in, inside);
    let rows = s.activity(5).unwrap();
    assert_eq!(rows[0].action, Some(session_api::ScanKind::CheckOut));
    assert_eq!(s.undo_last().unwrap_err().code(), "NOTHING_TO_UNDO");
    // The guest can come in again.
    assert_eq!(scan(&s, &id).verdict, VerdictKind::Admit);

    // Door health counts the three scans (in this minute, or across the minute's turn).
    let health = s.health().unwrap();
    assert_eq!(health.pace.len(), 30);
    let recent: u64 = health.pace.iter().rev().take(2).map(|m| m.scans).sum();
    assert_eq!(recent, 3, "{:?}", health.pace);
    assert!(health.decision_ms.p50.is_some());
}

#[test]
fn lookup_finds_a_guest_by_partial_name_and_checks_them_in_and_out() {
    let (_home, s, _) = station();
    s.start_demo().unwrap();
    let id = demo_ticket(2);
    let ticket = s
        .lookup(&id, 5)
        .unwrap()
        .into_iter()
        .next()
        .expect("found by ticket id");
    let partial = format!(
        "{} {}",
        ticket.ticket.attendee.first_name,
        &ticket.ticket.attendee.last_name[..2]
    );
    let hits = s.lookup(&partial, 50).unwrap();
    assert!(hits.iter().any(|h| h.ticket.id == id), "{partial:?}");
    assert!(!hits.iter().find(|h| h.ticket.id == id).unwrap().inside);

    assert_eq!(
        s.check(&id, Mode::Entry).unwrap().verdict,
        VerdictKind::Admit
    );
    assert!(s.lookup(&id, 5).unwrap()[0].inside);
    // A check-out from lookup, although this is an entry gate.
    assert_eq!(
        s.check(&id, Mode::Exit).unwrap().verdict,
        VerdictKind::CheckedOut
    );
    assert!(!s.lookup(&id, 5).unwrap()[0].inside);
}

#[test]
fn network_cut_queues_scans_and_they_drain_when_it_is_back() {
    let (_home, s, _) = station();
    s.start_demo().unwrap();
    wait_for("online", Duration::from_secs(10), || {
        s.view().unwrap().online
    });
    assert!(!s.demo_network(false).unwrap());
    let outcome = scan(&s, &demo_ticket(3));
    assert_eq!(outcome.verdict, VerdictKind::Admit);
    assert_eq!(outcome.upload, UploadState::Pending);
    assert!(!outcome.confirmed_online);
    wait_for("the offline state", Duration::from_secs(10), || {
        !s.view().unwrap().online
    });
    assert_eq!(scan(&s, &demo_ticket(4)).verdict, VerdictKind::Admit);
    assert!(s.view().unwrap().status.pending_upload >= 2);

    assert!(s.demo_network(true).unwrap());
    wait_for("the queue to drain", Duration::from_secs(30), || {
        let v = s.view().unwrap();
        v.online && v.status.pending_upload == 0
    });
}

#[test]
fn demo_controls_are_refused_outside_the_demo_and_printable_tickets_are_written() {
    let (home, s, _) = station();
    assert_eq!(s.demo_network(false).unwrap_err().code(), "NOT_OPEN");
    s.start_demo().unwrap();
    let (folder, files) = s.save_demo_tickets().unwrap();
    assert_eq!(folder, home.path().join("demo-tickets"));
    assert_eq!(files.len(), 12);
    assert!(files
        .iter()
        .all(|f| f.extension().is_some_and(|e| e == "png")));
}

/// Setup is for staff: once a door has its PIN, every Setup call waits for it; a wrong PIN
/// says how many tries are left, five lock it, and the right one opens it.
#[test]
fn setup_of_a_door_with_a_pin_refuses_until_the_right_pin_is_given() {
    let sim = simulator(300);
    let (_home, s, _) = station();
    set_up_real_door(&s, &sim);
    assert!(s.setup_locked().unwrap());
    let tenant = sim.sim().tenant_id().to_string();
    let err = s
        .check_token(&sim.base_url(), &tenant, demo::SCAN_TOKEN)
        .unwrap_err();
    assert_eq!(err.code(), "SETUP_LOCKED");
    let err = s.unlock_setup("1111").unwrap_err();
    assert_eq!(err.code(), "WRONG_PIN");
    assert!(s.setup_locked().unwrap());
    s.unlock_setup(PIN).unwrap();
    assert!(!s.setup_locked().unwrap());
    s.check_token(&sim.base_url(), &tenant, demo::SCAN_TOKEN)
        .unwrap();
    s.lock_setup();
    assert!(s.setup_locked().unwrap());
    // Scanning never needs the PIN.
    let id = active_ids(&sim)[3].clone();
    assert_eq!(scan(&s, &id).verdict, VerdictKind::Admit);
}

/// Setup's "Forget this event": behind the PIN; once the scans are uploaded the event's guest
/// list and scan log leave the laptop, the door closes, and the next start offers setup.
#[test]
fn forget_this_event_in_setup_needs_the_pin_and_closes_the_door() {
    let sim = simulator(300);
    let (_home, s, _) = station();
    set_up_real_door(&s, &sim);
    let id = active_ids(&sim)[4].clone();
    assert_eq!(scan(&s, &id).verdict, VerdictKind::Admit);
    assert_eq!(s.forget_event().unwrap_err().code(), "SETUP_LOCKED");
    wait_for("the scan uploaded", Duration::from_secs(60), || {
        s.view().unwrap().status.pending_upload == 0
    });
    s.unlock_setup(PIN).unwrap();
    let gone = s.forget_event().unwrap();
    assert_eq!((gone.tickets, gone.scans), (300, 1));
    assert!(s.view().is_err(), "the door closed");
    assert_eq!(s.start().unwrap().screen, "WELCOME");
}

/// A real door: the token checked and kept in the OS keychain (gnome-keyring under
/// `scripts/test`), the event chosen, the guest list downloaded; a restart opens the door.
#[test]
fn setup_keeps_the_token_in_the_keychain_and_a_restart_opens_the_door() {
    let sim: RunningSim = simulator(500);
    let tenant = sim.sim().tenant_id().to_string();
    let (home, s, _) = station();

    let refused = s.check_token(&sim.base_url(), &tenant, "not-a-real-token");
    assert_eq!(refused.unwrap_err().code(), "AUTH");
    assert_eq!(s.start().unwrap().screen, "WELCOME");

    let report = s
        .check_token(&sim.base_url(), &tenant, demo::SCAN_TOKEN)
        .unwrap();
    assert!(
        report
            .login
            .access
            .iter()
            .all(|a| a.scan == Likely::Yes && a.read == Likely::Yes),
        "{:?}",
        report.login.access
    );
    assert_eq!(report.login.access.len(), report.events.len());
    let event = report.events[0].id.clone();
    let choices = s.event_choices(&event).unwrap();
    assert!(!choices.admissions.is_empty());
    let gate = GateProfile {
        name: "North door".into(),
        ..GateProfile::default()
    };
    let err = s
        .finish_setup(&event, gate.clone(), false, None, None)
        .unwrap_err();
    assert!(err.to_string().contains("choose a door PIN"), "{err}");
    let view = s
        .finish_setup(&event, gate, false, Some(PIN), Some(30))
        .unwrap();
    assert_eq!(view.status.gate, "North door");
    assert_eq!(s.health().unwrap().retention_days, 30);
    assert!(!view.demo);
    let id = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0]
        .clone();
    assert_eq!(scan(&s, &id).verdict, VerdictKind::Admit);
    drop(s);

    let tokens = token_store(home.path());
    let again =
        Station::with_tokens(home.path().to_path_buf(), false, tokens.clone(), |_| {}).unwrap();
    assert_eq!(again.start().unwrap().screen, "DOOR");
    assert_eq!(again.view().unwrap().status.uploads_paused, None);
    assert_eq!(scan(&again, &id).verdict, VerdictKind::AlreadyCheckedIn);
    drop(again);

    // With the token gone from the keychain the door still opens and decides, and says
    // plainly why nothing is uploaded.
    assert!(tokens.delete(&sim.base_url(), &tenant).unwrap());
    let tokenless = Station::with_tokens(home.path().to_path_buf(), false, tokens, |_| {}).unwrap();
    assert_eq!(tokenless.start().unwrap().screen, "DOOR");
    let second = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[1]
        .clone();
    let outcome = scan(&tokenless, &second);
    assert_eq!(
        (outcome.verdict, outcome.upload),
        (VerdictKind::Admit, UploadState::Pending)
    );
    let paused = tokenless.view().unwrap().status.uploads_paused.unwrap();
    assert!(paused.contains("no Session Services token"), "{paused}");
    drop(tokenless);
    // The token lives in the keychain only.
    for entry in files_under(home.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes
                .windows(demo::SCAN_TOKEN.len())
                .any(|w| w == demo::SCAN_TOKEN.as_bytes()),
            "the token is in {}",
            entry.display()
        );
    }
}

/// Setup never refuses an event because the token's listed permissions do not show
/// scanning (a role may grant it): it warns, and the door opens and scans.
#[test]
fn setup_warns_on_an_unconfirmed_scan_permission_and_still_opens_the_door() {
    use session_sim::{SimConfig, Token, TokenMembership};
    let data = session_sim::Dataset::generate(&session_sim::DatasetSpec {
        tickets: 300,
        ..session_sim::DatasetSpec::default()
    });
    let role = TokenMembership::new(&[]).with_role("rol_door", &["ticket.scan", "ticket.read"]);
    let sim = session_sim::spawn(
        SimConfig::new(data)
            .with_token(Token::with_derived_user("role-token", &[]).with_membership(role)),
    )
    .unwrap();
    let tenant = sim.sim().tenant_id().to_string();
    let (_home, s, _) = station();
    let report = s
        .check_token(&sim.base_url(), &tenant, "role-token")
        .unwrap();
    let event = report.events[0].id.clone();
    let hint = report
        .login
        .access
        .iter()
        .find(|a| a.event_id == event)
        .unwrap();
    assert_eq!(hint.scan, Likely::Unconfirmed);
    assert!(
        hint.summary.contains("could not be confirmed"),
        "{}",
        hint.summary
    );
    s.finish_setup(&event, GateProfile::default(), false, Some(PIN), None)
        .unwrap();
    let id = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0]
        .clone();
    assert_eq!(scan(&s, &id).verdict, VerdictKind::Admit);
}

/// A door set up against `sim` on `s` (token checked and kept, first event chosen); returns
/// the event id.
fn set_up_real_door(s: &Station, sim: &RunningSim) -> String {
    let tenant = sim.sim().tenant_id().to_string();
    let report = s
        .check_token(&sim.base_url(), &tenant, demo::SCAN_TOKEN)
        .unwrap();
    let event = report.events[0].id.clone();
    s.finish_setup(&event, GateProfile::default(), false, Some(PIN), None)
        .unwrap();
    event
}

/// The door PIN the tests' set-ups choose.
const PIN: &str = "2468";

/// A keychain that keeps tokens but refuses to keep a guest list's key: set-up then leaves
/// the door plain, as on a laptop with no keychain for it.
struct NoCacheKeys(Arc<dyn usher_sync::TokenStore>);

impl usher_sync::TokenStore for NoCacheKeys {
    fn get(
        &self,
        api: &str,
        tenant: &str,
    ) -> Result<Option<usher_sync::Token>, usher_sync::token::TokenError> {
        self.0.get(api, tenant)
    }
    fn set(
        &self,
        api: &str,
        tenant: &str,
        token: &usher_sync::Token,
    ) -> Result<(), usher_sync::token::TokenError> {
        if api == usher_sync::token::CACHE_KEY_API {
            return Err(usher_sync::token::TokenError::Keychain(
                usher_core::i18n::Said::quoted("this test's keychain keeps no keys"),
            ));
        }
        self.0.set(api, tenant, token)
    }
    fn delete(&self, api: &str, tenant: &str) -> Result<bool, usher_sync::token::TokenError> {
        self.0.delete(api, tenant)
    }
}

/// A data folder with a real door set up against `sim` whose guest list stayed plain (its
/// keychain would not keep a key), its station closed again.
fn plain_door_folder(sim: &RunningSim) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let tokens = Arc::new(NoCacheKeys(token_store(home.path())));
    let first = Station::with_tokens(home.path().to_path_buf(), false, tokens, |_| {}).unwrap();
    set_up_real_door(&first, sim);
    assert_eq!(
        usher_core::store::file_kind(home.path()).unwrap(),
        usher_core::store::FileKind::Plain
    );
    home
}

fn active_ids(sim: &RunningSim) -> Vec<String> {
    sim.sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)
}

/// Switching doors (demo → real door → demo …) while the camera loop runs, the demo camera
/// holds up codes, wedge scans arrive and guests are looked up, never hangs: the old door's
/// camera thread is joined with no station lock held.
#[test]
fn switching_between_demo_and_real_door_under_camera_and_scans_never_hangs() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    assert!(
        !usher_camera::source::camera_present(),
        "this test drives the demo camera, used where no camera is connected"
    );
    let sim = simulator(300);
    let home = tempfile::tempdir().unwrap();
    let verdicts = Arc::new(AtomicUsize::new(0));
    let counted = verdicts.clone();
    let s = Station::with_tokens(
        home.path().to_path_buf(),
        true,
        token_store(home.path()),
        move |e| {
            if matches!(e, StationEvent::Verdict { .. }) {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        },
    )
    .unwrap();
    let event = set_up_real_door(&s, &sim);
    let ids = active_ids(&sim);
    let done = Arc::new(AtomicBool::new(false));
    let feeder = {
        let (s, done, ids) = (s.clone(), done.clone(), ids.clone());
        std::thread::spawn(move || {
            let mut i = 0;
            while !done.load(Ordering::Relaxed) {
                // Each may fail while a door is switching (NOT_OPEN): only a hang matters.
                let _ = s.demo_show_ticket();
                let _ = s.scan(ScanInput::new(ids[i % ids.len()].as_bytes(), Source::Wedge));
                let _ = s.lookup("a", 5);
                let _ = s.view();
                i += 1;
            }
        })
    };
    let (finished, switched) = std::sync::mpsc::channel();
    let switcher = {
        let s = s.clone();
        std::thread::spawn(move || {
            for round in 0..50 {
                if round % 2 == 0 {
                    s.start_demo().unwrap();
                } else {
                    s.unlock_setup(PIN).unwrap();
                    s.finish_setup(&event, GateProfile::default(), false, None, None)
                        .unwrap();
                }
                finished.send(round).unwrap();
            }
        })
    };
    // A deadline per switch, generous for a loaded machine: only a hang runs into it.
    for round in 0..50 {
        let done_round = switched
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("switch {round} hung"));
        assert_eq!(done_round, round);
    }
    done.store(true, Ordering::Relaxed);
    switcher.join().unwrap();
    feeder.join().unwrap();
    assert!(verdicts.load(Ordering::Relaxed) > 0, "scans went through");
    assert!(
        !s.view().unwrap().demo,
        "the last switch opened the real door"
    );
}

/// A keychain that waits on its unlock prompt until the test unlocks it.
struct LockedKeychain {
    unlocked: Mutex<std::sync::mpsc::Receiver<()>>,
    inner: Arc<dyn usher_sync::TokenStore>,
}

impl usher_sync::TokenStore for LockedKeychain {
    fn get(
        &self,
        api: &str,
        tenant: &str,
    ) -> Result<Option<usher_sync::Token>, usher_sync::token::TokenError> {
        self.unlocked.lock().unwrap().recv().ok();
        self.inner.get(api, tenant)
    }
    fn set(
        &self,
        api: &str,
        tenant: &str,
        token: &usher_sync::Token,
    ) -> Result<(), usher_sync::token::TokenError> {
        self.inner.set(api, tenant, token)
    }
    fn delete(&self, api: &str, tenant: &str) -> Result<bool, usher_sync::token::TokenError> {
        self.inner.delete(api, tenant)
    }
}

/// A keychain with no store behind it at all.
struct BrokenKeychain;

impl usher_sync::TokenStore for BrokenKeychain {
    fn get(
        &self,
        _: &str,
        _: &str,
    ) -> Result<Option<usher_sync::Token>, usher_sync::token::TokenError> {
        Err(usher_sync::token::TokenError::Keychain(
            usher_core::i18n::Said::quoted(
                "org.freedesktop.secrets was not provided by any service",
            ),
        ))
    }
    fn set(
        &self,
        _: &str,
        _: &str,
        _: &usher_sync::Token,
    ) -> Result<(), usher_sync::token::TokenError> {
        unreachable!("not set in this test")
    }
    fn delete(&self, _: &str, _: &str) -> Result<bool, usher_sync::token::TokenError> {
        unreachable!("not deleted in this test")
    }
}

/// With a plain guest list, a locked keychain does not hold the door's start on its unlock
/// prompt: the door opens, decides from the guest list, says the keychain is locked (not "no
/// token"), and starts uploading by itself once it is unlocked.
#[test]
fn a_locked_keychain_opens_a_plain_door_at_once_and_uploads_start_when_it_is_unlocked() {
    use usher_station::TokenState;
    let sim = simulator(300);
    let home = plain_door_folder(&sim);

    let (unlock, prompt) = std::sync::mpsc::channel();
    let keychain = Arc::new(LockedKeychain {
        unlocked: Mutex::new(prompt),
        inner: token_store(home.path()),
    });
    let s = Station::with_tokens(home.path().to_path_buf(), false, keychain, |_| {}).unwrap();
    let (started, start) = std::sync::mpsc::channel();
    {
        let s = s.clone();
        std::thread::spawn(move || started.send(s.start().map(|st| st.screen)));
    }
    let screen = start
        .recv_timeout(Duration::from_secs(60))
        .expect("the start waited on the locked keychain")
        .unwrap();
    assert_eq!(screen, "DOOR");
    let view = s.view().unwrap();
    assert!(
        matches!(view.token, TokenState::Locked(_)),
        "{:?}",
        view.token
    );
    let paused = view.status.uploads_paused.unwrap();
    assert!(paused.contains("keychain is locked"), "{paused}");
    let id = active_ids(&sim)[5].clone();
    let outcome = scan(&s, &id);
    assert_eq!(
        (outcome.verdict, outcome.upload),
        (VerdictKind::Admit, UploadState::Pending)
    );

    // Unlocked: every prompt waiting on it answers (the guest list's key and the token).
    drop(unlock);
    wait_for("the token and the upload", Duration::from_secs(60), || {
        let v = s.view().unwrap();
        v.token == TokenState::Ready && v.status.pending_upload == 0
    });
    assert_eq!(server_check_ins(&sim, &id), 1);
}

#[test]
fn a_keychain_that_cannot_be_read_is_not_reported_as_a_missing_token() {
    use usher_station::TokenState;
    let sim = simulator(300);
    let home = plain_door_folder(&sim);

    let s = Station::with_tokens(
        home.path().to_path_buf(),
        false,
        Arc::new(BrokenKeychain),
        |_| {},
    )
    .unwrap();
    assert_eq!(s.start().unwrap().screen, "DOOR");
    let view = s.view().unwrap();
    assert!(
        matches!(&view.token, TokenState::Unavailable(why) if why.to_string().contains("not provided")),
        "{:?}",
        view.token
    );
    let paused = view.status.uploads_paused.unwrap();
    assert!(paused.contains("keychain cannot be read"), "{paused}");
    assert!(!paused.contains("no Session Services token"), "{paused}");
}

/// An encrypted guest list with its keychain locked at start is a plain "the guest list is
/// locked" state, with what to do: the file is left exactly as it was (never opened empty in
/// its place), and once the keychain is unlocked the door opens with every scan it had.
#[test]
fn an_encrypted_guest_list_is_locked_while_its_keychain_is_and_opens_whole_after() {
    let sim = simulator(300);
    let (home, first, _) = station();
    set_up_real_door(&first, &sim);
    let id = active_ids(&sim)[7].clone();
    assert_eq!(scan(&first, &id).verdict, VerdictKind::Admit);
    let scans_before = first.view().unwrap().status.scans;
    drop(first);
    assert_eq!(
        usher_core::store::file_kind(home.path()).unwrap(),
        usher_core::store::FileKind::Encrypted
    );

    let (unlock, prompt) = std::sync::mpsc::channel::<()>();
    let keychain = Arc::new(LockedKeychain {
        unlocked: Mutex::new(prompt),
        inner: token_store(home.path()),
    });
    let s = Station::with_tokens(home.path().to_path_buf(), false, keychain, |_| {}).unwrap();
    let Err(err) = s.start() else {
        panic!("no key, no door")
    };
    assert_eq!(err.code(), "CACHE_LOCKED");
    let words = err.to_string();
    assert!(
        words.contains("the guest list is locked") && words.contains("unlock"),
        "{words}"
    );
    assert_eq!(
        usher_core::store::file_kind(home.path()).unwrap(),
        usher_core::store::FileKind::Encrypted,
        "the locked file was replaced"
    );
    // Setup does not open an empty list in its place either.
    assert!(s.view().is_err(), "a door opened without its guest list");

    drop(unlock);
    assert_eq!(s.start().unwrap().screen, "DOOR");
    let view = s.view().unwrap();
    assert_eq!(view.status.scans, scans_before);
    assert_eq!(scan(&s, &id).verdict, VerdictKind::AlreadyCheckedIn);
}

/// A camera scan that cannot be recorded (the database is locked by another program) is
/// painted and sounded as an error: no command is waiting for its answer.
#[test]
fn a_camera_scan_that_cannot_be_recorded_reaches_the_page_as_an_error() {
    assert!(
        !usher_camera::source::camera_present(),
        "this test drives the demo camera, used where no camera is connected"
    );
    let home = tempfile::tempdir().unwrap();
    let events = Arc::new(Mutex::new(vec![]));
    let seen = events.clone();
    let s = Station::with_tokens(
        home.path().to_path_buf(),
        true,
        token_store(home.path()),
        move |e| seen.lock().unwrap().push(e),
    )
    .unwrap();
    s.start_demo().unwrap();
    let blocker = rusqlite::Connection::open(home.path().join("demo").join("usher.db")).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    s.demo_show_ticket().unwrap();
    wait_for("the error event", Duration::from_secs(120), || {
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, StationEvent::Error { code, .. } if !code.is_empty()))
    });
    blocker.execute_batch("ROLLBACK").unwrap();
    assert!(!events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, StationEvent::Verdict { .. })));
}

/// A USB scanner that fires twice: the repeat shows the first verdict again, marked as the
/// same scan, and records nothing. Another source, or the same one after the window, is a
/// new scan.
#[test]
fn a_double_fired_wedge_scan_shows_the_first_verdict_again_and_records_it_once() {
    let (_home, s, _) = station();
    s.start_demo().unwrap();
    let id = demo_ticket(7);
    let first = scan(&s, &id);
    assert_eq!(first.verdict, VerdictKind::Admit);
    let again = scan(&s, &id);
    assert!(again.same_scan, "{again:?}");
    assert_eq!(
        (again.scan_id.as_str(), again.verdict),
        (first.scan_id.as_str(), VerdictKind::Admit)
    );
    assert_eq!(s.activity(10).unwrap().len(), 1, "recorded once");

    std::thread::sleep(usher_core::debounce::DEFAULT_WINDOW);
    let later = scan(&s, &id);
    assert!(!later.same_scan);
    assert_eq!(later.verdict, VerdictKind::AlreadyCheckedIn);
    let typed = s
        .scan(ScanInput::new(id.as_bytes(), Source::Manual))
        .unwrap();
    assert!(!typed.same_scan, "another source is another scan");
    assert_eq!(typed.verdict, VerdictKind::AlreadyCheckedIn);
    assert_eq!(s.activity(10).unwrap().len(), 3);
}

/// The USB scanner's layout (Setup's calibration code): teaching it waits for the door PIN
/// as the rest of Setup; once taught it is kept in the laptop's data folder, so a restarted
/// station reads with it, and forgetting it goes back to US.
#[test]
fn teaching_the_scanner_layout_needs_the_door_pin_and_a_restarted_station_keeps_it() {
    use usher_core::scanner_layout::{Press, CALIBRATION_TEXT};
    // A scanner set to German types z, y and _ on these keys; the rest as on a US keyboard.
    let german: Vec<Press> = CALIBRATION_TEXT
        .chars()
        .map(|c| {
            let (code, shift) = match c {
                'z' | 'Z' => ("KeyY".to_string(), c == 'Z'),
                'y' | 'Y' => ("KeyZ".to_string(), c == 'Y'),
                '_' => ("Slash".to_string(), true),
                d if d.is_ascii_digit() => (format!("Digit{d}"), false),
                l => (
                    format!("Key{}", l.to_ascii_uppercase()),
                    l.is_ascii_uppercase(),
                ),
            };
            Press { code, shift }
        })
        .collect();
    let sim = simulator(300);
    let (home, s, _) = station();
    assert_eq!(s.scanner_layout().unwrap().kept.layout, Some("US"));
    set_up_real_door(&s, &sim);
    assert_eq!(s.teach_scanner(&german).unwrap_err().code(), "SETUP_LOCKED");
    s.unlock_setup(PIN).unwrap();
    let e = s.teach_scanner(&german[1..]).unwrap_err();
    assert_eq!(e.code(), "CALIBRATION_MISMATCH");
    assert!(
        !s.scanner_layout().unwrap().kept.learned,
        "a refused burst teaches nothing"
    );
    let taught = s.teach_scanner(&german).unwrap();
    assert_eq!(
        (taught.kept.learned, taught.name.as_deref()),
        (true, Some("German (QWERTZ)"))
    );
    // A German door names it in German, and words a refusal in German too.
    s.set_language(Some(usher_core::i18n::Language::German))
        .unwrap();
    assert_eq!(
        s.scanner_layout().unwrap().name.as_deref(),
        Some("Deutsch (QWERTZ)")
    );
    let refused = s.teach_scanner(&german[1..]).unwrap_err();
    let words = s.error_words(&refused);
    assert!(
        words.starts_with("Der Scanner wurde nicht angelernt"),
        "{words}"
    );
    s.set_language(Some(usher_core::i18n::Language::English))
        .unwrap();
    s.lock_setup();
    drop(s);

    let again = Station::with_tokens(
        home.path().to_path_buf(),
        false,
        token_store(home.path()),
        |_| {},
    )
    .unwrap();
    let kept = again.scanner_layout().unwrap();
    assert_eq!(
        (kept.kept.learned, kept.name.as_deref()),
        (true, Some("German (QWERTZ)"))
    );
    assert_eq!(
        again.forget_scanner_layout().unwrap_err().code(),
        "SETUP_LOCKED"
    );
    again.unlock_setup(PIN).unwrap();
    assert!(!again.forget_scanner_layout().unwrap().kept.learned);
    assert_eq!(again.scanner_layout().unwrap().kept.layout, Some("US"));
}

/// Code shown → verdict, without a window: 30 tour tickets held up to the demo camera (the
/// synthetic camera's drawn tickets sliding into view, 640x480 at 15 fps), one at a time, each
/// timed from `demo_show_ticket` to its camera verdict event. Prints median and p90; every
/// ticket must be decided from the camera.
#[test]
fn tickets_held_up_to_the_demo_camera_are_decided_and_the_latency_is_printed() {
    assert!(
        !usher_camera::source::camera_present(),
        "this test drives the demo camera, used where no camera is connected"
    );
    const TICKETS: usize = 30;
    // The demo camera shows a held-up ticket for 1.5 s, then 1 s of empty door, before it
    // takes the next one. The next is held up only after that, so each time is its own: a
    // machine too slow for 15 fps would only make a figure larger, never fail the test.
    const SHOWN_THEN_GONE: Duration = Duration::from_millis(2_600);
    let home = tempfile::tempdir().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = Mutex::new(tx);
    let s = Station::with_tokens(
        home.path().to_path_buf(),
        true,
        token_store(home.path()),
        move |e| {
            if let StationEvent::Verdict { outcome } = e {
                let _ = tx.lock().unwrap().send((Instant::now(), outcome));
            }
        },
    )
    .unwrap();
    s.start_demo().unwrap();
    let mut ms = vec![];
    for i in 0..TICKETS {
        let shown = Instant::now();
        let code = s.demo_show_ticket().unwrap();
        let (decided, outcome) = loop {
            let (at, outcome) = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("ticket {i} ({code}) got no verdict"));
            let same = outcome.ticket_id.as_deref() == Some(code.as_str())
                || outcome.order_id.as_deref() == Some(code.as_str());
            if same {
                break (at, outcome);
            }
        };
        assert_eq!(
            outcome.source,
            Source::Camera,
            "ticket {i} came from the camera"
        );
        ms.push((decided - shown).as_secs_f64() * 1000.0);
        std::thread::sleep(SHOWN_THEN_GONE.saturating_sub(shown.elapsed()));
    }
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    let pct = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!(
        "demo camera: ticket held up → verdict event over {TICKETS} tickets (no window): \
         median {:.0} ms, p90 {:.0} ms, max {:.0} ms; all: {ms:.0?}",
        pct(0.5),
        pct(0.9),
        pct(1.0)
    );
}

/// A real door against `sim` that shares on loopback only (no mDNS), decided offline so
/// only the other door can tell it a ticket is in, with its Setup open.
fn sharing_door(sim: &RunningSim, gate: &str) -> (tempfile::TempDir, Arc<Station>) {
    let (home, s, _) = station();
    s.share_on(loopback_sharing());
    let tenant = sim.sim().tenant_id().to_string();
    let report = s
        .check_token(&sim.base_url(), &tenant, demo::SCAN_TOKEN)
        .unwrap();
    let gate = GateProfile {
        name: gate.into(),
        ..GateProfile::default()
    };
    s.finish_setup(&report.events[0].id, gate, true, Some(PIN), None)
        .unwrap();
    s.unlock_setup(PIN).unwrap();
    (home, s)
}

fn loopback_sharing() -> usher_peers::SharingPlace {
    usher_peers::SharingPlace {
        listen: "127.0.0.1:0".parse().unwrap(),
        discover: None,
    }
}

/// Where `s` listens for its group's doors, once it shares.
fn listening(s: &Station) -> String {
    let mut at = None;
    wait_for("the door to share", Duration::from_secs(20), || {
        let group = s.health().unwrap().door_group;
        assert_ne!(group.state, "FAILED", "{:?}", group.error);
        at = group.listening.filter(|_| group.state == "ON");
        at.is_some()
    });
    at.unwrap()
}

/// Door health's row for the door named `name`, once it heard at least one scan from it.
fn heard_from(s: &Station, name: &str) -> usher_station::PeerRow {
    let mut row = None;
    wait_for(
        &format!("a scan from {name}"),
        Duration::from_secs(30),
        || {
            let peers = s.health().unwrap().door_group.peers;
            row = peers.into_iter().find(|p| p.name == name && p.received > 0);
            row.is_some()
        },
    );
    row.unwrap()
}

#[test]
fn two_doors_of_one_group_on_loopback_refuse_each_others_admitted_tickets_naming_the_door() {
    let sim: RunningSim = simulator(500);
    let (_a_home, north) = sharing_door(&sim, "North Gate 2");
    assert_eq!(north.view().unwrap().linked_doors, None, "no group yet");
    let group = north.create_door_group().unwrap();
    assert!(group.in_group && group.hint.is_some(), "{group:?}");
    let north_at = listening(&north);

    // The second door: nothing set up, joined by the typed code and the first door's address.
    let invite = north.invite_door(true).unwrap();
    assert_eq!(invite.addresses, vec![north_at.clone()]);
    assert!(
        invite.qr_text.starts_with("usher-join:1:127.0.0.1:"),
        "{}",
        invite.qr_text
    );
    assert!(invite.qr_svg.starts_with("<?xml") || invite.qr_svg.contains("<svg"));
    let (_b_home, south, _) = station();
    south.share_on(loopback_sharing());
    // Bad input is refused in words and keeps nothing.
    for (code, at, says) in [
        ("usher-join:1:garbage", None, "not a join QR code"),
        (invite.code.as_str(), None, "first door's address"),
        (invite.code.as_str(), Some("north-gate"), "host:port"),
        ("ABC", Some(north_at.as_str()), "is not a join code"),
    ] {
        let err = south
            .join_door_group(code, at, Some("South Gate"), Some(PIN))
            .unwrap_err();
        assert_eq!(err.code(), "INVALID_CONFIG", "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
    assert_eq!(south.start().unwrap().screen, "WELCOME");
    let view = south
        .join_door_group(&invite.code, Some(&north_at), Some("South Gate"), Some(PIN))
        .unwrap()
        .expect("the token came with the code: the door opens");
    assert_eq!(view.status.gate, "South Gate");
    south.unlock_setup(PIN).unwrap();
    let south_group = south.door_group().unwrap();
    assert_eq!(south_group.hint, group.hint);
    assert_eq!(south_group.peer_list, vec![north_at.clone()]);
    let south_at = listening(&south);

    // The first door pulls from the second by the manual list; a bad address keeps the list.
    let err = north.set_peer_list(&["north-gate".into()]).unwrap_err();
    assert!(err.to_string().contains("host:port"), "{err}");
    assert!(north.door_group().unwrap().peer_list.is_empty());
    north
        .set_peer_list(std::slice::from_ref(&south_at))
        .unwrap();
    assert_eq!(listening(&north), north_at, "a restart keeps the address");

    let tickets = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active);
    assert_eq!(scan(&north, &tickets[0]).verdict, VerdictKind::Admit);
    let row = heard_from(&south, "North Gate 2");
    assert_eq!(row.address, north_at);
    assert!(row.last_heard_ms.is_some(), "{row:?}");
    let refused = scan(&south, &tickets[0]);
    assert_eq!(refused.verdict, VerdictKind::AlreadyCheckedIn);
    let said = serde_json::to_string(&refused).unwrap();
    assert!(said.contains("North Gate 2"), "{said}");

    assert_eq!(scan(&south, &tickets[1]).verdict, VerdictKind::Admit);
    heard_from(&north, "South Gate");
    assert_eq!(
        scan(&north, &tickets[1]).verdict,
        VerdictKind::AlreadyCheckedIn
    );
    wait_for("both links counted", Duration::from_secs(20), || {
        north.view().unwrap().linked_doors == Some(1)
            && south.view().unwrap().linked_doors == Some(1)
    });

    // Leaving: the first door stops sharing and can invite no one.
    let left = north.leave_door_group().unwrap();
    assert!(!left.in_group && left.hint.is_none(), "{left:?}");
    wait_for("sharing to stop", Duration::from_secs(20), || {
        north.health().unwrap().door_group.state == "OFF"
    });
    let health = north.health().unwrap().door_group;
    assert!(health.peers.is_empty() && health.listening.is_none());
    assert_eq!(north.view().unwrap().linked_doors, None);
    wait_for(
        "the other door to lose its link",
        Duration::from_secs(20),
        || south.view().unwrap().linked_doors == Some(0),
    );
    assert!(matches!(
        north.invite_door(false).unwrap_err().code(),
        "NOT_SHARING"
    ));
    // What was shared stays: the ticket is still in at the second door.
    assert_eq!(
        scan(&south, &tickets[0]).verdict,
        VerdictKind::AlreadyCheckedIn
    );
}
