//! `Edit`: one change to a deal's field, activity or owner, as its history records it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What one history entry changed (`edit:` beside `at` and `by`): exactly one of a field, an
/// activity or the owner, with the value before and after (left out: not set).
///
/// # Example
///
/// ```
/// use stagegate::HistoryEntry;
/// let entry: HistoryEntry = serde_json::from_str(
///     r#"{"at": "2026-11-20T09:00:00Z", "by": "lee", "edit": {"field": "discount_pct", "before": 35, "after": 19}}"#).unwrap();
/// let edit = entry.edit.as_ref().unwrap();
/// assert_eq!(edit.field.as_deref(), Some("discount_pct"));
/// assert_eq!(edit.after, Some(serde_json::json!(19)));
/// assert!(!entry.is_move());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Edit {
    /// The field changed (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The activity ticked or unticked (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// The deal's owner changed.
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub owner: bool,
    /// The value before (left out: it was not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after (left out: it was removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Approvals the change voided: they were given on the value before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voided: Vec<String>,
}

impl Edit {
    /// What it changed, as a message names it: `discount_pct`, `activities.demo` or `owner`.
    pub fn target(&self) -> String {
        match (&self.field, &self.activity) {
            (Some(field), _) => field.clone(),
            (None, Some(activity)) => format!("activities.{activity}"),
            (None, None) => "owner".to_owned(),
        }
    }

    /// How many of `field`, `activity` and `owner` it names (one when well formed).
    pub(crate) fn targets(&self) -> usize {
        usize::from(self.field.is_some())
            + usize::from(self.activity.is_some())
            + usize::from(self.owner)
    }
}
