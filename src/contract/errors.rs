//! The contract's error objects: each a [`Problem`] written as JSON (`{"error": <kind>, "code",
//! "message", ...data}`), so that the contract, the command line and the bindings answer every
//! error in one shape (`schema/error.schema.json`).

use super::problem::Problem;
use crate::deal::DealError;
use crate::engine::{ApproveError, MoveError};
use crate::load::LoadError;

/// The request is not what the call takes: its error object's JSON text (for bindings that
/// refuse a request before it reaches the contract).
pub fn request_error(message: &str) -> String {
    Problem::request(message).to_json()
}

/// The engine failed, which is a defect of stagegate, not of the request.
pub(super) fn internal_error(message: &str) -> String {
    Problem::internal(message).to_json()
}

/// The playbook did not load: every diagnostic.
pub(super) fn load_error(error: &LoadError) -> String {
    Problem::from(error).to_json()
}

/// The deal does not fit the playbook: its name and every problem.
pub(super) fn deal_error(error: &DealError) -> String {
    Problem::from(error).to_json()
}

/// A move not made.
pub(super) fn move_error(error: &MoveError) -> String {
    Problem::from(error).to_json()
}

/// An approval not given.
pub(super) fn approve_error(error: &ApproveError) -> String {
    Problem::from(error).to_json()
}
