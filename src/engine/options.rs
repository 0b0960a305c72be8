//! `Options`: how a call sees a deal: as whom, and whether every rule's outcome is recorded.

use super::Actor;

/// How the engine answers a call: who asks, and what it records besides the answer. One value
/// for every call that takes options ([`Engine::evaluate`](super::Engine::evaluate),
/// [`Engine::assess`](super::Engine::assess), [`Engine::migrate`](super::Engine::migrate), and
/// the same calls of a [`Registry`](crate::registry::Registry)); each reads what concerns it.
/// A move needs none: the [`Move`](super::Move) says who makes it.
///
/// # Example
///
/// ```
/// use stagegate::{Actor, Deal, Engine, Options, Playbook};
/// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
///     roles: { manager: {} }\n\
///     stages: [{id: closing}, {id: onboarding}]\n\
///     transitions: [{from: closing, to: onboarding, by: [manager]}]\n", "p.yaml").unwrap();
/// let engine = Engine::new(playbook);
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "lee"}"#).unwrap();
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// let kim = Actor::new("kim", ["manager"]);
/// let seen = engine.evaluate(&deal, at, &Options::new().as_actor(&kim)).unwrap();
/// assert!(seen.transitions[0].allowed);
/// let assessed = engine.assess(&deal, at, &Options::new().as_actor(&kim).traced()).unwrap();
/// assert_eq!(assessed.evaluation, seen);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options<'a> {
    /// Who asks. An evaluation checks the moves as they see them (a move they may not make is
    /// blocked by a `permission` blocker naming the roles that may); a migration records them as
    /// `by`. `None`: nobody in particular (every move says who may make it, in `by`).
    pub actor: Option<&'a Actor>,
    /// Record every criterion and rule outcome, in the order they were checked (test coverage).
    /// [`Engine::assess`](super::Engine::assess) answers them in
    /// [`Assessment::trace`](super::Assessment::trace); the other calls have no place for them
    /// and do not record them.
    pub trace: bool,
}

impl<'a> Options<'a> {
    /// No actor, nothing recorded besides the answer: the same as `Options::default()`.
    pub fn new() -> Options<'a> {
        Options::default()
    }

    /// As `actor` sees it (see [`Options::actor`]); an `Option` is taken as it is (`None`:
    /// nobody in particular).
    #[must_use]
    pub fn as_actor(mut self, actor: impl Into<Option<&'a Actor>>) -> Options<'a> {
        self.actor = actor.into();
        self
    }

    /// Every criterion and rule outcome recorded (see [`Options::trace`]).
    #[must_use]
    pub fn traced(mut self) -> Options<'a> {
        self.trace = true;
        self
    }
}
