//! Checking what a test case expects against what came out: moves allowed and blocked, scores,
//! stages, notifications.

use crate::engine::{Effect, EffectKind, Evaluation, MoveCheck};
use crate::model::Expect;

/// The roles `notified` names that the move's notifications do not reach.
pub(super) fn missing_notified(effects: &[Effect], roles: &[String]) -> Vec<String> {
    let reached: Vec<&str> = effects
        .iter()
        .filter(|e| e.kind == EffectKind::Notify)
        .flat_map(|e| e.role.as_deref().or(e.assignee.as_deref().map(|_| "owner")))
        .collect();
    roles
        .iter()
        .filter(|role| !reached.contains(&role.as_str()))
        .map(|role| {
            format!(
                "expected the move to notify `{role}`, got {}",
                if reached.is_empty() {
                    "no notification".to_owned()
                } else {
                    format!(
                        "notifications to {}",
                        crate::support::suggest::list_all(&reached)
                    )
                }
            )
        })
        .collect()
}

/// `allowed`, `blocked` and `stages` naming stages the playbook does not have.
pub(super) fn unknown_stages(playbook: &crate::model::Playbook, expect: &Expect) -> Vec<String> {
    let keys = expect.allowed.iter().chain(expect.blocked.keys());
    let mut names: Vec<&str> = keys.flat_map(|key| key.split('>').map(str::trim)).collect();
    names.extend(expect.stages.iter().flatten().map(String::as_str));
    let ids = || playbook.stages().iter().map(|s| s.id.as_str());
    let mut failures = Vec::new();
    for name in names {
        if !ids().any(|id| id == name)
            && !failures
                .iter()
                .any(|f: &String| f.contains(&format!("`{name}`")))
        {
            let hint = crate::support::suggest::did_you_mean(name, ids())
                .map_or(String::new(), |h| format!(" ({h})"));
            failures.push(format!("`{name}` is not a stage of this playbook{hint}"));
        }
    }
    failures
}

pub(super) fn invalid(error: &crate::deal::DealError) -> String {
    let problems: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    format!("the deal is invalid: {}", problems.join("; "))
}

/// The moves an `allowed`/`blocked` key names: `to`, or `from>to`.
fn moves_named<'a>(evaluation: &'a Evaluation, key: &str) -> Vec<&'a MoveCheck> {
    let (from, to) = match key.split_once('>') {
        Some((from, to)) => (Some(from.trim()), to.trim()),
        None => (None, key.trim()),
    };
    evaluation
        .transitions
        .iter()
        .filter(|t| t.to == to && from.is_none_or(|f| t.from == f))
        .collect()
}

pub(super) fn missing_names(check: &MoveCheck, names: &[String], what: &str) -> Vec<String> {
    let found: Vec<&str> = check.blockers.iter().flat_map(|b| b.names()).collect();
    names
        .iter()
        .filter(|name| !found.contains(&name.as_str()))
        .map(|name| {
            format!(
                "expected `{name}` among the reasons {what} is blocked, got {}",
                crate::support::suggest::list_all(&found)
            )
        })
        .collect()
}

pub(super) fn check_expect(expect: &Expect, evaluation: &Evaluation) -> Vec<String> {
    let mut failures = Vec::new();
    for key in &expect.allowed {
        let moves = moves_named(evaluation, key);
        if moves.is_empty() {
            failures.push(format!(
                "expected the move to `{key}` to be allowed, got no declared move there from {}",
                crate::support::suggest::list(&evaluation.stages)
            ));
        } else if !moves.iter().any(|m| m.allowed) {
            let names: Vec<&str> = moves
                .iter()
                .flat_map(|m| m.blockers.iter().flat_map(|b| b.names()))
                .collect();
            failures.push(format!(
                "expected the move to `{key}` to be allowed, got it blocked by {}",
                crate::support::suggest::list_all(&names)
            ));
        }
    }
    for (key, names) in &expect.blocked {
        let moves = moves_named(evaluation, key);
        if moves.iter().any(|m| m.allowed) {
            failures.push(format!(
                "expected the move to `{key}` to be blocked, got it allowed"
            ));
            continue;
        }
        if moves.is_empty() && !names.is_empty() {
            failures.push(format!(
                "expected the move to `{key}` to be blocked by {}, got no declared move there",
                crate::support::suggest::list_all(names)
            ));
            continue;
        }
        for check in moves {
            failures.extend(missing_names(check, names, &format!("the move to `{key}`")));
        }
    }
    for (card, expected) in &expect.scores {
        let Some(score) = evaluation.scores.get(card) else {
            failures.push(format!(
                "expected a score for `{card}`, got no such scorecard"
            ));
            continue;
        };
        if let Some(total) = expected.total {
            if total != score.total {
                failures.push(format!(
                    "expected `{card}` total {total}, got {}",
                    score.total
                ));
            }
        }
        if let Some(band) = &expected.band {
            if Some(band) != score.band.as_ref() {
                let got = score.band.as_deref().unwrap_or("no band");
                failures.push(format!("expected `{card}` band {band}, got {got}"));
            }
        }
    }
    if let Some(stages) = &expect.stages {
        let mut expected: Vec<&str> = stages.iter().map(String::as_str).collect();
        let mut got: Vec<&str> = evaluation.stages.iter().map(String::as_str).collect();
        expected.sort_unstable();
        got.sort_unstable();
        if expected != got {
            failures.push(format!(
                "expected stages {}, got {}",
                crate::support::suggest::list_all(stages),
                crate::support::suggest::list_all(&evaluation.stages)
            ));
        }
    }
    failures
}
