//! The engine: interprets a loaded playbook for deals, in one language: evaluates criteria and
//! scorecards, applies moves, migrates deals. Pure: no I/O, no clock.

mod actor;
mod apply;
mod approval;
mod approve;
mod criteria;
mod due;
mod effect;
mod effects;
mod error;
mod evaluate;
pub(crate) mod evaluation;
mod json_line;
mod migrate;
mod moves;
mod next_steps;
mod rules;
mod score;
mod stage_time;
mod steps;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

pub use actor::Actor;
pub use approve::ApproveError;
pub use due::DueTask;
pub use effect::{Applied, Effect, EffectKind, Trigger};
pub use error::MoveError;
use evaluate::Evaluator;
pub use evaluation::{
    Blocker, DealScores, Evaluation, Gate, MoveCheck, Reason, RuleResult, Score, Warning,
};
pub use migrate::{migrate, MigrationError};
pub use moves::Move;
pub use stage_time::StageTime;
pub use steps::{NextSteps, StepActivity, StepApproval};

use crate::deal::{Deal, DealError};
use crate::model::Playbook;

/// A loaded playbook, ready to evaluate deals. Cheap to clone and shareable across threads.
///
/// # Example
///
/// ```
/// use stagegate::{Actor, Deal, Engine, Move, Playbook};
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
///         threads.spawn(move || engine.evaluate(deal, at).map(|e| e.transitions[0].allowed))
///     }).collect();
///     workers.into_iter().map(|w| w.join().unwrap().unwrap()).collect()
/// });
/// assert_eq!(answers[0], answers[1]);
/// let manager = Actor::new("kang", ["manager"]);
/// let moved = engine.apply(&deal, &Move::to("qualification").by(manager).forced("inbound demo request"), at)?;
/// assert_eq!(moved.stages, ["qualification"]);
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
    /// blocked, and warnings, at time `at`.
    ///
    /// # Errors
    ///
    /// A [`DealError`] listing every problem when the deal does not fit the playbook (undeclared
    /// fields, wrong types, unknown stages or activities, a pin to another playbook, bad dates).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Deal, Engine, Playbook, Reason};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: demo
    /// version: 1
    /// fields: { budget: { type: number } }
    /// stages:
    ///   - { id: open, exit: [ { id: budget_ok, when: "budget >= 1000" } ] }
    ///   - { id: won, outcome: won }
    /// transitions: [ { from: open, to: won } ]
    /// "#, "demo.yaml")?;
    /// let engine = Engine::new(playbook);
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "fields": {"budget": 500}}"#)?;
    /// let evaluation = engine.evaluate(&deal, stagegate::parse_time("2026-11-27")?)?;
    /// let blocker = &evaluation.transitions[0].blockers[0];
    /// assert_eq!(blocker.criterion.as_deref(), Some("budget_ok"));
    /// assert_eq!(blocker.reason, Reason::Failed);
    /// assert_eq!(blocker.values["budget"], 500);
    /// # Ok(())
    /// # }
    /// ```
    pub fn evaluate(&self, deal: &Deal, at: Timestamp) -> Result<Evaluation, DealError> {
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        Ok(evaluator.evaluate(at))
    }

    /// Like [`Engine::evaluate`], also returning every criterion and rule outcome (id, held) in
    /// the order they were checked; for test coverage.
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`].
    pub fn evaluate_traced(
        &self,
        deal: &Deal,
        at: Timestamp,
    ) -> Result<(Evaluation, Vec<(String, bool)>), DealError> {
        self.evaluate_traced_as(deal, None, at)
    }

    /// [`Engine::evaluate_traced`] as `actor` sees the moves, when given.
    pub(crate) fn evaluate_traced_as(
        &self,
        deal: &Deal,
        actor: Option<&Actor>,
        at: Timestamp,
    ) -> Result<(Evaluation, Vec<(String, bool)>), DealError> {
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        evaluator.trace = Some(Vec::new());
        evaluator.actor = actor;
        let evaluation = evaluator.evaluate(at);
        Ok((evaluation, evaluator.trace.unwrap_or_default()))
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

    /// Every scorecard of a deal given as JSON text, with the deal's id: the same as
    /// [`Engine::score`] on the parsed deal, read faster. A deal whose texts have no escapes and
    /// whose values are no lists is read straight into the playbook's slots, borrowing its texts,
    /// without building a [`Deal`]; any other deal (and any deal with a problem) is read the full
    /// way, so the result and every error are those of [`Engine::score`].
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`]; a text that is not a deal gives a [`DealError`] with
    /// [`DealProblem::Unreadable`](crate::deal::DealProblem::Unreadable).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Deal, DealProblem, Engine, Playbook};
    /// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
    /// let engine = Engine::new(playbook);
    /// let at = stagegate::parse_time("2026-11-27").unwrap();
    /// // Read straight into the playbook's slots, or (an escaped text) the full way: same answer.
    /// for text in [r#"{"id": "D-7", "fields": {"budget": 60000, "decision_maker": "CFO"}}"#,
    ///              r#"{"id": "D-7", "fields": {"budget": 60000, "decision_maker": "C\u0046O"}}"#] {
    ///     let deal: Deal = serde_json::from_str(text).unwrap();
    ///     assert_eq!(engine.score_json(text, at).unwrap().scores, engine.score(&deal, at).unwrap());
    /// }
    /// let error = engine.score_json(r#"{"id": "D-8", "fields": {"budjet": 1}}"#, at).unwrap_err();
    /// assert_eq!(error.deal, "D-8");
    /// assert!(matches!(&error.problems[0], DealProblem::UndeclaredField { field, .. } if field == "budjet"));
    /// assert!(engine.score_json("{", at).is_err());
    /// ```
    pub fn score_json(&self, json: &str, at: Timestamp) -> Result<DealScores, DealError> {
        if let Some(plain) = crate::fit::read_plain(&self.playbook, json) {
            let id = plain.id.as_deref();
            let mut evaluator = Evaluator::plain(&self.playbook, id, plain.facts, at, &self.lang);
            let scores = evaluator.score_all();
            return Ok(DealScores {
                deal: plain.id.map(std::borrow::Cow::into_owned),
                scores,
            });
        }
        if let Some(message) = crate::deal::not_an_object(json) {
            let problem = crate::deal::DealProblem::Unreadable(message);
            return Err(DealError::new("(no id)".to_owned(), vec![problem]));
        }
        let deal: Deal = serde_json::from_str(json).map_err(|error| {
            let problem = crate::deal::DealProblem::Unreadable(error.to_string());
            DealError::new("(no id)".to_owned(), vec![problem])
        })?;
        let oversized = crate::deal::number_problems(&deal, json, crate::deal::TextFormat::Json);
        if !oversized.is_empty() {
            return Err(DealError::new(deal.label("(no id)"), oversized));
        }
        let scores = self.score(&deal, at)?;
        Ok(DealScores {
            deal: deal.id,
            scores,
        })
    }

    /// Makes `wanted` at time `at`: the new deal, with one history entry appended. A forced
    /// move is made even when blocked, and recorded with its reason and what it overrode.
    ///
    /// # Errors
    ///
    /// [`MoveError::Blocked`] with every reason when the move is blocked and not forced; other
    /// [`MoveError`]s for an invalid deal, an unknown or undeclared target, an ambiguous source,
    /// a forced move without a reason, a move dated before the deal's last history entry, no
    /// actor where the playbook says who may move, and forcing without a `force` role.
    pub fn apply(&self, deal: &Deal, wanted: &Move, at: Timestamp) -> Result<Deal, MoveError> {
        self.apply_with_effects(deal, wanted, at)
            .map(|applied| applied.deal)
    }

    /// [`Engine::apply`], with what the move sets in motion: the `on_exit` effects of the stage
    /// it leaves, then the `on_enter` effects of the stage it enters (tasks, recorded on the deal
    /// under `tasks`, and notifications whose rule holds), in the engine's language. A forced move
    /// fires them too, marked `forced`.
    ///
    /// # Errors
    ///
    /// As [`Engine::apply`].
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
    /// let applied = engine.apply_with_effects(&deal, &Move::to("qualify"), at).unwrap();
    /// let kinds: Vec<EffectKind> = applied.effects.iter().map(|e| e.kind).collect();
    /// assert_eq!(kinds, [EffectKind::Task, EffectKind::Notify]);
    /// assert_eq!(applied.effects[0].due.as_deref(), Some("2026-12-02T00:00:00Z"));
    /// assert_eq!(applied.effects[0].assignee.as_deref(), Some("yoon"));
    /// assert_eq!(applied.deal.tasks["call"].due, "2026-12-02T00:00:00Z");
    /// ```
    pub fn apply_with_effects(
        &self,
        deal: &Deal,
        wanted: &Move,
        at: Timestamp,
    ) -> Result<Applied, MoveError> {
        let evaluation = match &wanted.by {
            // A blank id names nobody.
            Some(actor) if actor.id.trim().is_empty() => {
                self.evaluate(deal, at)?;
                return Err(MoveError::NoActor);
            }
            Some(actor) => self.evaluate_as(deal, actor, at)?,
            None => {
                // What is wrong with the deal comes first; then who makes the move.
                let evaluation = self.evaluate(deal, at)?;
                if self.playbook.requires_actor() {
                    return Err(MoveError::NoActor);
                }
                evaluation
            }
        };
        apply::apply(&self.playbook, deal, &evaluation, wanted, at, &self.lang)
    }

    /// The deal's evaluation as `actor` sees it: a move they may not make (the playbook's
    /// `permissions.move`, a transition's `by:`) is blocked by a `permission` blocker naming the
    /// roles that may.
    ///
    /// # Errors
    ///
    /// As [`Engine::evaluate`].
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, Deal, Engine, Gate, Playbook, Reason};
    /// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
    ///     roles: { manager: { title: { en: Sales manager } } }\n\
    ///     stages: [{id: closing}, {id: onboarding}]\n\
    ///     transitions: [{from: closing, to: onboarding, by: [manager]}]\n", "p.yaml").unwrap();
    /// let engine = Engine::new(playbook);
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "owner": "lee"}"#).unwrap();
    /// let at = stagegate::parse_time("2026-11-27").unwrap();
    /// let seen = engine.evaluate_as(&deal, &Actor::new("lee", ["rep"]), at).unwrap();
    /// let blocker = &seen.transitions[0].blockers[0];
    /// assert_eq!((blocker.gate, blocker.reason), (Gate::Permission, Reason::Forbidden));
    /// assert_eq!(blocker.message.as_deref(), Some("only Sales manager may make this move"));
    /// let seen = engine.evaluate_as(&deal, &Actor::new("kim", ["manager"]), at).unwrap();
    /// assert!(seen.transitions[0].allowed);
    /// // Without an actor, every move says who may make it.
    /// assert_eq!(engine.evaluate(&deal, at).unwrap().transitions[0].by, ["manager"]);
    /// ```
    pub fn evaluate_as(
        &self,
        deal: &Deal,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Evaluation, DealError> {
        let mut evaluator = Evaluator::new(&self.playbook, deal, at, &self.lang)?;
        evaluator.actor = Some(actor);
        Ok(evaluator.evaluate(at))
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
    /// use stagegate::{Actor, ApproveError, Deal, Engine, Move, Playbook, Reason};
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
    /// let blocker = &engine.evaluate(&deal, at).unwrap().transitions[0].blockers[0];
    /// assert_eq!(blocker.reason, Reason::ApprovalMissing);
    /// assert_eq!(blocker.message.as_deref(), Some("needs approval by Finance"));
    /// // The owner may not approve their own deal, whatever their roles.
    /// let own = engine.approve(&deal, "discount_approved", &Actor::new("lee", ["finance"]), at);
    /// assert!(matches!(own, Err(ApproveError::OwnDeal { .. })));
    /// let approved = engine.approve(&deal, "discount_approved", &Actor::new("park", ["finance"]), at).unwrap();
    /// assert_eq!(approved.history.last().unwrap().approved.as_deref(), Some("discount_approved"));
    /// let moved = engine.apply(&approved, &Move::to("closing").by(Actor::new("lee", ["rep"])), at).unwrap();
    /// assert!(moved.approvals.is_empty(), "leaving the stage clears its approvals");
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
    /// version, as the playbook's `migrations:` say; see [`migrate`].
    ///
    /// # Errors
    ///
    /// A [`MigrationError`] naming everything in the way, as [`migrate`].
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Deal, Engine, Playbook};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let v1 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: lead}, {id: discovery}]\ntransitions: [{from: lead, to: discovery}]\n", "v1.yaml")?;
    /// let v2 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 2\nstages: [{id: lead}, {id: qualify}]\ntransitions: [{from: lead, to: qualify}]\nmigrations: [{from: 1, stages: {discovery: qualify}}]\n", "v2.yaml")?;
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "playbook": "p@1", "stage": "discovery"}"#)?;
    /// let moved = Engine::new(v2).migrate(&v1, &deal, stagegate::parse_time("2026-11-27")?)?;
    /// assert_eq!(moved.stages, ["qualify"]);
    /// assert_eq!(moved.playbook.as_deref(), Some("p@2"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn migrate(
        &self,
        old: &Playbook,
        deal: &Deal,
        at: Timestamp,
    ) -> Result<Deal, MigrationError> {
        migrate(old, &self.playbook, deal, at)
    }

    /// [`Engine::migrate`] by `actor`, recorded as `by` in the migration's history entry.
    ///
    /// # Errors
    ///
    /// As [`Engine::migrate`].
    pub fn migrate_as(
        &self,
        old: &Playbook,
        deal: &Deal,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Deal, MigrationError> {
        migrate::migrate_by(old, &self.playbook, deal, at, Some(&actor.id))
    }
}
