//! The stagegate reference service: an HTTP JSON API over the engine, keeping deals and their
//! append-only history in SQLite.
//!
//! ```sh
//! cargo run --example reference-service -- --playbooks playbooks --db deals.sqlite3 --lang en
//! ```
//!
//! Routes (JSON in and out; `?at=<date>` or `"at"` in a body sets the evaluation time):
//!
//! | route | does |
//! |---|---|
//! | `GET /health`, `GET /playbooks` | the loaded `id@version`s |
//! | `POST /playbooks/reload` | loads the playbooks directory again, all or nothing (422 with the diagnostics when a file is broken; the old playbooks keep serving) |
//! | `POST /deals` | creates a deal (pinned to the newest version of its playbook); 201 with its evaluation |
//! | `GET /deals/{id}` | the deal, its revision and its evaluation |
//! | `PATCH /deals/{id}` | sets fields and activities (`null` removes) |
//! | `POST /deals/{id}/moves` | `{"to", "from"?, "force"?: "<reason>", "revision"?}`; 409 `blocked` with every blocker, 409 `conflict` when the deal changed since `revision` |
//! | `POST /deals/{id}/migrate` | carries the deal to the newest (or `"to"`) version of its playbook |
//! | `GET /deals`, `GET /deals?stalled=true` | every deal, or the stalled ones with their warnings |
//!
//! See `docs/embedding.md` for a walk through it.

mod api;
mod http;
mod store;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use stagegate::registry::Registry;
use stagegate::Loader;

/// Requests handled at once.
const WORKERS: usize = 4;

struct Options {
    playbooks: PathBuf,
    db: PathBuf,
    addr: String,
    lang: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        playbooks: PathBuf::from("playbooks"),
        db: PathBuf::from("stagegate-service.sqlite3"),
        addr: "127.0.0.1:8080".to_owned(),
        lang: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--playbooks" => options.playbooks = PathBuf::from(value()?),
            "--db" => options.db = PathBuf::from(value()?),
            "--addr" => options.addr = value()?,
            "--lang" => options.lang = Some(value()?),
            "--help" | "-h" => {
                return Err("usage: reference-service [--playbooks <dir>] [--db <file>] [--addr <host:port>] [--lang <code>]".to_owned())
            }
            other => return Err(format!("unknown option `{other}` (try --help)")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
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
    let store = match store::Store::open(&options.db) {
        Ok(store) => store,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(1);
        }
    };
    let server = match tiny_http::Server::http(&options.addr) {
        Ok(server) => Arc::new(server),
        Err(error) => {
            eprintln!("cannot listen on {}: {error}", options.addr);
            return ExitCode::from(1);
        }
    };
    let address = server
        .server_addr()
        .to_ip()
        .map_or_else(|| options.addr.clone(), |a| a.to_string());
    println!(
        "listening on http://{address} (playbooks: {})",
        registry.pins().join(", ")
    );
    let _ = std::io::stdout().flush();
    let app = Arc::new(api::App {
        registry,
        store,
        playbooks: options.playbooks,
    });
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, app) = (Arc::clone(&server), Arc::clone(&app));
            std::thread::spawn(move || {
                while let Ok(mut request) = server.recv() {
                    let method = request.method().as_str().to_owned();
                    let (segments, query) = http::route(request.url());
                    let path: Vec<&str> = segments.iter().map(String::as_str).collect();
                    let reply = match http::body(&mut request) {
                        Ok(body) => api::handle(&app, &method, &path, &query, body),
                        Err(reply) => reply,
                    };
                    http::send(request, reply);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    ExitCode::SUCCESS
}
