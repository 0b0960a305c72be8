//! The summary of an impact over many deals: how many deals each kind of change touches, in words.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{reasons, Change, DealImpact};
use crate::engine::MoveCheck;

/// One line of the summary: how many deals one kind of change touches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ImpactLine {
    /// Deals it touches.
    pub deals: u64,
    /// What happens, in words after the count of deals: "in `qualification` can no longer advance
    /// to `needs_analysis`: bant".
    pub change: String,
}

/// The summary of a comparison over many deals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ImpactSummary {
    /// Deals compared.
    pub deals: u64,
    /// Deals with at least one change.
    pub changed: u64,
    /// Deals neither version takes: not compared, not in `deals`.
    pub refused: u64,
    /// Each kind of change, most deals first.
    pub lines: Vec<ImpactLine>,
}

/// Sums up deal impacts one at a time.
#[derive(Debug, Default)]
pub struct ImpactBook {
    deals: u64,
    changed: u64,
    refused: u64,
    counts: BTreeMap<String, u64>,
}

impl ImpactBook {
    /// An empty summary.
    pub fn new() -> ImpactBook {
        ImpactBook::default()
    }

    /// Adds one deal's impact; a deal neither version takes is counted as refused, and in no
    /// other figure.
    pub fn add(&mut self, impact: &DealImpact) {
        if impact.refused.is_some() {
            self.refused += 1;
            return;
        }
        self.deals += 1;
        if !impact.changes.is_empty() {
            self.changed += 1;
        }
        let mut seen: Vec<String> = Vec::new();
        for change in &impact.changes {
            let line = describe(change);
            if !seen.contains(&line) {
                *self.counts.entry(line.clone()).or_insert(0) += 1;
                seen.push(line);
            }
        }
    }

    /// Counts a deal that could not even be read: refused, in no other figure.
    pub fn add_unreadable(&mut self) {
        self.refused += 1;
    }

    /// The summary, most common change first.
    pub fn finish(self) -> ImpactSummary {
        let mut lines: Vec<ImpactLine> = self
            .counts
            .into_iter()
            .map(|(change, deals)| ImpactLine { deals, change })
            .collect();
        lines.sort_by(|a, b| b.deals.cmp(&a.deals).then_with(|| a.change.cmp(&b.change)));
        ImpactSummary {
            deals: self.deals,
            changed: self.changed,
            refused: self.refused,
            lines,
        }
    }
}

/// A change in words, the same for every deal it touches.
fn describe(change: &Change) -> String {
    match change {
        Change::NowBlocked {
            from,
            to,
            kind,
            blockers,
        } => {
            let check = MoveCheck {
                from: from.clone(),
                to: to.clone(),
                kind: *kind,
                fork: false,
                allowed: false,
                blockers: blockers.clone(),
                by: Vec::new(),
            };
            format!(
                "in `{from}` can no longer {} to `{to}`: {}",
                kind.as_str(),
                reasons(&check).join(", ")
            )
        }
        Change::NowAllowed { from, to, kind } => {
            format!("in `{from}` can now {} to `{to}`", kind.as_str())
        }
        Change::ReasonsChanged {
            from, to, after, ..
        } => {
            format!(
                "in `{from}` still cannot move to `{to}`, now because of: {}",
                after.join(", ")
            )
        }
        Change::Added { from, to, allowed } => format!(
            "in `{from}` can take a new move to `{to}` ({})",
            if *allowed {
                "allowed"
            } else {
                "blocked for now"
            }
        ),
        Change::Removed { from, to } => {
            format!("in `{from}` can no longer move to `{to}` at all: the move is gone")
        }
        Change::ActorsChanged { from, to, .. } => format!(
            "in `{from}`: who may act on the move to `{to}` changes: {}",
            change.who_may_act().unwrap_or_default()
        ),
        Change::Score {
            card,
            band_before,
            band_after,
            ..
        } if band_before != band_after => format!(
            "with `{card}` band {} → {}",
            band_before.as_deref().unwrap_or("none"),
            band_after.as_deref().unwrap_or("none")
        ),
        Change::Score { card, .. } => format!("with another `{card}` total, same band"),
        Change::Validity {
            after: Some(problem),
            ..
        } => {
            format!("invalid under the new playbook: {problem}")
        }
        Change::Validity { .. } => "valid under the new playbook only".to_owned(),
    }
}
