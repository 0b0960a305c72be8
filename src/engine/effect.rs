//! What a move (or a request for an approval) sets in motion: `Effect`s (tasks and
//! notifications) for the host to carry out, and `Applied`, a changed deal with its effects.

use serde::Serialize;

use crate::deal::Deal;

/// What an effect asks of the host (more kinds may come: match with a fallback arm).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EffectKind {
    /// A task opened: do `activity` by `due`.
    Task,
    /// A notification to the people holding `role`.
    Notify,
}

/// Whether an effect comes from leaving a stage, from entering one, or from a request for an
/// approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// `on_exit` of a stage the deal left.
    Exit,
    /// `on_enter` of a stage the deal entered.
    Enter,
    /// Someone asked for an approval ([`Engine::request_approval`](super::Engine::request_approval)):
    /// a notification to the approving role.
    Request,
}

/// One effect of a move or of a request for an approval: data the engine returns and the host carries out (open a task in its
/// CRM, send a message). The engine does no I/O.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Effect {
    /// A task or a notification.
    pub kind: EffectKind,
    /// From leaving or entering `stage`, or from a request for an approval.
    pub on: Trigger,
    /// The stage whose `on_exit` or `on_enter` declared it; for a request, the stage whose gate
    /// asks for the approval.
    pub stage: String,
    /// The deal's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    /// For a task: the activity to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// For a task: when it is due (RFC 3339, UTC), `due_days` after the move in the playbook's
    /// time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The person it is for (the deal's owner), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The role it is for, when not a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// For a notification: the message, in the engine's language; for a task: the activity's
    /// title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The move was forced past its blockers.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
    /// For a request: the approval criterion asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
}

/// A move made: the moved deal and, in order, its effects (`on_exit` of each stage it left, then
/// `on_enter` of each stage it entered); or a request for an approval made: the deal with the
/// request in its history and the notification to the approving role.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Applied {
    /// The moved deal, with its open tasks (or the deal with the request).
    pub deal: Deal,
    /// What the move sets in motion.
    pub effects: Vec<Effect>,
}
