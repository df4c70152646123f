//! The capture thread: runs a [`FrameSource`] on its own thread and keeps only its newest
//! frame, so a slow decoder skips the frames it had no time for and never works through a
//! backlog. State changes are handed over before frames.

use super::{CameraState, FrameSource, Pull};
use crate::luma::LumaFrame;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Slot {
    frame: Option<LumaFrame>,
    state: Option<CameraState>,
    stop: bool,
    /// Frames closer together than this are skipped unconverted (0: every frame is taken).
    min_interval: Duration,
    produced: u64,
    dropped: u64,
    skipped: u64,
}

/// What [`Capture::next`] hands the loop.
#[derive(Debug)]
pub enum CaptureEvent {
    /// The newest frame.
    Frame(LumaFrame),
    /// The source's state changed.
    State(CameraState),
    /// Nothing arrived in time.
    Idle,
}

/// A frame source running on its own thread. Holds at most one frame: a new frame replaces one
/// the loop has not taken yet (counted as dropped).
pub struct Capture {
    shared: Arc<(Mutex<Slot>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Capture {
    /// Starts `make` on a new thread and pulls frames from what it builds.
    pub fn start<S, F>(make: F) -> Capture
    where
        S: FrameSource,
        F: FnOnce() -> S + Send + 'static,
    {
        let shared = Arc::new((Mutex::new(Slot::default()), Condvar::new()));
        let inner = shared.clone();
        let thread = std::thread::Builder::new()
            .name("usher-capture".into())
            .spawn(move || {
                let mut source = make();
                let mut last_state = None;
                let mut last_frame: Option<Instant> = None;
                loop {
                    let Ok((stop, min_interval)) = inner.0.lock().map(|s| (s.stop, s.min_interval))
                    else {
                        break;
                    };
                    if stop {
                        break;
                    }
                    let wanted = last_frame.is_none_or(|t| t.elapsed() >= min_interval);
                    let pulled = if wanted {
                        source.pull()
                    } else {
                        match source.skip() {
                            None => {
                                if let Ok(mut slot) = inner.0.lock() {
                                    slot.skipped += 1;
                                }
                                continue;
                            }
                            Some(state) => Pull::State(state),
                        }
                    };
                    if matches!(pulled, Pull::Frame(_)) {
                        last_frame = Some(Instant::now());
                    }
                    let (lock, cvar) = &*inner;
                    let Ok(mut slot) = lock.lock() else { break };
                    match pulled {
                        Pull::Frame(f) => {
                            if last_state != Some(CameraState::Live) {
                                last_state = Some(CameraState::Live);
                                slot.state = Some(CameraState::Live);
                            }
                            if slot.frame.replace(f).is_some() {
                                slot.dropped += 1;
                            }
                            slot.produced += 1;
                        }
                        Pull::State(s) => {
                            let ended = s == CameraState::Ended;
                            if last_state.as_ref() != Some(&s) {
                                last_state = Some(s.clone());
                                slot.state = Some(s);
                            }
                            if ended {
                                cvar.notify_all();
                                break;
                            }
                        }
                    }
                    cvar.notify_all();
                }
            })
            .expect("a thread can be started");
        Capture {
            shared,
            thread: Some(thread),
        }
    }

    /// Waits up to `timeout` for a state change or the newest frame. A state change comes
    /// first, so "camera unplugged" is never hidden behind frames.
    pub fn next(&self, timeout: Duration) -> CaptureEvent {
        let (lock, cvar) = &*self.shared;
        let Ok(mut slot) = lock.lock() else {
            return CaptureEvent::State(CameraState::Failed("capture thread died".into()));
        };
        let deadline = Instant::now() + timeout;
        loop {
            // The last frame of a source that ended is still handed over before the end.
            if slot.state != Some(CameraState::Ended) || slot.frame.is_none() {
                if let Some(s) = slot.state.take() {
                    return CaptureEvent::State(s);
                }
            }
            if let Some(f) = slot.frame.take() {
                return CaptureEvent::Frame(f);
            }
            let now = Instant::now();
            if now >= deadline {
                return CaptureEvent::Idle;
            }
            slot = match cvar.wait_timeout(slot, deadline - now) {
                Ok((s, _)) => s,
                Err(_) => {
                    return CaptureEvent::State(CameraState::Failed("capture thread died".into()))
                }
            };
        }
    }

    /// Asks the capture thread to convert at most one frame per `interval` and let the others
    /// go by unconverted: an idle loop that decodes a few frames a second saves the luma
    /// conversion (an MJPEG decode on a real camera) of the frames it would not look at.
    /// `Duration::ZERO` takes every frame again.
    pub fn set_min_interval(&self, interval: Duration) {
        if let Ok(mut s) = self.shared.0.lock() {
            s.min_interval = interval;
        }
    }

    /// Frames skipped unconverted because of [`Capture::set_min_interval`].
    pub fn skipped(&self) -> u64 {
        self.shared.0.lock().map(|s| s.skipped).unwrap_or_default()
    }

    /// Frames produced and frames replaced before the loop took them.
    pub fn counts(&self) -> (u64, u64) {
        self.shared
            .0
            .lock()
            .map(|s| (s.produced, s.dropped))
            .unwrap_or_default()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        if let Ok(mut s) = self.shared.0.lock() {
            s.stop = true;
        }
        self.shared.1.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::FileSource;
    use super::*;

    /// A source that replays a script of pulls: each camera state and a recovery.
    struct Script(std::vec::IntoIter<Pull>);
    impl FrameSource for Script {
        fn pull(&mut self) -> Pull {
            std::thread::sleep(Duration::from_millis(2));
            self.0.next().unwrap_or(Pull::State(CameraState::Ended))
        }
    }

    #[test]
    fn unplug_and_replug_is_reported_then_frames_resume() {
        let f = || Pull::Frame(LumaFrame::filled(4, 4, 9));
        let script = vec![
            Pull::State(CameraState::Busy),
            f(),
            Pull::State(CameraState::Unplugged),
            Pull::State(CameraState::Unplugged),
            f(),
        ];
        let cap = Capture::start(move || Script(script.into_iter()));
        let mut seen = vec![];
        loop {
            match cap.next(Duration::from_secs(2)) {
                CaptureEvent::State(CameraState::Ended) => break,
                CaptureEvent::State(s) => seen.push(format!("{s:?}")),
                CaptureEvent::Frame(_) => seen.push("frame".into()),
                CaptureEvent::Idle => panic!("stalled: {seen:?}"),
            }
        }
        // The repeated Unplugged is reported once; Live is reported each time frames resume.
        assert_eq!(
            seen,
            ["Busy", "Live", "frame", "Unplugged", "Live", "frame"]
        );
    }

    #[test]
    fn only_the_newest_frame_is_kept() {
        let frames: Vec<LumaFrame> = (0..20).map(|i| LumaFrame::filled(2, 2, i)).collect();
        let cap = Capture::start(move || FileSource::from_frames(frames, 1000.0, false));
        // Let the source run ahead of a decoder that is busy.
        std::thread::sleep(Duration::from_millis(200));
        let mut got = vec![];
        loop {
            match cap.next(Duration::from_millis(300)) {
                CaptureEvent::Frame(f) => got.push(f.data[0]),
                CaptureEvent::State(CameraState::Ended) | CaptureEvent::Idle => break,
                CaptureEvent::State(_) => {}
            }
        }
        assert_eq!(got, [19], "a busy loop gets only the newest frame");
        let (produced, dropped) = cap.counts();
        assert_eq!((produced, dropped), (20, 19));
    }

    #[test]
    fn an_idle_loop_gets_frames_at_its_own_pace_the_rest_go_by_unconverted() {
        let frames: Vec<LumaFrame> = (0..4).map(|i| LumaFrame::filled(2, 2, i)).collect();
        let cap = Capture::start(move || FileSource::from_frames(frames, 200.0, true));
        cap.set_min_interval(Duration::from_millis(50));
        let t0 = Instant::now();
        let mut taken = 0;
        while t0.elapsed() < Duration::from_millis(500) {
            if let CaptureEvent::Frame(_) = cap.next(Duration::from_millis(100)) {
                taken += 1;
            }
        }
        // 200 fps for 0.5 s is 100 frames; at most one per 50 ms is converted.
        assert!((5..=12).contains(&taken), "{taken} frames taken");
        assert!(cap.skipped() >= 50, "{} skipped", cap.skipped());
        let (produced, _) = cap.counts();
        assert!(
            (taken..=taken + 1).contains(&produced),
            "{produced} produced"
        );
    }
}
