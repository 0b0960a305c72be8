//! The routes that change a deal: create, update, move, approve, migrate. The actor of each is
//! the authenticated user, never a field of the request; every change is written with its actor
//! into the audit log, and its history entries (which carry `by`), in one transaction.

use serde_json::{json, Value};
use stagegate::{Deal, DealError, DealProblem, Move, Options, Problem, ProblemKind, Timestamp};

use crate::app::App;
use crate::auth::User;
use crate::deals::{actor, current, refused, unreadable, view, written};
use crate::reply::Reply;
use crate::store::Change;
use crate::store::Stored;

/// Who did what at `at`, for the audit log.
fn change(user: &User, at: Timestamp, what: Value) -> Change {
    Change {
        actor: user.id.clone(),
        at: at.to_string(),
        what,
        effects: Vec::new(),
    }
}

/// A new deal, owned by its creator; a `manager` may name another user as `"owner"`.
pub fn create(app: &App, user: &User, mut body: Value, at: Timestamp) -> Reply {
    let owner = match body.as_object_mut().and_then(|b| b.remove("owner")) {
        None => user.id.clone(),
        Some(_) if !user.has("manager") => return Reply::error(
            ProblemKind::Forbidden,
            "forbidden",
            "only a `manager` gives a deal another owner; leave `owner` out and the deal is yours",
            Value::Null,
        ),
        Some(Value::String(owner)) => match app.store.user(&owner) {
            Ok(Some(_)) => owner,
            Ok(None) => return Reply::bad_request(format!("owner: no user `{owner}`")),
            Err(error) => return Reply::internal(error),
        },
        Some(_) => return Reply::bad_request("owner: give a user id, as a string"),
    };
    // A history brought along may not name who acted: the service records that itself.
    let named = body
        .get("history")
        .and_then(Value::as_array)
        .is_some_and(|entries| entries.iter().any(|e| e.get("by").is_some()));
    if named {
        return Reply::bad_request(
            "a new deal's history may not say `by`: the service records who acts; leave `by` out",
        );
    }
    // Approvals are given through `POST /deals/{id}/approvals`, where four eyes are checked.
    if body.get("approvals").is_some() {
        return Reply::bad_request(
            "`approvals` are given with POST /deals/{id}/approvals, by the approver: leave them out",
        );
    }
    let mut deal: Deal = match serde_json::from_value(body) {
        Ok(deal) => deal,
        Err(error) => {
            let unreadable = DealError::new(
                "(no id)".to_owned(),
                vec![DealProblem::Unreadable(error.to_string())],
            );
            return Reply::problem(&Problem::from(&unreadable), Value::Null);
        }
    };
    if let Some(reply) = deal.id.as_deref().and_then(bad_id) {
        return reply;
    }
    // The library's `owner` role is the deal's owner.
    deal.owner = Some(owner.clone());
    // New deals are served by the newest version of their playbook.
    if let Err(error) = app.registry.pin_new(&mut deal) {
        return refused(&error);
    }
    if let Err(error) = app.registry.evaluate(&deal, at, &Options::new()) {
        return refused(&error);
    }
    let what = json!({ "created": { "owner": owner } });
    written(
        app,
        app.store.create(&deal, &owner, &change(user, at, what)),
        at,
        true,
        user,
    )
}

/// The longest id a deal may have, in characters: percent-encoded in a path, a longer one would
/// make URLs servers and proxies refuse.
const LONGEST_ID: usize = 200;

/// 422 `deal` (`bad-id`) for an id no route could reach or that reads as another: blank, with
/// spaces around it, with a control character, longer than [`LONGEST_ID`], or `.` or `..` (which
/// URLs resolve away). Any other character is fine: percent-encoded, the id reaches its routes
/// (`/deals/a%2Fb`).
fn bad_id(id: &str) -> Option<Reply> {
    // Shown with its control characters escaped, so the message stays one line.
    let shown = id.escape_debug();
    let problem = if id.trim().is_empty() {
        format!("id: `{shown}` is blank; give the deal an id, or leave `id` out and the server gives one")
    } else if id.trim() != id {
        format!("id: `{shown}` has spaces around it; write the id without them")
    } else if id.chars().any(char::is_control) {
        format!("id: `{shown}` holds a control character; write the id in plain text")
    } else if id.chars().count() > LONGEST_ID {
        format!(
            "id: {} characters are more than a deal's id takes ({LONGEST_ID}); give a shorter id",
            id.chars().count()
        )
    } else if id == "." || id == ".." {
        format!("id: `{shown}` cannot be a deal's id, as URLs read it as a folder; give another id")
    } else {
        return None;
    };
    let more = json!({
        "deal": id,
        "problems": [problem],
        "details": [{ "code": "bad-id", "message": problem }],
    });
    Some(Reply::error(
        ProblemKind::Deal,
        "bad-id",
        problem.clone(),
        more,
    ))
}

/// Sets (or, with null, removes) fields and activities; a `manager` may give the deal another
/// `"owner"`. Any other key is refused: nothing is silently ignored.
pub fn update(app: &App, user: &User, id: &str, body: &Value, at: Timestamp) -> Reply {
    let allowed = ["fields", "activities", "owner", "revision", "at"];
    if let Some(key) = body
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .find(|k| !allowed.contains(&k.as_str()))
    {
        return Reply::bad_request(format!(
            "`{key}` cannot be changed here: PATCH takes `fields`, `activities` and (for a manager) `owner`; moves and approvals have their own routes"
        ));
    }
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let mut deal = stored.deal.clone();
    if let Some(owner) = body.get("owner") {
        if !user.has("manager") {
            return Reply::error(
                ProblemKind::Forbidden,
                "forbidden",
                "only a `manager` gives a deal another owner",
                Value::Null,
            );
        }
        let Some(owner) = owner.as_str() else {
            return Reply::bad_request("owner: give a user id, as a string");
        };
        match app.store.user(owner) {
            Ok(Some(_)) => deal.owner = Some(owner.to_owned()),
            Ok(None) => return Reply::bad_request(format!("owner: no user `{owner}`")),
            Err(error) => return Reply::internal(error),
        }
    }
    // `fields` and `activities` are objects, by name.
    let part = |key: &str| match body.get(key) {
        None => Ok(None),
        Some(Value::Object(part)) => Ok(Some(part)),
        Some(other) => {
            let example = format!(r#"{{"{key}": {{"<name>": …}}}}"#);
            Err(unreadable(
                id,
                format!("{key}: `{other}` is not an object; give {key} by name, such as {example}"),
            ))
        }
    };
    let (fields, activities) = match (part("fields"), part("activities")) {
        (Ok(fields), Ok(activities)) => (fields, activities),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    for (name, value) in fields.into_iter().flatten() {
        match value {
            Value::Null => deal.fields.remove(name),
            value => deal.fields.insert(name.clone(), value.clone()),
        };
    }
    for (name, value) in activities.into_iter().flatten() {
        if value.is_null() {
            deal.activities.remove(name);
            continue;
        }
        match serde_json::from_value(value.clone()) {
            Ok(done) => deal.activities.insert(name.clone(), done),
            Err(_) => {
                return unreadable(
                    id,
                    format!("activities.{name}: `{value}` is not when the activity was done; give a date, a date-time, or true"),
                )
            }
        };
    }
    // A change that changes nothing writes nothing: no revision, no audit row, no event.
    if deal == stored.deal {
        return Reply::ok(view(app, &stored, at, user));
    }
    if let Err(error) = app.registry.evaluate(&deal, at, &Options::new()) {
        return refused(&error);
    }
    let mut what = body.clone();
    if let Some(map) = what.as_object_mut() {
        map.remove("revision");
        map.remove("at");
    }
    save(app, user, &stored, &deal, at, json!({ "updated": what }))
}

/// A move by the caller: `{"to", "from"?, "force"?: "<reason>", "revision"?}`. The playbook's
/// permissions decide: a move the caller may not make, or may not force, is 403 with every
/// blocker and the roles that may.
pub fn make_move(app: &App, user: &User, id: &str, body: &Value, at: Timestamp) -> Reply {
    if body.get("by").is_some() {
        return Reply::bad_request(
            "`by` is not taken from a request: the move is made by the user of the token; leave `by` out",
        );
    }
    let Some(to) = body.get("to").and_then(Value::as_str) else {
        return Reply::bad_request("give the target stage: {\"to\": \"<stage>\"}");
    };
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let mut wanted = Move::to(to).by(actor(user));
    match text(body, "from", "the stage moved from") {
        Ok(Some(from)) => wanted = wanted.from(from),
        Ok(None) => {}
        Err(reply) => return reply,
    }
    if let Some(force) = body.get("force") {
        // A forced move needs its reason: `"force": "<why>"`.
        wanted = wanted.forced(force.as_str().unwrap_or_default());
    }
    let applied = app
        .engine(&stored.deal, user)
        .and_then(|engine| Ok(engine.apply(&stored.deal, &wanted, at)?));
    match applied {
        Ok(applied) => {
            let effects: Vec<Value> = applied.effects.iter().map(|e| json!(e)).collect();
            let what = json!({ "moved": { "to": to, "forced": wanted.force.is_some() }, "effects": effects });
            let mut change = change(user, at, what);
            change.effects = effects.clone();
            let before = stored.deal.history.len();
            let result = app.store.update(&stored, &applied.deal, before, &change);
            // The answer says what the move set in motion (also in GET /events).
            let mut reply = written(app, result, at, false, user);
            if reply.status == 200 {
                reply.body["effects"] = Value::Array(effects);
            }
            reply
        }
        Err(error) => refused(&error),
    }
}

/// An approval by the caller: `{"criterion", "revision"?}`. The playbook's approval role and the
/// four-eyes rule decide: 403 for a caller without the role or for the deal's owner.
pub fn approve(app: &App, user: &User, id: &str, body: &Value, at: Timestamp) -> Reply {
    let Some(criterion) = body.get("criterion").and_then(Value::as_str) else {
        return Reply::bad_request("give the approval criterion: {\"criterion\": \"<id>\"}");
    };
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let approved = app
        .engine(&stored.deal, user)
        .and_then(|engine| Ok(engine.approve(&stored.deal, criterion, &actor(user), at)?));
    match approved {
        Ok(approved) => {
            let what = json!({ "approved": criterion });
            save(app, user, &stored, &approved, at, what)
        }
        Err(error) => refused(&error),
    }
}

/// Carries the deal to the newest (or `"to"`) version of its playbook.
pub fn migrate(app: &App, user: &User, id: &str, body: &Value, at: Timestamp) -> Reply {
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let own = stored.deal.playbook.as_deref().unwrap_or_default();
    let target = match text(body, "to", "the playbook or its version `id@version`") {
        Ok(to) => to.unwrap_or_else(|| own.split_once('@').map_or(own, |(id, _)| id)),
        Err(reply) => return reply,
    };
    // The migration entries record who carried the deal over.
    let by = actor(user);
    let options = Options::new().as_actor(&by);
    match app.registry.migrate(&stored.deal, target, at, &options) {
        Ok(moved) if moved == stored.deal => Reply::ok(view(app, &stored, at, user)),
        Ok(moved) => {
            let what = json!({ "migrated": moved.playbook });
            save(app, user, &stored, &moved, at, what)
        }
        Err(error) => refused(&error),
    }
}

/// The text `key` of the body, if given (`null` is not given); 400 for any other value, with
/// `what` the text names.
fn text<'b>(body: &'b Value, key: &str, what: &str) -> Result<Option<&'b str>, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(Reply::bad_request(format!(
            "{key}: `{other}` is not a text; give {what}"
        ))),
    }
}

/// Writes `changed` over `stored` if nobody wrote it since it was read, with `what` the caller
/// did in the audit log.
fn save(
    app: &App,
    user: &User,
    stored: &Stored,
    changed: &Deal,
    at: Timestamp,
    what: Value,
) -> Reply {
    let before = stored.deal.history.len();
    let result = app
        .store
        .update(stored, changed, before, &change(user, at, what));
    written(app, result, at, false, user)
}
