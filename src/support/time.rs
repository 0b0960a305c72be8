//! Reading and writing dates and times, in a playbook's time zone, and showing them on its clocks.
//!
//! Accepted, everywhere a time is read: a date (`2026-11-27`: the start of that day in the
//! playbook's time zone); a date-time with `Z` or an offset (`2026-11-27T15:30:00Z`,
//! `2026-11-27T15:30:00+09:00`), taken as written; a date-time with no zone (`2026-11-27 15:30`,
//! `2026-11-27T15:30:00`), read in the playbook's time zone to the second (and beyond, when
//! written). A zone-less date-time that a clock change makes ambiguous or skips is refused: it
//! names two instants or none. Nothing is ever cut.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

/// The forms [`read_time`] accepts, as messages name them.
const FORMS: &str = "a date (2026-11-27), a date-time in the playbook's time zone \
    (2026-11-27 15:30) or one with its offset (2026-11-27T15:30:00+09:00, 2026-11-27T06:30:00Z)";

/// Reads a date or date-time as UTC would: [`read_time`] in UTC.
///
/// # Errors
///
/// Returns a message naming the forms accepted when `text` is none of them.
///
/// # Example
///
/// ```
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// assert_eq!(at.to_string(), "2026-11-27T00:00:00Z");
/// let at = stagegate::parse_time("2026-11-27 15:30").unwrap();
/// assert_eq!(at.to_string(), "2026-11-27T15:30:00Z");
/// ```
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    read_time(text, &TimeZone::UTC)
}

/// Reads a date or date-time, taking one written without a zone in `zone`.
pub(crate) fn read_time(text: &str, zone: &TimeZone) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Some(read) = canonical(text, zone) {
        return Ok(read);
    }
    // Only a text with a time part may carry a zone; jiff's parser builds a costly error for a
    // text it refuses, so the forms are told apart first.
    let time = text.find(['T', 't', ' ']).map(|at| &text[at + 1..]);
    let zoned =
        time.is_some_and(|time| time.ends_with(['Z', 'z', ']']) || time.contains(['+', '-']));
    if zoned || (time.is_none() && text.contains(':')) {
        if let Ok(stamp) = text.parse::<Timestamp>() {
            return Ok(stamp);
        }
    }
    // A date-time naming its zone in brackets but no offset: `2026-11-27T15:30[Asia/Seoul]`.
    if text.ends_with(']') {
        if let Ok(zoned) = text.parse::<ZonedDateTime>() {
            return Ok(zoned.timestamp());
        }
    }
    // The last hours of year 9999 (CRMs write 9999-12-31 for "no end") lie past the latest
    // instant the engine can count with: they read as that instant.
    if text.starts_with("9999-12-3") && text.get(..10).is_some_and(|d| d.parse::<Date>().is_ok()) {
        return Ok(Timestamp::MAX);
    }
    let not_a_time = || {
        let text = crate::support::text::shorten(text);
        format!("`{text}` is not a date or time: write {FORMS}")
    };
    // jiff reads a date out of a date-time, dropping the time: only a text with no time part
    // is a date.
    if !text.contains(['T', 't', ' ', ':']) {
        let date = text.parse::<Date>().map_err(|_| not_a_time())?;
        // The day's first instant: midnight, or the end of a clock change that skips it.
        return zone
            .to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .map_err(|_| not_a_time());
    }
    let civil = text.parse::<DateTime>().map_err(|_| not_a_time())?;
    let ambiguous = zone.to_ambiguous_timestamp(civil);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => ambiguous.unambiguous().map_err(|_| not_a_time()),
        AmbiguousOffset::Gap { before, after } => Err(format!(
            "`{text}` does not exist in {}: the clocks jumped from {before} to {after}; \
             write the offset meant ({text}{after})",
            zone_name(zone)
        )),
        AmbiguousOffset::Fold { before, after } => Err(format!(
            "`{text}` happened twice in {}: the clocks went back from {before} to {after}; \
             write the offset meant ({text}{before} or {text}{after})",
            zone_name(zone)
        )),
    }
}

/// The two forms most times are written in, read without the general parser (which the
/// property test below holds to the same instants): `2026-11-27T15:30:00Z`, as the engine writes
/// times, and `2026-11-27`. `None` for any other text, or a day or time that does not exist.
fn canonical(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i16> {
        b.get(range)?.iter().try_fold(0i16, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i16::from(d - b'0'))
        })
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = Date::new(
        number(0..4)?,
        i8::try_from(number(5..7)?).ok()?,
        i8::try_from(number(8..10)?).ok()?,
    )
    .ok()?;
    match b.len() {
        10 => zone
            .to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .ok(),
        20 if b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z' => {
            let part = |range| number(range).and_then(|n| i8::try_from(n).ok());
            let time =
                jiff::civil::Time::new(part(11..13)?, part(14..16)?, part(17..19)?, 0).ok()?;
            TimeZone::UTC.to_timestamp(date.to_datetime(time)).ok()
        }
        _ => None,
    }
}

/// A time zone's IANA name, as messages and outputs name it.
pub(crate) fn zone_name(zone: &TimeZone) -> &str {
    zone.iana_name().unwrap_or("UTC")
}

/// The time zone a playbook names (an IANA name such as `Asia/Seoul`), from the time zone
/// database shipped with the engine, so results do not depend on the machine.
///
/// # Errors
///
/// A message with the likely intended name when the database has no such zone.
pub(crate) fn zone(name: &str) -> Result<TimeZone, String> {
    if name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    jiff::tz::db().get(name).map_err(|_| {
        let names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_owned())
            .collect();
        let help = crate::support::suggest::did_you_mean(name, names.iter().map(String::as_str));
        match help {
            Some(help) => format!("`{name}` is not a time zone; {help}"),
            None => format!(
                "`{name}` is not a time zone: write an IANA name such as `UTC`, \
                 `Asia/Seoul` or `America/New_York`"
            ),
        }
    })
}

/// Whole days from `from` to `to` (negative when `from` is later), rounded down. A day is 24
/// hours, whatever a time zone's clocks do.
pub(crate) fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    let seconds = to.as_second() - from.as_second();
    seconds.div_euclid(86_400)
}

/// The start of the day a time falls on in `zone`: what `today()` gives rules.
pub(crate) fn midnight_of(at: Timestamp, zone: &TimeZone) -> Timestamp {
    let day = zone.to_datetime(at).date();
    zone.to_ambiguous_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .unwrap_or(at)
}

/// Days `due` lies before `at`, a part day counting as one; `None` when it is not past.
pub(crate) fn days_late(due: Timestamp, at: Timestamp) -> Option<i64> {
    let late = at.as_second() - due.as_second();
    (late > 0).then(|| (late + 86_399) / 86_400)
}

/// `days` calendar days after `at` in `zone`: the same wall-clock time that many days later
/// (23 or 25 hours for a day a clock change shortens or lengthens); `None` beyond the year 9999.
pub(crate) fn days_after(at: Timestamp, days: u32, zone: &TimeZone) -> Option<Timestamp> {
    let local = zone.to_datetime(at);
    let span = jiff::Span::new().try_days(i64::from(days)).ok()?;
    let day = local.date().checked_add(span).ok()?;
    // A wall-clock time the clocks skip that day is read as the compatible one (an hour on).
    zone.to_ambiguous_timestamp(day.to_datetime(local.time()))
        .compatible()
        .ok()
}

/// A timestamp as the engine writes it: RFC 3339 in UTC, with seconds (and their fraction only
/// when it has one).
pub(crate) fn format_time(at: Timestamp) -> String {
    at.to_string()
}

/// A time as people read it on the clocks of `zone`, the offset shown: `2026-11-27 09:00 +09:00`
/// (seconds, and their fraction, only when it has some). In UTC, as the engine writes it
/// ([`format_time`]).
pub(crate) fn show_time(at: Timestamp, zone: &TimeZone) -> String {
    if zone_name(zone) == "UTC" {
        return format_time(at);
    }
    let local = at.to_zoned_datetime(zone.clone());
    let clock = if local.subsec_nanosecond() != 0 {
        "%H:%M:%S%.f"
    } else if local.second() != 0 {
        "%H:%M:%S"
    } else {
        "%H:%M"
    };
    local.strftime(&format!("%Y-%m-%d {clock} %:z")).to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn days_after_keeps_the_wall_clock_across_a_clock_change() {
        let berlin = zone("Europe/Berlin").unwrap();
        // 2026-03-28 09:00 in Berlin (UTC+1); the clocks go forward on the 29th.
        let at = read_time("2026-03-28 09:00", &berlin).unwrap();
        let due = days_after(at, 2, &berlin).unwrap();
        assert_eq!(format_time(due), "2026-03-30T07:00:00Z", "09:00 at UTC+2");
        assert_eq!(days_after(at, u32::MAX, &berlin), None);
    }

    fn seoul() -> TimeZone {
        zone("Asia/Seoul").unwrap()
    }

    #[test]
    fn every_form_is_read_to_the_second_in_the_zone() {
        let cases = [
            ("2026-11-27", "2026-11-26T15:00:00Z"),
            ("2026-11-27 15:30", "2026-11-27T06:30:00Z"),
            ("2026-11-27T15:30:00", "2026-11-27T06:30:00Z"),
            ("2026-11-27T10", "2026-11-27T01:00:00Z"),
            ("2026-11-27T15:30:07.250", "2026-11-27T06:30:07.25Z"),
            ("2026-11-27T15:30:00Z", "2026-11-27T15:30:00Z"),
            ("2026-11-27T15:30:00+01:00", "2026-11-27T14:30:00Z"),
            ("2026-11-27T15:30[America/New_York]", "2026-11-27T20:30:00Z"),
        ];
        for (text, instant) in cases {
            assert_eq!(
                read_time(text, &seoul()).unwrap().to_string(),
                instant,
                "{text}"
            );
        }
    }

    #[test]
    fn anything_else_names_the_forms() {
        for text in [
            "27/11/2026",
            "2026-11-27 15h30",
            "tomorrow",
            "2026-13-01",
            "",
        ] {
            let message = read_time(text, &TimeZone::UTC).unwrap_err();
            assert!(
                message.contains("2026-11-27T15:30:00+09:00"),
                "{text}: {message}"
            );
        }
    }

    #[test]
    fn clock_changes_refuse_zone_less_times_they_make_ambiguous() {
        let new_york = zone("America/New_York").unwrap();
        let gap = read_time("2026-03-08T02:30:00", &new_york).unwrap_err();
        assert!(gap.contains("does not exist in America/New_York"), "{gap}");
        assert!(gap.contains("2026-03-08T02:30:00-04"), "{gap}");
        let fold = read_time("2026-11-01 01:30", &new_york).unwrap_err();
        assert!(fold.contains("happened twice"), "{fold}");
        // A date whose midnight is skipped starts when the clocks resume.
        let santiago = zone("America/Santiago").unwrap();
        let day = read_time("2026-09-06", &santiago).unwrap();
        assert_eq!(santiago.to_datetime(day).to_string(), "2026-09-06T01:00:00");
    }

    proptest::proptest! {
        /// The quick reading of the two usual forms gives jiff's instants, in any zone.
        #[test]
        fn canonical_forms_read_as_the_general_parser_reads_them(
            second in -62_135_596_800_i64..253_402_214_400,
            zone in proptest::sample::select(vec!["UTC", "Asia/Seoul", "America/Santiago", "Pacific/Chatham"]),
            mangle in 0usize..24,
        ) {
            let zone = super::zone(zone).unwrap();
            let at = Timestamp::from_second(second).unwrap();
            let mut written = at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let day = zone.to_datetime(at).date().to_string();
            for text in [written.clone(), day] {
                let general = text.parse::<Timestamp>().ok().or_else(|| {
                    text.parse::<Date>().ok().and_then(|d| zone.to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight())).compatible().ok())
                });
                proptest::prop_assert_eq!(canonical(&text, &zone), general, "{}", text);
            }
            // A changed character is read as the general parser reads it, or left to it.
            if mangle < written.len() {
                written.replace_range(mangle..=mangle, "9");
                if let Some(quick) = canonical(&written, &zone) {
                    proptest::prop_assert_eq!(Some(quick), written.parse::<Timestamp>().ok(), "{}", written);
                }
            }
        }
    }

    #[test]
    fn times_are_shown_on_the_zones_clocks_with_the_offset() {
        let at = |text| read_time(text, &TimeZone::UTC).unwrap();
        let shown = |text, zone| show_time(at(text), &super::zone(zone).unwrap());
        assert_eq!(
            shown("2026-11-27T00:00:00Z", "Asia/Seoul"),
            "2026-11-27 09:00 +09:00"
        );
        assert_eq!(
            shown("2026-11-27T06:30:15Z", "America/New_York"),
            "2026-11-27 01:30:15 -05:00"
        );
        assert_eq!(
            shown("2026-07-01T06:30:15.5Z", "Europe/Berlin"),
            "2026-07-01 08:30:15.5 +02:00"
        );
        assert_eq!(shown("2026-11-27T00:00:00Z", "UTC"), "2026-11-27T00:00:00Z");
    }

    #[test]
    fn unknown_zones_get_the_likely_name() {
        assert!(zone("Asia/Seol").unwrap_err().contains("Asia/Seoul"));
        assert!(zone("Mars/Olympus").unwrap_err().contains("IANA"));
        assert_eq!(zone_name(&zone("Europe/Paris").unwrap()), "Europe/Paris");
    }

    #[test]
    fn today_starts_at_midnight_in_the_zone() {
        let at = read_time("2026-11-27T16:00:00Z", &TimeZone::UTC).unwrap();
        assert_eq!(
            midnight_of(at, &seoul()).to_string(),
            "2026-11-27T15:00:00Z"
        );
        assert_eq!(
            midnight_of(at, &TimeZone::UTC).to_string(),
            "2026-11-27T00:00:00Z"
        );
    }
}
