//! `usher decode FILE…` and `usher scan --camera …`: glue over `usher-camera`.

use crate::render::Output;
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use usher_camera::decode::{Cascade, QrDecoder};
use usher_camera::live::{Flow, LiveConfig, LiveEvent, LiveLoop};
use usher_camera::source::{CameraState, Capture, FileSource, NokhwaCamera, SyntheticCamera};
use usher_camera::LumaFrame;
use usher_core::i18n::Said;
use usher_core::scanlog::Source;
use usher_core::settings;
use usher_core::{lookup, Error, ScanInput};

#[derive(Args)]
pub struct DecodeArgs {
    /// Still images: png, jpg or webp.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// The camera options of `usher scan`.
#[derive(Args)]
pub struct CameraArgs {
    /// Scan from a camera: its INDEX (default 0), a FILE or FOLDER of images played as a
    /// camera, or `synthetic` (demo tickets drawn on screen, for machines without a camera).
    #[arg(long, value_name = "INDEX|FILE-OR-FOLDER|synthetic", num_args = 0..=1, default_missing_value = "0")]
    pub camera: Option<String>,
    /// Frames per second for files and the synthetic camera.
    #[arg(long, default_value_t = 30.0, requires = "camera")]
    fps: f32,
    /// Play the files or the synthetic tickets once, then stop (default: loop).
    #[arg(long, requires = "camera")]
    once: bool,
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECONDS", requires = "camera")]
    duration: Option<f64>,
    /// Stop after this many scans.
    #[arg(long, value_name = "N", requires = "camera")]
    max_scans: Option<u64>,
    /// The synthetic camera shows these codes (default: tickets from the cache).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "CODE,…",
        requires = "camera"
    )]
    show: Vec<String>,
}

fn unreadable(what: Said, e: impl std::fmt::Display) -> Error {
    Error::Io {
        context: what,
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
    }
}

#[derive(Serialize)]
struct Decoded<'a> {
    file: String,
    codes: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// One line per file: the file name and its decoded text(s), nearest the centre first.
pub fn run_decode(args: DecodeArgs, out: &Output) -> Result<(), Error> {
    let mut failed = 0;
    for file in &args.files {
        let name = file.display().to_string();
        let (reads, error) = match LumaFrame::open(file) {
            Ok(frame) => (Cascade::still().decode(&frame), None),
            Err(e) => {
                failed += 1;
                (vec![], Some(e.to_string()))
            }
        };
        let codes: Vec<&str> = reads.iter().map(|r| r.text.as_str()).collect();
        if out.json {
            out.json_line(&Decoded {
                file: name,
                codes,
                error,
            });
        } else if let Some(e) = error {
            out.line(&format!("{name}\terror: {e}"));
        } else if codes.is_empty() {
            out.line(&format!("{name}\t(no code)"));
        } else {
            let shown: Vec<String> = codes
                .iter()
                .map(|c| usher_core::code::preview(c.as_bytes(), 200))
                .collect();
            out.line(&format!("{name}\t{}", shown.join("\t")));
        }
    }
    if failed > 0 {
        return Err(Error::InvalidConfig(
            Said::new("cli-decode-unreadable")
                .with("failed", failed)
                .with("files", args.files.len()),
        ));
    }
    Ok(())
}

#[derive(Serialize)]
struct StateLine {
    camera: CameraState,
    message: String,
}

/// Runs the live loop headless: every verdict and every camera state change is printed.
pub fn run_camera(args: CameraArgs, dir: &std::path::Path, out: &Output) -> Result<(), Error> {
    let spec = args.camera.clone().unwrap_or_else(|| "0".into());
    let mut door = crate::sync::open_door(dir)?;
    door.set_words(out.words.clone());
    let capture = if spec == "synthetic" {
        let payloads: Vec<Vec<u8>> = if args.show.is_empty() {
            let store = door.store();
            let config = settings::load(store.conn())?;
            let index = lookup::SearchIndex::load(store.conn(), &config.event_id)?;
            let words = (&*out.words, door.time_zone());
            lookup::lookup(store.conn(), &index, "tkt_", 8, words)?
                .into_iter()
                .map(|h| h.ticket.id.into_bytes())
                .collect()
        } else {
            args.show.iter().map(|s| s.clone().into_bytes()).collect()
        };
        if payloads.is_empty() {
            return Err(Error::InvalidConfig(Said::new(
                "cli-camera-nothing-to-show",
            )));
        }
        let (fps, once) = (args.fps, args.once);
        Capture::start(move || {
            let cam = SyntheticCamera::new(payloads, fps);
            if once {
                cam.once()
            } else {
                cam
            }
        })
    } else if let Ok(index) = spec.parse::<u32>() {
        Capture::start(move || NokhwaCamera::new(index))
    } else {
        let path = PathBuf::from(&spec);
        let files = FileSource::open(std::slice::from_ref(&path), args.fps, !args.once)
            .map_err(|e| unreadable(Said::io("play", &path), e))?;
        Capture::start(move || files)
    };
    let started = Instant::now();
    let deadline = args
        .duration
        .map(|s| started + Duration::from_secs_f64(s.max(0.0)));
    let mut live = LiveLoop::new(LiveConfig::default());
    let mut scans = 0u64;
    let mut failure: Option<Error> = None;
    live.run(&capture, |event| {
        match event {
            LiveEvent::State(state) => {
                if out.json {
                    out.json_line(&StateLine {
                        message: state.plain_words(),
                        camera: state,
                    });
                } else {
                    out.line(&format!("camera: {}", state.plain_words()));
                }
            }
            LiveEvent::Scan(scan) => {
                let input = ScanInput {
                    payload: &scan.payload,
                    source: Source::Camera,
                    confirm: false,
                    direction: None,
                };
                match door.scan(input, jiff::Timestamp::now()) {
                    Ok(outcome) => out.scan(&outcome),
                    Err(e) => {
                        failure = Some(e);
                        return Flow::Stop;
                    }
                }
                scans += 1;
            }
            LiveEvent::Tick => {}
        }
        let done = args.max_scans.is_some_and(|m| scans >= m)
            || deadline.is_some_and(|d| Instant::now() >= d);
        if done {
            Flow::Stop
        } else {
            Flow::Continue
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let s = &live.stats;
    out.say(&format!(
        "{} frames, {} decoded, {} scans in {:.1} s",
        s.frames,
        s.decoded,
        s.scans,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
