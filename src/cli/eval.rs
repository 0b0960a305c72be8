//! `stagegate eval <playbook> <deals>...`: every deal's stages, scores and moves.

use std::io::Write;

use super::input::{self, Step};
use super::output::{JsonList, Output};
use super::pipeline;
use super::{render, Common, Format, Style};

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

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let style = Style::new(args.common.color, false);
    let errors = Style::new(args.common.color, true);
    let engine = input::engine(&args.playbook, args.common.lang.as_deref(), errors)?;
    let at = input::at(args.at.as_deref())?;
    let mut out = Output::stdout();
    let mut list = (args.format == Format::Json).then(|| JsonList::open(&mut out, ""));
    // Evaluating and writing each deal out runs on all cores; the output keeps the input order.
    let render = |deal: &stagegate::Deal| {
        engine
            .evaluate(deal, at)
            .map(|evaluation| match args.format {
                Format::Json | Format::Jsonl => super::output::to_json(&evaluation),
                _ => render::evaluation(&evaluation, engine.playbook(), engine.language(), style),
            })
    };
    let code = pipeline::each_deal(&args.deals, render, |read| {
        let (deal, origin, rendered) = match read {
            Ok(read) => read,
            Err(error) => return input::bad(&error, errors),
        };
        let text = match rendered {
            Ok(text) => text,
            Err(error) => return input::bad(&origin.locate(&deal, error), errors),
        };
        let written = match &mut list {
            Some(list) => list.raw(&mut out, &text),
            None => writeln!(out, "{text}"),
        };
        Step::after(written)
    });
    if let Some(list) = list {
        list.close(&mut out, "");
    }
    Ok(code)
}
