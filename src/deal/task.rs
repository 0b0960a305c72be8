//! An open task a deal carries: an activity to do by a due time, set by entering a stage.

use serde::{Deserialize, Serialize};

/// A task a deal carries under `tasks:`, by activity id: opened by a stage's `on_enter` (or
/// `on_exit`) `task`, closed by doing the activity.
///
/// # Example
///
/// ```
/// use stagegate::Deal;
/// let deal: Deal = serde_yaml::from_str("
/// id: D-7
/// tasks:
///   discovery_call: { stage: qualification, due: 2026-12-02T00:00:00Z, assignee: yoon }
/// ").unwrap();
/// assert_eq!(deal.tasks["discovery_call"].assignee.as_deref(), Some("yoon"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Task {
    /// The stage whose effect opened it.
    pub stage: String,
    /// When it is due (RFC 3339, or a date).
    pub due: String,
    /// The person it is assigned to (the deal's owner), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The role it is assigned to, when not a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl Task {
    /// A task opened in `stage`, due at `due` (RFC 3339), for a person or a role.
    pub fn new(
        stage: impl Into<String>,
        due: impl Into<String>,
        assignee: Option<String>,
        role: Option<String>,
    ) -> Task {
        Task {
            stage: stage.into(),
            due: due.into(),
            assignee,
            role,
        }
    }
}
