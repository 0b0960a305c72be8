//! Fitting a deal to a playbook: every declared field, stage, activity and time checked, and the
//! facts rules read, borrowed from the deal.

pub(crate) mod history;
mod plain;
mod value;

use jiff::Timestamp;

pub(crate) use plain::read as read_plain;

use crate::deal::{Checked, Deal, DealError, DealProblem, HistoryEntry};
use crate::model::Playbook;
use crate::support::suggest;

/// A deal's facts in the form rules read them, borrowed from the deal.
#[derive(Debug, PartialEq)]
pub(crate) struct CheckedDeal<'a> {
    /// Active stages, by index, in playbook order.
    pub active: Vec<usize>,
    /// Present field values, by field index.
    pub values: Vec<Option<Checked<'a>>>,
    /// Done activities, by activity index.
    pub done: Vec<bool>,
    /// When the deal last entered each stage, by stage index, from its history.
    pub entered: Vec<Option<Timestamp>>,
}

/// Whether a deal pinned to `pin` (`id` or `id@version`) belongs to `playbook`.
pub(crate) fn pin_fits(playbook: &Playbook, pin: &str) -> bool {
    let (id, version) = match pin.split_once('@') {
        Some((id, version)) => (id, Some(version)),
        None => (pin, None),
    };
    id == playbook.id() && version.is_none_or(|v| v.parse::<u64>().ok() == Some(playbook.version()))
}

/// A stage id the playbook does not have, read at `place`, with the likely intended one.
fn unknown_stage(playbook: &Playbook, place: String, stage: &str) -> DealProblem {
    DealProblem::UnknownStage {
        place,
        stage: stage.to_owned(),
        help: suggest::did_you_mean(stage, playbook.stages.iter().map(|s| s.id.as_str())),
    }
}

/// When the deal last entered each stage, by stage index, from its history; adds every problem
/// found in the history to `problems`.
pub(crate) fn entered(
    playbook: &Playbook,
    history: &[HistoryEntry],
    problems: &mut Vec<DealProblem>,
) -> Vec<Option<Timestamp>> {
    let mut entered = vec![None; playbook.stages.len()];
    for (i, entry) in history.iter().enumerate() {
        let at = match crate::support::time::read_time(&entry.at, &playbook.time_zone) {
            Ok(at) => Some(at),
            Err(problem) => {
                problems.push(DealProblem::BadTime {
                    place: format!("history[{i}].at"),
                    problem,
                });
                None
            }
        };
        if let Some(from) = &entry.from {
            if playbook.stage_index(from).is_none() {
                problems.push(unknown_stage(playbook, format!("history[{i}].from"), from));
            }
        }
        // An approval, a request for one, an edit, archiving and unarchiving are no moves: they
        // enter no stage.
        let changes: Vec<&str> = [
            ("approved", entry.approved.is_some()),
            ("approval_requested", entry.approval_requested.is_some()),
            ("edit", entry.edit.is_some()),
            ("archived", entry.archived),
            ("unarchived", entry.unarchived),
        ]
        .into_iter()
        .filter_map(|(key, set)| set.then_some(key))
        .collect();
        if let Some(edit) = &entry.edit {
            if edit.targets() != 1 {
                problems.push(DealProblem::EditTarget(i));
            }
        }
        if changes == ["approved"] && !entry.to.is_empty() {
            problems.push(DealProblem::MoveAndApproval(i));
            continue;
        }
        if changes.len() > 1 || (!changes.is_empty() && !entry.to.is_empty()) {
            let keys: Vec<String> = (!entry.to.is_empty())
                .then(|| "`to`".to_owned())
                .into_iter()
                .chain(changes.iter().map(|key| format!("`{key}`")))
                .collect();
            problems.push(DealProblem::SeveralChanges {
                index: i,
                keys: suggest::list_all(&keys.iter().map(String::as_str).collect::<Vec<_>>()),
            });
            continue;
        }
        if !changes.is_empty() {
            continue;
        }
        if entry.to.is_empty() {
            problems.push(DealProblem::NoStage(i));
            continue;
        }
        match playbook.stage_index(&entry.to) {
            Some(index) => {
                // A migration entry records no move: the deal stayed where it was.
                if at.is_some() && entry.migrated_from.is_none() {
                    entered[index] = at;
                }
            }
            None => problems.push(unknown_stage(
                playbook,
                format!("history[{i}].to"),
                &entry.to,
            )),
        }
    }
    entered
}

/// Checks `deal` against `playbook`, collecting every problem.
pub(crate) fn check<'a>(playbook: &Playbook, deal: &'a Deal) -> Result<CheckedDeal<'a>, DealError> {
    let mut problems = Vec::new();
    if let Some(pin) = &deal.playbook {
        if !pin_fits(playbook, pin) {
            problems.push(DealProblem::WrongPlaybook {
                pin: pin.clone(),
                playbook: playbook.pin(),
            });
        }
    }

    let mut active = Vec::new();
    for stage in &deal.stages {
        match playbook.stage_index(stage) {
            Some(index) if active.contains(&index) => {
                problems.push(DealProblem::DuplicateStage(stage.clone()));
            }
            Some(index) => active.push(index),
            None => problems.push(unknown_stage(playbook, "stages".to_owned(), stage)),
        }
    }
    if deal.stages.is_empty() {
        active.push(0);
    }
    active.sort_unstable();

    let mut values = vec![None; playbook.fields.len()];
    // Both in name order: walk the playbook's fields along with the deal's.
    let mut declared = playbook.fields_by_name().iter().peekable();
    for (name, value) in &deal.fields {
        while declared.next_if(|(id, _)| id < name).is_some() {}
        let index = declared
            .peek()
            .filter(|(id, _)| id == name)
            .map(|&(_, i)| *i);
        match index {
            Some(index) => match playbook.fields[index].check(value, &playbook.time_zone) {
                Ok(checked) => values[index] = checked,
                Err(problem) => problems.push(DealProblem::WrongValue {
                    field: name.clone(),
                    problem,
                }),
            },
            None => problems.push(DealProblem::UndeclaredField {
                field: name.clone(),
                help: suggest::did_you_mean(name, playbook.fields.iter().map(|f| f.id.as_str())),
            }),
        }
    }

    let mut done = vec![false; playbook.activity_count()];
    for (name, completion) in &deal.activities {
        let Some(index) = playbook.activity_index(name) else {
            problems.push(DealProblem::UnknownActivity {
                activity: name.clone(),
                help: suggest::did_you_mean(name, playbook.activity_ids()),
            });
            continue;
        };
        if let Some(at) = completion.at() {
            if let Err(problem) = crate::support::time::read_time(at, &playbook.time_zone) {
                problems.push(DealProblem::BadTime {
                    place: format!("activities.{name}"),
                    problem,
                });
                continue;
            }
        }
        done[index] = completion.is_done();
    }

    if let Some(owner) = &deal.owner {
        if owner.trim().is_empty() || owner.trim() != owner {
            problems.push(DealProblem::BadOwner(owner.clone()));
        }
    }
    for (id, approval) in &deal.approvals {
        let stages: Vec<usize> = playbook
            .approval_gates()
            .filter(|g| g.criterion.id == *id)
            .map(|g| g.stage)
            .collect();
        if !stages.is_empty() && !stages.iter().any(|s| active.contains(s)) {
            let names: Vec<&str> = playbook.stage_ids(&stages).collect();
            problems.push(DealProblem::ApprovalElsewhere {
                criterion: id.clone(),
                stages: suggest::list(&names),
            });
        }
        // A criterion no gate asks an approval for is no approval criterion.
        if stages.is_empty() {
            let help = Some(playbook.approval_help(id));
            problems.push(DealProblem::UnknownApproval {
                criterion: id.clone(),
                help,
            });
        }
        if let Err(problem) = crate::support::time::read_time(&approval.at, &playbook.time_zone) {
            problems.push(DealProblem::BadTime {
                place: format!("approvals.{id}.at"),
                problem,
            });
        }
    }

    for (activity, task) in &deal.tasks {
        if playbook.activity_index(activity).is_none() {
            problems.push(DealProblem::UnknownTask {
                activity: activity.clone(),
                help: suggest::did_you_mean(activity, playbook.activity_ids()),
            });
        }
        if let Err(problem) = crate::support::time::read_time(&task.due, &playbook.time_zone) {
            problems.push(DealProblem::BadTime {
                place: format!("tasks.{activity}.due"),
                problem,
            });
        }
    }

    if let Some(archived) = &deal.archived {
        if let Err(problem) = crate::support::time::read_time(&archived.at, &playbook.time_zone) {
            problems.push(DealProblem::BadTime {
                place: "archived.at".to_owned(),
                problem,
            });
        }
    }
    let entered = entered(playbook, &deal.history, &mut problems);
    if problems.is_empty() {
        Ok(CheckedDeal {
            active,
            values,
            done,
            entered,
        })
    } else {
        Err(DealError::new(deal.label("(no id)"), problems))
    }
}

impl Playbook {
    /// The one gate every deal passes before any figure counts it: whether `deal` fits this
    /// playbook (its pin, stages, declared fields and their values, activities, times), with every
    /// problem found. `evaluate`, `score`, metrics, impact, migration, test cases and imports all
    /// refuse a deal this refuses.
    ///
    /// # Errors
    ///
    /// A [`DealError`] naming the deal and listing each problem.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Deal, Playbook};
    /// let playbook = Playbook::from_yaml(
    ///     "stagegate: 1\nid: t\nversion: 1\nfields: {amount: {type: number}}\nstages: [{id: open}]\n", "t.yaml").unwrap();
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-9", "fields": {"amount": "lots", "colour": "red"}}"#).unwrap();
    /// let refused = playbook.check_deal(&deal).unwrap_err();
    /// assert_eq!(refused.deal, "D-9");
    /// assert_eq!(refused.problems.len(), 2);
    /// ```
    pub fn check_deal(&self, deal: &Deal) -> Result<(), DealError> {
        check(self, deal).map(|_| ())
    }
}
