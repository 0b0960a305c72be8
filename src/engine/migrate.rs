//! Carrying deals from one version of a playbook to a newer one, as its `migrations:` say.

use std::collections::BTreeMap;

use jiff::Timestamp;
use thiserror::Error;

use crate::deal::{Completion, Deal, HistoryEntry};
use crate::model::{Migration, Playbook};

/// A deal that cannot be carried to the newer version, with every reason.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Options, Playbook};
/// let v1 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}, {id: review}]\ntransitions: [{from: open, to: review}]\n", "v1.yaml").unwrap();
/// let v2 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 2\nstages: [{id: open}]\n", "v2.yaml").unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-9", "stage": "review"}"#).unwrap();
/// let refused = Engine::new(v2).migrate(&v1, &deal, stagegate::parse_time("2026-11-27").unwrap(), &Options::new()).unwrap_err();
/// assert_eq!(refused.deal, "D-9");
/// assert!(refused.problems[0].starts_with("stage `review` no longer exists in `p@2`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("deal `{deal}` cannot be migrated from `{from}` to `{to}`: {}", problems.join("; "))]
#[non_exhaustive]
pub struct MigrationError {
    /// The deal's id, or its position.
    pub deal: String,
    /// The older playbook's `id@version`.
    pub from: String,
    /// The newer playbook's `id@version`.
    pub to: String,
    /// Everything in the way, each naming the stage, activity or field.
    pub problems: Vec<String>,
}

/// The same deal under `new`: stages, history, activities and fields renamed as `new`'s migration
/// from `old`'s version says (ids it does not list keep their name), pinned to `new`, with one
/// history entry appended at `at` that records the migration. The deal must fit `old`.
///
/// # Errors
///
/// A [`MigrationError`] naming every stage, activity or field that has no place in `new`, a deal
/// pinned elsewhere or not fitting `old`, or playbooks that are not two versions of one playbook.
///
/// # Example
///
/// ```
/// use stagegate::{migrate, Deal, Playbook};
/// let v1 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: lead}, {id: discovery}, {id: won, outcome: won}]\ntransitions: [{from: lead, to: discovery}, {from: discovery, to: won}]\n", "v1.yaml").unwrap();
/// let v2 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 2\nstages: [{id: lead}, {id: qualify}, {id: won, outcome: won}]\ntransitions: [{from: lead, to: qualify}, {from: qualify, to: won}]\nmigrations: [{from: 1, stages: {discovery: qualify}}]\n", "v2.yaml").unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "playbook": "p@1", "stage": "discovery"}"#).unwrap();
/// let moved = migrate(&v1, &v2, &deal, stagegate::parse_time("2026-11-27").unwrap()).unwrap();
/// assert_eq!(moved.stages, ["qualify"]);
/// assert_eq!(moved.playbook.as_deref(), Some("p@2"));
/// assert_eq!(moved.history.last().unwrap().migrated_from.as_deref(), Some("p@1"));
/// ```
pub fn migrate(
    old: &Playbook,
    new: &Playbook,
    deal: &Deal,
    at: Timestamp,
) -> Result<Deal, MigrationError> {
    migrate_by(old, new, deal, at, None)
}

/// [`migrate`], recording who migrated the deal (`by`) in the history entry, when given.
pub(crate) fn migrate_by(
    old: &Playbook,
    new: &Playbook,
    deal: &Deal,
    at: Timestamp,
    by: Option<&str>,
) -> Result<Deal, MigrationError> {
    let refuse = |problems: Vec<String>| MigrationError {
        deal: deal.label("(no id)"),
        from: old.pin(),
        to: new.pin(),
        problems,
    };
    if old.id() != new.id() || old.version() >= new.version() {
        return Err(refuse(vec![format!(
            "`{}` is not a newer version of `{}`",
            new.pin(),
            old.pin()
        )]));
    }
    misfits(old, deal, "it does not fit").map_err(refuse)?;
    let identity = Migration {
        from: old.version(),
        stages: Vec::new(),
        activities: Vec::new(),
        fields: Vec::new(),
    };
    let migration = new.migration_from(old.version()).unwrap_or(&identity);
    let mut problems = Vec::new();
    let stage = |id: &str, problems: &mut Vec<String>| {
        let to = migration.stage(id);
        if new.stage(to).is_none() {
            let problem = format!(
                "stage `{id}` no longer exists in `{}`; map it under `migrations: [{{from: {}, stages: {{{id}: <stage>}}}}]`",
                new.pin(),
                old.version()
            );
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        to.to_owned()
    };

    // A deal with no stages is in the old version's first stage, which need not be the new one's.
    let current: Vec<String> = if deal.stages.is_empty() {
        old.stages().iter().take(1).map(|s| s.id.clone()).collect()
    } else {
        deal.stages.clone()
    };
    let mut moved = deal.clone();
    moved.stages = Vec::new();
    for id in &current {
        let to = stage(id, &mut problems);
        if !moved.stages.contains(&to) {
            moved.stages.push(to);
        }
    }
    for entry in &mut moved.history {
        // Approvals, edits and archiving enter no stage.
        if !entry.to.is_empty() {
            entry.to = stage(&entry.to, &mut problems);
        }
        // An edit names its field or activity by the new name; one the new version dropped
        // keeps its old name (the history says what happened then).
        if let Some(edit) = &mut entry.edit {
            for (name, renames) in [
                (&mut edit.field, &migration.fields),
                (&mut edit.activity, &migration.activities),
            ] {
                if let Some(old) = name.as_deref() {
                    if let Some(new) = Migration::renamed(renames, old) {
                        *name = Some(new.to_owned());
                    }
                }
            }
        }
        if let Some(from) = &entry.from {
            entry.from = Some(stage(from, &mut problems));
        }
    }
    let exists = |id: &str| new.activity_index(id).is_some();
    // Two old activities mapped onto one: it is done if either was.
    let replaces = |kept: &Completion, other: &Completion| !kept.is_done() && other.is_done();
    let renamed = Renamed {
        what: "activity",
        key: "activities",
        renames: &migration.activities,
        pin: new.pin(),
    };
    moved.activities = renamed.apply(&deal.activities, exists, replaces, &mut problems);
    // Open tasks follow their activity's new name and their stage's.
    let renamed = Renamed {
        what: "task's activity",
        key: "activities",
        renames: &migration.activities,
        pin: new.pin(),
    };
    moved.tasks = renamed.apply(&deal.tasks, exists, |_, _| false, &mut problems);
    for task in moved.tasks.values_mut() {
        task.stage = stage(&task.stage, &mut problems);
    }
    let exists = |name: &str| new.field_index(name).is_some();
    let renamed = Renamed {
        what: "field",
        key: "fields",
        renames: &migration.fields,
        pin: new.pin(),
    };
    moved.fields = renamed.apply(&deal.fields, exists, |_, _| false, &mut problems);
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    let current = moved
        .stages
        .first()
        .cloned()
        .or_else(|| new.stages().first().map(|s| s.id.clone()))
        .unwrap_or_default();
    moved.history.push(HistoryEntry {
        by: by.map(str::to_owned),
        at: crate::support::time::format_time(at),
        from: None,
        to: current,
        kind: None,
        fork: false,
        forced: false,
        reason: None,
        overridden: Vec::new(),
        migrated_from: Some(old.pin()),
        approved: None,
        imported: false,
        imported_by: None,
        edit: None,
        archived: false,
        unarchived: false,
        approval_requested: None,
        note: None,
    });
    moved.playbook = Some(new.pin());
    // An approval was given at a gate of the old version: one the new version no longer has
    // lapses (the history keeps it), so the deal needs that version's own approval.
    moved
        .approvals
        .retain(|id, _| new.approval_gate(id).is_some());
    // The values an approval was given for follow their fields' new names.
    for approval in moved.approvals.values_mut() {
        if let Some(values) = approval.values.take() {
            approval.values = Some(
                values
                    .into_iter()
                    .filter_map(|(field, value)| {
                        Migration::renamed(&migration.fields, &field)
                            .map(|to| (to.to_owned(), value))
                    })
                    .collect(),
            );
        }
    }
    misfits(new, &moved, "after renaming, it does not fit").map_err(refuse)?;
    Ok(moved)
}

/// Every reason `deal` does not fit `playbook`, each worded "<lead> `<pin>`: <problem>".
fn misfits(playbook: &Playbook, deal: &Deal, lead: &str) -> Result<(), Vec<String>> {
    match crate::fit::check(playbook, deal) {
        Ok(_) => Ok(()),
        Err(error) => Err(error
            .problems
            .iter()
            .map(|p| format!("{lead} `{}`: {p}", playbook.pin()))
            .collect()),
    }
}

/// Renames of one kind of id (activities or fields) applied to a deal's entries.
struct Renamed<'a> {
    what: &'static str,
    key: &'static str,
    renames: &'a [(String, Option<String>)],
    pin: String,
}

impl Renamed<'_> {
    /// The entries under their new names; dropped ones left out; those with no place in the new
    /// version named in `problems`. When two land on one name, `replaces(kept, other)` says
    /// whether the later one wins.
    fn apply<V: Clone>(
        &self,
        entries: &BTreeMap<String, V>,
        exists: impl Fn(&str) -> bool,
        replaces: impl Fn(&V, &V) -> bool,
        problems: &mut Vec<String>,
    ) -> BTreeMap<String, V> {
        let mut renamed: BTreeMap<String, V> = BTreeMap::new();
        for (id, value) in entries {
            let Some(to) = Migration::renamed(self.renames, id) else {
                continue;
            };
            if !exists(to) {
                problems.push(format!(
                    "{} `{id}` no longer exists in `{}`; map it (or drop it with null) under `{}:` of the migration",
                    self.what, self.pin, self.key
                ));
                continue;
            }
            let keep = renamed.get(to).is_none_or(|kept| replaces(kept, value));
            if keep {
                renamed.insert(to.to_owned(), value.clone());
            }
        }
        renamed
    }
}
