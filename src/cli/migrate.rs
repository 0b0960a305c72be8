//! `stagegate migrate <old> <new> <deals>...`: carry deals to a newer playbook version.

use std::io::Write;

use stagegate::{Deal, DealError, DealProblem, Engine, MigrationError};

use super::args::{AtArg, Common, DealsArgs, Format, FormatArg};
use super::exit;
use super::input::{self, Step};
use super::output::{JsonList, Output};
use super::pipeline;

/// Arguments of `migrate`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at.help(
    "Time recorded in the migration's history entry: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format.default_value("yaml").value_parser(super::args::only(&[Format::Yaml, Format::Json, Format::Jsonl])).help(
    "yaml (default: one document per deal), json (one array) or jsonl (one deal per line)")))]
pub(crate) struct Args {
    /// The playbook version the deals are pinned to.
    old: String,
    /// The newer version, whose `migrations:` say how ids changed.
    new: String,
    #[command(flatten)]
    deals: DealsArgs,
    #[command(flatten)]
    actor: super::args::ActorArgs,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let errors = args.common.error_style();
    let old = input::playbook(&args.old, errors)?;
    let new = input::playbook(&args.new, errors)?;
    if old.id() != new.id() || old.version() >= new.version() {
        errln!(
            "{} `{}` ({}) is not a newer version of `{}` ({})",
            errors.red("error:"),
            args.new,
            new.pin(),
            args.old,
            old.pin()
        );
        return Err(exit::USAGE);
    }
    let at = args.at.time_for(&new, errors)?;
    let mut out = Output::stdout();
    let mut list = (args.output.format == Format::Json).then(|| JsonList::open(&mut out, ""));
    let mut first = true;
    let newer = Engine::new(new);
    let actor = args.actor.actor(newer.playbook(), errors)?;
    let by = stagegate::Options::new().as_actor(actor.as_ref());
    let compute = |deal: &Deal| newer.migrate(&old, deal, at, &by);
    let code = pipeline::each_deal(&args.deals.paths, compute, |read| {
        let (deal, origin, migrated) = match read {
            Ok(read) => read,
            Err(error) => return input::bad(&error, errors),
        };
        let moved = match migrated {
            Ok(moved) => moved,
            Err(refused) => {
                return input::bad(&origin.locate(&deal, as_deal_error(refused)), errors)
            }
        };
        let written = match (&mut list, args.output.format) {
            (Some(list), _) => list.item(&mut out, &moved),
            (None, Format::Jsonl) => match serde_json::to_string(&moved) {
                Ok(json) => writeln!(out, "{json}"),
                Err(error) => Err(std::io::Error::other(error)),
            },
            (None, _) => match moved.to_yaml() {
                Ok(yaml) => {
                    let separator = if first { "" } else { "---\n" };
                    first = false;
                    write!(out, "{separator}{yaml}")
                }
                Err(error) => Err(std::io::Error::other(error)),
            },
        };
        Step::after(written)
    });
    if let Some(list) = list {
        list.close(&mut out, "");
    }
    Ok(code)
}

/// A refused migration, reported like any other bad deal (file, line, deal, every reason).
fn as_deal_error(refused: MigrationError) -> DealError {
    let problems = refused
        .problems
        .iter()
        .map(|p| DealProblem::Unreadable(format!("cannot migrate to `{}`: {p}", refused.to)))
        .collect();
    DealError::new(refused.deal, problems)
}
