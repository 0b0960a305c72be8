//! The stagegate server: an HTTP JSON API over the engine, keeping deals and their append-only
//! history in SQLite (one machine) or PostgreSQL (several instances), on axum, hyper and tokio.
//!
//! ```sh
//! cargo run -p stagegate-server -- --playbooks playbooks --db deals.sqlite3 --lang en
//! ```
//!
//! Every route but `GET /health`, `GET /ready`, `GET /metrics` and `GET /openapi.json` needs
//! `Authorization: Bearer <token>` (401 without a valid one); `stagegate-server add-user <id> --role <role>` prints a new token, `revoke-user <id>` removes
//! it (see `users.rs`). The server's clock decides the evaluation time: a request that sends `at`
//! (`?at=<date>` or `"at"` in a body) gets 400, unless the service was started with
//! `--clock-from-requests` (unsafe: any caller then chooses the time recorded in histories; for
//! tests and replays only).
//!
//! Routes (JSON in and out):
//!
//! | route | does |
//! |---|---|
//! | `GET /health`, `GET /playbooks` | the loaded `id@version`s |
//! | `GET /ready` | no token: 200 when the store answers, else 503 `unavailable` |
//! | `GET /metrics` | no token: the server's metrics, in Prometheus' text format |
//! | `GET /openapi.json` | no token: this API as an OpenAPI 3.1 document, made from the route table (`routes.rs`); `docs/api.md` is rendered from it |
//! | `POST /playbooks/reload` | role `admin` (403 otherwise): loads the playbooks (the directory, or the store's on PostgreSQL) again, all or nothing (422 with the diagnostics when a file is broken; the old playbooks keep serving) |
//! | `POST /deals` | creates a deal through the engine (`Engine::create`, pinned to the newest version of its playbook) by the caller: in a start stage, owned by the caller unless `"owner"` names another user (the playbook's `permissions.owner`); another stage, a history, tasks or an archive make it an import (`permissions.import`); 403 with every reason and the roles that may, nothing stored; 201 with its evaluation; 422 `deal` (`bad-id`) for an id that is blank, has spaces around it or a control character, is longer than 200 characters, or is `.` or `..` |
//! | `GET /deals/{id}` | the deal, its revision and its evaluation (the id percent-encoded: `/deals/a%2Fb`) |
//! | `PATCH /deals/{id}` | sets fields, ticks activities (`null` removes, unticks) and sets `owner` through the engine (`Engine::edit`) by the caller: 403 with every change the playbook does not let the caller make, 422 `deal` for a value or shape, 409 for an archived deal, nothing written; the answer names the approvals it `voided`; any other key is 400; a change that changes nothing writes no revision |
//! | `DELETE /deals/{id}` | archives the deal (`reason` in the body or the query, 400 without it) by the caller (`Engine::archive`): off the board, the tasks and `GET /deals` (`?archived=true` lists it), moves, approvals and edits refused (409 `archived`) |
//! | `POST /deals/{id}/unarchive` | brings an archived deal back (`Engine::unarchive`) |
//! | `POST /deals/{id}/moves` | `{"to", "from"?, "force"?: "<reason>", "revision"?}`, made by the caller (recorded as `by`); 403 `forbidden` with every blocker and the roles that may when the playbook's permissions do not let the caller make (or force) it, 409 `blocked` with every blocker, 409 `conflict` when the deal changed since `revision` |
//! | `POST /deals/{id}/approvals` | `{"criterion", "revision"?}`: the caller approves (403 without the approving role, or for the deal's owner: four eyes) |
//! | `POST /deals/{id}/approval-requests` | `{"criterion", "note"?, "revision"?}`: the caller asks the approving role for an approval (`Engine::request_approval`; whoever may edit the deal may ask, again as a reminder): 201 with the deal and the `notify` effect, an `approval_requested` event and the effect in the change feed; 409 with every reason (archived, unknown criterion with the likely one, not in the deal's stage, approved already, not needed now) |
//! | `GET /approvals` | the caller's queue: each approval a deal waits for whose role the caller holds, never on the caller's own deals (four eyes), not archived, with the latest open request; requested ones first, the oldest request first, then by deal id |
//! | `GET /deals/{id}/audit` | who changed the deal, when and how, one row per revision (an edit's lists each change with `before` and `after`) |
//! | `GET /events?after=<id>&limit=<n>` | the change feed: every change to a deal (`created`, `edited`, `moved`, `approved`, `approval_requested`, `migrated`, `archived`, `unarchived`, with `change`) and every effect of a move or a request for an approval (tasks, notifications, with `effect`), each with the deal's new `revision`, written in the change's transaction, in commit order, with `next` for the next page |
//! | `GET /events/stream?after=<id>` | the change feed live, as Server-Sent Events (`id:`, `event: change`, `data:` the event as `GET /events` lists it; `Last-Event-ID` resumes; `: keep-alive` every 15 s), changes through any instance on the same store within a second; at most `--max-streams` (1000) open, 503 `too-many-streams` with `Retry-After` past it |
//! | `GET /tasks?assignee=<user or role>&due_before=<date>` | open tasks of every deal, earliest first |
//! | `POST /deals/{id}/migrate` | carries the deal to the newest (or `"to"`) version of its playbook |
//! | `GET /deals`, `GET /deals?stalled=true`, `GET /deals?archived=true` | every deal that is not archived, or the stalled ones with their warnings, or the archived ones |
//! | `GET /me` | the caller's id and roles |
//! | `GET /board?playbook=<id>` | the pipeline board: a column per stage of the playbook's main path and per closed stage, each a page of cards (`limit`, 50 by default, at most 200; 0 for the totals only) with the column's `count`, `sum` of the value and `weighted` sum (value × the stage's probability) over every deal of the filter, and `next`, its next page's cursor (`column=<stage>&cursor=<next>`: that column's next page, alone); filters `owner`, `stage`, `q` (in the id, owner or a text field, any case), `stalled`, `overdue` (`true`/`false`), `approval=<role>`; `sort=id\|value\|days\|field:<date or number field>` with `:asc` or `:desc`; `card=<id>` (repeatable) adds those deals' cards; a deal in two stages is in both columns and counted in both; cards (its stages with days in each, value, scores' bands, stalled and overdue warnings) once each under `cards`; deals that no longer fit their playbook under `unfit`; `events_after`, the change feed's position; any other parameter or a bad value is 400 naming it |
//! | `GET /playbooks/{pin}/outline` | the contract's outline (`Playbook::outline`): stages in main-path order (with activities, guidance, probability), fields (types, enum values, the money field), roles, forcing roles, scorecards and approvals a deal's page offers |
//! | `GET /playbooks/sources` | role `admin`: the playbooks' files and texts (the directory's, or the store's on PostgreSQL) |
//! | `POST /playbooks/reload` with `{"files": {"<name>.yaml": "<text>"}}` | role `admin`: publishes edited playbooks: every text is loaded first, nothing is written unless all load (422 with the diagnostics), then the directory is reloaded |
//!
//! Any route takes `?lang=<code>`: messages, titles and blockers in that language (else `--lang`,
//! else each playbook's default). Without a token: `GET /` serves the pipeline board and
//! `GET /web/<file>` the built pages of `web/` (the workbench is `/web/index.html`), from
//! `--web <dir>` or `web/dist`.
//!
//! HTTP and operations (`server/README.md`): limits `--head-timeout` (10 s), `--idle-timeout`
//! (60 s), `--request-timeout` (30 s, also how long a client may stop reading an answer),
//! `--max-body` (1 MB), `--max-streams` (1000); `x-request-id` on every answer; gzip of
//! large answers; logs through `tracing` (`--log-format text|json`, `RUST_LOG`); graceful
//! shutdown on SIGTERM and Ctrl-C.
//!
//! See `docs/embedding.md` for a walk through it.

#![deny(missing_docs)]

mod api;
mod app;
mod approval_requests;
mod approvals;
mod archiving;
mod auth;
mod board;
mod body;
mod changes;
mod deals;
mod edits;
mod feeds;
mod http;
mod live;
mod logs;
mod metrics;
mod openapi;
mod options;
mod reply;
mod routes;
mod site;
mod sources;
mod store;
mod users;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use stagegate::registry::Registry;
use stagegate::Loader;

use crate::options::{Cli, Command, Serve};

/// Threads answering requests at once (the blocking pool), per core: enough to keep the cores
/// busy while some wait for the store (PostgreSQL's pool has 16 connections), few enough that
/// requests are answered in turn rather than all slowly at once.
const BLOCKING_THREADS_PER_CORE: usize = 4;

// Every request allocates and frees many small values (JSON, evaluations) on several threads;
// mimalloc does that faster than the system allocator (measured: benches/README.md, "Server load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(command) = &cli.command {
        return match users::run(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                let (Command::AddUser { db, .. } | Command::RevokeUser { db, .. }) = command;
                eprintln!("{}", logs::redact(&message, &logs::secrets(db)));
                ExitCode::from(2)
            }
        };
    }
    let secrets = logs::secrets(&cli.serve.db);
    logs::init(cli.serve.log_format, secrets.clone());
    match serve(cli.serve) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("{}", logs::redact(&message, &secrets));
            ExitCode::from(code)
        }
    }
}

/// Raises the soft limit of open files to the hard one (each connection holds a descriptor:
/// 1,024, a common soft limit, would cap the connections held at once) and logs the limit.
fn raise_open_files() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open files limit"),
        Err(error) => tracing::warn!(%error, "cannot raise the open files limit"),
    }
}

/// Loads the playbooks, opens the store and serves until SIGTERM or Ctrl-C; an error is the exit
/// code and the message.
fn serve(options: Serve) -> Result<(), (u8, String)> {
    let mut registry = Registry::new(Loader::new());
    if let Some(lang) = &options.lang {
        registry = registry.with_language(lang);
    }
    // The password of a URL is written `***` (`logs.rs`).
    tracing::info!(db = %options.db, "opening the store");
    let store = store::open(&options.db).map_err(|message| (1, message))?;
    let seen =
        app::load_at_start(&registry, store.as_ref(), &options.playbooks).map_err(|failed| {
            let lines: Vec<String> = failed
                .iter()
                .map(|(file, error)| format!("{file}: {error}"))
                .collect();
            (1, lines.join("\n"))
        })?;
    // The board's pages: --web, else web/dist when it is built.
    let web = options.web.clone().or_else(|| {
        let built = PathBuf::from("web").join("dist");
        built.join("board.html").is_file().then_some(built)
    });
    match &web {
        Some(dir) if !dir.join("board.html").is_file() => {
            return Err((2, format!("--web {}: no board.html there; build the pages with `npm --prefix web run build`", dir.display())));
        }
        Some(_) => {}
        None => tracing::warn!("the board's pages are not built (web/dist): GET / will say so; build them with `npm --prefix web run build`"),
    }
    if let Ok(0) = store.user_count() {
        tracing::warn!(
            "no users yet: every request but GET /health will get 401. Add the first (an admin) with `stagegate-server add-user <id> --role admin` (same --db) and send its token as `Authorization: Bearer <token>`"
        );
    }
    if options.clock_from_requests {
        tracing::warn!("--clock-from-requests: callers choose the evaluation time with `at` (unsafe: for tests and replays only)");
    }
    raise_open_files();
    let limits = options.limits();
    // Requests are answered on the blocking pool. A few threads per core answer them in turn; far
    // more (tokio's default is 512) would share the cores among all the requests at once and make
    // every one of them slow (measured: benches/README.md, "Server load").
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(
            std::thread::available_parallelism().map_or(1, usize::from) * BLOCKING_THREADS_PER_CORE,
        )
        .build()
        .map_err(|error| (1, format!("cannot start the runtime: {error}")))?;
    let app = Arc::new(app::App {
        registry,
        store,
        playbooks: options.playbooks,
        web,
        metrics: metrics::Metrics::new(),
        clock_from_requests: options.clock_from_requests,
        lang: options.lang.clone(),
        live: live::Hub::new(usize::try_from(options.max_streams).unwrap_or(1000)),
        snapshot: board::Snapshot::default(),
        fits: board::Fits::default(),
    });
    app::follow_playbooks(&app, seen);
    // The store is dropped here, on this thread, once the runtime is gone: PostgreSQL's blocking
    // client may not be dropped inside the runtime.
    let store_owner = Arc::clone(&app);
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&options.addr)
            .await
            .map_err(|error| (1, format!("cannot listen on {}: {error}", options.addr)))?;
        let address = listener
            .local_addr()
            .map_or_else(|_| options.addr.clone(), |a| a.to_string());
        println!(
            "listening on http://{address} (playbooks: {})",
            app.registry.pins().join(", ")
        );
        let _ = std::io::stdout().flush();
        tracing::info!(
            %address,
            max_body = limits.max_body,
            head_timeout_s = limits.head.as_secs(),
            request_timeout_s = limits.request.as_secs(),
            idle_timeout_s = limits.idle.as_secs(),
            "listening"
        );
        live::follow(&app);
        let closing = Arc::clone(&app);
        let router = http::router(app, &limits);
        // On the signal the live streams end first: their connections then close like the others.
        let shutdown = async move {
            shutdown_signal().await;
            closing.live.close();
        };
        http::serve(listener, router, limits, shutdown).await;
        Ok(())
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    drop(store_owner);
    served
}

/// Completes on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("interrupted"),
        () = terminate => tracing::info!("terminated"),
    }
}
