//! The engine: interprets a loaded playbook for deals, in one language: evaluates criteria and
//! scorecards, applies moves, migrates deals. Pure: no I/O, no clock.

mod actor;
mod apply;
mod approval;
mod approve;
mod archive;
mod assessment;
mod change_error;
mod create;
mod criteria;
mod deprecated;
mod due;
mod edit;
mod effect;
mod effects;
mod error;
mod evaluate;
pub(crate) mod evaluation;
mod migrate;
mod moves;
mod next_steps;
mod options;
mod permits;
mod request;
mod rules;
mod score;
mod stage_time;
mod steps;
mod waiting;
mod warnings;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

pub use actor::Actor;
pub use approve::ApproveError;
pub use assessment::Assessment;
pub use change_error::{ChangeError, ChangeProblem};
pub use due::DueTask;
pub use effect::{Applied, Effect, EffectKind, Trigger};
pub use error::MoveError;
use evaluate::Evaluator;
pub use evaluation::{
    Blocker, DealScores, Evaluation, Gate, MoveCheck, Reason, RuleResult, Score, Warning,
};
pub use migrate::{migrate, MigrationError};
pub use moves::Move;
pub use options::Options;
pub use stage_time::StageTime;
pub use steps::{NextSteps, StepActivity, StepApproval};
pub use waiting::{ApprovalRequest, WaitingApproval};

use crate::deal::{Deal, DealError};
use crate::model::Playbook;

/// A loaded playbook, ready to evaluate deals. Cheap to clone and shareable across threads.
///
/// # Example
///
/// ```
/// use stagegate::{Actor, Deal, Engine, Move, Options, Playbook};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml"))?;
/// let engine = Engine::new(playbook).with_language("en");
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "stage": "lead_generation"}"#)?;
/// let at = stagegate::parse_time("2026-11-27")?;
/// // Engines are cheap handles: one per thread, all sharing the playbook.
/// let answers: Vec<bool> = std::thread::scope(|threads| {
///     let workers: Vec<_> = (0..2).map(|_| {
///         let engine = engine.clone();
///         let deal = &deal;
///         threads.spawn(move || engine.evaluate(deal, at, &Options::new()).map(|e| e.transitions[0].allowed))
///     }).collect();
///     workers.into_iter().map(|w| w.join().unwrap().unwrap()).collect()
/// });
/// assert_eq!(answers[0], answers[1]);
/// let manager = Actor::new("kang", ["manager"]);
/// let moved = engine.apply(&deal, &Move::to("qualification").by(manager).forced("inbound demo request"), at)?;
/// assert_eq!(moved.deal.stages, ["qualification"]);
/// # Ok(())
/// # }
/// ```
///
/// Evaluation is pure: the caller passes the time, and the same playbook, deal and time always
/// give the same answer.
#[derive(Clone, Debug)]
pub struct Engine {
    playbook: Arc<Playbook>,
    lang: String,
}

impl Engine {
    /// An engine for `playbook`, answering in its default language.
    pub fn new(playbook: impl Into<Arc<Playbook>>) -> Engine {
        let playbook = playbook.into();
        let lang = playbook.default_language().to_owned();
        Engine { playbook, lang }
    }

    /// The same engine answering in `lang` (texts without it fall back to the default language).
    #[must_use]
    pub fn with_language(mut self, lang: &str) -> Engine {
        self.lang = lang.to_owned();
        self
    }

    /// The playbook.
    pub fn playbook(&self) -> &Playbook {
        &self.playbook
    }

    /// The language answers are given in.
    pub fn language(&self) -> &str {
        &self.lang
    }

    /// The deal's stages, scores, every move out of every active stage with every reason it is
    /// blocked, and warnings, at time `at`; with [`Options::as_actor`], the moves as that person
    /// sees them: a move they may not make (the playbook's `permissions.move`, a transition's
    /// `by:`) is blocked by a `permission` blocker naming the roles that may.
    ///
    /// # Errors
    ///
    /// A [`DealError`] listing every problem when the deal does not fit the playbook (undeclared
    /// fields, wrong types, unknown stages or activities, a pin to another playbook, bad dates).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, Deal, Engine, Gate, Options, Playbook, Reason};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: demo
    /// version: 1
    /// roles: { manager: { title: { en: Sales manager } } }
    /// fields: { budget: { type: number } }
    /// stages:
    ///   - { id: open, exit: [ { id: budget_ok, when: "budget >= 1000" } ] }
    ///   - { id: won, outcome: won }
    ///   - { id: lost, outcome: lost }
    /// transitions: [ { from: open, to: won }, { from: open, to: lost, by: [manager] } ]
    /// "#, "demo.yaml")?;
    /// let engine = Engine::new(playbook);
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "lee", "fields": {"budget": 500}}"#)?;
    /// let at = stagegate::parse_time("2026-11-27")?;
    /// let evaluation = engine.evaluate(&deal, at, &Options::new())?;
    /// let blocker = &evaluation.transitions[0].blockers[0];
    /// assert_eq!(blocker.criterion.as_deref(), Some("budget_ok"));
    /// assert_eq!(blocker.reason, Reason::Failed);
    /// assert_eq!(blocker.values["budget"], 500);
    /// // Without an actor, every move says who may make it.
    /// assert_eq!(evaluation.transitions[1].by, ["manager"]);
    /// // As the owner sees it: only a manager may mark the deal lost.
    /// let lee = Actor::new("lee", ["rep"]);
    /// let seen = engine.evaluate(&deal, at, &Options::new().as_actor(&lee))?;
    /// let blocker = &seen.transitions[1].blockers[0];
    /// assert_eq!((blocker.gate, blocker.reason), (Gate::Permission, Reason::Forbidden));
    /// assert_eq!(blocker.message.as_deref(), Some("only Sales manager may make this move"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn evaluate(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Evaluation, DealError> {
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        evaluator.actor = options.actor;
        Ok(evaluator.evaluate(at))
    }

    /// [`Engine::evaluate`] with what a pipeline board's card and a coverage run also read, from
    /// the same fit of the deal to the playbook: its time in each active stage (as
    /// [`Engine::time_in_stages`]) and, with [`Options::traced`], every criterion and rule outcome.
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`].
    pub fn assess(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Assessment, DealError> {
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        evaluator.actor = options.actor;
        if options.trace {
            evaluator.trace = Some(Vec::new());
        }
        let evaluation = evaluator.evaluate(at);
        Ok(Assessment {
            evaluation,
            stage_times: stage_time::stage_times(&self.playbook, &evaluator.facts, at),
            trace: evaluator.trace.unwrap_or_default(),
        })
    }

    /// Every scorecard of the deal, with each rule's points.
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`].
    pub fn score(&self, deal: &Deal, at: Timestamp) -> Result<BTreeMap<String, Score>, DealError> {
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        Ok(evaluator.score_all())
    }

    /// Every scorecard of a deal whose facts were read straight from its text (see
    /// [`crate::fit::read_plain`]): what [`Engine::score`] gives on the deal read the full way.
    pub(crate) fn score_facts(
        &self,
        id: Option<&str>,
        facts: crate::fit::CheckedDeal<'_>,
        at: Timestamp,
    ) -> BTreeMap<String, Score> {
        Evaluator::plain(&self.playbook, id, facts, at, &self.lang).score_all()
    }

    /// Makes `wanted` at time `at`: the new deal, with one history entry appended, and what the
    /// move sets in motion: the `on_exit` effects of the stage it leaves, then the `on_enter`
    /// effects of the stage it enters (tasks, recorded on the deal under `tasks`, and
    /// notifications whose rule holds on the moved deal), in the engine's language. A forced move
    /// is made even when blocked, recorded with its reason and what it overrode, and fires its
    /// effects too, marked `forced`. The move says who makes it ([`Move::by`]): its gates are
    /// checked as they see them. The deal is fitted to the playbook once, and only the moves to
    /// the target are checked.
    ///
    /// # Errors
    ///
    /// [`MoveError::Blocked`] with every reason when the move is blocked and not forced; other
    /// [`MoveError`]s for an invalid deal, an unknown or undeclared target, an ambiguous source,
    /// a forced move without a reason, a move dated before the deal's last history entry, no
    /// actor where the playbook says who may move, forcing without a `force` role, forcing past
    /// a missing approval that is not `forceable` ([`MoveError::ApprovalNotForceable`]), and an
    /// archived deal ([`MoveError::Archived`]).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Deal, EffectKind, Engine, Move, Playbook};
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: p
    /// version: 1
    /// timezone: Asia/Seoul
    /// roles: { manager: {} }
    /// fields: { amount: { type: number } }
    /// stages:
    ///   - id: lead
    ///   - id: qualify
    ///     activities: [ { id: call, title: Discovery call, required: true } ]
    ///     on_enter:
    ///       - task: { activity: call, due_days: 5 }
    ///       - notify: { role: manager, when: "amount >= 100000", message: Large deal in qualification }
    ///   - { id: won, outcome: won }
    /// transitions: [ { from: lead, to: qualify }, { from: qualify, to: won } ]
    /// "#, "p.yaml").unwrap();
    /// let engine = Engine::new(playbook);
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "yoon", "fields": {"amount": 150000}}"#).unwrap();
    /// let at = stagegate::parse_time("2026-11-27T09:00:00+09:00").unwrap();
    /// let applied = engine.apply(&deal, &Move::to("qualify"), at).unwrap();
    /// assert_eq!(applied.deal.stages, ["qualify"]);
    /// let kinds: Vec<EffectKind> = applied.effects.iter().map(|e| e.kind).collect();
    /// assert_eq!(kinds, [EffectKind::Task, EffectKind::Notify]);
    /// assert_eq!(applied.effects[0].due.as_deref(), Some("2026-12-02T00:00:00Z"));
    /// assert_eq!(applied.effects[0].assignee.as_deref(), Some("yoon"));
    /// assert_eq!(applied.deal.tasks["call"].due, "2026-12-02T00:00:00Z");
    /// ```
    pub fn apply(&self, deal: &Deal, wanted: &Move, at: Timestamp) -> Result<Applied, MoveError> {
        // What is wrong with the deal comes first; then who makes the move.
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        match &wanted.by {
            // A blank id names nobody.
            Some(actor) if actor.id.trim().is_empty() => return Err(MoveError::NoActor),
            Some(actor) => evaluator.actor = Some(actor),
            None if self.playbook.requires_actor() => return Err(MoveError::NoActor),
            None => {}
        }
        if let Some(archived) = &deal.archived {
            return Err(MoveError::Archived {
                message: archived.refusal(&self.lang),
            });
        }
        apply::apply(&mut evaluator, deal, wanted, at)
    }

    /// `actor` approves the approval criterion `criterion` (`approval: { role }` in the
    /// playbook) at `at`: the new deal, holding `approvals: { <criterion>: { by, at, role,
    /// values } }`, with a history entry `{ at, approved, by }` appended. The approval counts
    /// until the deal leaves the stage whose gate asked for it, and only while the values its
    /// `when` reads stay those it was given for.
    ///
    /// # Errors
    ///
    /// [`ApproveError`]: an invalid deal, an unknown criterion, a deal not in the stage that
    /// asks for it, an actor without the role, the deal's owner approving (four eyes), or an
    /// approval that already counts.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, ApproveError, Deal, Engine, Move, Options, Playbook, Reason};
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
    /// let blocker = &engine.evaluate(&deal, at, &Options::new()).unwrap().transitions[0].blockers[0];
    /// assert_eq!(blocker.reason, Reason::ApprovalMissing);
    /// assert_eq!(blocker.message.as_deref(), Some("needs approval by Finance"));
    /// // The owner may not approve their own deal, whatever their roles.
    /// let own = engine.approve(&deal, "discount_approved", &Actor::new("lee", ["finance"]), at);
    /// assert!(matches!(own, Err(ApproveError::OwnDeal { .. })));
    /// let approved = engine.approve(&deal, "discount_approved", &Actor::new("park", ["finance"]), at).unwrap();
    /// assert_eq!(approved.history.last().unwrap().approved.as_deref(), Some("discount_approved"));
    /// let moved = engine.apply(&approved, &Move::to("closing").by(Actor::new("lee", ["rep"])), at).unwrap();
    /// assert!(moved.deal.approvals.is_empty(), "leaving the stage clears its approvals");
    /// ```
    pub fn approve(
        &self,
        deal: &Deal,
        criterion: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Deal, ApproveError> {
        approve::approve(&self.playbook, deal, criterion, actor, at, &self.lang)
    }

    /// The same deal carried from `old`, an older version of this engine's playbook, to this
    /// version, as the playbook's `migrations:` say; see [`migrate`]. With
    /// [`Options::as_actor`], the actor is recorded as `by` in the migration's history entry.
    ///
    /// # Errors
    ///
    /// A [`MigrationError`] naming everything in the way, as [`migrate`].
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, Deal, Engine, Options, Playbook};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let v1 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: lead}, {id: discovery}]\ntransitions: [{from: lead, to: discovery}]\n", "v1.yaml")?;
    /// let v2 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 2\nstages: [{id: lead}, {id: qualify}]\ntransitions: [{from: lead, to: qualify}]\nmigrations: [{from: 1, stages: {discovery: qualify}}]\n", "v2.yaml")?;
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "playbook": "p@1", "stage": "discovery"}"#)?;
    /// let ops = Actor::new("ops", ["admin"]);
    /// let at = stagegate::parse_time("2026-11-27")?;
    /// let moved = Engine::new(v2).migrate(&v1, &deal, at, &Options::new().as_actor(&ops))?;
    /// assert_eq!(moved.stages, ["qualify"]);
    /// assert_eq!(moved.playbook.as_deref(), Some("p@2"));
    /// assert_eq!(moved.history.last().unwrap().by.as_deref(), Some("ops"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn migrate(
        &self,
        old: &Playbook,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Deal, MigrationError> {
        let by = options.actor.map(|actor| actor.id.as_str());
        migrate::migrate_by(old, &self.playbook, deal, at, by)
    }
}
