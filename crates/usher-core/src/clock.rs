//! **Clock sense**: how far this laptop's clock is from Session Services'. The sync engine
//! compares every answer's `Date` header with the local clock and keeps the difference in
//! `sync_state` (`crate::sync_state::clock_measured`); the door reads it here.
//!
//! A skew above [`SHOWN_OVER_MS`] is shown ("this laptop's clock is 7 min fast"), and while
//! it was measured recently the door decides and records by the server's clock: a laptop that
//! booted with a wrong date does not show TOO EARLY for everyone. A measurement older than
//! [`TRUSTED_FOR_MS`] (by the local clock, or from its future: the clock jumped since) is
//! only shown, not applied, so a clock fixed meanwhile is never corrected twice.

use crate::error::Result;
use crate::i18n::Said;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

/// Below this the laptop's clock is fine: two minutes, as a door's verdict windows go.
pub const SHOWN_OVER_MS: i64 = 2 * 60_000;
/// How long a measurement is applied to door times without a new one.
pub const TRUSTED_FOR_MS: i64 = 15 * 60_000;

/// The last measurement: server clock minus this laptop's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skew {
    /// Server clock minus this laptop's, in milliseconds (below zero: the laptop is ahead).
    pub skew_ms: i64,
    /// When it was measured, in Unix milliseconds by this laptop's clock.
    pub checked_ms: i64,
}

impl Skew {
    /// The last measurement, if any.
    pub fn read(conn: &Connection) -> Result<Option<Skew>> {
        let state = crate::sync_state::read(conn)?;
        Ok(state
            .clock_skew_ms
            .zip(state.clock_checked_ms)
            .map(|(skew_ms, checked_ms)| Skew {
                skew_ms,
                checked_ms,
            }))
    }

    /// Over the limit: worth showing and recording.
    pub fn is_off(&self) -> bool {
        self.skew_ms.abs() > SHOWN_OVER_MS
    }

    /// The correction to apply to a local time `now`: the skew, when it is off and was
    /// measured recently by the local clock.
    pub fn correction(&self, now: Timestamp) -> Option<i64> {
        let since = now.as_millisecond() - self.checked_ms;
        (self.is_off() && (0..=TRUSTED_FOR_MS).contains(&since)).then_some(self.skew_ms)
    }

    /// "This laptop's clock is 7 min fast: …" (`clock-off`), to the nearest minute, hour or
    /// day.
    pub fn said(&self) -> Said {
        let secs = self.skew_ms.unsigned_abs() / 1000;
        let nearest = |unit: u64| (secs + unit / 2) / unit;
        let (amount, unit) = if secs >= 2 * 86_400 {
            (nearest(86_400), "days")
        } else if secs >= 2 * 3_600 {
            (nearest(3_600), "hours")
        } else {
            (nearest(60), "minutes")
        };
        // Server minus laptop below zero: the laptop is ahead.
        let way = if self.skew_ms < 0 { "fast" } else { "slow" };
        Said::new("clock-off")
            .with("amount", amount)
            .with("unit", unit)
            .with("way", way)
    }
}

/// A local time moved by `correction` milliseconds, saturating at the ends of time.
pub fn corrected(now: Timestamp, correction: Option<i64>) -> Timestamp {
    match correction {
        Some(ms) => now
            .checked_add(SignedDuration::from_millis(ms))
            .unwrap_or(if ms < 0 {
                Timestamp::MIN
            } else {
                Timestamp::MAX
            }),
        None => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).unwrap()
    }

    #[test]
    fn a_small_skew_is_neither_shown_nor_applied() {
        let s = Skew {
            skew_ms: 90_000,
            checked_ms: 1_000_000,
        };
        assert!(!s.is_off());
        assert_eq!(s.correction(at(1_000_000)), None);
    }

    #[test]
    fn a_recent_large_skew_is_applied_and_says_which_way() {
        let s = Skew {
            skew_ms: -7 * 60_000,
            checked_ms: 1_000_000,
        };
        assert_eq!(s.correction(at(1_000_000 + 60_000)), Some(-7 * 60_000));
        assert_eq!(
            s.said().to_string(),
            "This laptop's clock is 7 min fast: set it right in the system settings."
        );
        let german = crate::look::Words::of(crate::i18n::Language::German).say(&s.said());
        assert_eq!(
            german,
            "Die Uhr dieses Laptops geht 7 min vor: in den Systemeinstellungen richtig stellen."
        );
        let behind = Skew {
            skew_ms: 3 * 86_400_000,
            checked_ms: 0,
        };
        assert!(behind.said().to_string().contains("3 days slow"));
        let almost_an_hour = Skew {
            skew_ms: 3_599_400,
            checked_ms: 0,
        };
        assert!(almost_an_hour.said().to_string().contains("60 min slow"));
    }

    #[test]
    fn an_old_measurement_or_one_from_the_future_is_shown_but_not_applied() {
        let s = Skew {
            skew_ms: 86_400_000,
            checked_ms: 1_000_000,
        };
        assert_eq!(s.correction(at(1_000_000 + TRUSTED_FOR_MS + 1)), None);
        // The clock was set back since the measurement.
        assert_eq!(s.correction(at(1_000_000 - 1)), None);
        assert!(s.is_off());
    }
}
