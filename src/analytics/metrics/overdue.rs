//! Which stages a deal has overdue tasks in: open tasks (activity not done) past due, counted
//! by the stage that opened them.

use jiff::Timestamp;

use crate::deal::Deal;
use crate::model::Playbook;

/// The stages (by index, each once) whose tasks on `deal` are past due at `at`.
pub(super) fn overdue_stages(playbook: &Playbook, deal: &Deal, at: Timestamp) -> Vec<usize> {
    let mut stages = Vec::new();
    for (activity, task) in &deal.tasks {
        let done = deal.has_done(activity);
        let late = playbook.read_time(&task.due).is_ok_and(|due| due < at);
        if let (false, true, Some(stage)) = (done, late, playbook.stage_index(&task.stage)) {
            if !stages.contains(&stage) {
                stages.push(stage);
            }
        }
    }
    stages
}
