//! What a test run exercised: stages entered, transitions evaluated, criteria seen both ways.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::Evaluation;
use crate::model::Playbook;
use crate::model::{Criterion, Test};

/// The parts of a playbook a test run did not exercise.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Coverage {
    /// Stages no case's deal was in.
    pub stages_never_entered: Vec<String>,
    /// Transitions (`from>to`) no case evaluated.
    pub transitions_never_evaluated: Vec<String>,
    /// Criteria and scorecard rules (`card.rule`) that did not come out both true and false.
    pub criteria_not_both_ways: Vec<CriterionCoverage>,
}

impl Coverage {
    /// `true` when everything was exercised.
    pub fn is_complete(&self) -> bool {
        self.stages_never_entered.is_empty()
            && self.transitions_never_evaluated.is_empty()
            && self.criteria_not_both_ways.is_empty()
    }
}

/// How a criterion or rule came out across a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CriterionCoverage {
    /// The criterion id (or derived name), or `card.rule` for a scorecard rule.
    pub id: String,
    /// Seen holding (matching) at least once.
    pub seen_true: bool,
    /// Seen not holding at least once.
    pub seen_false: bool,
}

/// Collects what evaluations exercised.
pub(super) struct Tracker {
    stages: Vec<(String, bool)>,
    transitions: Vec<(String, String, bool)>,
    criteria: BTreeMap<String, (bool, bool)>,
    order: Vec<String>,
}

fn collect(criterion: &Criterion, ids: &mut Vec<String>) {
    if !ids.contains(&criterion.id) {
        ids.push(criterion.id.clone());
    }
    match &criterion.test {
        Test::All(parts) | Test::Any(parts) => parts.iter().for_each(|p| collect(p, ids)),
        Test::Not(inner) => collect(inner, ids),
        _ => {}
    }
}

impl Tracker {
    pub(super) fn new(playbook: &Playbook) -> Tracker {
        let mut order = Vec::new();
        for card in &playbook.cards {
            for rule in &card.rules {
                order.push(format!("{}.{}", card.id, rule.id));
            }
        }
        for stage in &playbook.stages {
            stage
                .entry
                .iter()
                .chain(&stage.exit)
                .for_each(|c| collect(c, &mut order));
        }
        for transition in &playbook.transitions {
            transition.when.iter().for_each(|c| collect(c, &mut order));
        }
        Tracker {
            stages: playbook
                .stages
                .iter()
                .map(|s| (s.id.clone(), false))
                .collect(),
            transitions: playbook
                .transitions
                .iter()
                .map(|t| (t.from.clone(), t.to.clone(), false))
                .collect(),
            criteria: order
                .iter()
                .map(|id| (id.clone(), (false, false)))
                .collect(),
            order,
        }
    }

    pub(super) fn add(&mut self, evaluation: &Evaluation, trace: &[(String, bool)]) {
        for (id, entered) in &mut self.stages {
            if evaluation.stages.contains(id) {
                *entered = true;
            }
        }
        for check in &evaluation.transitions {
            for (from, to, seen) in &mut self.transitions {
                if *from == check.from && *to == check.to {
                    *seen = true;
                }
            }
        }
        for (id, held) in trace {
            if let Some((seen_true, seen_false)) = self.criteria.get_mut(id) {
                if *held {
                    *seen_true = true;
                } else {
                    *seen_false = true;
                }
            }
        }
    }

    pub(super) fn finish(self) -> Coverage {
        Coverage {
            stages_never_entered: self
                .stages
                .into_iter()
                .filter(|(_, entered)| !entered)
                .map(|(id, _)| id)
                .collect(),
            transitions_never_evaluated: self
                .transitions
                .into_iter()
                .filter(|(_, _, seen)| !seen)
                .map(|(from, to, _)| format!("{from}>{to}"))
                .collect(),
            criteria_not_both_ways: self
                .order
                .iter()
                .filter_map(|id| {
                    let (seen_true, seen_false) = self.criteria.get(id).copied()?;
                    (!(seen_true && seen_false)).then(|| CriterionCoverage {
                        id: id.clone(),
                        seen_true,
                        seen_false,
                    })
                })
                .collect(),
        }
    }
}
