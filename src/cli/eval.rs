//! `stagegate eval <playbook> <deals>...`: every deal's stages, scores and moves.

use std::io::Write;

use stagegate::Engine;

use super::{exit, input, render, Common, Format, Style};

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The playbook file.
    playbook: String,
    /// Deal files (YAML, multi-document YAML, JSON, JSON array, JSON Lines); `-` reads standard input.
    #[arg(required = true)]
    deals: Vec<String>,
    /// Evaluation time: a date (2026-11-27) or RFC 3339 date-time; default now.
    #[arg(long)]
    at: Option<String>,
    /// text for people, json for one document, jsonl for one object per deal.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> u8 {
    let style = Style::new(args.common.color, false);
    let errors = Style::new(args.common.color, true);
    let playbook = match input::playbook(&args.playbook, errors) {
        Ok(playbook) => playbook,
        Err(code) => return code,
    };
    let at = match input::at(args.at.as_deref()) {
        Ok(at) => at,
        Err(code) => return code,
    };
    let mut engine = Engine::new(playbook);
    if let Some(lang) = &args.common.lang {
        engine = engine.with_language(lang);
    }
    let lang = engine.language().to_owned();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut code = exit::OK;
    let mut first = true;
    if args.format == Format::Json {
        let _ = write!(out, "[");
    }
    for path in &args.deals {
        let reader = match input::deals(path) {
            Ok(reader) => reader,
            Err(failed) => {
                code = failed;
                continue;
            }
        };
        for read in reader {
            let (deal, origin) = match read {
                Ok(read) => read,
                Err(error) => {
                    input::report(&error, errors);
                    code = exit::USAGE;
                    continue;
                }
            };
            let evaluation = match engine.evaluate(&deal, at) {
                Ok(evaluation) => evaluation,
                Err(error) => {
                    input::report(&origin.locate(&deal, error), errors);
                    code = exit::USAGE;
                    continue;
                }
            };
            let written = match args.format {
                Format::Text | Format::Yaml => {
                    writeln!(
                        out,
                        "{}",
                        render::evaluation(&evaluation, engine.playbook(), &lang, style)
                    )
                }
                Format::Json => {
                    let separator = if first { "\n" } else { ",\n" };
                    let json = serde_json::to_string_pretty(&evaluation).unwrap_or_default();
                    write!(out, "{separator}{json}")
                }
                Format::Jsonl => {
                    let json = serde_json::to_string(&evaluation).unwrap_or_default();
                    writeln!(out, "{json}")
                }
            };
            first = false;
            if written.is_err() {
                // The reader went away (a closed pipe): stop quietly.
                return code;
            }
        }
    }
    if args.format == Format::Json {
        let _ = writeln!(out, "{}]", if first { "" } else { "\n" });
    }
    code
}
