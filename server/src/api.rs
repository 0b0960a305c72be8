//! The service's routes: deals, their moves and migrations, stalled deals, playbook reloads.

use serde_json::{json, Value};

use stagegate::{Options, ProblemKind, Timestamp};

use crate::app::App;
use crate::approval_requests;
use crate::approvals;
use crate::archiving;
use crate::deals::{current, view};

use crate::auth::{self, User};
use crate::board;
use crate::body;
use crate::changes;
use crate::feeds;
use crate::reply::Reply;
use crate::routes::{Access, ROUTES};
use crate::site;
use crate::sources;

/// Answers one request: `path` its decoded segments, `authorization` its header (when it is text),
/// `body` its bytes. HEAD is answered as GET (the HTTP layer sends no body).
pub fn answer(
    app: &App,
    method: &str,
    path: &[String],
    query: &[(String, String)],
    authorization: Option<&str>,
    body: &[u8],
) -> Reply {
    let method = if method == "HEAD" { "GET" } else { method };
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    if let Some(page) = site::serve(app.web.as_deref(), method, &path) {
        return page;
    }
    let user = match authenticate(app, method, &path, authorization) {
        Ok(user) => user,
        Err(reply) => return reply,
    };
    let body = match body::json(body) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    handle(app, user.as_ref(), method, &path, query, body)
}

/// The user of a route that needs a token (a route served beside `answer`, as the live stream):
/// a 401 as `answer` gives without a valid `Authorization: Bearer <token>` header.
pub fn caller(app: &App, authorization: Option<&str>) -> Result<User, Reply> {
    match authenticate(app, "GET", &["events", "stream"], authorization)? {
        Some(user) => Ok(user),
        None => Err(Reply::internal("the live stream needs a user")),
    }
}

/// The user a request comes from: `None` for a route the table opens (no token); a 401 when the
/// `Authorization: Bearer <token>` header is missing or holds no valid token. The token is never
/// repeated in the answer.
fn authenticate(
    app: &App,
    method: &str,
    path: &[&str],
    header: Option<&str>,
) -> Result<Option<User>, Reply> {
    if open(method, path) {
        return Ok(None);
    }
    let unauthorized = |message: &str| {
        Reply::error(
            ProblemKind::Unauthorized,
            "unauthorized",
            message,
            Value::Null,
        )
    };
    let Some(header) = header else {
        return Err(unauthorized(
            "send `Authorization: Bearer <token>`; `stagegate-server add-user` makes a token",
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
fn handle(
    app: &App,
    user: Option<&User>,
    method: &str,
    path: &[&str],
    query: &[(String, String)],
    body: Value,
) -> Reply {
    if let Some(reply) = body::not_an_object(method, path, &body) {
        return reply;
    }
    let at = match time(app, query, &body) {
        Ok(at) => at,
        Err(reply) => return reply,
    };
    if let Some(key) = ["actor", "roles"].iter().find(|k| body.get(**k).is_some()) {
        return Reply::bad_request(format!(
            "`{key}` is not taken from a request: the caller is the user of the token; leave `{key}` out"
        ));
    }
    let mut user = match (method, path, user) {
        ("GET", ["health"], _) => {
            return Reply::ok(json!({ "ok": true, "playbooks": app.registry.pins() }))
        }
        ("GET", ["ready"], _) => return ready(app),
        ("GET", ["metrics"], _) => {
            return Reply::file(
                app.metrics.render(app.store.as_ref()).into_bytes(),
                "text/plain; version=0.0.4; charset=utf-8",
            )
        }
        ("GET", ["openapi.json"], _) => {
            return crate::openapi::document().map_or_else(Reply::internal, Reply::ok)
        }
        (_, _, Some(user)) => user.clone(),
        (_, _, None) => {
            return Reply::error(
                ProblemKind::Unauthorized,
                "unauthorized",
                "no user",
                Value::Null,
            )
        }
    };
    user.lang = query
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.clone());
    let user = &user;
    match (method, path) {
        ("GET", ["me"]) => Reply::ok(json!({ "id": user.id, "roles": user.roles })),
        ("GET", ["board"]) => board::board(app, user, query, at),
        ("GET", ["playbooks"]) => Reply::ok(json!({ "playbooks": app.registry.pins() })),
        ("GET", ["playbooks", "sources"]) if !user.has("admin") => {
            admin_only(user, "reading the playbooks' files")
        }
        ("GET", ["playbooks", "sources"]) => sources::read(app),
        ("GET", ["playbooks", pin, "outline"]) => board::outline(app, user, pin),
        ("POST", ["playbooks", "reload"]) if !user.has("admin") => {
            admin_only(user, "reloading the playbooks")
        }
        ("POST", ["playbooks", "reload"]) => match body.get("files") {
            None => sources::reload(app),
            Some(files) => sources::publish(app, files),
        },
        ("POST", ["deals"]) => changes::create(app, user, body, at),
        ("GET", ["deals"]) => list(app, query, at),
        ("GET", ["deals", id]) => read(app, user, id, at),
        ("PATCH", ["deals", id]) => changes::update(app, user, id, &body, at),
        ("POST", ["deals", id, "moves"]) => changes::make_move(app, user, id, &body, at),
        ("POST", ["deals", id, "approvals"]) => changes::approve(app, user, id, &body, at),
        ("POST", ["deals", id, "approval-requests"]) => {
            approval_requests::request(app, user, id, &body, at)
        }
        ("POST", ["deals", id, "migrate"]) => changes::migrate(app, user, id, &body, at),
        ("DELETE", ["deals", id]) => archiving::archive(app, user, id, &body, query, at),
        ("POST", ["deals", id, "unarchive"]) => {
            archiving::unarchive(app, user, id, &body, query, at)
        }
        ("GET", ["deals", id, "audit"]) => audit(app, id),
        ("GET", ["events"]) => feeds::events(app, query),
        ("GET", ["tasks"]) => feeds::tasks(app, query, at),
        ("GET", ["approvals"]) => approvals::approvals(app, user, at),
        _ => Reply::not_found(&format!("route {method} /{}", path.join("/"))),
    }
}

/// Whether `method` on `path` (its segments) is a route of the table that needs no token: whether
/// the server is alive and ready, its metrics and its API document.
fn open(method: &str, path: &[&str]) -> bool {
    ROUTES.iter().any(|route| {
        route.access == Access::Open
            && route.method == method
            && route
                .path
                .strip_prefix('/')
                .is_some_and(|p| p.split('/').eq(path.iter().copied()))
    })
}

/// 200 when the store answers, else 503 `unavailable`.
fn ready(app: &App) -> Reply {
    match app.store.ping() {
        Ok(()) => Reply::ok(json!({ "ready": true })),
        Err(error) => Reply::error(
            ProblemKind::Unavailable,
            "store-unavailable",
            format!("the store does not answer: {error}"),
            Value::Null,
        ),
    }
}

/// 403 for what only an `admin` may do.
fn admin_only(user: &User, what: &str) -> Reply {
    Reply::error(
        ProblemKind::Forbidden,
        "forbidden",
        format!(
            "{what} needs the role `admin`; `{}` has {}",
            user.id,
            user.roles.join(", ")
        ),
        Value::Null,
    )
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

fn read(app: &App, user: &User, id: &str, at: Timestamp) -> Reply {
    match current(app, id, &Value::Null) {
        Ok(stored) => Reply::ok(view(app, &stored, at, user)),
        Err(reply) => reply,
    }
}

/// Every deal that is not archived (id, revision, pin, stages), or with `stalled=true` those
/// stalled at `at`; with `archived=true` the archived ones instead, each with its `archived`.
fn list(app: &App, query: &[(String, String)], at: Timestamp) -> Reply {
    let archived = match query.iter().find(|(k, _)| k == "archived").map(|(_, v)| v.as_str()) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Reply::bad_request(format!(
                "archived: `{other}` is not `true` or `false`; `archived=true` lists the archived deals"
            ))
        }
    };
    let deals = match app.store.all() {
        Ok(deals) => deals,
        Err(error) => return Reply::internal(error),
    };
    let stalled_only = query.iter().any(|(k, v)| k == "stalled" && v != "false");
    let mut found = Vec::new();
    for stored in deals
        .iter()
        .filter(|s| s.deal.archived.is_some() == archived)
    {
        let summary = json!({
            "id": stored.deal.id,
            "revision": stored.revision,
            "owner": stored.owner,
            "playbook": stored.deal.playbook,
            "stages": stored.deal.stages,
            "archived": stored.deal.archived,
        });
        if !stalled_only {
            found.push(summary);
            continue;
        }
        let Ok(evaluation) = app.registry.evaluate(&stored.deal, at, &Options::new()) else {
            continue;
        };
        let stalled: Vec<_> = evaluation
            .warnings
            .iter()
            .filter(|w| w.kind == "stalled")
            .collect();
        if !stalled.is_empty() {
            let mut summary = summary;
            summary["stalled"] = json!(stalled);
            found.push(summary);
        }
    }
    Reply::ok(json!({ "deals": found }))
}

/// Who changed the deal, when and how: one row per revision.
fn audit(app: &App, id: &str) -> Reply {
    match app.store.audit_log(id) {
        Ok(log) if log.is_empty() => Reply::not_found(&format!("deal `{id}`")),
        Ok(log) => {
            let rows: Vec<Value> = log
                .into_iter()
                .map(|row| {
                    json!({ "revision": row.revision, "at": row.at, "actor": row.actor, "change": row.change })
                })
                .collect();
            Reply::ok(json!({ "audit": rows }))
        }
        Err(error) => Reply::internal(error),
    }
}
