//! One deal's journey, replayed from its history: stages entered and left forward, visits and
//! their lengths, when it was won or lost, and what is inconsistent in it.

use jiff::Timestamp;

use crate::deal::Deal;
use crate::fit::history::{self, Step};
use crate::model::Outcome;
use crate::model::Playbook;
use crate::support::time::days_between;

/// What a deal's history says.
#[derive(Debug, Default)]
pub(crate) struct Journey {
    /// By stage: ever entered.
    pub entered: Vec<bool>,
    /// By stage: ever left forward (advance or skip).
    pub converted: Vec<bool>,
    /// Visits that ended: (stage, whole days).
    pub visits: Vec<(usize, i64)>,
    /// The first history entry.
    pub started: Option<Timestamp>,
    /// Entered a won stage (its history says when, or it is in one now).
    pub won: bool,
    /// Entered a lost stage before any won one.
    pub lost: bool,
    /// First entry into a won stage, when the history says.
    pub won_at: Option<Timestamp>,
    /// First entry into a lost stage, before any won one, when the history says.
    pub lost_at: Option<Timestamp>,
    /// Entered a churned stage.
    pub churned: bool,
    /// The active stages now, with when each was entered (if the history says).
    pub active: Vec<(usize, Option<Timestamp>)>,
    /// The deal's last activity (see [`history::last_activity`]), for stages whose `max_days`
    /// counts from it.
    pub last_activity: Option<Timestamp>,
}

/// Replays `deal`; `Err` says what is inconsistent in it: a move step the playbook does not
/// allow (the check evaluations make, [`history::step`]) among others.
pub(crate) fn replay(playbook: &Playbook, deal: &Deal) -> Result<Journey, String> {
    let stages = playbook.stages.len();
    let mut journey = Journey {
        entered: vec![false; stages],
        converted: vec![false; stages],
        ..Journey::default()
    };
    let stage_of = |id: &str| {
        playbook
            .stage_index(id)
            .ok_or_else(|| format!("unknown stage `{id}`"))
    };
    let mut since: Vec<Option<Timestamp>> = vec![None; stages];
    let mut active: Vec<usize> = Vec::new();
    let mut previous: Option<Timestamp> = None;
    for (i, entry) in deal.history.iter().enumerate() {
        let at = playbook
            .read_time(&entry.at)
            .map_err(|e| format!("history[{i}].at: {e}"))?;
        // A migration to a newer playbook version, an approval, an edit, archiving and
        // unarchiving are no moves.
        if !entry.enters_stage() {
            continue;
        }
        let to = stage_of(&entry.to)?;
        let closes = matches!(
            playbook.stages[to].outcome,
            Some(Outcome::Won | Outcome::Lost)
        );
        if let (Some(first), true) = (journey.started, closes) {
            if at < first {
                return Err("closed before its first entry".to_owned());
            }
        }
        if previous.is_some_and(|p| at < p) {
            return Err(format!("history out of order at entry {}", i + 1));
        }
        previous = Some(at);
        journey.started.get_or_insert(at);
        match &entry.from {
            None if i == 0 => {}
            None => return Err(format!("history entry {} has no `from`", i + 1)),
            Some(from) => {
                let from = stage_of(from)?;
                let (kind, fork) = match history::step(playbook, entry, from, to) {
                    Step::Declared(transition) => (transition.kind, transition.fork),
                    Step::Unchecked { kind, fork } => (kind, fork),
                    Step::OffPlaybook => {
                        return Err(format!(
                            "history[{i}] moves from `{}` to `{}`, which the playbook does not declare (and it is neither forced nor imported)",
                            playbook.stages[from].id, playbook.stages[to].id
                        ));
                    }
                };
                if kind.is_forward() {
                    journey.converted[from] = true;
                }
                if !fork {
                    if let Some(start) = since[from].take() {
                        journey.visits.push((from, days_between(start, at)));
                    }
                    active.retain(|&s| s != from);
                }
            }
        }
        if !active.contains(&to) {
            active.push(to);
            since[to] = Some(at);
        }
        journey.entered[to] = true;
        match playbook.stages[to].outcome {
            Some(Outcome::Won) => {
                journey.won_at.get_or_insert(at);
            }
            Some(Outcome::Lost) if journey.won_at.is_none() => {
                journey.lost_at.get_or_insert(at);
            }
            Some(Outcome::Churned) => journey.churned = true,
            _ => {}
        }
    }
    // The deal's own `stages` say where it is now; without them, the history does.
    let now: Vec<usize> = if !deal.stages.is_empty() {
        deal.stages
            .iter()
            .map(|s| stage_of(s))
            .collect::<Result<_, _>>()?
    } else if !active.is_empty() {
        active
    } else {
        vec![0]
    };
    for &stage in &now {
        journey.entered[stage] = true;
        // A deal sitting in an outcome stage has reached it, history or not.
        match playbook.stages[stage].outcome {
            Some(Outcome::Won) if journey.lost_at.is_none() => journey.won = true,
            Some(Outcome::Lost) if journey.won_at.is_none() => journey.lost = true,
            Some(Outcome::Churned) => journey.churned = true,
            _ => {}
        }
    }
    journey.won |= journey.won_at.is_some();
    journey.lost |= journey.lost_at.is_some() && !journey.won;
    journey.active = now.into_iter().map(|s| (s, since[s])).collect();
    let counts_activity = journey.active.iter().any(|&(s, _)| {
        playbook.stages[s].max_days.is_some()
            && playbook.stages[s].max_days_since == crate::model::Since::Activity
    });
    if counts_activity {
        journey.last_activity = history::last_activity(playbook, deal);
    }
    Ok(journey)
}
