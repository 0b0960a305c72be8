//! What a rep should do next in each active stage: the stage's guidance, its key fields still
//! empty, its activities not done (with their due times), the approvals still missing; and the
//! `overdue` warnings of open tasks.

use super::evaluate::Evaluator;
use super::evaluation::{MoveCheck, Reason, Warning};
use super::steps::{NextSteps, StepActivity, StepApproval};

impl Evaluator<'_> {
    /// The next steps of every active stage, given the evaluated moves (one for each transition
    /// that [leaves an active stage](Evaluator::leaves_active), in playbook order).
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
                (task.stage == stage.id)
                    .then(|| playbook.activity_index(id))
                    .flatten()
            });
            let indices = required
                .filter_map(|a| playbook.activity_index(&a.id))
                .chain(opened);
            for activity in indices {
                let id = &playbook.activity(activity).id;
                if self.facts.done[activity] || activities.iter().any(|a| a.activity == *id) {
                    continue;
                }
                let due = self
                    .tasks
                    .and_then(|tasks| tasks.get(id))
                    .map(|t| t.due.clone());
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
            let blockers = playbook
                .transitions
                .iter()
                .filter(|transition| self.leaves_active(transition))
                .zip(moves)
                .filter(|(transition, _)| transition.from_index == index)
                .flat_map(|(_, check)| &check.blockers)
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
            let playbook = self.playbook;
            let title = playbook
                .activity_index(id)
                .map_or_else(|| id.clone(), |a| self.activity_title(a));
            let due = playbook.read_time(&task.due).map_or_else(
                |_| task.due.clone(),
                |when| crate::support::time::show_time(when, &playbook.time_zone),
            );
            let message = crate::support::messages::overdue(self.lang, &title, days, &due);
            let mut warning = Warning::new("overdue", task.stage.clone(), days, message);
            warning.activity = Some(id.clone());
            warning.due = Some(task.due.clone());
            warnings.push(warning);
        }
        warnings.sort_by_key(|w| std::cmp::Reverse(w.days));
        warnings
    }

    /// Days `due` is past the evaluation time, a part day counting as one; `None` when not due.
    fn overdue_days(&self, due: &str) -> Option<i64> {
        let due = self.playbook.read_time(due).ok()?;
        crate::support::time::days_late(due, self.at)
    }
}
