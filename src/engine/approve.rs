//! Giving an approval: the role and four-eyes checks, the deal's `approvals` entry and its
//! history line; `ApproveError`.

use jiff::Timestamp;
use thiserror::Error;

use super::evaluate::Evaluator;
use super::Actor;
use crate::deal::{Approval, Deal, DealError, HistoryEntry};
use crate::model::{Playbook, Test};
use crate::support::{messages, suggest};

/// Why an approval could not be given.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum ApproveError {
    /// The deal itself is invalid.
    #[error(transparent)]
    Deal(#[from] DealError),
    /// The deal is archived: approvals are given again once it is unarchived.
    #[error("{message}")]
    Archived {
        /// Who archived it, when and why, in the reader's language.
        message: String,
    },
    /// No approval criterion has this id.
    #[error("`{criterion}` is not an approval criterion of this playbook{}", hint(.help))]
    UnknownCriterion {
        /// The id asked for.
        criterion: String,
        /// A likely intended id, or the approval criteria there are.
        help: Option<String>,
    },
    /// The deal is not in a stage whose gate asks for this approval.
    #[error("`{criterion}` is asked for in {stages}, and the deal is in {active}: it can be approved only there")]
    NotInStage {
        /// The approval criterion.
        criterion: String,
        /// The stages whose gates ask for it, listed.
        stages: String,
        /// The deal's active stages, listed.
        active: String,
    },
    /// The actor does not hold the approving role.
    #[error("{message}")]
    Forbidden {
        /// The approval criterion.
        criterion: String,
        /// The approving role.
        role: String,
        /// "only Finance may approve `discount_approved`", in the engine's language.
        message: String,
    },
    /// The deal's owner tried to approve their own deal.
    #[error("{message}")]
    OwnDeal {
        /// The approval criterion.
        criterion: String,
        /// The owner.
        by: String,
        /// The approving role.
        role: String,
        /// Why, naming the role by its title, in the engine's language.
        message: String,
    },
    /// The approval's time is before the deal's last history entry.
    #[error("the approval's time {at} is before the deal's last history entry ({last}); a history only goes forward")]
    BeforeHistory {
        /// The approval's time.
        at: String,
        /// The time of the last entry.
        last: String,
    },
    /// The deal already holds an approval of it that counts.
    #[error("`{criterion}` is already approved by {by} at {at}")]
    AlreadyApproved {
        /// The approval criterion.
        criterion: String,
        /// Who approved.
        by: String,
        /// When.
        at: String,
    },
}

impl ApproveError {
    /// A stable code for the refusal, for programs: `own-deal`, `not-in-stage`, ...; a deal's
    /// problem gives its own (`undeclared-field`).
    pub fn code(&self) -> &'static str {
        match self {
            ApproveError::Deal(error) => error.problems.first().map_or("deal", |p| p.code()),
            ApproveError::UnknownCriterion { .. } => "unknown-criterion",
            ApproveError::NotInStage { .. } => "not-in-stage",
            ApproveError::Forbidden { .. } => "approver-role",
            ApproveError::OwnDeal { .. } => "own-deal",
            ApproveError::BeforeHistory { .. } => "before-history",
            ApproveError::AlreadyApproved { .. } => "already-approved",
            ApproveError::Archived { .. } => "archived",
        }
    }
}

fn hint(help: &Option<String>) -> String {
    help.as_ref()
        .map_or_else(String::new, |h| format!(" ({h})"))
}

/// `actor` approves `criterion` on `deal` at `at`: the new deal with the approval under
/// `approvals` and a history entry `{ at, approved, by }`.
pub(super) fn approve(
    playbook: &Playbook,
    deal: &Deal,
    criterion: &str,
    actor: &Actor,
    at: Timestamp,
    lang: &str,
) -> Result<Deal, ApproveError> {
    let mut evaluator = Evaluator::new(playbook, deal, at, lang)?;
    if let Some(archived) = &deal.archived {
        return Err(ApproveError::Archived {
            message: archived.refusal(lang),
        });
    }
    if let Some(last) = super::apply::last_entry(playbook, deal).filter(|last| at < *last) {
        return Err(ApproveError::BeforeHistory {
            at: crate::support::time::format_time(at),
            last: crate::support::time::format_time(last),
        });
    }
    let gates: Vec<_> = playbook
        .approval_gates()
        .filter(|gate| gate.criterion.id == criterion)
        .collect();
    let Some(first) = gates.first() else {
        return Err(ApproveError::UnknownCriterion {
            criterion: criterion.to_owned(),
            help: Some(playbook.approval_help(criterion)),
        });
    };
    let (role, gate_criterion) = (first.role.to_owned(), first.criterion);
    if !gates
        .iter()
        .any(|g| evaluator.facts.active.contains(&g.stage))
    {
        let mut stages: Vec<&str> = gates
            .iter()
            .map(|g| playbook.stages[g.stage].id.as_str())
            .collect();
        stages.dedup();
        let active: Vec<&str> = playbook.stage_ids(&evaluator.facts.active).collect();
        return Err(ApproveError::NotInStage {
            criterion: criterion.to_owned(),
            stages: suggest::list(&stages),
            active: suggest::list(&active),
        });
    }
    let title = super::actor::titles(playbook, std::slice::from_ref(&role), lang).concat();
    if !actor.roles.contains(&role) {
        return Err(ApproveError::Forbidden {
            criterion: criterion.to_owned(),
            message: messages::approval_refused(lang, criterion, &title, None),
            role,
        });
    }
    if deal.owner.as_deref() == Some(actor.id.as_str()) {
        return Err(ApproveError::OwnDeal {
            criterion: criterion.to_owned(),
            by: actor.id.clone(),
            message: messages::approval_refused(lang, criterion, &title, Some(&actor.id)),
            role,
        });
    }
    evaluator.score_all();
    let when = match &gate_criterion.test {
        Test::Approval { when, .. } => when.as_deref(),
        _ => None,
    };
    if let Some(held) = deal.approvals.get(criterion) {
        if evaluator.approval_need(criterion, &role, when).is_none() {
            return Err(ApproveError::AlreadyApproved {
                criterion: criterion.to_owned(),
                by: held.by.clone(),
                at: held.at.clone(),
            });
        }
    }
    let values = when.map(|script| evaluator.values_read(script));
    let at = crate::support::time::format_time(at);
    let mut approved = deal.clone();
    approved.approvals.insert(
        criterion.to_owned(),
        Approval::new(
            actor.id.clone(),
            at.clone(),
            Some(role),
            values.unwrap_or_default(),
        ),
    );
    approved.history.push(HistoryEntry {
        at,
        from: None,
        to: String::new(),
        by: Some(actor.id.clone()),
        kind: None,
        fork: false,
        forced: false,
        reason: None,
        overridden: Vec::new(),
        migrated_from: None,
        approved: Some(criterion.to_owned()),
        imported: false,
        imported_by: None,
        edit: None,
        archived: false,
        unarchived: false,
        approval_requested: None,
        note: None,
    });
    Ok(approved)
}
