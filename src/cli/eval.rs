//! `stagegate eval <playbook> <deals>... [--deal <id>]`: every deal's stages, scores and moves (or
//! one deal's, picked by id as `move` picks it).

use std::io::Write;

use stagegate::{Deal, DealError, DealOrigin, Problem, ProblemKind};

use super::args::{AtArg, Common, DealsArgs, Format, FormatArg, PlaybookArg};
use super::input::{self, Step};
use super::output::{JsonList, Output};
use super::pipeline;
use super::render;
use super::{book, exit};

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |format| format
    .value_parser(super::args::only(&[Format::Text, Format::Json, Format::Jsonl]))
    .help("text for people, json for one document, jsonl for one object per deal")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    #[command(flatten)]
    deals: DealsArgs,
    /// The deal to evaluate, by id (or `#3` for the third, if it has no id), in one file of many.
    #[arg(long, value_name = "ID")]
    deal: Option<String>,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    actor: super::args::ActorArgs,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let style = args.common.style();
    let errors = args.common.error_style();
    let engine = args.playbook.engine_for(&args.common, errors)?;
    let at = args.at.time_for(engine.playbook(), errors)?;
    let mut out = Output::stdout();
    let mut list = (args.output.format == Format::Json).then(|| JsonList::open(&mut out, ""));
    // Evaluating and writing each deal out runs on all cores; the output keeps the input order.
    let actor = args.actor.actor(engine.playbook(), errors)?;
    let render = |deal: &stagegate::Deal| {
        let seen = stagegate::Options::new().as_actor(actor.as_ref());
        engine
            .evaluate(deal, at, &seen)
            .map(|evaluation| match args.output.format {
                Format::Json | Format::Jsonl => super::output::to_json(&evaluation),
                _ => {
                    let text = render::evaluation(
                        &evaluation,
                        engine.playbook(),
                        engine.language(),
                        style,
                    );
                    match &actor {
                        // Whose view this is: the first line says so.
                        Some(actor) => match text.split_once('\n') {
                            Some((head, rest)) => format!(
                                "{head}  {}\n{rest}",
                                style.dim(&seen_as(actor, engine.language()))
                            ),
                            None => text,
                        },
                        None => text,
                    }
                }
            })
    };
    let mut each = |read: Result<(Deal, DealOrigin, Result<String, DealError>), DealError>| {
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
    };
    let code = match &args.deal {
        // One deal picked by id, as `move --deal` picks it.
        Some(id) => {
            let [path] = &args.deals.paths[..] else {
                let problem = Problem::new(
                    ProblemKind::Request,
                    "one-file",
                    "--deal picks a deal in one file; give one deals file",
                );
                return Err(input::refuse(&problem, errors));
            };
            let deals = book::read(path, errors)?;
            let (deal, origin) = book::pick(&deals, Some(id), Some("--deal"), errors)?;
            let rendered = render(&deal);
            match each(Ok((deal, origin, rendered))) {
                Step::Bad => exit::USAGE,
                Step::Next | Step::Stop => exit::OK,
            }
        }
        None => pipeline::each_deal(&args.deals.paths, render, each),
    };
    if let Some(list) = list {
        list.close(&mut out, "");
    }
    Ok(code)
}

/// "as kim (manager)": whose view of the moves the text shows.
fn seen_as(actor: &stagegate::Actor, lang: &str) -> String {
    let words = stagegate::MessageLanguage::of(lang);
    let roles = if actor.roles.is_empty() {
        words.pick("역할 없음", "no role").to_owned()
    } else {
        actor.roles.join(", ")
    };
    format!("{} {} ({roles})", words.pick("보는 사람:", "as"), actor.id)
}
