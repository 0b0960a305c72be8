//! Running a batch command over deal files on every core, with the output in input order.
//!
//! One thread splits the files into deal texts (quick), a worker per core parses and computes
//! (the costly part), and the calling thread hands the results to `each` in input order. Every
//! queue is bounded, so memory stays flat however long the input.

use std::collections::BTreeMap;
use std::sync::{mpsc, Arc, Mutex};

use stagegate::{Deal, DealError, DealOrigin, DealProblem, DealText};

use super::input::{deals, report, Step};
use super::progress::Progress;
use super::{exit, Style};

/// Deals per batch: enough to keep the cores busy, few enough to keep memory flat.
const BATCH: usize = 256;

/// Bytes of deal text per batch at most (but for one deal): big deals make smaller batches.
const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// A numbered batch for the workers: deal texts, the exit code of a file that did not open, or
/// a file with no deal in it.
enum Work {
    Texts(Vec<DealText>),
    Failed(u8),
    Empty(String),
}

/// A worked batch, in the order of its deals.
enum Worked<T> {
    Deals(Vec<T>),
    Failed(u8),
    Empty(String),
}

/// Every deal of `paths`, parsed and given to `compute` on all cores (it must not depend on
/// order); then `each` gets every deal with its result, in input order, also those that could not
/// be read; a file that holds something else than deals (a CSV export, a playbook) is reported
/// here, once, and never given to `each`. A progress line shows on a terminal. Returns the exit
/// code: 2 when a file or a deal was bad.
pub(crate) fn each_deal<T: Send>(
    paths: &[String],
    compute: impl Fn(&Deal) -> T + Sync,
    mut each: impl FnMut(Result<(Deal, DealOrigin, T), DealError>) -> Step,
) -> u8 {
    let parse_and_compute = |text: DealText| {
        let (deal, origin) = text.parse()?;
        let result = compute(&deal);
        Ok((deal, origin, result))
    };
    each_text(
        paths,
        parse_and_compute,
        |read: Result<_, DealError>| match read {
            Err(error) if error.problems.iter().any(DealProblem::is_about_the_file) => {
                report(&error, Style::plain());
                Step::Bad
            }
            read => each(read),
        },
    )
}

/// Like [`each_deal`], for a `compute` that reads the deal's text itself (and reports the deals
/// it cannot read in its result).
pub(crate) fn each_text<T: Send>(
    paths: &[String],
    compute: impl Fn(DealText) -> T + Sync,
    mut each: impl FnMut(T) -> Step,
) -> u8 {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut code = exit::OK;
    let mut progress = Progress::new();
    std::thread::scope(|threads| {
        let (send_work, work) = mpsc::sync_channel::<(usize, Work)>(workers * 2);
        // The workers own the queue's receiving end: when they stop, the reader's sends fail.
        let work = Arc::new(Mutex::new(work));
        let (send_worked, worked) = mpsc::sync_channel::<(usize, Worked<T>)>(workers * 2);
        threads.spawn(move || split(paths, &send_work));
        for _ in 0..workers {
            let (work, send_worked, compute) = (Arc::clone(&work), send_worked.clone(), &compute);
            threads.spawn(move || loop {
                let next = match work.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                let Ok((number, batch)) = next else {
                    return;
                };
                let done = match batch {
                    Work::Failed(failed) => Worked::Failed(failed),
                    Work::Empty(file) => Worked::Empty(file),
                    Work::Texts(texts) => Worked::Deals(texts.into_iter().map(compute).collect()),
                };
                if send_worked.send((number, done)).is_err() {
                    return;
                }
            });
        }
        drop((work, send_worked));
        // Batches finish out of order: hold the early ones until those before them are in.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        'batches: for (number, batch) in worked {
            waiting.insert(number, batch);
            while let Some(batch) = waiting.remove(&next) {
                next += 1;
                let deals = match batch {
                    Worked::Failed(failed) => {
                        code = failed;
                        continue;
                    }
                    Worked::Empty(file) => {
                        // Said in input order, among the other messages.
                        let none = DealProblem::NoDeals(file.clone());
                        report(&DealError::of_file(&file, none), Style::plain());
                        code = exit::USAGE;
                        continue;
                    }
                    Worked::Deals(deals) => deals,
                };
                for item in deals {
                    progress.tick();
                    match each(item) {
                        Step::Next => {}
                        Step::Bad => code = exit::USAGE,
                        // Leaving drops the receiving end: the workers and the reader stop.
                        Step::Stop => break 'batches,
                    }
                }
            }
        }
    });
    progress.done();
    code
}

/// Splits every file into numbered batches of deal texts.
fn split(paths: &[String], send: &mpsc::SyncSender<(usize, Work)>) {
    let mut number = 0;
    let mut send = |work: Work| {
        number += 1;
        send.send((number - 1, work)).is_ok()
    };
    for path in paths {
        let mut reader = match deals(path) {
            Ok(reader) => reader,
            Err(failed) => {
                if !send(Work::Failed(failed)) {
                    return;
                }
                continue;
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        let (mut bytes, mut found) = (0, false);
        while let Some(text) = reader.next_text() {
            found = true;
            bytes += text.size();
            batch.push(text);
            if batch.len() == BATCH || bytes >= BATCH_BYTES {
                bytes = 0;
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if !send(Work::Texts(full)) {
                    return;
                }
            }
        }
        if !batch.is_empty() && !send(Work::Texts(batch)) {
            return;
        }
        if !found {
            let name = if path == "-" {
                "<stdin>"
            } else {
                path.as_str()
            };
            if !send(Work::Empty(name.to_owned())) {
                return;
            }
        }
    }
}
