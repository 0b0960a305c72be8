//! A deal as the API answers it: read it at the revision a request is based on, show it with its
//! evaluation as the caller sees it, and answer a write or a refusal in the contract's shape.

use serde_json::{json, Value};
use stagegate::registry::RegistryError;
use stagegate::{
    Actor, ChangeError, DealError, DealProblem, MoveError, Options, Problem, ProblemKind, Timestamp,
};

use crate::app::App;
use crate::auth::User;
use crate::reply::Reply;
use crate::store::{Stored, WriteError};

/// The library's actor for an authenticated user.
pub fn actor(user: &User) -> Actor {
    Actor::new(user.id.clone(), user.roles.iter().cloned())
}

/// A deal with its revision and its evaluation now, as `user` sees its moves.
pub fn view(app: &App, stored: &Stored, at: Timestamp, user: &User) -> Value {
    let actor = actor(user);
    let evaluated = app.engine(&stored.deal, user).and_then(|engine| {
        Ok(engine.evaluate(&stored.deal, at, &Options::new().as_actor(&actor))?)
    });
    let evaluation = match evaluated {
        Ok(evaluation) => json!(evaluation),
        Err(error) => json!({ "error": error.to_string() }),
    };
    let id = stored.deal.id.as_deref().unwrap_or_default();
    // The history log keeps every entry ever recorded, even those a migration renamed.
    let logged = app.store.logged(id).ok();
    json!({ "deal": stored.deal, "revision": stored.revision, "owner": stored.owner, "logged_history": logged, "evaluation": evaluation })
}

/// A refusal as an answer, in the contract's one shape: 403 when the caller's roles are what
/// stands in the way (with every blocker and the roles that may, also as `by`), 409 for a blocked
/// or refused move, 422 for a deal that does not fit or cannot be migrated.
pub fn refused(error: &RegistryError) -> Reply {
    let problem = Problem::from(error);
    let more = match error {
        RegistryError::Move(MoveError::Blocked { check }) if check.is_forbidden() => {
            json!({ "by": check.by })
        }
        _ => Value::Null,
    };
    Reply::problem(&problem, more)
}

/// A refused create, edit, archive or unarchive, in the contract's one shape: 403 `forbidden`
/// with every permission missing (each in `problems` and `details`, with its place as `field`;
/// the roles that may in `roles`), 422 `deal`
/// for a deal the change would leave out of shape, 409 `refused` with every other reason (an
/// archived deal, a history dated after now, ...: each in `problems` and `details` too).
pub fn change_refused(error: &ChangeError) -> Reply {
    // The contract's error object lists every reason, each with its place, and the roles that may.
    Reply::problem(&Problem::from(error), Value::Null)
}

/// The answer to a write: the deal as `user` sees it, or why it was not written.
pub fn written(
    app: &App,
    result: Result<Stored, WriteError>,
    at: Timestamp,
    created: bool,
    user: &User,
) -> Reply {
    match result {
        Ok(stored) if created => Reply::created(view(app, &stored, at, user)),
        Ok(stored) => Reply::ok(view(app, &stored, at, user)),
        Err(WriteError::Conflict { current }) => Reply::error(
            ProblemKind::Conflict,
            "stale-revision",
            "the deal changed since the revision this request is based on; read it again",
            json!({ "revision": current }),
        ),
        Err(WriteError::Exists) => Reply::error(
            ProblemKind::Conflict,
            "exists",
            "a deal with this id exists",
            Value::Null,
        ),
        Err(WriteError::Missing) => Reply::not_found("such deal"),
        Err(WriteError::Database(error)) => Reply::internal(error),
    }
}

/// The stored deal `id`, checked against the revision the request is based on, if it gives one.
pub fn current(app: &App, id: &str, body: &Value) -> Result<Stored, Reply> {
    let stored = match app.store.get(id) {
        Ok(Some(stored)) => stored,
        Ok(None) => return Err(Reply::not_found(&format!("deal `{id}`"))),
        Err(error) => return Err(Reply::internal(error)),
    };
    let expected = match body.get("revision") {
        None | Some(Value::Null) => None,
        Some(revision) => match revision.as_i64() {
            Some(revision) => Some(revision),
            None => {
                return Err(Reply::bad_request(format!(
                    "revision: `{revision}` is not a revision; give the whole number read with the deal"
                )))
            }
        },
    };
    if let Some(expected) = expected {
        if expected != stored.revision {
            return Err(Reply::error(
                ProblemKind::Conflict,
                "stale-revision",
                "the deal changed since the revision this request is based on; read it again",
                json!({ "revision": stored.revision }),
            ));
        }
    }
    Ok(stored)
}

/// 422 `deal` (`unreadable`): `problem` keeps the body from being read as a deal or a change to
/// deal `id`.
pub fn unreadable(id: &str, problem: String) -> Reply {
    let error = DealError::new(id.to_owned(), vec![DealProblem::Unreadable(problem)]);
    Reply::problem(&Problem::from(&error), Value::Null)
}
