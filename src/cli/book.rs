//! `move` and `approve` on a book of deals: the file read whole, the deal picked by id, the file written back
//! atomically; `eval --deal` and `graph --id` pick a deal the same way.

use std::io::{Read, Write};
use std::path::Path;

use stagegate::{Deal, DealBook, DealOrigin, DealProblem, Problem, ProblemKind};

use super::args::Format;
use super::{exit, input, Style};

/// The deals of `path` (`-`: standard input), held whole.
pub(crate) fn read(path: &str, style: Style) -> Result<DealBook, u8> {
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text).map(|_| ()))
    };
    match read {
        Ok(()) => Ok(DealBook::new(
            text,
            if path == "-" { "<stdin>" } else { path },
        )),
        Err(error) => Err(input::unreadable(path, &error, style)),
    }
}

/// The book of `path` and the deal to change in it (`--deal`, or the file's only one), for a
/// command that may write the book back (`in_place`: never into standard input).
pub(crate) fn open(
    path: &str,
    wanted: Option<&str>,
    in_place: bool,
    style: Style,
) -> Result<(DealBook, Deal, DealOrigin), u8> {
    if in_place && path == "-" {
        let message =
            "--in-place writes the deals back into their file; standard input has none: give the file";
        if style.json() {
            super::output::problem(&Problem::new(
                ProblemKind::Request,
                "in-place-stdin",
                message,
            ));
        } else {
            errln!("{} {message}", style.red("error:"));
        }
        return Err(exit::USAGE);
    }
    let book = read(path, style)?;
    let (deal, origin) = pick(&book, wanted, Some("--deal"), style)?;
    Ok((book, deal, origin))
}

/// The deal `wanted` names (by id, or `#3`), or the file's only deal; what is wrong is said on
/// standard error: an id not in the file (with the likely one), an id found twice, and, when the
/// file holds several and the command picks one by id with `flag` (`--deal`), how to pick it.
pub(crate) fn pick(
    book: &DealBook,
    wanted: Option<&str>,
    flag: Option<&str>,
    style: Style,
) -> Result<(Deal, DealOrigin), u8> {
    let found = match wanted {
        Some(id) => book.find(id),
        None => book.only(),
    };
    found.map_err(|error| {
        let several = |p: &DealProblem| matches!(p, DealProblem::SeveralDeals { .. });
        let help = flag
            .filter(|_| error.problems.iter().any(several))
            .map(|flag| {
                format!("pass {flag} <id> to pick one ({flag} '#3' for the third, if it has no id)")
            });
        if style.json() {
            let problem = Problem::from(&error);
            super::output::problem(&match help {
                Some(help) => problem.with_help(help),
                None => problem,
            });
        } else {
            input::report(&error, style);
            if let Some(help) = help {
                errln!("{} {help}", style.cyan("help:"));
            }
        }
        exit::USAGE
    })
}

/// The changed deal written back into `path` in place of `origin` (`in_place`, then `done`
/// says so on standard error), or printed in `format`; the exit code.
pub(crate) fn store(
    deals: &DealBook,
    path: &str,
    origin: &DealOrigin,
    changed: &Deal,
    output: (bool, Format),
    done: impl FnOnce() -> String,
    errors: Style,
) -> u8 {
    let (in_place, format) = output;
    if in_place {
        let written = match deals.replaced(origin, changed) {
            Ok(written) => written,
            Err(error) => {
                input::report(&error, errors);
                return exit::USAGE;
            }
        };
        if let Err(error) = write_back(path, &written) {
            let message = format!(
                "cannot write `{path}`: {}; the file is as it was",
                error.to_string().to_lowercase()
            );
            if errors.json() {
                let problem = Problem::new(ProblemKind::Request, "unwritable", message);
                super::output::problem(&problem.in_file(path, None, None));
            } else {
                errln!("{} {message}", errors.red("error:"));
            }
            return exit::USAGE;
        }
        if errors.json() {
            let written = serde_json::json!({ "deal": origin.label(changed), "file": path });
            super::output::line_for_programs("written", &written);
        } else {
            errln!("{}", done());
        }
        return exit::OK;
    }
    let text = match format {
        Format::Json => serde_json::to_string_pretty(changed).map_err(|e| e.to_string()),
        Format::Jsonl => serde_json::to_string(changed).map_err(|e| e.to_string()),
        Format::Yaml | Format::Text => changed.to_yaml(),
    };
    match text {
        Ok(text) => {
            outln!("{}", text.trim_end());
            exit::OK
        }
        Err(error) => {
            if errors.json() {
                super::output::problem(&Problem::internal(error));
            } else {
                errln!("{} {error}", errors.red("error:"));
            }
            exit::USAGE
        }
    }
}

/// Writes `text` to `path` in place of what it holds, atomically: into a new file beside it,
/// flushed to the disk, then renamed over it, so a crash leaves the old file or the new one,
/// never half of one. The file keeps its permissions.
pub(crate) fn write_back(path: &str, text: &str) -> std::io::Result<()> {
    let target = Path::new(path);
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "deals".into(), |n| n.to_string_lossy());
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(text.as_bytes())?;
        if let Ok(metadata) = std::fs::metadata(target) {
            file.set_permissions(metadata.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, target)?;
        // The rename itself reaches the disk with the folder (where the system allows it).
        if let Ok(folder) = std::fs::File::open(folder) {
            let _ = folder.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}
