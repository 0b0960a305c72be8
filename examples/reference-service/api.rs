//! The service's routes: deals, their moves and migrations, stalled deals, playbook reloads.

use std::path::PathBuf;

use serde_json::{json, Value};
use stagegate::registry::{Registry, RegistryError};
use stagegate::{Deal, Move, MoveError, Timestamp};

use crate::auth::{self, User};
use crate::http::Reply;
use crate::store::{Store, Stored, WriteError};

/// What every request shares.
pub struct App {
    pub registry: Registry,
    pub store: Store,
    pub playbooks: PathBuf,
    /// Whether a request may set the evaluation time with `at` (tests and replays only).
    pub clock_from_requests: bool,
}

/// The user a request comes from: `None` for `GET /health`, which needs no token; a 401 when the
/// `Authorization: Bearer <token>` header is missing or holds no valid token. The token is never
/// repeated in the answer.
pub fn authenticate(
    app: &App,
    method: &str,
    path: &[&str],
    request: &tiny_http::Request,
) -> Result<Option<User>, Reply> {
    if method == "GET" && path == ["health"] {
        return Ok(None);
    }
    let header = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.as_str());
    let unauthorized = |message: &str| Reply::error(401, "unauthorized", message, Value::Null);
    let Some(header) = header else {
        return Err(unauthorized(
            "send `Authorization: Bearer <token>`; `reference-service add-user` makes a token",
        ));
    };
    let Some(token) = auth::bearer(header) else {
        return Err(unauthorized(
            "the Authorization header must read `Bearer <token>`",
        ));
    };
    match app.store.user_by_token(token) {
        Ok(Some(user)) => Ok(Some(user)),
        Ok(None) => Err(unauthorized(
            "the token is not valid (wrong, or its user was revoked); ask an admin for a new one",
        )),
        Err(error) => Err(Reply::internal(error)),
    }
}

/// Answers one request from `user` (`None` only for `GET /health`).
pub fn handle(
    app: &App,
    user: Option<&User>,
    method: &str,
    path: &[&str],
    query: &[(String, String)],
    body: Value,
) -> Reply {
    let at = match time(app, query, &body) {
        Ok(at) => at,
        Err(reply) => return reply,
    };
    if let Some(key) = ["actor", "roles"].iter().find(|k| body.get(**k).is_some()) {
        return Reply::bad_request(format!(
            "`{key}` is not taken from a request: the caller is the user of the token; leave `{key}` out"
        ));
    }
    let user = match (method, path, user) {
        ("GET", ["health"], _) => {
            return Reply::ok(json!({ "ok": true, "playbooks": app.registry.pins() }))
        }
        (_, _, Some(user)) => user,
        (_, _, None) => return Reply::error(401, "unauthorized", "no user", Value::Null),
    };
    match (method, path) {
        ("GET", ["playbooks"]) => Reply::ok(json!({ "playbooks": app.registry.pins() })),
        ("POST", ["playbooks", "reload"]) if !user.has("admin") => Reply::error(
            403,
            "forbidden",
            format!(
                "reloading the playbooks needs the role `admin`; `{}` has {}",
                user.id,
                user.roles.join(", ")
            ),
            Value::Null,
        ),
        ("POST", ["playbooks", "reload"]) => reload(app),
        ("POST", ["deals"]) => create(app, user, body, at),
        ("GET", ["deals"]) => list(app, query, at),
        ("GET", ["deals", id]) => read(app, id, at),
        ("PATCH", ["deals", id]) => update(app, id, &body, at),
        ("POST", ["deals", id, "moves"]) => make_move(app, id, &body, at),
        ("POST", ["deals", id, "migrate"]) => migrate(app, id, &body, at),
        _ => Reply::not_found(&format!("route {method} /{}", path.join("/"))),
    }
}

/// Now, by the server's clock; with `--clock-from-requests`, `at` from the query or the body (a
/// date or RFC 3339 date-time) when given.
fn time(app: &App, query: &[(String, String)], body: &Value) -> Result<Timestamp, Reply> {
    let given = query
        .iter()
        .find(|(k, _)| k == "at")
        .map(|(_, v)| v.as_str())
        .or_else(|| body.get("at").and_then(Value::as_str));
    match given {
        None => Ok(Timestamp::now()),
        Some(_) if !app.clock_from_requests => Err(Reply::bad_request(
            "the server's clock decides the time: leave `at` out (only a service started with --clock-from-requests takes it)",
        )),
        Some(text) => {
            stagegate::parse_time(text).map_err(|e| Reply::bad_request(format!("at: {e}")))
        }
    }
}

/// A deal with its revision and its evaluation now.
fn view(app: &App, stored: &Stored, at: Timestamp) -> Value {
    let evaluation = match app.registry.evaluate(&stored.deal, at) {
        Ok(evaluation) => json!(evaluation),
        Err(error) => json!({ "error": error.to_string() }),
    };
    let id = stored.deal.id.as_deref().unwrap_or_default();
    // The history log keeps every entry ever recorded, even those a migration renamed.
    let logged = app.store.logged(id).ok();
    json!({ "deal": stored.deal, "revision": stored.revision, "owner": stored.owner, "logged_history": logged, "evaluation": evaluation })
}

fn refused(error: &RegistryError) -> Reply {
    match error {
        RegistryError::Move(MoveError::Blocked { check }) => Reply::error(
            409,
            "blocked",
            format!(
                "the move from `{}` to `{}` is blocked",
                check.from, check.to
            ),
            json!({ "move": check }),
        ),
        RegistryError::Deal(error) => Reply::error(
            422,
            "invalid-deal",
            error.to_string(),
            json!({ "problems": error.problems.iter().map(ToString::to_string).collect::<Vec<_>>() }),
        ),
        RegistryError::Migration(error) => Reply::error(
            422,
            "cannot-migrate",
            error.to_string(),
            json!({ "problems": error.problems }),
        ),
        other => Reply::error(422, "refused", other.to_string(), Value::Null),
    }
}

fn written(app: &App, result: Result<Stored, WriteError>, at: Timestamp, created: bool) -> Reply {
    match result {
        Ok(stored) if created => Reply::created(view(app, &stored, at)),
        Ok(stored) => Reply::ok(view(app, &stored, at)),
        Err(WriteError::Conflict { current }) => Reply::error(
            409,
            "conflict",
            "the deal changed since the revision this request is based on; read it again",
            json!({ "revision": current }),
        ),
        Err(WriteError::Exists) => {
            Reply::error(409, "exists", "a deal with this id exists", Value::Null)
        }
        Err(WriteError::Missing) => Reply::not_found("such deal"),
        Err(WriteError::Database(error)) => Reply::internal(error),
    }
}

/// The stored deal `id`, checked against the revision the request is based on, if it gives one.
fn current(app: &App, id: &str, body: &Value) -> Result<Stored, Reply> {
    let stored = match app.store.get(id) {
        Ok(Some(stored)) => stored,
        Ok(None) => return Err(Reply::not_found(&format!("deal `{id}`"))),
        Err(error) => return Err(Reply::internal(error)),
    };
    if let Some(expected) = body.get("revision").and_then(Value::as_i64) {
        if expected != stored.revision {
            return Err(written(
                app,
                Err(WriteError::Conflict {
                    current: stored.revision,
                }),
                Timestamp::now(),
                false,
            ));
        }
    }
    Ok(stored)
}

/// A new deal, owned by its creator; a `manager` may name another user as `"owner"`.
fn create(app: &App, user: &User, mut body: Value, at: Timestamp) -> Reply {
    let owner = match body.as_object_mut().and_then(|b| b.remove("owner")) {
        None => user.id.clone(),
        Some(_) if !user.has("manager") => return Reply::error(
            403,
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
    let mut deal: Deal = match serde_json::from_value(body) {
        Ok(deal) => deal,
        Err(error) => return Reply::error(422, "invalid-deal", error.to_string(), Value::Null),
    };
    // New deals are served by the newest version of their playbook.
    if let Err(error) = app.registry.pin_new(&mut deal) {
        return refused(&error);
    }
    if let Err(error) = app.registry.evaluate(&deal, at) {
        return refused(&error);
    }
    written(app, app.store.create(&deal, &owner), at, true)
}

fn read(app: &App, id: &str, at: Timestamp) -> Reply {
    match current(app, id, &Value::Null) {
        Ok(stored) => Reply::ok(view(app, &stored, at)),
        Err(reply) => reply,
    }
}

/// Sets (or, with null, removes) fields and activities.
fn update(app: &App, id: &str, body: &Value, at: Timestamp) -> Reply {
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let mut deal = stored.deal.clone();
    for (name, value) in body
        .get("fields")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        match value {
            Value::Null => deal.fields.remove(name),
            value => deal.fields.insert(name.clone(), value.clone()),
        };
    }
    for (name, value) in body
        .get("activities")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if value.is_null() {
            deal.activities.remove(name);
            continue;
        }
        match serde_json::from_value(value.clone()) {
            Ok(done) => deal.activities.insert(name.clone(), done),
            Err(error) => return Reply::bad_request(format!("activities.{name}: {error}")),
        };
    }
    if let Err(error) = app.registry.evaluate(&deal, at) {
        return refused(&error);
    }
    save(app, &stored, &deal, at)
}

fn make_move(app: &App, id: &str, body: &Value, at: Timestamp) -> Reply {
    let Some(to) = body.get("to").and_then(Value::as_str) else {
        return Reply::bad_request("give the target stage: {\"to\": \"<stage>\"}");
    };
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let mut wanted = Move::to(to);
    if let Some(from) = body.get("from").and_then(Value::as_str) {
        wanted = wanted.from(from);
    }
    if let Some(force) = body.get("force") {
        // A forced move needs its reason: `"force": "<why>"`.
        wanted = wanted.forced(force.as_str().unwrap_or_default());
    }
    match app.registry.apply(&stored.deal, &wanted, at) {
        Ok(moved) => save(app, &stored, &moved, at),
        Err(error) => refused(&error),
    }
}

fn migrate(app: &App, id: &str, body: &Value, at: Timestamp) -> Reply {
    let stored = match current(app, id, body) {
        Ok(stored) => stored,
        Err(reply) => return reply,
    };
    let own = stored.deal.playbook.as_deref().unwrap_or_default();
    let target = body
        .get("to")
        .and_then(Value::as_str)
        .unwrap_or_else(|| own.split_once('@').map_or(own, |(id, _)| id));
    match app.registry.migrate(&stored.deal, target, at) {
        Ok(moved) if moved == stored.deal => Reply::ok(view(app, &stored, at)),
        Ok(moved) => save(app, &stored, &moved, at),
        Err(error) => refused(&error),
    }
}

/// Writes `changed` over `stored` if nobody wrote it since it was read.
fn save(app: &App, stored: &Stored, changed: &Deal, at: Timestamp) -> Reply {
    let before = stored.deal.history.len();
    written(app, app.store.update(stored, changed, before), at, false)
}

/// Every deal (id, revision, pin, stages), or with `stalled=true` those stalled at `at`.
fn list(app: &App, query: &[(String, String)], at: Timestamp) -> Reply {
    let deals = match app.store.all() {
        Ok(deals) => deals,
        Err(error) => return Reply::internal(error),
    };
    let stalled_only = query.iter().any(|(k, v)| k == "stalled" && v != "false");
    let mut found = Vec::new();
    for stored in &deals {
        let summary = json!({
            "id": stored.deal.id,
            "revision": stored.revision,
            "owner": stored.owner,
            "playbook": stored.deal.playbook,
            "stages": stored.deal.stages,
        });
        if !stalled_only {
            found.push(summary);
            continue;
        }
        let Ok(evaluation) = app.registry.evaluate(&stored.deal, at) else {
            continue;
        };
        if !evaluation.warnings.is_empty() {
            let mut summary = summary;
            summary["stalled"] = json!(evaluation.warnings);
            found.push(summary);
        }
    }
    Reply::ok(json!({ "deals": found }))
}

/// Loads the playbooks directory again: all or nothing.
fn reload(app: &App) -> Reply {
    match app.registry.load_dir(&app.playbooks) {
        Ok(loaded) => Reply::ok(json!({ "loaded": loaded, "playbooks": app.registry.pins() })),
        Err(failed) => {
            let diagnostics: Vec<Value> = failed
                .iter()
                .flat_map(|(_, error)| error.diagnostics.iter().filter(|d| d.is_error()))
                .map(|d| json!(d))
                .collect();
            Reply::error(
                422,
                "invalid-playbook",
                format!(
                    "{} playbook file(s) did not load; the playbooks loaded before keep serving",
                    failed.len()
                ),
                json!({ "diagnostics": diagnostics, "playbooks": app.registry.pins() }),
            )
        }
    }
}
