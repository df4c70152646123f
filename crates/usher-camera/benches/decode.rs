//! `cargo bench -p usher-camera --bench decode`: the figures of issue 5, printed as tables.
//!
//! Everything runs on one thread (one core), decode time only, frames already in memory as
//! 8-bit grey. Ratios between decoders are measured in the same run, on the same frames.
//! `USHER_BENCH_QUICK=1` shrinks the door-frame set for a smoke run.

use std::time::{Duration, Instant};
use usher_camera::corpus;
use usher_camera::decode::{rqrr_panics, Cascade, QrDecoder, RqrrDecoder, RxingDecoder};
use usher_camera::synth::{door_frames, Difficulty, DoorFrame};
use usher_camera::LumaFrame;

type Make = fn() -> Box<dyn QrDecoder>;

const DECODERS: [(&str, Make); 6] = [
    ("cascade", || Box::new(Cascade::live())),
    ("cascade, gate without crop", || {
        Box::new(Cascade::live().with_crop_to_finders(false))
    }),
    // The live cascade as first built: every pass on every frame. The baseline for ratios.
    ("cascade, no finder gate", || {
        Box::new(Cascade::live().with_finder_gate(false))
    }),
    ("cascade+rqrr", || {
        Box::new(Cascade::live().with_rqrr_every(1))
    }),
    ("rxing", || Box::new(RxingDecoder)),
    ("rqrr", || Box::new(RqrrDecoder)),
];

fn main() {
    let quick = std::env::var_os("USHER_BENCH_QUICK").is_some();
    corpus_table();
    let (per, none) = if quick { (20, 10) } else { (100, 60) };
    let frames = door_frames(5, per, none, 1280, 720);
    let rendered: Vec<LumaFrame> = frames.iter().map(|f| f.shot.render()).collect();
    let hd_frames = door_frames(7, per / 4, none / 4, 1920, 1080);
    let hd: Vec<LumaFrame> = hd_frames.iter().map(|f| f.shot.render()).collect();
    let zxing = zxing_cpp_rows(&[("720p", &frames, &rendered), ("1080p", &hd_frames, &hd)]);
    door_table(&frames, &rendered, zxing.door.as_deref());
    timing_table(&frames, &rendered, &hd_frames, &hd, zxing.time.as_deref());
    live_loop_table();
    println!(
        "\nrqrr panics caught and survived in this run: {}",
        rqrr_panics()
    );
}

fn corpus_table() {
    let dir = match corpus::corpus_dir() {
        Ok(d) => d,
        Err(e) => {
            println!("corpus: skipped ({e})");
            return;
        }
    };
    println!("## Real photos (qr-corpus, 137 scored images): reads per folder\n");
    let mut cols: Vec<(&str, corpus::Score)> = vec![];
    let still: Make = || Box::new(Cascade::still());
    for (name, make) in [("cascade-still (usher decode)", still)]
        .into_iter()
        .chain(DECODERS)
    {
        let (score, _) = corpus::score(&dir, || make()).expect("corpus readable");
        cols.push((name, score));
    }
    print!("| folder |");
    for (n, _) in &cols {
        print!(" {n} |");
    }
    println!("\n|---|{}", "---|".repeat(cols.len()));
    for folder in corpus::FOLDERS {
        print!("| {folder} |");
        for (_, s) in &cols {
            let (p, n) = s[folder];
            print!(" {p}/{n} |");
        }
        println!();
    }
    print!("| total |");
    for (_, s) in &cols {
        let (p, n) = corpus::total(s);
        print!(" **{p}**/{n} |");
    }
    println!();
}

/// zxing-cpp's rows, from `benches/zxing_cpp_reference.py` run on these very frames.
#[derive(Default)]
struct ZxingRows {
    door: Option<String>,
    time: Option<String>,
}

/// Writes the frames as binary PGM (lossless, byte for byte what the Rust decoders get) with a
/// manifest to a temporary folder, and runs the zxing-cpp script on it. zxing-cpp is a
/// reference for the benchmark only: if python3 or the PyPI package is missing, its rows say so.
fn zxing_cpp_rows(sets: &[(&str, &[DoorFrame], &[LumaFrame])]) -> ZxingRows {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut manifest = String::new();
    for (set, frames, rendered) in sets {
        for (i, (f, img)) in frames.iter().zip(*rendered).enumerate() {
            let name = format!("{set}-{i:04}.pgm");
            let mut pgm = format!("P5\n{} {}\n255\n", img.width, img.height).into_bytes();
            pgm.extend_from_slice(&img.data);
            std::fs::write(dir.path().join(&name), pgm).expect("frame written");
            let hex: String = f
                .shot
                .payload
                .iter()
                .flatten()
                .fold(String::new(), |mut s, b| {
                    let _ = write!(s, "{b:02x}");
                    s
                });
            let _ = writeln!(manifest, "{name}\t{set}\t{}\t{hex}", f.difficulty.as_str());
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
    let mut rows = ZxingRows::default();
    match out {
        Ok(o) if o.status.success() => {
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                match line.split_once('\t') {
                    Some(("door", row)) => rows.door = Some(row.to_string()),
                    Some(("time", row)) => rows.time = Some(row.to_string()),
                    _ => {}
                }
            }
        }
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr);
            let why = why.lines().last().unwrap_or("failed").to_string();
            rows.door = Some(format!("| zxing-cpp | skipped: {why} |"));
        }
        Err(e) => rows.door = Some(format!("| zxing-cpp | skipped: python3: {e} |")),
    }
    rows
}

fn door_table(frames: &[DoorFrame], rendered: &[LumaFrame], zxing: Option<&str>) {
    println!("\n## Door frames (seeded generator, 1280x720): decode rate by difficulty\n");
    println!("| decoder | easy | medium | hard | all with a code | wrong text | phantoms on {} no-code frames |", frames.iter().filter(|f| f.shot.payload.is_none()).count());
    println!("|---|---|---|---|---|---|---|");
    for (name, make) in DECODERS {
        let mut read = [0usize; 3];
        let mut total = [0usize; 3];
        let (mut wrong, mut phantom) = (0, 0);
        for (f, img) in frames.iter().zip(rendered) {
            // A fresh decoder per frame: consecutive generated frames are unrelated.
            let reads = make().decode(img);
            match &f.shot.payload {
                Some(p) => {
                    let d = f.difficulty as usize;
                    total[d] += 1;
                    if reads.iter().any(|r| r.text.as_bytes() == p.as_slice()) {
                        read[d] += 1;
                    }
                    wrong += reads
                        .iter()
                        .filter(|r| r.text.as_bytes() != p.as_slice())
                        .count();
                }
                None => phantom += reads.len(),
            }
        }
        let pct =
            |r: usize, t: usize| format!("{r}/{t} ({:.0}%)", 100.0 * r as f64 / t.max(1) as f64);
        println!(
            "| {name} | {} | {} | {} | {} | {wrong} | {phantom} |",
            pct(read[0], total[0]),
            pct(read[1], total[1]),
            pct(read[2], total[2]),
            pct(read.iter().sum(), total.iter().sum()),
        );
    }
    if let Some(row) = zxing {
        println!("{row}");
    }
    let _ = Difficulty::ALL;
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 95 / 100).min(v.len() - 1)]),
    )
}

fn timing_table(
    frames: &[DoorFrame],
    rendered: &[LumaFrame],
    hd_frames: &[DoorFrame],
    hd: &[LumaFrame],
    zxing: Option<&str>,
) {
    println!("\n## Time per frame, one core (median / p95 ms)\n");
    println!(
        "Decoders take turns on each frame (a fresh decoder each time), so the shared \
         machine's load falls on every row alike.\n"
    );
    println!("| decoder | 720p with a code | 720p without | 1080p with a code | 1080p without |");
    println!("|---|---|---|---|---|");
    // times[decoder][column]
    let mut times = vec![vec![vec![]; 4]; DECODERS.len()];
    for (col_base, frames, imgs) in [(0, frames, rendered), (2, hd_frames, hd)] {
        for (f, img) in frames.iter().zip(imgs) {
            let col = col_base + usize::from(f.shot.payload.is_none());
            for (d, (_, make)) in DECODERS.iter().enumerate() {
                let mut decoder = make();
                let t = Instant::now();
                std::hint::black_box(decoder.decode(img));
                times[d][col].push(t.elapsed());
            }
        }
    }
    for ((name, _), cols) in DECODERS.iter().zip(times) {
        print!("| {name} |");
        for v in cols {
            let (m, p) = stats(v);
            print!(" {m:.2} / {p:.2} |");
        }
        println!();
    }
    if let Some(row) = zxing {
        println!("{row}");
    }
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
