//! What entering or leaving a stage sets in motion (`on_enter`, `on_exit`): tasks and
//! notifications, as data the engine returns and the host carries out.

use crate::script::Script;
use crate::support::text::Text;

/// One effect of entering or leaving a stage, as declared.
#[derive(Debug)]
pub(crate) enum EffectRule {
    /// Open a task: do `activity` within `due_days` whole days of the move.
    Task {
        /// The activity's index.
        activity: usize,
        due_days: u32,
        /// `owner` (the deal's owner) or a declared role.
        assignee: String,
    },
    /// Tell the people holding `role`, when `when` holds (always, without one).
    Notify {
        role: String,
        when: Option<Box<Script>>,
        message: Text,
    },
}
