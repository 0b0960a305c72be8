//! The command line: serve (the default), `add-user` and `revoke-user`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::auth;

/// The database when neither `--db` nor `STAGEGATE_DB` names one.
pub const DEFAULT_DB: &str = "stagegate-service.sqlite3";

/// The stagegate server: an HTTP JSON API over the engine, its deals in SQLite (one machine) or
/// PostgreSQL (several instances).
#[derive(Parser, Debug)]
#[command(
    name = "stagegate-server",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// `add-user` or `revoke-user`; without one, the server serves.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// How to serve.
    #[command(flatten)]
    pub serve: Serve,
}

/// The flags of the server itself.
#[derive(clap::Args, Debug)]
pub struct Serve {
    /// The playbooks directory (with PostgreSQL: only to seed an empty store at first start).
    #[arg(long, value_name = "DIR", default_value = "playbooks")]
    pub playbooks: PathBuf,
    /// The store: a SQLite file (created on first start) or a `postgres://` URL.
    #[arg(long, value_name = "FILE|URL", env = "STAGEGATE_DB", default_value = DEFAULT_DB, hide_env_values = true)]
    pub db: String,
    /// Where to listen; port 0 takes a free one (the address is printed).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The language of messages when a request does not ask (`?lang=`).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// The built pages (`npm --prefix web run build`), served at `/` and `/web/`; by default
    /// `web/dist` when it is built.
    #[arg(long, value_name = "DIR")]
    pub web: Option<PathBuf>,
    /// Let callers choose the evaluation time with `at` (unsafe: for tests and replays only).
    #[arg(long)]
    pub clock_from_requests: bool,
    /// The largest request body taken, in bytes (413 `too-large` past it).
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Seconds a client has to send a request's head whole, from the connection's start or from
    /// the first byte of its next request; past it the connection is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub head_timeout: u64,
    /// Seconds a request may take, from its head to its answer, reading its body included (503
    /// `unavailable` past it).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Seconds a kept-alive connection may wait after an answer for its next request's first
    /// byte; then it is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// How many live streams (`GET /events/stream`) may be open at once; past it 503
    /// `too-many-streams` with `Retry-After`.
    #[arg(long, value_name = "STREAMS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_streams: u64,
    /// How logs are written on standard error.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl Serve {
    /// The time limits the flags set.
    pub fn limits(&self) -> crate::http::Limits {
        crate::http::Limits {
            max_body: self.max_body,
            head: Duration::from_secs(self.head_timeout),
            request: Duration::from_secs(self.request_timeout),
            idle: Duration::from_secs(self.idle_timeout),
        }
    }
}

/// How logs are written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// The commands beside serving.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Adds a user (the first must be an admin; later ones need an admin's token in
    /// `STAGEGATE_TOKEN`) and prints their token, shown this once.
    AddUser {
        /// The user's id.
        id: String,
        /// A role they hold (repeat for several): rep, manager, admin, ...
        #[arg(long = "role", value_name = "ROLE", value_parser = role)]
        roles: Vec<String>,
        /// Give an existing user a new token (the old one stops working).
        #[arg(long)]
        rotate: bool,
        /// The store: a SQLite file or a `postgres://` URL.
        #[arg(long, value_name = "FILE|URL", env = "STAGEGATE_DB", default_value = DEFAULT_DB, hide_env_values = true)]
        db: String,
    },
    /// Removes a user; their token stops working.
    RevokeUser {
        /// The user's id.
        id: String,
        /// The store: a SQLite file or a `postgres://` URL.
        #[arg(long, value_name = "FILE|URL", env = "STAGEGATE_DB", default_value = DEFAULT_DB, hide_env_values = true)]
        db: String,
    },
}

/// A role name: lowercase letters, digits, `_` and `-`, and not `owner`.
fn role(text: &str) -> Result<String, String> {
    if !auth::valid_role(text) {
        return Err(format!(
            "`{text}` is not a role name: use lowercase letters, digits, `_` and `-` (e.g. `rep`, `manager`, `admin`)"
        ));
    }
    if text == "owner" {
        return Err("`owner` is not a role one holds: a deal's owner is the user who created it (or whom a manager named)".to_owned());
    }
    Ok(text.to_owned())
}
