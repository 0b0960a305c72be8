//! Which activities some gate needs, and a warning for those none does.

use super::builder::Builder;
use crate::model::Scorecard;
use crate::model::Stage;
use crate::model::Transition;
use crate::model::{Criterion, Test};

/// Marks the activities a criterion needs (through `activities:` or `done(...)`).
fn mark_used(criterion: &Criterion, used: &mut [bool]) {
    match &criterion.test {
        Test::Activities(list) => list.iter().for_each(|&a| used[a] = true),
        Test::When(script) => script.activities.iter().for_each(|&a| used[a] = true),
        Test::All(parts) | Test::Any(parts) => parts.iter().for_each(|p| mark_used(p, used)),
        Test::Not(inner) => mark_used(inner, used),
        _ => {}
    }
}

/// Warns about activities no gate needs: not required, in no `activities:` criterion and no
/// `done(...)` call, unless written `required: false` on purpose.
pub(super) fn unused_activities(
    b: &mut Builder<'_>,
    raw: &[super::raw::RawStage],
    stages: &[Stage],
    activities: &[(usize, usize)],
    cards: &[Scorecard],
    transitions: &[Transition],
) {
    let mut used = vec![false; activities.len()];
    for stage in stages {
        stage
            .entry
            .iter()
            .chain(&stage.exit)
            .for_each(|c| mark_used(c, &mut used));
    }
    for transition in transitions {
        transition.when.iter().for_each(|c| mark_used(c, &mut used));
    }
    for rule in cards.iter().flat_map(|card| &card.rules) {
        rule.when.activities.iter().for_each(|&a| used[a] = true);
    }
    for (i, &(stage, position)) in activities.iter().enumerate() {
        let declared = &raw[stage].activities[position];
        if used[i] || declared.required.is_some() {
            continue;
        }
        b.warning(
            "unused-activity",
            &format!("stages[{stage}].activities[{position}].id"),
            format!("activity `{}` is never required anywhere", declared.id),
            Some("mark it `required: true`, name it in a gate (`activities:` or `done(...)`), or write `required: false` if it is optional on purpose".to_owned()),
        );
    }
}
