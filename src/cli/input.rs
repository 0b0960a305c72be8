//! Reading what commands are given: playbooks, deal files, times.

use std::fs::File;
use std::io::{BufRead, BufReader};

use stagegate::{
    DealError, DealProblem, DealReader, Diagnostic, Engine, Playbook, Problem, ProblemKind,
    Timestamp,
};

use super::{exit, render, Style};

/// Loads a playbook, printing its diagnostics to standard error when it has errors.
pub(crate) fn playbook(path: &str, style: Style) -> Result<Playbook, u8> {
    match Playbook::load(path) {
        Ok(playbook) => Ok(playbook),
        Err(error) => {
            if style.json() {
                super::output::problem(&Problem::from(&error));
            } else {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                diagnostics(&error.diagnostics, &text, style);
            }
            let unreadable = error.diagnostics.iter().any(|d| d.code == "unreadable");
            let swapped = error.diagnostics.iter().any(|d| d.code == "not-a-playbook");
            if swapped && !style.json() {
                if let Some(usage) = super::usage() {
                    errln!("{usage}");
                }
            }
            Err(if unreadable || swapped {
                exit::USAGE
            } else {
                exit::INVALID
            })
        }
    }
}

/// The text of a file the command needs whole (a case file, a mapping); when it cannot be read,
/// says why on standard error and gives the exit code.
pub(crate) fn text(path: &str, style: Style) -> Result<String, u8> {
    std::fs::read_to_string(path).map_err(|error| unreadable(path, &error, style))
}

/// Says on standard error that a file cannot be read, in the library's words, and gives the exit
/// code.
pub(crate) fn unreadable(path: &str, error: &std::io::Error, style: Style) -> u8 {
    let message = stagegate::cannot_read(path, error);
    if style.json() {
        let problem = Problem::new(ProblemKind::Request, "unreadable", message);
        super::output::problem(&problem.in_file(path, None, None));
    } else {
        errln!("{} {message}", style.red("error:"));
    }
    exit::USAGE
}

/// Prints diagnostics to standard error, each with its line of `text` (the file they are about).
pub(crate) fn diagnostics(diagnostics: &[Diagnostic], text: &str, style: Style) {
    let lines: Vec<&str> = text.lines().collect();
    for diagnostic in diagnostics {
        errln!("{}", render::diagnostic(diagnostic, &lines, style));
    }
}

/// The evaluation time: `--at`, read as `playbook` reads times (a date is the start of that day
/// in its time zone; a date-time without a zone is read there), or now, to the second.
pub(crate) fn at(given: Option<&str>, playbook: &Playbook, style: Style) -> Result<Timestamp, u8> {
    match given {
        None => {
            Ok(Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(Timestamp::now()))
        }
        Some(text) => playbook.read_time(text).map_err(|message| {
            if style.json() {
                let problem =
                    Problem::new(ProblemKind::Request, "bad-time", format!("--at: {message}"));
                super::output::problem(&problem);
            } else {
                errln!("error: --at: {message}");
            }
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
            Err(error) => return Err(unreadable(path, &error, Style::plain())),
        }
    };
    let name = if path == "-" { "<stdin>" } else { path };
    Ok(DealReader::new(input, name))
}

/// Says a problem of the request on standard error: `error: <message>` for people, its error
/// object for programs (`--format json`/`jsonl`); gives the exit code of bad usage.
pub(crate) fn refuse(problem: &Problem, style: Style) -> u8 {
    if style.json() {
        super::output::problem(problem);
    } else {
        errln!("{} {}", style.red("error:"), problem.message);
        if let Some(help) = &problem.help {
            errln!("{} {help}", style.cyan("help:"));
        }
    }
    exit::USAGE
}

/// Prints a bad deal to standard error.
pub(crate) fn report(error: &DealError, style: Style) {
    if style.json() {
        super::output::problem(&Problem::from(error));
        return;
    }
    errln!("{} {error}", style.red("error:"));
    let playbook = |p: &DealProblem| matches!(p, DealProblem::Playbook(_));
    if error.problems.iter().any(playbook) {
        if let Some(usage) = super::usage() {
            errln!("{usage}");
        }
    }
}

/// The playbook at `path`, answering in `lang` (default: the playbook's first language); a
/// language the playbook does not list is bad usage, answered with the languages it has.
pub(crate) fn engine(path: &str, lang: Option<&str>, style: Style) -> Result<Engine, u8> {
    let playbook = playbook(path, style)?;
    let Some(lang) = lang else {
        return Ok(Engine::new(playbook));
    };
    if let Err(message) = playbook.check_language(lang) {
        let message = format!("--lang {lang}: {path}: {message}");
        if style.json() {
            super::output::problem(&Problem::new(ProblemKind::Request, "language", message));
        } else {
            errln!("{} {message}", style.red("error:"));
        }
        return Err(exit::USAGE);
    }
    Ok(Engine::new(playbook).with_language(lang))
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
