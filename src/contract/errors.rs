//! The contract's error objects: `{"error": <kind>, "message", ...data}`, one shape per kind,
//! written from one type so that their JSON Schema (`schema/error.schema.json`) is derived from
//! what is written.

use serde::Serialize;

use crate::deal::DealError;
use crate::engine::{ApproveError, MoveCheck, MoveError, Reason};
use crate::load::LoadError;
use crate::support::diagnostic::Diagnostic;

/// An error a contract call answers, by its kind (`error`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(tag = "error", rename_all = "lowercase")]
pub(crate) enum ContractError {
    /// The request is not what the call takes: unreadable JSON, an unknown key, a bad time, an
    /// unknown role, a language the playbook lacks.
    Request {
        /// What is wrong, in one line.
        message: String,
    },
    /// The playbook does not load.
    Load {
        /// What is wrong, in one line.
        message: String,
        /// Every diagnostic, as `check --format json` prints them.
        diagnostics: Vec<Diagnostic>,
    },
    /// The deal does not fit the playbook.
    Deal {
        /// What is wrong, in one line.
        message: String,
        /// The deal's id, or its position when it has none.
        deal: String,
        /// Every problem, one line each.
        problems: Vec<String>,
    },
    /// A move blocked by its gates.
    Blocked {
        /// What is wrong, in one line.
        message: String,
        /// The move, with every blocker.
        #[serde(rename = "move")]
        check: MoveCheck,
    },
    /// The actor may not make or force the move.
    Forbidden {
        /// What is wrong, in one line.
        message: String,
        /// The move, with every blocker.
        #[serde(rename = "move")]
        check: MoveCheck,
    },
    /// The actor may not give the approval: not in the approving role, or the deal's owner.
    #[serde(rename = "forbidden")]
    ForbiddenApproval {
        /// What is wrong, in one line.
        message: String,
        /// The roles that may give the approval.
        roles: Vec<String>,
    },
    /// Any other refusal: no actor where the playbook needs one, a move dated before the
    /// history, an approval not in its stage or already given.
    Refused {
        /// What is wrong, in one line.
        message: String,
    },
    /// The engine failed on a deal of a batch: a defect of stagegate, not of the request.
    Internal {
        /// What is wrong, in one line.
        message: String,
    },
}

impl ContractError {
    /// The error as a JSON object.
    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The request is not what the call takes: its error object's JSON text (for bindings that
/// refuse a request before it reaches the contract).
pub fn request_error(message: &str) -> String {
    ContractError::Request {
        message: message.to_owned(),
    }
    .json()
}

/// The engine failed, which is a defect of stagegate, not of the request.
pub(super) fn internal_error(message: &str) -> String {
    ContractError::Internal {
        message: message.to_owned(),
    }
    .json()
}

/// The playbook did not load: every diagnostic.
pub(super) fn load_error(error: &LoadError) -> String {
    ContractError::Load {
        message: error.to_string(),
        diagnostics: error.diagnostics.clone(),
    }
    .json()
}

/// The deal does not fit the playbook: its name and every problem.
pub(super) fn deal_error(error: &DealError) -> String {
    deal_problems(
        error.to_string(),
        error.deal.clone(),
        error.problems.iter().map(ToString::to_string).collect(),
    )
}

/// A deal that cannot be answered for, with its name and every problem.
pub(super) fn deal_problems(message: String, deal: String, problems: Vec<String>) -> String {
    ContractError::Deal {
        message,
        deal,
        problems,
    }
    .json()
}

/// A move not made.
pub(super) fn move_error(error: &MoveError) -> String {
    let message = error.to_string();
    match error {
        MoveError::Deal(error) => deal_error(error),
        MoveError::Blocked { check } => {
            let check = MoveCheck::clone(check);
            if check.blockers.iter().any(|b| b.reason == Reason::Forbidden) {
                ContractError::Forbidden { message, check }.json()
            } else {
                ContractError::Blocked { message, check }.json()
            }
        }
        MoveError::Forbidden { check, .. } => ContractError::Forbidden {
            message,
            check: MoveCheck::clone(check),
        }
        .json(),
        _ => ContractError::Refused { message }.json(),
    }
}

/// An approval not given.
pub(super) fn approve_error(error: &ApproveError) -> String {
    let message = error.to_string();
    match error {
        ApproveError::Deal(error) => deal_error(error),
        ApproveError::Forbidden { role, .. } | ApproveError::OwnDeal { role, .. } => {
            ContractError::ForbiddenApproval {
                message,
                roles: vec![role.clone()],
            }
            .json()
        }
        _ => ContractError::Refused { message }.json(),
    }
}
