//! `stagegate migrate <old> <new> <deals>...`: carry deals to a newer playbook version.

use std::io::Write;

use stagegate::{migrate, Deal, DealError, DealProblem, MigrationError};

use super::input::{self, Step};
use super::output::{JsonList, Output};
use super::pipeline;
use super::{exit, Common, Format, Style};

/// Arguments of `migrate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The playbook version the deals are pinned to.
    old: String,
    /// The newer version, whose `migrations:` say how ids changed.
    new: String,
    /// Deal files (YAML, JSON, JSON array, JSON Lines); `-` reads standard input.
    #[arg(required = true)]
    deals: Vec<String>,
    /// Time recorded in the migration's history entry: a date or RFC 3339 date-time; default now.
    #[arg(long)]
    at: Option<String>,
    /// yaml (default: one document per deal), json (one array) or jsonl (one deal per line).
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    format: Format,
    #[command(flatten)]
    common: Common,
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let errors = Style::new(args.common.color, true);
    let old = input::playbook(&args.old, errors)?;
    let new = input::playbook(&args.new, errors)?;
    if old.id() != new.id() || old.version() >= new.version() {
        eprintln!(
            "{} `{}` ({}) is not a newer version of `{}` ({})",
            errors.red("error:"),
            args.new,
            new.pin(),
            args.old,
            old.pin()
        );
        return Err(exit::USAGE);
    }
    let at = input::at(args.at.as_deref())?;
    let mut out = Output::stdout();
    let mut list = (args.format == Format::Json).then(|| JsonList::open(&mut out, ""));
    let mut first = true;
    let compute = |deal: &Deal| migrate(&old, &new, deal, at);
    let code = pipeline::each_deal(&args.deals, compute, |read| {
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
        let written = match (&mut list, args.format) {
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
