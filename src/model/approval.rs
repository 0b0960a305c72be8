//! Approval criteria (`approval: { role }`): where each stands, so a deal's approvals can be
//! checked, given and cleared.

use super::{Criterion, Playbook, Test};

/// An approval criterion with the stage whose gate asks for it: a stage's exit criterion, or a
/// criterion of a transition out of that stage.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ApprovalGate<'p> {
    /// The stage the deal is in while it needs the approval; leaving it clears the approval.
    pub stage: usize,
    pub criterion: &'p Criterion,
    /// Who may approve.
    pub role: &'p str,
    /// Whether a forced move may go past it.
    pub forceable: bool,
}

impl Playbook {
    /// Every approval criterion, in playbook order (stages' exit gates, then transitions).
    pub(crate) fn approval_gates(&self) -> impl Iterator<Item = ApprovalGate<'_>> {
        let exits = self
            .stages
            .iter()
            .enumerate()
            .flat_map(|(stage, s)| s.exit.iter().map(move |criterion| (stage, criterion)));
        let moves = self.transitions.iter().flat_map(|t| {
            t.when
                .iter()
                .map(move |criterion| (t.from_index, criterion))
        });
        exits
            .chain(moves)
            .filter_map(|(stage, criterion)| match &criterion.test {
                Test::Approval {
                    role, forceable, ..
                } => Some(ApprovalGate {
                    stage,
                    criterion,
                    role,
                    forceable: *forceable,
                }),
                _ => None,
            })
    }

    /// What to tell someone who named `id`, which is no approval criterion: the likely intended
    /// one, else the approval criteria there are (or that there are none).
    pub(crate) fn approval_help(&self, id: &str) -> String {
        let ids: Vec<&str> = self
            .approval_gates()
            .map(|gate| gate.criterion.id.as_str())
            .collect();
        match ids.as_slice() {
            [] => "this playbook has no approval criteria".to_owned(),
            _ => crate::support::suggest::did_you_mean(id, ids.iter().copied()).unwrap_or_else(
                || {
                    format!(
                        "its approval criteria are {}",
                        crate::support::suggest::list(&ids)
                    )
                },
            ),
        }
    }

    /// The approval criterion `id`.
    pub(crate) fn approval_gate(&self, id: &str) -> Option<ApprovalGate<'_>> {
        self.approval_gates().find(|gate| gate.criterion.id == id)
    }
}
