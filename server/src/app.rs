//! What every request shares: the playbooks, the store, the settings.

use std::path::PathBuf;
use std::sync::Arc;

use stagegate::registry::{Registry, RegistryError};
use stagegate::{Deal, Engine, Playbook};

use crate::auth::User;
use crate::metrics::Metrics;
use crate::store::Store;

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

    /// An engine over `playbook`, answering in `user`'s language, else the service's.
    pub fn engine_of(&self, playbook: Arc<Playbook>, user: &User) -> Engine {
        let engine = Engine::new(playbook);
        match user.lang.as_ref().or(self.lang.as_ref()) {
            Some(lang) => engine.with_language(lang),
            None => engine,
        }
    }
}
