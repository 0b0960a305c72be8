//! Archiving a deal (`DELETE /deals/{id}`) and bringing it back (`POST /deals/{id}/unarchive`),
//! through the engine by the caller: recorded in the deal's history, the audit log and the
//! change feed; nothing is erased. An archived deal leaves the board, the open tasks and the
//! deal list (`GET /deals?archived=true` lists it), refuses moves, approvals and edits, and is
//! still read at `GET /deals/{id}` with its `archived: { at, by, reason }`.

use serde_json::{json, Map, Value};
use stagegate::{Options, Timestamp};

use crate::app::App;
use crate::auth::User;
use crate::changes::save;
use crate::deals::{actor, change_refused, current, refused};
use crate::reply::Reply;

/// `DELETE /deals/{id}`: archives the deal for `reason` (in the body or the query), based on
/// `revision` when given (also in either); 400 without a reason.
pub fn archive(
    app: &App,
    user: &User,
    id: &str,
    body: &Value,
    query: &[(String, String)],
    at: Timestamp,
) -> Reply {
    let asked = match asked(body, query, &["reason", "revision", "at"]) {
        Ok(asked) => asked,
        Err(reply) => return reply,
    };
    let reason = match asked.get("reason") {
        Some(Value::String(reason)) if !reason.trim().is_empty() => reason.trim().to_owned(),
        Some(Value::String(_)) | None => {
            return Reply::bad_request(
                "archiving needs a reason: give `reason` (such as `duplicate of D-7`) in the body or the query; it stays in the deal's history",
            )
        }
        Some(other) => {
            return Reply::bad_request(format!(
                "reason: `{other}` is not a text; say why the deal is archived"
            ))
        }
    };
    let stored = match current(app, id, &asked) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let engine = match app.engine(&stored.deal, user) {
        Ok(engine) => engine,
        Err(error) => return refused(&error),
    };
    let by = actor(user);
    match engine.archive(&stored.deal, &reason, at, &Options::new().as_actor(&by)) {
        Ok(archived) => {
            let what = json!({ "archived": { "reason": reason } });
            save(app, user, &stored, &archived, at, what)
        }
        Err(error) => change_refused(&error),
    }
}

/// `POST /deals/{id}/unarchive`: brings an archived deal back, based on `revision` when given.
pub fn unarchive(
    app: &App,
    user: &User,
    id: &str,
    body: &Value,
    query: &[(String, String)],
    at: Timestamp,
) -> Reply {
    let asked = match asked(body, query, &["revision", "at"]) {
        Ok(asked) => asked,
        Err(reply) => return reply,
    };
    let stored = match current(app, id, &asked) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let engine = match app.engine(&stored.deal, user) {
        Ok(engine) => engine,
        Err(error) => return refused(&error),
    };
    let by = actor(user);
    match engine.unarchive(&stored.deal, at, &Options::new().as_actor(&by)) {
        Ok(back) => {
            let reason = stored.deal.archived.as_ref().map(|a| a.reason.clone());
            let what = json!({ "unarchived": { "was": reason } });
            save(app, user, &stored, &back, at, what)
        }
        Err(error) => change_refused(&error),
    }
}

/// The keys a route takes, as a message lists them (`at` left out: every route takes it).
fn names(takes: &[&str]) -> String {
    takes
        .iter()
        .filter(|k| **k != "at")
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The body's keys and the query's `reason` and `revision` together (a `DELETE` may carry no
/// body): 400 for a key or parameter the route does not take, or one given twice.
fn asked(body: &Value, query: &[(String, String)], takes: &[&str]) -> Result<Value, Reply> {
    let mut asked: Map<String, Value> = body.as_object().cloned().unwrap_or_default();
    if let Some(key) = asked.keys().find(|k| !takes.contains(&k.as_str())) {
        return Err(Reply::bad_request(format!(
            "`{key}` is not taken here: give {}",
            names(takes)
        )));
    }
    for (key, value) in query {
        let value = match key.as_str() {
            "reason" if takes.contains(&"reason") => Value::String(value.clone()),
            "revision" => match value.parse::<i64>() {
                Ok(revision) => Value::from(revision),
                Err(_) => {
                    return Err(Reply::bad_request(format!(
                        "revision: `{value}` is not a revision; give the whole number read with the deal"
                    )))
                }
            },
            "lang" | "at" => continue,
            _ => {
                return Err(Reply::bad_request(format!(
                    "`{key}` is not a parameter of this route: it takes {}",
                    names(takes)
                )))
            }
        };
        if asked.insert(key.clone(), value).is_some() {
            return Err(Reply::bad_request(format!(
                "`{key}` is given twice (in the body and the query, or twice in the query): give it once"
            )));
        }
    }
    Ok(Value::Object(asked))
}
