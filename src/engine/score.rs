//! Scoring: every rule of a scorecard run against the deal, its points added up within the
//! card's bounds, and the band the total falls in.

use super::evaluate::Evaluator;
use super::evaluation::{RuleResult, Score};
use super::rules::ScriptOutcome;
use crate::model::Scorecard;

impl Evaluator<'_> {
    /// The total of a scorecard already scored (0 before).
    pub(crate) fn total(&self, card: usize) -> i64 {
        self.scored
            .get(card)
            .and_then(|s| *s)
            .map_or(0, |(total, _)| total)
    }

    /// The band of a scorecard already scored.
    pub(crate) fn band(&self, card: usize) -> Option<usize> {
        let (total, _) = self.scored.get(card).and_then(|s| *s)?;
        band_of(&self.playbook.cards[card], total)
    }

    /// Runs every rule and adds up the points.
    pub(crate) fn score_card(&mut self, card: &Scorecard) -> (Score, Option<usize>) {
        let mut sum: i64 = 0;
        let mut rules = Vec::with_capacity(card.rules.len());
        for rule in &card.rules {
            let outcome = self.run_script(&rule.when);
            let matched = matches!(outcome, ScriptOutcome::Held(true));
            self.record(|| format!("{}.{}", card.id, rule.id), matched);
            if matched {
                sum = sum.saturating_add(rule.points);
            }
            let (missing, error) = match outcome {
                ScriptOutcome::Missing(fields) => (fields, None),
                ScriptOutcome::Failed(error) => (Vec::new(), Some(error)),
                ScriptOutcome::Held(_) => (Vec::new(), None),
            };
            rules.push(RuleResult {
                id: rule.id.clone(),
                points: if matched { rule.points } else { 0 },
                matched,
                missing,
                error,
            });
        }
        let total = sum
            .max(card.min.unwrap_or(i64::MIN))
            .min(card.max.unwrap_or(i64::MAX));
        let band = band_of(card, total);
        let score = Score {
            total,
            band: band.map(|b| card.bands[b].0.clone()),
            rules,
        };
        (score, band)
    }
}

/// The index of the band a total falls in: the last whose threshold is at most the total.
pub(crate) fn band_of(card: &Scorecard, total: i64) -> Option<usize> {
    card.bands
        .iter()
        .rposition(|(_, threshold)| *threshold <= total)
}
