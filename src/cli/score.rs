//! `stagegate score <playbook> <deals>...`: every scorecard of every deal, rule by rule.

use std::collections::BTreeMap;
use std::io::Write;

use stagegate::{DealOrigin, DealScores, DealText, Engine, Problem, ProblemKind, Score};

use super::args::{AtArg, Common, DealsArgs, Format, FormatArg, PlaybookArg};
use super::input::{self, Step};
use super::output::{JsonList, Output};
use super::pipeline;
use super::{exit, Style};

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at.help(
    "Evaluation time (for rules that count days): a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format
    .value_parser(super::args::only(&[Format::Text, Format::Json, Format::Jsonl]))
    .help("text for people, json for one document, jsonl for one object per deal")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    #[command(flatten)]
    deals: DealsArgs,
    /// Only this scorecard.
    #[arg(long)]
    card: Option<String>,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

/// One deal scored: where it was read, its scores, and their JSON line when JSON is wanted.
struct Scored {
    origin: DealOrigin,
    scored: DealScores,
    json: Option<String>,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let style = args.common.style();
    let errors = args.common.error_style();
    let engine = args.playbook.engine_for(&args.common, errors)?;
    if let Some(card) = &args.card {
        let known: Vec<&str> = engine.playbook().scorecards().collect();
        if !known.contains(&card.as_str()) {
            let message = format!(
                "`{card}` is not a scorecard of this playbook; it has {}",
                known.join(", ")
            );
            input::refuse(
                &Problem::new(ProblemKind::Request, "unknown-scorecard", message),
                errors,
            );
            return Err(exit::USAGE);
        }
    }
    let at = args.at.time_for(engine.playbook(), errors)?;
    let mut out = Output::stdout();
    let mut list = (args.output.format == Format::Json).then(|| JsonList::open(&mut out, ""));
    // Scoring runs on all cores; the output keeps the input order.
    let compute = |text: DealText| {
        let quick = text
            .json()
            .and_then(|json| stagegate::contract::score_json(&engine, json, at).ok());
        let (origin, mut scored) = match quick {
            Some(scored) => (text.into_origin(), scored),
            // Not JSON, or a problem: read the full way, for messages with their place.
            None => {
                let (deal, origin) = text.parse()?;
                match engine.score(&deal, at) {
                    Ok(scores) => (
                        origin,
                        DealScores {
                            deal: deal.id,
                            scores,
                        },
                    ),
                    Err(error) => return Err(origin.locate(&deal, error)),
                }
            }
        };
        if let Some(card) = &args.card {
            scored.scores.retain(|id, _| id == card);
        }
        let json =
            matches!(args.output.format, Format::Json | Format::Jsonl).then(|| scored.to_json());
        Ok(Scored {
            origin,
            scored,
            json,
        })
    };
    let code = pipeline::each_text(&args.deals.paths, compute, |read| {
        let Scored {
            origin,
            scored,
            json,
        } = match read {
            Ok(read) => read,
            Err(error) => return input::bad(&error, errors),
        };
        let written = match (&mut list, json) {
            (Some(list), Some(json)) => list.raw(&mut out, &json),
            (_, Some(json)) => writeln!(out, "{json}"),
            (_, None) => {
                let label = origin.name(scored.deal.as_deref());
                writeln!(out, "{}", text(&label, &scored.scores, &engine, style))
            }
        };
        Step::after(written)
    });
    if let Some(list) = list {
        list.close(&mut out, "");
    }
    Ok(code)
}

fn text(label: &str, scores: &BTreeMap<String, Score>, engine: &Engine, style: Style) -> String {
    let lang = engine.language();
    let mut out = style.bold(label);
    for (card, score) in scores {
        let name = engine
            .playbook()
            .scorecard_title(card, lang)
            .unwrap_or(card);
        let band = score
            .band
            .as_deref()
            .map_or(String::new(), |b| format!(" ({b})"));
        out.push_str(&format!("  {name}: {}{band}", score.total));
        let rules: Vec<String> = score
            .rules
            .iter()
            .filter(|r| r.matched)
            .map(|r| format!("{:+} {}", r.points, r.id))
            .collect();
        if !rules.is_empty() {
            out.push_str(&style.dim(&format!(" [{}]", rules.join(", "))));
        }
    }
    out
}
