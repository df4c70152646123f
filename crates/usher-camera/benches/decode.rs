//! `cargo bench -p usher-camera --bench decode`: the decoders side by side, as tables.
//!
//! For each frame set (the seeded door frames the cascade was tuned on, door frames from a
//! fresh seed it was never tuned on, and the real-photo corpus when it is found) and each
//! path (live: the camera's per-frame effort; still: `usher decode`), the cascade, each of its
//! stages alone, and zxing-cpp 3.1 from PyPI (`benches/zxing_cpp_reference.py`, on the same
//! frames written as lossless PGM): reads, wrong texts, phantoms, and median / p95 ms per
//! frame with and without a code.
//!
//! Everything runs on one thread (one core), decode time only, frames already in memory as
//! 8-bit grey. Decoders take turns on each frame, with a fresh decoder each time
//! (consecutive generated frames are unrelated), so the shared machine's load falls on every
//! row alike. `USHER_BENCH_QUICK=1` shrinks the door-frame sets and the live-loop run for a
//! smoke run; `USHER_BENCH_FRESH_SEED` picks the fresh seed (default below).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use usher_camera::corpus;
use usher_camera::decode::{
    rqrr_panics, Cascade, QrDecoder, RqrrDecoder, RxingDecoder, ZxingDecoder,
};
use usher_camera::synth::door_frames;
use usher_camera::LumaFrame;

type Make = fn() -> Box<dyn QrDecoder>;

/// How many frames in a row a live row is shown each picture: a ticket held up to a 30 fps
/// camera for 100 ms. The same pixels each time (a real camera's fresh noise would only
/// help), so the live cascade gets no information a one-frame decoder lacks: it only spreads
/// its work (zxing-cpp on one missed frame in three). Its times are every frame's.
const HOLD: usize = 3;

/// The rows: the door's two paths with and without the zxing-cpp stage, then each stage
/// alone; the number is how many frames in a row each picture is shown (live: [`HOLD`]).
const DECODERS: [(&str, usize, Make); 7] = [
    ("cascade, live (the camera)", HOLD, || {
        Box::new(Cascade::live())
    }),
    ("cascade, live, without zxing-cpp", HOLD, || {
        Box::new(Cascade::live().with_zxing(false))
    }),
    ("cascade, still (usher decode)", 1, || {
        Box::new(Cascade::still())
    }),
    ("cascade, still, without zxing-cpp", 1, || {
        Box::new(Cascade::still().with_zxing(false))
    }),
    ("stage alone: rxing, full size", 1, || {
        Box::new(RxingDecoder)
    }),
    ("stage alone: rqrr", 1, || Box::new(RqrrDecoder)),
    ("stage alone: zxing-cpp (crate)", 1, || {
        Box::new(ZxingDecoder)
    }),
];

/// The seed the cascade was tuned on (issue 5's benchmark).
const TUNED_SEED: u64 = 5;
/// A seed nobody tuned on: chosen for issue 15 after the cascade was settled.
const FRESH_SEED: u64 = 20_261_207;

/// One frame of a set and what it shows.
struct Frame {
    image: LumaFrame,
    /// The text it holds; `None` for a frame without a code.
    expected: Option<Vec<u8>>,
    /// Difficulty (door frames) or corpus folder.
    group: String,
}

struct Set {
    name: String,
    /// Short label used in the PGM manifest.
    label: &'static str,
    frames: Vec<Frame>,
}

fn main() {
    let quick = std::env::var_os("USHER_BENCH_QUICK").is_some();
    let fresh_seed = std::env::var("USHER_BENCH_FRESH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(FRESH_SEED);
    let (per, none) = if quick { (20, 10) } else { (100, 60) };
    let mut sets = vec![
        door_set(
            format!("Door frames, seed {TUNED_SEED} (tuned on), 1280x720"),
            "tuned",
            TUNED_SEED,
            per,
            none,
        ),
        door_set(
            format!("Door frames, fresh seed {fresh_seed} (never tuned on), 1280x720"),
            "fresh",
            fresh_seed,
            per,
            none,
        ),
    ];
    match corpus_set() {
        Ok(set) => sets.push(set),
        Err(e) => println!("corpus: skipped ({e})\n"),
    }
    let reference = zxing_cpp_rows(&sets);
    for set in &sets {
        set_table(set, reference.get(set.label).map(String::as_str));
    }
    live_loop_table();
    println!(
        "\nrqrr panics caught and survived in this run: {}",
        rqrr_panics()
    );
}

fn door_set(name: String, label: &'static str, seed: u64, per: usize, none: usize) -> Set {
    let frames = door_frames(seed, per, none, 1280, 720)
        .into_iter()
        .map(|f| Frame {
            image: f.shot.render(),
            expected: f.shot.payload.clone(),
            group: f.difficulty.as_str().to_string(),
        })
        .collect();
    Set {
        name,
        label,
        frames,
    }
}

fn corpus_set() -> Result<Set, String> {
    let dir = corpus::corpus_dir()?;
    let mut frames = vec![];
    for folder in corpus::FOLDERS {
        for s in corpus::samples(&dir, folder).map_err(|e| e.to_string())? {
            let image = LumaFrame::open(&s.path).map_err(|e| format!("{e:?}"))?;
            frames.push(Frame {
                image,
                expected: Some(s.expected.into_bytes()),
                group: folder.to_string(),
            });
        }
    }
    Ok(Set {
        name: format!("Real photos (qr-corpus, {} scored images)", frames.len()),
        label: "corpus",
        frames,
    })
}

/// One decoder's figures on one set.
#[derive(Default)]
struct Tally {
    /// group → (read, with a code)
    groups: BTreeMap<String, (usize, usize)>,
    /// Pictures read in the first of their frames (differs from the reads for live rows).
    first_frame: usize,
    wrong: usize,
    phantoms: usize,
    with_code: Vec<Duration>,
    without: Vec<Duration>,
}

fn set_table(set: &Set, reference: Option<&str>) {
    let mut tallies: Vec<Tally> = DECODERS.iter().map(|_| Tally::default()).collect();
    for f in &set.frames {
        for ((_, hold, make), t) in DECODERS.iter().zip(&mut tallies) {
            let mut decoder = make();
            let mut reads = vec![];
            for k in 0..*hold {
                let start = Instant::now();
                let got = std::hint::black_box(decoder.decode(&f.image));
                let took = start.elapsed();
                match &f.expected {
                    Some(p) => {
                        t.with_code.push(took);
                        if k == 0 && got.iter().any(|r| r.text.as_bytes() == p.as_slice()) {
                            t.first_frame += 1;
                        }
                    }
                    None => t.without.push(took),
                }
                reads.extend(got);
            }
            let mut texts: Vec<&[u8]> = reads.iter().map(|r| r.text.as_bytes()).collect();
            texts.sort();
            texts.dedup();
            match &f.expected {
                Some(p) => {
                    let g = t.groups.entry(f.group.clone()).or_default();
                    g.1 += 1;
                    if texts.contains(&p.as_slice()) {
                        g.0 += 1;
                    }
                    t.wrong += texts.iter().filter(|r| **r != p.as_slice()).count();
                }
                None => t.phantoms += texts.len(),
            }
        }
    }
    let no_code = set.frames.iter().filter(|f| f.expected.is_none()).count();
    println!("## {}\n", set.name);
    println!(
        "Live rows see each picture {HOLD} frames in a row (100 ms at 30 fps); wrong texts \
         and phantoms count distinct texts per picture.\n"
    );
    println!(
        "| decoder | reads | by group | wrong text | phantoms on {no_code} no-code frames | ms with a code (median / p95) | ms without (median / p95) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for ((name, hold, _), t) in DECODERS.iter().zip(tallies) {
        let (read, total) = t
            .groups
            .values()
            .fold((0, 0), |(a, b), (r, n)| (a + r, b + n));
        let groups: Vec<String> = t
            .groups
            .iter()
            .map(|(g, (r, n))| format!("{g} {r}/{n}"))
            .collect();
        let first = if *hold > 1 {
            format!(" ({} in the first frame)", t.first_frame)
        } else {
            String::new()
        };
        println!(
            "| {name} | **{read}**/{total}{first} | {} | {} | {} | {} | {} |",
            groups.join(", "),
            t.wrong,
            t.phantoms,
            stats(t.with_code),
            stats(t.without),
        );
    }
    match reference {
        Some(row) => println!("{row}"),
        None => println!("| zxing-cpp (PyPI) | skipped | | | | | |"),
    }
    println!();
}

/// The PyPI zxing-cpp rows per set label, from `benches/zxing_cpp_reference.py` run on these
/// very frames, or one row per set saying why it was skipped.
fn zxing_cpp_rows(sets: &[Set]) -> BTreeMap<String, String> {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut manifest = String::new();
    for set in sets {
        for (i, f) in set.frames.iter().enumerate() {
            let name = format!("{}-{i:04}.pgm", set.label);
            let img = &f.image;
            let mut pgm = format!("P5\n{} {}\n255\n", img.width, img.height).into_bytes();
            pgm.extend_from_slice(&img.data[..(img.width * img.height) as usize]);
            std::fs::write(dir.path().join(&name), pgm).expect("frame written");
            let hex = f.expected.iter().flatten().fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            });
            let _ = writeln!(manifest, "{name}\t{}\t{}\t{hex}", set.label, f.group);
        }
    }
    std::fs::write(dir.path().join("manifest.tsv"), manifest).expect("manifest written");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/zxing_cpp_reference.py"
    );
    if let Some(keep) = std::env::var_os("USHER_BENCH_FRAMES") {
        // Keep a copy of the frames for looking at them, or for running the script by hand.
        let keep = std::path::PathBuf::from(keep);
        let _ = std::fs::create_dir_all(&keep);
        for e in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let _ = std::fs::copy(e.path(), keep.join(e.file_name()));
        }
    }
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(dir.path())
        .output();
    let mut rows = BTreeMap::new();
    let skipped = |why: String| {
        sets.iter()
            .map(|s| {
                (
                    s.label.to_string(),
                    format!("| zxing-cpp (PyPI) | skipped: {why} | | | | | |"),
                )
            })
            .collect()
    };
    match out {
        Ok(o) if o.status.success() => {
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                if let Some((label, row)) = line.split_once('\t') {
                    rows.insert(label.to_string(), row.to_string());
                }
            }
            rows
        }
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr);
            skipped(why.lines().last().unwrap_or("failed").to_string())
        }
        Err(e) => skipped(format!("python3: {e}")),
    }
}

/// "median / p95" in ms, or "n/a".
fn stats(mut v: Vec<Duration>) -> String {
    if v.is_empty() {
        return "n/a".into();
    }
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "{:.2} / {:.2}",
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 95 / 100).min(v.len() - 1)])
    )
}

/// Process CPU time (user + system) from /proc/self/stat, in seconds. Linux only.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The live loop at 30 fps on the file source (door frames looped), capture thread included:
/// CPU share of one core in steady state, then with the door still and empty (idle).
fn live_loop_table() {
    use usher_camera::live::{Flow, LiveConfig, LiveEvent, LiveLoop};
    use usher_camera::source::{Capture, FileSource};
    println!("\n## Live loop at 30 fps, file source, 1280x720 (CPU share of one core)\n");
    let secs = if std::env::var_os("USHER_BENCH_QUICK").is_some() {
        4.0
    } else {
        10.0
    };
    let run = |frames: Vec<LumaFrame>, config: LiveConfig| {
        let capture = Capture::start(move || FileSource::from_frames(frames, 30.0, true));
        let mut live = LiveLoop::new(config);
        // Let the loop settle (and, for idle, fall asleep) before measuring.
        let settle = Instant::now() + Duration::from_secs(2);
        live.run(&capture, |_| {
            if Instant::now() >= settle {
                Flow::Stop
            } else {
                Flow::Continue
            }
        });
        let (cpu0, t0, stats0) = (cpu_seconds(), Instant::now(), live.stats.clone());
        let end = t0 + Duration::from_secs_f64(secs);
        live.run(&capture, |e| {
            let _ = matches!(e, LiveEvent::Scan(_));
            if Instant::now() >= end {
                Flow::Stop
            } else {
                Flow::Continue
            }
        });
        let wall = t0.elapsed().as_secs_f64();
        let cpu = cpu_seconds()
            .zip(cpu0)
            .map(|(a, b)| a - b)
            .unwrap_or(f64::NAN);
        let decoded = live.stats.decoded - stats0.decoded;
        let frames = live.stats.frames - stats0.frames;
        (
            100.0 * cpu / wall,
            frames as f64 / wall,
            decoded as f64 / wall,
        )
    };
    let mixed: Vec<LumaFrame> = door_frames(9, 10, 10, 1280, 720)
        .iter()
        .map(|f| f.shot.render())
        .collect();
    // A ticket held up: the same frame, slightly different each time, is read every frame.
    let held: Vec<LumaFrame> = (0..10)
        .map(|i| {
            let mut s = usher_camera::synth::Shot::clean(b"tkt_01jps5cgsg0s32w2pr73vbccde");
            s.centre = (0.45 + 0.005 * i as f32, 0.5);
            s.noise = 3.0;
            s.seed = i;
            s.render()
        })
        .collect();
    let empty: Vec<LumaFrame> = door_frames(10, 0, 1, 1280, 720)
        .iter()
        .map(|f| f.shot.render())
        .collect();
    println!("| scene | CPU % of one core | frames/s taken | frames/s decoded |");
    println!("|---|---|---|---|");
    let awake = LiveConfig {
        idle_after: Duration::from_secs(3600),
        ..LiveConfig::default()
    };
    for (name, frames, config) in [
        ("ticket held in view", held, awake.clone()),
        ("door frames, mixed (awake)", mixed, awake.clone()),
        ("empty still door (awake)", empty.clone(), awake),
        (
            "empty still door (idle)",
            empty,
            LiveConfig {
                idle_after: Duration::from_secs(1),
                ..LiveConfig::default()
            },
        ),
    ] {
        let (cpu, fps, dps) = run(frames, config);
        println!("| {name} | {cpu:.1} | {fps:.1} | {dps:.1} |");
    }
}
