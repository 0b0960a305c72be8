//! `stagegate import <mapping> <csv>...`: CRM exports to deals, as JSON Lines on standard output.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use stagegate::import::Importer;

use super::args::Common;
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
    #[command(flatten)]
    common: Common,
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
    if let Some(path) = &args.playbook {
        let playbook = match input::playbook(path, errors) {
            Ok(playbook) => playbook,
            Err(code) => return code,
        };
        if let Err(error) = importer.check_with(playbook) {
            input::diagnostics(&error.diagnostics, &text, errors);
            return exit::USAGE;
        }
    }
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
