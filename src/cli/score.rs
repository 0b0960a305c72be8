//! `stagegate score <playbook> <deals>...`: every scorecard of every deal, rule by rule.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use stagegate::{Engine, Score};

use super::progress::Progress;
use super::{exit, input, Common, Format, Style};

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The playbook file.
    playbook: String,
    /// Deal files (YAML, JSON, JSON array, JSON Lines); `-` reads standard input.
    #[arg(required = true)]
    deals: Vec<String>,
    /// Only this scorecard.
    #[arg(long)]
    card: Option<String>,
    /// Evaluation time (for rules that count days): a date or RFC 3339 date-time; default now.
    #[arg(long)]
    at: Option<String>,
    /// text for people, json for one document, jsonl for one object per deal.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: Common,
}

/// One deal's scores, as `score` writes them.
#[derive(Serialize)]
struct DealScores<'a> {
    deal: Option<&'a str>,
    scores: BTreeMap<String, Score>,
}

pub(crate) fn run(args: &Args) -> u8 {
    let style = Style::new(args.common.color, false);
    let errors = Style::new(args.common.color, true);
    let playbook = match input::playbook(&args.playbook, errors) {
        Ok(playbook) => playbook,
        Err(code) => return code,
    };
    if let Some(card) = &args.card {
        if !playbook.scorecards().any(|c| c == card) {
            let known: Vec<&str> = playbook.scorecards().collect();
            eprintln!(
                "{} `{card}` is not a scorecard of this playbook; it has {}",
                errors.red("error:"),
                known.join(", ")
            );
            return exit::USAGE;
        }
    }
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
    let mut progress = Progress::new();
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
            progress.tick();
            let (deal, origin) = match read {
                Ok(read) => read,
                Err(error) => {
                    input::report(&error, errors);
                    code = exit::USAGE;
                    continue;
                }
            };
            let mut scores = match engine.score(&deal, at) {
                Ok(scores) => scores,
                Err(error) => {
                    input::report(&origin.locate(&deal, error), errors);
                    code = exit::USAGE;
                    continue;
                }
            };
            if let Some(card) = &args.card {
                scores.retain(|id, _| id == card);
            }
            let label = origin.label(&deal);
            let row = DealScores {
                deal: deal.id.as_deref(),
                scores,
            };
            let written = match args.format {
                Format::Json => {
                    let separator = if first { "\n" } else { ",\n" };
                    write!(
                        out,
                        "{separator}{}",
                        serde_json::to_string(&row).unwrap_or_default()
                    )
                }
                Format::Jsonl => {
                    writeln!(out, "{}", serde_json::to_string(&row).unwrap_or_default())
                }
                Format::Text | Format::Yaml => {
                    writeln!(out, "{}", text(&label, &row.scores, &engine, &lang, style))
                }
            };
            first = false;
            if written.is_err() {
                return code;
            }
        }
    }
    progress.done();
    if args.format == Format::Json {
        let _ = writeln!(out, "{}]", if first { "" } else { "\n" });
    }
    code
}

fn text(
    label: &str,
    scores: &BTreeMap<String, Score>,
    engine: &Engine,
    lang: &str,
    style: Style,
) -> String {
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
