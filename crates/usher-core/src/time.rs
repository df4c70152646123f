//! Time: UTC instants for door times, naive wall-clock entry windows in the event's IANA
//! time zone, and how both are shown.
//!
//! Naive times are resolved with jiff's "compatible" rule, the one calendars use: a time
//! that falls in a spring-forward gap moves forward by the gap's length (02:30 → 03:30), and
//! a time that occurs twice in an autumn fold means the first (earlier) occurrence.

use crate::verdict::EntryWindow;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Where now falls in an entry window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    /// Entry is allowed now.
    Open,
    /// Entry opens at this instant.
    Opens(Timestamp),
    /// Entry closed at this instant.
    Closed(Timestamp),
}

/// The instant a naive wall-clock time means in `tz`.
pub fn instant(dt: DateTime, tz: &TimeZone) -> Timestamp {
    match tz.to_ambiguous_zoned(dt).compatible() {
        Ok(z) => z.timestamp(),
        // Only out-of-range civil times fail; treat them as UTC rather than refuse entry.
        Err(_) => dt
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH),
    }
}

/// The window's state at `now`: entry is allowed from `starts` (inclusive) to `ends`
/// (exclusive).
pub fn window_state(w: EntryWindow, tz: &TimeZone, now: Timestamp) -> WindowState {
    if let Some(start) = w.starts.map(|s| instant(s, tz)) {
        if now < start {
            return WindowState::Opens(start);
        }
    }
    if let Some(end) = w.ends.map(|e| instant(e, tz)) {
        if now >= end {
            return WindowState::Closed(end);
        }
    }
    WindowState::Open
}

/// Parses the API's naive `YYYY-MM-DDTHH:mm:ss` (fractions tolerated).
pub fn parse_naive(s: &str) -> Result<DateTime, String> {
    s.parse::<DateTime>()
        .map_err(|e| format!("{s:?} is not a wall-clock time like 2026-11-28T19:00:00 ({e})"))
}

/// An instant as the event's local time, e.g. `Sat 28 Nov 19:00 Europe/London`.
pub fn local(t: Timestamp, tz: &TimeZone) -> String {
    let z = t.to_zoned(tz.clone());
    let name = tz.iana_name().unwrap_or("UTC");
    format!("{} {name}", z.strftime("%a %-d %b %H:%M"))
}

/// ISO-8601 UTC with milliseconds, as the API writes timestamps.
pub fn iso(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Serializes a timestamp as [`iso`] text (for `#[serde(serialize_with)]`).
pub fn ser_ts<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*t))
}

/// Serializes an optional timestamp as [`iso`] text, or null.
pub fn ser_opt_ts<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&iso(*t)),
        None => s.serialize_none(),
    }
}

/// "45 s", "12 min", "3 h 05 min", "2 days".
pub fn human_age(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
        s => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn naive_time_reads_in_the_event_zone() {
        let tz = TimeZone::get("Europe/London").unwrap();
        // BST (UTC+1) in summer, GMT in winter.
        assert_eq!(
            instant(parse_naive("2026-07-01T19:00:00").unwrap(), &tz),
            ts("2026-07-01T18:00:00Z")
        );
        assert_eq!(
            instant(parse_naive("2026-12-01T19:00:00").unwrap(), &tz),
            ts("2026-12-01T19:00:00Z")
        );
    }

    #[test]
    fn time_in_spring_forward_gap_moves_forward() {
        let tz = TimeZone::get("America/New_York").unwrap();
        // 2026-03-08 02:30 does not exist in New York; compatible → 03:30 EDT = 07:30Z.
        assert_eq!(
            instant(parse_naive("2026-03-08T02:30:00").unwrap(), &tz),
            ts("2026-03-08T07:30:00Z")
        );
    }

    #[test]
    fn time_in_autumn_fold_means_first_occurrence() {
        let tz = TimeZone::get("America/New_York").unwrap();
        // 2026-11-01 01:30 happens twice; the first is EDT (UTC-4) = 05:30Z.
        assert_eq!(
            instant(parse_naive("2026-11-01T01:30:00").unwrap(), &tz),
            ts("2026-11-01T05:30:00Z")
        );
    }

    #[test]
    fn malformed_wall_clock_time_is_an_error() {
        assert!(parse_naive("tomorrow at 7").is_err());
        assert!(parse_naive("2026-13-01T00:00:00").is_err());
    }

    #[test]
    fn human_age_reads_naturally() {
        assert_eq!(human_age(5), "5 s");
        assert_eq!(human_age(600), "10 min");
        assert_eq!(human_age(3 * 3600 + 300), "3 h 05 min");
        assert_eq!(human_age(3 * 86_400), "3 days");
    }
}
