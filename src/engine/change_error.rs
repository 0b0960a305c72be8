//! `ChangeError`: why a deal could not be created, imported, edited, archived or unarchived.

use thiserror::Error;

use crate::deal::DealError;

/// One reason a change is refused: a stable code, where (`fields.discount_pct`, `owner`,
/// `history[2]`), the message in the engine's language, and for a permission the roles that may.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChangeProblem {
    /// `not-permitted` for a permission; else what is wrong (`not-a-start-stage`,
    /// `future-history`, ...).
    pub code: &'static str,
    /// What it is about, as a path in the deal.
    pub place: String,
    /// In words.
    pub message: String,
    /// For `not-permitted`: the roles that may (`owner`: the deal's owner).
    pub roles: Vec<String>,
}

impl ChangeProblem {
    /// A permission `roles` hold and the actor does not.
    pub(crate) fn forbidden(place: &str, message: String, roles: Vec<String>) -> ChangeProblem {
        ChangeProblem {
            code: "not-permitted",
            place: place.to_owned(),
            message,
            roles,
        }
    }

    /// Anything else wrong with the change.
    pub(crate) fn refused(code: &'static str, place: &str, message: String) -> ChangeProblem {
        ChangeProblem {
            code,
            place: place.to_owned(),
            message,
            roles: Vec::new(),
        }
    }
}

/// Why a deal could not be created, imported, edited, archived or unarchived. Nothing is
/// changed when it is refused.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum ChangeError {
    /// The deal, or the deal as the change would leave it, does not fit the playbook: every
    /// problem (an unknown field, a value of the wrong type, ...).
    #[error(transparent)]
    Deal(#[from] DealError),
    /// The playbook says who may change deals and the change names no actor.
    #[error("this playbook says who may change deals: the change must say who makes it (an actor with an id and roles)")]
    NoActor,
    /// The actor may not: every permission missing, each naming the roles that may.
    #[error("{}", join(.problems))]
    Forbidden {
        /// Every permission missing.
        problems: Vec<ChangeProblem>,
    },
    /// The change cannot be made as asked: every reason.
    #[error("{}", join(.problems))]
    Refused {
        /// Every reason.
        problems: Vec<ChangeProblem>,
    },
}

impl ChangeError {
    /// A stable code, for programs: `not-permitted`, `no-actor`, the first reason's code, or a
    /// deal's first problem's.
    pub fn code(&self) -> &'static str {
        match self {
            ChangeError::Deal(error) => error.problems.first().map_or("deal", |p| p.code()),
            ChangeError::NoActor => "no-actor",
            ChangeError::Forbidden { .. } => "not-permitted",
            ChangeError::Refused { problems } => problems.first().map_or("refused", |p| p.code),
        }
    }

    /// Every reason, one by one (none for a deal's problems, which the deal error lists).
    pub fn problems(&self) -> &[ChangeProblem] {
        match self {
            ChangeError::Forbidden { problems } | ChangeError::Refused { problems } => problems,
            _ => &[],
        }
    }
}

fn join(problems: &[ChangeProblem]) -> String {
    problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
