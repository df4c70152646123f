//! The stadium: N doors and one Session Services simulator, all on loopback, each door a real
//! `usher_core::Door` in its own data folder with its own exchange port, online confirm and
//! upload loop. A replayed arrival trace (seeded) includes tickets re-used at a second door
//! seconds later (a screenshot passed down the queue) and exits with re-entries; the server
//! goes offline for the middle third; links between doors are cut and restored all along.
//!
//! It runs the trace twice, with sharing and without, and prints: propagation between doors
//! (p50, p99, max), double admissions of re-used tickets and wrongly refused re-entries in
//! each run, and whether, after the server came back, its state equals the union of every
//! door's scan log (each scan exactly once).
//!
//! `scripts/stadium` runs it in release mode: `scripts/stadium --doors 20 --arrivals 20000`.

use clap::Parser;
use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use session_api::{ScanKind, TicketStatus};
use session_sim::dataset::{Dataset, DatasetSpec};
use session_sim::{RunningSim, SimConfig};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use usher_core::gate::{GateProfile, Mode};
use usher_core::outbox::Target;
use usher_core::scanlog::{Source, UploadState};
use usher_core::settings::{self, ApiTarget, DeviceConfig};
use usher_core::verdict::VerdictKind;
use usher_core::{cache, peers, Door, ScanInput, Store};
use usher_peers::{GroupKey, Node, NodeConfig};
use usher_sync::client::ApiClient;
use usher_sync::online::OnlineClient;
use usher_sync::token::Token;
use usher_sync::upload::{upload, RetryPolicy};

#[derive(Parser, Debug, Clone)]
#[command(about = "Usher's stadium simulation: doors sharing scans while the server is away")]
struct Args {
    /// Doors (the last tenth, at least one, are exit doors).
    #[arg(long, default_value_t = 20)]
    doors: usize,
    /// Arrivals (each a different guest).
    #[arg(long, default_value_t = 20_000)]
    arrivals: usize,
    /// How long the trace lasts, in seconds.
    #[arg(long, default_value_t = 90)]
    seconds: u64,
    /// Share of arrivals whose ticket is shown again at another door 2 to 8 s later.
    #[arg(long, default_value_t = 0.05)]
    reuse: f64,
    /// Share of arrivals who go out through an exit door and come back in at another door.
    #[arg(long, default_value_t = 0.05)]
    reentry: f64,
    /// Share of links between doors cut at any time (each cut lasts 3 s).
    #[arg(long, default_value_t = 0.2)]
    cut_links: f64,
    /// The trace's seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Run only with sharing (skip the run without).
    #[arg(long)]
    only_sharing: bool,
    /// Ignored: `cargo bench` passes it.
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Arrive,
    Reuse,
    Exit,
    Reenter,
}

#[derive(Debug, Clone)]
struct Step {
    at_ms: u64,
    door: usize,
    ticket: usize,
    what: What,
}

fn trace(args: &Args, guests: usize) -> (Vec<Step>, usize) {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let exits = (args.doors / 10).max(1);
    let entries = args.doors - exits;
    let span = args.seconds * 1000;
    let mut steps = Vec::new();
    for g in 0..args.arrivals.min(guests) {
        let at = rng.random_range(0..span);
        let door = rng.random_range(0..entries);
        steps.push(Step {
            at_ms: at,
            door,
            ticket: g,
            what: What::Arrive,
        });
        if rng.random_bool(args.reuse) {
            let other = (door + rng.random_range(1..entries)) % entries;
            steps.push(Step {
                at_ms: at + rng.random_range(2_000..8_000),
                door: other,
                ticket: g,
                what: What::Reuse,
            });
        } else if rng.random_bool(args.reentry) {
            let out = at + rng.random_range(5_000..20_000);
            steps.push(Step {
                at_ms: out,
                door: entries + rng.random_range(0..exits),
                ticket: g,
                what: What::Exit,
            });
            let back = (door + rng.random_range(1..entries)) % entries;
            steps.push(Step {
                at_ms: out + rng.random_range(3_000..15_000),
                door: back,
                ticket: g,
                what: What::Reenter,
            });
        }
    }
    steps.sort_by_key(|s| s.at_ms);
    (steps, entries)
}

/// What one scan of the trace got.
struct Seen {
    step: usize,
    verdict: VerdictKind,
    online: bool,
    /// How long the door took to decide and record it (and confirm it online, when it did).
    took_ms: i64,
}

struct Run {
    propagation: Vec<i64>,
    /// The same, by when the scan was made: before the server went away, while it was
    /// away, after it came back (its backlog of settled scans is shared again then).
    propagation_by_third: [Vec<i64>; 3],
    decisions: Vec<i64>,
    double_admissions: usize,
    reuses: usize,
    reentries: usize,
    wrong_refusals: usize,
    /// Of those, the ones refused by the server's own answer (online confirm): its state
    /// did not have the exit door's check-out yet.
    wrong_refusals_by_server: usize,
    scans: usize,
    door_acknowledged: usize,
    door_conflicts: usize,
    door_rejected: usize,
    server_new_scans: usize,
    union_matches: bool,
    missing_at_doors: usize,
    seconds: f64,
    setup_seconds: f64,
    drain_seconds: f64,
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Doors pull from each other through these, so links can be cut and restored: while its
/// switch is on, a link's connections are refused and the open one is closed.
async fn link_proxy(to: std::net::SocketAddr, cut: Arc<AtomicBool>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let at = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut near, _)) = listener.accept().await else {
                return;
            };
            if cut.load(Ordering::Relaxed) {
                continue;
            }
            let cut = cut.clone();
            tokio::spawn(async move {
                let Ok(mut far) = tokio::net::TcpStream::connect(to).await else {
                    return;
                };
                let _ = near.set_nodelay(true);
                let _ = far.set_nodelay(true);
                let (mut nr, mut nw) = near.split();
                let (mut fr, mut fw) = far.split();
                let pump = async {
                    let mut a = vec![0u8; 16 * 1024];
                    let mut b = vec![0u8; 16 * 1024];
                    loop {
                        tokio::select! {
                            n = nr.read(&mut a) => match n { Ok(0) | Err(_) => return, Ok(n) => if fw.write_all(&a[..n]).await.is_err() { return } },
                            n = fr.read(&mut b) => match n { Ok(0) | Err(_) => return, Ok(n) => if nw.write_all(&b[..n]).await.is_err() { return } },
                        }
                    }
                };
                let watch = async {
                    while !cut.load(Ordering::Relaxed) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                };
                tokio::select! { _ = pump => {}, _ = watch => {} }
            });
        }
    });
    at
}

fn door_config(base_url: &str, data: &Dataset, door: usize, entries: usize) -> DeviceConfig {
    DeviceConfig {
        api: ApiTarget::Url(base_url.to_owned()),
        tenant_id: data.tenant_id().into(),
        event_id: data.event(0).unwrap().id.clone(),
        gate: GateProfile {
            name: if door < entries {
                format!("Gate {}", door + 1)
            } else {
                format!("Exit {}", door - entries + 1)
            },
            mode: if door < entries {
                Mode::Entry
            } else {
                Mode::Exit
            },
            ..GateProfile::default()
        },
        offline: false,
    }
}

fn run(args: &Args, spec: &DatasetSpec, sharing: bool) -> Run {
    let began = Instant::now();
    let data = Dataset::generate(spec);
    let tickets = data.ticket_ids(0, TicketStatus::Active);
    let (steps, entries) = trace(args, tickets.len());
    let mut import = Vec::new();
    data.write_import_json(0, &mut import).unwrap();
    let tenant = data.tenant_id().to_owned();
    let mut sim: RunningSim = session_sim::spawn(SimConfig::new(data.clone())).unwrap();
    let base = sim.base_url();
    let before: HashMap<usize, usize> = steps
        .iter()
        .map(|s| {
            (
                s.ticket,
                sim.sim()
                    .ticket(&tickets[s.ticket])
                    .map_or(0, |t| t.scans.len()),
            )
        })
        .collect();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let root = tempfile::tempdir().unwrap();
    let token = Token::new(session_sim::demo::SCAN_TOKEN).unwrap();
    let mut doors = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for d in 0..args.doors {
        let dir = root.path().join(format!("door-{d:02}"));
        let mut store = Store::open(&dir).unwrap();
        let config = door_config(&base, &data, d, entries);
        settings::save(store.conn(), &config).unwrap();
        cache::import(
            store.conn_mut(),
            import.as_slice(),
            &tenant,
            &config.api.to_string(),
            Timestamp::now(),
        )
        .unwrap();
        let client = ApiClient::new(&base, &tenant, Some(token.clone())).unwrap();
        let door = Door::open(store).unwrap().with_online_confirm(
            Box::new(OnlineClient::new(client).unwrap()),
            Duration::from_millis(1500),
        );
        doors.push(door);
        dirs.push(dir);
    }
    let device_ids: Vec<String> = doors.iter().map(|d| d.device_id().to_owned()).collect();

    // Each door's upload loop, on its own connection.
    let stop = Arc::new(AtomicBool::new(false));
    for (d, dir) in dirs.iter().enumerate() {
        let store = Mutex::new(Store::open(dir).unwrap());
        let client = ApiClient::new(&base, &tenant, Some(token.clone())).unwrap();
        let api = door_config(&base, &data, d, entries).api.to_string();
        let (tenant, stop) = (tenant.clone(), stop.clone());
        rt.spawn(async move {
            let target = Target {
                tenant_id: &tenant,
                api: &api,
            };
            // Retries from 200 ms to 2 s, so the queue drains soon after the server is back.
            let policy = RetryPolicy {
                min: Duration::from_millis(200),
                max: Duration::from_secs(2),
            };
            while !stop.load(Ordering::Relaxed) {
                let _ = upload(&store, &client, &target, policy, None).await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
    }

    // Sharing: a node per door, and every door pulling from every other through a link.
    let n = args.doors;
    let cuts: Vec<Arc<AtomicBool>> = (0..n * n)
        .map(|_| Arc::new(AtomicBool::new(false)))
        .collect();
    let mut nodes = Vec::new();
    if sharing {
        let key = GroupKey::generate().unwrap();
        rt.block_on(async {
            for (d, dir) in dirs.iter().enumerate() {
                let config = NodeConfig::new(
                    "127.0.0.1:0".parse().unwrap(),
                    key.clone(),
                    &door_config(&base, &data, d, entries).gate.name,
                );
                nodes.push(
                    Node::start(Store::open(dir).unwrap(), config)
                        .await
                        .unwrap(),
                );
            }
            for i in 0..n {
                for j in (0..n).filter(|&j| j != i) {
                    let via = link_proxy(nodes[j].address(), cuts[i * n + j].clone()).await;
                    nodes[i].add_peer(&via.to_string());
                }
            }
        });
    }

    // Cutting links: every 1.5 s a random share of links is cut for 3 s.
    let cutter = {
        let span_ms = steps.last().map_or(0, |s| s.at_ms);
        let (cuts, stop, share, seed) = (cuts.clone(), stop.clone(), args.cut_links, args.seed);
        std::thread::spawn(move || {
            let mut rng = StdRng::seed_from_u64(seed ^ 0xc07);
            let mut open: Vec<(Instant, usize)> = Vec::new();
            let end = Instant::now() + Duration::from_millis(span_ms);
            while !stop.load(Ordering::Relaxed) && Instant::now() < end {
                let now = Instant::now();
                open.retain(|(until, l)| {
                    let keep = *until > now;
                    if !keep {
                        cuts[*l].store(false, Ordering::Relaxed);
                    }
                    keep
                });
                let want = ((n * (n - 1)) as f64 * share) as usize;
                while open.len() < want / 2 || (open.len() < want && rng.random_bool(0.5)) {
                    let (i, j) = (rng.random_range(0..n), rng.random_range(0..n));
                    if i != j && !cuts[i * n + j].swap(true, Ordering::Relaxed) {
                        open.push((now + Duration::from_secs(3), i * n + j));
                    }
                }
                std::thread::sleep(Duration::from_millis(1_500));
            }
            for c in &cuts {
                c.store(false, Ordering::Relaxed);
            }
        })
    };

    // The trace: one thread per door, each scan at its time; the server away for the middle
    // third.
    let setup_seconds = began.elapsed().as_secs_f64();
    let start = Instant::now();
    let start_ms = Timestamp::now().as_millisecond();
    let mut per_door: Vec<Vec<usize>> = vec![vec![]; n];
    for (k, s) in steps.iter().enumerate() {
        per_door[s.door].push(k);
    }
    let steps = Arc::new(steps);
    let tickets = Arc::new(tickets);
    let threads: Vec<_> = doors
        .into_iter()
        .zip(per_door)
        .map(|(mut door, mine)| {
            let (steps, tickets) = (steps.clone(), tickets.clone());
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for k in mine {
                    let due = start + Duration::from_millis(steps[k].at_ms);
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let code = &tickets[steps[k].ticket];
                    let asked = Instant::now();
                    let outcome = door
                        .scan(
                            ScanInput {
                                payload: code.as_bytes(),
                                source: Source::Camera,
                                confirm: false,
                                direction: None,
                            },
                            Timestamp::now(),
                        )
                        .unwrap();
                    seen.push(Seen {
                        step: k,
                        verdict: outcome.verdict,
                        online: outcome.confirmed_online,
                        took_ms: asked.elapsed().as_millis() as i64,
                    });
                }
                (door, seen)
            })
        })
        .collect();
    // The trace runs past its arrivals (re-uses, exits and re-entries follow them): the
    // server is away for the middle third of the whole of it.
    let third = Duration::from_millis(steps.last().map_or(0, |s| s.at_ms) / 3);
    std::thread::sleep(third.saturating_sub(start.elapsed()));
    sim.cut();
    eprintln!("  server offline at {:.1} s", start.elapsed().as_secs_f64());
    std::thread::sleep((third * 2).saturating_sub(start.elapsed()));
    sim.restart().unwrap();
    eprintln!("  server back at {:.1} s", start.elapsed().as_secs_f64());
    let mut seen = Vec::new();
    let mut doors = Vec::new();
    for t in threads {
        let (door, s) = t.join().unwrap();
        doors.push(door);
        seen.extend(s);
    }
    let seconds = start.elapsed().as_secs_f64();
    cutter.join().unwrap();

    // Everything uploaded, and (sharing) every door has heard of every other's scans.
    let drained = Instant::now();
    let own = |door: &Door| peers::own_scans(door.store().conn()).unwrap();
    loop {
        let pending: u64 = doors
            .iter()
            .map(|d| {
                let api = d.config().api.to_string();
                let target = Target {
                    tenant_id: &d.config().tenant_id,
                    api: &api,
                };
                usher_core::outbox::waiting(d.store().conn(), target)
                    .unwrap()
                    .count
            })
            .sum();
        // Every door has heard every other door's latest version.
        let versions: Vec<(String, i64)> = doors
            .iter()
            .map(|d| {
                (
                    d.device_id().to_owned(),
                    peers::own_version(d.store().conn()).unwrap(),
                )
            })
            .collect();
        let heard_all = !sharing
            || doors.iter().all(|d| {
                let heard = peers::heard(d.store().conn()).unwrap();
                versions
                    .iter()
                    .filter(|(id, _)| id != d.device_id())
                    .all(|(id, v)| heard.get(id).copied().unwrap_or(0) >= *v)
            });
        if pending == 0 && heard_all {
            break;
        }
        if drained.elapsed() > Duration::from_secs(180) {
            eprintln!("  still {pending} scans waiting to upload after 180 s; sharing complete: {heard_all}");
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let drain_seconds = drained.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);

    // Propagation, and doors missing another door's scans.
    let mut propagation: Vec<i64> = Vec::new();
    let mut propagation_by_third: [Vec<i64>; 3] = Default::default();
    let third_ms = third.as_millis() as i64;
    let mut missing_at_doors = 0;
    if sharing {
        let total: usize = doors.iter().map(|d| own(d).len()).sum();
        for d in &doors {
            propagation.extend(peers::propagation_ms(d.store().conn()).unwrap());
            let mut stmt = d
                .store()
                .conn()
                .prepare("SELECT door_ms, received_ms - door_ms FROM peer_scans")
                .unwrap();
            for row in stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                .unwrap()
            {
                let (door_ms, took) = row.unwrap();
                let phase = ((door_ms - start_ms).max(0) / third_ms.max(1)).min(2) as usize;
                propagation_by_third[phase].push(took);
            }
            let kept: i64 = peers::origins(d.store().conn())
                .unwrap()
                .iter()
                .map(|o| o.scans)
                .sum();
            missing_at_doors += (total - own(d).len()).saturating_sub(kept as usize);
        }
        propagation.sort_unstable();
        propagation_by_third
            .iter_mut()
            .for_each(|p| p.sort_unstable());
    }

    // Double admissions and wrongly refused re-entries, against where guests really are.
    seen.sort_by_key(|s| (steps[s.step].at_ms, s.step));
    let mut inside: BTreeSet<usize> = BTreeSet::new();
    let (mut double_admissions, mut wrong_refusals, mut reuses, mut reentries) = (0, 0, 0, 0);
    let mut wrong_refusals_by_server = 0;
    for s in &seen {
        let step = &steps[s.step];
        match step.what {
            What::Arrive => {
                if s.verdict == VerdictKind::Admit {
                    inside.insert(step.ticket);
                }
            }
            What::Reuse => {
                reuses += 1;
                if s.verdict == VerdictKind::Admit && inside.contains(&step.ticket) {
                    double_admissions += 1;
                }
            }
            What::Exit => {
                inside.remove(&step.ticket);
            }
            What::Reenter => {
                reentries += 1;
                if s.verdict == VerdictKind::Admit {
                    inside.insert(step.ticket);
                } else if s.verdict == VerdictKind::AlreadyCheckedIn {
                    wrong_refusals += 1;
                    if s.online {
                        wrong_refusals_by_server += 1;
                    }
                }
            }
        }
    }

    // The server's state against the union of the doors' logs: every acknowledged scan once.
    let mut expected: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let (mut door_acknowledged, mut door_conflicts, mut door_rejected) = (0, 0, 0);
    for d in &doors {
        for s in own(d) {
            match s.upload {
                UploadState::Acknowledged => {
                    door_acknowledged += 1;
                    for t in &s.ticket_ids {
                        *expected
                            .entry((t.clone(), s.device_id.clone(), format!("{:?}", s.action)))
                            .or_default() += 1;
                    }
                }
                UploadState::Conflict => door_conflicts += 1,
                UploadState::Rejected => door_rejected += 1,
                _ => {}
            }
        }
    }
    let mut actual: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut server_new_scans = 0;
    for (&ticket, &had) in &before {
        let t = sim.sim().ticket(&tickets[ticket]).unwrap();
        for scan in t.scans.iter().skip(had) {
            server_new_scans += 1;
            let device = scan.device_id.clone().unwrap_or_default();
            let kind = match scan.kind {
                ScanKind::CheckIn => "CheckIn",
                ScanKind::CheckOut => "CheckOut",
            };
            *actual
                .entry((tickets[ticket].clone(), device, kind.to_string()))
                .or_default() += 1;
        }
    }
    let union_matches = expected == actual && device_ids.len() == n;
    drop(nodes);
    rt.shutdown_timeout(Duration::from_secs(2));
    let mut decisions: Vec<i64> = seen.iter().map(|s| s.took_ms).collect();
    decisions.sort_unstable();
    Run {
        propagation,
        propagation_by_third,
        decisions,
        double_admissions,
        reuses,
        reentries,
        wrong_refusals,
        wrong_refusals_by_server,
        scans: seen.len(),
        door_acknowledged,
        door_conflicts,
        door_rejected,
        server_new_scans,
        union_matches,
        missing_at_doors,
        seconds,
        setup_seconds,
        drain_seconds,
    }
}

fn main() {
    let args = Args::parse();
    // About a third of generated tickets are active: enough for every arrival.
    let spec = DatasetSpec {
        tickets: args.arrivals * 3 + 3_000,
        seed: 0x57ad,
        ..DatasetSpec::default()
    };
    println!(
        "stadium: {} doors, {} arrivals over {} s, re-use {:.0}%, re-entry {:.0}%, {:.0}% of links cut at a time, server offline for the middle third, seed {}",
        args.doors, args.arrivals, args.seconds, args.reuse * 100.0, args.reentry * 100.0, args.cut_links * 100.0, args.seed
    );
    let mut runs = vec![("with sharing", run(&args, &spec, true))];
    if !args.only_sharing {
        runs.push(("without sharing", run(&args, &spec, false)));
    }
    for (name, r) in &runs {
        println!("{name}:");
        println!("  set up in {:.1} s", r.setup_seconds);
        println!(
            "  scans {} in {:.1} s; drained (uploaded{}) {:.1} s after",
            r.scans,
            r.seconds,
            if name.starts_with("with ") {
                ", shared"
            } else {
                ""
            },
            r.drain_seconds
        );
        println!(
            "  door decision (decide, record, and confirm online when it did): p50 {} ms, p99 {} ms, max {} ms",
            percentile(&r.decisions, 0.5), percentile(&r.decisions, 0.99), r.decisions.last().copied().unwrap_or(0)
        );
        if !r.propagation.is_empty() {
            println!(
                "  propagation between doors: p50 {} ms, p99 {} ms, max {} ms ({} deliveries); scans missing at some door: {}",
                percentile(&r.propagation, 0.5), percentile(&r.propagation, 0.99), r.propagation.last().unwrap(), r.propagation.len(), r.missing_at_doors
            );
            let [before, away, after] = &r.propagation_by_third;
            let p = |v: &Vec<i64>| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    format!(
                        "p50 {} ms, p99 {} ms",
                        percentile(v, 0.5),
                        percentile(v, 0.99)
                    )
                }
            };
            println!(
                "  propagation by when the scan was made: server up {}; server away {}; server back {}",
                p(before), p(away), p(after)
            );
        }
        println!(
            "  double admissions of re-used tickets: {} of {} re-uses",
            r.double_admissions, r.reuses
        );
        println!(
            "  re-entries refused as already in: {} of {} ({} of them by the server's own answer)",
            r.wrong_refusals, r.reentries, r.wrong_refusals_by_server
        );
        println!(
            "  server after recovery: {} new scans; doors: {} acknowledged, {} conflicts, {} rejected; server = union of door logs, each once: {}",
            r.server_new_scans, r.door_acknowledged, r.door_conflicts, r.door_rejected, if r.union_matches { "yes" } else { "NO" }
        );
    }
    let ok = runs.iter().all(|(_, r)| r.union_matches)
        && runs[0].1.double_admissions == 0
        && runs[0].1.missing_at_doors == 0;
    if !ok {
        std::process::exit(1);
    }
}
