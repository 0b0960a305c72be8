//! Working out a move's effects: `on_exit` of the stage left, then `on_enter` of the stage
//! entered; tasks recorded on the deal, notifications guarded by their rules.

use super::effect::{Effect, EffectKind, Trigger};
use super::evaluate::Evaluator;
use super::evaluation::Gate;
use crate::deal::{Deal, Task};
use crate::model::{EffectRule, Transition, OWNER};

/// The effects of `transition` made on `before` (giving `moved`, in the stages `stages` by index,
/// whose open tasks this updates), on the evaluator that checked the move: tasks whose activity
/// is done are closed; the stage left and the stage entered (when it was not already active) fire
/// their effects, in that order. A `notify`'s `when` reads the moved deal.
pub(super) fn fire(
    evaluator: &mut Evaluator<'_>,
    before: &Deal,
    moved: &mut Deal,
    transition: &Transition,
    stages: Vec<usize>,
    forced: bool,
) -> Vec<Effect> {
    let (playbook, lang, at) = (evaluator.playbook, evaluator.lang(), evaluator.at);
    let done = |activity: &str| before.has_done(activity);
    moved.tasks.retain(|activity, _| !done(activity));
    let mut fired = Vec::new();
    let mut order: Vec<(usize, Trigger)> = Vec::new();
    if !transition.fork {
        order.push((transition.from_index, Trigger::Exit));
    }
    if !evaluator.facts.active.contains(&transition.to_index) {
        order.push((transition.to_index, Trigger::Enter));
    }
    // The evaluator reads the moved deal from the first rule on.
    let mut stages = Some(stages);
    for (stage, on) in order {
        let declared = &playbook.stages[stage];
        // `order` holds only leaving and entering (a request fires no stage's effects).
        let list = if on == Trigger::Exit {
            &declared.on_exit
        } else {
            &declared.on_enter
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
                criterion: None,
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
                        if let Some(stages) = stages.take() {
                            evaluator.moved(stages, transition.to_index, at);
                        }
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
