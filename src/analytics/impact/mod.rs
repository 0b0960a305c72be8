//! What a playbook change does to deals: moves that become allowed or blocked, who may make or
//! force them, and scores and bands that change, deal by deal and summed up.

mod actors;
mod summary;

pub use summary::{ImpactBook, ImpactLine, ImpactSummary};

use jiff::Timestamp;
use serde::Serialize;

use crate::deal::Deal;
use crate::deal::MoveKind;
use crate::engine::{Blocker, Evaluation, MoveCheck};
use crate::engine::{Engine, Options};

/// One difference for one deal.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Allowed before, blocked now, with the new reasons.
    NowBlocked {
        /// Source stage.
        from: String,
        /// Target stage.
        to: String,
        /// The move's kind under the new playbook.
        kind: MoveKind,
        /// Why it is blocked now.
        blockers: Vec<Blocker>,
    },
    /// Blocked before, allowed now.
    NowAllowed {
        /// Source stage.
        from: String,
        /// Target stage.
        to: String,
        /// The move's kind under the new playbook.
        kind: MoveKind,
    },
    /// Blocked in both, for other reasons.
    ReasonsChanged {
        /// Source stage.
        from: String,
        /// Target stage.
        to: String,
        /// Criteria and activities before.
        before: Vec<String>,
        /// Criteria and activities now.
        after: Vec<String>,
    },
    /// A move the new playbook declares and the old did not.
    Added {
        /// Source stage.
        from: String,
        /// Target stage.
        to: String,
        /// Allowed now.
        allowed: bool,
    },
    /// A move the old playbook declared and the new does not.
    Removed {
        /// Source stage.
        from: String,
        /// Target stage.
        to: String,
    },
    /// Who may make the move, or force it, changed (a move both versions declare). Each list
    /// holds role ids (`owner`: the deal's owner); an empty one lets anyone.
    ActorsChanged {
        /// Source stage.
        from: String,
        /// Target stage.
        to: String,
        /// `permissions.move` before: roles one of which makes any move.
        move_before: Vec<String>,
        /// `permissions.move` now.
        move_after: Vec<String>,
        /// The transition's `by:` before: roles one of which makes this move.
        by_before: Vec<String>,
        /// The transition's `by:` now.
        by_after: Vec<String>,
        /// `permissions.force` before: roles one of which forces a blocked move.
        force_before: Vec<String>,
        /// `permissions.force` now.
        force_after: Vec<String>,
    },
    /// A scorecard's total or band changed.
    Score {
        /// The scorecard.
        card: String,
        /// Total before (none when the card is new).
        total_before: Option<i64>,
        /// Total now (none when the card was removed).
        total_after: Option<i64>,
        /// Band before.
        band_before: Option<String>,
        /// Band now.
        band_after: Option<String>,
    },
    /// The deal is valid under one version and not the other.
    Validity {
        /// The problem under the old playbook, if any.
        before: Option<String>,
        /// The problem under the new playbook, if any.
        after: Option<String>,
    },
}

impl Change {
    /// For [`Change::ActorsChanged`], what changed of who may act, in words:
    /// "by: manager → manager, finance; permissions.force: anyone → manager" (rules that did not
    /// change left out); `None` for any other change.
    pub fn who_may_act(&self) -> Option<String> {
        let Change::ActorsChanged {
            move_before,
            move_after,
            by_before,
            by_after,
            force_before,
            force_after,
            ..
        } = self
        else {
            return None;
        };
        Some(actors::words([
            ("permissions.move", move_before, move_after),
            ("by", by_before, by_after),
            ("permissions.force", force_before, force_after),
        ]))
    }
}

/// Every difference for one deal.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DealImpact {
    /// The deal's id or position.
    pub deal: String,
    /// Its active stages (under the new playbook, else the old).
    pub stages: Vec<String>,
    /// What changes; empty when nothing does.
    pub changes: Vec<Change>,
    /// Why neither version takes the deal, when neither does: then it is no comparison and
    /// [`ImpactBook`] leaves it out of the figures (it counts it in `refused`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<crate::deal::DealError>,
}

/// The deal's reasons, as the names a person reads (criteria and activities, top level).
pub(super) fn reasons(check: &MoveCheck) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for blocker in &check.blockers {
        let name = blocker
            .criterion
            .clone()
            .or_else(|| blocker.activity.clone())
            .unwrap_or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Compares one deal under two engines at the same time. A pin to a playbook is ignored: the
/// question is what each version would say.
///
/// # Example
///
/// ```
/// use stagegate::analytics::{impact, Change, ImpactBook};
/// use stagegate::{Deal, Engine, Playbook};
/// let version = |min: u32| {
///     let text = format!("stagegate: 1\nid: p\nversion: 1\nfields: {{budget: {{type: number}}}}\nstages: [{{id: open, exit: [{{id: funded, when: \"budget >= {min}\"}}]}}, {{id: won, outcome: won}}]\ntransitions: [{{from: open, to: won}}]\n");
///     Engine::new(Playbook::from_yaml(&text, "p.yaml").unwrap())
/// };
/// let (old, new) = (version(100), version(500));
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "fields": {"budget": 300}}"#).unwrap();
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// let found = impact(&old, &new, &deal, "D-1", at);
/// assert!(matches!(&found.changes[0], Change::NowBlocked { to, .. } if to == "won"));
/// let mut book = ImpactBook::new();
/// book.add(&found);
/// let summary = book.finish();
/// assert_eq!((summary.deals, summary.changed), (1, 1));
/// assert_eq!(summary.lines[0].change, "in `open` can no longer advance to `won`: funded");
/// ```
pub fn impact(old: &Engine, new: &Engine, deal: &Deal, label: &str, at: Timestamp) -> DealImpact {
    let mut unpinned = deal.clone();
    unpinned.playbook = None;
    let before = old.evaluate(&unpinned, at, &Options::new());
    let after = new.evaluate(&unpinned, at, &Options::new());
    let problem = |r: &Result<Evaluation, crate::DealError>| {
        r.as_ref().err().map(|e| {
            e.problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })
    };
    let mut impact = DealImpact {
        deal: label.to_owned(),
        stages: Vec::new(),
        changes: Vec::new(),
        refused: None,
    };
    let (before, after) = match (&before, &after) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(_), Err(refused)) => {
            impact.stages = deal.stages.clone();
            impact.refused = Some(refused.clone());
            return impact;
        }
        _ => {
            let (b, a) = (problem(&before), problem(&after));
            impact.stages = after
                .as_ref()
                .or(before.as_ref())
                .map(|e| e.stages.clone())
                .unwrap_or_else(|_| deal.stages.clone());
            if b != a {
                impact.changes.push(Change::Validity {
                    before: b,
                    after: a,
                });
            }
            return impact;
        }
    };
    impact.stages = after.stages.clone();
    for now in &after.transitions {
        let then = before
            .transitions
            .iter()
            .find(|t| t.from == now.from && t.to == now.to);
        let (from, to) = (now.from.clone(), now.to.clone());
        match then {
            None => impact.changes.push(Change::Added {
                from,
                to,
                allowed: now.allowed,
            }),
            Some(then) if then.allowed && !now.allowed => impact.changes.push(Change::NowBlocked {
                from,
                to,
                kind: now.kind,
                blockers: now.blockers.clone(),
            }),
            Some(then) if !then.allowed && now.allowed => impact.changes.push(Change::NowAllowed {
                from,
                to,
                kind: now.kind,
            }),
            Some(then) if !then.allowed && reasons(then) != reasons(now) => {
                impact.changes.push(Change::ReasonsChanged {
                    from,
                    to,
                    before: reasons(then),
                    after: reasons(now),
                });
            }
            Some(_) => {}
        }
        if then.is_some() {
            let (old, new) = (old.playbook(), new.playbook());
            impact
                .changes
                .extend(actors::changed(old, new, &now.from, &now.to));
        }
    }
    for then in &before.transitions {
        if !after
            .transitions
            .iter()
            .any(|t| t.from == then.from && t.to == then.to)
        {
            impact.changes.push(Change::Removed {
                from: then.from.clone(),
                to: then.to.clone(),
            });
        }
    }
    let cards: std::collections::BTreeSet<&String> =
        before.scores.keys().chain(after.scores.keys()).collect();
    for card in cards {
        let (b, a) = (before.scores.get(card), after.scores.get(card));
        let total = |s: Option<&crate::Score>| s.map(|s| s.total);
        let band = |s: Option<&crate::Score>| s.and_then(|s| s.band.clone());
        if total(b) != total(a) || band(b) != band(a) {
            impact.changes.push(Change::Score {
                card: card.clone(),
                total_before: total(b),
                total_after: total(a),
                band_before: band(b),
                band_after: band(a),
            });
        }
    }
    impact
}
