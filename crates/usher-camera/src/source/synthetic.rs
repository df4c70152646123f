//! The synthetic camera: each given payload drawn as a ticket or a phone that comes into
//! view, wobbles, blurs and leaves, with an empty door in between. Deterministic, for
//! machines without a camera and for tests.

use super::{CameraState, FrameClock, FrameSource, Pull};
use crate::synth::{Carrier, Shot};

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

    /// At this frame size instead of 640x480.
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

    /// The picture for the next frame, moving on to the one after; `None` once a list shown
    /// [`once`](SyntheticCamera::once) is over.
    pub(super) fn next_shot(&mut self) -> Option<Shot> {
        let shot = self.shot(self.frame_no)?;
        self.frame_no += 1;
        Some(shot)
    }
}

impl FrameSource for SyntheticCamera {
    fn pull(&mut self) -> Pull {
        let Some(shot) = self.next_shot() else {
            return Pull::State(CameraState::Ended);
        };
        self.clock.wait();
        Pull::Frame(shot.render())
    }

    fn skip(&mut self) -> Option<CameraState> {
        if self.next_shot().is_none() {
            return Some(CameraState::Ended);
        }
        self.clock.wait();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
