//! `MetricsPartial`: the metrics of one part of a book, kept as counts, exact sums and whole-day
//! histograms so that partials merge (in any grouping and any order) into exactly the figures of
//! the whole book. For books too big for one machine: each partition makes a partial, the partials
//! are merged, the merged one is finished.
//!
//! Anomalies carry the index of their deal in the whole book (0-based; see
//! [`MetricsBook::at_index`]), so merged partials list them in the book's order.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::tally::Tally;
use super::{figures, Anomaly, Metrics, MetricsBook};
use crate::model::Playbook;

/// The version of a partial's form (its `"stagegate_metrics_partial"` key); a change that is
/// not an addition raises it. Version 2 counts archived deals (`archived`, overall and by
/// stage), which version 1 counted as open ones.
pub const PARTIAL_VERSION: u32 = 2;

/// The metrics of part of a book, to merge with others and finish into [`Metrics`].
///
/// Made by [`MetricsBook::partial`]; merged by [`MetricsPartial::merge`] (associative and
/// commutative); finished by [`MetricsPartial::finish`], which gives exactly what
/// [`MetricsBook::finish`] gives over all the deals. Serialises as JSON (documented in the JSON
/// contract's guide), versioned by [`PARTIAL_VERSION`].
///
/// # Example
///
/// ```
/// use stagegate::analytics::MetricsBook;
/// use stagegate::{Deal, Playbook};
/// let playbook = Playbook::from_yaml(
///     "stagegate: 1\nid: t\nversion: 1\nstages: [{id: open}, {id: won, outcome: won}, {id: lost, outcome: lost}]\n\
///      transitions: [{from: open, to: won}, {from: open, to: lost}]\n", "t.yaml").unwrap();
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// let deals: Vec<Deal> = [
///     r#"{"id": "D-1", "history": [{"at": "2026-10-01", "to": "open"}, {"at": "2026-10-11", "from": "open", "to": "won"}]}"#,
///     r#"{"id": "D-2", "history": [{"at": "2026-10-01", "to": "open"}, {"at": "2026-10-05", "from": "open", "to": "lost"}]}"#,
/// ].iter().map(|text| serde_json::from_str(text).unwrap()).collect();
/// // The second deal on a machine of its own: it is the deal at index 1 of the book.
/// let mut second = MetricsBook::new(&playbook, at, None);
/// second.at_index(1);
/// second.add(&deals[1], "D-2").unwrap();
/// let mut first = MetricsBook::new(&playbook, at, None);
/// first.add(&deals[0], "D-1").unwrap();
/// let merged = second.partial().merge(first.partial()).unwrap();
/// let mut whole = MetricsBook::new(&playbook, at, None);
/// for deal in &deals {
///     whole.add(deal, deal.id.as_deref().unwrap()).unwrap();
/// }
/// assert_eq!(merged.finish(&playbook).unwrap(), whole.finish());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsPartial {
    /// The form's version: [`PARTIAL_VERSION`].
    stagegate_metrics_partial: u32,
    /// The playbook's id.
    playbook: String,
    /// The playbook's version.
    version: u64,
    /// "Now", for stalled and overdue deals, in UTC.
    #[serde(with = "utc")]
    at: Timestamp,
    /// The field the figures are broken down by.
    by: Option<String>,
    /// The playbook's stage ids, in its order: the order of every tally's stages.
    stages: Vec<String>,
    /// The whole part.
    all: Tally,
    /// By value of `by`.
    groups: BTreeMap<String, Tally>,
    /// The anomalies, by the index of their deal in the whole book.
    anomalies: Vec<PlacedAnomaly>,
    /// The indexes in the whole book of the deals it holds, as half-open ranges `[start, end)`
    /// in order: merging refuses a deal held twice, finishing a deal held by no partial.
    spans: Vec<[u64; 2]>,
}

/// An anomaly with the index of its deal in the whole book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacedAnomaly {
    index: u64,
    deal: String,
    problem: String,
}

/// Why partials cannot be merged or finished.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PartialError {
    /// A form this version of stagegate does not read.
    #[error("a metrics partial of version {0}; this stagegate reads version {PARTIAL_VERSION}")]
    Version(u32),
    /// A partial of another playbook, or of another version of it.
    #[error("a metrics partial of playbook `{found}`, not of `{expected}`")]
    Playbook {
        /// The playbook expected, `id@version`.
        expected: String,
        /// The partial's, `id@version`.
        found: String,
    },
    /// Partials counted at different times.
    #[error("metrics partials at different times (`at`): {0} and {1}")]
    At(String, String),
    /// Partials broken down by different fields (or one by a field, the other not).
    #[error("metrics partials broken down differently (`by`): {0} and {1}")]
    By(String, String),
    /// The same deal in two partials (or twice in one).
    #[error("the deal at index {0} of the book is in two partials (or twice in one): give each deal its own index")]
    Overlap(u64),
    /// Deals of the book in no partial merged: finishing would silently leave them out.
    #[error("the deals at indexes {0} to {1} of the book are in no partial: merge the partials of every part of the book before finishing")]
    Missing(u64, u64),
    /// A partial whose parts do not agree (never one that a book made).
    #[error("a metrics partial that does not add up: {0}")]
    Inconsistent(String),
}

impl MetricsBook<'_> {
    /// The book as a partial, to merge with partials of the book's other parts, instead of its
    /// figures.
    pub fn partial(self) -> MetricsPartial {
        let mut anomalies: Vec<PlacedAnomaly> = self
            .anomalies
            .into_iter()
            .map(|(index, anomaly)| PlacedAnomaly {
                index,
                deal: anomaly.deal,
                problem: anomaly.problem,
            })
            .collect();
        anomalies.sort_by_key(|a| a.index);
        let mut spans = self.spans;
        spans.sort_unstable();
        MetricsPartial {
            stagegate_metrics_partial: PARTIAL_VERSION,
            playbook: self.playbook.id().to_owned(),
            version: self.playbook.version(),
            at: self.at,
            by: self.by,
            stages: stage_ids(self.playbook),
            all: self.overall,
            groups: self.groups,
            anomalies,
            spans,
        }
    }
}

impl MetricsPartial {
    /// The playbook's id and version.
    pub fn playbook(&self) -> (&str, u64) {
        (&self.playbook, self.version)
    }

    /// "Now", for stalled and overdue deals.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// The field the figures are broken down by.
    pub fn by(&self) -> Option<&str> {
        self.by.as_deref()
    }

    /// How many deals the partial holds, anomalies included.
    pub fn deals(&self) -> u64 {
        self.all.deals
    }

    /// Checks that the partial is of `playbook` (its id, version and stages) and of this form's
    /// version, and that its parts agree.
    ///
    /// # Errors
    ///
    /// [`PartialError::Version`], [`PartialError::Playbook`], [`PartialError::Inconsistent`],
    /// [`PartialError::Overlap`].
    pub fn check(&self, playbook: &Playbook) -> Result<(), PartialError> {
        self.check_version()?;
        if (self.playbook.as_str(), self.version) != (playbook.id(), playbook.version()) {
            return Err(PartialError::Playbook {
                expected: format!("{}@{}", playbook.id(), playbook.version()),
                found: format!("{}@{}", self.playbook, self.version),
            });
        }
        if self.stages != stage_ids(playbook) {
            return Err(PartialError::Inconsistent(format!(
                "its stages ({}) are not the playbook's",
                self.stages.join(", ")
            )));
        }
        self.check_parts()
    }

    fn check_version(&self) -> Result<(), PartialError> {
        match self.stagegate_metrics_partial {
            PARTIAL_VERSION => Ok(()),
            other => Err(PartialError::Version(other)),
        }
    }

    /// The tallies have one entry per stage, groups only with `by`, one anomaly per anomalous
    /// deal, each deal's index once.
    fn check_parts(&self) -> Result<(), PartialError> {
        let inconsistent = |what: String| Err(PartialError::Inconsistent(what));
        let stages = self.stages.len();
        for (name, tally) in std::iter::once(("all", &self.all)).chain(
            self.groups
                .iter()
                .map(|(value, tally)| (value.as_str(), tally)),
        ) {
            if tally.stages.len() != stages {
                return inconsistent(format!(
                    "`{name}` counts {} stages, not {stages}",
                    tally.stages.len()
                ));
            }
        }
        if self.by.is_none() && !self.groups.is_empty() {
            return inconsistent("groups without `by`".to_owned());
        }
        if self.all.anomalous != self.anomalies.len() as u64 {
            return inconsistent(format!(
                "{} anomalous deals but {} anomalies",
                self.all.anomalous,
                self.anomalies.len()
            ));
        }
        for span in &self.spans {
            if span[0] >= span[1] {
                return inconsistent(format!(
                    "an empty range of deals [{}, {})",
                    span[0], span[1]
                ));
            }
        }
        for pair in self.spans.windows(2) {
            if pair[1][0] < pair[0][1] {
                return Err(PartialError::Overlap(pair[1][0]));
            }
        }
        let held: u64 = self.spans.iter().map(|span| span[1] - span[0]).sum();
        if held != self.all.deals {
            return inconsistent(format!("{} deals but ranges of {held}", self.all.deals));
        }
        for pair in self.anomalies.windows(2) {
            if pair[0].index >= pair[1].index {
                return Err(if pair[0].index == pair[1].index {
                    PartialError::Overlap(pair[0].index)
                } else {
                    PartialError::Inconsistent("anomalies out of index order".to_owned())
                });
            }
        }
        Ok(())
    }

    /// Both partials as one: every count, sum and histogram added, groups joined, anomalies in
    /// the order of their index. Associative and commutative: any grouping and order of merges
    /// gives the same partial.
    ///
    /// # Errors
    ///
    /// A partial of another version, playbook, stages, `at` or `by`; one deal in both.
    pub fn merge(mut self, other: MetricsPartial) -> Result<MetricsPartial, PartialError> {
        self.check_version()?;
        other.check_version()?;
        if (&self.playbook, self.version) != (&other.playbook, other.version) {
            return Err(PartialError::Playbook {
                expected: format!("{}@{}", self.playbook, self.version),
                found: format!("{}@{}", other.playbook, other.version),
            });
        }
        if self.stages != other.stages {
            return Err(PartialError::Inconsistent(format!(
                "stages {} and {}",
                self.stages.join(", "),
                other.stages.join(", ")
            )));
        }
        if self.at != other.at {
            return Err(PartialError::At(self.at.to_string(), other.at.to_string()));
        }
        if self.by != other.by {
            let name = |by: &Option<String>| by.clone().unwrap_or_else(|| "none".to_owned());
            return Err(PartialError::By(name(&self.by), name(&other.by)));
        }
        self.check_parts()?;
        other.check_parts()?;
        self.spans = joined(std::mem::take(&mut self.spans), other.spans)?;
        self.all
            .merge(&other.all)
            .map_err(PartialError::Inconsistent)?;
        for (value, tally) in other.groups {
            match self.groups.get_mut(&value) {
                Some(kept) => kept.merge(&tally).map_err(PartialError::Inconsistent)?,
                None => {
                    self.groups.insert(value, tally);
                }
            }
        }
        self.anomalies.extend(other.anomalies);
        // Two runs already in order: the stable sort merges them in one pass.
        self.anomalies.sort_by_key(|a| a.index);
        self.check_parts()?;
        Ok(self)
    }

    /// Every figure, exactly as [`MetricsBook::finish`] gives them over all the deals merged in
    /// (when their indexes are their places in the book).
    ///
    /// # Errors
    ///
    /// As [`MetricsPartial::check`]; [`PartialError::Missing`] when deals of the book are in
    /// no partial merged (indexes from 0 to the last deal's, each held once).
    pub fn finish(self, playbook: &Playbook) -> Result<Metrics, PartialError> {
        self.check(playbook)?;
        // Every deal from the first of the book to the last held: none left out between.
        let mut expected = 0;
        for span in &self.spans {
            if span[0] != expected {
                return Err(PartialError::Missing(expected, span[0] - 1));
            }
            expected = span[1];
        }
        let anomalies = self
            .anomalies
            .into_iter()
            .map(|a| Anomaly {
                deal: a.deal,
                problem: a.problem,
            })
            .collect();
        Ok(figures(
            playbook,
            &self.all,
            self.by,
            &self.groups,
            anomalies,
        ))
    }
}

/// Two partials' ranges of deals as one, in order, adjacent ones joined.
///
/// # Errors
///
/// [`PartialError::Overlap`] for a deal in both.
fn joined(mut spans: Vec<[u64; 2]>, other: Vec<[u64; 2]>) -> Result<Vec<[u64; 2]>, PartialError> {
    spans.extend(other);
    spans.sort_unstable();
    let mut out: Vec<[u64; 2]> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span[0] < last[1] => return Err(PartialError::Overlap(span[0])),
            Some(last) if span[0] == last[1] => last[1] = span[1],
            _ => out.push(span),
        }
    }
    Ok(out)
}

fn stage_ids(playbook: &Playbook) -> Vec<String> {
    playbook.stages.iter().map(|s| s.id.clone()).collect()
}

/// A time as RFC 3339 text in UTC.
mod utc {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        at: &Timestamp,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(at)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|e| serde::de::Error::custom(format!("`{text}` is not a time in UTC: {e}")))
    }
}
