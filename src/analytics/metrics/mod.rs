//! Pipeline metrics over a book of deals, accumulated one deal at a time.

mod exact;
mod journey;
mod overdue;
mod partial;
mod stats;
mod tally;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

pub use partial::{MetricsPartial, PartialError, PARTIAL_VERSION};
pub use stats::DayStats;

use crate::deal::{Deal, DealError};
use crate::model::Playbook;
use tally::Tally;

/// A deal left out of the figures, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Anomaly {
    /// The deal's id or position.
    pub deal: String,
    /// What is inconsistent.
    pub problem: String,
}

/// Days to close, for won and for lost deals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CycleDays {
    /// From the first history entry to the first entry into a won stage.
    pub won: DayStats,
    /// From the first history entry to the first entry into a lost stage.
    pub lost: DayStats,
}

/// The money of won deals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct WonValue {
    /// Sum of the value field over won deals.
    pub total: f64,
    /// Its mean over won deals that have a value.
    pub mean: Option<f64>,
}

/// Figures of one stage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StageMetrics {
    /// Deals that ever entered the stage.
    pub entered: u64,
    /// Deals in the stage now.
    pub open: u64,
    /// Of those that entered, the share that ever moved forward out of it.
    pub conversion: Option<f64>,
    /// Time per visit, over visits that ended.
    pub days: DayStats,
    /// Deals in the stage now for longer than its `max_days`.
    pub stalled: u64,
    /// Deals with a task this stage opened that is past due and not done.
    pub overdue: u64,
    /// Archived deals that were in the stage (in no other figure of the stage).
    pub archived: u64,
}

/// The stages' figures, in playbook order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageTable(pub Vec<(String, StageMetrics)>);

impl Serialize for StageTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (id, figures) in &self.0 {
            map.serialize_entry(id, figures)?;
        }
        map.end()
    }
}

impl schemars::JsonSchema for StageTable {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StageTable".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let figures = generator.subschema_for::<StageMetrics>();
        schemars::json_schema!({
            "description": "Figures by stage id, in playbook order.",
            "type": "object",
            "additionalProperties": figures
        })
    }
}

/// Every figure of a book of deals (or of one group of it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Metrics {
    /// Deals read, anomalies included.
    pub deals: u64,
    /// Neither won nor lost.
    pub open: u64,
    /// Entered a `won` stage.
    pub won: u64,
    /// Entered a `lost` stage before any `won` one.
    pub lost: u64,
    /// Entered a `churned` stage.
    pub churned: u64,
    /// Archived: left out of every other figure (`deals` = `open` + `won` + `lost` +
    /// `archived` + `anomalous`); by stage under `stages`.
    pub archived: u64,
    /// Left out of the figures as inconsistent (listed under `anomalies`).
    pub anomalous: u64,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// Days to close.
    pub cycle_days: CycleDays,
    /// The money of won deals.
    pub won_value: WonValue,
    /// open × mean won value × win rate / mean won cycle days.
    pub pipeline_velocity_per_day: Option<f64>,
    /// Σ over open deals of value × the probability of the deal's furthest active stage.
    pub weighted_forecast: f64,
    /// Per stage.
    pub stages: StageTable,
    /// The inconsistent deals.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub anomalies: Vec<Anomaly>,
    /// The same figures for each value of a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Breakdown>,
}

/// Figures per value of a field.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Breakdown {
    /// The field.
    pub field: String,
    /// Figures by value (`(none)` for deals without one).
    pub groups: BTreeMap<String, Metrics>,
}

/// Collects metrics one deal at a time; memory does not grow with the number of deals.
///
/// # Example
///
/// ```
/// use stagegate::analytics::MetricsBook;
/// use stagegate::{Deal, Playbook};
/// let playbook = Playbook::from_yaml(
///     "stagegate: 1\nid: t\nversion: 1\nstages: [{id: open}, {id: won, outcome: won}, {id: lost, outcome: lost}]\n\
///      transitions: [{from: open, to: won}, {from: open, to: lost}]\n", "t.yaml").unwrap();
/// let mut book = MetricsBook::new(&playbook, stagegate::parse_time("2026-11-27").unwrap(), None);
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "history": [
///     {"at": "2026-10-01", "to": "open"}, {"at": "2026-10-11", "from": "open", "to": "won"}]}"#).unwrap();
/// book.add(&deal, "D-1");
/// let metrics = book.finish();
/// assert_eq!((metrics.deals, metrics.won, metrics.win_rate), (1, 1, Some(1.0)));
/// assert_eq!(metrics.cycle_days.won.median, Some(10.0));
/// ```
pub struct MetricsBook<'p> {
    playbook: &'p Playbook,
    at: Timestamp,
    by: Option<String>,
    overall: Tally,
    groups: BTreeMap<String, Tally>,
    /// With the index of the deal in the whole book.
    anomalies: Vec<(u64, Anomaly)>,
    /// The index in the whole book of the next deal added.
    next: u64,
    /// The indexes of the deals added, as half-open ranges `[start, end)`.
    spans: Vec<[u64; 2]>,
}

impl<'p> MetricsBook<'p> {
    /// An empty book for `playbook`, with "now" at `at` (for stalled deals), broken down by the
    /// field `by` if given.
    pub fn new(playbook: &'p Playbook, at: Timestamp, by: Option<&str>) -> MetricsBook<'p> {
        MetricsBook {
            playbook,
            at,
            by: by.map(str::to_owned),
            overall: Tally::new(playbook),
            groups: BTreeMap::new(),
            anomalies: Vec::new(),
            next: 0,
            spans: Vec::new(),
        }
    }

    /// Says that the next deal added is the one at `index` (0-based) in the whole book, and the
    /// deals after it follow it (the first deal added is at 0 unless said otherwise). Only a
    /// [`MetricsPartial`] reads it: merged partials list the anomalies by this index.
    pub fn at_index(&mut self, index: u64) {
        self.next = index;
    }

    /// The index of the deal being added, and the next one's.
    fn place(&mut self) -> u64 {
        let index = self.next;
        self.next = self.next.saturating_add(1);
        match self.spans.last_mut() {
            Some(span) if span[1] == index => span[1] = self.next,
            _ => self.spans.push([index, self.next]),
        }
        index
    }

    /// Adds one deal; `label` names it in anomalies (its id, or its position).
    ///
    /// A deal passes the same gate as everywhere ([`Playbook::check_deal`]): one that does not
    /// fit the playbook is counted among the deals and listed in the anomalies with its
    /// problems, in no other figure (its value is in no forecast), and returned as the error.
    /// So is a deal whose history moves in a way the playbook does not allow (what evaluations
    /// warn of as `history-off-playbook`). An archived deal is counted as `archived`, under the
    /// stages it was in, and in no figure of the pipeline.
    ///
    /// # Errors
    ///
    /// The [`DealError`] of a deal that does not fit, for the caller to report.
    pub fn add(&mut self, deal: &Deal, label: &str) -> Result<(), DealError> {
        let index = self.place();
        self.overall.deals += 1;
        let group = self.by.as_ref().map(|field| group_of(deal, field));
        if let Some(group) = &group {
            let tally = self
                .groups
                .entry(group.clone())
                .or_insert_with(|| Tally::new(self.playbook));
            tally.deals += 1;
        }
        if let Err(refused) = self.playbook.check_deal(deal) {
            let problems: Vec<String> = refused.problems.iter().map(ToString::to_string).collect();
            let problem = format!("does not fit the playbook: {}", problems.join("; "));
            self.anomaly(index, label, problem, group.as_deref());
            return Err(refused);
        }
        match journey::replay(self.playbook, deal) {
            Ok(journey) if deal.archived.is_some() => {
                self.overall.add_archived(&journey);
                if let Some(tally) = group.and_then(|group| self.groups.get_mut(&group)) {
                    tally.add_archived(&journey);
                }
            }
            Ok(journey) => {
                let value = self.value_of(deal);
                let overdue = overdue::overdue_stages(self.playbook, deal, self.at);
                self.overall
                    .add(self.playbook, &journey, value, self.at, &overdue);
                if let Some(group) = group {
                    if let Some(tally) = self.groups.get_mut(&group) {
                        tally.add(self.playbook, &journey, value, self.at, &overdue);
                    }
                }
            }
            Err(problem) => self.anomaly(index, label, problem, group.as_deref()),
        }
        Ok(())
    }

    /// Counts and lists a deal that cannot be read or checked.
    pub fn add_anomaly(&mut self, label: &str, problem: String) {
        let index = self.place();
        self.overall.deals += 1;
        // With a breakdown, a deal nobody could read has no value: it counts in `(none)`.
        let group = self.by.as_ref().map(|_| "(none)".to_owned());
        if let Some(group) = &group {
            let tally = self
                .groups
                .entry(group.clone())
                .or_insert_with(|| Tally::new(self.playbook));
            tally.deals += 1;
        }
        self.anomaly(index, label, problem, group.as_deref());
    }

    fn anomaly(&mut self, index: u64, label: &str, problem: String, group: Option<&str>) {
        self.overall.anomalous += 1;
        if let Some(tally) = group.and_then(|g| self.groups.get_mut(g)) {
            tally.anomalous += 1;
        }
        let anomaly = Anomaly {
            deal: label.to_owned(),
            problem,
        };
        self.anomalies.push((index, anomaly));
    }

    fn value_of(&self, deal: &Deal) -> Option<f64> {
        let field = self.playbook.value_field()?;
        deal.fields.get(field).and_then(serde_json::Value::as_f64)
    }

    /// Every figure; the anomalies in the order the deals were added.
    pub fn finish(self) -> Metrics {
        let anomalies = self.anomalies.into_iter().map(|(_, a)| a).collect();
        figures(
            self.playbook,
            &self.overall,
            self.by,
            &self.groups,
            anomalies,
        )
    }
}

/// The figures of a whole tally, with its anomalies and its breakdown by `by`.
fn figures(
    playbook: &Playbook,
    overall: &Tally,
    by: Option<String>,
    groups: &BTreeMap<String, Tally>,
    anomalies: Vec<Anomaly>,
) -> Metrics {
    let mut metrics = overall.metrics(playbook);
    metrics.anomalies = anomalies;
    if let Some(field) = by {
        let groups = groups
            .iter()
            .map(|(value, tally)| (value.clone(), tally.metrics(playbook)))
            .collect();
        metrics.by = Some(Breakdown { field, groups });
    }
    metrics
}

/// The group a deal falls in: its field's value as text, or `(none)`.
fn group_of(deal: &Deal, field: &str) -> String {
    match deal.fields.get(field) {
        None | Some(serde_json::Value::Null) => "(none)".to_owned(),
        Some(serde_json::Value::String(text)) if text.is_empty() => "(none)".to_owned(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}
