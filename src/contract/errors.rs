//! The contract's error objects: each a [`Problem`] written as JSON (`{"error": <kind>, "code",
//! "message", ...data}`), so that the contract, the command line and the bindings answer every
//! error in one shape (`schema/error.schema.json`).

use super::problem::{Problem, ProblemKind};
use crate::deal::{Deal, DealError};
use crate::engine::{ApproveError, ChangeError, MoveError};
use crate::load::LoadError;

/// The request is not what the call takes: its error object's JSON text (for bindings that
/// refuse a request before it reaches the contract).
pub fn request_error(message: &str) -> String {
    Problem::request(message).to_json()
}

/// The request is not what the call takes, with a stable code finer than `request` (`bad-time`,
/// `actor`, `language`).
pub(super) fn request_problem(code: &str, message: impl Into<String>) -> String {
    Problem::new(ProblemKind::Request, code, message).to_json()
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

/// A move of `deal` not made, naming the deal.
pub(super) fn move_error(error: &MoveError, deal: &Deal) -> String {
    named(Problem::from(error), deal).to_json()
}

/// An approval on `deal` not given, naming the deal.
pub(super) fn approve_error(error: &ApproveError, deal: &Deal) -> String {
    named(Problem::from(error), deal).to_json()
}

/// A change to `deal` (creation, import, edit, archive) not made, naming the deal.
pub(super) fn change_error(error: &ChangeError, deal: &Deal) -> String {
    named(Problem::from(error), deal).to_json()
}

/// A refusal names the deal it is about, as a deal's own problems do (a deal's problem already
/// names it, by its position when it has no id).
fn named(problem: Problem, deal: &Deal) -> Problem {
    if problem.deal.is_some() {
        problem
    } else {
        problem.for_deal(deal.label("(no id)"))
    }
}
