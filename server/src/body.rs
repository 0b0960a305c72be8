//! A request's body: JSON text, and an object on every route that takes one.

use serde_json::{json, Value};

use crate::deals;
use crate::reply::Reply;

/// The request's JSON body (an empty body reads as `{}`).
pub fn json(bytes: &[u8]) -> Result<Value, Reply> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(Reply::bad_request("the body is not UTF-8 text"));
    };
    if text.trim().is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_str(text).map_err(|e| Reply::bad_request(format!("the body is not JSON: {e}")))
}

/// The refusal of a body that is not a JSON object (an empty body reads as `{}`), on a route that
/// takes one: 422 `deal` for a new deal or a change to one (it cannot be read as one: nothing is
/// written), else 400 `request`.
pub fn not_an_object(method: &str, path: &[&str], body: &Value) -> Option<Reply> {
    if method == "GET" || body.is_object() {
        return None;
    }
    let given = match body {
        Value::Array(_) => "a list",
        Value::String(_) => "a text",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "null",
    };
    let deal = match (method, path) {
        ("POST", ["deals"]) => Some(("(no id)", "a new deal", r#"{"id": "…", "stage": "…"}"#)),
        ("PATCH", ["deals", id]) => Some((*id, "a change", r#"{"fields": {…}}"#)),
        _ => None,
    };
    Some(match deal {
        Some((id, what, example)) => deals::unreadable(
            id,
            format!("{what} must be a JSON object, such as {example}, not {given}"),
        ),
        None => Reply::bad_request(format!(
            "the body must be a JSON object (see GET /openapi.json), not {given}"
        )),
    })
}
