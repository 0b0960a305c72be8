//! `stagegate-load`: a load benchmark for the stagegate server, run as its own process beside a
//! running server on the same machine.
//!
//! ```sh
//! stagegate-load read --url http://127.0.0.1:8080 --token "$TOKEN" --connections 64 --duration 10
//! stagegate-load move --url http://127.0.0.1:8080 --token "$TOKEN" --connections 8
//! stagegate-load idle --url http://127.0.0.1:8080 --idle 10000
//! ```
//!
//! `read` and `move` create their deals through the API first (the token must be a user's of the
//! server, from its `add-user` command), then time `GET /deals/{id}` or `POST /deals/{id}/moves`
//! (see `timed.rs`); `idle` needs no token (see `idle.rs`). Each prints requests per second,
//! latency percentiles and the count of answers that were not 2xx, as text or, with `--row`, as a
//! row of the markdown table `benches/load.sh` prints. A benchmark, never a test: it asserts
//! nothing and exits 0 whatever the server answered, unless it could not run (exit 1) or was used
//! wrongly (exit 2).

mod client;
mod deals;
mod idle;
mod report;
mod timed;

use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand};

use crate::client::Target;
use crate::report::{Figures, Outcome};

/// Load benchmark for the stagegate server: reads, moves, and a new client beside idle connections.
#[derive(Parser)]
#[command(
    name = "stagegate-load",
    version,
    after_help = "See benches/README.md, \"Server load\"."
)]
struct Cli {
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// `GET /deals/{id}` over deals created first, on N keep-alive connections for D seconds.
    Read(Timed),
    /// `POST /deals/{id}/moves`, every move allowed (qualification ⇄ needs analysis), on N
    /// keep-alive connections for D seconds.
    Move(Timed),
    /// K idle connections that send half a request head and stall, then a new client's
    /// `GET /health` timed several times, each on a fresh connection.
    Idle(Idle),
    /// Prints the header of the markdown table that `--row` writes rows of.
    Header,
}

/// Options of every scenario.
#[derive(Args)]
struct Common {
    /// The server's base URL; it must be on this machine (a loopback address).
    #[arg(long, value_name = "URL")]
    url: String,
    /// Seconds one request may take before it counts as an error.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    timeout: f64,
    /// Threads of the load generator (1 leaves the other cores to the server).
    #[arg(long, default_value_t = 1, value_name = "N")]
    threads: usize,
    /// Print one row of a markdown table, with this name for the server, instead of text.
    #[arg(long, value_name = "SERVER")]
    row: Option<String>,
}

/// Options of `read` and `move`.
#[derive(Args)]
struct Timed {
    #[command(flatten)]
    common: Common,
    /// A user's token (`add-user` prints it); it creates, reads and moves the deals.
    #[arg(
        long,
        env = "STAGEGATE_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: String,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 8, value_name = "N")]
    connections: usize,
    /// Seconds measured.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    duration: f64,
    /// Seconds of load before the measurement, not measured.
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    warmup: f64,
    /// Deals created before the clock starts (read: all of them in turn; move: shared out among
    /// the connections).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    deals: usize,
    /// Prefix of the created deals' ids (default: `LOAD-` and the time, unique per run).
    #[arg(long, value_name = "TEXT")]
    prefix: Option<String>,
}

/// Options of `idle`.
#[derive(Args)]
struct Idle {
    #[command(flatten)]
    common: Common,
    /// Idle connections to open.
    #[arg(long, default_value_t = 1000, value_name = "K")]
    idle: usize,
    /// Times the new client asks `GET /health`.
    #[arg(long, default_value_t = 10, value_name = "N")]
    probes: usize,
    /// Seconds between the last idle connection and the first probe.
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    settle: f64,
}

/// File descriptors the load generator needs beside the connections it opens.
const SPARE_FILES: u64 = 64;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let common = match &cli.scenario {
        Scenario::Read(timed) | Scenario::Move(timed) => &timed.common,
        Scenario::Idle(idle) => &idle.common,
        Scenario::Header => {
            println!("{}", Figures::header());
            return ExitCode::SUCCESS;
        }
    };
    let runtime = if common.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(common.threads)
            .enable_all()
            .build()
    };
    let row = common.row.is_some();
    let figures = match runtime {
        Ok(runtime) => runtime.block_on(run(cli.scenario)),
        Err(error) => Err(format!("cannot start the runtime: {error}")),
    };
    match figures {
        Ok(figures) => {
            if row {
                println!("{}", figures.row());
            } else {
                print!("{}", figures.text());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("stagegate-load: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a scenario and returns its figures.
async fn run(scenario: Scenario) -> Result<Figures, String> {
    match scenario {
        Scenario::Read(timed) => run_timed(timed, timed::Work::Read).await,
        Scenario::Move(timed) => run_timed(timed, timed::Work::Move).await,
        Scenario::Idle(options) => run_idle(options).await,
        Scenario::Header => Err("the header has no figures".to_owned()),
    }
}

/// `read` and `move`: creates the deals, then measures.
async fn run_timed(options: Timed, work: timed::Work) -> Result<Figures, String> {
    let common = options.common;
    if options.connections == 0 || options.deals < options.connections {
        return Err(
            "give at least one connection, and at least as many deals as connections".to_owned(),
        );
    }
    let plan = timed::Plan {
        connections: options.connections,
        warmup: seconds(options.warmup)?,
        duration: seconds(options.duration)?,
    };
    let mut notes = raise_file_limit(options.connections as u64 + SPARE_FILES).1;
    let target =
        Target::resolve(&common.url, Some(options.token), seconds(common.timeout)?).await?;
    let prefix = options.prefix.unwrap_or_else(default_prefix);
    let created = Instant::now();
    let deals = deals::create(&target, &prefix, options.deals).await?;
    notes.push(format!(
        "{} deals created in {:.1} s",
        deals.len(),
        created.elapsed().as_secs_f64()
    ));
    let (mut outcome, measured) = timed::run(&target, work, deals, plan).await?;
    let answered = outcome.latencies.len() as f64;
    if work == timed::Work::Move {
        // Histories grow with every move; say by how much.
        notes.push(format!(
            "{:.1} measured moves per deal",
            answered / options.deals as f64
        ));
    }
    outcome.notes.splice(0..0, notes);
    let rate = answered / measured.as_secs_f64();
    let name = if work == timed::Work::Read {
        "read"
    } else {
        "move"
    };
    Ok(figures(
        common.row.as_deref(),
        name,
        options.connections,
        Some(rate),
        outcome,
    ))
}

/// `idle`: raises the file limit, opens the idle connections and probes.
async fn run_idle(options: Idle) -> Result<Figures, String> {
    let common = options.common;
    let (limit, mut notes) = raise_file_limit(options.idle as u64 + SPARE_FILES);
    let room = usize::try_from(limit.saturating_sub(SPARE_FILES)).unwrap_or(usize::MAX);
    let idle = if options.idle > room {
        notes.push(format!(
            "only {room} idle connections tried: the limit of open files is {limit}"
        ));
        room
    } else {
        options.idle
    };
    let target = Target::resolve(&common.url, None, seconds(common.timeout)?).await?;
    let plan = idle::Plan {
        idle,
        probes: options.probes,
        settle: seconds(options.settle)?,
    };
    let mut outcome = idle::run(&target, plan).await;
    outcome.notes.splice(0..0, notes);
    let name = format!("idle + new client ×{}", options.probes);
    Ok(figures(
        common.row.as_deref(),
        &name,
        options.idle,
        None,
        outcome,
    ))
}

/// The figures of a scenario, named for the table.
fn figures(
    server: Option<&str>,
    scenario: &str,
    connections: usize,
    rate: Option<f64>,
    outcome: Outcome,
) -> Figures {
    Figures {
        server: server.unwrap_or("server").to_owned(),
        scenario: scenario.to_owned(),
        connections,
        rate,
        outcome,
    }
}

/// Raises the soft limit of open files towards `needed` (up to the hard limit); returns the limit
/// in force and a note when it stays below `needed`.
fn raise_file_limit(needed: u64) -> (u64, Vec<String>) {
    match rlimit::increase_nofile_limit(needed) {
        Ok(limit) if limit >= needed => (limit, Vec::new()),
        Ok(limit) => (limit, vec![format!(
            "the limit of open files could not be raised to {needed} (it is {limit}; raise the hard limit, e.g. `ulimit -Hn`, as root)"
        )]),
        Err(error) => (u64::MAX, vec![format!("the limit of open files could not be read or raised: {error}")]),
    }
}

/// A duration from a number of seconds given on the command line.
fn seconds(value: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(value).map_err(|_| format!("`{value}` is not a number of seconds"))
}

/// `LOAD-` and the current time in milliseconds: a prefix no earlier run used.
fn default_prefix() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |t| t.as_millis());
    format!("LOAD-{millis}")
}
