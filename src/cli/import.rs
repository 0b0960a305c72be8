//! `stagegate import <mapping> <csv>... [--playbook <file> [--as <id> --role <role>...] [--at
//! <time>]]`: CRM exports to deals, as JSON Lines on standard output; with a playbook, each deal
//! imported by the engine (`Engine::import`: every history entry marked `imported`, with who
//! imported it).

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use stagegate::import::Importer;
use stagegate::{ChangeError, Deal, DealOrigin, Engine, Options, Timestamp};

use super::args::{ActorArgs, AtArg, Common};
use super::output::Output;
use super::progress::Progress;
use super::{exit, input};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The mapping file (YAML): which column gives the id, the stage, the fields and the dates.
    mapping: String,
    /// CSV files; those the mapping names under `join:` are joined to the others by a shared column.
    #[arg(required = true)]
    csv: Vec<String>,
    /// The playbook the deals are for: every deal is checked against it (stages, declared
    /// fields, enum values, types) and one that does not fit is reported and left out.
    #[arg(long, value_name = "PLAYBOOK")]
    playbook: Option<String>,
    /// With --playbook: who imports (recorded on every history entry as `imported_by`); a
    /// playbook that says who may change deals needs it, and the role it gives importing.
    #[command(flatten)]
    actor: ActorArgs,
    /// With --playbook: the time of the import (default now); no history entry may be later.
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    common: Common,
}

/// The engine each deal is imported by, who imports, and when.
struct Importing {
    engine: Engine,
    actor: Option<stagegate::Actor>,
    at: Timestamp,
}

fn base_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

pub(crate) fn run(args: &Args) -> u8 {
    let errors = args.common.error_style();
    let text = match input::text(&args.mapping, errors) {
        Ok(text) => text,
        Err(code) => return code,
    };
    let mut importer = match Importer::from_yaml(&text, &args.mapping) {
        Ok(importer) => importer,
        Err(error) => {
            input::diagnostics(&error.diagnostics, &text, errors);
            return exit::USAGE;
        }
    };
    let importing = match prepare(args, &mut importer, &text) {
        Ok(importing) => importing,
        Err(code) => return code,
    };
    let joins: Vec<String> = importer.joins().into_iter().map(str::to_owned).collect();
    for name in &joins {
        let Some(path) = args.csv.iter().find(|p| base_name(p) == base_name(name)) else {
            errln!(
                "{} the mapping joins `{name}`; give it among the CSV files",
                errors.red("error:")
            );
            return exit::USAGE;
        };
        let joined = File::open(path)
            .map_err(|e| e.to_string().to_lowercase())
            .and_then(|file| {
                importer
                    .join(BufReader::new(file), path)
                    .map_err(|e| e.to_string())
            });
        if let Err(message) = joined {
            errln!("{} `{path}`: {message}", errors.red("error:"));
            return exit::USAGE;
        }
    }
    let mut out = Output::stdout();
    let mut code = exit::OK;
    let mut progress = Progress::new();
    let mut written = 0u64;
    for path in args
        .csv
        .iter()
        .filter(|p| !joins.iter().any(|j| base_name(j) == base_name(p)))
    {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(error) => {
                code = input::unreadable(path, &error, errors);
                continue;
            }
        };
        let rows = match importer.rows(BufReader::new(file), path) {
            Ok(rows) => rows,
            Err(error) => {
                errln!("{} {error}", errors.red("error:"));
                code = exit::USAGE;
                continue;
            }
        };
        for row in rows {
            progress.tick();
            match row {
                Ok(deal) => {
                    let deal = match &importing {
                        Some(importing) => match import(importing, deal, path, errors) {
                            Ok(deal) => deal,
                            Err(Stop::Deal(refused)) => {
                                code = refused;
                                continue;
                            }
                            Err(Stop::All(refused)) => return refused,
                        },
                        None => deal,
                    };
                    if writeln!(out, "{}", serde_json::to_string(&deal).unwrap_or_default())
                        .is_err()
                    {
                        return code;
                    }
                    written += 1;
                }
                Err(error) => {
                    for line in error.lines() {
                        errln!("{} {line}", errors.red("error:"));
                    }
                    code = exit::USAGE;
                }
            }
        }
    }
    progress.done();
    if written > 0 && !importer.is_checked() {
        errln!(
            "{} the deals were not checked against a playbook: stages, fields and values were \
             written as the export has them; give `--playbook <file>` to check every deal",
            errors.yellow("warning:")
        );
    }
    for (file, unmatched) in importer.unmatched() {
        if unmatched > 0 {
            let rows = if unmatched == 1 { "row" } else { "rows" };
            errln!(
                "{} {unmatched} {rows} found no match in `{file}`; their columns from it are left empty",
                errors.yellow("note:")
            );
        }
    }
    code
}

/// With `--playbook`: the mapping checked against it, and the engine deals are imported by, with
/// who imports and when; `--as`, `--role` and `--at` without a playbook are bad usage.
fn prepare(args: &Args, importer: &mut Importer, text: &str) -> Result<Option<Importing>, u8> {
    let errors = args.common.error_style();
    let Some(path) = &args.playbook else {
        if args.actor.given() || args.at.given() {
            errln!(
                "{} --as, --role and --at say who imports and when, into a playbook: give \
                 `--playbook <file>` too",
                errors.red("error:")
            );
            return Err(exit::USAGE);
        }
        return Ok(None);
    };
    let engine = input::engine(path, args.common.lang(), errors)?;
    if let Err(error) = importer.check_with(input::playbook(path, errors)?) {
        input::diagnostics(&error.diagnostics, text, errors);
        return Err(exit::USAGE);
    }
    let actor = args.actor.actor(engine.playbook(), errors)?;
    let at = args.at.time(engine.playbook())?;
    Ok(Some(Importing { engine, actor, at }))
}

/// Why a deal was not imported: this deal only (reported; the exit code), or every deal alike
/// (who imports may not, or is not named: reported once; the exit code).
enum Stop {
    Deal(u8),
    All(u8),
}

/// `deal`, read from a row of `file`, imported by the engine.
fn import(
    importing: &Importing,
    deal: Deal,
    file: &str,
    errors: super::Style,
) -> Result<Deal, Stop> {
    let options = Options::new().as_actor(importing.actor.as_ref());
    match importing.engine.import(&deal, importing.at, &options) {
        Ok(imported) => Ok(imported),
        Err(error) => {
            let every = matches!(error, ChangeError::NoActor | ChangeError::Forbidden { .. });
            let origin = DealOrigin {
                file: file.to_owned(),
                index: 0,
                line: 0,
            };
            let code = super::refusal::change(error, &importing.engine, &deal, &origin, errors);
            Err(if every {
                Stop::All(code)
            } else {
                Stop::Deal(code)
            })
        }
    }
}
