//! The suffixed names the registry had before [`Options`] (`evaluate_as`,
//! `apply_with_effects`), kept for one minor version as thin calls of the one call that replaces
//! each; they go in 0.3.

use jiff::Timestamp;

use super::{Registry, RegistryError};
use crate::deal::Deal;
use crate::engine::{Actor, Applied, Evaluation, Move, Options};

impl Registry {
    /// [`Registry::evaluate`] as `actor` sees the moves.
    ///
    /// # Errors
    ///
    /// As [`Registry::evaluate`].
    #[deprecated(
        since = "0.2.0",
        note = "use `evaluate(deal, at, &Options::new().as_actor(actor))`"
    )]
    pub fn evaluate_as(
        &self,
        deal: &Deal,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Evaluation, RegistryError> {
        self.evaluate(deal, at, &Options::new().as_actor(actor))
    }

    /// [`Registry::apply`], which now answers the moved deal with its effects.
    ///
    /// # Errors
    ///
    /// As [`Registry::apply`].
    #[deprecated(
        since = "0.2.0",
        note = "use `apply`, which answers the same `Applied`"
    )]
    pub fn apply_with_effects(
        &self,
        deal: &Deal,
        wanted: &Move,
        at: Timestamp,
    ) -> Result<Applied, RegistryError> {
        self.apply(deal, wanted, at)
    }
}
