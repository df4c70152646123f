//! Resumable download: a guest-list download stopped half-way (SIGKILL, or the network cut)
//! continues from the saved cursors on the next `usher sync` instead of starting over, and a
//! cursor the server refuses restarts only its own slice.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use session_sim::{demo, Faults, RunningSim};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const TICKETS: usize = 20_000;
const ATTENDEES: &str = "GET /tickets/attendees";

fn sim() -> RunningSim {
    simulator(TICKETS)
}

fn sync_json(door: &Door) -> Value {
    door.run_with_token(demo::SCAN_TOKEN, &["--json", "sync"])
        .success()
        .json_lines()
        .remove(0)
}

/// Tickets of admission `index` of event 0, whatever their status.
fn admission_tickets(sim: &RunningSim, index: usize) -> usize {
    let data = sim.sim().dataset();
    [
        TicketStatus::Active,
        TicketStatus::Redeemed,
        TicketStatus::Cancelled,
    ]
    .into_iter()
    .map(|s| data.ticket_ids_of_admission(0, index, s).len())
    .sum()
}

fn pages_of(tickets: usize) -> u64 {
    tickets.div_ceil(100).max(1) as u64
}

/// Pages of a full pass: every admission's slice from the top.
fn full_pass_pages(sim: &RunningSim) -> u64 {
    let admissions = sim.sim().dataset().event(0).unwrap().admissions.len();
    (0..admissions)
        .map(|a| pages_of(admission_tickets(sim, a)))
        .sum()
}

fn cached_tickets(door: &Door) -> u64 {
    door.db()
        .query_row("SELECT count(*) FROM tickets", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64
}

/// (slices with a saved position or finished, slices not finished)
fn progress(door: &Door) -> (i64, i64) {
    door.db()
        .query_row(
            "SELECT count(*) FILTER (WHERE cursor IS NOT NULL OR done = 1),
                    count(*) FILTER (WHERE done = 0)
             FROM sync_progress",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or((0, 0))
}

/// Starts `usher sync` and returns once at least `moved` slices have saved a position.
fn sync_until_some_progress(door: &Door, moved: i64) -> Child {
    let mut child = door
        .cmd()
        .env("SESSION_SERVICES_TOKEN", demo::SCAN_TOKEN)
        .args(["--json", "sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while progress(door).0 < moved {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the download ended before it could be interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

/// Checks the cache holds the whole event and every slice is finished.
#[track_caller]
fn assert_cache_complete(door: &Door, sim: &RunningSim) {
    assert_eq!(
        cached_tickets(door),
        sim.sim().dataset().ticket_count() as u64
    );
    assert_eq!(progress(door).1, 0, "a slice is left unfinished");
    let status = door.status();
    let cached = status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap();
    assert_eq!(cached, sim.sim().dataset().ticket_count() as u64);
    assert!(status["cacheAgeSeconds"].as_i64().is_some(), "{status}");
}

/// Checks the next sync continues rather than restarts: it says so, asks the server for fewer
/// pages than a full pass (exactly the pages it reports), and completes the cache.
#[track_caller]
fn assert_resumes(door: &Door, sim: &RunningSim) {
    let full = full_pass_pages(sim);
    let before = sim.sim().request_count(ATTENDEES, 200);
    let out = sync_json(door);
    let fetched = sim.sim().request_count(ATTENDEES, 200) - before;
    assert_eq!(out["download"]["resumed"], true, "{out}");
    let pages = out["download"]["pages"].as_u64().unwrap();
    assert_eq!(pages, fetched, "{out}");
    assert!(pages > 0 && pages < full, "{pages} pages of {full}: {out}");
    assert_cache_complete(door, sim);
}

#[test]
fn a_sigkilled_download_resumes_and_fetches_fewer_pages_than_a_full_pass() {
    let sim = sim();
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        latency_ms: 10,
        ..Faults::none()
    });
    let mut child = sync_until_some_progress(&door, 3);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (_, open) = progress(&door);
    assert!(open > 0, "the kill came after the download finished");
    assert!(cached_tickets(&door) < TICKETS as u64);

    sim.set_faults(Faults::none());
    assert_resumes(&door, &sim);
    // Once complete, the next refresh is a full pass again.
    let out = sync_json(&door);
    assert_eq!(out["download"]["resumed"], false, "{out}");
    assert_eq!(out["download"]["pages"], full_pass_pages(&sim), "{out}");
}

#[test]
fn a_download_cut_off_by_the_network_records_the_error_and_resumes_later() {
    let mut sim = sim();
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        latency_ms: 10,
        ..Faults::none()
    });
    let mut child = sync_until_some_progress(&door, 3);
    sim.cut();
    // The run gives up after its retries, keeping the position and saying why.
    let status = child.wait().unwrap();
    assert!(!status.success(), "sync succeeded without a network");
    assert!(
        progress(&door).1 > 0,
        "the cut came after the download finished"
    );
    let error: Option<String> = door
        .db()
        .query_row("SELECT last_error FROM sync_state WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        error.is_some_and(|e| e.contains("Session Services")),
        "no error recorded"
    );

    sim.restart().unwrap();
    sim.set_faults(Faults::none());
    assert_resumes(&door, &sim);
}

#[test]
fn a_forged_cursor_restarts_only_its_own_slice() {
    let sim = sim();
    let door = door_for(&sim, &[]);
    let out = sync_json(&door);
    assert_eq!(out["download"]["pages"], full_pass_pages(&sim), "{out}");
    assert_cache_complete(&door, &sim);

    // Slice 1 was "interrupted" with a cursor the server never issued (a position with a
    // made-up signature); every other slice is finished.
    let event = sim.sim().dataset().event(0).unwrap();
    let forged_slice = event.admissions[1].id.clone();
    let forged = "eyJwIjo1MCwibSI6ImZvcmdlZCJ9"; // {"p":50,"m":"forged"}
    let changed = door
        .db()
        .execute(
            "UPDATE sync_progress SET done = 0, cursor = ?2 WHERE event_id = ?1 AND slice = ?3",
            [event.id.as_str(), forged, forged_slice.as_str()],
        )
        .unwrap();
    assert_eq!(changed, 1);

    let refused = sim.sim().request_count(ATTENDEES, 422);
    let before = sim.sim().request_count(ATTENDEES, 200);
    let out = sync_json(&door);
    assert_eq!(
        sim.sim().request_count(ATTENDEES, 422) - refused,
        1,
        "the forged cursor is sent once, then dropped"
    );
    assert_eq!(out["download"]["resumed"], true, "{out}");
    // That slice from the top, and nothing of the others.
    let slice_tickets = admission_tickets(&sim, 1);
    assert_eq!(out["download"]["pages"], pages_of(slice_tickets), "{out}");
    assert_eq!(out["download"]["tickets"], slice_tickets as u64, "{out}");
    assert_eq!(
        sim.sim().request_count(ATTENDEES, 200) - before,
        pages_of(slice_tickets)
    );
    assert_cache_complete(&door, &sim);
}

/// A running door refreshes its guest list every few minutes over one open connection. The
/// write-ahead log must be folded back into the database as it goes: left alone it grows by
/// a whole guest list per refresh, and every read gets slower as it does.
#[test]
fn refreshes_over_one_open_connection_keep_the_write_ahead_log_small() {
    let sim = sim();
    let door = door_for(&sim, &[]);
    let store = std::sync::Mutex::new(usher_core::Store::open(&door.dir).unwrap());
    let config = usher_core::settings::load(store.lock().unwrap().conn()).unwrap();
    let token = usher_sync::Token::new(demo::SCAN_TOKEN).unwrap();
    let client =
        usher_sync::ApiClient::new(config.api.base_url(), &config.tenant_id, Some(token)).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for _ in 0..3 {
        rt.block_on(usher_sync::download::download(
            &store,
            &client,
            &config,
            &|_| {},
        ))
        .unwrap();
    }
    let size = |file: &str| std::fs::metadata(door.dir.join(file)).map_or(0, |m| m.len());
    let (wal, db) = (size("usher.db-wal"), size("usher.db"));
    assert!(
        wal < db,
        "after three refreshes the log is {wal} bytes, the database {db}"
    );
    drop(store);
    assert_cache_complete(&door, &sim);
}
