//! Working out a move's effects: `on_exit` of the stage left, then `on_enter` of the stage
//! entered; tasks recorded on the deal, notifications guarded by their rules.

use jiff::Timestamp;

use super::effect::{Effect, EffectKind, Trigger};
use super::evaluate::Evaluator;
use super::evaluation::Gate;
use super::MoveCheck;
use crate::deal::{Deal, Task};
use crate::model::{EffectRule, Playbook, OWNER};

/// The effects of `check` made on `before` (giving `moved`, whose open tasks this updates):
/// tasks whose activity is done are closed; the stage left and the stage entered (when it was
/// not already active) fire their effects, in that order.
pub(super) fn fire(
    playbook: &Playbook,
    before: &Deal,
    moved: &mut Deal,
    check: &MoveCheck,
    forced: bool,
    at: Timestamp,
    lang: &str,
) -> Vec<Effect> {
    let done = |activity: &str| before.has_done(activity);
    moved.tasks.retain(|activity, _| !done(activity));
    let mut fired = Vec::new();
    let was_active = |stage: &str| {
        before.stages.iter().any(|s| s == stage)
            || (before.stages.is_empty() && playbook.stages.first().is_some_and(|s| s.id == stage))
    };
    let mut order: Vec<(usize, Trigger)> = Vec::new();
    if !check.fork {
        order.extend(
            playbook
                .stage_index(&check.from)
                .map(|s| (s, Trigger::Exit)),
        );
    }
    if !was_active(&check.to) {
        order.extend(playbook.stage_index(&check.to).map(|s| (s, Trigger::Enter)));
    }
    let snapshot = moved.clone();
    let mut rules: Option<Evaluator<'_>> = None;
    for (stage, on) in order {
        let declared = &playbook.stages[stage];
        let list = match on {
            Trigger::Exit => &declared.on_exit,
            Trigger::Enter => &declared.on_enter,
        };
        for rule in list {
            let mut effect = Effect {
                kind: EffectKind::Task,
                on,
                stage: declared.id.clone(),
                deal: before.id.clone(),
                activity: None,
                due: None,
                assignee: None,
                role: None,
                message: None,
                forced,
            };
            match rule {
                EffectRule::Task {
                    activity,
                    due_days,
                    assignee,
                } => {
                    let id = &playbook.activity(*activity).id;
                    if done(id) {
                        continue;
                    }
                    let Some(due) =
                        crate::support::time::days_after(at, *due_days, &playbook.time_zone)
                    else {
                        continue;
                    };
                    let due = crate::support::time::format_time(due);
                    let (person, role) = assign(assignee, before.owner.as_deref());
                    moved.tasks.insert(
                        id.clone(),
                        Task::new(
                            declared.id.clone(),
                            due.clone(),
                            person.clone(),
                            role.clone(),
                        ),
                    );
                    effect.activity = Some(id.clone());
                    effect.due = Some(due);
                    effect.assignee = person;
                    effect.role = role;
                    let title = playbook
                        .activity(*activity)
                        .title_in(lang, playbook.default_language());
                    effect.message = Some(title.to_owned());
                }
                EffectRule::Notify {
                    role,
                    when,
                    message,
                } => {
                    if let Some(script) = when {
                        let evaluator = match &mut rules {
                            Some(evaluator) => evaluator,
                            None => match Evaluator::new(playbook, &snapshot, at, lang) {
                                Ok(evaluator) => rules.insert(evaluator),
                                Err(_) => continue,
                            },
                        };
                        // Only a rule that holds sends it: a missing fact does not.
                        if evaluator.run_when(script, Gate::When).is_some() {
                            continue;
                        }
                    }
                    effect.kind = EffectKind::Notify;
                    let (person, role) = assign(role, before.owner.as_deref());
                    effect.assignee = person;
                    effect.role = role;
                    effect.message =
                        Some(message.get(lang, playbook.default_language()).to_owned());
                }
            }
            fired.push(effect);
        }
    }
    fired
}

/// `owner` is the deal's owner when it has one; any other role stays a role.
fn assign(role: &str, owner: Option<&str>) -> (Option<String>, Option<String>) {
    match owner {
        Some(owner) if role == OWNER => (Some(owner.to_owned()), None),
        _ => (None, Some(role.to_owned())),
    }
}
