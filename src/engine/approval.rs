//! Checking an approval criterion: is the approval needed, and does the deal hold one that
//! counts (four eyes, for the values it was given for)?

use super::evaluate::Evaluator;
use super::evaluation::{Blocker, Gate, Reason};
use crate::model::Criterion;
use crate::script::Script;
use crate::support::messages::{self, ApprovalNeed};

impl Evaluator<'_> {
    /// `None` when the approval criterion holds: its `when` does not hold, or the deal holds an
    /// approval of it by someone who is neither its owner nor the actor asking, given for the
    /// values the `when` reads now. Otherwise why not.
    pub(crate) fn check_approval(
        &mut self,
        criterion: &Criterion,
        role: &str,
        when: Option<&Script>,
        gate: Gate,
    ) -> Option<Blocker> {
        // While `when` cannot be decided (a missing field), the approval may be needed.
        let mut undecided = None;
        if let Some(script) = when {
            match self.run_when(script, gate) {
                None => {}
                Some(blocker) if blocker.reason == Reason::Failed => return None,
                Some(blocker) => undecided = Some(blocker),
            }
        }
        let need = self.approval_need(&criterion.id, role, when)?;
        let title = super::actor::titles(self.playbook, &[role.to_owned()], self.lang).concat();
        let lang = self.lang;
        let message = match &need {
            Need::Missing => messages::approval_needed(lang, &title, &ApprovalNeed::Missing),
            Need::ByOwner(by) => {
                messages::approval_needed(lang, &title, &ApprovalNeed::ByOwner(by))
            }
            Need::ByMover(by) => {
                messages::approval_needed(lang, &title, &ApprovalNeed::ByMover(by))
            }
            Need::OtherRole(by, other) => {
                messages::approval_needed(lang, &title, &ApprovalNeed::OtherRole(by, other))
            }
            Need::NoValues(by) => {
                messages::approval_needed(lang, &title, &ApprovalNeed::NoValues(by))
            }
            Need::Changed(key, was, is) => {
                let (then, now) = (show(lang, was.as_ref()), show(lang, is.as_ref()));
                messages::approval_needed(lang, &title, &ApprovalNeed::Changed(key, &then, &now))
            }
        };
        let mut blocker = Blocker::new(gate, Reason::ApprovalMissing);
        blocker.roles = vec![role.to_owned()];
        blocker.message = Some(message);
        if let Some(mut undecided) = undecided {
            blocker.fields.clone_from(&undecided.fields);
            undecided.criterion = Some(format!("{}.when", criterion.id));
            blocker.because = vec![undecided];
        }
        if let Some(script) = when {
            blocker.values = self.values_read(script);
        }
        Some(blocker)
    }

    /// Why the deal's approval of `id` (to be given by `role`) does not count, or `None` when
    /// it does.
    pub(super) fn approval_need(
        &self,
        id: &str,
        role: &str,
        when: Option<&Script>,
    ) -> Option<Need> {
        let Some(approval) = self.approvals.and_then(|a| a.get(id)) else {
            return Some(Need::Missing);
        };
        // An approval by nobody is no approval.
        if approval.by.trim().is_empty() {
            return Some(Need::Missing);
        }
        if self.owner == Some(approval.by.as_str()) {
            return Some(Need::ByOwner(approval.by.clone()));
        }
        if self.actor.is_some_and(|actor| actor.id == approval.by) {
            return Some(Need::ByMover(approval.by.clone()));
        }
        if let Some(other) = approval.role.as_deref().filter(|given| *given != role) {
            return Some(Need::OtherRole(approval.by.clone(), other.to_owned()));
        }
        // Without a `when`, the approval is always needed, and always for the same thing.
        let script = when?;
        // An approval of a conditional gate counts only for the values it was given for.
        let Some(seen) = &approval.values else {
            return Some(Need::NoValues(approval.by.clone()));
        };
        let now = self.values_read(script);
        // Only what the rule reads: its fields, and the scores it reads.
        let read = script
            .fields
            .iter()
            .map(|&f| self.playbook.fields[f].id.clone())
            .chain(
                script
                    .cards
                    .iter()
                    .map(|&c| format!("score({})", self.card_id(c))),
            );
        for key in read {
            let (was, is) = (seen.get(&key), now.get(&key));
            if !same(was, is) {
                return Some(Need::Changed(key, was.cloned(), is.cloned()));
            }
        }
        None
    }
}

/// Why an approval the deal holds does not count.
pub(super) enum Need {
    Missing,
    ByOwner(String),
    ByMover(String),
    /// Given as another role than the one the criterion asks for.
    OtherRole(String, String),
    /// Written without the values it was given for, for a gate with a `when`.
    NoValues(String),
    /// A value the approval was given for, then and now (`None`: absent).
    Changed(String, Option<serde_json::Value>, Option<serde_json::Value>),
}

/// Two values of one field, equal as numbers when both are numbers (`25` and `25.0`).
fn same(a: Option<&serde_json::Value>, b: Option<&serde_json::Value>) -> bool {
    match (a, b) {
        (Some(serde_json::Value::Number(x)), Some(serde_json::Value::Number(y))) => {
            x.as_f64() == y.as_f64()
        }
        _ => a == b,
    }
}

/// A value in a message: a text in quotes (so `"30"` and `30` differ), an absent one said so.
fn show(lang: &str, value: Option<&serde_json::Value>) -> String {
    match value {
        None => messages::absent(lang).to_owned(),
        Some(serde_json::Value::String(text)) => format!("{text:?}"),
        Some(other) => other.to_string(),
    }
}
