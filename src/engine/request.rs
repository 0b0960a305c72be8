//! Asking for an approval (`Engine::request_approval`): checked like a change (who may, every
//! reason it is refused), recorded in the deal's history (asked again: a reminder, recorded
//! again) and answered with a notification to the approving role.

use jiff::Timestamp;

use super::change_error::{ChangeError, ChangeProblem};
use super::edit::{acting, refuse_before_history};
use super::effect::{Applied, Effect, EffectKind, Trigger};
use super::evaluate::Evaluator;
use super::evaluation::{Gate, Reason};
use super::permits::{self, Right};
use super::{Engine, Options};
use crate::deal::{Deal, HistoryEntry};
use crate::model::{ApprovalGate, Playbook, Test, OWNER};
use crate::support::request_messages;
use crate::support::time::format_time;

impl Engine {
    /// Asks for an approval of `criterion` on `deal` at `at`, by the actor of `options`, with a
    /// `note` for the approver: the deal with a history entry `{ at, by, approval_requested:
    /// <criterion>, note? }`, and one effect, a `notify` to the criterion's approving role (`on:
    /// request`, the stage whose gate asks for it, the criterion, a message in the engine's
    /// language naming who asks, the deal, why it is needed and the note). Asking again is
    /// allowed (a reminder) and recorded again; nothing else of the deal changes.
    ///
    /// Who may ask: whoever may edit the deal (`permissions.edit`, by default the deal's owner
    /// and the roles of `permissions.force`); a playbook that names no roles lets anyone. A
    /// playbook that says who may change deals needs an actor.
    ///
    /// # Errors
    ///
    /// [`ChangeError::Forbidden`] for an actor who may not edit the deal;
    /// [`ChangeError::Refused`] with every reason: an archived deal (`archived`), a time before
    /// the history's last entry (`before-history`), no approval criterion of that id
    /// (`unknown-criterion`, with the likely intended one), one not asked for in the deal's
    /// stages nor by the moves out of them (`not-in-stage`), one the deal holds an approval of
    /// that still counts (`already-approved`), one whose `when` does not hold now (`not-needed`);
    /// [`ChangeError::NoActor`]; [`ChangeError::Deal`] for a deal that does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, ChangeError, Deal, EffectKind, Engine, Options, Playbook};
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: p
    /// version: 1
    /// roles: { rep: {}, finance: { title: { en: Finance } } }
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
    /// let lee = Actor::new("lee", ["rep"]);
    /// let asked = engine.request_approval(&deal, "discount_approved", Some("the customer signs Friday"),
    ///     at, &Options::new().as_actor(&lee)).unwrap();
    /// let entry = asked.deal.history.last().unwrap();
    /// assert_eq!(entry.approval_requested.as_deref(), Some("discount_approved"));
    /// assert_eq!(entry.note.as_deref(), Some("the customer signs Friday"));
    /// let notify = &asked.effects[0];
    /// assert_eq!((notify.kind, notify.role.as_deref()), (EffectKind::Notify, Some("finance")));
    /// assert_eq!(notify.message.as_deref(),
    ///     Some("lee asks Finance for an approval on D-1: `discount_approved` (note: the customer signs Friday)"));
    /// // A criterion the playbook does not have is refused with the likely intended one.
    /// let typo = engine.request_approval(&deal, "discount_aproved", None, at, &Options::new().as_actor(&lee));
    /// let Err(ChangeError::Refused { problems }) = typo else { panic!("refused") };
    /// assert!(problems[0].message.contains("did you mean `discount_approved`?"));
    /// ```
    pub fn request_approval(
        &self,
        deal: &Deal,
        criterion: &str,
        note: Option<&str>,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Applied, ChangeError> {
        let playbook = self.playbook();
        let lang = self.language();
        let mut evaluator = Evaluator::new(playbook, deal, at, lang)?;
        let actor = acting(playbook, options)?;
        if let Some(problem) = permits::check(
            playbook,
            Right::RequestApproval,
            actor,
            deal.owner.as_deref(),
            "approval_requested",
            lang,
        ) {
            return Err(ChangeError::Forbidden {
                problems: vec![problem],
            });
        }
        let mut refused = Vec::new();
        if let Some(archived) = &deal.archived {
            refused.push(ChangeProblem::refused(
                "archived",
                "archived",
                archived.refusal(lang),
            ));
        }
        if let Err(error) = refuse_before_history(playbook, deal, at) {
            refused.extend(error.problems().iter().cloned());
        }
        let gate = match asked_for(playbook, &mut evaluator, deal, criterion) {
            Ok(gate) => Some(gate),
            Err(problem) => {
                refused.push(problem);
                None
            }
        };
        let Some(gate) = gate.filter(|_| refused.is_empty()) else {
            return Err(ChangeError::Refused { problems: refused });
        };
        let by = actor.map(|a| a.id.clone());
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let mut asked = deal.clone();
        let mut entry = HistoryEntry::change(format_time(at), by.clone());
        entry.approval_requested = Some(criterion.to_owned());
        entry.note = note.map(str::to_owned);
        asked.history.push(entry);
        let role = gate.role.to_owned();
        let title = super::actor::titles(playbook, std::slice::from_ref(&role), lang).concat();
        let why = gate.criterion.message.as_ref().map_or_else(
            || format!("`{criterion}`"),
            |m| m.get(lang, playbook.default_language()).to_owned(),
        );
        let label = deal.label("(no id)");
        let message = request_messages::requested(lang, by.as_deref(), &title, &label, &why, note);
        // `owner` as the approving role is the deal's owner, as a move's notify names them.
        let (assignee, role) = match deal.owner.as_deref() {
            Some(owner) if role == OWNER => (Some(owner.to_owned()), None),
            _ => (None, Some(role)),
        };
        let notify = Effect {
            kind: EffectKind::Notify,
            on: Trigger::Request,
            stage: playbook.stages[gate.stage].id.clone(),
            deal: deal.id.clone(),
            activity: None,
            due: None,
            assignee,
            role,
            message: Some(message),
            forced: false,
            criterion: Some(criterion.to_owned()),
        };
        Ok(Applied {
            deal: asked,
            effects: vec![notify],
        })
    }
}

/// The gate of `criterion` in one of the deal's active stages (or a move out of one), when an
/// approval of it can be asked for now; else why not.
fn asked_for<'p>(
    playbook: &'p Playbook,
    evaluator: &mut Evaluator<'_>,
    deal: &Deal,
    criterion: &str,
) -> Result<ApprovalGate<'p>, ChangeProblem> {
    let lang = evaluator.lang();
    let gates: Vec<ApprovalGate<'p>> = playbook
        .approval_gates()
        .filter(|gate| gate.criterion.id == criterion)
        .collect();
    if gates.is_empty() {
        return Err(ChangeProblem::refused(
            "unknown-criterion",
            "criterion",
            format!(
                "`{criterion}` is not an approval criterion of this playbook ({})",
                playbook.approval_help(criterion)
            ),
        ));
    }
    let default = playbook.default_language();
    let Some(gate) = gates
        .iter()
        .find(|g| evaluator.facts.active.contains(&g.stage))
        .copied()
    else {
        let mut stages: Vec<&str> = gates
            .iter()
            .map(|g| playbook.stages[g.stage].title_in(lang, default))
            .collect();
        stages.dedup();
        let active: Vec<&str> = evaluator
            .facts
            .active
            .iter()
            .map(|&s| playbook.stages[s].title_in(lang, default))
            .collect();
        return Err(ChangeProblem::refused(
            "not-in-stage",
            "criterion",
            request_messages::not_in_stage(lang, criterion, &stages, &active),
        ));
    };
    evaluator.score_all();
    let when = match &gate.criterion.test {
        Test::Approval { when, .. } => when.as_deref(),
        _ => None,
    };
    if let Some(held) = deal.approvals.get(criterion) {
        if evaluator
            .approval_need(criterion, gate.role, when)
            .is_none()
        {
            return Err(ChangeProblem::refused(
                "already-approved",
                "criterion",
                request_messages::already_approved(lang, criterion, &held.by, &held.at),
            ));
        }
    }
    if let Some(script) = when {
        // Only a rule that does not hold makes it unneeded: one that cannot be decided yet (a
        // missing field) may still need it.
        if evaluator
            .run_when(script, Gate::Exit)
            .is_some_and(|blocker| blocker.reason == Reason::Failed)
        {
            return Err(ChangeProblem::refused(
                "not-needed",
                "criterion",
                request_messages::not_needed(lang, criterion, &script.source),
            ));
        }
    }
    Ok(gate)
}
