//! Why a move could not be made.

use thiserror::Error;

use super::evaluation::MoveCheck;
use crate::deal::DealError;

/// Why a move could not be made.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Move, MoveError, Playbook};
/// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nfields: {budget: {type: number}}\nstages: [{id: open, exit: [{id: funded, when: \"budget > 0\"}]}, {id: won, outcome: won}]\ntransitions: [{from: open, to: won}]\n", "p.yaml").unwrap();
/// let engine = Engine::new(playbook);
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1"}"#).unwrap();
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// match engine.apply(&deal, &Move::to("won"), at) {
///     Err(MoveError::Blocked { check }) => assert_eq!(check.blockers[0].fields, ["budget"]),
///     other => panic!("{other:?}"),
/// }
/// assert_eq!(engine.apply(&deal, &Move::to("won").forced(" "), at), Err(MoveError::MissingReason));
/// ```
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum MoveError {
    /// The deal itself is invalid.
    #[error(transparent)]
    Deal(#[from] DealError),
    /// The target is not a stage of the playbook.
    #[error("unknown stage `{stage}`{}", hint(.help))]
    UnknownStage {
        /// The id asked for.
        stage: String,
        /// A likely intended id.
        help: Option<String>,
    },
    /// The named source stage is not active.
    #[error("the deal is not in `{stage}`; it is in {active}")]
    NotActive {
        /// The source asked for.
        stage: String,
        /// The active stages, listed.
        active: String,
    },
    /// No declared transition leads from an active stage to the target. The message reads in
    /// plain words with the stages' titles, in the reader's language: "There is no way from
    /// Discovery to Legal & procurement: from Discovery a deal moves to Proposal or Lost."
    #[error("{message}")]
    NotDeclared {
        /// The stages the move would start from (their titles, in the reader's language), listed.
        from: String,
        /// The target's id.
        to: String,
        /// The moves declared from those stages, in plain words with titles: "from Discovery a
        /// deal moves to Proposal or Lost".
        moves: String,
        /// The whole refusal, in the reader's language.
        message: String,
    },
    /// Several active stages could make the move.
    #[error("the deal could move to `{to}` from {candidates}; name the source stage")]
    Ambiguous {
        /// The target.
        to: String,
        /// The possible sources, listed.
        candidates: String,
    },
    /// The move is blocked; the check lists every reason.
    #[error("the move from `{}` to `{}` is blocked", .check.from, .check.to)]
    Blocked {
        /// The evaluated move with its blockers.
        check: Box<MoveCheck>,
    },
    /// A forced move was asked for without a reason.
    #[error("a forced move needs a reason")]
    MissingReason,
    /// The move's time is before the deal's last history entry: the history would go back in
    /// time.
    #[error("the move's time {at} is before the deal's last history entry ({last}); a history only goes forward")]
    BeforeHistory {
        /// The move's time.
        at: String,
        /// The time of the last entry.
        last: String,
    },
    /// The playbook says who may move (`permissions`, `by:`) and the move names no actor.
    #[error("this playbook says who may move deals: the move must say who makes it (an actor with an id and roles)")]
    NoActor,
    /// The actor may not force a blocked move.
    #[error("the move from `{}` to `{}` is blocked, and {}", .check.from, .check.to, .message)]
    Forbidden {
        /// The evaluated move with its blockers, as the actor sees it.
        check: Box<MoveCheck>,
        /// Who may force it, in the reader's language.
        message: String,
    },
    /// A forced move met an approval that is missing and not `forceable`: someone else's consent
    /// a force never replaces.
    #[error("the move from `{}` to `{}` is blocked, and {}", .check.from, .check.to, .message)]
    ApprovalNotForceable {
        /// The evaluated move with its blockers.
        check: Box<MoveCheck>,
        /// The approval criteria in the way.
        approvals: Vec<String>,
        /// The approvals and the roles that give them, in the reader's language.
        message: String,
    },
    /// The deal is archived: it moves again once unarchived.
    #[error("{message}")]
    Archived {
        /// Who archived it, when and why, in the reader's language.
        message: String,
    },
}

impl MoveError {
    /// A stable code for the refusal, for programs: `blocked`, `not-declared`, `no-actor`, ...;
    /// a deal's problem gives its own (`undeclared-field`).
    pub fn code(&self) -> &'static str {
        match self {
            MoveError::Deal(error) => error.problems.first().map_or("deal", |p| p.code()),
            MoveError::UnknownStage { .. } => "unknown-stage",
            MoveError::NotActive { .. } => "not-active",
            MoveError::NotDeclared { .. } => "not-declared",
            MoveError::Ambiguous { .. } => "ambiguous",
            MoveError::Blocked { check } if check.is_forbidden() => "not-permitted",
            MoveError::Blocked { .. } => "blocked",
            MoveError::MissingReason => "missing-reason",
            MoveError::BeforeHistory { .. } => "before-history",
            MoveError::NoActor => "no-actor",
            MoveError::Forbidden { .. } => "force-not-permitted",
            MoveError::ApprovalNotForceable { .. } => "approval-not-forceable",
            MoveError::Archived { .. } => "archived",
        }
    }
}

fn hint(help: &Option<String>) -> String {
    help.as_ref()
        .map_or_else(String::new, |h| format!(" ({h})"))
}
