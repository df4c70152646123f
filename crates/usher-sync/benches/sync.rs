//! Sync performance against an in-process session-sim on loopback:
//!
//! - cache fill: a 100k-ticket event downloaded into an empty cache, with 0 ms and 50 ms
//!   added latency per request (target at 50 ms: ≤ 15 s);
//! - upload drain: 10,000 queued scans at 50 ms latency (target: ≥ 100 scans/s).
//!
//! `cargo bench -p usher-sync --bench sync` prints each run and the median.
//! `USHER_BENCH_RUNS=N` changes the repeats (default 3).

use jiff::Timestamp;
use session_api::TicketStatus;
use session_sim::{demo, spawn, Dataset, DatasetSpec, Faults, RunningSim, SimConfig};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use usher_core::gate::GateProfile;
use usher_core::scanlog::Source;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{Door, ScanInput, Store};
use usher_sync::download::{self, Progress};
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

/// One cache fill into an empty store: (seconds, tickets, pages).
fn fill(rt: &tokio::runtime::Runtime, sim: &RunningSim) -> (f64, u64, u64) {
    let tmp = tempfile::tempdir().unwrap();
    let config = config(sim);
    let store = Mutex::new(store(&tmp.path().join("data"), &config));
    let client = client(sim);
    let start = Instant::now();
    let report = rt
        .block_on(download::download(&store, &client, &config, &no_progress))
        .unwrap();
    (start.elapsed().as_secs_f64(), report.tickets, report.pages)
}

fn bench_fill(rt: &tokio::runtime::Runtime, runs: usize) {
    let started = Instant::now();
    let sim = spawn(SimConfig::new(Dataset::generate(&DatasetSpec {
        tickets: FILL_TICKETS,
        ..DatasetSpec::default()
    })))
    .unwrap();
    println!(
        "cache fill: {FILL_TICKETS} tickets, {} slices (one per admission), {} at once, {} per page (dataset in {:.1?})",
        sim.sim().dataset().event(0).unwrap().admissions.len(),
        download::SLICES_AT_ONCE,
        download::PAGE,
        started.elapsed()
    );
    // Pages within one slice are sequential (each needs the previous page's cursor), so the
    // largest admission bounds the fill from below.
    let data = sim.sim().dataset();
    let admissions = data.event(0).unwrap().admissions.len();
    let largest = (0..admissions)
        .map(|a| {
            [
                TicketStatus::Active,
                TicketStatus::Redeemed,
                TicketStatus::Cancelled,
            ]
            .into_iter()
            .map(|s| data.ticket_ids_of_admission(0, a, s).len())
            .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    let pages = largest.div_ceil(download::PAGE as usize);
    println!(
        "  largest slice: {largest} tickets = {pages} sequential pages, so at 50 ms at least {:.1} s",
        pages as f64 * 0.05
    );
    for latency in [0, 50] {
        sim.set_faults(Faults {
            latency_ms: latency,
            ..Faults::none()
        });
        let mut times = vec![];
        for run in 1..=runs {
            let (secs, tickets, pages) = fill(rt, &sim);
            assert_eq!(tickets, FILL_TICKETS as u64, "the cache is complete");
            println!(
                "  {latency:>2} ms latency, run {run}: {secs:6.2} s  ({pages} pages, {:.0} tickets/s)",
                tickets as f64 / secs
            );
            times.push(secs);
        }
        let m = median(times);
        let verdict = if latency == 50 {
            if m <= 15.0 {
                " (target ≤ 15 s: met)"
            } else {
                " (target ≤ 15 s: MISSED)"
            }
        } else {
            ""
        };
        println!("  {latency:>2} ms latency: median {m:.2} s{verdict}");
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
        let outcome = door
            .scan(
                ScanInput {
                    payload: id.as_bytes(),
                    source: Source::Manual,
                    confirm: false,
                    direction: None,
                },
                Timestamp::now(),
            )
            .unwrap();
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
    let rt = runtime();
    bench_fill(&rt, runs);
    bench_upload(&rt, runs);
}
