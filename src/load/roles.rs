//! `roles:`, `permissions:`, transitions' `by:` and approvals' roles: declared, and every role
//! named checked.

use schemars::JsonSchema;
use serde::Deserialize;

use super::builder::Builder;
use crate::model::{Permissions, Role, OWNER};
use crate::support::ordered::Ordered;
use crate::support::suggest;
use crate::support::text::Text;

/// A role as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRole {
    /// The role's title, in the playbook's languages.
    #[serde(default)]
    pub title: Option<Text>,
}

/// `permissions:` as written; a key left out means anyone.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPermissions {
    /// Roles that may make an allowed move (`owner`: the deal's owner).
    #[serde(default, rename = "move")]
    #[schemars(length(min = 1))]
    pub moves: Option<Vec<String>>,
    /// Roles that may force a blocked move.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub force: Option<Vec<String>>,
}

/// The declared roles and permissions; every role named in `permissions` and in transitions'
/// `by:` must be declared (or be `owner`), else an error with the likely intended one.
pub(super) fn roles(
    b: &mut Builder<'_>,
    raw: &Ordered<RawRole>,
    permissions: Option<&RawPermissions>,
    transitions_by: &[Option<&[String]>],
    approvals: &[(String, String)],
) -> (Vec<Role>, Permissions) {
    let mut roles = Vec::new();
    for (id, role) in &raw.0 {
        let path = format!("roles.{id}");
        if id == OWNER {
            b.error_key(
                "bad-id",
                &path,
                "`owner` is built in: it is the deal's owner; declare other roles".to_owned(),
                None,
            );
            continue;
        }
        if !super::builder::is_playbook_id(id) {
            b.error_key(
                "bad-id",
                &path,
                format!("role id `{id}` must use lowercase letters, digits, `_` and `-`"),
                None,
            );
        }
        roles.push(Role {
            id: id.clone(),
            title: role.title.clone(),
        });
    }
    let known = |name: &str| name == OWNER || roles.iter().any(|r| r.id == name);
    let check = |b: &mut Builder<'_>, path: String, names: &[String]| {
        for (i, name) in names.iter().enumerate() {
            if !known(name) {
                let ids = roles.iter().map(|r| r.id.as_str()).chain([OWNER]);
                b.error(
                    "unknown-role",
                    &format!("{path}[{i}]"),
                    format!("role `{name}` is not declared under `roles:`"),
                    suggest::did_you_mean(name, ids),
                );
            }
        }
    };
    let permissions = match permissions {
        None => Permissions::default(),
        Some(raw) => {
            for (key, names) in [("move", &raw.moves), ("force", &raw.force)] {
                if let Some(names) = names {
                    let path = format!("permissions.{key}");
                    let nobody = if key == "move" {
                        "nobody could move a deal"
                    } else {
                        "nobody could force a blocked move"
                    };
                    if names.is_empty() {
                        empty(b, &path, key, nobody, "anyone");
                    }
                    check(b, path, names);
                }
            }
            Permissions {
                moves: raw.moves.clone(),
                force: raw.force.clone(),
            }
        }
    };
    for (t, by) in transitions_by.iter().enumerate() {
        let Some(by) = by else {
            continue;
        };
        let path = format!("transitions[{t}].by");
        if by.is_empty() {
            let who = "anyone who may move deals";
            empty(b, &path, "by", "nobody could make this move", who);
        }
        check(b, path, by);
    }
    for (path, role) in approvals {
        if role == OWNER {
            b.error(
                "unknown-role",
                path,
                "nobody could give this approval: the deal's owner may never approve their own deal (four eyes)".to_owned(),
                Some("name a declared role, such as a manager's".to_owned()),
            );
        } else if !roles.iter().any(|r| r.id == *role) {
            let ids = roles.iter().map(|r| r.id.as_str());
            b.error(
                "unknown-role",
                path,
                format!("role `{role}` is not declared under `roles:`, so nobody could give this approval"),
                suggest::did_you_mean(role, ids),
            );
        }
    }
    (roles, permissions)
}

/// `key: []` at `path`: a list of roles naming none, which lets `nobody` act; the help says what
/// to write instead (a role, or the key left out to let `anyone`).
fn empty(b: &mut Builder<'_>, path: &str, key: &str, nobody: &str, anyone: &str) {
    b.error(
        "empty-roles",
        path,
        format!("`{key}: []` names no role, so {nobody}"),
        Some(format!(
            "list the roles that may (`{key}: [manager]`), or leave `{key}` out to let {anyone}"
        )),
    );
}
