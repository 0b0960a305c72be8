//! Who may make and force a move, compared between two versions of a playbook: the playbook's
//! `permissions.move` and `permissions.force`, and the transition's `by:`.

use super::Change;
use crate::model::Playbook;

/// Who may act on one move in one version; each list empty when anyone may.
struct Actors {
    /// `permissions.move`.
    moves: Vec<String>,
    /// The transition's `by:`.
    by: Vec<String>,
    /// `permissions.force`.
    force: Vec<String>,
}

impl Actors {
    /// Who may make or force the move `from` → `to` of `playbook`.
    fn of(playbook: &Playbook, from: &str, to: &str) -> Actors {
        let permissions = playbook.permissions();
        let by = playbook
            .transitions()
            .iter()
            .find(|t| t.from == from && t.to == to)
            .map(|t| t.by.clone())
            .unwrap_or_default();
        Actors {
            moves: permissions.moves.clone().unwrap_or_default(),
            by,
            force: permissions.force.clone().unwrap_or_default(),
        }
    }
}

/// The same roles, in any order.
fn same(a: &[String], b: &[String]) -> bool {
    let sorted = |roles: &[String]| {
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        roles
    };
    sorted(a) == sorted(b)
}

/// Who may make or force the move `from` → `to` (declared by both versions), when that changes
/// from `old` to `new`.
pub(super) fn changed(old: &Playbook, new: &Playbook, from: &str, to: &str) -> Option<Change> {
    let (before, after) = (Actors::of(old, from, to), Actors::of(new, from, to));
    if same(&before.moves, &after.moves)
        && same(&before.by, &after.by)
        && same(&before.force, &after.force)
    {
        return None;
    }
    Some(Change::ActorsChanged {
        from: from.to_owned(),
        to: to.to_owned(),
        move_before: before.moves,
        move_after: after.moves,
        by_before: before.by,
        by_after: after.by,
        force_before: before.force,
        force_after: after.force,
    })
}

/// What changed of who may act, in words: "by: manager → manager, finance; permissions.force:
/// anyone → manager" (a rule that did not change is left out).
pub(super) fn words(rules: [(&str, &[String], &[String]); 3]) -> String {
    let roles = |list: &[String]| {
        if list.is_empty() {
            "anyone".to_owned()
        } else {
            list.join(", ")
        }
    };
    rules
        .iter()
        .filter(|(_, before, after)| !same(before, after))
        .map(|(key, before, after)| format!("{key}: {} → {}", roles(before), roles(after)))
        .collect::<Vec<_>>()
        .join("; ")
}
