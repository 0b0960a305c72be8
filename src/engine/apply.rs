//! Making a move: checking it on the deal's one evaluation, then writing the new stages and one
//! history entry.

use jiff::Timestamp;

use super::effect::Applied;
use super::error::MoveError;
use super::evaluate::Evaluator;
use super::evaluation::{MoveCheck, Reason};
use super::Move;
use crate::deal::{Deal, HistoryEntry};
use crate::model::{Playbook, Transition};
use crate::support::{messages, suggest};

/// Applies `wanted` to `deal`, on the deal's evaluator at the move's time (the deal fitted once,
/// the mover set): the moved deal and its effects. Only the moves to the target are checked.
pub(crate) fn apply(
    evaluator: &mut Evaluator<'_>,
    deal: &Deal,
    wanted: &Move,
    at: Timestamp,
) -> Result<Applied, MoveError> {
    let (playbook, lang) = (evaluator.playbook, evaluator.lang());
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
    let Some(to) = playbook.stage_index(&wanted.to) else {
        return Err(MoveError::UnknownStage {
            stage: wanted.to.clone(),
            help: suggest::did_you_mean(&wanted.to, playbook.stages.iter().map(|s| s.id.as_str())),
        });
    };
    let active = evaluator.facts.active.clone();
    let listed = || suggest::list(&playbook.stage_ids(&active).collect::<Vec<_>>());
    let from = match &wanted.from {
        Some(name) => match playbook.stage_index(name).filter(|s| active.contains(s)) {
            Some(index) => Some(index),
            None => {
                return Err(MoveError::NotActive {
                    stage: name.clone(),
                    active: listed(),
                })
            }
        },
        None => None,
    };
    let sources: Vec<usize> = from.map_or_else(|| active.clone(), |from| vec![from]);
    let candidates: Vec<&Transition> = playbook
        .transitions
        .iter()
        .filter(|t| t.to_index == to && sources.contains(&t.from_index))
        .collect();
    let transition = match candidates.as_slice() {
        [] => return Err(not_declared(playbook, lang, &sources, to)),
        [one] => *one,
        many => {
            let sources: Vec<&str> = many.iter().map(|t| t.from.as_str()).collect();
            return Err(MoveError::Ambiguous {
                to: wanted.to.clone(),
                candidates: suggest::list(&sources),
            });
        }
    };
    // Rules may read scores: every scorecard first, then this one move.
    evaluator.score_all();
    let check = evaluator.check_move(transition);
    let forced = !check.allowed;
    if forced && force.is_some() {
        if let (Some(roles), Some(actor)) = (&playbook.permissions.force, &wanted.by) {
            if !actor.holds_any(roles, deal.owner.as_deref()) {
                return Err(MoveError::Forbidden {
                    message: crate::support::messages::forbidden(
                        lang,
                        &super::actor::titles(playbook, roles, lang),
                        true,
                    ),
                    check: Box::new(check),
                });
            }
        }
    }
    if forced && force.is_some() {
        let approvals = unforceable(playbook, &check, lang);
        if !approvals.is_empty() {
            return Err(MoveError::ApprovalNotForceable {
                message: crate::support::change_messages::not_forceable(lang, &approvals),
                approvals: approvals.into_iter().map(|(id, _)| id).collect(),
                check: Box::new(check),
            });
        }
    }
    let reason = match (forced, force) {
        (false, _) => None,
        (true, Some(reason)) => Some(reason),
        (true, None) => {
            return Err(MoveError::Blocked {
                check: Box::new(check),
            })
        }
    };
    let mut stages = active.clone();
    if !transition.fork {
        stages.retain(|&s| s != transition.from_index);
    }
    if !stages.contains(&transition.to_index) {
        stages.push(transition.to_index);
    }
    stages.sort_unstable();
    let mut moved = deal.clone();
    moved.stages = playbook.stage_ids(&stages).map(str::to_owned).collect();
    // Leaving a stage clears the approvals its gates asked for (a fork does not leave it); the
    // history keeps them. Only approvals asked for in a stage the deal is in remain.
    moved.approvals.retain(|id, _| {
        playbook
            .approval_gates()
            .any(|g| g.criterion.id == *id && stages.contains(&g.stage))
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
        from: Some(check.from),
        to: check.to,
        kind: Some(check.kind),
        fork: check.fork,
        forced,
        reason,
        overridden,
        migrated_from: None,
        approved: None,
        imported: false,
        imported_by: None,
        edit: None,
        archived: false,
        unarchived: false,
        approval_requested: None,
        note: None,
    });
    let effects = super::effects::fire(evaluator, deal, &mut moved, transition, stages, forced);
    Ok(Applied {
        deal: moved,
        effects,
    })
}

/// The missing approvals among `check`'s blockers that a force may not go past (not
/// `forceable: true`), each with the title of the role that gives it.
fn unforceable(playbook: &Playbook, check: &MoveCheck, lang: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for blocker in check
        .blockers
        .iter()
        .filter(|b| b.reason == Reason::ApprovalMissing)
    {
        let Some(id) = blocker.criterion.as_deref() else {
            continue;
        };
        let gate = playbook.approval_gates().find(|g| g.criterion.id == id);
        if let Some(gate) = gate.filter(|g| !g.forceable) {
            if !found.iter().any(|(f, _)| f == id) {
                let role = super::actor::titles(playbook, &[gate.role.to_owned()], lang).concat();
                found.push((id.to_owned(), role));
            }
        }
    }
    found
}

/// The time of the deal's latest history entry (the deal has passed the gate: its times read).
pub(super) fn last_entry(playbook: &Playbook, deal: &Deal) -> Option<Timestamp> {
    deal.history
        .iter()
        .filter_map(|entry| playbook.read_time(&entry.at).ok())
        .max()
}

/// The refusal of a move to `to` that no transition out of `sources` (stages by index)
/// declares, in plain words with the stages' titles in `lang`.
fn not_declared(playbook: &Playbook, lang: &str, sources: &[usize], to: usize) -> MoveError {
    let default = playbook.default_language();
    let title = |stage: usize| playbook.stages[stage].title_in(lang, default).to_owned();
    let ways: Vec<(String, Vec<String>)> = sources
        .iter()
        .map(|&from| {
            let targets = playbook
                .transitions
                .iter()
                .filter(|t| t.from_index == from)
                .map(|t| title(t.to_index))
                .collect();
            (title(from), targets)
        })
        .collect();
    let from: Vec<String> = sources.iter().map(|&s| title(s)).collect();
    let moves = messages::ways_out(lang, &ways);
    let message = messages::no_way(lang, &from, &title(to), sources.contains(&to), &moves);
    MoveError::NotDeclared {
        from: messages::one_of(lang, &from),
        to: playbook.stages[to].id.clone(),
        moves,
        message,
    }
}
