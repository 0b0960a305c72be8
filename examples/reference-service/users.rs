//! `add-user` and `revoke-user`: the users who may call the service, kept in its database.
//!
//! The first user must be an `admin`, and needs no token. Once there are users, these commands need
//! an admin's token in the `STAGEGATE_TOKEN` environment variable.

use std::path::PathBuf;

use crate::auth;
use crate::store::Store;

/// The variable holding the token of the admin who runs `add-user` or `revoke-user`.
const TOKEN_VARIABLE: &str = "STAGEGATE_TOKEN";

const USAGE: &str = "usage: reference-service add-user <id> --role <role>... [--rotate] [--db <file>]\n       reference-service revoke-user <id> [--db <file>]";

struct Command {
    id: String,
    roles: Vec<String>,
    rotate: bool,
    db: PathBuf,
}

fn parse(name: &str, args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut command = Command {
        id: String::new(),
        roles: Vec::new(),
        rotate: false,
        db: PathBuf::from(crate::DEFAULT_DB),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--role" if name == "add-user" => {
                let role = value()?;
                if !auth::valid_role(&role) {
                    return Err(format!(
                        "`{role}` is not a role name: use lowercase letters, digits, `_` and `-` (e.g. `rep`, `manager`, `admin`)"
                    ));
                }
                if role == "owner" {
                    return Err("`owner` is not a role one holds: a deal's owner is the user who created it (or whom a manager named)".to_owned());
                }
                command.roles.push(role);
            }
            "--rotate" if name == "add-user" => command.rotate = true,
            "--db" => command.db = PathBuf::from(value()?),
            "--help" | "-h" => return Err(USAGE.to_owned()),
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option `{flag}` for {name}\n{USAGE}"))
            }
            id if command.id.is_empty() => command.id = id.to_owned(),
            extra => {
                return Err(format!(
                    "one user at a time: `{extra}` is one too many\n{USAGE}"
                ))
            }
        }
    }
    if command.id.is_empty() {
        return Err(format!("{name} needs the user's id\n{USAGE}"));
    }
    if name == "add-user" && command.roles.is_empty() && !command.rotate {
        return Err(format!(
            "give `{}` at least one role: add-user {} --role rep (roles: rep, manager, admin, ...)",
            command.id, command.id
        ));
    }
    Ok(command)
}

/// Runs `add-user` or `revoke-user`; the token of `add-user` is the only thing on stdout.
pub fn run(name: &str, args: impl Iterator<Item = String>) -> Result<(), String> {
    let command = parse(name, args)?;
    let store = Store::open(&command.db)?;
    let first = store.user_count()? == 0;
    if first {
        if name == "revoke-user" {
            return Err(format!("no user `{}`: there are no users yet", command.id));
        }
        if !command.roles.iter().any(|r| r == "admin") {
            return Err(format!(
                "the first user must be an admin (only an admin adds users): add-user {} --role admin",
                command.id
            ));
        }
    } else {
        admin(&store, name)?;
    }
    if name == "revoke-user" {
        return if store.remove_user(&command.id)? {
            eprintln!("user `{}` removed; their token no longer works", command.id);
            Ok(())
        } else {
            Err(format!("no user `{}`", command.id))
        };
    }
    let token = auth::new_token()?;
    let digest = auth::digest(&token);
    let done = if command.rotate {
        store.rotate_user(&command.id, &command.roles, &digest)?
    } else {
        store.add_user(&command.id, &command.roles, &digest)?
    };
    if !done && command.rotate {
        return Err(format!(
            "no user `{}` to rotate: add them without --rotate",
            command.id
        ));
    }
    if !done {
        return Err(format!(
            "user `{0}` exists; to give them a new token (the old one stops working): add-user {0} --rotate",
            command.id
        ));
    }
    println!("{token}");
    let roles = match store.user(&command.id)? {
        Some(user) => user.roles.join(", "),
        None => String::new(),
    };
    eprintln!(
        "user `{}` (roles: {roles}) {}; the token above is shown this once: only its digest is stored",
        command.id,
        if command.rotate { "has a new token" } else { "added" }
    );
    Ok(())
}

/// The caller must hold an admin's token in `STAGEGATE_TOKEN`.
fn admin(store: &Store, name: &str) -> Result<(), String> {
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
