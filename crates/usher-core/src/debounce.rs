//! **Input**: the same code read again within a short window is one scan. A camera sees a
//! ticket in many consecutive frames and a wedge scanner may fire twice; a different code
//! goes through at once. The camera's live loop uses [`Debouncer`] (a ticket held in view
//! stays one scan); the station uses [`SameScan`] for every source (a double-fired scan shows
//! the first verdict again and records nothing).

use std::time::{Duration, Instant};

/// The window the product sets (`docs/product.md`, "Input and parsing").
pub const DEFAULT_WINDOW: Duration = Duration::from_millis(2500);

/// Remembers the last payload and when it was last seen.
#[derive(Debug, Clone)]
pub struct Debouncer {
    window: Duration,
    last: Option<(Vec<u8>, Instant)>,
}

impl Default for Debouncer {
    fn default() -> Self {
        Debouncer::new(DEFAULT_WINDOW)
    }
}

impl Debouncer {
    /// A debouncer whose window is `window` (a repeat inside it is not a new scan).
    pub fn new(window: Duration) -> Debouncer {
        Debouncer { window, last: None }
    }

    /// True when `payload` read at `now` is a new scan. A repeat inside the window is not,
    /// and it extends the window, so a ticket held in front of the camera is scanned once.
    pub fn accept(&mut self, payload: &[u8], now: Instant) -> bool {
        let repeat = matches!(&self.last,
            Some((p, seen)) if p == payload && now.saturating_duration_since(*seen) < self.window);
        match &mut self.last {
            Some((p, seen)) if p == payload => *seen = now,
            _ => self.last = Some((payload.to_vec(), now)),
        }
        !repeat
    }
}

/// The door's guard against a scanner that fires twice: the same input (payload, source,
/// and whatever else the caller puts in the key) within `window` of the scan it repeats is
/// not a new scan, and the caller shows that scan's answer again. Unlike [`Debouncer`] the
/// window does not stretch: a guest scanned again 3 s later is scanned again.
#[derive(Debug, Clone)]
pub struct SameScan<K, T> {
    window: Duration,
    last: Option<(K, Instant, T)>,
}

impl<K: PartialEq, T> SameScan<K, T> {
    /// A guard whose window is `window`, with no scan remembered yet.
    pub fn new(window: Duration) -> SameScan<K, T> {
        SameScan { window, last: None }
    }

    /// The answer to repeat when `key` at `now` repeats the last scan within the window.
    pub fn repeat_of(&self, key: &K, now: Instant) -> Option<&T> {
        match &self.last {
            Some((k, at, answer))
                if k == key && now.saturating_duration_since(*at) < self.window =>
            {
                Some(answer)
            }
            _ => None,
        }
    }

    /// Remembers the answer to a scan that was recorded at `at`.
    pub fn remember(&mut self, key: K, at: Instant, answer: T) {
        self.last = Some((key, at, answer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_double_fire_is_the_same_scan_but_a_rescan_after_the_window_is_new() {
        let t0 = Instant::now();
        let mut s = SameScan::new(DEFAULT_WINDOW);
        assert!(s.repeat_of(&("a", 1), t0).is_none());
        s.remember(("a", 1), t0, "ADMIT");
        assert_eq!(
            s.repeat_of(&("a", 1), t0 + Duration::from_millis(40)),
            Some(&"ADMIT")
        );
        // The repeat did not stretch the window.
        assert_eq!(
            s.repeat_of(&("a", 1), t0 + Duration::from_millis(2400)),
            Some(&"ADMIT")
        );
        assert!(s.repeat_of(&("a", 1), t0 + DEFAULT_WINDOW).is_none());
        // Another source or another code is a new scan at once.
        assert!(s.repeat_of(&("a", 2), t0).is_none());
        assert!(s.repeat_of(&("b", 1), t0).is_none());
    }

    #[test]
    fn same_code_within_window_is_one_scan() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        assert!(d.accept(b"tkt_a", t0));
        assert!(!d.accept(b"tkt_a", t0 + Duration::from_millis(100)));
        assert!(!d.accept(b"tkt_a", t0 + Duration::from_millis(2400)));
    }

    #[test]
    fn code_held_in_view_stays_one_scan_and_returns_after_a_pause() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(Duration::from_secs(1));
        assert!(d.accept(b"x", t0));
        // Seen every 500 ms for 5 s: still the same scan.
        for i in 1..=10 {
            assert!(!d.accept(b"x", t0 + Duration::from_millis(500 * i)));
        }
        assert!(d.accept(b"x", t0 + Duration::from_millis(5000 + 1000)));
    }

    #[test]
    fn different_code_goes_through_at_once() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        assert!(d.accept(b"a", t0));
        assert!(d.accept(b"b", t0 + Duration::from_millis(1)));
        assert!(d.accept(b"a", t0 + Duration::from_millis(2)));
    }
}
