//! The camera loop of a station: frames from the camera (or, in the demo on a machine with
//! none, the demo camera) through `usher-camera`'s live loop into the door; the newest frame
//! as a small JPEG for the preview; the camera's state and frame rate for the screen.

use crate::health::FrameRate;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use usher_camera::live::{CameraScan, Flow, LiveConfig, LiveEvent, LiveLoop, Waker};
use usher_camera::source::{CameraState, Capture, DemoCamera, HeldUp, NokhwaCamera};

/// Preview frames are encoded at most this often (about 12 a second).
const PREVIEW_EVERY: Duration = Duration::from_millis(80);
const PREVIEW_QUALITY: u8 = 70;

/// The camera as the scan screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CameraView {
    /// `LIVE`, `NO_CAMERA`, `BUSY`, … (see `usher_camera::source::CameraState`).
    pub state: String,
    /// The sentence for door staff.
    pub words: String,
    /// FAILED: the system's words (for the sentence in another language).
    #[serde(skip)]
    pub detail: Option<String>,
}

impl CameraView {
    /// The scan screen's view of `state`: its name (`FAILED` if it has none) and its words.
    pub fn of(state: &CameraState) -> CameraView {
        let value = serde_json::to_value(state).ok();
        let field = |f: &str| {
            value
                .as_ref()
                .and_then(|v| v.get(f).and_then(|s| s.as_str()).map(str::to_owned))
        };
        CameraView {
            state: field("state").unwrap_or_else(|| "FAILED".into()),
            words: state.plain_words(),
            detail: field("detail"),
        }
    }

    /// This view with its sentence in `words`' language (`camera-STATE` in door.ftl).
    pub fn worded(mut self, words: &usher_core::look::Words) -> CameraView {
        self.words = words.camera(&self.state, self.detail.as_deref(), &self.words);
        self
    }
}

/// What the camera loop shares with the rest of the station.
#[derive(Default)]
pub(crate) struct CameraShared {
    pub preview: Mutex<Option<Arc<Vec<u8>>>>,
    pub rate: Mutex<FrameRate>,
    pub view: Mutex<Option<CameraView>>,
}

/// A running camera loop; stops when dropped.
pub(crate) struct CameraLoop {
    stop: Arc<AtomicBool>,
    waker: Waker,
    pub held_up: Option<HeldUp>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl CameraLoop {
    /// Starts the loop on its own thread. `demo`: use the demo camera when the system has no
    /// camera. Each scan goes to `on_scan`, each state change to `on_state`.
    pub fn start(
        demo: bool,
        shared: Arc<CameraShared>,
        on_scan: impl Fn(CameraScan) + Send + 'static,
        on_state: impl Fn(CameraView) + Send + 'static,
    ) -> CameraLoop {
        let held_up = (demo && !usher_camera::source::camera_present()).then(HeldUp::default);
        let stop = Arc::new(AtomicBool::new(false));
        let mut live = LiveLoop::new(LiveConfig::default());
        let waker = live.waker();
        let capture = match &held_up {
            Some(queue) => {
                let queue = queue.clone();
                Capture::start(move || DemoCamera::new(15.0, queue))
            }
            None => Capture::start(|| NokhwaCamera::new(0)),
        };
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("usher-camera".into())
            .spawn(move || {
                let mut last_preview: Option<Instant> = None;
                let mut on_event = |event| {
                    match event {
                        LiveEvent::State(state) => {
                            let view = CameraView::of(&state);
                            *lock(&shared.view) = Some(view.clone());
                            on_state(view);
                        }
                        LiveEvent::Scan(scan) => on_scan(scan),
                        LiveEvent::Tick => {}
                    }
                    if stopping.load(Ordering::Relaxed) {
                        Flow::Stop
                    } else {
                        Flow::Continue
                    }
                };
                let mut on_frame = |frame: &usher_camera::luma::LumaFrame| {
                    let now = Instant::now();
                    lock(&shared.rate).tick(now);
                    if last_preview.is_none_or(|t| now - t >= PREVIEW_EVERY) {
                        last_preview = Some(now);
                        // Half size is plenty for a preview and four times cheaper.
                        let jpeg = frame.half().to_jpeg(PREVIEW_QUALITY);
                        *lock(&shared.preview) = Some(Arc::new(jpeg));
                    }
                };
                // A panic anywhere in the loop (a decoder, a scan) is reported as FAILED and
                // the loop starts again: never a frozen preview under a LIVE badge.
                loop {
                    let run = catch_unwind(AssertUnwindSafe(|| {
                        live.run_with_preview(&capture, &mut on_event, &mut on_frame)
                    }));
                    let Err(panic) = run else { return };
                    let why = format!(
                        "the camera loop: {}; restarting",
                        crate::panic_words(&*panic)
                    );
                    tracing::error!(error = %why, "camera loop panicked");
                    on_event(LiveEvent::State(CameraState::Failed(why)));
                    if stopping.load(Ordering::Relaxed) {
                        return;
                    }
                }
            })
            .expect("the camera thread starts");
        CameraLoop {
            stop,
            waker,
            held_up,
            thread: Some(thread),
        }
    }

    /// Input arrived some other way (a wedge scan): an idle loop wakes up.
    pub fn wake(&self) {
        self.waker.wake();
    }
}

impl Drop for CameraLoop {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            // The loop may be the one dropping it (a scan that reopened the door); it then
            // ends by itself once this returns.
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
