//! What a rep should do next in each active stage: the stage's guidance, its key fields still
//! empty, its activities not done (with their due times), the approvals still missing; and the
//! `overdue` warnings of open tasks.

use serde::Serialize;

use super::evaluate::Evaluator;
use super::evaluation::{MoveCheck, Reason, Warning};

/// What to do next in one active stage.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"stage": "qualification", "fields": {"budget": 80000}}"#).unwrap();
/// let evaluation = Engine::new(playbook).with_language("en").evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap()).unwrap();
/// let next = &evaluation.next_steps[0];
/// assert_eq!(next.stage, "qualification");
/// assert!(next.key_fields.contains(&"decision_maker".to_owned()));
/// assert!(!next.key_fields.contains(&"budget".to_owned()), "budget is filled");
/// assert!(next.activities.iter().any(|a| a.activity == "discovery_call"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NextSteps {
    /// The active stage.
    pub stage: String,
    /// The stage's guidance, in the engine's language. (A stage with no guidance and nothing to
    /// do has no `NextSteps`.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// Its key fields the deal has not filled, in the playbook's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_fields: Vec<String>,
    /// Its required activities not done, then the tasks it opened not done; overdue first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<StepActivity>,
    /// Approvals its moves still need.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<StepApproval>,
}

/// An activity still to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StepActivity {
    /// The activity's id.
    pub activity: String,
    /// Its title, in the engine's language.
    pub title: String,
    /// When a task set a due time: when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Days past due (a part day counts as one), when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
}

/// An approval still missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StepApproval {
    /// The approval criterion.
    pub criterion: String,
    /// Who may approve.
    pub roles: Vec<String>,
    /// Why it is missing, in the engine's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Evaluator<'_> {
    /// The next steps of every active stage, given its evaluated moves.
    pub(super) fn next_steps(&self, moves: &[MoveCheck]) -> Vec<NextSteps> {
        let playbook = self.playbook;
        let lang = self.lang;
        let mut all = Vec::new();
        for &index in &self.facts.active {
            let stage = &playbook.stages[index];
            let key_fields = stage
                .key_fields
                .iter()
                .filter(|id| {
                    playbook
                        .field_index(id)
                        .is_some_and(|f| self.facts.values[f].is_none())
                })
                .cloned()
                .collect();
            let mut activities: Vec<StepActivity> = Vec::new();
            let required = stage.activities.iter().filter(|a| a.required);
            let opened = self.tasks.into_iter().flatten().filter_map(|(id, task)| {
                (task.stage == stage.id).then(|| playbook.activity_index(id)).flatten()
            });
            let indices = required
                .filter_map(|a| playbook.activity_index(&a.id))
                .chain(opened);
            for activity in indices {
                let id = &playbook.activity(activity).id;
                if self.facts.done[activity] || activities.iter().any(|a| a.activity == *id) {
                    continue;
                }
                let due = self.tasks.and_then(|tasks| tasks.get(id)).map(|t| t.due.clone());
                let overdue_days = due.as_deref().and_then(|due| self.overdue_days(due));
                activities.push(StepActivity {
                    activity: id.clone(),
                    title: self.activity_title(activity),
                    due,
                    overdue_days,
                });
            }
            // Overdue first, the most overdue at the top; the rest keep the playbook's order.
            activities.sort_by_key(|a| std::cmp::Reverse(a.overdue_days));
            let mut approvals: Vec<StepApproval> = Vec::new();
            let blockers = moves
                .iter()
                .filter(|m| m.from == stage.id)
                .flat_map(|m| &m.blockers)
                .filter(|b| b.reason == Reason::ApprovalMissing);
            for blocker in blockers {
                let Some(criterion) = &blocker.criterion else {
                    continue;
                };
                if approvals.iter().all(|a| a.criterion != *criterion) {
                    approvals.push(StepApproval {
                        criterion: criterion.clone(),
                        roles: blocker.roles.clone(),
                        message: blocker.message.clone(),
                    });
                }
            }
            let steps = NextSteps {
                stage: stage.id.clone(),
                guidance: stage
                    .guidance
                    .as_ref()
                    .map(|g| g.get(lang, playbook.default_language()).to_owned()),
                key_fields,
                activities,
                approvals,
            };
            // A stage with nothing to say is left out.
            let empty = steps.guidance.is_none()
                && steps.key_fields.is_empty()
                && steps.activities.is_empty()
                && steps.approvals.is_empty();
            if !empty {
                all.push(steps);
            }
        }
        all
    }

    /// An `overdue` warning for every open task past due, the most overdue first.
    pub(super) fn overdue(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (id, task) in self.tasks.into_iter().flatten() {
            let done = self
                .playbook
                .activity_index(id)
                .is_some_and(|a| self.facts.done[a]);
            let Some(days) = self.overdue_days(&task.due).filter(|_| !done) else {
                continue;
            };
            warnings.push(Warning {
                kind: "overdue",
                stage: task.stage.clone(),
                days,
                max_days: 0,
                activity: Some(id.clone()),
                due: Some(task.due.clone()),
            });
        }
        warnings.sort_by_key(|w| std::cmp::Reverse(w.days));
        warnings
    }

    /// Days `due` is past the evaluation time, a part day counting as one; `None` when not due.
    fn overdue_days(&self, due: &str) -> Option<i64> {
        let due = self.playbook.read_time(due).ok()?;
        let late = self.at.as_second() - due.as_second();
        (late > 0).then(|| (late + 86_399) / 86_400)
    }
}
