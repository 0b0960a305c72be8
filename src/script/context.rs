//! The facts the engine's functions (`done`, `score`, `days_since`, `today`, ...) read while an evaluation
//! runs, kept per thread for the evaluation in progress.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rhai::{EvalAltResult, ImmutableString, INT};

/// The facts the engine's functions read while an evaluation runs.
#[derive(Debug)]
pub(crate) struct Context {
    pub at: Option<Timestamp>,
    pub done: HashSet<String>,
    pub scores: HashMap<String, (INT, Option<String>)>,
    pub active: Vec<String>,
    /// When the deal entered the stage a criterion belongs to.
    pub stage_since: Option<Timestamp>,
    /// The playbook's time zone: where dates written as texts are read and `today()` begins.
    pub zone: jiff::tz::TimeZone,
}

impl Default for Context {
    fn default() -> Context {
        Context {
            at: None,
            done: HashSet::new(),
            scores: HashMap::new(),
            active: Vec::new(),
            stage_since: None,
            zone: jiff::tz::TimeZone::UTC,
        }
    }
}

thread_local! {
    static CONTEXT: RefCell<Context> = RefCell::new(Context::default());
}

/// Replaces the context the engine's functions read on this thread.
pub(crate) fn set_context(context: Context) {
    super::instant::set_zone(&context.zone);
    CONTEXT.with(|cell| *cell.borrow_mut() = context);
}

/// Changes the context the engine's functions read on this thread.
pub(crate) fn update_context(change: impl FnOnce(&mut Context)) {
    CONTEXT.with(|cell| change(&mut cell.borrow_mut()));
}

fn read_context<R>(read: impl FnOnce(&Context) -> R) -> R {
    CONTEXT.with(|cell| read(&cell.borrow()))
}

use super::instant::Instant;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

fn failure<T>(message: String) -> RhaiResult<T> {
    Err(message.into())
}

fn days_since(date: &str) -> RhaiResult<INT> {
    days_since_instant(Instant::read(date)?)
}

fn days_since_instant(date: Instant) -> RhaiResult<INT> {
    match read_context(|c| c.at) {
        Some(at) => Ok(crate::support::time::days_between(date.0, at)),
        None => failure("no evaluation time".into()),
    }
}

fn days_until(date: &str) -> RhaiResult<INT> {
    days_until_instant(Instant::read(date)?)
}

/// The opposite of `days_since`: 0 all through the day itself, never -1 on it.
fn days_until_instant(date: Instant) -> RhaiResult<INT> {
    days_since_instant(date).map(|days| -days)
}

/// The start of the evaluation's day in the playbook's time zone: compared with dates as the
/// instant it is.
fn today() -> RhaiResult<Instant> {
    match read_context(|c| {
        c.at.map(|at| crate::support::time::midnight_of(at, &c.zone))
    }) {
        Some(at) => Ok(Instant(at)),
        None => failure("no evaluation time".into()),
    }
}

/// A field the deal lacks reads as Rhai's `()`.
fn has(value: rhai::Dynamic) -> bool {
    !value.is_unit()
}

fn days_in_stage() -> RhaiResult<INT> {
    match read_context(|c| (c.at, c.stage_since)) {
        (Some(at), Some(since)) => Ok(crate::support::time::days_between(since, at)),
        _ => failure("the deal's history does not say when it entered this stage".into()),
    }
}

fn score(card: &str) -> RhaiResult<INT> {
    read_context(|c| c.scores.get(card).map(|(total, _)| *total)).map_or_else(
        || failure(format!("scorecard `{card}` has no score here")),
        Ok,
    )
}

fn band(card: &str) -> RhaiResult<ImmutableString> {
    read_context(|c| c.scores.get(card).map(|(_, band)| band.clone())).map_or_else(
        || failure(format!("scorecard `{card}` has no score here")),
        |band| Ok(band.unwrap_or_default().into()),
    )
}

fn done(id: &str) -> bool {
    read_context(|c| c.done.contains(id))
}

fn in_stage(id: &str) -> bool {
    read_context(|c| c.active.iter().any(|s| s == id))
}

/// `/` as rules mean it: whole numbers that divide evenly give a whole number, others a decimal
/// (`3 / 4` is 0.75, not Rhai's 0); dividing by zero is an error, for decimals too (not infinity).
fn divide(x: rhai::Dynamic, y: rhai::Dynamic) -> RhaiResult<rhai::Dynamic> {
    use rhai::{Dynamic, FLOAT};
    match (x.as_int(), y.as_int()) {
        (Ok(a), Ok(0)) => failure(format!("division by zero: {a} / 0")),
        (Ok(a), Ok(b)) => match (a.checked_rem(b), a.checked_div(b)) {
            (Some(0), Some(q)) => Ok(Dynamic::from_int(q)),
            (Some(_), Some(_)) => Ok(Dynamic::from_float(a as FLOAT / b as FLOAT)),
            _ => failure(format!("arithmetic overflow: {a} / {b}")),
        },
        _ => {
            let (a, b) = (number(&x)?, number(&y)?);
            if b == 0.0 {
                failure(format!("division by zero: {x} / {y}"))
            } else {
                Ok(Dynamic::from_float(a / b))
            }
        }
    }
}

/// `%` of decimals: a zero divisor is an error, as for whole numbers.
fn remainder(x: rhai::Dynamic, y: rhai::Dynamic) -> RhaiResult<rhai::Dynamic> {
    let (a, b) = (number(&x)?, number(&y)?);
    if b == 0.0 {
        failure(format!("division by zero: {x} % {y}"))
    } else {
        Ok(rhai::Dynamic::from_float(a % b))
    }
}

fn number(value: &rhai::Dynamic) -> RhaiResult<rhai::FLOAT> {
    value
        .as_float()
        .or_else(|_| value.as_int().map(|i| i as rhai::FLOAT))
        .or_else(|kind| failure(format!("a number was expected, not {kind}")))
}

/// Adds the engine's functions to a Rhai engine.
pub(super) fn register(engine: &mut rhai::Engine) {
    // The operators below replace Rhai's own for numbers, which needs Rhai to look them up.
    engine.set_fast_operators(false);
    use rhai::{FLOAT, INT};
    let divide_ii = |a: INT, b: INT| divide(a.into(), b.into());
    let divide_if = |a: INT, b: FLOAT| divide(a.into(), b.into());
    let divide_fi = |a: FLOAT, b: INT| divide(a.into(), b.into());
    let divide_ff = |a: FLOAT, b: FLOAT| divide(a.into(), b.into());
    engine.register_fn("/", divide_ii);
    engine.register_fn("/", divide_if);
    engine.register_fn("/", divide_fi);
    engine.register_fn("/", divide_ff);
    let remainder_if = |a: INT, b: FLOAT| remainder(a.into(), b.into());
    let remainder_fi = |a: FLOAT, b: INT| remainder(a.into(), b.into());
    let remainder_ff = |a: FLOAT, b: FLOAT| remainder(a.into(), b.into());
    engine.register_fn("%", remainder_if);
    engine.register_fn("%", remainder_fi);
    engine.register_fn("%", remainder_ff);
    engine.register_fn("done", done);
    engine.register_fn("score", score);
    engine.register_fn("band", band);
    engine.register_fn("days_since", days_since);
    engine.register_fn("days_in_stage", days_in_stage);
    engine.register_fn("in_stage", in_stage);
    engine.register_fn("days_until", days_until);
    engine.register_fn("days_since", days_since_instant);
    engine.register_fn("days_until", days_until_instant);
    super::instant::register(engine);
    engine.register_fn("today", today);
    engine.register_fn("has", has);
}
