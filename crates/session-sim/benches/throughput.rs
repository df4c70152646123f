//! Throughput of the simulator on loopback with no faults, with a 1M-ticket event:
//! ticket pages of 100 per second, and check-ins per second. Prints the median of 5 rounds.
//!
//! `cargo bench -p session-sim --bench throughput` (env `SIM_BENCH_TICKETS` to change the
//! dataset size, `SIM_BENCH_CLIENTS` the concurrency).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use session_api::TicketStatus;
use session_sim::{demo, spawn, Dataset, DatasetSpec, SimConfig};

const ROUND: Duration = Duration::from_secs(2);
const ROUNDS: usize = 5;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU seconds used by this process (server and client together), from /proc on Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// The `after` cursor of a page, found without parsing the whole body.
fn after_cursor(body: &[u8]) -> Option<String> {
    let tail = &body[body.len().saturating_sub(400)..];
    let text = std::str::from_utf8(tail).ok()?;
    let start = text.rfind("\"after\":\"")? + 9;
    let end = start + text[start..].find('"')?;
    Some(text[start..end].to_string())
}

fn main() {
    let tickets = env("SIM_BENCH_TICKETS", 1_000_000);
    let clients = env("SIM_BENCH_CLIENTS", 4);

    let t = Instant::now();
    let ds = Dataset::generate(&DatasetSpec {
        tickets,
        ..DatasetSpec::default()
    });
    println!(
        "generate {tickets} tickets: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    if let Some(rss) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_string)
        })
    {
        println!(
            "resident memory with the dataset: {}",
            rss.trim_start_matches("VmRSS:").trim()
        );
    }
    let t = Instant::now();
    ds.write_import_json(0, &mut std::io::sink()).unwrap();
    println!(
        "stream {tickets} tickets as import JSON: {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let event = ds.event_ids()[0].clone();
    let active = Arc::new(ds.ticket_ids(0, TicketStatus::Active));
    let sim = spawn(SimConfig::new(ds)).unwrap();
    let base = sim.base_url();
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients * 2)
        .build()
        .unwrap();

    let mut pages_per_sec = Vec::new();
    let mut pages_per_cpu_sec = Vec::new();
    for round in 0..ROUNDS {
        let pages = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let cpu_start = cpu_seconds();
        client_rt.block_on(async {
            let mut tasks = Vec::new();
            for c in 0..clients {
                let (client, base, event, pages) =
                    (client.clone(), base.clone(), event.clone(), pages.clone());
                tasks.push(tokio::spawn(async move {
                    let first = format!("{base}/tickets?eventId={event}&limit=100");
                    let mut url = first.clone();
                    // Start each client at a different depth.
                    let mut skip = c * 50 + round;
                    while started.elapsed() < ROUND {
                        let resp = client
                            .get(&url)
                            .header("x-tenant-id", demo::TENANT_ID)
                            .bearer_auth(demo::SCAN_TOKEN)
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(resp.status().as_u16(), 200);
                        let body = resp.bytes().await.unwrap();
                        if skip == 0 {
                            pages.fetch_add(1, Ordering::Relaxed);
                        } else {
                            skip -= 1;
                        }
                        url = match after_cursor(&body) {
                            Some(c) => format!("{first}&cursor={c}"),
                            None => first.clone(),
                        };
                    }
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
        });
        let n = pages.load(Ordering::Relaxed) as f64;
        pages_per_sec.push(n / started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, cpu_seconds()) {
            pages_per_cpu_sec.push(n / (b - a).max(0.01));
        }
    }

    let mut check_ins_per_sec = Vec::new();
    let mut check_ins_per_cpu_sec = Vec::new();
    let next = Arc::new(AtomicUsize::new(0));
    for _ in 0..ROUNDS {
        let done = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let cpu_start = cpu_seconds();
        client_rt.block_on(async {
            let mut tasks = Vec::new();
            for c in 0..clients {
                let (client, base, event) = (client.clone(), base.clone(), event.clone());
                let (active, next, done) = (active.clone(), next.clone(), done.clone());
                tasks.push(tokio::spawn(async move {
                    while started.elapsed() < ROUND {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(id) = active.get(i) else { break };
                        let body = format!(
                            r#"{{"eventId":"{event}","deviceId":"bench-{c}","idempotencyKey":"bench-{i}"}}"#
                        );
                        let resp = client
                            .put(format!("{base}/tickets/{id}/check-in"))
                            .header("x-tenant-id", demo::TENANT_ID)
                            .header("content-type", "application/json")
                            .bearer_auth(demo::SCAN_TOKEN)
                            .body(body)
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(resp.status().as_u16(), 200);
                        resp.bytes().await.unwrap();
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
        });
        let n = done.load(Ordering::Relaxed) as f64;
        check_ins_per_sec.push(n / started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, cpu_seconds()) {
            check_ins_per_cpu_sec.push(n / (b - a).max(0.01));
        }
    }

    println!(
        "ticket pages of 100 per second: {:.0} (median of {ROUNDS} x {}s, {clients} clients; rounds {:?})",
        median(pages_per_sec.clone()),
        ROUND.as_secs(),
        pages_per_sec.iter().map(|v| v.round()).collect::<Vec<_>>()
    );
    println!(
        "check-ins per second: {:.0} (median of {ROUNDS} x {}s, {clients} clients; rounds {:?})",
        median(check_ins_per_sec.clone()),
        ROUND.as_secs(),
        check_ins_per_sec
            .iter()
            .map(|v| v.round())
            .collect::<Vec<_>>()
    );
    if !pages_per_cpu_sec.is_empty() && !check_ins_per_cpu_sec.is_empty() {
        println!(
            "per CPU-second of server + client (less sensitive to other load): {:.0} pages, {:.0} check-ins",
            median(pages_per_cpu_sec),
            median(check_ins_per_cpu_sec)
        );
    }
    drop(sim);
}
