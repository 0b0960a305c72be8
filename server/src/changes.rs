//! The routes that change a deal: create, update, move, approve, migrate (archiving:
//! `archiving.rs`). The actor of each is the authenticated user, never a field of the request;
//! every change is written with its actor into the audit log, and its history entries (which
//! carry `by`), in one transaction.

use serde_json::{json, Value};
use stagegate::{Deal, DealError, DealProblem, Move, Options, Problem, ProblemKind, Timestamp};

use crate::app::App;
use crate::auth::User;
use crate::deals::{actor, change_refused, current, refused, view, written};
use crate::edits;
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

/// A new deal, made by the engine (`Engine::create`) for the caller: in a start stage with a
/// creation entry, owned by the caller unless it names another owner (which the playbook's
/// `permissions.owner` decides). A deal asking for more (another stage, a history, tasks, an
/// archive) is an import, which the caller needs `permissions.import` for. Refused with every
/// reason (403 for a permission, 409 for what an import cannot bring, 422 for the deal's shape):
/// nothing is stored.
pub fn create(app: &App, user: &User, mut body: Value, at: Timestamp) -> Reply {
    if let Some(map) = body.as_object_mut() {
        // The time of the request (with `--clock-from-requests`), not a key of the deal.
        map.remove("at");
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
    // New deals are served by the newest version of their playbook.
    if let Err(error) = app.registry.pin_new(&mut deal) {
        return refused(&error);
    }
    let engine = match app.engine(&deal, user) {
        Ok(engine) => engine,
        Err(error) => return refused(&error),
    };
    let by = actor(user);
    let created = match engine.create(&deal, at, &Options::new().as_actor(&by)) {
        Ok(created) => created,
        Err(error) => return change_refused(&error),
    };
    let owner = created.owner.clone().unwrap_or_else(|| user.id.clone());
    if let Err(reply) = known_user(app, &owner) {
        return reply;
    }
    let imported = created.history.iter().any(|entry| entry.imported);
    let what =
        json!({ "created": { "owner": owner, "stages": created.stages, "imported": imported } });
    written(
        app,
        app.store.create(&created, &owner, &change(user, at, what)),
        at,
        true,
        user,
    )
}

/// Whether `owner` is a user of the server: a deal's owner is someone who can sign in; 400
/// naming the id otherwise.
fn known_user(app: &App, owner: &str) -> Result<(), Reply> {
    match app.store.user(owner) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(Reply::bad_request(format!(
            "owner: no user `{owner}`; give the id of a user of this server (`stagegate-server add-user` adds one)"
        ))),
        Err(error) => Err(Reply::internal(error)),
    }
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

/// Sets (or, with null, removes) fields and activities, and gives the deal another owner,
/// through the engine (`Engine::edit`) by the caller: every change checked against the
/// playbook's rights (403 with every change the caller may not make and who may) and the deal's
/// shape (422), one history entry per change, approvals given on a changed value voided (named in
/// the answer's `voided`). Any other key is refused: nothing is silently ignored.
pub fn update(app: &App, user: &User, id: &str, body: &Value, at: Timestamp) -> Reply {
    let changes = match edits::read(id, body) {
        Ok(changes) => changes,
        Err(reply) => return reply,
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
    let edited = match engine.edit(&stored.deal, &changes, at, &Options::new().as_actor(&by)) {
        Ok(edited) => edited,
        Err(error) => return change_refused(&error),
    };
    // A change that changes nothing writes nothing: no revision, no audit row, no event.
    if edited.deal == stored.deal {
        let mut reply = Reply::ok(view(app, &stored, at, user));
        reply.body["voided"] = json!([]);
        return reply;
    }
    if let Some(owner) = edited.deal.owner.as_deref() {
        if stored.deal.owner.as_deref() != Some(owner) {
            if let Err(reply) = known_user(app, owner) {
                return reply;
            }
        }
    }
    let what =
        json!({ "edited": edits::rows(&stored.deal, &edited.deal), "voided": edited.voided });
    let mut reply = save(app, user, &stored, &edited.deal, at, what);
    if reply.status == 200 {
        reply.body["voided"] = json!(edited.voided);
    }
    reply
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
pub fn save(
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
