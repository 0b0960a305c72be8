//! `NextSteps`: what a rep should do next in one active stage, as an evaluation gives it.

use serde::Serialize;

/// What to do next in one active stage.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Options, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"stage": "qualification", "fields": {"budget": 80000}}"#).unwrap();
/// let evaluation = Engine::new(playbook).with_language("en").evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap(), &Options::new()).unwrap();
/// let next = &evaluation.next_steps[0];
/// assert_eq!(next.stage, "qualification");
/// assert!(next.key_fields.contains(&"decision_maker".to_owned()));
/// assert!(!next.key_fields.contains(&"budget".to_owned()), "budget is filled");
/// assert!(next.activities.iter().any(|a| a.activity == "discovery_call"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct NextSteps {
    /// The active stage.
    pub stage: String,
    /// The stage's guidance, in the engine's language. (A stage with no guidance and nothing to
    /// do has no `NextSteps`.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// Its key fields the deal has not filled, in the playbook's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_fields: Vec<String>,
    /// Its required activities not done, then the tasks it opened not done; overdue first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<StepActivity>,
    /// Approvals its moves still need.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<StepApproval>,
}

/// An activity still to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StepActivity {
    /// The activity's id.
    pub activity: String,
    /// Its title, in the engine's language.
    pub title: String,
    /// When a task set a due time: when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Days past due (a part day counts as one), when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
}

/// An approval still missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StepApproval {
    /// The approval criterion.
    pub criterion: String,
    /// Who may approve.
    pub roles: Vec<String>,
    /// Why it is missing, in the engine's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
