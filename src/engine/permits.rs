//! Who may do what besides moving: open, import, edit, give another owner, archive, ask for an
//! approval. Each right
//! is a list of roles (`owner`: the deal's owner), or anyone when the playbook does not say.

use super::actor::{titles, Actor};
use super::change_error::ChangeProblem;
use crate::model::{Playbook, OWNER};
use crate::support::change_messages::{self, Act};

/// A right the playbook's `permissions` (and fields' and activities' `edit:`) decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Right {
    /// `permissions.create`: every role without it.
    Create,
    /// `permissions.import`: the roles of `force` without it.
    Import,
    /// A field's `edit:`, else `permissions.edit` (the owner and the roles of `force`).
    Field(usize),
    /// An activity's `edit:`, else `permissions.edit`.
    Activity(usize),
    /// `permissions.owner`, else as editing.
    Owner,
    /// `permissions.archive`: the owner and the roles of `force` without it.
    Archive,
    /// Asking for an approval: whoever may edit the deal (`permissions.edit`, else the owner and
    /// the roles of `force`).
    RequestApproval,
}

/// The owner and the roles of `force`, or anyone when `force` says nobody in particular.
fn owner_and_force(playbook: &Playbook) -> Option<Vec<String>> {
    playbook.permissions.force.as_ref().map(|force| {
        std::iter::once(OWNER.to_owned())
            .chain(force.iter().filter(|r| *r != OWNER).cloned())
            .collect()
    })
}

/// The roles that hold `right`; `None`: anyone.
pub(crate) fn roles(playbook: &Playbook, right: Right) -> Option<Vec<String>> {
    let permissions = &playbook.permissions;
    let edit = || {
        permissions
            .edit
            .clone()
            .or_else(|| owner_and_force(playbook))
    };
    match right {
        Right::Create => permissions.create.clone(),
        Right::Import => permissions
            .import
            .clone()
            .or_else(|| permissions.force.clone()),
        Right::Field(index) => playbook.fields[index].edit.clone().or_else(edit),
        Right::Activity(index) => playbook.activity(index).edit.clone().or_else(edit),
        Right::Owner => permissions.owner.clone().or_else(edit),
        Right::RequestApproval => edit(),
        Right::Archive => permissions
            .archive
            .clone()
            .or_else(|| owner_and_force(playbook)),
    }
}

/// Whether some right of the playbook names roles, so that a change must say who makes it.
pub(crate) fn any_named(playbook: &Playbook) -> bool {
    let permissions = &playbook.permissions;
    playbook.requires_actor()
        || permissions.create.is_some()
        || permissions.import.is_some()
        || permissions.edit.is_some()
        || permissions.owner.is_some()
        || permissions.archive.is_some()
        || playbook.fields.iter().any(|f| f.edit.is_some())
}

/// `None` when `actor` holds `right` on a deal owned by `owner`; else the problem, naming who
/// may, at `place`, in `lang`.
pub(crate) fn check(
    playbook: &Playbook,
    right: Right,
    actor: Option<&Actor>,
    owner: Option<&str>,
    place: &str,
    lang: &str,
) -> Option<ChangeProblem> {
    let roles = roles(playbook, right)?;
    if actor.is_some_and(|actor| actor.holds_any(&roles, owner)) {
        return None;
    }
    let default = playbook.default_language();
    let field_title;
    let activity_title;
    let act = match right {
        Right::Create => Act::Create,
        Right::Import => Act::Import,
        Right::Field(index) => {
            field_title = playbook.fields[index].title_in(lang, default).to_owned();
            Act::Field(&field_title)
        }
        Right::Activity(index) => {
            activity_title = playbook.activity(index).title_in(lang, default).to_owned();
            Act::Activity(&activity_title)
        }
        Right::Owner => Act::Owner,
        Right::Archive => Act::Archive,
        Right::RequestApproval => Act::RequestApproval,
    };
    let message = change_messages::not_allowed(lang, &titles(playbook, &roles, lang), &act);
    Some(ChangeProblem::forbidden(place, message, roles))
}
