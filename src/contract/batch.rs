//! Batches: many deals evaluated or scored in one call, on every core, answers in the deals'
//! order, each deal's answer its result or its own error object (one bad deal does not sink the
//! batch).

use std::thread;

use crate::deal::DealError;
use crate::engine::Options;

use super::errors::{deal_error, internal_error, request_error};
use super::{json, read_deal, score_json, Contract};

/// What a batch answers: one JSON text per deal, its result (`Ok`) or its error object (`Err`).
pub type Answers = Vec<Result<String, String>>;

impl Contract {
    /// [`Contract::evaluate`] for each of `deals` (JSON texts), on `threads` threads (every core
    /// without a number); the `n`th deal is named `#n` in errors when it has no id.
    ///
    /// # Errors
    ///
    /// A `request` error for an unreadable time or actor, which no deal could be evaluated at.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::contract::Contract;
    /// let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
    /// let contract = Contract::load(&yaml, "b2b-sales.yaml", Some("en")).unwrap();
    /// let deals = [r#"{"id": "D-1", "stage": "qualification"}"#, r#"{"id": "D-2", "fields": {"budjet": 1}}"#];
    /// let answers = contract.evaluate_many(&deals, "2026-11-27", None, None).unwrap();
    /// assert!(answers[0].as_ref().unwrap().contains(r#""deal":"D-1""#));
    /// assert!(answers[1].as_ref().unwrap_err().contains(r#""error":"deal""#));
    /// ```
    pub fn evaluate_many<S: AsRef<str> + Sync>(
        &self,
        deals: &[S],
        at: &str,
        actor: Option<&str>,
        threads: Option<usize>,
    ) -> Result<Answers, String> {
        self.evaluate_part(deals, 0, at, actor, threads)
    }

    /// [`Contract::evaluate_many`] for a part of a larger batch whose first deal is at index
    /// `first` (0-based) of the whole: a deal without an id is named by its position in the
    /// whole (`#4097`), so parts answered apart (one per worker) name deals as one batch would.
    ///
    /// # Errors
    ///
    /// As [`Contract::evaluate_many`].
    pub fn evaluate_part<S: AsRef<str> + Sync>(
        &self,
        deals: &[S],
        first: usize,
        at: &str,
        actor: Option<&str>,
        threads: Option<usize>,
    ) -> Result<Answers, String> {
        let at = self.time(at)?;
        let actor = actor.map(|a| self.actor(a)).transpose()?;
        let options = Options::new().as_actor(actor.as_ref());
        let engine = &self.engine;
        Ok(spread(deals, first, threads, |position, text| {
            let deal = read_deal(text, position, true)?;
            engine
                .evaluate(&deal, at, &options)
                .map(|evaluation| json(&evaluation))
                .map_err(|e| deal_error(&named(e, position)))
        }))
    }

    /// [`Contract::score`] for each of `deals` (JSON texts), on `threads` threads (every core
    /// without a number).
    ///
    /// # Errors
    ///
    /// A `request` error for an unreadable time.
    pub fn score_many<S: AsRef<str> + Sync>(
        &self,
        deals: &[S],
        at: &str,
        threads: Option<usize>,
    ) -> Result<Answers, String> {
        self.score_part(deals, 0, at, threads)
    }

    /// [`Contract::score_many`] for a part of a larger batch whose first deal is at index
    /// `first` (0-based) of the whole, as [`Contract::evaluate_part`].
    ///
    /// # Errors
    ///
    /// As [`Contract::score_many`].
    pub fn score_part<S: AsRef<str> + Sync>(
        &self,
        deals: &[S],
        first: usize,
        at: &str,
        threads: Option<usize>,
    ) -> Result<Answers, String> {
        let at = self.time(at)?;
        let engine = &self.engine;
        Ok(spread(deals, first, threads, |position, text| {
            score_json(engine, text, at)
                .map(|scores| scores.to_json())
                .map_err(|e| deal_error(&named(e, position)))
        }))
    }

    /// [`Contract::evaluate_many`] taking a JSON array of deals and answering one JSON array, each
    /// element a deal's evaluation or its error object.
    ///
    /// # Errors
    ///
    /// A `request` error for a request that is not an array, or an unreadable time or actor.
    pub fn evaluate_batch(
        &self,
        deals: &str,
        at: &str,
        actor: Option<&str>,
        threads: Option<usize>,
    ) -> Result<String, String> {
        let deals = split_array(deals)?;
        self.evaluate_many(&texts(&deals), at, actor, threads)
            .map(|answers| join(&answers))
    }

    /// [`Contract::score_many`] taking a JSON array of deals and answering one JSON array, each
    /// element a deal's scores or its error object.
    ///
    /// # Errors
    ///
    /// A `request` error for a request that is not an array, or an unreadable time.
    pub fn score_batch(
        &self,
        deals: &str,
        at: &str,
        threads: Option<usize>,
    ) -> Result<String, String> {
        let deals = split_array(deals)?;
        self.score_many(&texts(&deals), at, threads)
            .map(|answers| join(&answers))
    }
}

/// A deal without an id named by its position in the batch (`#3`), as the command line names
/// one by its position in a file.
fn named(mut error: DealError, position: usize) -> DealError {
    if error.deal == "(no id)" {
        error.deal = format!("#{position}");
    }
    error
}

/// A batch's answers as one JSON array: each deal's result or error object, in order.
pub fn join(answers: &Answers) -> String {
    let mut array =
        String::with_capacity(answers.iter().map(|a| text(a).len() + 1).sum::<usize>() + 2);
    array.push('[');
    for (i, answer) in answers.iter().enumerate() {
        if i > 0 {
            array.push(',');
        }
        array.push_str(text(answer));
    }
    array.push(']');
    array
}

fn text(answer: &Result<String, String>) -> &str {
    match answer {
        Ok(text) | Err(text) => text,
    }
}

fn texts(deals: &[Box<serde_json::value::RawValue>]) -> Vec<&str> {
    deals.iter().map(|deal| deal.get()).collect()
}

/// The elements of a JSON array, each as its own text.
fn split_array(deals: &str) -> Result<Vec<Box<serde_json::value::RawValue>>, String> {
    serde_json::from_str(deals)
        .map_err(|e| request_error(&format!("deals: a JSON array of deals: {e}")))
}

/// `work` on every deal, its 1-based position and its text, spread over `threads` threads in
/// contiguous runs, the answers in the deals' order. Where threads cannot start (one core, or a
/// platform without threads such as WebAssembly), the work is done here.
fn spread<S, F>(deals: &[S], first: usize, threads: Option<usize>, work: F) -> Answers
where
    S: AsRef<str> + Sync,
    F: Fn(usize, &str) -> Result<String, String> + Sync,
{
    let threads = threads
        .unwrap_or_else(|| thread::available_parallelism().map_or(1, usize::from))
        .clamp(1, deals.len().max(1));
    let run = |first: usize, part: &[S]| -> Answers {
        part.iter()
            .enumerate()
            .map(|(i, deal)| work(first + i + 1, deal.as_ref()))
            .collect()
    };
    if threads == 1 {
        return run(first, deals);
    }
    let size = deals.len().div_ceil(threads);
    thread::scope(|scope| {
        let mut started = Vec::new();
        for (n, part) in deals.chunks(size).enumerate() {
            let first = first + n * size;
            let run = &run;
            let handle = thread::Builder::new().spawn_scoped(scope, move || run(first, part));
            started.push((first, part, handle));
        }
        let mut answers = Vec::with_capacity(deals.len());
        for (first, part, handle) in started {
            match handle {
                Ok(handle) => match handle.join() {
                    Ok(part_answers) => answers.extend(part_answers),
                    Err(_) => answers.extend(part.iter().map(|_| {
                        Err(internal_error(
                            "the engine stopped on this part of the batch",
                        ))
                    })),
                },
                // No thread to be had: this part is done here.
                Err(_) => answers.extend(run(first, part)),
            }
        }
        answers
    })
}
