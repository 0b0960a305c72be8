//! Dates in rules: a date field's value, `today()`, and a date written in a rule are compared as
//! the instants they mean, not as texts (`2026-11-28T08:00:00+09:00` is before
//! `2026-11-27T23:30:00Z`, and `2026-11-27T00:00:00Z` equals `2026-11-27`).

use jiff::Timestamp;
use rhai::{EvalAltResult, ImmutableString};

/// A date or date-time as Rhai holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Instant(pub Timestamp);

type Compared = Result<bool, Box<EvalAltResult>>;

impl Instant {
    /// The instant a text in a rule means (read in the playbook's time zone), or why it means
    /// none.
    pub(super) fn read(text: &str) -> Result<Instant, Box<EvalAltResult>> {
        ZONE.with(|zone| crate::support::time::read_time(text, &zone.borrow()))
            .map(Instant)
            .map_err(Into::into)
    }
}

thread_local! {
    /// The time zone of the evaluation in progress on this thread: where texts in rules are read.
    static ZONE: std::cell::RefCell<jiff::tz::TimeZone> =
        const { std::cell::RefCell::new(jiff::tz::TimeZone::UTC) };
}

/// Sets the time zone texts in rules are read in, on this thread.
pub(super) fn set_zone(zone: &jiff::tz::TimeZone) {
    ZONE.with(|current| current.borrow_mut().clone_from(zone));
}

/// Adds the date type and its comparisons (with dates, and with texts that are dates).
pub(super) fn register(engine: &mut rhai::Engine) {
    engine.register_type_with_name::<Instant>("date");
    engine.register_fn("to_string", |at: &mut Instant| {
        crate::support::time::format_time(at.0)
    });
    engine.register_fn("to_debug", |at: &mut Instant| {
        crate::support::time::format_time(at.0)
    });
    macro_rules! compare {
        ($($op:tt),*) => {$(
            engine.register_fn(stringify!($op), |a: Instant, b: Instant| a $op b);
            engine.register_fn(stringify!($op), |a: Instant, b: ImmutableString| -> Compared {
                Ok(a $op Instant::read(&b)?)
            });
            engine.register_fn(stringify!($op), |a: ImmutableString, b: Instant| -> Compared {
                Ok(Instant::read(&a)? $op b)
            });
        )*};
    }
    compare!(==, !=, <, <=, >, >=);
}
