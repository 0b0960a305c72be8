//! A deal's history read against its playbook: each move step allowed or off the playbook (the
//! one check evaluations and metrics share), the deal's last activity, and whether a stage is
//! stalled.

use jiff::Timestamp;

use crate::deal::{Deal, HistoryEntry, MoveKind};
use crate::model::{Playbook, Since, Stage, Transition};
use crate::support::time::{days_between, read_time};

/// One move step of a history, as the playbook sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step<'p> {
    /// A declared transition leads from its `from` to its `to`.
    Declared(&'p Transition),
    /// No declared transition leads there, but the entry was forced or imported: the playbook
    /// did not check it. Its kind as written, else as the main path makes it.
    Unchecked {
        /// The move's kind.
        kind: MoveKind,
        /// The source stage stayed active.
        fork: bool,
    },
    /// No declared transition leads there, and the entry was neither forced nor imported.
    OffPlaybook,
}

/// The step `entry` (a move, see [`HistoryEntry::is_move`]) makes from stage `from` to stage
/// `to` (indexes): the one check of whether the playbook allows a move step of a history.
pub(crate) fn step<'p>(
    playbook: &'p Playbook,
    entry: &HistoryEntry,
    from: usize,
    to: usize,
) -> Step<'p> {
    let declared = playbook
        .transitions
        .iter()
        .find(|t| t.from_index == from && t.to_index == to);
    match declared {
        Some(transition) => Step::Declared(transition),
        None if entry.forced || entry.imported => Step::Unchecked {
            kind: entry
                .kind
                .unwrap_or_else(|| main_path_kind(playbook, from, to)),
            fork: entry.fork,
        },
        None => Step::OffPlaybook,
    }
}

/// The kind the main path gives a move from `from` to `to` (as transitions' kinds are derived).
fn main_path_kind(playbook: &Playbook, from: usize, to: usize) -> MoveKind {
    if playbook.stages[to].is_terminal() {
        MoveKind::Exit
    } else if to == from + 1 {
        MoveKind::Advance
    } else if to > from {
        MoveKind::Skip
    } else {
        MoveKind::Return
    }
}

/// A move step of a history that the playbook does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OffPlaybook {
    /// The entry's index in the history (0-based).
    pub index: usize,
    /// The stage left, by index.
    pub from: usize,
    /// The stage entered, by index.
    pub to: usize,
    /// When, when its time reads.
    pub at: Option<Timestamp>,
}

/// Every move step of `history` that the playbook does not allow ([`step`]), in order. Entries
/// naming stages the playbook does not have are left to the deal's check.
pub(crate) fn off_playbook(playbook: &Playbook, history: &[HistoryEntry]) -> Vec<OffPlaybook> {
    let mut found = Vec::new();
    for (index, entry) in history.iter().enumerate() {
        let Some(from) = entry.from.as_deref().filter(|_| entry.is_move()) else {
            continue;
        };
        let (Some(from), Some(to)) = (playbook.stage_index(from), playbook.stage_index(&entry.to))
        else {
            continue;
        };
        if let Step::OffPlaybook = step(playbook, entry, from, to) {
            found.push(OffPlaybook {
                index,
                from,
                to,
                at: read_time(&entry.at, &playbook.time_zone).ok(),
            });
        }
    }
    found
}

/// The deal's last activity: the latest of its history's moves, edits and creation, and of the
/// activities it has done with a time; `None` when none has a time that reads.
pub(crate) fn last_activity(playbook: &Playbook, deal: &Deal) -> Option<Timestamp> {
    let zone = &playbook.time_zone;
    let entries = deal
        .history
        .iter()
        .filter(|e| e.enters_stage() || e.edit.is_some())
        .map(|e| e.at.as_str());
    let done = deal
        .activities
        .values()
        .filter(|c| c.is_done())
        .filter_map(|c| c.at());
    entries
        .chain(done)
        .filter_map(|at| read_time(at, zone).ok())
        .max()
}

/// Whole days `stage` has gone without what its `max_days` counts from, at `at`, when that is
/// more than its `max_days`: the deal entered it at `entered`, its last activity was at
/// `activity`. `None` when not stalled (or when the time it counts from is unknown).
pub(crate) fn stalled(
    stage: &Stage,
    entered: Option<Timestamp>,
    activity: impl FnOnce() -> Option<Timestamp>,
    at: Timestamp,
) -> Option<i64> {
    let max = stage.max_days?;
    let since = match stage.max_days_since {
        Since::Entered => entered?,
        Since::Activity => activity()?,
    };
    let days = days_between(since, at);
    (days > i64::from(max)).then_some(days)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn playbook() -> Playbook {
        Playbook::from_yaml(
            "stagegate: 1\nid: p\nversion: 1\n\
             stages: [{id: lead}, {id: qualify, max_days: {days: 10, since: activity}}, \
             {id: propose, max_days: 10}, {id: won, outcome: won}, {id: lost, outcome: lost}]\n\
             transitions: [{from: lead, to: qualify}, {from: qualify, to: propose}, \
             {from: propose, to: won}, {from: '*', to: lost}]\n",
            "p.yaml",
        )
        .unwrap()
    }

    fn deal(json: &str) -> Deal {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn only_undeclared_steps_neither_forced_nor_imported_are_off_the_playbook() {
        let playbook = playbook();
        let deal = deal(
            r#"{"history": [
            {"at": "2026-10-01", "to": "lead"},
            {"at": "2026-10-02", "from": "lead", "to": "propose"},
            {"at": "2026-10-03", "from": "propose", "to": "qualify", "forced": true, "reason": "r"},
            {"at": "2026-10-04", "from": "qualify", "to": "lead", "imported": true},
            {"at": "2026-10-05", "from": "lead", "to": "qualify"},
            {"at": "2026-10-06", "by": "kim", "edit": {"field": "budget", "after": 5}},
            {"at": "2026-10-07", "from": "qualify", "to": "won"}]}"#,
        );
        let found = off_playbook(&playbook, &deal.history);
        let steps: Vec<(usize, usize, usize)> =
            found.iter().map(|o| (o.index, o.from, o.to)).collect();
        assert_eq!(steps, [(1, 0, 2), (6, 1, 3)]);
        assert_eq!(found[0].at, Some(crate::parse_time("2026-10-02").unwrap()));
    }

    #[test]
    fn an_unchecked_step_takes_its_written_kind_or_the_main_paths() {
        let playbook = playbook();
        let mut entry = HistoryEntry::change("2026-10-02", None);
        entry.from = Some("lead".to_owned());
        entry.to = "propose".to_owned();
        entry.imported = true;
        let kind = |entry: &HistoryEntry| match step(&playbook, entry, 0, 2) {
            Step::Unchecked { kind, .. } => Some(kind),
            _ => None,
        };
        assert_eq!(kind(&entry), Some(MoveKind::Skip));
        entry.kind = Some(MoveKind::Return);
        assert_eq!(kind(&entry), Some(MoveKind::Return));
        entry.imported = false;
        assert!(matches!(step(&playbook, &entry, 0, 2), Step::OffPlaybook));
        assert!(matches!(
            step(&playbook, &entry, 0, 1),
            Step::Declared(t) if t.to == "qualify"
        ));
    }

    #[test]
    fn the_last_activity_is_the_latest_move_edit_creation_or_activity_done() {
        let playbook = playbook();
        let moves = deal(
            r#"{"history": [{"at": "2026-10-01", "to": "lead"},
            {"at": "2026-10-05", "from": "lead", "to": "qualify"},
            {"at": "2026-10-20", "by": "kim", "approved": "x"}]}"#,
        );
        assert_eq!(
            last_activity(&playbook, &moves),
            Some(crate::parse_time("2026-10-05").unwrap()),
            "an approval is no activity"
        );
        let edited = deal(
            r#"{"history": [{"at": "2026-10-01", "to": "lead"},
            {"at": "2026-10-09", "by": "kim", "edit": {"owner": true, "after": "lee"}}],
            "activities": {"call": {"at": "2026-10-07T00:00:00Z", "by": "kim"}, "demo": true}}"#,
        );
        assert_eq!(
            last_activity(&playbook, &edited),
            Some(crate::parse_time("2026-10-09").unwrap())
        );
        let done = deal(
            r#"{"history": [{"at": "2026-10-01", "to": "lead"}],
            "activities": {"call": "2026-10-12", "visit": false}}"#,
        );
        assert_eq!(
            last_activity(&playbook, &done),
            Some(crate::parse_time("2026-10-12").unwrap())
        );
        assert_eq!(last_activity(&playbook, &Deal::default()), None);
    }

    #[test]
    fn stalled_counts_from_what_max_days_says() {
        let playbook = playbook();
        let at = crate::parse_time("2026-10-31").unwrap();
        let entered = Some(crate::parse_time("2026-10-01").unwrap());
        let recent = || Some(crate::parse_time("2026-10-25").unwrap());
        let long_ago = || Some(crate::parse_time("2026-10-15").unwrap());
        let qualify = playbook.stage("qualify").unwrap();
        assert_eq!(stalled(qualify, entered, recent, at), None);
        assert_eq!(stalled(qualify, entered, long_ago, at), Some(16));
        assert_eq!(stalled(qualify, entered, || None, at), None);
        let propose = playbook.stage("propose").unwrap();
        assert_eq!(stalled(propose, entered, recent, at), Some(30));
        assert_eq!(stalled(propose, None, recent, at), None);
    }
}
