//! Who acts: a person (or a program) with an id and the roles they hold.

use crate::model::{Playbook, OWNER};
use crate::support::messages;

/// The person who makes a move, with the roles they hold. The deal's owner (`owner:` on the
/// deal) also holds the built-in role `owner`.
///
/// # Example
///
/// ```
/// use stagegate::{Actor, Move};
/// let manager = Actor::new("kim", ["manager"]);
/// let wanted = Move::to("onboarding").by(manager);
/// assert_eq!(wanted.by.as_ref().map(|a| a.id.as_str()), Some("kim"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Actor {
    /// The actor's id, recorded in the history (`by`).
    pub id: String,
    /// The roles they hold.
    pub roles: Vec<String>,
}

impl Actor {
    /// An actor `id` holding `roles`.
    pub fn new<R: Into<String>>(
        id: impl Into<String>,
        roles: impl IntoIterator<Item = R>,
    ) -> Actor {
        Actor {
            id: id.into(),
            roles: roles.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether they hold one of `roles`. `owner` is held only by the deal's owner (its `owner:`),
    /// never by naming it among one's roles.
    pub(crate) fn holds_any(&self, roles: &[String], owner: Option<&str>) -> bool {
        roles.iter().any(|role| {
            if role == OWNER {
                owner.is_some_and(|owner| !owner.trim().is_empty() && owner == self.id)
            } else {
                self.roles.contains(role)
            }
        })
    }
}

/// `roles` as a person reads them: each role's title in `lang` (its id when it has none), the
/// deal's owner for `owner`.
pub(crate) fn titles(playbook: &Playbook, roles: &[String], lang: &str) -> Vec<String> {
    roles
        .iter()
        .map(|id| match playbook.roles.iter().find(|r| r.id == *id) {
            Some(role) => role.title.as_ref().map_or_else(
                || id.clone(),
                |title| title.get(lang, playbook.default_language()).to_owned(),
            ),
            None if id == OWNER => messages::owner_role(lang).to_owned(),
            None => id.clone(),
        })
        .collect()
}
