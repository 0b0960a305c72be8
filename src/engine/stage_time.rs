//! How long a deal has been in each of its active stages: what a pipeline board shows on a card.

use jiff::Timestamp;
use serde::Serialize;

use super::Engine;
use crate::deal::{Deal, DealError};
use crate::fit::CheckedDeal;
use crate::model::Playbook;

/// An active stage and how long the deal has been in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StageTime {
    /// The stage's id.
    pub stage: String,
    /// When the deal last entered it (RFC 3339), from its history; none when the history does
    /// not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Whole days in the stage at the time asked (what `stalled` warnings count); none without
    /// `since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The stage's `max_days`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_days: Option<u32>,
}

impl Engine {
    /// For each active stage of `deal`, in playbook order: when the deal last entered it and its
    /// whole days there at `at`.
    ///
    /// # Errors
    ///
    /// The [`DealError`] of a deal that does not fit the playbook.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Deal, Engine, Playbook};
    /// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
    ///     stages: [{id: qualify, max_days: 30}, {id: propose}]\n", "p.yaml").unwrap();
    /// let deal: Deal = serde_json::from_str(r#"{"stages": ["qualify"],
    ///     "history": [{"at": "2026-11-01T09:00:00Z", "to": "qualify"}]}"#).unwrap();
    /// let at = stagegate::parse_time("2026-11-11T08:59:59Z").unwrap();
    /// let times = Engine::new(playbook).time_in_stages(&deal, at).unwrap();
    /// assert_eq!(times[0].stage, "qualify");
    /// assert_eq!(times[0].since.as_deref(), Some("2026-11-01T09:00:00Z"));
    /// assert_eq!((times[0].days, times[0].max_days), (Some(9), Some(30)), "a part day is not counted");
    /// ```
    pub fn time_in_stages(&self, deal: &Deal, at: Timestamp) -> Result<Vec<StageTime>, DealError> {
        let facts = crate::fit::check(self.playbook(), deal)?;
        Ok(stage_times(self.playbook(), &facts, at))
    }
}

/// For each active stage of a deal fitted to `playbook`, in playbook order: when it last entered
/// it and its whole days there at `at`.
pub(super) fn stage_times(
    playbook: &Playbook,
    facts: &CheckedDeal<'_>,
    at: Timestamp,
) -> Vec<StageTime> {
    facts
        .active
        .iter()
        .map(|&index| {
            let stage = &playbook.stages[index];
            let since = facts.entered[index];
            StageTime {
                stage: stage.id.clone(),
                since: since.map(|since| since.to_string()),
                days: since.map(|since| crate::support::time::days_between(since, at)),
                max_days: stage.max_days,
            }
        })
        .collect()
}
