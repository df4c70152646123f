//! **Input**: the same code read again within a short window is one scan. A camera sees a
//! ticket in many consecutive frames and a wedge scanner may fire twice; a different code
//! goes through at once.

use std::time::{Duration, Instant};

/// The window PRODUCT.md names.
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

#[cfg(test)]
mod tests {
    use super::*;

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
