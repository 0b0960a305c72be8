//! `Changes`: what a host asks to change on a deal besides its stage, and `Edited`, the answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Completion, Deal};

/// Changes to a deal's fields, activities and owner, as a host asks for them:
/// `{"fields": {"discount_pct": 19, "champion": null}, "activities": {"demo": true}, "owner": "kim"}`
/// (`null` removes a field or unticks an activity; an activity is ticked with `true`, the date
/// it was done, or `false`/`null` to untick).
///
/// # Example
///
/// ```
/// use stagegate::Changes;
/// let changes = Changes::new().set("discount_pct", 19).remove("champion").tick("demo").owner("kim");
/// assert_eq!(changes.fields["discount_pct"], Some(serde_json::json!(19)));
/// assert_eq!(changes.fields["champion"], None);
/// let read: Changes = serde_json::from_str(r#"{"fields": {"discount_pct": 19}}"#).unwrap();
/// assert_eq!(read.fields.len(), 1);
/// let twice = serde_json::from_str::<Changes>(r#"{"fields": {"amount": 1, "amount": 2}}"#);
/// assert!(twice.unwrap_err().to_string().contains("`amount` is declared twice"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Changes {
    /// Field values by field id; `null` removes the field.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "once"
    )]
    pub fields: BTreeMap<String, Option<Value>>,
    /// Activities by id: ticked (`true`, or the date or date-time it was done) or unticked
    /// (`false` or `null`).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "once"
    )]
    pub activities: BTreeMap<String, Option<Completion>>,
    /// The deal's new owner (an actor's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

impl Changes {
    /// No change yet.
    pub fn new() -> Changes {
        Changes::default()
    }

    /// Sets `field` to `value`.
    #[must_use]
    pub fn set(mut self, field: impl Into<String>, value: impl Into<Value>) -> Changes {
        self.fields.insert(field.into(), Some(value.into()));
        self
    }

    /// Removes `field`.
    #[must_use]
    pub fn remove(mut self, field: impl Into<String>) -> Changes {
        self.fields.insert(field.into(), None);
        self
    }

    /// Ticks `activity`: done now, by the actor.
    #[must_use]
    pub fn tick(mut self, activity: impl Into<String>) -> Changes {
        self.activities
            .insert(activity.into(), Some(Completion::Flag(true)));
        self
    }

    /// Unticks `activity`.
    #[must_use]
    pub fn untick(mut self, activity: impl Into<String>) -> Changes {
        self.activities.insert(activity.into(), None);
        self
    }

    /// Gives the deal to `owner`.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Changes {
        self.owner = Some(owner.into());
        self
    }

    /// Whether it asks for nothing.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.activities.is_empty() && self.owner.is_none()
    }
}

/// A map whose every key is written once: a key written twice is refused, never decided by which
/// comes last.
fn once<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    let entries = crate::support::ordered::Ordered::<V>::deserialize(deserializer)?;
    Ok(entries.0.into_iter().collect())
}

/// A deal as an edit leaves it, with the approvals the edit voided (they were given on a value
/// it changed; the history's edit entries name them too).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Edited {
    /// The edited deal, one history entry per change (none when nothing changed).
    pub deal: Deal,
    /// The approval criteria whose approvals the edit voided.
    pub voided: Vec<String>,
}
