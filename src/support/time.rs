//! Reading dates and times as playbooks and deals write them.

use jiff::civil::Date;
use jiff::{tz::TimeZone, Timestamp};

/// Reads an RFC 3339 date-time (`2026-11-02T10:00:00Z`) or an ISO 8601 date (`2026-11-02`,
/// taken as midnight UTC).
///
/// # Errors
///
/// Returns a message saying what was expected when `text` is neither.
///
/// # Example
///
/// ```
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// assert_eq!(at.to_string(), "2026-11-27T00:00:00Z");
/// ```
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(stamp) = text.parse::<Timestamp>() {
        return Ok(stamp);
    }
    // The last hours of year 9999 (CRMs write 9999-12-31 for "no end") lie past the latest
    // instant the engine can count with: they read as that instant.
    if text.starts_with("9999-12-3") && text.get(..10).is_some_and(|d| d.parse::<Date>().is_ok()) {
        return Ok(Timestamp::MAX);
    }
    text.parse::<Date>()
        .ok()
        .and_then(|date| date.to_zoned_datetime(TimeZone::UTC).ok())
        .map(|zoned| zoned.timestamp())
        .ok_or_else(|| {
            format!("`{text}` is not a date (2026-11-02) or a date-time (2026-11-02T10:00:00Z)")
        })
}

/// Whole days from `from` to `to` (negative when `from` is later), rounded down.
pub(crate) fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    let seconds = to.as_second() - from.as_second();
    seconds.div_euclid(86_400)
}

/// Midnight (UTC) of the day a time falls on: what `today()` gives rules.
pub(crate) fn midnight_of(at: Timestamp) -> Timestamp {
    TimeZone::UTC
        .to_datetime(at)
        .date()
        .to_zoned_datetime(TimeZone::UTC)
        .map_or(at, |zoned| zoned.timestamp())
}

/// A timestamp as the engine writes it: RFC 3339 in UTC.
pub(crate) fn format_time(at: Timestamp) -> String {
    at.to_string()
}
