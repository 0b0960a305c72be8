//! Scorecards: points from small rules, a total within bounds, and bands.

use crate::engine::Evaluator;
use crate::evaluation::{RuleResult, Score};
use crate::script::Script;
use crate::text::Text;

/// A compiled scorecard.
#[derive(Debug)]
pub(crate) struct Scorecard {
    pub id: String,
    pub title: Option<Text>,
    pub rules: Vec<Rule>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Ascending thresholds.
    pub bands: Vec<(String, i64)>,
}

/// One rule of a scorecard.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    pub points: i64,
    pub when: Script,
}

impl Scorecard {
    /// The index of the band a total falls in: the last whose threshold is at most the total.
    pub(crate) fn band_of(&self, total: i64) -> Option<usize> {
        self.bands
            .iter()
            .rposition(|(_, threshold)| *threshold <= total)
    }

    /// Runs every rule and adds up the points.
    pub(crate) fn score(&self, ev: &mut Evaluator<'_>) -> (Score, Option<usize>) {
        let mut sum: i64 = 0;
        let mut rules = Vec::with_capacity(self.rules.len());
        for rule in &self.rules {
            let outcome = ev.run_script(&rule.when);
            let matched = matches!(outcome, crate::engine::ScriptOutcome::Held(true));
            ev.record(|| format!("{}.{}", self.id, rule.id), matched);
            if matched {
                sum = sum.saturating_add(rule.points);
            }
            let (missing, error) = match outcome {
                crate::engine::ScriptOutcome::Missing(fields) => (fields, None),
                crate::engine::ScriptOutcome::Failed(error) => (Vec::new(), Some(error)),
                crate::engine::ScriptOutcome::Held(_) => (Vec::new(), None),
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
            .max(self.min.unwrap_or(i64::MIN))
            .min(self.max.unwrap_or(i64::MAX));
        let band = self.band_of(total);
        let score = Score {
            total,
            band: band.map(|b| self.bands[b].0.clone()),
            rules,
        };
        (score, band)
    }
}
