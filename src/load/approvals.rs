//! Approval criteria (`approval: { role }`) as written: where they may stand, what they may test,
//! and the roles they name.

use super::builder::Builder;
use super::raw::{CriterionMap, RawCriterion, RawStage, RawTransition};

/// Checks an approval criterion at `path`: it has an id (deals record approvals by it), tests
/// nothing but `when` (when the approval is needed), and stands at the top of a stage's exit gate
/// or of a transition (`allowed`), where leaving the stage clears it.
pub(super) fn check(
    b: &mut Builder<'_>,
    map: &CriterionMap,
    present: &[&str],
    path: &str,
    allowed: bool,
) {
    if !allowed {
        b.error(
            "approval",
            &format!("{path}.approval"),
            "an approval belongs to the gate of the stage the deal is in: a stage's `exit:` or a transition's `when:`, not an entry gate nor inside `all`, `any` or `not`".to_owned(),
            Some("put it in the exit gate of the stage before, or on the transition; give it a `when:` to need it only sometimes".to_owned()),
        );
    }
    if map.id.is_none() {
        b.error(
            "approval",
            &format!("{path}.approval"),
            "an approval criterion needs an `id`: deals record their approvals by it".to_owned(),
            Some("add `id: discount_approved` (any id unique in the playbook)".to_owned()),
        );
    }
    if let Some(other) = present.iter().find(|test| **test != "when") {
        b.error(
            "approval",
            &format!("{path}.{other}"),
            format!("an approval criterion tests only `when` (when the approval is needed), not `{other}`"),
            Some("make it a criterion of its own next to the approval".to_owned()),
        );
    }
}

/// Every approval's role as written, with its path: at the top of stages' exit gates and of
/// transitions (approvals anywhere else are errors of their own).
pub(super) fn roles(stages: &[RawStage], transitions: &[RawTransition]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut add = |criteria: &[RawCriterion], path: String| {
        for (i, criterion) in criteria.iter().enumerate() {
            if let Some(approval) = &criterion.test.approval {
                found.push((format!("{path}[{i}].approval.role"), approval.role.clone()));
            }
        }
    };
    for (s, stage) in stages.iter().enumerate() {
        add(&stage.exit, format!("stages[{s}].exit"));
    }
    for (t, transition) in transitions.iter().enumerate() {
        add(&transition.when, format!("transitions[{t}].when"));
    }
    found
}
