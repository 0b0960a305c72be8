//! `stagegate move <playbook> <deals> [--deal <id>] --to <stage> [--in-place]`: apply one move;
//! print the updated deal, or write it back into its file.

use stagegate::{Deal, Move, MoveError};

use super::args::{AtArg, Common, Format, FormatArg, PlaybookArg};
use super::{book, exit, input, render, Style};

/// Arguments of `move`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time of the move: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
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
    /// The deal to move, by id (or `#3` for the third, if it has no id), in a file of many.
    #[arg(long, value_name = "ID")]
    deal: Option<String>,
    /// Write the moved deal back into the file, every other deal unchanged, instead of printing it.
    #[arg(long)]
    in_place: bool,
    /// The target stage.
    #[arg(long)]
    to: String,
    /// The source stage, when the deal is in several stages that could make the move.
    #[arg(long)]
    from: Option<String>,
    #[command(flatten)]
    actor: super::args::ActorArgs,
    /// Make the move even if it is blocked (needs --reason; recorded in the history).
    #[arg(long, requires = "reason")]
    force: bool,
    /// Why a forced move is made.
    #[arg(long, requires = "force")]
    reason: Option<String>,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let errors = args.common.error_style();
    let engine = args.playbook.engine(&args.common)?;
    let at = args.at.time(engine.playbook())?;
    let (deals, deal, origin) =
        book::open(&args.deals, args.deal.as_deref(), args.in_place, errors)?;
    let mut wanted = Move::to(&args.to);
    if let Some(from) = &args.from {
        wanted = wanted.from(from);
    }
    if args.force {
        wanted = wanted.forced(args.reason.clone().unwrap_or_default());
    }
    if let Some(actor) = args.actor.actor(engine.playbook(), errors)? {
        wanted = wanted.by(actor);
    }
    match engine.apply(&deal, &wanted, at) {
        Ok(applied) => {
            let moved = &applied.deal;
            let code = book::store(
                &deals,
                &args.deals,
                &origin,
                moved,
                (args.in_place, args.output.format),
                || confirmation(moved, &origin.label(moved), &args.deals, errors),
                errors,
            );
            // What the move sets in motion, for the person who made it (the deal is on stdout).
            if code == exit::OK && !applied.effects.is_empty() {
                super::output::print_error(format_args!(
                    "{}",
                    render::effects(&applied.effects, engine.language(), errors)
                ));
            }
            Ok(code)
        }
        Err(MoveError::Blocked { check }) => {
            let label = origin.label(&deal);
            errln!(
                "{} deal `{label}`: the move from `{}` to `{}` is blocked:",
                errors.red("blocked:"),
                check.from,
                check.to
            );
            super::output::print_error(format_args!(
                "{}",
                render::blockers(&check.blockers, engine.language(), errors, 2)
            ));
            // What the person can do next: get an approval, or (if they may) force the move.
            let approvals: Vec<&str> = check
                .blockers
                .iter()
                .filter(|b| b.reason == stagegate::Reason::ApprovalMissing)
                .filter_map(|b| b.criterion.as_deref())
                .collect();
            for criterion in approvals {
                errln!(
                    "{} an approver gives `{criterion}` with: stagegate approve <playbook> <deals> --criterion {criterion} --as <id> --role <role>",
                    errors.cyan("help:")
                );
            }
            let force = engine.playbook().permissions().force.as_ref();
            let may_force = match (force, &wanted.by) {
                (None, _) => true,
                (Some(roles), Some(actor)) => roles.iter().any(|r| actor.roles.contains(r)),
                (Some(_), None) => false,
            };
            if may_force {
                errln!(
                    "{} to make it anyway, add --force --reason \"...\"",
                    errors.cyan("help:")
                );
            }
            if matches!(args.output.format, Format::Json | Format::Jsonl) {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&check).unwrap_or_default()
                );
            }
            Ok(exit::BLOCKED)
        }
        Err(MoveError::Deal(error)) => {
            input::report(&origin.locate(&deal, error), errors);
            Ok(exit::USAGE)
        }
        Err(MoveError::Forbidden { check, message }) => {
            errln!(
                "{} deal `{}`: the move from `{}` to `{}` is blocked:",
                errors.red("blocked:"),
                origin.label(&deal),
                check.from,
                check.to
            );
            super::output::print_error(format_args!(
                "{}",
                render::blockers(&check.blockers, engine.language(), errors, 2)
            ));
            errln!("{} {message}", errors.red("refused:"));
            Ok(exit::BLOCKED)
        }
        Err(error @ MoveError::NoActor) => {
            errln!(
                "{} deal `{}`: {error}",
                errors.red("error:"),
                origin.label(&deal)
            );
            errln!(
                "{} say who makes the move: --as <id> --role <role>",
                errors.cyan("help:")
            );
            Ok(exit::USAGE)
        }
        Err(error) => {
            errln!(
                "{} deal `{}`: {error}",
                errors.red("error:"),
                origin.label(&deal)
            );
            Ok(exit::USAGE)
        }
    }
}

/// The line that says a move was written back: "moved: deal `D-2` from `qualify` to `propose`
/// (advance); `book.jsonl` written".
fn confirmation(moved: &Deal, label: &str, path: &str, style: Style) -> String {
    let Some(last) = moved.history.last() else {
        return format!("{} deal `{label}`; `{path}` written", style.green("moved:"));
    };
    let how = match (last.kind, last.forced) {
        (Some(kind), true) => format!(" ({}, forced)", kind.as_str()),
        (Some(kind), false) => format!(" ({})", kind.as_str()),
        (None, true) => " (forced)".to_owned(),
        (None, false) => String::new(),
    };
    format!(
        "{} deal `{label}` from `{}` to `{}`{how}; `{path}` written",
        style.green("moved:"),
        last.from.as_deref().unwrap_or("?"),
        last.to
    )
}
