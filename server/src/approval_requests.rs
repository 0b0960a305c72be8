//! Asking for an approval (`POST /deals/{id}/approval-requests`), through the engine by the
//! caller: recorded in the deal's history, the audit log and the change feed (an
//! `approval_requested` event, then the `notify` effect to the approving role, as a move's
//! effects are).

use serde_json::{json, Value};
use stagegate::{Options, Timestamp};

use crate::app::App;
use crate::auth::User;
use crate::deals::{actor, change_refused, current, refused, written};
use crate::reply::Reply;
use crate::store::Change;

/// The keys the route takes.
const TAKES: [&str; 4] = ["criterion", "note", "revision", "at"];

/// `POST /deals/{id}/approval-requests`: `{"criterion", "note"?, "revision"?}`; 201 with the deal
/// as the caller sees it and the `effects` (the notification to the approving role). Refused
/// with every reason (403 for a caller who may not edit the deal, 409 for an archived deal, an
/// unknown criterion with the likely intended one, one not asked for in the deal's stages,
/// approved already or not needed now): nothing is written.
pub fn request(app: &App, user: &User, id: &str, body: &Value, at: Timestamp) -> Reply {
    if let Some(key) = body
        .as_object()
        .and_then(|map| map.keys().find(|k| !TAKES.contains(&k.as_str())))
    {
        return Reply::bad_request(format!(
            "`{key}` is not taken here: give `criterion`, and optionally `note` and `revision`"
        ));
    }
    let criterion = match body.get("criterion") {
        Some(Value::String(criterion)) if !criterion.trim().is_empty() => criterion.trim(),
        Some(Value::String(_)) | None => {
            return Reply::bad_request(
                "give the approval criterion to ask for: {\"criterion\": \"<id>\", \"note\": \"<for the approver>\"}",
            )
        }
        Some(other) => {
            return Reply::bad_request(format!(
                "criterion: `{other}` is not a text; give the approval criterion's id"
            ))
        }
    };
    let note = match body.get("note") {
        None | Some(Value::Null) => None,
        Some(Value::String(note)) => Some(note.as_str()),
        Some(other) => {
            return Reply::bad_request(format!(
                "note: `{other}` is not a text; write what the approver should know"
            ))
        }
    };
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let engine = match app.engine(&stored.deal, user) {
        Ok(engine) => engine,
        Err(error) => return refused(&error),
    };
    let by = actor(user);
    let asked = match engine.request_approval(
        &stored.deal,
        criterion,
        note,
        at,
        &Options::new().as_actor(&by),
    ) {
        Ok(asked) => asked,
        Err(error) => return change_refused(&error),
    };
    let recorded = asked.deal.history.last().and_then(|e| e.note.clone());
    let effects: Vec<Value> = asked.effects.iter().map(|e| json!(e)).collect();
    let what = json!({
        "approval_requested": { "criterion": criterion, "note": recorded },
        "effects": effects,
    });
    let change = Change {
        actor: user.id.clone(),
        at: at.to_string(),
        what,
        effects: effects.clone(),
    };
    let before = stored.deal.history.len();
    let result = app.store.update(&stored, &asked.deal, before, &change);
    let mut reply = written(app, result, at, true, user);
    if reply.status == 201 {
        reply.body["effects"] = Value::Array(effects);
    }
    reply
}
