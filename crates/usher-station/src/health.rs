//! Door health: how fast the door decides, how fast the camera runs, and the pace of scans.

use serde::Serialize;
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use usher_core::activity::PaceMinute;

/// Decision times kept for the percentiles.
const KEEP: usize = 500;

/// The door-health screen.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// Mean over the last five minutes.
    pub scans_per_minute: f64,
    /// The last 30 minutes, oldest first.
    pub pace: Vec<PaceMinute>,
    /// Scan to recorded verdict, over the last 500 scans.
    pub decision_ms: DecisionMs,
    /// Scans waiting to upload to this door's tenant and API.
    pub pending_upload: u64,
    /// How long the oldest of them has waited, in seconds; None: none waits.
    pub oldest_pending_age_seconds: Option<i64>,
    /// The guest list's age, in seconds; None: the event is not cached.
    pub cache_age_seconds: Option<i64>,
    /// Camera frames per second, over the last two seconds.
    pub camera_fps: f64,
    /// Session Services answered the heartbeat's last check.
    pub online: bool,
    /// Why the guest search index could not be built on the side (searches build it
    /// themselves meanwhile).
    pub search_index_error: Option<String>,
    /// Whether the guest list is encrypted at rest, in words.
    pub encryption: usher_sync::token::EncryptionWords,
    /// Days after an event's entry ends before its data is forgotten.
    pub retention_days: u32,
    /// Kiosk mode: whether the screen is kept awake, in words (`None`: kiosk mode is off).
    pub screen_awake: Option<String>,
    /// The doors of this door's group and how each link stands.
    pub door_group: crate::station::DoorGroupHealth,
}

/// Scan to recorded verdict (online confirm included), in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct DecisionMs {
    /// The last scan's; None before the first.
    pub last: Option<f64>,
    /// The median of the scans kept.
    pub p50: Option<f64>,
    /// The 95th percentile of the scans kept.
    pub p95: Option<f64>,
}

/// The last decision times.
#[derive(Default)]
pub(crate) struct Timings(VecDeque<Duration>);

impl Timings {
    pub fn push(&mut self, d: Duration) {
        if self.0.len() == KEEP {
            self.0.pop_front();
        }
        self.0.push_back(d);
    }

    pub fn summary(&self) -> DecisionMs {
        let mut ms: Vec<f64> = self.0.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let at =
            |q: f64| (!ms.is_empty()).then(|| ms[((ms.len() - 1) as f64 * q).round() as usize]);
        DecisionMs {
            last: self.0.back().map(|d| d.as_secs_f64() * 1e3),
            p50: at(0.5),
            p95: at(0.95),
        }
    }
}

/// Frames per second over a sliding two-second window.
pub(crate) struct FrameRate {
    frames: VecDeque<Instant>,
}

impl Default for FrameRate {
    fn default() -> Self {
        FrameRate {
            frames: VecDeque::with_capacity(128),
        }
    }
}

impl FrameRate {
    const WINDOW: Duration = Duration::from_secs(2);

    pub fn tick(&mut self, now: Instant) {
        self.frames.push_back(now);
        self.trim(now);
    }

    pub fn fps(&mut self, now: Instant) -> f64 {
        self.trim(now);
        self.frames.len() as f64 / Self::WINDOW.as_secs_f64()
    }

    fn trim(&mut self, now: Instant) {
        while self
            .frames
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) > Self::WINDOW)
        {
            self.frames.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_percentiles_come_from_the_recorded_times() {
        let mut t = Timings::default();
        for ms in 1..=100 {
            t.push(Duration::from_millis(ms));
        }
        let s = t.summary();
        assert_eq!(s.last, Some(100.0));
        assert_eq!(s.p50.map(f64::round), Some(51.0));
        assert_eq!(s.p95.map(f64::round), Some(95.0));
        assert!(Timings::default().summary().p50.is_none());
    }

    #[test]
    fn frame_rate_counts_only_the_last_two_seconds() {
        let mut r = FrameRate::default();
        let t0 = Instant::now();
        for i in 0..90 {
            r.tick(t0 + Duration::from_millis(i * 33));
        }
        // 90 frames over ~3 s: the last 2 s hold about 60.
        let fps = r.fps(t0 + Duration::from_millis(89 * 33));
        assert!((29.0..=31.0).contains(&fps), "{fps}");
        assert_eq!(r.fps(t0 + Duration::from_secs(10)), 0.0);
    }
}
