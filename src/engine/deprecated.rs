//! The suffixed names the engine had before [`Options`] (`evaluate_as`, `evaluate_traced`,
//! `apply_with_effects`, `migrate_as`), kept for one minor version as thin calls of the one call
//! that replaces each; they go in 0.3.

use jiff::Timestamp;

use super::{Actor, Applied, Engine, Evaluation, MigrationError, Move, MoveError, Options};
use crate::deal::{Deal, DealError};
use crate::model::Playbook;

impl Engine {
    /// [`Engine::evaluate`] with every criterion and rule outcome.
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`].
    #[deprecated(
        since = "0.2.0",
        note = "use `assess(deal, at, &Options::new().traced())`: its `evaluation` and `trace`"
    )]
    pub fn evaluate_traced(
        &self,
        deal: &Deal,
        at: Timestamp,
    ) -> Result<(Evaluation, Vec<(String, bool)>), DealError> {
        let assessed = self.assess(deal, at, &Options::new().traced())?;
        Ok((assessed.evaluation, assessed.trace))
    }

    /// [`Engine::apply`], which now answers the moved deal with its effects.
    ///
    /// # Errors
    ///
    /// As [`Engine::apply`].
    #[deprecated(
        since = "0.2.0",
        note = "use `apply`, which answers the same `Applied`"
    )]
    pub fn apply_with_effects(
        &self,
        deal: &Deal,
        wanted: &Move,
        at: Timestamp,
    ) -> Result<Applied, MoveError> {
        self.apply(deal, wanted, at)
    }

    /// [`Engine::evaluate`] as `actor` sees the moves.
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`].
    #[deprecated(
        since = "0.2.0",
        note = "use `evaluate(deal, at, &Options::new().as_actor(actor))`"
    )]
    pub fn evaluate_as(
        &self,
        deal: &Deal,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Evaluation, DealError> {
        self.evaluate(deal, at, &Options::new().as_actor(actor))
    }

    /// [`Engine::migrate`] by `actor`, recorded as `by` in the migration's history entry.
    ///
    /// # Errors
    ///
    /// As [`Engine::migrate`].
    #[deprecated(
        since = "0.2.0",
        note = "use `migrate(old, deal, at, &Options::new().as_actor(actor))`"
    )]
    pub fn migrate_as(
        &self,
        old: &Playbook,
        deal: &Deal,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Deal, MigrationError> {
        self.migrate(old, deal, at, &Options::new().as_actor(actor))
    }
}
