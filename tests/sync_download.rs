//! The guest-list download: walks from alpha-bucket anchors that cover the roster exactly
//! once; stopped half-way (SIGKILL, or the network cut) it continues from the saved cursors
//! on the next `usher sync`, and a cursor the server refuses restarts only its own walk. A
//! complete pass is checked against the server's count: tickets taken off the roster are
//! marked gone, and a short pass is reported and marks nothing. Refunds between refreshes
//! arrive by a light poll.

use crate::support::*;
use serde_json::Value;
use session_api::TicketStatus;
use session_sim::{demo, Faults, RunningSim, SimConfig};
use std::collections::{BTreeSet, HashMap, HashSet};
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

/// Every ticket id of event 0, whatever its status.
fn event_ids(sim: &RunningSim) -> BTreeSet<String> {
    let data = sim.sim().dataset();
    let admissions = data.event(0).unwrap().admissions.len();
    (0..admissions)
        .flat_map(|a| {
            [
                TicketStatus::Active,
                TicketStatus::Redeemed,
                TicketStatus::Cancelled,
            ]
            .into_iter()
            .flat_map(move |s| data.ticket_ids_of_admission(0, a, s))
        })
        .collect()
}

fn cached_ids(door: &Door) -> BTreeSet<String> {
    let db = door.db();
    let mut stmt = db
        .prepare("SELECT id FROM tickets WHERE gone_ms IS NULL")
        .unwrap();
    let ids = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    ids
}

/// A simulator of `tickets` that keeps a journal of the requests and answers.
fn journaled(tickets: usize) -> RunningSim {
    session_sim::spawn(
        SimConfig::new(session_sim::Dataset::generate(&session_sim::DatasetSpec {
            tickets,
            ..session_sim::DatasetSpec::default()
        }))
        .with_journal(),
    )
    .unwrap()
}

/// Every request the door sent and every answer the simulator gave fits the contract.
#[track_caller]
fn assert_fits_contract(sim: &RunningSim) {
    let (_, wrong) = check_journal(&sim.sim().journal());
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A journaled simulator of `tickets` and a door whose guest list is downloaded from it.
fn synced_door(tickets: usize) -> (RunningSim, Door) {
    let sim = journaled(tickets);
    let door = door_for(&sim, &[]);
    sync_json(&door);
    (sim, door)
}

/// (walks with a saved position or finished, walks not finished) of the current pass.
fn progress(door: &Door) -> (i64, i64) {
    door.db()
        .query_row(
            "SELECT count(*) FILTER (WHERE cursor IS NOT NULL OR done = 1),
                    count(*) FILTER (WHERE done = 0)
             FROM roster_walks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or((0, 0))
}

/// Starts `usher sync` and returns once at least `moved` walks have saved a position.
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

/// Checks the cache holds exactly the event's tickets, every walk is finished, and the pass
/// was checked against the server's count.
#[track_caller]
fn assert_cache_complete(door: &Door, sim: &RunningSim) {
    assert_eq!(
        cached_ids(door),
        event_ids(sim),
        "the cache is not the event"
    );
    assert_eq!(progress(door).1, 0, "a walk is left unfinished");
    let status = door.status();
    let cached = status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap();
    assert_eq!(cached, sim.sim().dataset().ticket_count() as u64);
    assert!(status["cacheAgeSeconds"].as_i64().is_some(), "{status}");
    assert_eq!(status["roster"]["shortfall"], 0, "{status}");
}

/// Checks the next sync continues rather than restarts: it says so, asks the server for fewer
/// pages than a full pass (exactly the pages it reports), and completes the cache.
#[track_caller]
fn assert_resumes(door: &Door, sim: &RunningSim) {
    let before = sim.sim().request_count(ATTENDEES, 200);
    let out = sync_json(door);
    let fetched = sim.sim().request_count(ATTENDEES, 200) - before;
    assert_eq!(out["download"]["resumed"], true, "{out}");
    let pages = out["download"]["pages"].as_u64().unwrap();
    assert_eq!(pages, fetched, "{out}");
    assert_cache_complete(door, sim);
    // Once complete, the next refresh is a full pass again, and it takes more pages.
    let full = sync_json(door);
    assert_eq!(full["download"]["resumed"], false, "{full}");
    let full_pages = full["download"]["pages"].as_u64().unwrap();
    assert!(
        pages > 0 && pages < full_pages,
        "{pages} pages of {full_pages}: {out}"
    );
    assert_cache_complete(door, sim);
}

/// Every walk's rows in the journal, each page cut where it reaches another walk's first row:
/// together they must be the event's tickets, each exactly once.
#[test]
fn a_walk_through_anchors_covers_a_10000_ticket_event_exactly_once() {
    let sim = journaled(10_000);
    let door = door_for(&sim, &[]);
    let out = sync_json(&door);
    assert_eq!(out["download"]["plan"], "anchorsPerAdmission", "{out}");
    assert_eq!(out["download"]["received"], 10_000, "{out}");
    assert_eq!(out["download"]["expected"], 10_000, "{out}");
    let pages: Vec<(bool, Vec<String>)> = sim
        .sim()
        .journal()
        .into_iter()
        .filter(|e| e.path == "/tickets/attendees" && e.status == 200)
        .map(|e| {
            let by_anchor = e.query.iter().any(|(k, _)| k == "anchor");
            let rows = e.answer.unwrap()["tickets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_str().unwrap().to_string())
                .collect();
            (by_anchor, rows)
        })
        .collect();
    let starts: HashSet<&String> = pages
        .iter()
        .filter(|(by_anchor, _)| *by_anchor)
        .filter_map(|(_, rows)| rows.first())
        .collect();
    assert!(starts.len() > 20, "{} walks", starts.len());
    let mut seen: HashMap<&String, usize> = HashMap::new();
    for (by_anchor, rows) in &pages {
        let skip = usize::from(*by_anchor);
        let end = rows
            .iter()
            .skip(skip)
            .position(|r| starts.contains(r))
            .map_or(rows.len(), |i| i + skip);
        for r in &rows[..end] {
            *seen.entry(r).or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "fetched twice before a stop row: {twice:?}"
    );
    let seen: BTreeSet<String> = seen.into_keys().cloned().collect();
    assert_eq!(seen, event_ids(&sim));
    assert_cache_complete(&door, &sim);
}

/// SIGKILLs a running `usher sync`. Its requests still in the simulator are dropped with
/// their connections (a cut, then the simulator serves again), so none is answered, or
/// counted, after this returns.
fn kill_mid_download(child: &mut Child, sim: &mut RunningSim) {
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    sim.cut();
    sim.restart().unwrap();
}

#[test]
fn a_sigkilled_download_resumes_and_completes_with_the_same_set() {
    let mut sim = sim();
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        latency_ms: 10,
        ..Faults::none()
    });
    let mut child = sync_until_some_progress(&door, 3);
    kill_mid_download(&mut child, &mut sim);
    let (_, open) = progress(&door);
    assert!(open > 0, "the kill came after the download finished");
    assert!(cached_ids(&door).len() < TICKETS);

    sim.set_faults(Faults::none());
    assert_resumes(&door, &sim);
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
    // Kept as what to say, worded when it is shown (in the language in force then).
    let error = error.map(|e| usher_core::i18n::Said::from_stored(&e).to_string());
    assert!(
        error
            .as_ref()
            .is_some_and(|e| e.contains("Session Services")),
        "no error recorded: {error:?}"
    );

    sim.restart().unwrap();
    sim.set_faults(Faults::none());
    assert_resumes(&door, &sim);
}

/// After a SIGKILL, one walk's saved cursor is replaced by one the server never issued. The
/// next run sends it once (422), starts that walk again from its bucket's anchor, and every
/// other walk with a saved position goes on from its own cursor.
#[test]
fn a_refused_cursor_restarts_only_its_own_walk() {
    let mut sim = journaled(TICKETS);
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        latency_ms: 10,
        ..Faults::none()
    });
    let mut child = sync_until_some_progress(&door, 6);
    kill_mid_download(&mut child, &mut sim);
    sim.set_faults(Faults::none());
    let db = door.db();
    let walking: Vec<String> = db
        .prepare(
            "SELECT walk FROM roster_walks WHERE done = 0 AND cursor IS NOT NULL ORDER BY walk",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(walking.len() >= 2, "{walking:?}");
    let forged_walk = &walking[0];
    let forged = "eyJwIjo1MCwibSI6ImZvcmdlZCJ9"; // {"p":50,"m":"forged"}
    db.execute(
        "UPDATE roster_walks SET cursor = ?1 WHERE walk = ?2",
        [forged, forged_walk.as_str()],
    )
    .unwrap();

    sim.sim().clear_journal();
    let out = sync_json(&door);
    assert_eq!(out["download"]["resumed"], true, "{out}");
    let journal = sim.sim().journal();
    // Which walk each anchor belongs to, from this run's indexes: "adm_…/B".
    let mut anchor_walk: HashMap<String, String> = HashMap::new();
    for e in journal
        .iter()
        .filter(|e| e.path == "/tickets/attendees/index")
    {
        let admission = e
            .query
            .iter()
            .find(|(k, _)| k == "admissionIds[0]")
            .map_or("*".to_string(), |(_, v)| v.clone());
        for b in e.answer.as_ref().unwrap()["buckets"].as_array().unwrap() {
            anchor_walk.insert(
                b["anchor"].as_str().unwrap().to_string(),
                format!("{admission}/{}", b["key"].as_str().unwrap()),
            );
        }
    }
    let roster: Vec<_> = journal
        .iter()
        .filter(|e| e.path == "/tickets/attendees")
        .collect();
    let refused: Vec<_> = roster.iter().filter(|e| e.status == 422).collect();
    assert_eq!(refused.len(), 1, "the forged cursor is sent once");
    assert!(refused[0]
        .query
        .iter()
        .any(|(k, v)| k == "cursor" && v == forged));
    let restarted: Vec<&String> = roster
        .iter()
        .filter_map(|e| e.query.iter().find(|(k, _)| k == "anchor"))
        .map(|(_, a)| &anchor_walk[a])
        .collect();
    assert!(restarted.contains(&forged_walk), "{restarted:?}");
    for w in &walking[1..] {
        assert!(!restarted.contains(&w), "{w} started over: {restarted:?}");
    }
    assert_cache_complete(&door, &sim);
}

/// A server that rate-limits: its 429s halve the requests in flight and their `Retry-After`
/// is waited out; the guest list still arrives whole.
#[test]
fn a_rate_limited_server_slows_the_download_and_the_list_completes() {
    let sim = simulator(3_000);
    let door = door_for(&sim, &[]);
    sim.set_faults(Faults {
        rate_limit_per_sec: 30,
        retry_after_secs: Some(1),
        ..Faults::none()
    });
    let out = sync_json(&door);
    assert!(out["download"]["throttled"].as_u64().unwrap() > 0, "{out}");
    assert!(sim.sim().request_count(ATTENDEES, 429) > 0);
    assert_eq!(out["download"]["shortfall"], 0, "{out}");
    sim.set_faults(Faults::none());
    assert_cache_complete(&door, &sim);
}

/// A ticket taken off the roster between two refreshes is found gone by the second, counted
/// in `usher status`, and refused at the door as no longer on the guest list.
#[test]
fn a_ticket_removed_from_the_roster_between_refreshes_is_reported_gone() {
    let (sim, door) = synced_door(2_000);
    let id = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[0]
        .clone();
    let email = sim.sim().ticket(&id).unwrap().attendee.email;
    let found = door.run(&["--json", "lookup", &email]).success().stdout();
    assert!(
        found.contains(&id),
        "the search finds the guest first: {found}"
    );
    assert!(sim.sim().remove_from_roster(&id));
    let out = sync_json(&door);
    assert_eq!(out["download"]["gone"], 1, "{out}");
    assert_eq!(out["download"]["shortfall"], 0, "{out}");
    let status = door.status();
    assert_eq!(status["roster"]["goneTotal"], 1, "{status}");
    let found = door.run(&["--json", "lookup", &email]).success().stdout();
    assert!(
        !found.contains(&id),
        "a gone ticket is not offered by the search: {found}"
    );
    assert_eq!(
        status["total"].as_u64().unwrap() + status["cancelled"].as_u64().unwrap(),
        1_999
    );
    let v = door.scan_one(&id);
    assert_eq!(v["verdict"], "NOT_FOUND", "{v}");
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("no longer on the guest list"),
        "{v}"
    );
    assert_fits_contract(&sim);
}

/// An admission no longer in the event's list still has guests on the roster: the
/// per-admission indexes do not add up to the event's, so the pass walks the whole event and
/// its tickets arrive too.
#[test]
fn tickets_of_an_admission_no_longer_listed_are_still_downloaded() {
    let sim = journaled(2_000);
    let door = door_for(&sim, &[]);
    let event = sim.sim().dataset().event(0).unwrap();
    sim.sim().delist_admission(&event.admissions[1].id);
    let out = sync_json(&door);
    assert_eq!(out["download"]["plan"], "anchors", "{out}");
    assert_eq!(out["download"]["received"], 2_000, "{out}");
    assert_eq!(cached_ids(&door), event_ids(&sim));
    assert_fits_contract(&sim);
}

/// A server that leaves a row out of its pages while its index counts it: the pass is short,
/// `usher status` says so, and nothing is marked gone, not even a ticket really removed.
#[test]
fn the_completeness_check_reports_a_hidden_row_and_marks_nothing_gone() {
    let (sim, door) = synced_door(2_000);
    let ids = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 1, TicketStatus::Active);
    let (hidden, removed) = (ids[3].clone(), ids[4].clone());
    assert!(sim.sim().remove_from_roster(&removed));
    sim.set_faults(Faults {
        hidden_rows: vec![hidden.clone()],
        ..Faults::none()
    });
    let out = sync_json(&door);
    assert_eq!(out["download"]["shortfall"], 1, "{out}");
    assert_eq!(out["download"]["gone"], 0, "{out}");
    let status = door.status();
    assert_eq!(status["roster"]["shortfall"], 1, "{status}");
    assert!(
        status["roster"]["warning"]
            .as_str()
            .is_some_and(|w| w.contains("1 fewer")),
        "{status}"
    );
    // Both are still admitted from the cache.
    for id in [&hidden, &removed] {
        let v = door.scan_one(id);
        assert_eq!(v["verdict"], "ADMIT", "{v}");
    }
    // With the row back, the next pass is whole and finds the removed ticket gone.
    sim.set_faults(Faults::none());
    let out = sync_json(&door);
    assert_eq!(out["download"]["shortfall"], 0, "{out}");
    assert_eq!(out["download"]["gone"], 1, "{out}");
    assert_fits_contract(&sim);
}

/// A refund made on the server between refreshes reaches the door with one poll, without a
/// refresh of the guest list.
#[test]
fn a_refund_is_seen_by_the_door_within_one_poll() {
    let (sim, door) = synced_door(2_000);
    let id = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)[5]
        .clone();
    assert!(sim.sim().cancel(&id));
    let pages_before = sim.sim().request_count(ATTENDEES, 200);
    let (store, config, client) = door.sync_parts();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = rt
        .block_on(usher_sync::refunds::poll(&store, &client, &config.event_id))
        .unwrap();
    assert_eq!(report.newly_cancelled, 1, "{report:?}");
    assert!(report.listed >= 1);
    assert_eq!(
        sim.sim().request_count(ATTENDEES, 200),
        pages_before,
        "no refresh"
    );
    drop(store);
    let v = door.scan_one(&id);
    assert_eq!(v["verdict"], "CANCELLED", "{v}");
    assert_fits_contract(&sim);
}

/// A running door refreshes its guest list every few minutes over one open connection. The
/// write-ahead log must be folded back into the database as it goes: left alone it grows by
/// a whole guest list per refresh, and every read gets slower as it does.
#[test]
fn refreshes_over_one_open_connection_keep_the_write_ahead_log_small() {
    let sim = sim();
    let door = door_for(&sim, &[]);
    let (store, config, client) = door.sync_parts();
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
