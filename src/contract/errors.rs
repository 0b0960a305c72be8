//! The contract's error objects: `{"error": <kind>, "message", ...data}`, one shape per kind.

use serde_json::{json, Value};

use crate::deal::DealError;
use crate::engine::{ApproveError, MoveError};
use crate::load::LoadError;

pub(super) fn object(kind: &str, message: &str, data: Value) -> String {
    let mut error = json!({ "error": kind, "message": message });
    if let (Some(map), Value::Object(more)) = (error.as_object_mut(), data) {
        map.extend(more);
    }
    error.to_string()
}

/// The request is not what the call takes.
pub(super) fn request_error(message: &str) -> String {
    object("request", message, Value::Null)
}

/// The engine failed, which is a defect of stagegate, not of the request.
pub(super) fn internal_error(message: &str) -> String {
    object("internal", message, Value::Null)
}

/// The playbook did not load: every diagnostic.
pub(super) fn load_error(error: &LoadError) -> String {
    object(
        "load",
        &error.to_string(),
        json!({ "diagnostics": error.diagnostics }),
    )
}

/// The deal does not fit the playbook: its name and every problem.
pub(super) fn deal_error(error: &DealError) -> String {
    let problems: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    object(
        "deal",
        &error.to_string(),
        json!({ "deal": error.deal, "problems": problems }),
    )
}

/// A move not made.
pub(super) fn move_error(error: &MoveError) -> String {
    match error {
        MoveError::Deal(error) => deal_error(error),
        MoveError::Blocked { check } => {
            let forbidden = check
                .blockers
                .iter()
                .any(|b| b.reason == crate::engine::Reason::Forbidden);
            let kind = if forbidden { "forbidden" } else { "blocked" };
            object(kind, &error.to_string(), json!({ "move": check }))
        }
        MoveError::Forbidden { check, .. } => {
            object("forbidden", &error.to_string(), json!({ "move": check }))
        }
        other => object("refused", &other.to_string(), Value::Null),
    }
}

/// An approval not given.
pub(super) fn approve_error(error: &ApproveError) -> String {
    match error {
        ApproveError::Deal(error) => deal_error(error),
        ApproveError::Forbidden { role, .. } | ApproveError::OwnDeal { role, .. } => {
            object("forbidden", &error.to_string(), json!({ "roles": [role] }))
        }
        other => object("refused", &other.to_string(), Value::Null),
    }
}
