//! The stagegate reference service: an HTTP JSON API over the engine, keeping deals and their
//! append-only history in SQLite.
//!
//! ```sh
//! cargo run --example reference-service -- --playbooks playbooks --db deals.sqlite3 --lang en
//! ```
//!
//! Every route but `GET /health` needs `Authorization: Bearer <token>` (401 without a valid one);
//! `reference-service add-user <id> --role <role>` prints a new token, `revoke-user <id>` removes
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
//! | `POST /playbooks/reload` | role `admin` (403 otherwise): loads the playbooks directory again, all or nothing (422 with the diagnostics when a file is broken; the old playbooks keep serving) |
//! | `POST /deals` | creates a deal (pinned to the newest version of its playbook), owned by the caller; a `manager` may give `"owner"`; 201 with its evaluation |
//! | `GET /deals/{id}` | the deal, its revision and its evaluation |
//! | `PATCH /deals/{id}` | sets fields and activities (`null` removes); a `manager` may set `owner`; any other key is 400 |
//! | `POST /deals/{id}/moves` | `{"to", "from"?, "force"?: "<reason>", "revision"?}`, made by the caller (recorded as `by`); 403 `forbidden` with every blocker and the roles that may when the playbook's permissions do not let the caller make (or force) it, 409 `blocked` with every blocker, 409 `conflict` when the deal changed since `revision` |
//! | `POST /deals/{id}/approvals` | `{"criterion", "revision"?}`: the caller approves (403 without the approving role, or for the deal's owner: four eyes) |
//! | `GET /deals/{id}/audit` | who changed the deal, when and how, one row per revision |
//! | `GET /events?after=<id>&limit=<n>` | the outbox: each move's effects (tasks, notifications), written in the move's transaction, oldest first, with `next` for the next page |
//! | `GET /tasks?assignee=<user or role>&due_before=<date>` | open tasks of every deal, earliest first |
//! | `POST /deals/{id}/migrate` | carries the deal to the newest (or `"to"`) version of its playbook |
//! | `GET /deals`, `GET /deals?stalled=true` | every deal, or the stalled ones with their warnings |
//! | `GET /me` | the caller's id and roles |
//! | `GET /board?playbook=<id>` | the pipeline board: a column per stage of the playbook's main path, a card per deal (its stages with days in each, value, scores' bands, stalled and overdue warnings); deals that no longer fit their playbook under `unfit` |
//! | `GET /playbooks/{pin}/outline` | the contract's outline (`Playbook::outline`): stages in main-path order (with activities, guidance, probability), fields (types, enum values, the money field), roles, forcing roles, scorecards and approvals a deal's page offers |
//! | `GET /playbooks/sources` | role `admin`: the playbooks directory's files and texts |
//! | `POST /playbooks/reload` with `{"files": {"<name>.yaml": "<text>"}}` | role `admin`: publishes edited playbooks: every text is loaded first, nothing is written unless all load (422 with the diagnostics), then the directory is reloaded |
//!
//! Any route takes `?lang=<code>`: messages, titles and blockers in that language (else `--lang`,
//! else each playbook's default). Without a token: `GET /` serves the pipeline board and
//! `GET /web/<file>` the built pages of `web/` (the workbench is `/web/index.html`), from
//! `--web <dir>` or `web/dist`.
//!
//! See `docs/embedding.md` for a walk through it.

mod api;
mod auth;
mod board;
mod changes;
mod feeds;
mod http;
mod journal;
mod server;
mod site;
mod sources;
mod store;
mod users;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use stagegate::registry::Registry;
use stagegate::Loader;

/// The database when `--db` is not given.
pub const DEFAULT_DB: &str = "stagegate-service.sqlite3";

struct Options {
    playbooks: PathBuf,
    db: PathBuf,
    addr: String,
    lang: Option<String>,
    clock_from_requests: bool,
    web: Option<PathBuf>,
}

fn options(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        playbooks: PathBuf::from("playbooks"),
        db: PathBuf::from(DEFAULT_DB),
        addr: "127.0.0.1:8080".to_owned(),
        lang: None,
        clock_from_requests: false,
        web: None,
    };
    let mut args = args;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--playbooks" => options.playbooks = PathBuf::from(value()?),
            "--db" => options.db = PathBuf::from(value()?),
            "--addr" => options.addr = value()?,
            "--lang" => options.lang = Some(value()?),
            "--clock-from-requests" => options.clock_from_requests = true,
            "--web" => options.web = Some(PathBuf::from(value()?)),
            "--help" | "-h" => {
                return Err("usage: reference-service [--playbooks <dir>] [--db <file>] [--addr <host:port>] [--lang <code>] [--web <dir>] [--clock-from-requests]\n       reference-service add-user <id> --role <role>... [--rotate] [--db <file>]\n       reference-service revoke-user <id> [--db <file>]".to_owned())
            }
            other => return Err(format!("unknown option `{other}` (try --help)")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    if let Some(name) = args.next_if(|a| a == "add-user" || a == "revoke-user") {
        return match users::run(&name, args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
        };
    }
    let options = match options(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut registry = Registry::new(Loader::new());
    if let Some(lang) = &options.lang {
        registry = registry.with_language(lang);
    }
    if let Err(failed) = registry.load_dir(&options.playbooks) {
        for (file, error) in failed {
            eprintln!("{file}: {error}");
        }
        return ExitCode::from(1);
    }
    // The board's pages: --web, else web/dist when it is built.
    let web = options.web.clone().or_else(|| {
        let built = PathBuf::from("web").join("dist");
        built.join("board.html").is_file().then_some(built)
    });
    match &web {
        Some(dir) if !dir.join("board.html").is_file() => {
            eprintln!("--web {}: no board.html there; build the pages with `npm --prefix web run build`", dir.display());
            return ExitCode::from(2);
        }
        Some(_) => {}
        None => eprintln!("the board's pages are not built (web/dist): GET / will say so; build them with `npm --prefix web run build`"),
    }
    let store = match store::Store::open(&options.db) {
        Ok(store) => store,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(1);
        }
    };
    if let Ok(0) = store.user_count() {
        eprintln!(
            "no users yet: every request but GET /health will get 401. Add the first (an admin) with\n  reference-service add-user <id> --role admin --db {}\nand send its token as `Authorization: Bearer <token>`",
            options.db.display()
        );
    }
    if options.clock_from_requests {
        eprintln!("--clock-from-requests: callers choose the evaluation time with `at` (unsafe: for tests and replays only)");
    }
    let listener = match std::net::TcpListener::bind(&options.addr) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {}: {error}", options.addr);
            return ExitCode::from(1);
        }
    };
    let address = listener
        .local_addr()
        .map_or_else(|_| options.addr.clone(), |a| a.to_string());
    println!(
        "listening on http://{address} (playbooks: {})",
        registry.pins().join(", ")
    );
    let _ = std::io::stdout().flush();
    let app = api::App {
        registry,
        store,
        playbooks: options.playbooks,
        clock_from_requests: options.clock_from_requests,
        lang: options.lang.clone(),
    };
    let answer = move |request: server::Request| {
        let (segments, query) = http::route(&request.target);
        let path: Vec<&str> = segments.iter().map(String::as_str).collect();
        if let Some(page) = site::serve(web.as_deref(), &request.method, &path) {
            return http::response(page);
        }
        let reply = match api::authenticate(&app, &request.method, &path, &request) {
            Err(reply) => reply,
            Ok(user) => match http::body(&request) {
                Ok(body) => api::handle(&app, user.as_ref(), &request.method, &path, &query, body),
                Err(reply) => reply,
            },
        };
        http::response(reply)
    };
    server::serve(listener, Arc::new(answer), http::MAX_BODY);
    ExitCode::SUCCESS
}
