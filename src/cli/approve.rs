//! `stagegate approve <playbook> <deals> [--deal <id>] --criterion <id> --as <id> --role <role>...
//! [--in-place]`: give an approval; print the updated deal, or write it back into its file.

use stagegate::{ApproveError, Deal, Problem};

use super::args::{AtArg, Common, Format, FormatArg, PlaybookArg};
use super::{book, exit, input, render, Style};

/// Arguments of `approve`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time of the approval: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
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
    /// The deal to approve, by id (or `#3` for the third, if it has no id), in a file of many.
    #[arg(long, value_name = "ID")]
    deal: Option<String>,
    /// Write the approved deal back into the file, every other deal unchanged, instead of
    /// printing it.
    #[arg(long)]
    in_place: bool,
    /// The approval criterion (`approval: { role }` in the playbook) to approve.
    #[arg(long, value_name = "ID")]
    criterion: String,
    /// The id of the person approving (recorded as `by`); not the deal's owner.
    #[arg(long = "as", value_name = "ID")]
    id: String,
    /// A role the person holds (repeat for several); one must be the approving role.
    #[arg(long = "role", value_name = "ROLE")]
    roles: Vec<String>,
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
    let actor = super::args::actor(engine.playbook(), &args.id, &args.roles, errors)?;
    let label = origin.label(&deal);
    match engine.approve(&deal, &args.criterion, &actor, at) {
        Ok(approved) => Ok(book::store(
            &deals,
            &args.deals,
            &origin,
            &approved,
            (args.in_place, args.output.format),
            || confirmation(&approved, &label, &args.deals, errors),
            errors,
        )),
        Err(ApproveError::Deal(error)) => {
            input::report(&origin.locate(&deal, error), errors);
            Ok(exit::USAGE)
        }
        Err(error) if errors.json() => {
            let mut problem = Problem::from(&error).for_deal(label);
            if let Some(help) = role_help(&error, &args.roles) {
                problem = problem.with_help(help);
            }
            super::output::problem(&problem);
            Ok(refusal_code(&error))
        }
        Err(error @ ApproveError::UnknownCriterion { .. }) => {
            errln!("{} deal `{label}`: {error}", errors.red("error:"));
            Ok(exit::USAGE)
        }
        Err(error) => {
            let message = render::times_in(engine.playbook(), &error.to_string());
            errln!("{} deal `{label}`: {message}", errors.red("refused:"));
            if let Some(help) = role_help(&error, &args.roles) {
                errln!("{} {help}", errors.cyan("help:"));
            }
            Ok(exit::BLOCKED)
        }
    }
}

/// The exit code of an approval not given: 2 for a criterion the playbook does not have, 3 for
/// any other refusal.
fn refusal_code(error: &ApproveError) -> u8 {
    match error {
        ApproveError::Deal(_) | ApproveError::UnknownCriterion { .. } => exit::USAGE,
        _ => exit::BLOCKED,
    }
}

/// Help for an approver who named no role.
fn role_help(error: &ApproveError, roles: &[String]) -> Option<&'static str> {
    (matches!(error, ApproveError::Forbidden { .. }) && roles.is_empty())
        .then_some("say which roles the person holds: --role <role>")
}

/// The line that says an approval was written back: "approved: `discount_approved` on deal
/// `D-2` by park; `book.jsonl` written".
fn confirmation(approved: &Deal, label: &str, path: &str, style: Style) -> String {
    let last = approved.history.last();
    format!(
        "{} `{}` on deal `{label}` by {}; `{path}` written",
        style.green("approved:"),
        last.and_then(|e| e.approved.as_deref()).unwrap_or("?"),
        last.and_then(|e| e.by.as_deref()).unwrap_or("?"),
    )
}
