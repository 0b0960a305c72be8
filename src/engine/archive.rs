//! Archiving a deal (`Engine::archive`) and bringing it back (`Engine::unarchive`): recorded,
//! never erased.

use jiff::Timestamp;

use super::change_error::{ChangeError, ChangeProblem};
use super::edit::{acting, refuse_before_history};
use super::permits::{self, Right};
use super::{Engine, Options};
use crate::deal::{Archive, Deal, HistoryEntry};
use crate::support::time::format_time;

impl Engine {
    /// Archives `deal` at `at` for `reason`, by the actor of `options` (`permissions.archive`,
    /// default the deal's owner and the roles of `force`): the deal holding `archived: { at, by,
    /// reason }` and a history entry `{ at, by, archived: true, reason }`. An archived deal
    /// leaves the board, the tasks due and the open pipeline's figures, and refuses moves and
    /// edits until unarchived; nothing of it is erased.
    ///
    /// # Errors
    ///
    /// [`ChangeError::Forbidden`] for an actor without the right; [`ChangeError::Refused`] for
    /// a blank reason, a deal already archived, or a time before the history's last entry;
    /// [`ChangeError::NoActor`]; [`ChangeError::Deal`] for a deal that does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, Deal, Engine, Move, MoveError, Options, Playbook};
    /// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
    ///     stages: [{id: lead}, {id: won, outcome: won}]\ntransitions: [{from: lead, to: won}]\n", "p.yaml").unwrap();
    /// let engine = Engine::new(playbook);
    /// let at = stagegate::parse_time("2026-11-27").unwrap();
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "yoon"}"#).unwrap();
    /// let yoon = Actor::new("yoon", ["rep"]);
    /// let archived = engine.archive(&deal, "duplicate of D-7", at, &Options::new().as_actor(&yoon)).unwrap();
    /// assert_eq!(archived.archived.as_ref().unwrap().by, "yoon");
    /// assert!(matches!(engine.apply(&archived, &Move::to("won"), at), Err(MoveError::Archived { .. })));
    /// let back = engine.unarchive(&archived, at, &Options::new().as_actor(&yoon)).unwrap();
    /// assert!(back.archived.is_none() && back.history.last().unwrap().unarchived);
    /// ```
    pub fn archive(
        &self,
        deal: &Deal,
        reason: &str,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Deal, ChangeError> {
        let actor = self.may_archive(deal, at, options)?;
        let mut refused = Vec::new();
        if reason.trim().is_empty() {
            refused.push(ChangeProblem::refused(
                "missing-reason",
                "reason",
                "archiving needs a reason (a duplicate, junk, ...): it stays in the history"
                    .to_owned(),
            ));
        }
        if let Some(archived) = &deal.archived {
            refused.push(ChangeProblem::refused(
                "already-archived",
                "archived",
                format!(
                    "the deal is already archived (by {} at {}: {})",
                    archived.by, archived.at, archived.reason
                ),
            ));
        }
        if !refused.is_empty() {
            return Err(ChangeError::Refused { problems: refused });
        }
        let now = format_time(at);
        let by = actor.map(|a| a.id.clone());
        let mut archived = deal.clone();
        archived.archived = Some(Archive::new(
            now.clone(),
            by.clone().unwrap_or_default(),
            reason.trim(),
        ));
        let mut entry = HistoryEntry::change(now, by);
        entry.archived = true;
        entry.reason = Some(reason.trim().to_owned());
        archived.history.push(entry);
        Ok(archived)
    }

    /// Brings an archived `deal` back at `at`, by the actor of `options` (the same right as
    /// archiving): `archived` cleared, a history entry `{ at, by, unarchived: true }`.
    ///
    /// # Errors
    ///
    /// As [`Engine::archive`]; [`ChangeError::Refused`] for a deal that is not archived.
    pub fn unarchive(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Deal, ChangeError> {
        let actor = self.may_archive(deal, at, options)?;
        if deal.archived.is_none() {
            return Err(ChangeError::Refused {
                problems: vec![ChangeProblem::refused(
                    "not-archived",
                    "archived",
                    "the deal is not archived".to_owned(),
                )],
            });
        }
        let mut back = deal.clone();
        back.archived = None;
        let mut entry = HistoryEntry::change(format_time(at), actor.map(|a| a.id.clone()));
        entry.unarchived = true;
        back.history.push(entry);
        Ok(back)
    }

    /// The actor of `options` when they may archive or unarchive `deal` at `at`.
    fn may_archive<'o>(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'o>,
    ) -> Result<Option<&'o super::Actor>, ChangeError> {
        let playbook = self.playbook();
        crate::fit::check(playbook, deal)?;
        let actor = acting(playbook, options)?;
        let owner = deal.owner.as_deref();
        if let Some(problem) = permits::check(
            playbook,
            Right::Archive,
            actor,
            owner,
            "archived",
            self.language(),
        ) {
            return Err(ChangeError::Forbidden {
                problems: vec![problem],
            });
        }
        refuse_before_history(playbook, deal, at)?;
        Ok(actor)
    }
}
