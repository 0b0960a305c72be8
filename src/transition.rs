//! Declared moves between stages, and their derived kinds.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::criterion::Criterion;

/// The kind of a move, derived from the main path, never declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MoveKind {
    /// To the next stage on the main path.
    Advance,
    /// Forward past one stage or more.
    Skip,
    /// To an earlier stage.
    Return,
    /// To a terminal stage (lost or churned).
    Exit,
}

impl MoveKind {
    /// `true` for advance and skip: the moves that leave a stage forward and so pass its exit gate.
    pub fn is_forward(self) -> bool {
        matches!(self, MoveKind::Advance | MoveKind::Skip)
    }

    /// The kind as written in JSON and history.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Advance => "advance",
            MoveKind::Skip => "skip",
            MoveKind::Return => "return",
            MoveKind::Exit => "exit",
        }
    }
}

/// One declared edge of the playbook graph (a `from` list is one transition per source).
///
/// # Example
///
/// ```
/// use stagegate::{MoveKind, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let kinds: Vec<(&str, MoveKind)> = playbook
///     .transitions()
///     .iter()
///     .filter(|t| t.from == "qualification")
///     .map(|t| (t.to.as_str(), t.kind))
///     .collect();
/// assert!(kinds.contains(&("needs_analysis", MoveKind::Advance)));
/// assert!(kinds.contains(&("proposal_negotiation", MoveKind::Skip)));
/// assert!(kinds.contains(&("lost", MoveKind::Exit)));
/// ```
#[derive(Debug)]
pub struct Transition {
    /// Source stage id.
    pub from: String,
    /// Target stage id.
    pub to: String,
    /// Derived kind.
    pub kind: MoveKind,
    /// The source stays active.
    pub fork: bool,
    pub(crate) from_index: usize,
    pub(crate) to_index: usize,
    pub(crate) when: Arc<[Criterion]>,
}

/// The kind of a move from position `from` to position `to` on the main path.
pub(crate) fn kind_of(from: usize, to: usize, to_terminal: bool) -> MoveKind {
    if to_terminal {
        MoveKind::Exit
    } else if to == from + 1 {
        MoveKind::Advance
    } else if to > from {
        MoveKind::Skip
    } else {
        MoveKind::Return
    }
}
