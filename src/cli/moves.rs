//! `stagegate move <playbook> <deal> --to <stage>`: apply one move, print the updated deal.

use stagegate::{Move, MoveError};

use super::args::{AtArg, Common, Format, FormatArg, PlaybookArg};
use super::{exit, input, render};

/// Arguments of `move`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time of the move: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format
    .default_value("yaml")
    .help("yaml (default) or json for the updated deal")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    /// A file holding one deal; `-` reads standard input.
    deal: String,
    /// The target stage.
    #[arg(long)]
    to: String,
    /// The source stage, when the deal is in several stages that could make the move.
    #[arg(long)]
    from: Option<String>,
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
    let (deal, origin) = input::one_deal(&args.deal, errors)?;
    let mut wanted = Move::to(&args.to);
    if let Some(from) = &args.from {
        wanted = wanted.from(from);
    }
    if args.force {
        wanted = wanted.forced(args.reason.clone().unwrap_or_default());
    }
    match engine.apply(&deal, &wanted, at) {
        Ok(moved) => {
            let text = match args.output.format {
                Format::Json | Format::Jsonl => {
                    serde_json::to_string_pretty(&moved).map_err(|e| e.to_string())
                }
                Format::Yaml | Format::Text => moved.to_yaml(),
            };
            match text {
                Ok(text) => {
                    outln!("{}", text.trim_end());
                    Ok(exit::OK)
                }
                Err(error) => {
                    errln!("{} {error}", errors.red("error:"));
                    Ok(exit::USAGE)
                }
            }
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
            errln!(
                "{} to make it anyway, add --force --reason \"...\"",
                errors.cyan("help:")
            );
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
