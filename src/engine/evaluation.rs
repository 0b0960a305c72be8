//! What the engine answers about a deal: scores, every possible move, and why the blocked ones are
//! blocked.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::deal::MoveKind;

/// The full answer for one deal at one time.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Gate, Options, Playbook, Reason};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-2", "stage": "qualification", "fields": {"budget": 8000}}"#).unwrap();
/// let evaluation = Engine::new(playbook).evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap(), &Options::new()).unwrap();
/// assert_eq!(evaluation.stages, ["qualification"]);
/// assert_eq!(evaluation.scores["lead"].band.as_deref(), Some("cold"));
/// let advance = evaluation.moves_to("needs_analysis").next().unwrap();
/// let budget = advance.blockers.iter().find(|b| b.criterion.as_deref() == Some("bant_budget")).unwrap();
/// assert_eq!((budget.gate, budget.reason), (Gate::Exit, Reason::Failed));
/// assert_eq!(budget.values["budget"], 8000);
/// // The same answer as JSON, for other programs.
/// assert!(serde_json::to_string(&evaluation).unwrap().contains(r#""criterion":"bant_budget""#));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Evaluation {
    /// The deal's id (none when it has none).
    pub deal: Option<String>,
    /// The playbook as `id@version`.
    pub playbook: String,
    /// The evaluation time, RFC 3339.
    pub at: String,
    /// Active stages, in playbook order.
    pub stages: Vec<String>,
    /// Every scorecard, by id.
    pub scores: BTreeMap<String, Score>,
    /// Every declared move out of every active stage, in playbook order.
    pub transitions: Vec<MoveCheck>,
    /// Things worth a look: the deal archived, an overdue task, a stalled stage, a move of its
    /// history off the playbook (in that order).
    pub warnings: Vec<Warning>,
    /// For each active stage with something to do, what a rep should do next.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<super::steps::NextSteps>,
}

impl Evaluation {
    /// The evaluated moves to `to` (one per active stage that declares it).
    pub fn moves_to<'a>(&'a self, to: &'a str) -> impl Iterator<Item = &'a MoveCheck> + 'a {
        self.transitions.iter().filter(move |t| t.to == to)
    }
}

/// A scorecard's result.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"fields": {"budget": 60000, "decision_maker": "CFO", "employees": 5}}"#).unwrap();
/// let scores = Engine::new(playbook).score(&deal, stagegate::parse_time("2026-11-27").unwrap()).unwrap();
/// let lead = &scores["lead"];
/// assert_eq!(lead.total, 25 + 20 - 20);          // budget, executive sponsor, tiny company
/// assert_eq!(lead.band, Some("cold".to_owned()));
/// let timeline = lead.rules.iter().find(|r| r.id == "near_timeline").unwrap();
/// assert_eq!(timeline.missing, ["timeline_days"]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Score {
    /// Sum of the matched rules' points, within the card's `min` and `max`.
    pub total: i64,
    /// The last band whose threshold is at most the total (none below the first).
    pub band: Option<String>,
    /// Every rule, in playbook order.
    pub rules: Vec<RuleResult>,
}

/// One deal's scores with its id: what `stagegate score` writes per deal.
///
/// # Example
///
/// ```
/// use stagegate::{contract::score_json, Engine, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// let scored = score_json(&Engine::new(playbook), r#"{"id": "D-7", "fields": {"budget": 60000}}"#, at).unwrap();
/// assert_eq!(scored.deal.as_deref(), Some("D-7"));
/// assert_eq!(scored.scores["lead"].total, 25);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DealScores {
    /// The deal's id.
    pub deal: Option<String>,
    /// Every scorecard's score, by scorecard id.
    pub scores: BTreeMap<String, Score>,
}

/// One scorecard rule's contribution.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleResult {
    /// The rule's id.
    pub id: String,
    /// Points it added (0 when it did not match).
    pub points: i64,
    /// Whether its condition held.
    pub matched: bool,
    /// Fields it needed that the deal lacks (it did not run).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// The script error, if it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One possible move, allowed or blocked.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct MoveCheck {
    /// Source stage.
    pub from: String,
    /// Target stage.
    pub to: String,
    /// Derived kind.
    pub kind: MoveKind,
    /// The source stage stays active.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fork: bool,
    /// No blocker.
    pub allowed: bool,
    /// Every reason it is blocked.
    pub blockers: Vec<Blocker>,
    /// The roles one of which a person needs to make the move (the transition's `by:`, else
    /// the playbook's `permissions.move`); empty: anyone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
}

impl MoveCheck {
    /// `true` when the person asking may not make the move (a `permission` blocker): such a
    /// blocked move is `forbidden`, not merely `blocked`.
    pub fn is_forbidden(&self) -> bool {
        self.blockers.iter().any(|b| b.reason == Reason::Forbidden)
    }
}

/// Where a criterion lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Gate {
    /// The source stage's exit gate (and required activities).
    Exit,
    /// The target stage's entry gate.
    Entry,
    /// The transition's own criteria.
    When,
    /// Who may make the move (`permissions`, a transition's `by:`).
    Permission,
}

/// Why a criterion did not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// It was checked and is false.
    Failed,
    /// It needs fields the deal lacks.
    MissingField,
    /// It needs activities not done.
    MissingActivity,
    /// Its script failed or hit a limit.
    Error,
    /// The actor holds none of the roles that may make the move.
    Forbidden,
    /// It needs an approval the deal does not hold (or one given by its owner, by the person
    /// moving, or for values that have changed since).
    ApprovalMissing,
}

/// One reason a move is blocked.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Gate, Options, Playbook, Reason};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"stage": "qualification", "fields": {"budget": 80000}}"#).unwrap();
/// let evaluation = Engine::new(playbook).with_language("en").evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap(), &Options::new()).unwrap();
/// let advance = evaluation.moves_to("needs_analysis").next().unwrap();
/// let call = &advance.blockers[0];
/// assert_eq!((call.gate, call.reason), (Gate::Exit, Reason::MissingActivity));
/// assert_eq!(call.activity.as_deref(), Some("discovery_call"));
/// assert_eq!(call.message.as_deref(), Some("required activity not done: Discovery call"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Blocker {
    /// Where the criterion lives.
    pub gate: Gate,
    /// Why it did not hold.
    pub reason: Reason,
    /// The criterion's id (or its derived name, such as `fields:budget,need`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// A required activity not done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// Activities an `activities:` criterion needs that are not done.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// What to tell a person, in the requested language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields the deal lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The values a failed check read (fields by name, scores as `score(card)`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, Value>,
    /// The script error, for reason `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For `all`, `any` and `not`: the parts that did not hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<Blocker>,
    /// Who may lift it: for `forbidden`, the roles that may make the move; for
    /// `approval_missing`, the role that approves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

impl Blocker {
    pub(crate) fn new(gate: Gate, reason: Reason) -> Blocker {
        Blocker {
            gate,
            reason,
            criterion: None,
            activity: None,
            activities: Vec::new(),
            message: None,
            fields: Vec::new(),
            values: BTreeMap::new(),
            error: None,
            because: Vec::new(),
            roles: Vec::new(),
        }
    }

    /// Every criterion id and activity id in this blocker and the parts under it.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        names.extend(self.criterion.as_deref());
        names.extend(self.activity.as_deref());
        names.extend(self.activities.iter().map(String::as_str));
        for part in &self.because {
            names.extend(part.names());
        }
        names
    }
}

/// Something worth a look that does not block a move.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Options, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"stage": "qualification",
///     "history": [{"at": "2026-09-01", "to": "qualification"}]}"#).unwrap();
/// let evaluation = Engine::new(playbook).with_language("en").evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap(), &Options::new()).unwrap();
/// let stalled = &evaluation.warnings[0];
/// assert_eq!((stalled.kind, stalled.stage.as_str(), stalled.days, stalled.max_days), ("stalled", "qualification", 87, 30));
/// assert_eq!(stalled.since, Some("entered"));
/// assert_eq!(stalled.message, "stalled: 87 days in Qualification (max 30)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Warning {
    /// `stalled`: longer in a stage than its `max_days`; `overdue`: an open task past its due
    /// time; `history-off-playbook`: a move step of the history that no declared transition
    /// allows (neither forced nor imported); `archived`: the deal is archived.
    #[schemars(extend("enum" = ["stalled", "overdue", "history-off-playbook", "archived"]))]
    pub kind: &'static str,
    /// The stage concerned: for `overdue`, the stage that opened the task; for
    /// `history-off-playbook`, the stage the step entered; for `archived`, the first stage the
    /// deal is in.
    pub stage: String,
    /// `stalled`: days in the stage, or without activity, so far; `overdue`: days past due,
    /// counting a part day as one; `history-off-playbook`: whole days since the step;
    /// `archived`: whole days since the deal was archived.
    pub days: i64,
    /// `stalled`: the stage's limit; 0 for the other kinds.
    pub max_days: u32,
    /// `stalled`: what the days count from: `entered` (the stage) or `activity` (the deal's
    /// last activity), as the stage's `max_days` says.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["entered", "activity"]))]
    pub since: Option<&'static str>,
    /// `overdue`: the task's activity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// `overdue`: when the task was due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// `history-off-playbook`: the entry's index in the deal's history (0-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// `history-off-playbook`: the stage the step left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `history-off-playbook`: when the step was made; `archived`: when the deal was archived
    /// (both as recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// `history-off-playbook`: who made the step, when recorded; `archived`: who archived the
    /// deal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// `archived`: why the deal was archived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to tell a person, in the requested language.
    pub message: String,
}

impl Warning {
    /// A warning of `kind` about `stage`, `days` days, saying `message`; nothing else set.
    pub(crate) fn new(kind: &'static str, stage: String, days: i64, message: String) -> Warning {
        Warning {
            kind,
            stage,
            days,
            max_days: 0,
            since: None,
            activity: None,
            due: None,
            entry: None,
            from: None,
            at: None,
            by: None,
            reason: None,
            message,
        }
    }
}
