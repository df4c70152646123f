//! Where frames come from: a camera (nokhwa), a folder of images, or the synthetic camera.
//!
//! A source runs on its own capture thread ([`Capture`]). Only the newest frame is kept: a
//! slow decoder skips the frames it had no time for and never works through a backlog.

use crate::luma::{self, LumaFrame};
use crate::synth::{Carrier, Shot};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the camera is doing, in words the door staff understand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CameraState {
    /// Opening the camera.
    Starting,
    /// Frames are coming.
    Live,
    /// No camera is connected.
    NoCamera,
    /// Another program is using the camera.
    Busy,
    /// The system refuses this program access to the camera.
    PermissionDenied,
    /// The camera went away during the event; we keep trying to reopen it.
    Unplugged,
    /// The source has no more frames (a file list played once).
    Ended,
    /// Anything else, with the system's words.
    Failed(String),
}

impl CameraState {
    /// The sentence shown on the scan screen. The USB scanner and typed codes keep working in
    /// every state, so each message says so where the camera is out.
    pub fn plain_words(&self) -> String {
        match self {
            CameraState::Starting => "Starting the camera…".into(),
            CameraState::Live => "Camera ready.".into(),
            CameraState::NoCamera => "No camera found. Scan with the USB scanner or type the code.".into(),
            CameraState::Busy => {
                "The camera is in use by another program. Close it, or scan with the USB scanner.".into()
            }
            CameraState::PermissionDenied => {
                "Usher is not allowed to use the camera. Allow camera access in the system settings.".into()
            }
            CameraState::Unplugged => {
                "The camera was unplugged. Plug it back in: scanning resumes by itself.".into()
            }
            CameraState::Ended => "No more frames.".into(),
            CameraState::Failed(why) => format!("The camera stopped working ({why}). Retrying…"),
        }
    }
}

/// What a source gives when asked for a frame.
#[derive(Debug)]
pub enum Pull {
    Frame(LumaFrame),
    /// No frame now; the source is in this state (and will be asked again).
    State(CameraState),
}

/// A producer of grey frames. It may block until its next frame is due (a camera's frame
/// rate). It need not be `Send`: [`Capture`] builds it on the capture thread, as nokhwa's
/// camera requires.
pub trait FrameSource {
    /// The next frame, or the state that keeps one from coming.
    fn pull(&mut self) -> Pull;

    /// Lets the next frame go by unconverted, because the loop is idle and does not want it
    /// (see [`Capture::set_min_interval`]). A camera must still be drained, so this waits for
    /// the frame as `pull` does, but skips the conversion to luma. Returns the state that
    /// keeps a frame from coming, if any.
    fn skip(&mut self) -> Option<CameraState> {
        match self.pull() {
            Pull::Frame(_) => None,
            Pull::State(s) => Some(s),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Capture thread with a newest-frame slot

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
    Frame(LumaFrame),
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

/// Sleeps until the next tick of a frame clock. Falls behind gracefully: a late tick is not
/// made up with a burst.
struct FrameClock {
    period: Duration,
    next: Instant,
}

impl FrameClock {
    fn new(fps: f32) -> FrameClock {
        FrameClock {
            period: Duration::from_secs_f32(1.0 / fps.max(0.1)),
            next: Instant::now(),
        }
    }
    fn wait(&mut self) {
        let now = Instant::now();
        if self.next > now {
            std::thread::sleep(self.next - now);
        }
        self.next = self.next.max(now) + self.period;
    }
}

// ---------------------------------------------------------------------------------------------
// Files

/// Still images played as a camera at a frame rate, looping or once.
pub struct FileSource {
    frames: Vec<LumaFrame>,
    index: usize,
    looping: bool,
    clock: FrameClock,
}

impl FileSource {
    /// `paths`: image files, or folders whose images (png, jpg, webp) are taken in name order.
    /// Each image is decoded once, up front.
    pub fn open(paths: &[PathBuf], fps: f32, looping: bool) -> Result<FileSource, luma::LumaError> {
        let mut files = vec![];
        for p in paths {
            if p.is_dir() {
                let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                    .map_err(|e| luma::LumaError::Image {
                        path: p.display().to_string(),
                        reason: e.to_string(),
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| is_image(p))
                    .collect();
                inside.sort();
                files.extend(inside);
            } else {
                files.push(p.clone());
            }
        }
        if files.is_empty() {
            return Err(luma::LumaError::Image {
                path: paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                reason: "no png, jpg or webp images there".into(),
            });
        }
        let frames = files
            .iter()
            .map(|f| LumaFrame::open(f))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FileSource::from_frames(frames, fps, looping))
    }

    pub fn from_frames(frames: Vec<LumaFrame>, fps: f32, looping: bool) -> FileSource {
        FileSource {
            frames,
            index: 0,
            looping,
            clock: FrameClock::new(fps),
        }
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

pub(crate) fn is_image(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("png" | "jpg" | "jpeg" | "webp")
    )
}

impl FrameSource for FileSource {
    fn pull(&mut self) -> Pull {
        if self.index >= self.frames.len() {
            if !self.looping || self.frames.is_empty() {
                return Pull::State(CameraState::Ended);
            }
            self.index = 0;
        }
        self.clock.wait();
        // A camera hands over a new buffer per frame; so does this.
        let f = self.frames[self.index].clone();
        self.index += 1;
        Pull::Frame(f)
    }

    fn skip(&mut self) -> Option<CameraState> {
        if self.index >= self.frames.len() {
            if !self.looping || self.frames.is_empty() {
                return Some(CameraState::Ended);
            }
            self.index = 0;
        }
        self.clock.wait();
        self.index += 1;
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic camera

/// A camera for machines without one (demo mode): shows each given payload as a ticket or a
/// phone that comes into view, wobbles, blurs and leaves, with an empty door in between.
pub struct SyntheticCamera {
    payloads: Vec<Vec<u8>>,
    width: u32,
    height: u32,
    clock: FrameClock,
    frame_no: u64,
    /// Frames each code is in view, then frames of empty door.
    show: u64,
    gap: u64,
    looping: bool,
    seed: u64,
}

impl SyntheticCamera {
    /// 640x480 (a common webcam mode) at `fps`, each payload in view for 1.5 s and then 1 s
    /// of empty door.
    pub fn new(payloads: Vec<Vec<u8>>, fps: f32) -> SyntheticCamera {
        let fps_frames = |s: f32| (s * fps).round().max(1.0) as u64;
        SyntheticCamera {
            payloads,
            width: 640,
            height: 480,
            clock: FrameClock::new(fps),
            frame_no: 0,
            show: fps_frames(1.5),
            gap: fps_frames(1.0),
            looping: true,
            seed: 11,
        }
    }

    pub fn with_size(mut self, width: u32, height: u32) -> SyntheticCamera {
        self.width = width;
        self.height = height;
        self
    }

    /// Show the list once, then end.
    pub fn once(mut self) -> SyntheticCamera {
        self.looping = false;
        self
    }

    /// The picture for frame `n` (deterministic).
    pub fn shot(&self, n: u64) -> Option<Shot> {
        let cycle = self.show + self.gap;
        let k = n / cycle;
        if self.payloads.is_empty() || (!self.looping && k >= self.payloads.len() as u64) {
            return None;
        }
        let t = n % cycle;
        let payload = (t < self.show)
            .then(|| self.payloads[(k % self.payloads.len() as u64) as usize].clone());
        let phase = t as f32 / self.show as f32;
        let wob = (n as f32 * 0.3).sin();
        let mut shot = Shot {
            width: self.width,
            height: self.height,
            payload,
            carrier: match k % 3 {
                0 | 1 => Carrier::Paper,
                _ => Carrier::Phone,
            },
            module_px: 5.0 + 1.5 * wob,
            // Slides in from the left, pauses in the middle, leaves to the right.
            centre: (0.3 + 0.4 * phase, 0.5 + 0.05 * wob),
            rotation: 8.0 * wob + (k as f32 * 37.0) % 30.0 - 15.0,
            tilt: (10.0 * wob, 5.0),
            defocus: t.is_multiple_of(7) as u32,
            // Moving in and out blurs; held still it is sharp.
            motion: if !(0.2..=0.8).contains(&phase) {
                (6, 0.0)
            } else {
                (0, 0.0)
            },
            glare: 0.0,
            contrast: 0.9,
            noise: 3.0,
            jpeg_quality: None,
            seed: self.seed ^ n,
        };
        if n.is_multiple_of(5) {
            shot.jpeg_quality = Some(70);
        }
        Some(shot)
    }
}

impl FrameSource for SyntheticCamera {
    fn pull(&mut self) -> Pull {
        let Some(shot) = self.shot(self.frame_no) else {
            return Pull::State(CameraState::Ended);
        };
        self.clock.wait();
        self.frame_no += 1;
        Pull::Frame(shot.render())
    }

    fn skip(&mut self) -> Option<CameraState> {
        if self.shot(self.frame_no).is_none() {
            return Some(CameraState::Ended);
        }
        self.clock.wait();
        self.frame_no += 1;
        None
    }
}

/// The demo's camera on a machine without one: an empty door until someone "holds up" a
/// ticket through its [`HeldUp`] handle; that ticket then comes into view as in
/// [`SyntheticCamera`] and leaves again.
pub struct DemoCamera {
    fps: f32,
    queue: HeldUp,
    current: Option<SyntheticCamera>,
    empty: Shot,
    clock: FrameClock,
    frame_no: u64,
}

/// Hands tickets to a [`DemoCamera`] from another thread.
#[derive(Clone, Default)]
pub struct HeldUp(Arc<Mutex<std::collections::VecDeque<Vec<u8>>>>);

impl HeldUp {
    pub fn hold_up(&self, payload: Vec<u8>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(payload);
    }
    fn next(&self) -> Option<Vec<u8>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).pop_front()
    }
}

impl DemoCamera {
    pub fn new(fps: f32, queue: HeldUp) -> DemoCamera {
        let mut empty = Shot::clean(b"");
        empty.payload = None;
        empty.width = 640;
        empty.height = 480;
        empty.noise = 3.0;
        DemoCamera {
            fps,
            queue,
            current: None,
            empty,
            clock: FrameClock::new(fps),
            frame_no: 0,
        }
    }

    fn frame(&mut self) -> LumaFrame {
        if self.current.is_none() {
            self.current = self
                .queue
                .next()
                .map(|p| SyntheticCamera::new(vec![p], self.fps).once());
        }
        if let Some(cam) = &mut self.current {
            if let Some(shot) = cam.shot(cam.frame_no) {
                cam.frame_no += 1;
                return shot.render();
            }
            self.current = None;
        }
        self.frame_no += 1;
        // A still, slightly noisy door: the same few frames over and over cost nothing.
        self.empty.seed = self.frame_no % 4;
        self.empty.render()
    }
}

impl FrameSource for DemoCamera {
    fn pull(&mut self) -> Pull {
        self.clock.wait();
        Pull::Frame(self.frame())
    }
}

/// True when the system lists at least one camera.
pub fn camera_present() -> bool {
    !nokhwa::query(nokhwa::utils::ApiBackend::Auto)
        .unwrap_or_default()
        .is_empty()
}

// ---------------------------------------------------------------------------------------------
// A real camera

/// The camera state an open or capture error means. `was_live`: the camera had been giving
/// frames, so "no such device" now means it was unplugged, not that there never was one.
pub fn state_for_error(message: &str, was_live: bool) -> CameraState {
    let m = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| m.contains(n));
    if has(&[
        "os error 13",
        "permission denied",
        "access denied",
        "not authorized",
    ]) {
        CameraState::PermissionDenied
    } else if has(&[
        "os error 16",
        "device or resource busy",
        "resource busy",
        "in use",
    ]) {
        CameraState::Busy
    } else if has(&[
        "os error 19",
        "no such device",
        "os error 2)",
        "os error 2 ",
        "no such file",
        "not found",
    ]) || m.ends_with("os error 2")
    {
        if was_live {
            CameraState::Unplugged
        } else {
            CameraState::NoCamera
        }
    } else if was_live {
        // Any capture failure after frames flowed: treat as unplugged and keep reopening.
        CameraState::Unplugged
    } else {
        CameraState::Failed(message.chars().take(200).collect())
    }
}

/// A V4L2 (or AVFoundation / Media Foundation) camera through nokhwa, opened on the capture
/// thread. Asks for 1280x720 MJPEG at 30 fps, or the closest the camera offers (YUYV, NV12,
/// grey and raw RGB are converted too). Reopens by itself after an unplug.
pub struct NokhwaCamera {
    index: u32,
    camera: Option<nokhwa::Camera>,
    was_live: bool,
    retry: Duration,
    next_attempt: Option<Instant>,
    buf: Vec<u8>,
}

impl NokhwaCamera {
    pub fn new(index: u32) -> NokhwaCamera {
        NokhwaCamera {
            index,
            camera: None,
            was_live: false,
            retry: Duration::from_secs(1),
            next_attempt: None,
            buf: vec![],
        }
    }

    fn open(&mut self) -> Result<(), CameraState> {
        use nokhwa::utils::{
            CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
        };
        let devices = nokhwa::query(nokhwa::utils::ApiBackend::Auto).unwrap_or_default();
        if devices.is_empty() && !self.was_live {
            return Err(CameraState::NoCamera);
        }
        let want = CameraFormat::new_from(1280, 720, FrameFormat::MJPEG, 30);
        let request = RequestedFormat::with_formats(
            RequestedFormatType::Closest(want),
            &[
                FrameFormat::MJPEG,
                FrameFormat::YUYV,
                FrameFormat::NV12,
                FrameFormat::GRAY,
                FrameFormat::RAWRGB,
                FrameFormat::RAWBGR,
            ],
        );
        let mut cam = nokhwa::Camera::new(CameraIndex::Index(self.index), request)
            .map_err(|e| state_for_error(&e.to_string(), self.was_live))?;
        cam.open_stream()
            .map_err(|e| state_for_error(&e.to_string(), self.was_live))?;
        self.camera = Some(cam);
        Ok(())
    }
}

impl NokhwaCamera {
    /// Opens the camera if it is not open, at most once per `retry`: the first failure is
    /// reported at once.
    fn ensure_open(&mut self) -> Result<(), CameraState> {
        if self.camera.is_none() {
            if let Some(at) = self.next_attempt {
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
            }
            self.next_attempt = Some(Instant::now() + self.retry);
            self.open()?;
        }
        Ok(())
    }
}

impl FrameSource for NokhwaCamera {
    fn skip(&mut self) -> Option<CameraState> {
        if let Err(state) = self.ensure_open() {
            return Some(state);
        }
        let cam = self.camera.as_mut().expect("opened above");
        // The buffer is dequeued (the camera keeps streaming) but not decoded.
        match cam.frame_raw() {
            Ok(_) => {
                self.was_live = true;
                None
            }
            Err(e) => {
                self.camera = None;
                Some(state_for_error(&e.to_string(), true))
            }
        }
    }

    fn pull(&mut self) -> Pull {
        if let Err(state) = self.ensure_open() {
            return Pull::State(state);
        }
        let cam = self.camera.as_mut().expect("opened above");
        let format = cam.camera_format();
        let (w, h) = (format.width(), format.height());
        let raw = match cam.frame_raw() {
            Ok(raw) => raw,
            Err(e) => {
                self.camera = None;
                let state = state_for_error(&e.to_string(), true);
                return Pull::State(state);
            }
        };
        use nokhwa::utils::FrameFormat;
        let converted = match format.format() {
            FrameFormat::MJPEG => luma::mjpeg_to_luma(&raw, &mut self.buf),
            FrameFormat::YUYV => luma::yuyv_to_luma(&raw, w, h, &mut self.buf).map(|_| (w, h)),
            FrameFormat::NV12 | FrameFormat::GRAY => {
                luma::nv12_to_luma(&raw, w, h, &mut self.buf).map(|_| (w, h))
            }
            FrameFormat::RAWRGB => luma::rgb_to_luma(&raw, w, h, &mut self.buf).map(|_| (w, h)),
            FrameFormat::RAWBGR => luma::bgr_to_luma(&raw, w, h, &mut self.buf).map(|_| (w, h)),
        };
        self.was_live = true;
        match converted {
            Ok((width, height)) => Pull::Frame(LumaFrame {
                width,
                height,
                data: std::mem::take(&mut self.buf),
            }),
            // A torn frame now and then is normal on USB; skip it.
            Err(_) => Pull::State(CameraState::Live),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_errors_map_to_plain_states() {
        let no = "Could not open device 0: No such file or directory (os error 2)";
        assert_eq!(state_for_error(no, false), CameraState::NoCamera);
        assert_eq!(state_for_error(no, true), CameraState::Unplugged);
        assert_eq!(
            state_for_error(
                "Could not open device 0: Permission denied (os error 13)",
                false
            ),
            CameraState::PermissionDenied
        );
        assert_eq!(
            state_for_error(
                "Could not open device stream: Device or resource busy (os error 16)",
                false
            ),
            CameraState::Busy
        );
        assert_eq!(
            state_for_error(
                "Could not capture frame: No such device (os error 19)",
                true
            ),
            CameraState::Unplugged
        );
        assert_eq!(
            state_for_error("Could not capture frame: Broken pipe", true),
            CameraState::Unplugged
        );
        assert!(matches!(
            state_for_error("something odd", false),
            CameraState::Failed(_)
        ));
    }

    #[test]
    fn every_state_has_plain_words() {
        for s in [
            CameraState::NoCamera,
            CameraState::Busy,
            CameraState::PermissionDenied,
            CameraState::Unplugged,
        ] {
            let w = s.plain_words();
            assert!(!w.contains("os error") && !w.contains("Error"), "{w}");
            assert!(w.len() > 20);
        }
        assert!(CameraState::NoCamera.plain_words().contains("USB scanner"));
        assert!(CameraState::Unplugged
            .plain_words()
            .contains("resumes by itself"));
    }

    #[test]
    fn this_machine_has_no_camera_and_says_so() {
        // No /dev/video* here: nokhwa's query() is empty and the state is NoCamera.
        if std::path::Path::new("/dev/video0").exists() {
            return;
        }
        let mut cam = NokhwaCamera::new(0);
        cam.retry = Duration::from_millis(1);
        assert!(matches!(cam.pull(), Pull::State(CameraState::NoCamera)));
    }

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

    #[test]
    fn synthetic_camera_shows_each_payload_then_an_empty_door() {
        let cam = SyntheticCamera::new(vec![b"a".to_vec(), b"b".to_vec()], 10.0).once();
        assert_eq!(cam.shot(0).unwrap().payload.as_deref(), Some(&b"a"[..]));
        assert_eq!(cam.shot(14).unwrap().payload.as_deref(), Some(&b"a"[..]));
        assert_eq!(cam.shot(15).unwrap().payload, None);
        assert_eq!(cam.shot(25).unwrap().payload.as_deref(), Some(&b"b"[..]));
        assert!(cam.shot(50).is_none());
    }
}
