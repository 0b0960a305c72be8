//! Reading routes for pages, relays and reviews: `GET /events` pages through the change feed (every
//! change to a deal and every effect of a move) in order;
//! `GET /tasks` lists open tasks, by assignee and due time.

use serde_json::{json, Value};
use stagegate::Timestamp;

use crate::app::App;
use crate::reply::Reply;
use crate::store::Event;

/// The value of query parameter `key`.
fn param<'q>(query: &'q [(String, String)], key: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// `GET /events?after=<id>&limit=<n>`: outbox events after `after` (default 0), at most `limit`
/// (default 100, at most 1000), oldest first, and `next`, the `after` of the next page.
pub fn events(app: &App, query: &[(String, String)]) -> Reply {
    let number =
        |key: &str, default: i64| match param(query, key) {
            None => Ok(default),
            Some(text) => text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                Reply::bad_request(format!("{key}: `{text}` is not a whole number"))
            }),
        };
    let after = match number("after", 0) {
        Ok(after) => after,
        Err(reply) => return reply,
    };
    let limit = match number("limit", 100) {
        Ok(limit) if (1..=1000).contains(&limit) => limit,
        Ok(limit) => {
            return Reply::bad_request(format!("limit: {limit} is not between 1 and 1000"))
        }
        Err(reply) => return reply,
    };
    match app.store.events(after, limit) {
        Ok(events) => {
            let next = events.last().map_or(after, |e| e.id);
            let events: Vec<Value> = events.into_iter().map(event_json).collect();
            Reply::ok(json!({ "events": events, "next": next }))
        }
        Err(error) => Reply::internal(error),
    }
}

/// One event of the feed as `GET /events` lists it (and `GET /events/stream` sends it): its id,
/// deal, kind, revision, time, and the change (or the effect) it records.
pub fn event_json(e: Event) -> Value {
    let payload: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    // A change carries what the request did; an effect, the effect.
    let key = if matches!(e.kind.as_str(), "task" | "notify" | "effect") {
        "effect"
    } else {
        "change"
    };
    json!({ "id": e.id, "deal": e.deal, "kind": e.kind, "revision": e.revision, "created_at": e.created_at, key: payload })
}

/// `GET /tasks?assignee=<user or role>&due_before=<date>`: the open tasks (their activity not
/// done) of every deal that is not archived, earliest first, for one assignee (a user, or a role) and due before a
/// time, when given.
pub fn tasks(app: &App, query: &[(String, String)], at: Timestamp) -> Reply {
    let assignee = param(query, "assignee");
    let due_before = match param(query, "due_before").map(stagegate::parse_time) {
        None => None,
        Some(Ok(time)) => Some(time),
        Some(Err(error)) => return Reply::bad_request(format!("due_before: {error}")),
    };
    let deals = match app.store.all() {
        Ok(deals) => deals,
        Err(error) => return Reply::internal(error),
    };
    let mut found: Vec<(Timestamp, Value)> = Vec::new();
    // An archived deal's tasks wait until it is unarchived.
    for stored in deals.iter().filter(|s| s.deal.archived.is_none()) {
        let Ok(engine) = app.registry.engine_for(&stored.deal) else {
            continue;
        };
        let Ok(due) = engine.tasks_due(&stored.deal, at, None) else {
            continue;
        };
        for task in due {
            let mine = assignee.is_none_or(|who| {
                task.assignee.as_deref() == Some(who) || task.role.as_deref() == Some(who)
            });
            let Ok(when) = engine.playbook().read_time(&task.due) else {
                continue;
            };
            if mine && due_before.is_none_or(|before| when < before) {
                found.push((when, json!(task)));
            }
        }
    }
    found.sort_by_key(|(when, _)| *when);
    let tasks: Vec<Value> = found.into_iter().map(|(_, task)| task).collect();
    Reply::ok(json!({ "tasks": tasks }))
}
