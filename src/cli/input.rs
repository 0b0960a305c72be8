//! Reading what commands are given: playbooks, deal files, times.

use std::fs::File;
use std::io::{BufRead, BufReader};

use stagegate::{Deal, DealError, DealOrigin, DealReader, Engine, Playbook, Timestamp};

use super::progress::Progress;
use super::{exit, render, Style};

/// Loads a playbook, printing its diagnostics to standard error when it has errors.
pub(crate) fn playbook(path: &str, style: Style) -> Result<Playbook, u8> {
    match Playbook::load(path) {
        Ok(playbook) => Ok(playbook),
        Err(error) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            for diagnostic in &error.diagnostics {
                eprintln!("{}", render::diagnostic(diagnostic, &lines, style));
            }
            let unreadable = error.diagnostics.iter().any(|d| d.code == "unreadable");
            Err(if unreadable {
                exit::USAGE
            } else {
                exit::INVALID
            })
        }
    }
}

/// The evaluation time: `--at` (a date or RFC 3339 date-time), or now.
pub(crate) fn at(given: Option<&str>) -> Result<Timestamp, u8> {
    match given {
        None => Ok(Timestamp::now()),
        Some(text) => stagegate::parse_time(text).map_err(|message| {
            eprintln!("error: --at: {message}");
            exit::USAGE
        }),
    }
}

/// The deals of one file, or of standard input for `-`.
pub(crate) fn deals(path: &str) -> Result<DealReader<Box<dyn BufRead + Send>>, u8> {
    let input: Box<dyn BufRead + Send> = if path == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        match File::open(path) {
            Ok(file) => Box::new(BufReader::new(file)),
            Err(error) => {
                let reason = match error.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_owned(),
                    _ => error.to_string().to_lowercase(),
                };
                eprintln!("error: cannot read `{path}`: {reason}");
                return Err(exit::USAGE);
            }
        }
    };
    let name = if path == "-" { "<stdin>" } else { path };
    Ok(DealReader::new(input, name))
}

/// The one deal a file holds (for `move` and `graph --deal`).
pub(crate) fn one_deal(
    path: &str,
    style: Style,
) -> Result<(stagegate::Deal, stagegate::DealOrigin), u8> {
    let mut reader = deals(path)?;
    let found = match reader.next() {
        Some(Ok(found)) => found,
        Some(Err(error)) => {
            report(&error, style);
            return Err(exit::USAGE);
        }
        None => {
            eprintln!("{} `{path}` holds no deal", style.red("error:"));
            return Err(exit::USAGE);
        }
    };
    if reader.next().is_some() {
        eprintln!(
            "{} `{path}` holds more than one deal; give a file with one",
            style.red("error:")
        );
        return Err(exit::USAGE);
    }
    Ok(found)
}

/// Prints a bad deal to standard error.
pub(crate) fn report(error: &DealError, style: Style) {
    eprintln!("{} {error}", style.red("error:"));
}

/// The playbook at `path`, answering in `lang` (default: the playbook's first language).
pub(crate) fn engine(path: &str, lang: Option<&str>, style: Style) -> Result<Engine, u8> {
    let engine = Engine::new(playbook(path, style)?);
    Ok(match lang {
        Some(lang) => engine.with_language(lang),
        None => engine,
    })
}

/// What to do after a deal.
pub(crate) enum Step {
    /// Go on.
    Next,
    /// Go on; this deal was bad, so the run ends with exit code 2.
    Bad,
    /// Stop (the reader of the output went away).
    Stop,
}

impl Step {
    /// After writing a deal's output: go on, or stop quietly when the reader went away (a closed
    /// pipe).
    pub(crate) fn after(written: std::io::Result<()>) -> Step {
        if written.is_err() {
            Step::Stop
        } else {
            Step::Next
        }
    }
}

/// Reports a bad deal and goes on.
pub(crate) fn bad(error: &DealError, style: Style) -> Step {
    report(error, style);
    Step::Bad
}

/// What the reading thread sends: a batch of deals, or the exit code of a file it could not open.
enum Batch {
    Deals(Vec<Result<(Deal, DealOrigin), DealError>>),
    Failed(u8),
}

/// Deals per batch: enough to keep the cores busy, few enough to keep memory flat.
const BATCH: usize = 256;

/// Every deal of `paths`, in order, with a progress line on a terminal. One thread reads and
/// parses the deals while `compute` runs on the others' cores (it must not depend on order); then
/// `each` gets every deal with its result, in input order, also those that could not be read.
/// Returns the exit code: 2 when a file or a deal was bad.
pub(crate) fn each_deal<T: Send>(
    paths: &[String],
    compute: impl Fn(&Deal) -> T + Sync,
    mut each: impl FnMut(Result<(Deal, DealOrigin, T), DealError>) -> Step,
) -> u8 {
    let mut code = exit::OK;
    let mut progress = Progress::new();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1);
    std::thread::scope(|threads| {
        // A few batches in flight at most: memory stays flat however long the input.
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(4);
        threads.spawn(move || {
            for path in paths {
                let reader = match deals(path) {
                    Ok(reader) => reader,
                    Err(failed) => {
                        if send.send(Batch::Failed(failed)).is_err() {
                            return;
                        }
                        continue;
                    }
                };
                let mut batch = Vec::with_capacity(BATCH);
                for read in reader {
                    batch.push(read);
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if send.send(Batch::Deals(full)).is_err() {
                            return;
                        }
                    }
                }
                if !batch.is_empty() && send.send(Batch::Deals(batch)).is_err() {
                    return;
                }
            }
        });
        for batch in receive {
            let deals = match batch {
                Batch::Failed(failed) => {
                    code = failed;
                    continue;
                }
                Batch::Deals(deals) => deals,
            };
            let results = compute_all(&deals, &compute, workers);
            for (read, result) in deals.into_iter().zip(results) {
                progress.tick();
                let item = read.map(|(deal, origin)| {
                    let result = result.unwrap_or_else(|| compute(&deal));
                    (deal, origin, result)
                });
                match each(item) {
                    Step::Next => {}
                    Step::Bad => code = exit::USAGE,
                    // Dropping the receiver stops the reading thread.
                    Step::Stop => break,
                }
            }
        }
    });
    progress.done();
    code
}

/// `compute` on every readable deal of a batch, split across `workers` threads, in order.
fn compute_all<T: Send>(
    deals: &[Result<(Deal, DealOrigin), DealError>],
    compute: &(impl Fn(&Deal) -> T + Sync),
    workers: usize,
) -> Vec<Option<T>> {
    let one = |read: &Result<(Deal, DealOrigin), DealError>| {
        read.as_ref().ok().map(|(deal, _)| compute(deal))
    };
    if workers <= 1 || deals.len() < 2 {
        return deals.iter().map(one).collect();
    }
    let size = deals.len().div_ceil(workers);
    std::thread::scope(|threads| {
        let parts: Vec<_> = deals
            .chunks(size)
            .map(|chunk| threads.spawn(move || chunk.iter().map(one).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_default())
            .collect()
    })
}

/// Writes the items of one JSON array as they come, so memory stays flat.
pub(crate) struct JsonList {
    first: bool,
}

impl JsonList {
    /// Opens the array after `prefix` (for instance `{"deals": `).
    pub(crate) fn open(out: &mut impl std::io::Write, prefix: &str) -> JsonList {
        let _ = write!(out, "{prefix}[");
        JsonList { first: true }
    }

    /// One item.
    pub(crate) fn item(
        &mut self,
        out: &mut impl std::io::Write,
        item: &impl serde::Serialize,
    ) -> std::io::Result<()> {
        let separator = if self.first { "\n" } else { ",\n" };
        self.first = false;
        write!(
            out,
            "{separator}{}",
            serde_json::to_string(item).unwrap_or_default()
        )
    }

    /// One item already written as JSON.
    pub(crate) fn raw(&mut self, out: &mut impl std::io::Write, json: &str) -> std::io::Result<()> {
        let separator = if self.first { "\n" } else { ",\n" };
        self.first = false;
        write!(out, "{separator}{json}")
    }

    /// Closes the array, then writes `suffix`.
    pub(crate) fn close(self, out: &mut impl std::io::Write, suffix: &str) {
        let _ = writeln!(out, "{}]{suffix}", if self.first { "" } else { "\n" });
    }
}
