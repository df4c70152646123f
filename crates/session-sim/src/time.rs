//! The two timestamp formats of the contract.

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};

/// ISO-8601 UTC with milliseconds, e.g. `2026-11-28T18:05:09.123Z`.
pub fn iso_ms(ms: i64) -> String {
    IsoMs(ms).to_string()
}

/// Unix milliseconds shown as ISO-8601 UTC with milliseconds, without allocating.
#[derive(Debug, Clone, Copy)]
pub struct IsoMs(pub i64);

impl std::fmt::Display for IsoMs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ts = Timestamp::from_millisecond(self.0).unwrap_or(Timestamp::UNIX_EPOCH);
        let dt = jiff::tz::Offset::UTC.to_datetime(ts);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.subsec_nanosecond() / 1_000_000
        )
    }
}

/// Naive wall-clock `YYYY-MM-DDTHH:mm:ss` in `tz`.
pub fn naive_local(ms: i64, tz: &TimeZone) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    naive(ts.to_zoned(tz.clone()).datetime())
}

/// A civil date-time as the contract's naive `YYYY-MM-DDTHH:mm:ss` (no fraction, no offset).
pub fn naive(dt: DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_has_milliseconds_and_z() {
        assert_eq!(iso_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }

    #[test]
    fn naive_local_uses_the_zone() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(naive_local(1_700_000_000_000, &tz), "2023-11-14T23:13:20");
    }
}
