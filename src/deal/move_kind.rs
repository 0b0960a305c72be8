//! The kind of a move a deal made or may make: advance, skip, return or exit.

use serde::{Deserialize, Serialize};

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
