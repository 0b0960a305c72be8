//! `stagegate move <playbook> <deals> [--deal <id>] --to <stage> [--in-place]`: apply one move;
//! print the updated deal, or write it back into its file.

use stagegate::{Deal, Effect, Engine, Move, MoveError, Problem};

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
    let errors = args.common.error_style_for(args.output.format);
    let engine = args.playbook.engine_for(&args.common, errors)?;
    let at = args.at.time_for(engine.playbook(), errors)?;
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
    let label = origin.label(&deal);
    match engine.apply(&deal, &wanted, at) {
        Ok(applied) => {
            let moved = &applied.deal;
            let code = book::store(
                &deals,
                &args.deals,
                &origin,
                moved,
                (args.in_place, args.output.format),
                || confirmation(moved, &label, &args.deals, errors),
                errors,
            );
            // What the move sets in motion, for the person who made it (the deal is on stdout).
            if code == exit::OK {
                report_effects(&applied.effects, &engine, errors);
            }
            Ok(code)
        }
        Err(MoveError::Deal(error)) => {
            input::report(&origin.locate(&deal, error), errors);
            Ok(exit::USAGE)
        }
        Err(error) if errors.json() => {
            let code = refusal_code(&error);
            let mut problem = Problem::from(&error).for_deal(label);
            if let Some(help) = help(&engine, &wanted, &error) {
                problem = problem.with_help(help.join("; "));
            }
            super::output::problem(&problem);
            // A blocked move is also printed on standard output, as `move-check`, as ever.
            if let MoveError::Blocked { check } = &error {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(check).unwrap_or_default()
                );
            }
            Ok(code)
        }
        Err(error) => {
            match &error {
                MoveError::Blocked { check } | MoveError::Forbidden { check, .. } => {
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
                    if let MoveError::Forbidden { message, .. } = &error {
                        errln!("{} {message}", errors.red("refused:"));
                    }
                }
                _ => errln!(
                    "{} deal `{label}`: {}",
                    errors.red("error:"),
                    render::times_in(engine.playbook(), &error.to_string())
                ),
            }
            for line in help(&engine, &wanted, &error).unwrap_or_default() {
                errln!("{} {line}", errors.cyan("help:"));
            }
            Ok(refusal_code(&error))
        }
    }
}

/// The exit code of a move not made: 3 when its gates (or who may force it) stand in the way,
/// 2 for a request the command cannot carry out as given.
fn refusal_code(error: &MoveError) -> u8 {
    match error {
        MoveError::Blocked { .. } | MoveError::Forbidden { .. } => exit::BLOCKED,
        _ => exit::USAGE,
    }
}

/// What the person can do next, on the command line: get an approval, force the move (if they
/// may), name who makes it or the source stage.
fn help(engine: &Engine, wanted: &Move, error: &MoveError) -> Option<Vec<String>> {
    let lines: Vec<String> = match error {
        MoveError::Blocked { check } => {
            let mut lines: Vec<String> = check
                .blockers
                .iter()
                .filter(|b| b.reason == stagegate::Reason::ApprovalMissing)
                .filter_map(|b| b.criterion.as_deref())
                .map(|criterion| format!(
                    "an approver gives `{criterion}` with: stagegate approve <playbook> <deals> --criterion {criterion} --as <id> --role <role>"
                ))
                .collect();
            let force = engine.playbook().permissions().force.as_ref();
            let may_force = match (force, &wanted.by) {
                (None, _) => true,
                (Some(roles), Some(actor)) => roles.iter().any(|r| actor.roles.contains(r)),
                (Some(_), None) => false,
            };
            if may_force {
                lines.push("to make it anyway, add --force --reason \"...\"".to_owned());
            }
            lines
        }
        MoveError::NoActor => vec!["say who makes the move: --as <id> --role <role>".to_owned()],
        MoveError::Ambiguous { .. } => vec!["name the source stage with --from <stage>".to_owned()],
        _ => Vec::new(),
    };
    (!lines.is_empty()).then_some(lines)
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

/// What a change set in motion (tasks, notifications), on standard error for the person who made
/// it: a JSON line each for programs, else in words. Nothing when it set nothing in motion.
pub(super) fn report_effects(effects: &[Effect], engine: &Engine, style: Style) {
    if effects.is_empty() {
        return;
    }
    if style.json() {
        for effect in effects {
            super::output::line_for_programs("effect", effect);
        }
    } else {
        super::output::print_error(format_args!(
            "{}",
            render::effects(effects, engine.playbook(), engine.language(), style)
        ));
    }
}
