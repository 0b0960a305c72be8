//! `stagegate impact <old> <new> <deals>...`: what a playbook change does to each deal.

use std::io::Write;

use stagegate::analytics::{impact, Change, DealImpact, ImpactBook, ImpactSummary};

use super::args::{AtArg, Common, DealsArgs, Format, FormatArg};
use super::input::{self, Step};
use super::output::{JsonList, Output};
use super::pipeline;
use super::Style;

/// Arguments of `impact`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |format| format.value_parser(super::args::only(&[Format::Text, Format::Json, Format::Jsonl])).help(
    "text for people, json for one document, jsonl for one object per deal then the summary")))]
pub(crate) struct Args {
    /// The playbook as it is.
    old: String,
    /// The playbook as it would be.
    new: String,
    #[command(flatten)]
    deals: DealsArgs,
    #[command(flatten)]
    at: AtArg,
    /// Also list deals that nothing changes for (text).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let style = args.common.style();
    let errors = args.common.error_style();
    // Both are loaded, so the diagnostics of both are shown.
    let lang = args.common.lang();
    let old = input::engine(&args.old, lang, errors);
    let new = input::engine(&args.new, lang, errors);
    let (old, new) = (old?, new?);
    let at = args.at.time_for(new.playbook(), errors)?;
    let mut out = Output::stdout();
    let mut book = ImpactBook::new();
    let mut list =
        (args.output.format == Format::Json).then(|| JsonList::open(&mut out, "{\"deals\": "));
    // Comparing runs on all cores; the output keeps the input order.
    let compare = |deal: &stagegate::Deal| impact(&old, &new, deal, "", at);
    let code = pipeline::each_deal(&args.deals.paths, compare, |read| {
        let (deal, origin, mut impact) = match read {
            Ok(read) => read,
            Err(error) => {
                book.add_unreadable();
                return input::bad(&error, errors);
            }
        };
        impact.deal = origin.label(&deal);
        book.add(&impact);
        if let Some(refused) = impact.refused.take() {
            // Neither version takes it: reported, and in no figure.
            return input::bad(&origin.locate(&deal, refused), errors);
        }
        let written = match (&mut list, args.output.format) {
            (Some(list), _) => list.item(&mut out, &impact),
            (None, Format::Jsonl) => writeln!(
                out,
                "{}",
                serde_json::to_string(&impact).unwrap_or_default()
            ),
            (None, _) if impact.changes.is_empty() && !args.all => Ok(()),
            (None, _) => write!(out, "{}", deal_text(&impact, style)),
        };
        Step::after(written)
    });
    let summary = book.finish();
    let json = serde_json::to_string(&summary).unwrap_or_default();
    match (list, args.output.format) {
        (Some(list), _) => list.close(&mut out, &format!(", \"summary\": {json}}}")),
        (None, Format::Jsonl) => {
            let _ = writeln!(out, "{{\"summary\": {json}}}");
        }
        (None, _) => {
            let _ = write!(out, "{}", summary_text(&summary, style));
        }
    }
    Ok(code)
}

fn names(blockers: &[stagegate::Blocker]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for b in blockers {
        if let Some(name) = b.criterion.as_deref().or(b.activity.as_deref()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.join(", ")
}

fn deal_text(impact: &DealImpact, style: Style) -> String {
    let mut out = format!(
        "{} {}\n",
        style.bold(&impact.deal),
        style.dim(&format!("({})", impact.stages.join(", ")))
    );
    if impact.changes.is_empty() {
        out.push_str(&format!("  {}\n", style.dim("no change")));
    }
    for change in &impact.changes {
        let line = match change {
            Change::NowBlocked {
                from,
                to,
                kind,
                blockers,
            } => style.red(&format!(
                "✗ {from} → {to} ({}) is now blocked: {}",
                kind.as_str(),
                names(blockers)
            )),
            Change::NowAllowed { from, to, kind } => style.green(&format!(
                "✓ {from} → {to} ({}) is now allowed",
                kind.as_str()
            )),
            Change::ReasonsChanged {
                from,
                to,
                before,
                after,
            } => format!(
                "~ {from} → {to} stays blocked: {} (was: {})",
                after.join(", "),
                before.join(", ")
            ),
            Change::Added { from, to, allowed } => format!(
                "+ {from} → {to} is a new move ({})",
                if *allowed { "allowed" } else { "blocked" }
            ),
            Change::Removed { from, to } => format!("- {from} → {to} is no longer a move"),
            Change::ActorsChanged { from, to, .. } => style.cyan(&format!(
                "@ {from} → {to}: who may act changes: {}",
                change.who_may_act().unwrap_or_default()
            )),
            Change::Score {
                card,
                total_before,
                total_after,
                band_before,
                band_after,
            } => format!(
                "# {card}: {} ({}) → {} ({})",
                total_before.map_or("-".to_owned(), |t| t.to_string()),
                band_before.as_deref().unwrap_or("no band"),
                total_after.map_or("-".to_owned(), |t| t.to_string()),
                band_after.as_deref().unwrap_or("no band"),
            ),
            Change::Validity { before, after } => style.yellow(&format!(
                "! valid before: {}; valid now: {}",
                before
                    .as_deref()
                    .map_or("yes".to_owned(), |p| format!("no ({p})")),
                after
                    .as_deref()
                    .map_or("yes".to_owned(), |p| format!("no ({p})")),
            )),
        };
        out.push_str(&format!("  {line}\n"));
    }
    out
}

fn summary_text(summary: &ImpactSummary, style: Style) -> String {
    let mut out = format!(
        "\n{} {} of {} deals change\n",
        style.bold("summary:"),
        summary.changed,
        summary.deals
    );
    if summary.refused > 0 {
        let noun = if summary.refused == 1 {
            "deal"
        } else {
            "deals"
        };
        out.push_str(&format!(
            "  {} {noun} left out: neither version takes them (errors above)\n",
            summary.refused
        ));
    }
    for line in &summary.lines {
        let noun = if line.deals == 1 { "deal" } else { "deals" };
        out.push_str(&format!("  {} {noun} {}\n", line.deals, line.change));
    }
    out
}
