//! `stagegate due <playbook> <deals>... [--within 7d]`: the open tasks due soon or overdue, by
//! assignee, for a weekly pipeline review.

use std::io::Write;

use stagegate::DueTask;

use super::args::{AtArg, Common, DealsArgs, Format, FormatArg, PlaybookArg};
use super::input;
use super::output::Output;
use super::{pipeline, Style};

/// Arguments of `due`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("at", |at| at.help(
    "\"Now\": a date, or a date-time with or without its zone (read in the playbook's time zone); default now")))]
#[command(mut_arg("format", |format| format
    .value_parser(super::args::only(&[Format::Text, Format::Json, Format::Jsonl]))
    .help("text for people (by assignee), json for one array, jsonl for one task per line")))]
pub(crate) struct Args {
    #[command(flatten)]
    playbook: PlaybookArg,
    #[command(flatten)]
    deals: DealsArgs,
    /// Tasks due within this many days (`7d` or `7`), and every overdue one; default: every
    /// open task.
    #[arg(long, value_name = "DAYS", value_parser = days)]
    within: Option<u32>,
    #[command(flatten)]
    at: AtArg,
    #[command(flatten)]
    output: FormatArg,
    #[command(flatten)]
    common: Common,
}

/// `7d` or `7`: whole days.
fn days(text: &str) -> Result<u32, String> {
    let number = text.strip_suffix('d').unwrap_or(text);
    number
        .parse::<u32>()
        .map_err(|_| format!("`{text}` is not a number of days: write 7d or 7"))
}

pub(crate) fn run(args: &Args) -> Result<u8, u8> {
    let style = args.common.style();
    let errors = args.common.error_style();
    let engine = args.playbook.engine_for(&args.common, errors)?;
    let at = args.at.time_for(engine.playbook(), errors)?;
    let compute = |deal: &stagegate::Deal| engine.tasks_due(deal, at, args.within);
    let mut tasks: Vec<DueTask> = Vec::new();
    let code = pipeline::each_deal(&args.deals.paths, compute, |read| match read {
        Ok((_, _, Ok(due))) => {
            tasks.extend(due);
            input::Step::Next
        }
        Ok((deal, origin, Err(error))) => input::bad(&origin.locate(&deal, error), errors),
        Err(error) => input::bad(&error, errors),
    });
    let mut out = Output::stdout();
    let written = match args.output.format {
        Format::Json => serde_json::to_string_pretty(&tasks)
            .map_err(std::io::Error::other)
            .and_then(|json| writeln!(out, "{json}")),
        Format::Jsonl => tasks.iter().try_for_each(|task| {
            serde_json::to_string(task)
                .map_err(std::io::Error::other)
                .and_then(|json| writeln!(out, "{json}"))
        }),
        _ => write!(
            out,
            "{}",
            text(&tasks, engine.playbook(), engine.language(), style)
        ),
    };
    // A reader that went away (a closed pipe) ends the output quietly.
    let _ = written;
    Ok(code)
}

/// The tasks by assignee (people first, then roles), each group earliest first, due times in
/// `playbook`'s time zone.
fn text(tasks: &[DueTask], playbook: &stagegate::Playbook, lang: &str, style: Style) -> String {
    let words = stagegate::MessageLanguage::of(lang);
    if tasks.is_empty() {
        return format!(
            "{}\n",
            words.pick("기한이 다가오거나 지난 할 일이 없습니다", "no tasks due")
        );
    }
    let who = |task: &DueTask| match (&task.assignee, &task.role) {
        (Some(person), _) => (0, person.clone()),
        (None, Some(role)) => (1, format!("{} {role}", words.pick("역할", "role"))),
        (None, None) => (2, "?".to_owned()),
    };
    let mut groups: Vec<((u8, String), Vec<&DueTask>)> = Vec::new();
    for task in tasks {
        let key = who(task);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(task),
            None => groups.push((key, vec![task])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::new();
    for ((_, name), list) in groups {
        out.push_str(&format!("{}\n", style.bold(&name)));
        for task in list {
            let late = task.overdue_days.map_or(String::new(), |days| {
                style.red(&format!(
                    "  {days}{}",
                    words.pick(
                        "일 초과",
                        if days == 1 {
                            " day overdue"
                        } else {
                            " days overdue"
                        }
                    )
                ))
            });
            out.push_str(&format!(
                "  {}  {}  {} ({}){late}\n",
                super::render::time(playbook, &task.due),
                task.deal.as_deref().unwrap_or("(no id)"),
                task.title,
                task.stage
            ));
            for warning in &task.warnings {
                out.push_str(&format!("    {} {}\n", style.yellow("!"), warning.message));
            }
        }
    }
    out
}
