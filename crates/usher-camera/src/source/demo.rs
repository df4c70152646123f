//! The demo's camera on a machine without one: an empty door until a ticket is held up
//! through a [`HeldUp`] handle, which then comes into view as on the synthetic camera.

use super::{FrameClock, FrameSource, Pull, SyntheticCamera};
use crate::luma::LumaFrame;
use crate::synth::Shot;
use std::sync::{Arc, Mutex};

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
    /// Queues a ticket's payload: it comes into view once the tickets before it have left.
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
    /// A 640x480 empty door at `fps`, showing the tickets held up through `queue`.
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
            if let Some(shot) = cam.next_shot() {
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
