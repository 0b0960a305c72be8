//! `stagegate edit <playbook> <deals> [--deal <id>] --set field=value... [--unset field...]
//! [--tick activity...] [--untick activity...] [--owner id] --as <id> --role <role>...
//! [--in-place]`: change a deal's fields, activities and owner; print what changed (or the
//! deal), or write it back into its file.

use stagegate::{Changes, Edited, Engine, Options};

use super::args::{ActorArgs, AtArg, Common, Format, FormatArg, PlaybookArg};
use super::{book, exit, refusal, render, Style};

/// Arguments of `edit`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at
    .help("Time of the change: a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format
    .value_parser(super::args::only(&[Format::Text, Format::Json, Format::Yaml]))
    .help("text (default): what changed; json or yaml: the edited deal")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    /// A file of deals (YAML, multi-document YAML, JSON, JSON array, JSON Lines): one deal, or
    /// many with --deal; `-` reads standard input.
    #[arg(value_name = "DEALS")]
    deals: String,
    /// The deal to change, by id (or `#3` for the third, if it has no id), in a file of many.
    #[arg(long, value_name = "ID")]
    deal: Option<String>,
    /// Write the changed deal back into the file, every other deal unchanged.
    #[arg(long)]
    in_place: bool,
    /// Set a field (repeat for several), the value read as the field's declared type: a
    /// number, a whole number, true/false, a date (2026-11-27) or date-time, a text, one of an
    /// enum's values, a list (items separated by commas).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Remove a field's value (repeat for several).
    #[arg(long = "unset", value_name = "FIELD")]
    unset: Vec<String>,
    /// Mark an activity done, now, by the person acting (repeat for several).
    #[arg(long = "tick", value_name = "ACTIVITY")]
    tick: Vec<String>,
    /// Mark an activity not done (repeat for several).
    #[arg(long = "untick", value_name = "ACTIVITY")]
    untick: Vec<String>,
    /// Give the deal to another owner (an id).
    #[arg(long, value_name = "ID")]
    owner: Option<String>,
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
    let changes = changes(args, &engine, errors)?;
    let (deals, deal, origin) =
        book::open(&args.deals, args.deal.as_deref(), args.in_place, errors)?;
    let actor = args.actor.actor(engine.playbook(), errors)?;
    let label = origin.label(&deal);
    let edited = match engine.edit(
        &deal,
        &changes,
        at,
        &Options::new().as_actor(actor.as_ref()),
    ) {
        Ok(edited) => edited,
        Err(error) => return Ok(refusal::change(error, &engine, &deal, &origin, errors)),
    };
    let made = &edited.deal.history[deal.history.len()..];
    let summary = render::edits(made, &edited.voided, engine.playbook(), args.common.style());
    if args.output.format == Format::Text && !args.in_place {
        out!("{summary}");
        if made.is_empty() {
            outln!("deal `{label}`: nothing changed (it already holds those values)");
        }
        return Ok(exit::OK);
    }
    let code = book::store(
        &deals,
        &args.deals,
        &origin,
        &edited.deal,
        (args.in_place, args.output.format),
        || confirmation(&edited, made.len(), &label, &args.deals, errors),
        errors,
    );
    // What changed, for the person who changed it (the file holds the deal).
    if code == exit::OK && args.in_place && args.output.format == Format::Text {
        out!("{summary}");
    }
    Ok(code)
}

/// The changes the arguments ask for, each `--set` value read as its field's type; a value that
/// does not read is bad usage, naming the field, the value and the type.
fn changes(args: &Args, engine: &Engine, errors: Style) -> Result<Changes, u8> {
    let mut changes = Changes::new();
    for set in &args.set {
        let Some((name, text)) = set.split_once('=') else {
            return Err(usage(
                format!(
                    "--set `{set}`: give a field and its value as FIELD=VALUE (--set budget=80000)"
                ),
                errors,
            ));
        };
        let name = name.trim();
        // A field the playbook does not declare goes to the engine as written, which names it
        // with the likely one.
        let value = match engine.playbook().fields().iter().find(|f| f.id == name) {
            Some(field) => stagegate::import::field_value(text, field, ",").map_err(|problem| {
                usage(
                    format!(
                        "--set {name}={text}: field `{name}` holds {}: {problem}",
                        kind(field.kind)
                    ),
                    errors,
                )
            })?,
            None => serde_json::Value::from(text),
        };
        changes = changes.set(name, value);
    }
    for name in &args.unset {
        changes = changes.remove(name.trim());
    }
    for name in &args.tick {
        changes = changes.tick(name.trim());
    }
    for name in &args.untick {
        changes = changes.untick(name.trim());
    }
    if let Some(owner) = &args.owner {
        changes = changes.owner(owner.trim());
    }
    if changes.is_empty() {
        return Err(usage(
            "nothing to change: give --set FIELD=VALUE, --unset FIELD, --tick ACTIVITY, \
             --untick ACTIVITY or --owner ID"
                .to_owned(),
            errors,
        ));
    }
    Ok(changes)
}

/// A field's type as a message names it.
fn kind(kind: stagegate::FieldType) -> &'static str {
    use stagegate::FieldType;
    match kind {
        FieldType::Bool => "true or false",
        FieldType::Integer => "a whole number",
        FieldType::Number => "a number",
        FieldType::Text => "a text",
        FieldType::Date => "a date",
        FieldType::Enum => "one of its values",
        FieldType::List => "a list (items separated by commas)",
    }
}

/// Bad usage, said on standard error.
fn usage(message: String, errors: Style) -> u8 {
    let problem = stagegate::Problem::new(stagegate::ProblemKind::Request, "bad-change", message);
    super::input::refuse(&problem, errors)
}

/// The line that says an edit was written back: "edited: deal `D-2`, 2 changes; `book.jsonl`
/// written".
fn confirmation(edited: &Edited, made: usize, label: &str, path: &str, style: Style) -> String {
    let voided = if edited.voided.is_empty() {
        String::new()
    } else {
        format!(", approvals voided: {}", edited.voided.join(", "))
    };
    let changes = if made == 1 { "change" } else { "changes" };
    format!(
        "{} deal `{label}`, {made} {changes}{voided}; `{path}` written",
        style.green("edited:")
    )
}
