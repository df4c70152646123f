//! Where frames come from: a camera (nokhwa), a folder of images, the synthetic camera, or
//! the demo camera.
//!
//! A source runs on its own capture thread ([`Capture`]). Only the newest frame is kept: a
//! slow decoder skips the frames it had no time for and never works through a backlog.
//!
//! This file holds what every source shares: the [`FrameSource`] trait, what a pull gives
//! ([`Pull`]), the camera's state in plain words ([`CameraState`]) and the frame clock.
//! Each source has its own file: `camera` (a real camera through nokhwa), `files` (still
//! images), `synthetic` (drawn tickets), `demo` (the demo's camera), and `capture` is the
//! capture thread.

use crate::luma::LumaFrame;
use std::time::{Duration, Instant};

mod camera;
mod capture;
mod demo;
mod files;
mod synthetic;

pub use camera::{camera_present, state_for_error, NokhwaCamera};
pub use capture::{Capture, CaptureEvent};
pub use demo::{DemoCamera, HeldUp};
pub(crate) use files::is_image;
pub use files::FileSource;
pub use synthetic::SyntheticCamera;

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
    /// The next frame.
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

/// Sleeps until the next tick of a frame clock. Falls behind gracefully: a late tick is not
/// made up with a burst.
pub(super) struct FrameClock {
    period: Duration,
    next: Instant,
}

impl FrameClock {
    pub(super) fn new(fps: f32) -> FrameClock {
        FrameClock {
            period: Duration::from_secs_f32(1.0 / fps.max(0.1)),
            next: Instant::now(),
        }
    }
    pub(super) fn wait(&mut self) {
        let now = Instant::now();
        if self.next > now {
            std::thread::sleep(self.next - now);
        }
        self.next = self.next.max(now) + self.period;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
