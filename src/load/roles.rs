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
    /// Roles that may open deals, in a start stage (default: every role).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub create: Option<Vec<String>>,
    /// Roles that may bring deals in another stage or with a history of their own (default:
    /// those of `force`).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub import: Option<Vec<String>>,
    /// Roles that may change a deal's fields and activities (default: the deal's owner and the
    /// roles of `force`); a field's or activity's own `edit:` narrows or widens it.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub edit: Option<Vec<String>>,
    /// Roles that may give a deal another owner (default: those of `edit`).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub owner: Option<Vec<String>>,
    /// Roles that may archive and unarchive a deal (default: the deal's owner and the roles of
    /// `force`).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub archive: Option<Vec<String>>,
}

/// The declared roles and permissions; every role named in `permissions` and in transitions'
/// `by:` must be declared (or be `owner`), else an error with the likely intended one.
pub(super) fn roles(
    b: &mut Builder<'_>,
    raw: &Ordered<RawRole>,
    permissions: Option<&RawPermissions>,
    transitions_by: &[Option<&[String]>],
    approvals: &[(String, String)],
    edits: &[(String, &[String])],
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
            let keys = [
                ("move", &raw.moves, "nobody could move a deal", "anyone"),
                (
                    "force",
                    &raw.force,
                    "nobody could force a blocked move",
                    "anyone",
                ),
                (
                    "create",
                    &raw.create,
                    "nobody could open a deal",
                    "every role",
                ),
                (
                    "import",
                    &raw.import,
                    "nobody could import a deal",
                    "the roles of `force`",
                ),
                (
                    "edit",
                    &raw.edit,
                    "nobody could change a deal",
                    "the deal's owner and the roles of `force`",
                ),
                (
                    "owner",
                    &raw.owner,
                    "nobody could give a deal another owner",
                    "the roles of `edit`",
                ),
                (
                    "archive",
                    &raw.archive,
                    "nobody could archive a deal",
                    "the deal's owner and the roles of `force`",
                ),
            ];
            for (key, names, nobody, anyone) in keys {
                if let Some(names) = names {
                    let path = format!("permissions.{key}");
                    if names.is_empty() {
                        empty(b, &path, key, nobody, anyone);
                    }
                    check(b, path, names);
                }
            }
            Permissions {
                moves: raw.moves.clone(),
                force: raw.force.clone(),
                create: raw.create.clone(),
                import: raw.import.clone(),
                edit: raw.edit.clone(),
                owner: raw.owner.clone(),
                archive: raw.archive.clone(),
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
    for (path, names) in edits {
        if names.is_empty() {
            let anyone = "`permissions.edit` decide";
            empty(b, path, "edit", "nobody could change it", anyone);
        }
        check(b, path.clone(), names);
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

/// Every field's and activity's own `edit:` list, at its path.
pub(super) fn edit_lists<'r>(
    fields: &'r Ordered<super::raw::RawField>,
    stages: &'r [super::raw::RawStage],
) -> Vec<(String, &'r [String])> {
    let fields = fields.0.iter().filter_map(|(id, field)| {
        field
            .edit
            .as_deref()
            .map(|names| (format!("fields.{id}.edit"), names))
    });
    let activities = stages.iter().enumerate().flat_map(|(s, stage)| {
        stage
            .activities
            .iter()
            .enumerate()
            .filter_map(move |(a, activity)| {
                activity
                    .edit
                    .as_deref()
                    .map(|names| (format!("stages[{s}].activities[{a}].edit"), names))
            })
    });
    fields.chain(activities).collect()
}

/// `start:`: the stages a new deal may start in, by index; each must be declared, once. Without
/// the key, the first stage of the main path.
pub(super) fn start(
    b: &mut Builder<'_>,
    start: Option<&[String]>,
    stages: &crate::support::ids::IdIndex,
) -> Vec<usize> {
    let Some(names) = start else {
        return vec![0];
    };
    if names.is_empty() {
        b.error(
            "empty-start",
            "start",
            "`start: []` names no stage, so no deal could be opened".to_owned(),
            Some("list the stages a new deal may start in, or leave `start` out to start in the first stage".to_owned()),
        );
    }
    let mut found = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match stages.get(name) {
            Some(&index) if found.contains(&index) => b.error(
                "duplicate-id",
                &format!("start[{i}]"),
                format!("stage `{name}` is listed twice"),
                None,
            ),
            Some(&index) => found.push(index),
            None => b.error(
                "unknown-stage",
                &format!("start[{i}]"),
                format!("`{name}` is not a declared stage"),
                suggest::did_you_mean(name, stages.keys().map(String::as_str)),
            ),
        }
    }
    found.sort_unstable();
    found
}
