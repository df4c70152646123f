//! Sync performance against an in-process session-sim on loopback:
//!
//! - cache fill: a 100k-ticket event downloaded into an empty cache, with 0 ms and 50 ms
//!   added latency per request, by alpha-bucket anchors (whole event and per admission) and by
//!   the old plan (one walk per admission), in the same run; targets for the anchors: ≤ 8 s at
//!   50 ms, ≤ 4 s at 0 ms. First, where the CPU goes: server, parse and apply, one at a time;
//!   then how long a door's scan takes while a refresh writes;
//! - upload drain: 10,000 queued scans at 50 ms latency (target: ≥ 100 scans/s).
//!
//! `cargo bench -p usher-sync --bench sync` prints each run and the median.
//! `USHER_BENCH_RUNS=N` changes the repeats (default 3).

use jiff::Timestamp;
use session_api::AttendeePage;
use session_api::TicketStatus;
use session_sim::{demo, spawn, Dataset, DatasetSpec, Faults, RunningSim, SimConfig};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use usher_core::gate::GateProfile;
use usher_core::scanlog::Source;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{Door, ScanInput, Store};
use usher_sync::download::{self, DownloadReport, Plan, Progress};
use usher_sync::upload::{self, RetryPolicy, Target};
use usher_sync::{ApiClient, Token};

const FILL_TICKETS: usize = 100_000;
const UPLOAD_SCANS: usize = 10_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

fn config(sim: &RunningSim) -> DeviceConfig {
    DeviceConfig {
        api: ApiTarget::Url(sim.base_url()),
        tenant_id: demo::TENANT_ID.to_string(),
        event_id: sim.sim().dataset().event(0).unwrap().id.clone(),
        gate: GateProfile::default(),
        offline: true,
    }
}

/// A configured, empty data folder.
fn store(dir: &Path, config: &DeviceConfig) -> Store {
    let store = Store::open(dir).unwrap();
    settings::save(store.conn(), config).unwrap();
    store
}

fn client(sim: &RunningSim) -> ApiClient {
    let token = Token::new(demo::SCAN_TOKEN).unwrap();
    ApiClient::new(&sim.base_url(), demo::TENANT_ID, Some(token)).unwrap()
}

fn no_progress(_: Progress) {}

/// One cache fill into an empty store with `plan`; with `refresh`, the time of a second pass
/// over the full cache instead (what a door does every few minutes).
fn fill(
    rt: &tokio::runtime::Runtime,
    sim: &RunningSim,
    plan: Plan,
    refresh: bool,
) -> (f64, DownloadReport) {
    let tmp = tempfile::tempdir().unwrap();
    let config = config(sim);
    let store = Mutex::new(store(&tmp.path().join("data"), &config));
    let client = client(sim);
    let pass = || {
        let start = Instant::now();
        let report = rt
            .block_on(download::download_with(
                &store,
                &client,
                &config,
                plan,
                &no_progress,
            ))
            .unwrap();
        (start.elapsed().as_secs_f64(), report)
    };
    let first = pass();
    if refresh {
        pass()
    } else {
        first
    }
}

/// Where the CPU time of a fill goes, one stage at a time on one thread: the simulator
/// answering every page (with the transfer over loopback), parsing the answers, and writing
/// the rows into the cache.
fn cpu_breakdown(rt: &tokio::runtime::Runtime, sim: &RunningSim) {
    sim.set_faults(Faults::none());
    let config = config(sim);
    let http = reqwest::Client::new();
    let url = format!("{}/tickets/attendees", sim.base_url());
    let t = Instant::now();
    let bodies = rt.block_on(async {
        let mut bodies = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let mut q = vec![
                ("eventId", config.event_id.clone()),
                ("limit", download::PAGE.to_string()),
            ];
            if let Some(c) = &cursor {
                q.push(("cursor", c.clone()));
            }
            let body = http
                .get(&url)
                .header("x-tenant-id", demo::TENANT_ID)
                .bearer_auth(demo::SCAN_TOKEN)
                .query(&q)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let after: serde_json::Value = serde_json::from_slice(&body).unwrap();
            cursor = after["after"].as_str().map(str::to_string);
            bodies.push(body);
            if cursor.is_none() {
                return bodies;
            }
        }
    });
    let server = t.elapsed();
    let bytes: usize = bodies.iter().map(|b| b.len()).sum();
    let t = Instant::now();
    let pages: Vec<AttendeePage> = bodies
        .iter()
        .map(|b| serde_json::from_slice(b).unwrap())
        .collect();
    let parse = t.elapsed();
    let tmp = tempfile::tempdir().unwrap();
    let mut store = store(&tmp.path().join("data"), &config);
    store
        .conn()
        .pragma_update(None, "synchronous", "NORMAL")
        .unwrap();
    let t = Instant::now();
    for batch in pages.chunks(10) {
        let tx = store.conn_mut().transaction().unwrap();
        for page in batch {
            for row in &page.tickets {
                usher_core::cache::upsert_roster_row(&tx, &config.event_id, row, 1, 0).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let apply = t.elapsed();
    let rows: usize = pages.iter().map(|p| p.tickets.len()).sum();
    let total = (server + parse + apply).as_secs_f64();
    let share = |d: Duration| 100.0 * d.as_secs_f64() / total;
    println!(
        "  CPU by stage, one thread, {rows} rows in {} pages ({:.1} MB of JSON): server {:.2} s ({:.0}%), parse {:.2} s ({:.0}%), apply {:.2} s ({:.0}%)",
        bodies.len(),
        bytes as f64 / 1e6,
        server.as_secs_f64(),
        share(server),
        parse.as_secs_f64(),
        share(parse),
        apply.as_secs_f64(),
        share(apply),
    );
}

/// A ticket id typed at the door, recorded.
fn scan_typed(door: &mut Door, id: &str) -> usher_core::scanlog::ScanOutcome {
    door.scan(
        ScanInput {
            payload: id.as_bytes(),
            source: Source::Manual,
            confirm: false,
            direction: None,
        },
        Timestamp::now(),
    )
    .unwrap()
}

/// Scans at the door while nothing else runs, then while a refresh of the full cache writes:
/// the door waits for the writer's transaction, so this is what a refresh costs a guest.
fn door_during_refresh(rt: &tokio::runtime::Runtime, sim: &RunningSim) {
    sim.set_faults(Faults::none());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let config = config(sim);
    let store = Mutex::new(store(&dir, &config));
    let client = client(sim);
    let refresh = || {
        rt.block_on(download::download(&store, &client, &config, &no_progress))
            .unwrap()
    };
    refresh();
    let ids: Vec<String> = sim
        .sim()
        .dataset()
        .ticket_ids_of_admission(0, 0, TicketStatus::Active)
        .into_iter()
        .take(4_000)
        .collect();
    let mut door = Door::open(Store::open(&dir).unwrap()).unwrap();
    let mut next = ids.iter();
    let mut scan = |door: &mut Door| {
        let id = next.next().expect("enough tickets");
        let t = Instant::now();
        scan_typed(door, id);
        let took = t.elapsed().as_secs_f64() * 1000.0;
        door.tidy().unwrap();
        took
    };
    let report = |what: &str, mut ms: Vec<f64>| {
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q) as usize];
        println!(
            "  door scan {what}: {} scans, median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            ms.len(),
            at(0.5),
            at(0.99),
            ms[ms.len() - 1]
        );
    };
    let quiet: Vec<f64> = (0..300)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(2));
            scan(&mut door)
        })
        .collect();
    report("with nothing else running", quiet);
    let busy = std::thread::scope(|s| {
        let running = s.spawn(refresh);
        let mut ms = vec![];
        while !running.is_finished() {
            std::thread::sleep(Duration::from_millis(2));
            ms.push(scan(&mut door));
        }
        running.join().unwrap();
        ms
    });
    report("during a 0 ms refresh of the full cache", busy);
}

fn bench_fill(rt: &tokio::runtime::Runtime, runs: usize) {
    let started = Instant::now();
    let sim = spawn(SimConfig::new(Dataset::generate(&DatasetSpec {
        tickets: FILL_TICKETS,
        ..DatasetSpec::default()
    })))
    .unwrap();
    let data = sim.sim().dataset();
    let admissions = data.event(0).unwrap().admissions.len();
    let of_admission = |a: usize| {
        [
            TicketStatus::Active,
            TicketStatus::Redeemed,
            TicketStatus::Cancelled,
        ]
        .into_iter()
        .map(|s| data.ticket_ids_of_admission(0, a, s).len())
        .sum::<usize>()
    };
    let largest = (0..admissions).map(of_admission).max().unwrap_or(0);
    println!(
        "cache fill: {FILL_TICKETS} tickets, {admissions} admissions (largest {largest} = {:.0}%), {} per page, {}→{} in flight (dataset in {:.1?})",
        100.0 * largest as f64 / FILL_TICKETS as f64,
        download::PAGE,
        download::START_IN_FLIGHT,
        download::MAX_IN_FLIGHT,
        started.elapsed()
    );
    // The longest walk bounds a pass: its pages follow one another.
    let api = client(&sim);
    let event_id = data.event(0).unwrap().id.clone();
    let largest_bucket = |admission: Option<&str>| {
        rt.block_on(api.attendee_index(&event_id, admission))
            .unwrap()
            .buckets
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(0)
    };
    let whole = largest_bucket(None);
    let per_admission = data
        .event(0)
        .unwrap()
        .admissions
        .iter()
        .map(|a| largest_bucket(Some(&a.id)))
        .max()
        .unwrap_or(0);
    for (what, rows) in [("whole event", whole), ("per admission", per_admission)] {
        let pages = rows.div_ceil(u64::from(download::PAGE));
        println!(
            "  longest walk, {what}: {rows} rows = {pages} pages in a row, so at 50 ms at least {:.1} s",
            pages as f64 * 0.05
        );
    }
    cpu_breakdown(rt, &sim);
    door_during_refresh(rt, &sim);
    let plans = [
        (Plan::Anchors, false),
        (Plan::AnchorsPerAdmission, false),
        (Plan::Admissions, false),
        (Plan::AnchorsPerAdmission, true),
    ];
    for latency in [0, 50] {
        sim.set_faults(Faults {
            latency_ms: latency,
            ..Faults::none()
        });
        for (plan, refresh) in plans {
            let mut times = vec![];
            let mut last = None;
            let name = if refresh {
                format!("{} (refresh)", plan.as_str())
            } else {
                plan.as_str().to_string()
            };
            for run in 1..=runs {
                let (secs, report) = fill(rt, &sim, plan, refresh);
                assert_eq!(
                    report.received,
                    Some(FILL_TICKETS as u64),
                    "the cache is complete"
                );
                assert_eq!(report.shortfall.unwrap_or(0), 0, "{report:?}");
                println!(
                    "  {latency:>2} ms, {name:<31} run {run}: {secs:6.2} s  ({} walks, {} pages, {} requests, peak {} in flight, {:.0} tickets/s)",
                    report.walks,
                    report.pages,
                    report.requests,
                    report.peak_in_flight,
                    FILL_TICKETS as f64 / secs
                );
                times.push(secs);
                last = Some(report);
            }
            let m = median(times);
            let target = match latency {
                0 => 4.0,
                _ => 8.0,
            };
            let verdict = if plan == Plan::Admissions {
                String::from(" (the old plan, for comparison)")
            } else if refresh {
                String::from(" (a refresh of the full cache)")
            } else if m <= target {
                format!(" (target ≤ {target} s: met)")
            } else {
                format!(" (target ≤ {target} s: MISSED)")
            };
            let r = last.expect("at least one run");
            println!(
                "  {latency:>2} ms, {name:<31} median {m:.2} s over {runs} runs, {} walks{verdict}",
                r.walks
            );
        }
    }
}

/// Records `ids` at the door of a fresh data folder whose cache is filled from `sim`.
fn queued_store(rt: &tokio::runtime::Runtime, sim: &RunningSim, dir: &Path, ids: &[String]) {
    let config = config(sim);
    let store = Mutex::new(store(dir, &config));
    rt.block_on(download::download(
        &store,
        &client(sim),
        &config,
        &no_progress,
    ))
    .unwrap();
    let mut door = Door::open(store.into_inner().unwrap()).unwrap();
    for id in ids {
        let outcome = scan_typed(&mut door, id);
        assert_eq!(outcome.verdict.as_str(), "ADMIT", "{id}");
    }
    door.tidy().unwrap();
}

fn bench_upload(rt: &tokio::runtime::Runtime, runs: usize) {
    let sim = spawn(SimConfig::new(Dataset::generate(&DatasetSpec {
        tickets: UPLOAD_SCANS * 2,
        ..DatasetSpec::default()
    })))
    .unwrap();
    // Unused tickets of the admissions whose entry is open now.
    let data = sim.sim().dataset();
    let ids: Vec<String> = (0..3)
        .flat_map(|a| data.ticket_ids_of_admission(0, a, TicketStatus::Active))
        .take(UPLOAD_SCANS)
        .collect();
    assert_eq!(ids.len(), UPLOAD_SCANS);
    println!(
        "upload drain: {UPLOAD_SCANS} queued scans, 50 ms latency, {} in flight",
        upload::CONCURRENCY
    );
    let mut rates = vec![];
    for run in 1..=runs {
        sim.sim().reset();
        sim.set_faults(Faults::none());
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let t = Instant::now();
        queued_store(rt, &sim, &dir, &ids);
        let recorded = t.elapsed();
        sim.set_faults(Faults {
            latency_ms: 50,
            ..Faults::none()
        });
        let store = Mutex::new(Store::open(&dir).unwrap());
        let client = client(&sim);
        let target = Target {
            tenant_id: demo::TENANT_ID,
            api: &sim.base_url(),
        };
        let start = Instant::now();
        let report = rt
            .block_on(upload::upload(
                &store,
                &client,
                &target,
                RetryPolicy::default(),
                Some(Duration::from_secs(600)),
            ))
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(report.acknowledged, UPLOAD_SCANS as u64, "{report:?}");
        assert_eq!(report.still_pending, 0);
        let rate = UPLOAD_SCANS as f64 / secs;
        println!(
            "  run {run}: {secs:6.2} s, {rate:6.1} scans/s  (recording the scans took {recorded:.1?})"
        );
        rates.push(rate);
    }
    let m = median(rates);
    let verdict = if m >= 100.0 { "met" } else { "MISSED" };
    println!("  median {m:.1} scans/s (target ≥ 100 scans/s: {verdict})");
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then run once, quickly.
    let bench = std::env::args().any(|a| a == "--bench");
    let runs = std::env::var("USHER_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if bench { 3 } else { 1 });
    // `cargo bench -p usher-sync --bench sync -- fill` runs only the cache fill (or `upload`).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let rt = runtime();
    if wanted("fill") {
        bench_fill(&rt, runs);
    }
    if wanted("upload") {
        bench_upload(&rt, runs);
    }
}
