//! Making a move: checking it, then writing the new stages and one history entry.

use jiff::Timestamp;

use super::effect::Applied;
use super::error::MoveError;
use super::evaluation::Evaluation;
use super::Move;
use crate::deal::{Deal, HistoryEntry};
use crate::model::Playbook;
use crate::support::suggest;

/// Applies `wanted` to `deal`, given the deal's evaluation at the same time: the moved deal and
/// its effects.
pub(crate) fn apply(
    playbook: &Playbook,
    deal: &Deal,
    evaluation: &Evaluation,
    wanted: &Move,
    at: Timestamp,
    lang: &str,
) -> Result<Applied, MoveError> {
    let force = match &wanted.force {
        Some(reason) if reason.trim().is_empty() => return Err(MoveError::MissingReason),
        Some(reason) => Some(reason.trim().to_owned()),
        None => None,
    };
    if let Some(last) = last_entry(playbook, deal).filter(|last| at < *last) {
        return Err(MoveError::BeforeHistory {
            at: crate::support::time::format_time(at),
            last: crate::support::time::format_time(last),
        });
    }
    if playbook.stage_index(&wanted.to).is_none() {
        return Err(MoveError::UnknownStage {
            stage: wanted.to.clone(),
            help: suggest::did_you_mean(&wanted.to, playbook.stages.iter().map(|s| s.id.as_str())),
        });
    }
    let active = suggest::list(&evaluation.stages);
    if let Some(from) = &wanted.from {
        if !evaluation.stages.contains(from) {
            return Err(MoveError::NotActive {
                stage: from.clone(),
                active,
            });
        }
    }
    let candidates: Vec<_> = evaluation
        .moves_to(&wanted.to)
        .filter(|check| wanted.from.as_ref().is_none_or(|from| *from == check.from))
        .collect();
    let check = match candidates.as_slice() {
        [] => {
            let sources: Vec<&str> = match &wanted.from {
                Some(from) => vec![from.as_str()],
                None => evaluation.stages.iter().map(String::as_str).collect(),
            };
            return Err(MoveError::NotDeclared {
                from: wanted.from.as_ref().map_or(active, |f| format!("`{f}`")),
                to: wanted.to.clone(),
                moves: declared_moves(evaluation, &sources),
            });
        }
        [one] => *one,
        many => {
            let sources: Vec<&str> = many.iter().map(|c| c.from.as_str()).collect();
            return Err(MoveError::Ambiguous {
                to: wanted.to.clone(),
                candidates: suggest::list(&sources),
            });
        }
    };
    let forced = !check.allowed;
    if forced && force.is_some() {
        if let (Some(roles), Some(actor)) = (&playbook.permissions.force, &wanted.by) {
            if !actor.holds_any(roles, deal.owner.as_deref()) {
                return Err(MoveError::Forbidden {
                    check: Box::new(check.clone()),
                    message: crate::support::messages::forbidden(
                        lang,
                        &super::actor::titles(playbook, roles, lang),
                        true,
                    ),
                });
            }
        }
    }
    let reason = match (forced, force) {
        (false, _) => None,
        (true, Some(reason)) => Some(reason),
        (true, None) => {
            return Err(MoveError::Blocked {
                check: Box::new(check.clone()),
            })
        }
    };
    let mut stages = evaluation.stages.clone();
    if !check.fork {
        stages.retain(|s| *s != check.from);
    }
    if !stages.contains(&check.to) {
        stages.push(check.to.clone());
    }
    stages.sort_by_key(|s| playbook.stage_index(s));
    let mut moved = deal.clone();
    moved.stages = stages;
    // Leaving a stage clears the approvals its gates asked for (a fork does not leave it); the
    // history keeps them. Only approvals asked for in a stage the deal is in remain.
    moved.approvals.retain(|id, _| {
        playbook.approval_gates().any(|g| {
            g.criterion.id == *id
                && moved
                    .stages
                    .iter()
                    .any(|s| playbook.stage_index(s) == Some(g.stage))
        })
    });
    let mut overridden: Vec<String> = Vec::new();
    if forced {
        for name in check.blockers.iter().flat_map(|b| b.names()) {
            if !overridden.iter().any(|o| o == name) {
                overridden.push(name.to_owned());
            }
        }
    }
    moved.history.push(HistoryEntry {
        by: wanted.by.as_ref().map(|actor| actor.id.clone()),
        at: crate::support::time::format_time(at),
        from: Some(check.from.clone()),
        to: check.to.clone(),
        kind: Some(check.kind),
        fork: check.fork,
        forced,
        reason,
        overridden,
        migrated_from: None,
        approved: None,
    });
    let effects = super::effects::fire(playbook, deal, &mut moved, check, forced, at, lang);
    Ok(Applied {
        deal: moved,
        effects,
    })
}

/// The time of the deal's latest history entry (the deal has passed the gate: its times read).
pub(super) fn last_entry(playbook: &Playbook, deal: &Deal) -> Option<Timestamp> {
    deal.history
        .iter()
        .filter_map(|entry| playbook.read_time(&entry.at).ok())
        .max()
}

/// The moves declared out of `sources`, worded for a person: "the moves from `qualify` are to
/// `propose` (advance) or `lost` (exit)"; with several sources, each move names its own.
fn declared_moves(evaluation: &Evaluation, sources: &[&str]) -> String {
    let several = sources.len() > 1;
    let moves: Vec<String> = evaluation
        .transitions
        .iter()
        .filter(|t| sources.contains(&t.from.as_str()))
        .map(|t| {
            if several {
                format!("`{}` to `{}` ({})", t.from, t.to, t.kind.as_str())
            } else {
                format!("`{}` ({})", t.to, t.kind.as_str())
            }
        })
        .collect();
    let from = suggest::list_all(sources);
    match (moves.split_last(), several) {
        (None, _) => format!("no move is declared from {from}"),
        (Some((last, [])), false) => format!("the one move from {from} is to {last}"),
        (Some((last, rest)), false) => {
            format!("the moves from {from} are to {} or {last}", rest.join(", "))
        }
        (Some((last, [])), true) => format!("the one move from {from} is {last}"),
        (Some((last, rest)), true) => {
            format!("the moves from {from} are {} or {last}", rest.join(", "))
        }
    }
}
