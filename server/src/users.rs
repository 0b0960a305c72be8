//! `add-user` and `revoke-user`: the users who may call the service, kept in its database.
//!
//! The first user must be an `admin`, and needs no token. Once there are users, these commands need
//! an admin's token in the `STAGEGATE_TOKEN` environment variable.

use crate::auth;
use crate::options::Command;
use crate::store::{self, Store};

/// The variable holding the token of the admin who runs `add-user` or `revoke-user`.
const TOKEN_VARIABLE: &str = "STAGEGATE_TOKEN";

/// Runs `add-user` or `revoke-user`; the token of `add-user` is the only thing on stdout.
pub fn run(command: &Command) -> Result<(), String> {
    let (name, id, roles, rotate, db) = match command {
        Command::AddUser {
            id,
            roles,
            rotate,
            db,
        } => ("add-user", id, roles.as_slice(), *rotate, db),
        Command::RevokeUser { id, db } => ("revoke-user", id, &[][..], false, db),
    };
    if id.trim().is_empty() {
        return Err(format!("{name} needs the user's id"));
    }
    if name == "add-user" && roles.is_empty() && !rotate {
        return Err(format!(
            "give `{id}` at least one role: add-user {id} --role rep (roles: rep, manager, admin, ...)"
        ));
    }
    let store = store::open(db)?;
    let store = store.as_ref();
    let first = store.user_count()? == 0;
    if first {
        if name == "revoke-user" {
            return Err(format!("no user `{}`: there are no users yet", id));
        }
        if !roles.iter().any(|r| r == "admin") {
            return Err(format!(
                "the first user must be an admin (only an admin adds users): add-user {} --role admin",
                id
            ));
        }
    } else {
        admin(store, name)?;
    }
    if name == "revoke-user" {
        return if store.remove_user(id)? {
            eprintln!("user `{}` removed; their token no longer works", id);
            Ok(())
        } else {
            Err(format!("no user `{}`", id))
        };
    }
    let token = auth::new_token()?;
    let digest = auth::digest(&token);
    let done = if rotate {
        store.rotate_user(id, roles, &digest)?
    } else {
        store.add_user(id, roles, &digest)?
    };
    if !done && rotate {
        return Err(format!(
            "no user `{}` to rotate: add them without --rotate",
            id
        ));
    }
    if !done {
        return Err(format!(
            "user `{0}` exists; to give them a new token (the old one stops working): add-user {0} --rotate",
            id
        ));
    }
    println!("{token}");
    let roles = match store.user(id)? {
        Some(user) => user.roles.join(", "),
        None => String::new(),
    };
    eprintln!(
        "user `{}` (roles: {roles}) {}; the token above is shown this once: only its digest is stored",
        id,
        if rotate { "has a new token" } else { "added" }
    );
    Ok(())
}

/// The caller must hold an admin's token in `STAGEGATE_TOKEN`.
fn admin(store: &dyn Store, name: &str) -> Result<(), String> {
    let Ok(token) = std::env::var(TOKEN_VARIABLE) else {
        return Err(format!(
            "{name} needs an admin: set {TOKEN_VARIABLE} to an admin's token"
        ));
    };
    match store.user_by_token(token.trim())? {
        Some(user) if user.has("admin") => Ok(()),
        Some(user) => Err(format!(
            "{name} needs the role `admin`; `{}` has {}",
            user.id,
            user.roles.join(", ")
        )),
        None => Err(format!(
            "{TOKEN_VARIABLE} holds no valid token: set it to an admin's token (revoked tokens do not count)"
        )),
    }
}
