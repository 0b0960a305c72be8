//! The open tasks of a deal that are due within a window, or overdue: for a weekly pipeline
//! review.

use jiff::Timestamp;
use serde::Serialize;

use super::Engine;
use crate::deal::{Deal, DealError};

/// An open task, due soon or overdue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct DueTask {
    /// The deal's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    /// The activity to do.
    pub activity: String,
    /// Its title, in the engine's language.
    pub title: String,
    /// The stage that opened the task.
    pub stage: String,
    /// When it is due (as recorded).
    pub due: String,
    /// The person it is assigned to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The role it is assigned to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Days past due (a part day counts as one), when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// What is wrong with the deal's own record, as its evaluation warns: each move of its
    /// history that the playbook does not allow (`history-off-playbook`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<super::Warning>,
}

impl Engine {
    /// The deal's open tasks (their activity not done) that are overdue at `at` or due within
    /// `within_days` days after it (every open task without a window), earliest first; each
    /// with the deal's `history-off-playbook` warnings. An archived deal has none.
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
    ///     stages: [{id: qualify, activities: [{id: call, required: true}]}]\n", "p.yaml").unwrap();
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "yoon",
    ///     "tasks": {"call": {"stage": "qualify", "due": "2026-12-02T00:00:00Z", "assignee": "yoon"}}}"#).unwrap();
    /// let engine = Engine::new(playbook);
    /// let at = stagegate::parse_time("2026-11-30").unwrap();
    /// assert!(engine.tasks_due(&deal, at, Some(1)).unwrap().is_empty(), "due in 2 days");
    /// let soon = engine.tasks_due(&deal, at, Some(7)).unwrap();
    /// assert_eq!((soon[0].activity.as_str(), soon[0].overdue_days), ("call", None));
    /// let late = engine.tasks_due(&deal, stagegate::parse_time("2026-12-03").unwrap(), Some(7)).unwrap();
    /// assert_eq!(late[0].overdue_days, Some(1));
    /// ```
    pub fn tasks_due(
        &self,
        deal: &Deal,
        at: Timestamp,
        within_days: Option<u32>,
    ) -> Result<Vec<DueTask>, DealError> {
        let playbook = self.playbook();
        playbook.check_deal(deal)?;
        if deal.archived.is_some() {
            return Ok(Vec::new());
        }
        let until = within_days.map(|days| {
            crate::support::time::days_after(at, days, &playbook.time_zone)
                .unwrap_or(Timestamp::MAX)
        });
        let mut due: Vec<(Timestamp, DueTask)> = Vec::new();
        for (activity, task) in &deal.tasks {
            if deal.has_done(activity) {
                continue;
            }
            // The deal passed the gate: its activities and times are the playbook's.
            let (Ok(when), Some(index)) = (
                playbook.read_time(&task.due),
                playbook.activity_index(activity),
            ) else {
                continue;
            };
            if until.is_some_and(|until| when > until) {
                continue;
            }
            due.push((
                when,
                DueTask {
                    deal: deal.id.clone(),
                    activity: activity.clone(),
                    title: playbook
                        .activity(index)
                        .title_in(self.language(), playbook.default_language())
                        .to_owned(),
                    stage: task.stage.clone(),
                    due: task.due.clone(),
                    assignee: task.assignee.clone(),
                    role: task.role.clone(),
                    overdue_days: crate::support::time::days_late(when, at),
                    warnings: Vec::new(),
                },
            ));
        }
        due.sort_by_key(|(when, _)| *when);
        let warnings = if due.is_empty() {
            Vec::new()
        } else {
            super::warnings::off_playbook(playbook, deal, at, self.language())
        };
        Ok(due
            .into_iter()
            .map(|(_, mut task)| {
                task.warnings.clone_from(&warnings);
                task
            })
            .collect())
    }
}
