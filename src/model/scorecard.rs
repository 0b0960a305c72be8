//! Scorecards: points from small rules, a total within bounds, and bands, as data.

use crate::script::Script;
use crate::support::text::Text;

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
