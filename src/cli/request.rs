//! `stagegate request-approval <playbook> <deals> [--deal <id>] --criterion <id> [--note <text>]
//! --as <id> --role <role>... [--in-place]`: ask the approving role for an approval; print the
//! updated deal (or write it back into its file) and, on standard error, the notification.

use stagegate::Deal;
use stagegate::Options;

use super::args::{ActorArgs, AtArg, Common, Format, FormatArg, PlaybookArg};
use super::{book, exit, refusal, Style};

/// Arguments of `request-approval`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time of the request: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
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
    /// The deal, by id (or `#3` for the third, if it has no id), in a file of many.
    #[arg(long, value_name = "ID")]
    deal: Option<String>,
    /// Write the deal back into the file, every other deal unchanged, instead of printing it.
    #[arg(long)]
    in_place: bool,
    /// The approval criterion (`approval: { role }` in the playbook) to ask for.
    #[arg(long, value_name = "ID")]
    criterion: String,
    /// What to tell the approver; kept in the deal's history.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
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
    let asked =
        match engine.request_approval(&deal, &args.criterion, args.note.as_deref(), at, &options) {
            Ok(asked) => asked,
            Err(error) => return Ok(refusal::change(error, &engine, &deal, &origin, errors)),
        };
    let code = book::store(
        &deals,
        &args.deals,
        &origin,
        &asked.deal,
        (args.in_place, args.output.format),
        || confirmation(&asked.deal, &label, &args.deals, errors),
        errors,
    );
    // The notification for the approving role, for the person who asked (the deal is on stdout).
    if code == exit::OK {
        super::moves::report_effects(&asked.effects, &engine, errors);
    }
    Ok(code)
}

/// The line that says the request was recorded and written: "approval asked for: deal `D-2`
/// (`discount_approved`); `book.jsonl` written".
fn confirmation(asked: &Deal, label: &str, path: &str, style: Style) -> String {
    let criterion = asked
        .history
        .last()
        .and_then(|entry| entry.approval_requested.as_deref())
        .unwrap_or_default();
    format!(
        "{} deal `{label}` (`{criterion}`); `{path}` written",
        style.green("approval asked for:")
    )
}
