//! The facts the engine's functions (`done`, `score`, `days_since`, `today`, ...) read while an evaluation
//! runs, kept per thread for the evaluation in progress.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rhai::{EvalAltResult, ImmutableString, INT};

/// The facts the engine's functions read while an evaluation runs.
#[derive(Debug, Default)]
pub(crate) struct Context {
    pub at: Option<Timestamp>,
    pub done: HashSet<String>,
    pub scores: HashMap<String, (INT, Option<String>)>,
    pub active: Vec<String>,
    /// When the deal entered the stage a criterion belongs to.
    pub stage_since: Option<Timestamp>,
}

thread_local! {
    static CONTEXT: RefCell<Context> = RefCell::new(Context::default());
}

/// Replaces the context the engine's functions read on this thread.
pub(crate) fn set_context(context: Context) {
    CONTEXT.with(|cell| *cell.borrow_mut() = context);
}

/// Changes the context the engine's functions read on this thread.
pub(crate) fn update_context(change: impl FnOnce(&mut Context)) {
    CONTEXT.with(|cell| change(&mut cell.borrow_mut()));
}

fn read_context<R>(read: impl FnOnce(&Context) -> R) -> R {
    CONTEXT.with(|cell| read(&cell.borrow()))
}

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

fn failure<T>(message: String) -> RhaiResult<T> {
    Err(message.into())
}

fn days_since(date: &str) -> RhaiResult<INT> {
    let date = crate::support::time::parse_time(date).or_else(failure)?;
    match read_context(|c| c.at) {
        Some(at) => Ok(crate::support::time::days_between(date, at)),
        None => failure("no evaluation time".into()),
    }
}

fn days_until(date: &str) -> RhaiResult<INT> {
    let date = crate::support::time::parse_time(date).or_else(failure)?;
    match read_context(|c| c.at) {
        Some(at) => Ok(crate::support::time::days_between(at, date)),
        None => failure("no evaluation time".into()),
    }
}

fn today() -> RhaiResult<ImmutableString> {
    match read_context(|c| c.at) {
        Some(at) => Ok(crate::support::time::date_of(at).into()),
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

/// Adds the engine's functions to a Rhai engine.
pub(super) fn register(engine: &mut rhai::Engine) {
    engine.register_fn("done", done);
    engine.register_fn("score", score);
    engine.register_fn("band", band);
    engine.register_fn("days_since", days_since);
    engine.register_fn("days_in_stage", days_in_stage);
    engine.register_fn("in_stage", in_stage);
    engine.register_fn("days_until", days_until);
    engine.register_fn("today", today);
    engine.register_fn("has", has);
}
