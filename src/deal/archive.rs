//! `Archive`: a deal taken off the board, by whom, when and why; nothing is erased.

use serde::{Deserialize, Serialize};

/// A deal archived (`archived: { at, by, reason }`): it leaves the board, the tasks due and the
/// open pipeline's figures, and refuses moves and edits until unarchived; its history stays.
///
/// # Example
///
/// ```
/// use stagegate::Deal;
/// let deal: Deal = serde_json::from_str(
///     r#"{"id": "D-9", "archived": {"at": "2026-11-20T09:00:00Z", "by": "kang", "reason": "duplicate of D-7"}}"#).unwrap();
/// assert_eq!(deal.archived.as_ref().unwrap().reason, "duplicate of D-7");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Archive {
    /// When (RFC 3339, or a date).
    pub at: String,
    /// Who archived it (an actor's id).
    pub by: String,
    /// Why.
    pub reason: String,
}

impl Archive {
    /// Why the archived deal refuses a move, an approval or an edit, in `lang`: who archived it,
    /// when and why.
    pub(crate) fn refusal(&self, lang: &str) -> String {
        crate::support::change_messages::archived(lang, &self.by, &self.at, &self.reason)
    }

    /// An archive by `by` at `at` (RFC 3339) for `reason`.
    pub fn new(at: impl Into<String>, by: impl Into<String>, reason: impl Into<String>) -> Archive {
        Archive {
            at: at.into(),
            by: by.into(),
            reason: reason.into(),
        }
    }
}
