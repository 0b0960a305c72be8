//! `stagegate archive <playbook> <deals> [--deal <id>] --reason <text> --as <id> --role <role>...
//! [--undo] [--in-place]`: archive a deal (or bring it back with `--undo`); print the updated
//! deal, or write it back into its file.

use stagegate::{Deal, Options};

use super::args::{ActorArgs, AtArg, Common, Format, FormatArg, PlaybookArg};
use super::{book, refusal, Style};

/// Arguments of `archive`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time of the archiving: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format
    .default_value("yaml")
    .value_parser(super::args::only(&[Format::Yaml, Format::Json, Format::Jsonl]))
    .help("yaml (default), json or jsonl (one line) for the updated deal")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    /// A file of deals (YAML, multi-document YAML, JSON, JSON array, JSON Lines): one deal, or
    /// many with --deal; `-` reads standard input.
    #[arg(value_name = "DEALS")]
    deals: String,
    /// The deal to archive, by id (or `#3` for the third, if it has no id), in a file of many.
    #[arg(long, value_name = "ID")]
    deal: Option<String>,
    /// Write the archived deal back into the file, every other deal unchanged, instead of
    /// printing it.
    #[arg(long)]
    in_place: bool,
    /// Why the deal is archived (a duplicate, junk, ...); kept in the deal and its history.
    #[arg(long, value_name = "TEXT", required_unless_present = "undo")]
    reason: Option<String>,
    /// Bring an archived deal back instead.
    #[arg(long, conflicts_with = "reason")]
    undo: bool,
    #[command(flatten)]
    actor: ActorArgs,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let errors = args.common.error_style_for(args.output.format);
    let engine = args.playbook.engine_for(&args.common, errors)?;
    let at = args.at.time_for(engine.playbook(), errors)?;
    let (deals, deal, origin) =
        book::open(&args.deals, args.deal.as_deref(), args.in_place, errors)?;
    let actor = args.actor.actor(engine.playbook(), errors)?;
    let options = Options::new().as_actor(actor.as_ref());
    let label = origin.label(&deal);
    let changed = match &args.reason {
        Some(reason) if !args.undo => engine.archive(&deal, reason, at, &options),
        _ => engine.unarchive(&deal, at, &options),
    };
    match changed {
        Ok(changed) => Ok(book::store(
            &deals,
            &args.deals,
            &origin,
            &changed,
            (args.in_place, args.output.format),
            || confirmation(&changed, &label, &args.deals, errors),
            errors,
        )),
        Err(error) => Ok(refusal::change(error, &engine, &deal, &origin, errors)),
    }
}

/// The line that says a deal was archived or brought back and written: "archived: deal `D-2`
/// (duplicate of D-7); `book.jsonl` written".
fn confirmation(changed: &Deal, label: &str, path: &str, style: Style) -> String {
    match &changed.archived {
        Some(archived) => format!(
            "{} deal `{label}` ({}); `{path}` written",
            style.green("archived:"),
            archived.reason
        ),
        None => format!(
            "{} deal `{label}`; `{path}` written",
            style.green("unarchived:")
        ),
    }
}
