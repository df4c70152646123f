//! The door's speed, printed as medians and p99s (not a pass/fail test: the machines are
//! shared and noisy, so compare figures from one run).
//!
//! `cargo bench -p usher-core --bench door` (sizes: `USHER_BENCH_TICKETS=100000,1000000`).
//!
//! For each cache size, on a plain cache and on an encrypted one (SQLCipher, a random key)
//! one after the other in the same run: import throughput, then decision plus durable record
//! on random tickets; at the first size, lookups by query length.

use jiff::Timestamp;
use session_api::TicketStatus;
use session_sim::dataset::{Dataset, DatasetSpec};
use std::time::{Duration, Instant};
use usher_core::gate::GateProfile;
use usher_core::scanlog::Source;
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::{cache, lookup, Door, ScanInput, Store};

fn main() {
    let sizes: Vec<usize> = std::env::var("USHER_BENCH_TICKETS")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("USHER_BENCH_TICKETS: numbers"))
        .collect();
    println!(
        "usher door benchmark (one process, {} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (i, &n) in sizes.iter().enumerate() {
        let t = Instant::now();
        let data = Dataset::generate(&DatasetSpec {
            tickets: n,
            ..DatasetSpec::default()
        });
        let generated = t.elapsed().as_secs_f64();
        for encrypted in [false, true] {
            println!(
                "\n== {n} tickets, {} cache (generated in {generated:.1} s)",
                if encrypted { "encrypted" } else { "plain" }
            );
            run(&data, n, i == 0, encrypted);
        }
    }
}

fn run(data: &Dataset, tickets: usize, with_lookup: bool, encrypted: bool) {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("door-bench-{tickets}-{encrypted}"));
    let _ = std::fs::remove_dir_all(&root);
    let key = encrypted.then(|| usher_core::store::CacheKey::generate().unwrap());
    let mut store = Store::open_with(&root, key.as_ref()).unwrap();
    let event = data.event(0).unwrap().id.clone();
    let config = DeviceConfig {
        api: ApiTarget::Url("http://127.0.0.1:9".into()),
        tenant_id: data.tenant_id().into(),
        event_id: event,
        gate: GateProfile::default(),
        offline: true,
    };
    settings::save(store.conn(), &config).unwrap();

    // Import from a file already in memory (the API's JSON, about 1 KB a ticket), so the
    // figure is the importer's alone: parse, validate, write, commit.
    let mut json = Vec::new();
    data.write_import_json(0, &mut json).unwrap();
    let started = Instant::now();
    let report = cache::import(
        store.conn_mut(),
        json.as_slice(),
        &config.tenant_id,
        &config.api.to_string(),
        Timestamp::now(),
    )
    .unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "import: {} tickets ({} MB of JSON) in {:.2} s = {:.0} tickets/s",
        report.tickets,
        json.len() >> 20,
        secs,
        report.tickets as f64 / secs
    );
    drop(json);

    // Decision plus durable record. A mix: first scans (ADMIT, a write and an fsync) and
    // repeats (ALREADY_CHECKED_IN, also recorded), cancelled and unknown codes.
    let mut door = Door::open(store).unwrap();
    let active = data.ticket_ids(0, TicketStatus::Active);
    let cancelled = data.ticket_ids(0, TicketStatus::Cancelled);
    let mut rng = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng as usize
    };
    let mut samples = Vec::with_capacity(5000);
    let mut tidy = Vec::with_capacity(5000);
    for i in 0..5000 {
        let code = match i % 10 {
            0..=6 => active[next() % active.len()].clone(),
            7 => cancelled[next() % cancelled.len()].clone(),
            8 => format!("tkt_{:026}", next() % 1000),
            _ => "https://example.com/not-a-ticket".into(),
        };
        let t = Instant::now();
        door.scan(
            ScanInput {
                payload: code.as_bytes(),
                source: Source::Camera,
                confirm: false,
                direction: None,
            },
            Timestamp::now(),
        )
        .unwrap();
        samples.push(t.elapsed());
        // After the verdict is shown, as the app and the CLI do.
        let t = Instant::now();
        door.tidy().unwrap();
        tidy.push(t.elapsed());
    }
    report_line("decide + record (fsync)", &mut samples);
    report_line("tidy after the verdict", &mut tidy);

    if with_lookup {
        let conn = door.store().conn();
        let t = Instant::now();
        let index = lookup::SearchIndex::load(conn, &door.config().event_id).unwrap();
        println!(
            "search index: {} guests loaded in {:.1} ms; {} word starts; {:.1} MiB held",
            index.len(),
            t.elapsed().as_secs_f64() * 1e3,
            index.word_count(),
            index.heap_bytes() as f64 / (1 << 20) as f64
        );
        let some_names: Vec<String> = active
            .iter()
            .step_by(active.len() / 200 + 1)
            .filter_map(|id| data.ticket(id))
            .map(|t| format!("{} {}", t.attendee.first_name, t.attendee.last_name))
            .collect();
        let queries: Vec<(&str, Vec<String>)> = vec![
            ("1 char", ('a'..='z').map(String::from).collect()),
            (
                "2 chars",
                some_names
                    .iter()
                    .map(|n| n.to_lowercase().chars().take(2).collect())
                    .collect(),
            ),
            (
                "4 chars (substring)",
                some_names
                    .iter()
                    .map(|n| n.to_lowercase().chars().skip(1).take(4).collect())
                    .collect(),
            ),
            ("full name", some_names.clone()),
            ("no match, 2 chars", vec!["qx".into(); 50]),
            ("no match, 5 chars", vec!["qxzqv".into(); 50]),
        ];
        let words = usher_core::look::Words::english();
        let tz = jiff::tz::TimeZone::UTC;
        for (label, qs) in queries {
            let mut samples = vec![];
            for _ in 0..3 {
                for q in &qs {
                    let t = Instant::now();
                    let hits =
                        lookup::lookup(conn, &index, q, lookup::DEFAULT_LIMIT, (&words, &tz))
                            .unwrap();
                    samples.push(t.elapsed());
                    std::hint::black_box(hits);
                }
            }
            report_line(&format!("lookup {label}"), &mut samples);
            let mut samples = vec![];
            for q in &qs {
                let t = Instant::now();
                std::hint::black_box(index.find(q, lookup::DEFAULT_LIMIT));
                samples.push(t.elapsed());
            }
            report_line(&format!("  of which search {label}"), &mut samples);
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

fn report_line(label: &str, samples: &mut [Duration]) {
    samples.sort();
    let q =
        |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{label:<28} n={:<5} median {:>7.3} ms   p99 {:>7.3} ms   max {:>7.3} ms",
        samples.len(),
        q(0.5),
        q(0.99),
        q(1.0)
    );
}
