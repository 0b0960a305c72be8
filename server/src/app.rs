//! What every request shares: the playbooks, the store, the settings. The playbooks are loaded
//! from where they live: the playbooks directory (SQLite), or the store (PostgreSQL), which
//! `--playbooks` seeds at first start and every instance follows (`follow_playbooks`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use stagegate::registry::{Registry, RegistryError};
use stagegate::{Deal, Diagnostic, Engine, LoadError, Playbook};

use crate::auth::User;
use crate::metrics::Metrics;
use crate::store::Store;

/// How often an instance asks the store whether the playbooks were published anew.
const POLL: Duration = Duration::from_secs(1);

/// Playbook files that did not load, each with its problems.
pub type Failed = Vec<(String, LoadError)>;

/// What every request shares.
pub struct App {
    /// The playbooks served.
    pub registry: Registry,
    /// Deals, their journal and the users.
    pub store: Box<dyn Store>,
    /// The playbooks directory.
    pub playbooks: PathBuf,
    /// The built pages, served at `/` and `/web/`.
    pub web: Option<PathBuf>,
    /// What the server counts, for `GET /metrics`.
    pub metrics: Metrics,
    /// Whether a request may set the evaluation time with `at` (tests and replays only).
    pub clock_from_requests: bool,
    /// The language answers are in when a request does not say (`--lang`).
    pub lang: Option<String>,
    /// The live streams' shared state (`GET /events/stream`).
    pub live: crate::live::Hub,
    /// The deals the board reads, kept up to date from the change feed.
    pub snapshot: crate::board::Snapshot,
    /// Each deal's fit to its playbook version, kept between board requests.
    pub fits: crate::board::Fits,
}

impl App {
    /// An engine for `deal`'s playbook version, answering in `user`'s language.
    pub fn engine(&self, deal: &Deal, user: &User) -> Result<Engine, RegistryError> {
        let engine = self.registry.engine_for(deal)?;
        Ok(match &user.lang {
            Some(lang) => engine.with_language(lang),
            None => engine,
        })
    }

    /// Loads the playbooks again from where they live (the store when it keeps them, else the
    /// playbooks directory), all or nothing; the `id@version`s loaded.
    pub fn load_playbooks(&self) -> Result<Vec<String>, Failed> {
        if self.store.keeps_playbooks() {
            load_shelf(&self.registry, self.store.as_ref()).map(|(_, pins)| pins)
        } else {
            self.registry.load_dir(&self.playbooks)
        }
    }

    /// An engine over `playbook`, answering in `user`'s language, else the service's.
    pub fn engine_of(&self, playbook: Arc<Playbook>, user: &User) -> Engine {
        let engine = Engine::new(playbook);
        match user.lang.as_ref().or(self.lang.as_ref()) {
            Some(lang) => engine.with_language(lang),
            None => engine,
        }
    }
}

/// Loads the playbooks at start. A store that keeps playbooks (PostgreSQL) and has none yet is
/// seeded with the files of `dir` (only if every one loads), then every instance loads the store's;
/// otherwise the files of `dir`. The version of the store's playbooks loaded (0 for a directory).
pub fn load_at_start(registry: &Registry, store: &dyn Store, dir: &Path) -> Result<i64, Failed> {
    if !store.keeps_playbooks() {
        return registry.load_dir(dir).map(|_| 0);
    }
    let stored = store.playbooks().map_err(|error| unreadable(&error))?;
    if stored.files.is_empty() {
        let files = read_dir(dir).map_err(|error| unreadable(&error))?;
        let mut failed = Vec::new();
        for (name, text) in &files {
            if let Err(error) = registry.loader().from_yaml(text, name) {
                failed.push((name.clone(), error));
            }
        }
        if !failed.is_empty() {
            return Err(failed);
        }
        // Two instances starting together: the store takes one seed, the other is a no-op.
        if store
            .publish_playbooks(&files, true)
            .map_err(|error| unreadable(&error))?
        {
            tracing::info!(
                files = files.len(),
                "the store's playbooks seeded from the playbooks directory"
            );
        }
    } else {
        tracing::info!(
            "playbooks from the store (the playbooks directory only seeds an empty store)"
        );
    }
    load_shelf(registry, store).map(|(version, _)| version)
}

/// Every instance serves what is published through any of them: a thread asks the store every
/// second whether the playbooks' version moved past `seen`, and loads them again when it did. It
/// ends with the app. Nothing to follow when the playbooks live in a directory.
pub fn follow_playbooks(app: &Arc<App>, seen: i64) {
    if !app.store.keeps_playbooks() {
        return;
    }
    let app: Weak<App> = Arc::downgrade(app);
    let spawned = std::thread::Builder::new()
        .name("playbooks".to_owned())
        .spawn(move || follow(&app, seen));
    if let Err(error) = spawned {
        tracing::error!("cannot follow the store's playbooks: {error}");
    }
}

fn follow(app: &Weak<App>, mut seen: i64) {
    let mut failing = false;
    loop {
        std::thread::sleep(POLL);
        let Some(app) = app.upgrade() else { return };
        let version = match app.store.playbooks_version() {
            Ok(version) => version,
            Err(error) => {
                if !failing {
                    tracing::warn!("cannot ask the store for the playbooks' version: {error}");
                }
                failing = true;
                continue;
            }
        };
        failing = false;
        if version == seen {
            continue;
        }
        match load_shelf(&app.registry, app.store.as_ref()) {
            Ok((loaded, pins)) => {
                tracing::info!(version = loaded, playbooks = %pins.join(", "), "playbooks published: loaded again");
                seen = loaded;
            }
            Err(failed) => {
                let files: Vec<&str> = failed.iter().map(|(file, _)| file.as_str()).collect();
                tracing::error!(files = %files.join(", "), "the store's playbooks do not load; the ones loaded before keep serving");
                seen = version;
            }
        }
    }
}

/// Loads every playbook the store keeps, all or nothing: its version and the `id@version`s.
fn load_shelf(registry: &Registry, store: &dyn Store) -> Result<(i64, Vec<String>), Failed> {
    let shelf = store.playbooks().map_err(|error| unreadable(&error))?;
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for (name, text) in &shelf.files {
        match registry.loader().from_yaml(text, name) {
            Ok(playbook) => loaded.push(playbook),
            Err(error) => failed.push((name.clone(), error)),
        }
    }
    if !failed.is_empty() {
        return Err(failed);
    }
    let pins = loaded.iter().map(Playbook::pin).collect();
    registry.insert_all(loaded);
    Ok((shelf.version, pins))
}

/// Every `*.yaml` and `*.yml` file of `dir`, by name, with its text.
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| {
        format!(
            "cannot read the playbooks directory `{}`: {error}",
            dir.display()
        )
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| playbook_file(name))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| match std::fs::read_to_string(dir.join(&name)) {
            Ok(text) => Ok((name, text)),
            Err(error) => Err(format!("cannot read `{name}`: {error}")),
        })
        .collect()
}

/// Whether `name` is a file the playbooks are loaded from.
pub fn playbook_file(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml")
}

/// The store's playbooks cannot be read (or written): a failure as the loads report theirs.
fn unreadable(error: &str) -> Failed {
    vec![(
        "playbooks".to_owned(),
        LoadError::from(Diagnostic::error("unreadable", error.to_owned())),
    )]
}
