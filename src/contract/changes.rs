//! The contract's calls that change a deal without moving it: create, import, edit, archive,
//! unarchive and request an approval, each `{"deal", ..., "actor"?, "at"}` in and the changed
//! deal (or the refusal) out.

use serde::Deserialize;
use serde_json::Value;

use super::errors::{change_error, request_error};
use super::{json, ActorRequest, Contract};
use crate::deal::Changes;
use crate::engine::{Actor, Options};

/// A creation, an import or an unarchiving, as a request gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DealRequest {
    deal: Value,
    #[serde(default)]
    actor: Option<ActorRequest>,
    at: String,
}

/// An edit, as a request gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditRequest {
    deal: Value,
    changes: Changes,
    #[serde(default)]
    actor: Option<ActorRequest>,
    at: String,
}

/// An archiving, as a request gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchiveRequest {
    deal: Value,
    reason: String,
    #[serde(default)]
    actor: Option<ActorRequest>,
    at: String,
}

/// A request for an approval, as a request gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestApprovalRequest {
    deal: Value,
    criterion: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    actor: Option<ActorRequest>,
    at: String,
}

impl Contract {
    /// Opens a deal: `{"deal", "actor"?: {"id", "roles"}, "at"}`; answers the deal in a start
    /// stage with its creation entry (or, for one the actor may import, as [`Contract::import`]).
    ///
    /// # Errors
    ///
    /// `request`, `deal`, `forbidden` (every right missing, with the roles that may), `refused`.
    pub fn create(&self, request: &str) -> Result<String, String> {
        let request: DealRequest = read(request, "a new deal")?;
        let deal = self.deal_of(request.deal)?;
        let at = self.time_of(&request.at)?;
        let actor = self.actor_of(request.actor)?;
        let options = Options::new().as_actor(actor.as_ref());
        let created = self
            .engine()
            .create(&deal, at, &options)
            .map_err(|e| change_error(&e, &deal))?;
        Ok(json(&created))
    }

    /// Imports a deal as it stands elsewhere: `{"deal", "actor"?, "at"}`; answers the deal with
    /// every history entry marked imported by the actor.
    ///
    /// # Errors
    ///
    /// As [`Contract::create`].
    pub fn import(&self, request: &str) -> Result<String, String> {
        let request: DealRequest = read(request, "an import")?;
        let deal = self.deal_of(request.deal)?;
        let at = self.time_of(&request.at)?;
        let actor = self.actor_of(request.actor)?;
        let options = Options::new().as_actor(actor.as_ref());
        let imported = self
            .engine()
            .import(&deal, at, &options)
            .map_err(|e| change_error(&e, &deal))?;
        Ok(json(&imported))
    }

    /// Edits a deal: `{"deal", "changes": {"fields"?, "activities"?, "owner"?}, "actor"?, "at"}`;
    /// answers `{"deal": <the edited deal>, "voided": [<approval criteria>]}`.
    ///
    /// # Errors
    ///
    /// As [`Contract::create`].
    pub fn edit(&self, request: &str) -> Result<String, String> {
        let request: EditRequest = read(request, "an edit")?;
        let deal = self.deal_of(request.deal)?;
        let at = self.time_of(&request.at)?;
        let actor = self.actor_of(request.actor)?;
        let options = Options::new().as_actor(actor.as_ref());
        let edited = self
            .engine()
            .edit(&deal, &request.changes, at, &options)
            .map_err(|e| change_error(&e, &deal))?;
        Ok(json(&edited))
    }

    /// Archives a deal: `{"deal", "reason", "actor"?, "at"}`; answers the archived deal.
    ///
    /// # Errors
    ///
    /// As [`Contract::create`].
    pub fn archive(&self, request: &str) -> Result<String, String> {
        let request: ArchiveRequest = read(request, "an archiving")?;
        let deal = self.deal_of(request.deal)?;
        let at = self.time_of(&request.at)?;
        let actor = self.actor_of(request.actor)?;
        let options = Options::new().as_actor(actor.as_ref());
        let archived = self
            .engine()
            .archive(&deal, &request.reason, at, &options)
            .map_err(|e| change_error(&e, &deal))?;
        Ok(json(&archived))
    }

    /// Unarchives a deal: `{"deal", "actor"?, "at"}`; answers the deal, back on the board.
    ///
    /// # Errors
    ///
    /// As [`Contract::create`].
    pub fn unarchive(&self, request: &str) -> Result<String, String> {
        let request: DealRequest = read(request, "an unarchiving")?;
        let deal = self.deal_of(request.deal)?;
        let at = self.time_of(&request.at)?;
        let actor = self.actor_of(request.actor)?;
        let options = Options::new().as_actor(actor.as_ref());
        let back = self
            .engine()
            .unarchive(&deal, at, &options)
            .map_err(|e| change_error(&e, &deal))?;
        Ok(json(&back))
    }

    /// Asks for an approval: `{"deal", "criterion", "note"?, "actor"?, "at"}`; answers `{"deal":
    /// <the deal with the request in its history>, "effects": [<the notify to the approving
    /// role>]}`, as `apply` answers a move.
    ///
    /// # Errors
    ///
    /// As [`Contract::create`]; `refused` with every reason (an archived deal, an unknown
    /// criterion with the likely intended one, one not asked for in the deal's stages, one
    /// approved already, one not needed now).
    pub fn request_approval(&self, request: &str) -> Result<String, String> {
        let request: RequestApprovalRequest = read(request, "a request for an approval")?;
        let deal = self.deal_of(request.deal)?;
        let at = self.time_of(&request.at)?;
        let actor = self.actor_of(request.actor)?;
        let options = Options::new().as_actor(actor.as_ref());
        let asked = self
            .engine()
            .request_approval(
                &deal,
                &request.criterion,
                request.note.as_deref(),
                at,
                &options,
            )
            .map_err(|e| change_error(&e, &deal))?;
        Ok(json(&asked))
    }

    fn actor_of(&self, actor: Option<ActorRequest>) -> Result<Option<Actor>, String> {
        actor.map(|a| self.checked_actor(a)).transpose()
    }
}

/// A request of `what`, read; its error names what was expected.
fn read<'de, T: Deserialize<'de>>(request: &'de str, what: &str) -> Result<T, String> {
    serde_json::from_str(request).map_err(|e| request_error(&format!("{what}: {e}")))
}
