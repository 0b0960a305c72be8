//! A registry of playbooks for hosts: several playbooks and versions at once, each deal served by
//! the version it is pinned to, playbooks replaced while evaluations run.

mod deprecated;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use jiff::Timestamp;
use thiserror::Error;

use crate::deal::{Deal, DealError};
use crate::engine::MigrationError;
use crate::engine::MoveError;
use crate::engine::{Actor, Applied, Engine, Evaluation, Move, Options};
use crate::load::LoadError;
use crate::load::Loader;
use crate::model::Playbook;

/// Why the registry could not serve a request.
///
/// # Example
///
/// ```
/// use stagegate::registry::{Registry, RegistryError};
/// use stagegate::{Deal, Loader, Options};
/// let registry = Registry::new(Loader::new());
/// registry.load_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}]\n", "p.yaml").unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"playbook": "p@7"}"#).unwrap();
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// match registry.evaluate(&deal, at, &Options::new()) {
///     Err(RegistryError::NotLoaded { pin, known }) => assert_eq!((pin.as_str(), known), ("p@7", vec!["p@1".to_owned()])),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// No loaded playbook answers to the deal's pin.
    #[error("no playbook `{pin}` is loaded (loaded: {})", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    NotLoaded {
        /// The pin asked for (`id@version` or `id`).
        pin: String,
        /// Every loaded `id@version`.
        known: Vec<String>,
    },
    /// The deal names no playbook, and there is no single one to use.
    #[error("the deal names no playbook and {0}; pin it (`playbook: id@version`)")]
    NoPin(String),
    /// The deal does not fit its playbook.
    #[error(transparent)]
    Deal(#[from] DealError),
    /// The move could not be made.
    #[error(transparent)]
    Move(#[from] MoveError),
    /// The deal could not be carried to the newer version.
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// The approval could not be given.
    #[error(transparent)]
    Approve(#[from] crate::engine::ApproveError),
}

/// The playbooks loaded at one moment: id, then version.
type Book = BTreeMap<String, BTreeMap<u64, Arc<Playbook>>>;

/// Several playbooks and versions loaded at once, shared by every thread of a host.
///
/// A deal pinned to `id@version` is served by that version only, a deal pinned to `id` by the
/// newest version of `id`, and an unpinned deal by the newest version of the only playbook (or
/// of the default one). Loading a playbook adds it or, for an `id@version` already loaded,
/// replaces it atomically: a call already running finishes with the playbooks it started with,
/// the next one sees the new set. A playbook that does not load is refused with its diagnostics
/// and the registry keeps serving what it had.
///
/// # Example
///
/// ```
/// use stagegate::registry::Registry;
/// use stagegate::{Deal, Loader, Options};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = Registry::new(Loader::new());
/// registry.load_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}, {id: won, outcome: won}]\ntransitions: [{from: open, to: won}]\n", "p1.yaml")?;
/// registry.load_yaml("stagegate: 1\nid: p\nversion: 2\nstages: [{id: open}, {id: won, outcome: won}]\ntransitions: [{from: open, to: won}]\n", "p2.yaml")?;
/// // A broken replacement is refused; version 2 keeps serving.
/// assert!(registry.load_yaml("stagegate: 1\nid: p\nversion: 2\nstages: []\n", "p2.yaml").is_err());
///
/// let mut deal: Deal = serde_json::from_str(r#"{"id": "D-1"}"#)?;
/// registry.pin_new(&mut deal)?;                     // new deals: the newest version
/// assert_eq!(deal.playbook.as_deref(), Some("p@2"));
/// let old: Deal = serde_json::from_str(r#"{"id": "D-0", "playbook": "p@1"}"#)?;
/// let at = stagegate::parse_time("2026-11-27")?;
/// assert_eq!(registry.evaluate(&old, at, &Options::new())?.playbook, "p@1"); // pinned deals: their version
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Registry {
    loader: Loader,
    lang: Option<String>,
    default: Option<String>,
    book: RwLock<Arc<Book>>,
}

impl Registry {
    /// An empty registry loading playbooks with `loader` (its limits and host functions).
    pub fn new(loader: Loader) -> Registry {
        Registry {
            loader,
            lang: None,
            default: None,
            book: RwLock::new(Arc::new(Book::new())),
        }
    }

    /// Answers in `lang` (texts without it fall back to each playbook's default language).
    #[must_use]
    pub fn with_language(mut self, lang: &str) -> Registry {
        self.lang = Some(lang.to_owned());
        self
    }

    /// Serves unpinned deals with the newest version of playbook `id` when several are loaded.
    #[must_use]
    pub fn with_default(mut self, id: &str) -> Registry {
        self.default = Some(id.to_owned());
        self
    }

    /// The loader playbooks are loaded with.
    pub fn loader(&self) -> &Loader {
        &self.loader
    }

    fn snapshot(&self) -> Arc<Book> {
        Arc::clone(&self.book.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Adds playbooks, replacing those with the same `id@version`, in one atomic swap.
    pub fn insert_all(&self, playbooks: Vec<Playbook>) {
        let mut book = self.book.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = Book::clone(&book);
        for playbook in playbooks {
            next.entry(playbook.id().to_owned())
                .or_default()
                .insert(playbook.version(), Arc::new(playbook));
        }
        *book = Arc::new(next);
    }

    /// Adds a playbook, replacing one with the same `id@version`.
    pub fn insert(&self, playbook: Playbook) {
        self.insert_all(vec![playbook]);
    }

    /// Loads a playbook from YAML and adds it; returns its `id@version`.
    ///
    /// # Errors
    ///
    /// The [`LoadError`] with every diagnostic; the registry is unchanged.
    pub fn load_yaml(&self, text: &str, file: &str) -> Result<String, LoadError> {
        let playbook = self.loader.from_yaml(text, file)?;
        let pin = playbook.pin();
        self.insert(playbook);
        Ok(pin)
    }

    /// Loads a playbook file and adds it; returns its `id@version`.
    ///
    /// # Errors
    ///
    /// As [`Registry::load_yaml`], or when the file cannot be read.
    pub fn load(&self, path: impl AsRef<Path>) -> Result<String, LoadError> {
        let playbook = self.loader.load(path)?;
        let pin = playbook.pin();
        self.insert(playbook);
        Ok(pin)
    }

    /// Loads every `*.yaml` and `*.yml` file of a directory, all or nothing: when any fails,
    /// nothing changes and every failure is returned (file, then its diagnostics). Versions
    /// loaded before and no longer in the directory stay, for the deals pinned to them.
    ///
    /// # Errors
    ///
    /// Each file that did not load, with its [`LoadError`].
    pub fn load_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<String>, Vec<(String, LoadError)>> {
        let dir = dir.as_ref();
        let mut files: Vec<_> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect(),
            Err(error) => {
                let name = dir.display().to_string();
                let problem = LoadError::unreadable(&name, &error);
                return Err(vec![(name, problem)]);
            }
        };
        files.sort();
        let mut loaded = Vec::new();
        let mut failed = Vec::new();
        for path in &files {
            match self.loader.load(path) {
                Ok(playbook) => loaded.push(playbook),
                Err(error) => failed.push((path.display().to_string(), error)),
            }
        }
        if !failed.is_empty() {
            return Err(failed);
        }
        let pins = loaded.iter().map(Playbook::pin).collect();
        self.insert_all(loaded);
        Ok(pins)
    }

    /// Every loaded `id@version`, by id then version.
    pub fn pins(&self) -> Vec<String> {
        all_pins(&self.snapshot())
    }

    /// The playbook `id@version`, or the newest version of `id` for a bare `id`.
    pub fn get(&self, pin: &str) -> Option<Arc<Playbook>> {
        find(&self.snapshot(), pin)
    }

    /// The playbook serving `deal`: its pin, else the only (or default) playbook's newest version.
    ///
    /// # Errors
    ///
    /// [`RegistryError::NotLoaded`] or [`RegistryError::NoPin`].
    pub fn playbook_for(&self, deal: &Deal) -> Result<Arc<Playbook>, RegistryError> {
        let book = self.snapshot();
        let pin = match (&deal.playbook, &self.default) {
            (Some(pin), _) => pin.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => match book.keys().collect::<Vec<_>>().as_slice() {
                [only] => (*only).clone(),
                [] => return Err(RegistryError::NoPin("no playbook is loaded".to_owned())),
                several => {
                    let ids: Vec<&str> = several.iter().map(|s| s.as_str()).collect();
                    return Err(RegistryError::NoPin(format!(
                        "several are loaded ({})",
                        ids.join(", ")
                    )));
                }
            },
        };
        find(&book, &pin).ok_or_else(|| RegistryError::NotLoaded {
            pin,
            known: all_pins(&book),
        })
    }

    /// An engine for `deal`'s playbook, in the registry's language.
    ///
    /// # Errors
    ///
    /// As [`Registry::playbook_for`].
    pub fn engine_for(&self, deal: &Deal) -> Result<Engine, RegistryError> {
        let engine = Engine::new(self.playbook_for(deal)?);
        Ok(match &self.lang {
            Some(lang) => engine.with_language(lang),
            None => engine,
        })
    }

    /// Pins a new deal to the newest version of its playbook (its pin's id, else the only or
    /// default playbook).
    ///
    /// # Errors
    ///
    /// As [`Registry::playbook_for`].
    pub fn pin_new(&self, deal: &mut Deal) -> Result<(), RegistryError> {
        let mut unversioned = deal.clone();
        unversioned.playbook = deal.playbook.as_ref().map(|pin| {
            pin.split_once('@')
                .map_or(pin.as_str(), |(id, _)| id)
                .to_owned()
        });
        deal.playbook = Some(self.playbook_for(&unversioned)?.pin());
        Ok(())
    }

    /// [`Engine::evaluate`] by the deal's playbook version (as [`Options::as_actor`] sees the
    /// moves, when given).
    ///
    /// # Errors
    ///
    /// As [`Registry::playbook_for`], or the deal does not fit its playbook.
    pub fn evaluate(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Evaluation, RegistryError> {
        Ok(self.engine_for(deal)?.evaluate(deal, at, options)?)
    }

    /// [`Engine::apply`] by the deal's playbook version: the moved deal and what the move sets in
    /// motion.
    ///
    /// # Errors
    ///
    /// As [`Registry::playbook_for`], or the [`MoveError`].
    pub fn apply(
        &self,
        deal: &Deal,
        wanted: &Move,
        at: Timestamp,
    ) -> Result<Applied, RegistryError> {
        Ok(self.engine_for(deal)?.apply(deal, wanted, at)?)
    }

    /// [`Engine::approve`] by the deal's playbook version.
    ///
    /// # Errors
    ///
    /// As [`Registry::playbook_for`], or the [`ApproveError`](crate::engine::ApproveError).
    pub fn approve(
        &self,
        deal: &Deal,
        criterion: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Deal, RegistryError> {
        Ok(self.engine_for(deal)?.approve(deal, criterion, actor, at)?)
    }

    /// Carries `deal` to `target` (`id@version`, or `id` for the newest), through the loaded
    /// versions in between: straight there when the target declares a migration from the deal's
    /// version, else one loaded version at a time. A deal already there is returned unchanged.
    /// With [`Options::as_actor`], each step's history entry records the actor as `by`.
    ///
    /// # Errors
    ///
    /// As [`Registry::playbook_for`] for the deal and the target, or the [`MigrationError`] of
    /// the step that could not be made.
    pub fn migrate(
        &self,
        deal: &Deal,
        target: &str,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Deal, RegistryError> {
        let book = self.snapshot();
        let mut from = self.playbook_for(deal)?;
        let to = find(&book, target).ok_or_else(|| RegistryError::NotLoaded {
            pin: target.to_owned(),
            known: all_pins(&book),
        })?;
        let mut deal = deal.clone();
        while from.id() == to.id() && from.version() < to.version() {
            let next = if to.migration_from(from.version()).is_some() {
                Arc::clone(&to)
            } else {
                book.get(to.id())
                    .and_then(|versions| versions.range(from.version() + 1..).next())
                    .map_or_else(|| Arc::clone(&to), |(_, p)| Arc::clone(p))
            };
            deal = Engine::new(Arc::clone(&next)).migrate(&from, &deal, at, options)?;
            from = next;
        }
        if from.id() != to.id() || from.version() > to.version() {
            return Err(MigrationError {
                deal: deal.label("(no id)"),
                from: from.pin(),
                to: to.pin(),
                problems: vec![format!(
                    "`{}` is not a newer version of `{}`",
                    to.pin(),
                    from.pin()
                )],
            }
            .into());
        }
        Ok(deal)
    }
}

fn find(book: &Book, pin: &str) -> Option<Arc<Playbook>> {
    match pin.split_once('@') {
        Some((id, version)) => {
            let version = version.parse::<u64>().ok()?;
            book.get(id)?.get(&version).cloned()
        }
        None => book.get(pin)?.values().next_back().cloned(),
    }
}

fn all_pins(book: &Book) -> Vec<String> {
    book.values()
        .flat_map(|versions| versions.values().map(|p| p.pin()))
        .collect()
}
