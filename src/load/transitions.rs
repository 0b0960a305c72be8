//! Declared transitions: sources expanded, stages checked, kinds derived from the main path.

use std::sync::Arc;

use super::builder::Builder;
use super::criteria::Criteria;
use super::raw::{RawFrom, RawTransition};
use crate::deal::MoveKind;
use crate::model::Stage;
use crate::model::Transition;
use crate::support::suggest;

/// Every declared transition, one per source stage, with its derived kind.
pub(super) fn transitions(
    b: &mut Builder<'_>,
    criteria: &mut Criteria<'_>,
    raw: &[RawTransition],
    stages: &[Stage],
    index: &crate::support::ids::IdIndex,
) -> Vec<Transition> {
    // Position on the main path: terminal stages stand off it.
    let mut position = vec![0usize; stages.len()];
    let mut next = 0;
    for (i, stage) in stages.iter().enumerate() {
        position[i] = next;
        if !stage.is_terminal() {
            next += 1;
        }
    }
    let stage_ids = || stages.iter().map(|s| s.id.as_str());
    let mut declared: Vec<(Transition, bool)> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let path = format!("transitions[{i}]");
        let when: Arc<[crate::model::Criterion]> = criteria
            .list(b, &t.when, &format!("{path}.when"), true)
            .into();
        let Some(&to) = index.get(&t.to) else {
            b.error(
                "unknown-stage",
                &format!("{path}.to"),
                format!("`{}` is not a stage of this playbook", t.to),
                suggest::did_you_mean(&t.to, stage_ids()),
            );
            continue;
        };
        if t.fork && stages[to].is_terminal() {
            b.error(
                "fork-to-terminal",
                &format!("{path}.fork"),
                format!("a fork cannot lead to the terminal stage `{}`", t.to),
                None,
            );
        }
        let sources: Vec<(usize, bool)> = match &t.from {
            RawFrom::Every => (0..stages.len())
                .filter(|&s| s != to && stages[s].outcome.is_none())
                .map(|s| (s, true))
                .collect(),
            RawFrom::Stages(ids) => {
                let many = ids.len() > 1;
                let mut found = Vec::new();
                for (k, id) in ids.iter().enumerate() {
                    let at = if many {
                        format!("{path}.from[{k}]")
                    } else {
                        format!("{path}.from")
                    };
                    match index.get(id) {
                        None => b.error(
                            "unknown-stage",
                            &at,
                            format!("`{id}` is not a stage of this playbook"),
                            suggest::did_you_mean(id, stage_ids()),
                        ),
                        Some(&s) if stages[s].is_terminal() => b.error(
                            "terminal-exit",
                            &at,
                            format!(
                                "`{id}` is a terminal stage and cannot have outgoing transitions"
                            ),
                            Some(
                                "lost and churned stages end the deal; remove this source"
                                    .to_owned(),
                            ),
                        ),
                        Some(&s) if s == to => b.error(
                            "self-transition",
                            &at,
                            format!("a transition cannot lead from `{id}` to itself"),
                            None,
                        ),
                        Some(&s) => found.push((s, false)),
                    }
                }
                found
            }
        };
        for (from, from_every) in sources {
            if let Some(existing) = declared
                .iter_mut()
                .find(|(d, _)| d.from_index == from && d.to_index == to)
            {
                if from_every {
                    continue;
                }
                if !existing.1 {
                    b.error(
                        "duplicate-transition",
                        &path,
                        format!(
                            "the transition from `{}` to `{}` is declared twice",
                            stages[from].id, t.to
                        ),
                        None,
                    );
                    continue;
                }
                // An explicit transition replaces the one `"*"` made.
                existing.0.when = when.clone();
                existing.0.fork = t.fork;
                existing.0.by = t.by.clone().unwrap_or_default();
                existing.1 = false;
                continue;
            }
            declared.push((
                Transition {
                    from: stages[from].id.clone(),
                    to: t.to.clone(),
                    kind: kind_of(position[from], position[to], stages[to].is_terminal()),
                    fork: t.fork,
                    by: t.by.clone().unwrap_or_default(),
                    from_index: from,
                    to_index: to,
                    when: when.clone(),
                },
                from_every,
            ));
        }
    }
    declared.into_iter().map(|(t, _)| t).collect()
}

/// The kind of a move from position `from` to position `to` on the main path.
fn kind_of(from: usize, to: usize, to_terminal: bool) -> MoveKind {
    if to_terminal {
        MoveKind::Exit
    } else if to == from + 1 {
        MoveKind::Advance
    } else if to > from {
        MoveKind::Skip
    } else {
        MoveKind::Return
    }
}
