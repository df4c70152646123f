//! A real camera through nokhwa (V4L2, AVFoundation or Media Foundation), opened on the
//! capture thread, with the system's open and capture errors read as [`CameraState`]s.

use super::{CameraState, FrameSource, Pull};
use crate::luma::{self, LumaFrame};
use std::time::{Duration, Instant};

/// True when the system lists at least one camera.
pub fn camera_present() -> bool {
    !nokhwa::query(nokhwa::utils::ApiBackend::Auto)
        .unwrap_or_default()
        .is_empty()
}

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
    /// The system's camera number `index` (0: the first), not opened until the first pull.
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
    fn this_machine_has_no_camera_and_says_so() {
        // No /dev/video* here: nokhwa's query() is empty and the state is NoCamera.
        if std::path::Path::new("/dev/video0").exists() {
            return;
        }
        let mut cam = NokhwaCamera::new(0);
        cam.retry = Duration::from_millis(1);
        assert!(matches!(cam.pull(), Pull::State(CameraState::NoCamera)));
    }
}
