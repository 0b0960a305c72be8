//! The approvals a deal waits for (`Engine::approvals_waiting`), each with the request for it
//! still open: what an approver's queue lists.

use jiff::Timestamp;
use serde::Serialize;

use super::{Engine, Options};
use crate::deal::{Deal, DealError, HistoryEntry};

/// An approval a deal waits for: the criterion, the role that gives it, the stage whose gate (or
/// whose move) asks for it, why, and the request for it still open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct WaitingApproval {
    /// The approval criterion.
    pub criterion: String,
    /// The role that approves it.
    pub role: String,
    /// The active stage whose gate, or a move out of which, asks for it.
    pub stage: String,
    /// Why it is missing, in the engine's language (the criterion's `message` when it has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The latest request for it still open, if someone asked.
    pub requested: Option<ApprovalRequest>,
}

/// A request for an approval, as the deal's history records it (`approval_requested`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ApprovalRequest {
    /// When (as the history writes it).
    pub at: String,
    /// Who asked (an actor's id), when known.
    pub by: Option<String>,
    /// What they added for the approver.
    pub note: Option<String>,
}

impl Engine {
    /// The approvals `deal` waits for at `at`: one per approval criterion its moves still need
    /// (as [`NextSteps::approvals`](super::NextSteps::approvals) lists them, seen by nobody in
    /// particular), in the order of its stages and moves, each with the latest request for it
    /// still open: made since the deal last entered the stage, and after the last approval of
    /// it was given (an approval answers the requests before it; one voided since needs asking
    /// again). An archived deal waits for none; a deal in no stage whose gates or moves ask for
    /// an approval is answered without an evaluation, so a queue over many deals stays cheap.
    ///
    /// # Errors
    ///
    /// A [`DealError`] for a deal that does not fit the playbook.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, Deal, Engine, Options, Playbook};
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: p
    /// version: 1
    /// roles: { rep: {}, finance: {} }
    /// fields: { discount_pct: { type: number } }
    /// stages:
    ///   - id: proposal
    ///     exit: [ { id: discount_approved, when: "discount_pct > 20", approval: { role: finance } } ]
    ///   - { id: closing }
    /// transitions: [ { from: proposal, to: closing } ]
    /// "#, "p.yaml").unwrap();
    /// let engine = Engine::new(playbook).with_language("en");
    /// let at = stagegate::parse_time("2026-11-27").unwrap();
    /// let deal: Deal = serde_json::from_str(
    ///     r#"{"id": "D-1", "owner": "lee", "stage": "proposal", "fields": {"discount_pct": 25}}"#).unwrap();
    /// let waiting = engine.approvals_waiting(&deal, at).unwrap();
    /// assert_eq!((waiting[0].criterion.as_str(), waiting[0].role.as_str()), ("discount_approved", "finance"));
    /// assert!(waiting[0].requested.is_none());
    /// let lee = Actor::new("lee", ["rep"]);
    /// let asked = engine.request_approval(&deal, "discount_approved", None, at, &Options::new().as_actor(&lee)).unwrap();
    /// let waiting = engine.approvals_waiting(&asked.deal, at).unwrap();
    /// assert_eq!(waiting[0].requested.as_ref().and_then(|r| r.by.as_deref()), Some("lee"));
    /// let approved = engine.approve(&asked.deal, "discount_approved", &Actor::new("fiona", ["finance"]), at).unwrap();
    /// assert!(engine.approvals_waiting(&approved, at).unwrap().is_empty());
    /// ```
    pub fn approvals_waiting(
        &self,
        deal: &Deal,
        at: Timestamp,
    ) -> Result<Vec<WaitingApproval>, DealError> {
        if deal.archived.is_some() {
            return Ok(Vec::new());
        }
        let playbook = self.playbook();
        let named: Option<Vec<usize>> = deal
            .stages
            .iter()
            .map(|s| playbook.stage_index(s))
            .collect();
        if let Some(named) = named.filter(|n| !n.is_empty()) {
            if !playbook
                .approval_gates()
                .any(|gate| named.contains(&gate.stage))
            {
                return Ok(Vec::new());
            }
        }
        let evaluation = self.evaluate(deal, at, &Options::new())?;
        let mut waiting = Vec::new();
        for steps in evaluation.next_steps {
            for approval in steps.approvals {
                let Some(role) = approval.roles.first().cloned() else {
                    continue;
                };
                let requested = open_request(&deal.history, &approval.criterion, &steps.stage);
                waiting.push(WaitingApproval {
                    criterion: approval.criterion,
                    role,
                    stage: steps.stage.clone(),
                    message: approval.message,
                    requested,
                });
            }
        }
        Ok(waiting)
    }
}

/// The latest request for `criterion` in `history` made since the deal last entered `stage` and
/// after the last approval of it; `None` when there is none. A history is in time order (it only
/// goes forward), so the place of the last entry that answers requests bounds those still open.
fn open_request(history: &[HistoryEntry], criterion: &str, stage: &str) -> Option<ApprovalRequest> {
    let answered = history.iter().rposition(|entry| {
        (entry.enters_stage() && entry.to == stage) || entry.approved.as_deref() == Some(criterion)
    });
    let since = answered.map_or(0, |i| i + 1);
    history
        .get(since..)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|entry| entry.approval_requested.as_deref() == Some(criterion))
        .map(|entry| ApprovalRequest {
            at: entry.at.clone(),
            by: entry.by.clone(),
            note: entry.note.clone(),
        })
}
