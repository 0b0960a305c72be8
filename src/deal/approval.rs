//! An approval a deal holds: who gave it, when, and the values it was given for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An approval of one approval criterion (`approval: { role }` in a playbook), as the deal
/// records it under `approvals:`. It holds until the deal leaves the stage whose gate asked for
/// it, and only while the values its criterion's `when` reads are those it was given for.
///
/// # Example
///
/// ```
/// use stagegate::Deal;
/// let deal: Deal = serde_yaml::from_str("
/// id: D-7
/// approvals:
///   discount_approved: { by: park, at: 2026-11-20T09:30:00Z, role: finance, values: { discount_pct: 25 } }
/// ").unwrap();
/// let approval = &deal.approvals["discount_approved"];
/// assert_eq!(approval.by, "park");
/// assert_eq!(approval.values.as_ref().unwrap()["discount_pct"], 25);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Approval {
    /// Who approved (an actor's id).
    pub by: String,
    /// When (RFC 3339, or a date).
    pub at: String,
    /// The role they approved as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The values the criterion's `when` read when it was approved (fields by id, scores as
    /// `score(card)`); once one of them changes, the approval no longer holds. An approval
    /// written without `values` is not tied to any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<BTreeMap<String, Value>>,
}

impl Approval {
    /// An approval by `by` as `role` at `at` (RFC 3339), of the `values` it saw.
    pub fn new(
        by: impl Into<String>,
        at: impl Into<String>,
        role: Option<String>,
        values: BTreeMap<String, Value>,
    ) -> Approval {
        Approval {
            by: by.into(),
            at: at.into(),
            role,
            values: Some(values),
        }
    }
}
