//! The live loop: newest frame → cascade → noise gate → debouncer → the caller's closure.
//!
//! - A read holding a ticket or order id goes through at once, then the same payload is
//!   quiet for the debounce window (2.5 s by default, extended while it stays in view).
//! - A read holding no ticket id (a poster's QR, a Wi-Fi code, a misread) must be seen in
//!   [`LiveConfig::noise_confirm`] frames in a row before it is passed on, once, so the door
//!   can say "not a ticket code"; the same text is then muted for [`LiveConfig::noise_mute`]
//!   while it stays in view. The screen does not flash for every noise read.
//! - With no read, motion or input for [`LiveConfig::idle_after`], the loop decodes at
//!   [`LiveConfig::idle_fps`] only, and wakes at once on motion (a cheap frame difference on
//!   a coarse grid) or on [`Waker::wake`] (a key typed, a wedge scan). Meanwhile the capture
//!   thread converts only twice `idle_fps` frames a second and lets the rest go by.
//! - Each frame's decode runs under `catch_unwind`: a decoder that panics on a frame (a
//!   crafted code) loses that frame only. The loop reports the camera FAILED, resets the
//!   decoder, and reports it LIVE again at the next frame decoded without a panic.

use crate::decode::{Cascade, QrDecoder, Read};
use crate::luma::LumaFrame;
use crate::source::{CameraState, Capture, CaptureEvent};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use usher_core::code::{self, TicketKey};
use usher_core::debounce::Debouncer;

/// The live loop's settings; `Default` is what the door runs with.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// How long a ticket payload that went through stays quiet (extended while it stays in
    /// view).
    pub debounce: Duration,
    /// Frames in a row a read without a ticket id must be seen in before it is passed on.
    pub noise_confirm: u32,
    /// How long such a read stays quiet once passed on (extended while it stays in view).
    pub noise_mute: Duration,
    /// With no read, motion or wake-up for this long, the loop goes idle.
    pub idle_after: Duration,
    /// Frames decoded a second while idle.
    pub idle_fps: f32,
    /// Mean absolute grey-level change on the coarse grid that counts as motion.
    pub motion_threshold: u32,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            debounce: usher_core::debounce::DEFAULT_WINDOW,
            noise_confirm: 2,
            noise_mute: Duration::from_secs(10),
            idle_after: Duration::from_secs(20),
            idle_fps: 4.0,
            motion_threshold: 6,
        }
    }
}

/// One scan from the camera, ready for the door.
#[derive(Debug, Clone)]
pub struct CameraScan {
    /// The decoded text, as bytes: what the door parses and records.
    pub payload: Vec<u8>,
    /// The ticket or order id in it, if any.
    pub ticket: Option<TicketKey>,
    /// What the decoder saw: the text, where, and which pass found it.
    pub read: Read,
}

/// What the loop reports to its caller.
#[derive(Debug)]
pub enum LiveEvent {
    /// The camera's state changed (or the decoder's: FAILED after a panic, LIVE again).
    State(CameraState),
    /// A read that went through the noise gate and the debouncer.
    Scan(CameraScan),
    /// A frame without a scan, or a quiet moment: lets the caller check its deadlines.
    Tick,
}

/// Whether the loop goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep taking frames.
    Continue,
    /// Return from the loop.
    Stop,
}

/// Counters for the door-health screen and the benchmark.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LiveStats {
    /// Frames taken from the capture.
    pub frames: u64,
    /// Frames given to the decoder (an idle loop lets some go undecoded).
    pub decoded: u64,
    /// Decoded frames with a read.
    pub reads: u64,
    /// Reads passed on to the caller.
    pub scans: u64,
    /// Reads without a ticket id held back: not yet confirmed, or muted.
    pub noise_muted: u64,
    /// Time spent decoding, in all.
    pub decode_time: Duration,
    /// Frames whose decode panicked (and was contained).
    pub decoder_panics: u64,
}

/// What the camera's state became because of the decoder, for the loop to report.
const DECODER_PANICKED: &str = "the code reader crashed on a frame";

/// Wakes an idle loop from another thread (input typed, a wedge scan).
#[derive(Clone, Default)]
pub struct Waker(Arc<AtomicBool>);

impl Waker {
    /// Wakes the loop: it decodes at full rate again from its next frame.
    pub fn wake(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

/// Cheap motion detector: every 16th pixel of every 16th row, compared with the last look.
#[derive(Default)]
struct Motion {
    grid: Vec<u8>,
}

impl Motion {
    fn changed(&mut self, f: &LumaFrame, threshold: u32) -> bool {
        const STEP: usize = 16;
        let w = f.width as usize;
        let grid: Vec<u8> = (0..f.height as usize)
            .step_by(STEP)
            .flat_map(|y| f.data[y * w..(y + 1) * w].iter().step_by(STEP).copied())
            .collect();
        let moved = grid.len() == self.grid.len()
            && !grid.is_empty()
            && grid
                .iter()
                .zip(&self.grid)
                .map(|(a, b)| a.abs_diff(*b) as u32)
                .sum::<u32>()
                / grid.len() as u32
                >= threshold;
        self.grid = grid;
        moved
    }
}

/// The loop's state. [`LiveLoop::on_frame`] is the whole decision, testable frame by frame.
pub struct LiveLoop<D: QrDecoder = Cascade> {
    config: LiveConfig,
    decoder: D,
    tickets: Debouncer,
    noise: Debouncer,
    noise_streak: Option<(Vec<u8>, u32)>,
    motion: Motion,
    last_activity: Instant,
    last_decode: Option<Instant>,
    waker: Waker,
    /// The decoder panicked on the last frame it was given.
    decoder_down: bool,
    /// A state the decoder caused, not yet reported by the loop.
    state_change: Option<CameraState>,
    /// What the loop has done so far.
    pub stats: LiveStats,
}

impl LiveLoop<Cascade> {
    /// A loop with the door's decoder cascade ([`Cascade::live`]).
    pub fn new(config: LiveConfig) -> LiveLoop<Cascade> {
        LiveLoop::with_decoder(config, Cascade::live())
    }
}

impl<D: QrDecoder> LiveLoop<D> {
    /// A loop with this decoder.
    pub fn with_decoder(config: LiveConfig, decoder: D) -> LiveLoop<D> {
        LiveLoop {
            tickets: Debouncer::new(config.debounce),
            noise: Debouncer::new(config.noise_mute),
            config,
            decoder,
            noise_streak: None,
            motion: Motion::default(),
            last_activity: Instant::now(),
            last_decode: None,
            waker: Waker::default(),
            decoder_down: false,
            state_change: None,
            stats: LiveStats::default(),
        }
    }

    /// A handle that wakes this loop from another thread.
    pub fn waker(&self) -> Waker {
        self.waker.clone()
    }

    /// True while the loop is saving power.
    pub fn is_idle(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_activity) >= self.config.idle_after
    }

    /// Takes one frame; returns the scan it makes, if any.
    pub fn on_frame(&mut self, frame: &LumaFrame, now: Instant) -> Option<CameraScan> {
        self.stats.frames += 1;
        let moved = self.motion.changed(frame, self.config.motion_threshold);
        if moved || self.waker.take() {
            self.last_activity = now;
        }
        if self.is_idle(now) {
            let period = Duration::from_secs_f32(1.0 / self.config.idle_fps.max(0.1));
            if self
                .last_decode
                .is_some_and(|t| now.saturating_duration_since(t) < period)
            {
                return None;
            }
        }
        self.last_decode = Some(now);
        self.stats.decoded += 1;
        let t = Instant::now();
        let decoded = catch_unwind(AssertUnwindSafe(|| self.decoder.decode(frame)));
        self.stats.decode_time += t.elapsed();
        let reads = match decoded {
            Ok(reads) => {
                if self.decoder_down {
                    self.decoder_down = false;
                    self.state_change = Some(CameraState::Live);
                }
                reads
            }
            Err(_) => {
                self.stats.decoder_panics += 1;
                self.decoder.reset();
                self.noise_streak = None;
                if !self.decoder_down {
                    self.decoder_down = true;
                    self.state_change = Some(CameraState::Failed(DECODER_PANICKED.into()));
                }
                return None;
            }
        };
        let Some(read) = reads.into_iter().next() else {
            self.noise_streak = None;
            return None;
        };
        self.stats.reads += 1;
        self.last_activity = now;
        let payload = read.text.as_bytes().to_vec();
        let ticket = code::parse(&payload).ok();
        let pass = if ticket.is_some() {
            self.noise_streak = None;
            self.tickets.accept(&payload, now)
        } else {
            let streak = match &mut self.noise_streak {
                Some((p, n)) if *p == payload => {
                    *n += 1;
                    *n
                }
                _ => {
                    self.noise_streak = Some((payload.clone(), 1));
                    1
                }
            };
            // Seen often enough in a row, and not already shown recently (the mute window is
            // extended on every confirmed sighting, as the debouncer does).
            let pass = streak >= self.config.noise_confirm && self.noise.accept(&payload, now);
            if !pass {
                self.stats.noise_muted += 1;
            }
            pass
        };
        if !pass {
            return None;
        }
        self.stats.scans += 1;
        Some(CameraScan {
            payload,
            ticket,
            read,
        })
    }

    /// A state the decoder caused since the last call (FAILED after a panic, LIVE once it
    /// decodes again), for whoever drives [`LiveLoop::on_frame`] to report.
    pub fn take_state_change(&mut self) -> Option<CameraState> {
        self.state_change.take()
    }

    /// Runs until the source ends or `on` says stop. States are passed on as they change.
    pub fn run(&mut self, capture: &Capture, on: impl FnMut(LiveEvent) -> Flow) {
        self.run_with_preview(capture, on, |_| {})
    }

    /// As [`LiveLoop::run`], and shows each frame to `preview` (the window's camera view)
    /// before it is decoded.
    pub fn run_with_preview(
        &mut self,
        capture: &Capture,
        mut on: impl FnMut(LiveEvent) -> Flow,
        mut preview: impl FnMut(&LumaFrame),
    ) {
        let mut idle = false;
        loop {
            // Idle, the loop decodes `idle_fps` frames a second and checks motion on each
            // frame it gets: twice that rate is enough, and the capture thread leaves the
            // other frames unconverted.
            if self.is_idle(Instant::now()) != idle {
                idle = !idle;
                capture.set_min_interval(if idle {
                    Duration::from_secs_f32(0.5 / self.config.idle_fps.max(0.1))
                } else {
                    Duration::ZERO
                });
            }
            let flow = match capture.next(Duration::from_millis(250)) {
                CaptureEvent::State(CameraState::Ended) => {
                    on(LiveEvent::State(CameraState::Ended));
                    return;
                }
                CaptureEvent::State(s) => on(LiveEvent::State(s)),
                CaptureEvent::Frame(f) => {
                    preview(&f);
                    let scan = self.on_frame(&f, Instant::now());
                    let changed = self.take_state_change().map(|s| on(LiveEvent::State(s)));
                    match scan {
                        _ if changed == Some(Flow::Stop) => Flow::Stop,
                        Some(scan) => on(LiveEvent::Scan(scan)),
                        None => on(LiveEvent::Tick),
                    }
                }
                CaptureEvent::Idle => on(LiveEvent::Tick),
            };
            if flow == Flow::Stop {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Pass;

    /// A decoder that reads whatever the test says the next frame shows.
    struct Scripted(std::collections::VecDeque<Option<&'static str>>);
    impl QrDecoder for Scripted {
        fn name(&self) -> &'static str {
            "scripted"
        }
        fn decode(&mut self, _: &LumaFrame) -> Vec<Read> {
            match self.0.pop_front().flatten() {
                Some("PANIC") => panic!("a crafted code broke the decoder"),
                Some(t) => vec![Read {
                    text: t.into(),
                    corners: vec![(0.0, 0.0)],
                    inverted: false,
                    pass: Pass::Full,
                }],
                None => vec![],
            }
        }
    }

    const TKT: &str = "tkt_01jps5cgsg0s32w2pr73vbccde";

    fn run(script: Vec<Option<&'static str>>, config: LiveConfig) -> Vec<(usize, String)> {
        let n = script.len();
        let mut live = LiveLoop::with_decoder(config, Scripted(script.into()));
        let t0 = Instant::now();
        let frame = LumaFrame::filled(64, 48, 128);
        (0..n)
            .filter_map(|i| {
                let now = t0 + Duration::from_millis(33 * i as u64);
                live.on_frame(&frame, now)
                    .map(|s| (i, String::from_utf8(s.payload).unwrap()))
            })
            .collect()
    }

    #[test]
    fn a_decoder_panic_loses_one_frame_reports_failed_then_live_and_scanning_goes_on() {
        let script = vec![Some("PANIC"), Some("PANIC"), Some(TKT)];
        let mut live = LiveLoop::with_decoder(LiveConfig::default(), Scripted(script.into()));
        let frame = LumaFrame::filled(64, 48, 128);
        let t0 = Instant::now();
        assert!(live.on_frame(&frame, t0).is_none());
        assert!(matches!(
            live.take_state_change(),
            Some(CameraState::Failed(why)) if why.contains("crashed")
        ));
        // Still failing: reported once, not on every frame.
        assert!(live
            .on_frame(&frame, t0 + Duration::from_millis(33))
            .is_none());
        assert_eq!(live.take_state_change(), None);
        let scan = live.on_frame(&frame, t0 + Duration::from_millis(66));
        assert_eq!(scan.map(|s| s.payload), Some(TKT.as_bytes().to_vec()));
        assert_eq!(live.take_state_change(), Some(CameraState::Live));
        assert_eq!(live.stats.decoder_panics, 2);
    }

    #[test]
    fn a_ticket_held_in_view_is_one_scan_and_goes_through_at_once() {
        let script = vec![Some(TKT); 60];
        assert_eq!(run(script, LiveConfig::default()), [(0, TKT.to_string())]);
    }

    #[test]
    fn a_lone_noise_read_never_reaches_the_door() {
        let mut script = vec![None; 40];
        script[5] = Some("WIFI:S:venue;;");
        script[20] = Some("x");
        assert!(run(script, LiveConfig::default()).is_empty());
    }

    #[test]
    fn a_steady_non_ticket_code_is_reported_once_then_muted() {
        // A poster's QR code in view for 10 s: one "not a ticket code", not 300.
        let script = vec![Some("https://venue.example/menu"); 300];
        let got = run(script, LiveConfig::default());
        assert_eq!(got, [(1, "https://venue.example/menu".to_string())]);
    }

    #[test]
    fn idle_loop_decodes_less_and_wakes_on_input() {
        let config = LiveConfig {
            idle_after: Duration::from_secs(1),
            idle_fps: 2.0,
            ..LiveConfig::default()
        };
        let mut live = LiveLoop::with_decoder(config, Scripted(vec![None; 1000].into()));
        let frame = LumaFrame::filled(64, 48, 128);
        let t0 = Instant::now();
        // 3 s of an empty, still door at 30 fps: 1 s awake, then 2 decodes a second.
        for i in 0..90 {
            live.on_frame(&frame, t0 + Duration::from_millis(33 * i));
        }
        assert!(live.stats.decoded <= 31 + 5, "{:?}", live.stats);
        assert!(live.is_idle(t0 + Duration::from_millis(33 * 90)));
        live.waker().wake();
        live.on_frame(&frame, t0 + Duration::from_millis(33 * 91));
        assert!(!live.is_idle(t0 + Duration::from_millis(33 * 92)));
    }

    #[test]
    fn an_idle_loop_lets_the_capture_thread_leave_most_frames_unconverted() {
        use crate::source::FileSource;
        let config = LiveConfig {
            idle_after: Duration::from_millis(200),
            idle_fps: 4.0,
            ..LiveConfig::default()
        };
        let frames = vec![LumaFrame::filled(64, 48, 128)];
        let capture = Capture::start(move || FileSource::from_frames(frames, 100.0, true));
        let mut live = LiveLoop::with_decoder(config, Scripted(vec![None; 10_000].into()));
        let end = Instant::now() + Duration::from_millis(1200);
        live.run(&capture, |_| {
            if Instant::now() >= end {
                Flow::Stop
            } else {
                Flow::Continue
            }
        });
        // 100 fps for 1.2 s: awake for 0.2 s (about 20 frames), then idle, when only twice
        // `idle_fps` (8 a second) are converted and the rest go by.
        let (produced, _) = capture.counts();
        assert!(produced <= 45, "{produced} frames converted");
        assert!(capture.skipped() >= 60, "{} skipped", capture.skipped());
    }

    #[test]
    fn motion_wakes_an_idle_loop() {
        let config = LiveConfig {
            idle_after: Duration::from_millis(100),
            ..LiveConfig::default()
        };
        let mut live = LiveLoop::with_decoder(config, Scripted(vec![None; 100].into()));
        let t0 = Instant::now();
        let still = LumaFrame::filled(64, 48, 100);
        for i in 0..10 {
            live.on_frame(&still, t0 + Duration::from_millis(33 * i));
        }
        assert!(live.is_idle(t0 + Duration::from_millis(330)));
        live.on_frame(
            &LumaFrame::filled(64, 48, 180),
            t0 + Duration::from_millis(340),
        );
        assert!(!live.is_idle(t0 + Duration::from_millis(341)));
    }
}
