//! Editing a deal (`Engine::edit`): every change checked against the playbook's rights and the
//! deal's shape, then recorded, one history entry per change; approvals given on a changed value
//! are voided.

use jiff::Timestamp;
use serde_json::Value;

use super::change_error::{ChangeError, ChangeProblem};
use super::evaluate::Evaluator;
use super::permits::{self, Right};
use super::{Engine, Options};
use crate::deal::{Changes, Completion, Deal, Edit, Edited, HistoryEntry};
use crate::model::{Playbook, Test};
use crate::support::time::format_time;

impl Engine {
    /// Changes `deal`'s fields, activities and owner as `changes` asks, at `at`, by the actor of
    /// `options`: the new deal with one history entry `{ at, by, edit: { field | activity |
    /// owner, before, after } }` per change (a change to the value a field already holds is no
    /// change), and the approvals voided because they were given on a value that changed. A
    /// ticked activity records who ticked it and when (`{ at, by }`).
    ///
    /// Who may change what: a field's or activity's `edit:` roles, else `permissions.edit`
    /// (default: the deal's owner and the roles of `permissions.force`); the owner by
    /// `permissions.owner` (default: as editing). A playbook that names no roles lets anyone.
    ///
    /// # Errors
    ///
    /// [`ChangeError::Deal`] with every problem of the deal as the change would leave it
    /// (unknown field, wrong type, bad date); [`ChangeError::Forbidden`] with every change the
    /// actor may not make and who may; [`ChangeError::NoActor`]; [`ChangeError::Refused`] for
    /// an archived deal, a change dated before the history's last entry, or an activity done in
    /// the future.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, Changes, ChangeError, Deal, Engine, Options, Playbook};
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: p
    /// version: 1
    /// roles: { rep: {}, manager: {}, finance: {} }
    /// permissions: { force: [manager] }
    /// fields: { discount_pct: { type: number }, amount: { type: number } }
    /// stages:
    ///   - id: proposal
    ///     exit: [ { id: discount_ok, when: "discount_pct > 20", approval: { role: finance } } ]
    ///   - { id: closing }
    /// transitions: [ { from: proposal, to: closing } ]
    /// "#, "p.yaml").unwrap();
    /// let engine = Engine::new(playbook).with_language("en");
    /// let at = stagegate::parse_time("2026-11-27").unwrap();
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "lee", "stage": "proposal",
    ///     "fields": {"discount_pct": 35}}"#).unwrap();
    /// // Another rep may not change lee's deal.
    /// let kim = Actor::new("kim", ["rep"]);
    /// let refused = engine.edit(&deal, &Changes::new().set("discount_pct", 19), at, &Options::new().as_actor(&kim));
    /// assert!(matches!(refused, Err(ChangeError::Forbidden { .. })));
    /// // The owner may; the history says who changed what.
    /// let lee = Actor::new("lee", ["rep"]);
    /// let edited = engine.edit(&deal, &Changes::new().set("discount_pct", 19), at, &Options::new().as_actor(&lee)).unwrap();
    /// let entry = edited.deal.history.last().unwrap();
    /// assert_eq!(entry.by.as_deref(), Some("lee"));
    /// let edit = entry.edit.as_ref().unwrap();
    /// assert_eq!((edit.before.clone(), edit.after.clone()), (Some(35.into()), Some(19.into())));
    /// ```
    pub fn edit(
        &self,
        deal: &Deal,
        changes: &Changes,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Edited, ChangeError> {
        let playbook = self.playbook();
        let lang = self.language();
        crate::fit::check(playbook, deal)?;
        let actor = acting(playbook, options)?;
        refuse_archived(deal, lang)?;
        refuse_before_history(playbook, deal, at)?;
        let by = actor.map(|a| a.id.clone());
        let owner = deal.owner.as_deref();
        let now = format_time(at);
        let mut changed = deal.clone();
        let mut edits: Vec<Edit> = Vec::new();
        let mut forbidden: Vec<ChangeProblem> = Vec::new();
        let mut refused: Vec<ChangeProblem> = Vec::new();
        let mut permit = |right: Right, place: &str| {
            if let Some(problem) = permits::check(playbook, right, actor, owner, place, lang) {
                forbidden.push(problem);
            }
        };
        for (name, value) in &changes.fields {
            let before = deal.fields.get(name).cloned();
            if before.as_ref() == value.as_ref() {
                continue;
            }
            if let Some(index) = playbook.field_index(name) {
                permit(Right::Field(index), &format!("fields.{name}"));
            }
            match value {
                Some(value) => changed.fields.insert(name.clone(), value.clone()),
                None => changed.fields.remove(name),
            };
            edits.push(Edit {
                field: Some(name.clone()),
                before,
                after: value.clone(),
                ..Edit::default()
            });
        }
        for (name, done) in &changes.activities {
            let place = format!("activities.{name}");
            let before = deal.activities.get(name).filter(|c| c.is_done());
            let after = match done {
                None | Some(Completion::Flag(false)) => None,
                Some(Completion::Flag(true)) => Some(record(&now, by.as_deref())),
                Some(Completion::At(when) | Completion::By { at: when, .. }) => {
                    match playbook.read_time(when) {
                        Ok(done_at) if done_at > at => refused.push(ChangeProblem::refused(
                            "done-in-future",
                            &place,
                            format!("{place}: done at {when}, later than the change ({now}); give the time it was done"),
                        )),
                        Ok(_) => {}
                        // Refused even when the activity is already done (and nothing changes).
                        Err(problem) => refused.push(ChangeProblem::refused(
                            "bad-time",
                            &place,
                            format!("{place}: {problem}"),
                        )),
                    }
                    Some(record(when, by.as_deref()))
                }
            };
            // Ticking a done activity again keeps when and by whom it was first done.
            if before.is_some() == after.is_some() {
                continue;
            }
            if let Some(index) = playbook.activity_index(name) {
                permit(Right::Activity(index), &place);
            }
            match &after {
                Some(completion) => changed.activities.insert(name.clone(), completion.clone()),
                None => changed.activities.remove(name),
            };
            edits.push(Edit {
                activity: Some(name.clone()),
                before: before.map(json),
                after: after.as_ref().map(json),
                ..Edit::default()
            });
        }
        if let Some(new) = changes
            .owner
            .as_ref()
            .filter(|new| Some(new.as_str()) != owner)
        {
            permit(Right::Owner, "owner");
            changed.owner = Some(new.clone());
            edits.push(Edit {
                owner: true,
                before: owner.map(|o| Value::String(o.to_owned())),
                after: Some(Value::String(new.clone())),
                ..Edit::default()
            });
        }
        // What the deal would hold must fit first; then who may; then the rest.
        crate::fit::check(playbook, &changed)?;
        if !forbidden.is_empty() {
            return Err(ChangeError::Forbidden {
                problems: forbidden,
            });
        }
        if !refused.is_empty() {
            return Err(ChangeError::Refused { problems: refused });
        }
        let voided = voided(playbook, &changed, at, lang)?;
        for (criterion, key) in &voided {
            changed.approvals.remove(criterion);
            // Named on the change that voided it: the field it read, else the last change.
            let position = edits
                .iter()
                .position(|e| e.field.as_deref() == Some(key.as_str()))
                .or(edits.len().checked_sub(1));
            if let Some(edit) = position.and_then(|p| edits.get_mut(p)) {
                edit.voided.push(criterion.clone());
            }
        }
        for edit in edits {
            let mut entry = HistoryEntry::change(now.clone(), by.clone());
            entry.edit = Some(edit);
            changed.history.push(entry);
        }
        Ok(Edited {
            deal: changed,
            voided: voided.into_iter().map(|(criterion, _)| criterion).collect(),
        })
    }
}

/// The actor of `options`, checked: a blank id names nobody; a playbook that says who may change
/// deals needs one.
pub(super) fn acting<'o>(
    playbook: &Playbook,
    options: &Options<'o>,
) -> Result<Option<&'o super::Actor>, ChangeError> {
    match options.actor {
        Some(actor) if actor.id.trim().is_empty() => Err(ChangeError::NoActor),
        None if permits::any_named(playbook) => Err(ChangeError::NoActor),
        actor => Ok(actor),
    }
}

/// Refused while the deal is archived.
pub(super) fn refuse_archived(deal: &Deal, lang: &str) -> Result<(), ChangeError> {
    match &deal.archived {
        None => Ok(()),
        Some(archived) => Err(ChangeError::Refused {
            problems: vec![ChangeProblem::refused(
                "archived",
                "archived",
                archived.refusal(lang),
            )],
        }),
    }
}

/// Refused when `at` is before the deal's last history entry: a history only goes forward.
pub(super) fn refuse_before_history(
    playbook: &Playbook,
    deal: &Deal,
    at: Timestamp,
) -> Result<(), ChangeError> {
    match super::apply::last_entry(playbook, deal).filter(|last| at < *last) {
        None => Ok(()),
        Some(last) => Err(ChangeError::Refused {
            problems: vec![ChangeProblem::refused(
                "before-history",
                "at",
                format!(
                    "the change's time {} is before the deal's last history entry ({}); a history only goes forward",
                    format_time(at),
                    format_time(last)
                ),
            )],
        }),
    }
}

/// An activity done at `at`, by `by` when known.
fn record(at: &str, by: Option<&str>) -> Completion {
    match by {
        Some(by) => Completion::By {
            at: at.to_owned(),
            by: by.to_owned(),
        },
        None => Completion::At(at.to_owned()),
    }
}

fn json(completion: &Completion) -> Value {
    serde_json::to_value(completion).unwrap_or(Value::Bool(true))
}

/// The approvals `deal` holds that no longer count because a value they were given for changed:
/// each criterion with the value's key (a field id, or `score(card)`).
fn voided(
    playbook: &Playbook,
    deal: &Deal,
    at: Timestamp,
    lang: &str,
) -> Result<Vec<(String, String)>, ChangeError> {
    if deal.approvals.is_empty() {
        return Ok(Vec::new());
    }
    let evaluator = Evaluator::new(playbook, deal, at, lang)?;
    let mut found = Vec::new();
    for gate in playbook.approval_gates() {
        let id = &gate.criterion.id;
        if !deal.approvals.contains_key(id) || found.iter().any(|(c, _)| c == id) {
            continue;
        }
        let when = match &gate.criterion.test {
            Test::Approval { when, .. } => when.as_deref(),
            _ => None,
        };
        if let Some(super::approval::Need::Changed(key, ..)) =
            evaluator.approval_need(id, gate.role, when)
        {
            found.push((id.clone(), key));
        }
    }
    Ok(found)
}
