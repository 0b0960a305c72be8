//! `Tally`: the counts, sums and histograms behind every figure of a book (or of one group of
//! it); added to one deal at a time, merged with another tally, and turned into figures.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::exact::ExactSum;
use super::journey::Journey;
use super::stats::{round, share, Days};
use super::{CycleDays, Metrics, StageMetrics, StageTable, WonValue};
use crate::fit::history::stalled;
use crate::model::Playbook;
use crate::support::time::days_between;

/// One stage's counts, in a tally.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StageTally {
    /// Deals that entered the stage.
    entered: u64,
    /// Deals in it now.
    open: u64,
    /// Deals that moved forward out of it.
    converted: u64,
    /// Days per visit that ended.
    days: Days,
    /// Deals in it now for longer than its `max_days`.
    stalled: u64,
    /// Deals with an overdue task it opened.
    overdue: u64,
    /// Archived deals in it.
    archived: u64,
}

/// Everything the figures are worked out from; every part adds up when tallies merge.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tally {
    pub(crate) deals: u64,
    pub(crate) anomalous: u64,
    open: u64,
    won: u64,
    lost: u64,
    churned: u64,
    /// Archived deals: in no other count.
    archived: u64,
    won_cycle: Days,
    lost_cycle: Days,
    /// The exact sum of the value field over won deals that have one.
    won_value: ExactSum,
    won_with_value: u64,
    /// The exact sum over open deals of value × probability.
    forecast: ExactSum,
    /// By stage, in playbook order.
    pub(crate) stages: Vec<StageTally>,
}

impl Tally {
    pub(crate) fn new(playbook: &Playbook) -> Tally {
        Tally {
            stages: vec![StageTally::default(); playbook.stages.len()],
            ..Tally::default()
        }
    }

    /// Counts an archived deal: as archived, under the stages it was in, and nowhere else.
    pub(crate) fn add_archived(&mut self, journey: &Journey) {
        self.archived += 1;
        for &(stage, _) in &journey.active {
            self.stages[stage].archived += 1;
        }
    }

    pub(crate) fn add(
        &mut self,
        playbook: &Playbook,
        journey: &Journey,
        value: Option<f64>,
        at: Timestamp,
        overdue: &[usize],
    ) {
        match (journey.won, journey.lost) {
            (true, _) => {
                self.won += 1;
                if let (Some(start), Some(won)) = (journey.started, journey.won_at) {
                    self.won_cycle.add(days_between(start, won));
                }
                if let Some(value) = value {
                    self.won_value.add(value);
                    self.won_with_value += 1;
                }
            }
            (false, true) => {
                self.lost += 1;
                if let (Some(start), Some(lost)) = (journey.started, journey.lost_at) {
                    self.lost_cycle.add(days_between(start, lost));
                }
            }
            (false, false) => {
                self.open += 1;
                let furthest = journey.active.iter().map(|(s, _)| *s).max();
                let probability = furthest.and_then(|s| playbook.stages[s].probability);
                if let (Some(value), Some(probability)) = (value, probability) {
                    self.forecast.add(value * probability);
                }
            }
        }
        if journey.churned {
            self.churned += 1;
        }
        for (stage, figures) in self.stages.iter_mut().enumerate() {
            if journey.entered[stage] {
                figures.entered += 1;
            }
            if journey.converted[stage] {
                figures.converted += 1;
            }
        }
        for &(stage, days) in &journey.visits {
            self.stages[stage].days.add(days);
        }
        for &stage in overdue {
            self.stages[stage].overdue += 1;
        }
        for &(stage, since) in &journey.active {
            self.stages[stage].open += 1;
            let last = || journey.last_activity;
            if stalled(&playbook.stages[stage], since, last, at).is_some() {
                self.stages[stage].stalled += 1;
            }
        }
    }

    pub(crate) fn metrics(&self, playbook: &Playbook) -> Metrics {
        let forward_out: Vec<bool> = (0..playbook.stages.len())
            .map(|i| {
                playbook
                    .transitions
                    .iter()
                    .any(|t| t.from_index == i && t.kind.is_forward())
            })
            .collect();
        let won_value = self.won_value.value();
        let win_rate = share(self.won, self.won + self.lost);
        let cycle = CycleDays {
            won: self.won_cycle.stats(),
            lost: self.lost_cycle.stats(),
        };
        let mean_value =
            (self.won_with_value > 0).then(|| round(won_value / self.won_with_value as f64));
        let velocity = match (mean_value, win_rate, cycle.won.mean) {
            (Some(value), Some(rate), Some(days)) if days > 0.0 => {
                Some(round(self.open as f64 * value * rate / days))
            }
            _ => None,
        };
        let stages = playbook
            .stages
            .iter()
            .zip(&self.stages)
            .enumerate()
            .map(|(index, (stage, t))| {
                (
                    stage.id.clone(),
                    StageMetrics {
                        entered: t.entered,
                        open: t.open,
                        // A stage with no forward move out (lost, churned, a final won stage)
                        // has nothing to convert to.
                        conversion: if forward_out[index] {
                            share(t.converted, t.entered)
                        } else {
                            None
                        },
                        days: t.days.stats(),
                        stalled: t.stalled,
                        overdue: t.overdue,
                        archived: t.archived,
                    },
                )
            })
            .collect();
        Metrics {
            deals: self.deals,
            open: self.open,
            won: self.won,
            lost: self.lost,
            churned: self.churned,
            archived: self.archived,
            anomalous: self.anomalous,
            win_rate,
            cycle_days: cycle,
            won_value: WonValue {
                total: round(won_value),
                mean: mean_value,
            },
            pipeline_velocity_per_day: velocity,
            weighted_forecast: round(self.forecast.value()),
            stages: StageTable(stages),
            anomalies: Vec::new(),
            by: None,
        }
    }

    /// Adds every count, sum and histogram of `other` (a tally of the same playbook).
    ///
    /// # Errors
    ///
    /// When the two tallies do not have the same stages, or a count would overflow (neither
    /// happens with tallies of deals; only with a partial made up).
    pub(crate) fn merge(&mut self, other: &Tally) -> Result<(), String> {
        if self.stages.len() != other.stages.len() {
            return Err(format!(
                "a tally of {} stages cannot merge with one of {}",
                self.stages.len(),
                other.stages.len()
            ));
        }
        let counts = [
            (&mut self.deals, other.deals),
            (&mut self.anomalous, other.anomalous),
            (&mut self.open, other.open),
            (&mut self.won, other.won),
            (&mut self.lost, other.lost),
            (&mut self.churned, other.churned),
            (&mut self.archived, other.archived),
            (&mut self.won_with_value, other.won_with_value),
        ];
        for (kept, more) in counts {
            add_count(kept, more)?;
        }
        self.won_cycle.merge(&other.won_cycle)?;
        self.lost_cycle.merge(&other.lost_cycle)?;
        self.won_value.merge(&other.won_value);
        self.forecast.merge(&other.forecast);
        for (kept, more) in self.stages.iter_mut().zip(&other.stages) {
            for (count, add) in [
                (&mut kept.entered, more.entered),
                (&mut kept.open, more.open),
                (&mut kept.converted, more.converted),
                (&mut kept.stalled, more.stalled),
                (&mut kept.overdue, more.overdue),
                (&mut kept.archived, more.archived),
            ] {
                add_count(count, add)?;
            }
            kept.days.merge(&more.days)?;
        }
        Ok(())
    }
}

fn add_count(kept: &mut u64, more: u64) -> Result<(), String> {
    *kept = kept
        .checked_add(more)
        .ok_or_else(|| "a count overflows".to_owned())?;
    Ok(())
}
