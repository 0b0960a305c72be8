//! Argument parsing and dispatch; each command lives in its own file.

/// `print!` for commands: when the reader of the output went away (`| head`), the command stops
/// quietly, never with a panic.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::print(format_args!($($arg)*)) };
}

/// `outln!` for commands, stopping quietly like [`out!`].
macro_rules! outln {
    () => { $crate::cli::output::print(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::output::print(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `errln!` for commands: a message nobody can read any more (standard error closed) is
/// dropped, never a panic.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::print_error(format_args!("{}\n", format_args!($($arg)*))) };
}

mod approve;
mod archive;
mod args;
mod book;
mod check;
mod due;
mod edit;
mod eval;
mod graph;
mod impact;
mod import;
mod input;
mod metrics;
mod migrate;
mod moves;
mod output;
mod pipeline;
mod progress;
mod refusal;
mod render;
mod request;
mod schema;
mod score;
mod style;
mod test;

use clap::{Parser, Subcommand};

pub(crate) use style::Style;

/// Exit codes of the command line contract.
pub(crate) mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The playbook is invalid, or a test failed.
    pub const INVALID: u8 = 1;
    /// Bad usage or unreadable input.
    pub const USAGE: u8 = 2;
    /// A move was blocked.
    pub const BLOCKED: u8 = 3;
}

/// Check, test and run B2B sales playbooks.
#[derive(Debug, Parser)]
#[command(name = "stagegate", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load, validate and compile playbooks; print every diagnostic.
    Check(check::Args),
    /// For each deal: its stages, scores and every possible move, allowed or blocked with reasons.
    Eval(eval::Args),
    /// Apply one move to a deal and print the updated deal.
    Move(moves::Args),
    /// Approve an approval criterion of a deal (four eyes: not its owner) and print the updated deal.
    Approve(approve::Args),
    /// Change a deal's fields, activities or owner and print what changed (or the deal).
    Edit(edit::Args),
    /// Archive a deal (it leaves the board and refuses moves until brought back with --undo).
    Archive(archive::Args),
    /// Ask the approving role for an approval of a deal (a notification; asking again reminds).
    RequestApproval(request::Args),
    /// Run the playbook's embedded tests and any case files.
    Test(test::Args),
    /// Open tasks due soon or overdue, by assignee, for a pipeline review.
    Due(due::Args),
    /// Draw the playbook as a Mermaid or Graphviz DOT diagram.
    Graph(graph::Args),
    /// Print the JSON Schema of the playbook format, for editors, or of a JSON answer.
    Schema(schema::Args),
    /// Every scorecard of every deal, with each rule's points.
    Score(score::Args),
    /// Pipeline metrics over a book of deals: funnel, win rate, cycle time, forecast.
    Metrics(metrics::Args),
    /// What changes for each deal between two playbook versions.
    Impact(impact::Args),
    /// Turn CRM exports (CSV) into deals (JSON Lines) by a mapping file.
    Import(import::Args),
    /// Carry deals pinned to an older playbook version to a newer one, by its `migrations:`.
    Migrate(migrate::Args),
}

/// The name of the command running, for [`usage`].
static RUNNING: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// The usage line of the command running (`Usage: stagegate eval [OPTIONS] <PLAYBOOK>
/// <DEALS>...`), for messages about arguments in the wrong order.
pub(crate) fn usage() -> Option<String> {
    let mut cli = <Cli as clap::CommandFactory>::command();
    cli.build();
    let command = cli.find_subcommand_mut(RUNNING.get()?)?;
    Some(command.render_usage().to_string())
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Check(_) => "check",
            Command::Eval(_) => "eval",
            Command::Move(_) => "move",
            Command::Approve(_) => "approve",
            Command::Edit(_) => "edit",
            Command::Archive(_) => "archive",
            Command::RequestApproval(_) => "request-approval",
            Command::Test(_) => "test",
            Command::Due(_) => "due",
            Command::Graph(_) => "graph",
            Command::Schema(_) => "schema",
            Command::Score(_) => "score",
            Command::Metrics(_) => "metrics",
            Command::Impact(_) => "impact",
            Command::Import(_) => "import",
            Command::Migrate(_) => "migrate",
        }
    }
}

/// Runs a command and returns its exit code.
pub fn run(cli: Cli) -> u8 {
    let _ = RUNNING.set(cli.command.name());
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Eval(args) => eval::run(&args).unwrap_or_else(|code| code),
        Command::Move(args) => moves::run(&args).unwrap_or_else(|code| code),
        Command::Approve(args) => approve::run(&args).unwrap_or_else(|code| code),
        Command::Edit(args) => edit::run(&args).unwrap_or_else(|code| code),
        Command::Archive(args) => archive::run(&args).unwrap_or_else(|code| code),
        Command::RequestApproval(args) => request::run(&args).unwrap_or_else(|code| code),
        Command::Test(args) => test::run(&args).unwrap_or_else(|code| code),
        Command::Due(args) => due::run(&args).unwrap_or_else(|code| code),
        Command::Graph(args) => graph::run(&args).unwrap_or_else(|code| code),
        Command::Schema(args) => schema::run(&args),
        Command::Score(args) => score::run(&args).unwrap_or_else(|code| code),
        Command::Metrics(args) => metrics::run(&args).unwrap_or_else(|code| code),
        Command::Impact(args) => impact::run(&args).unwrap_or_else(|code| code),
        Command::Import(args) => import::run(&args),
        Command::Migrate(args) => migrate::run(&args).unwrap_or_else(|code| code),
    }
}
