//! Deals: the facts, active stages, completed activities and history of one opportunity.

mod approval;
mod archive;
mod book;
mod changes;
mod completion;
mod edit;
mod error;
mod misplaced;
mod move_kind;
mod numbers;
mod origin;
mod reader;
mod scan;
mod task;
mod text;
mod value;
mod yaml_documents;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::support::ordered::Ordered;
pub use approval::Approval;
pub use archive::Archive;
pub use book::DealBook;
pub use changes::{Changes, Edited};
pub use completion::Completion;
pub use edit::Edit;
pub use error::{DealError, DealProblem};
pub use move_kind::MoveKind;
pub(crate) use numbers::{problems as number_problems, Format as TextFormat, BEYOND_WHOLE};
pub use origin::DealOrigin;
pub use reader::{DealFormat, DealReader};
pub use task::Task;
pub(crate) use text::not_an_object;
pub use text::DealText;
pub(crate) use value::{Checked, Scalar};

/// The most bytes one deal may take in a file (64 MiB: a history of several hundred thousand
/// entries). A bigger one is reported as unreadable, with its position, and reading goes on after
/// it, so memory stays bounded whatever the input.
pub const MAX_DEAL_BYTES: usize = 64 * 1024 * 1024;

/// One deal, as a host stores it and as the engine reads and writes it.
///
/// # Example
///
/// ```
/// use stagegate::Deal;
/// // As JSON or YAML: `stage` is short for one active stage; dates may be days or RFC 3339 times.
/// let deal: Deal = serde_yaml::from_str("
/// id: D-1042
/// playbook: b2b-sales@1
/// stage: qualification
/// fields: { budget: 80000, decision_maker: CFO }
/// activities: { discovery_call: 2026-11-03 }
/// history:
///   - { at: 2026-10-01, to: lead_generation }
///   - { at: 2026-11-02, from: lead_generation, to: qualification, kind: advance }
/// ").unwrap();
/// assert_eq!(deal.stages, ["qualification"]);
/// assert_eq!(deal.fields["budget"], 80000);
/// assert!(deal.activities["discovery_call"].is_done());
/// assert_eq!(deal.history[1].from.as_deref(), Some("lead_generation"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "DealInput")]
pub struct Deal {
    /// The deal's id, used in messages and output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A pin to a playbook: `id` or `id@version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playbook: Option<String>,
    /// The actor who owns the deal: they hold the built-in role `owner`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Active stages; none means the playbook's first stage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
    /// Field values by field id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Value>,
    /// Completed activities, by activity id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub activities: BTreeMap<String, Completion>,
    /// Approvals it holds, by approval criterion id; cleared when the deal leaves the stage
    /// whose gate asked for them (the history keeps them).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub approvals: BTreeMap<String, Approval>,
    /// Open tasks, by activity id: set by stages' `task` effects, closed by doing the activity.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tasks: BTreeMap<String, Task>,
    /// Moves and every other change so far, oldest first; append-only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    /// Set while the deal is archived: off the board, refusing moves and edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<Archive>,
}

/// One entry of a deal's history: a move (`to`, with `from` after the first), or a change that
/// is no move: an approval (`approved`), a request for one (`approval_requested`), an edit
/// (`edit`), archiving (`archived`), unarchiving (`unarchived`) or a migration (`migrated_from`).
///
/// # Example
///
/// ```
/// use stagegate::{HistoryEntry, MoveKind};
/// let entry: HistoryEntry = serde_json::from_str(
///     r#"{"at": "2026-11-02T10:00:00Z", "from": "qualification", "to": "closing", "kind": "skip",
///         "forced": true, "reason": "CEO referral", "overridden": ["fast_track"]}"#).unwrap();
/// assert_eq!(entry.kind, Some(MoveKind::Skip));
/// assert!(entry.forced && entry.migrated_from.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// When the move happened (RFC 3339, or a date).
    pub at: String,
    /// The stage left (none for the deal's first entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The stage entered (empty for an approval, which is no move).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    /// Who made the move (an actor's id), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The move's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MoveKind>,
    /// The source stage stayed active.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fork: bool,
    /// The move was blocked and made anyway.
    #[serde(default, skip_serializing_if = "is_false")]
    pub forced: bool,
    /// Why a forced move was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a forced move, the criteria and activities it overrode.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<String>,
    /// Not a move: the deal was migrated here from this `id@version` (it stays in `to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_from: Option<String>,
    /// Not a move: the approval criterion `by` approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<String>,
    /// Brought in from elsewhere (a CRM migration) by `imported_by`: the playbook did not
    /// check it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub imported: bool,
    /// Who imported the entry (an actor's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_by: Option<String>,
    /// Not a move: a field, activity or owner `by` changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<Edit>,
    /// Not a move: `by` archived the deal, for `reason`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub archived: bool,
    /// Not a move: `by` unarchived the deal.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unarchived: bool,
    /// Not a move: `by` asked for an approval of this approval criterion (asked again: a
    /// reminder, recorded again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_requested: Option<String>,
    /// With `approval_requested`: what the person asking adds for the approver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl HistoryEntry {
    /// An entry of `by` at `at` (RFC 3339) that is no move; set what it records.
    pub fn change(at: impl Into<String>, by: Option<String>) -> HistoryEntry {
        HistoryEntry {
            at: at.into(),
            from: None,
            to: String::new(),
            by,
            kind: None,
            fork: false,
            forced: false,
            reason: None,
            overridden: Vec::new(),
            migrated_from: None,
            approved: None,
            imported: false,
            imported_by: None,
            edit: None,
            archived: false,
            unarchived: false,
            approval_requested: None,
            note: None,
        }
    }

    /// Whether the entry enters a stage: a move, or the deal's first entry (its creation);
    /// approvals, requests for them, edits, archiving and migrations are not.
    pub fn enters_stage(&self) -> bool {
        !self.to.is_empty() && self.migrated_from.is_none()
    }

    /// Whether the entry is a move step from one stage to another (not the deal's creation, nor
    /// an approval or a request for one, an edit, archiving or a migration).
    pub fn is_move(&self) -> bool {
        self.from.is_some() && self.enters_stage()
    }
}

pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

impl Deal {
    /// The JSON Schema of a deal document.
    pub(crate) fn schema() -> &'static Value {
        static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        SCHEMA.get_or_init(|| {
            schemars::generate::SchemaSettings::draft07()
                .into_generator()
                .into_root_schema_for::<Deal>()
                .to_value()
        })
    }

    /// The deal as YAML, as `stagegate move` prints it.
    ///
    /// # Errors
    ///
    /// A message if a value cannot be written as YAML.
    pub fn to_yaml(&self) -> Result<String, String> {
        crate::support::yaml::to_string(self)
    }

    /// Whether the deal records `activity` as done.
    pub(crate) fn has_done(&self, activity: &str) -> bool {
        self.activities
            .get(activity)
            .is_some_and(Completion::is_done)
    }

    /// The deal's name in messages: its id, or `fallback` (such as `#3`) when it has none or a
    /// blank one.
    pub fn label(&self, fallback: &str) -> String {
        name(self.id.as_deref(), fallback)
    }
}

/// A deal's name in messages: `id` unless it is missing or blank, else `fallback`.
pub(crate) fn name(id: Option<&str>, fallback: &str) -> String {
    match id {
        Some(id) if !id.trim().is_empty() => id.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// A deal's id as written: a text or a number.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // never built: it describes `DealInput::id` in the schema
enum DealId {
    /// An id as text.
    Text(String),
    /// An id as a number (taken as its text).
    Number(serde_json::Number),
}

/// The deal as written, with the `stage` shorthand and ids that may be numbers.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct DealInput {
    #[serde(default)]
    #[schemars(with = "Option<DealId>")]
    id: Option<Value>,
    #[serde(default)]
    playbook: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    stages: Option<Vec<String>>,
    // A key written twice is refused, never decided by which comes last.
    #[serde(default)]
    fields: Option<Ordered<Value>>,
    #[serde(default)]
    activities: Option<Ordered<Completion>>,
    #[serde(default)]
    approvals: Option<Ordered<Approval>>,
    #[serde(default)]
    tasks: Option<Ordered<Task>>,
    #[serde(default)]
    history: Option<Vec<HistoryEntry>>,
    #[serde(default)]
    archived: Option<Archive>,
}

impl TryFrom<DealInput> for Deal {
    type Error = String;
    fn try_from(input: DealInput) -> Result<Deal, String> {
        let id = match input.id {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text),
            Some(Value::Number(number)) => Some(number.to_string()),
            Some(_) => return Err("`id` must be a text or a number".to_owned()),
        };
        let stages = match (input.stage, input.stages) {
            (Some(_), Some(_)) => {
                return Err("give `stage` or `stages`, not both".to_owned());
            }
            (Some(stage), None) => vec![stage],
            (None, stages) => stages.unwrap_or_default(),
        };
        Ok(Deal {
            id,
            playbook: input.playbook,
            owner: input.owner,
            stages,
            fields: input.fields.unwrap_or_default().0.into_iter().collect(),
            activities: input.activities.unwrap_or_default().0.into_iter().collect(),
            approvals: input.approvals.unwrap_or_default().0.into_iter().collect(),
            tasks: input.tasks.unwrap_or_default().0.into_iter().collect(),
            history: input.history.unwrap_or_default(),
            archived: input.archived,
        })
    }
}
