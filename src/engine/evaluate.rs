//! Evaluating one deal: scores, every move out of every active stage, and stalled warnings.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use super::evaluation::{Blocker, Evaluation, Gate, MoveCheck, Reason, Warning};
use crate::deal::{Deal, DealError};
use crate::fit::CheckedDeal;
use crate::model::{Playbook, Transition};
use crate::script::{self, Bindings};
use crate::support::messages;
use crate::support::text::Text;

/// The state of one evaluation: the checked deal, its Rhai scope, and results so far.
pub(crate) struct Evaluator<'a> {
    pub(super) playbook: &'a Playbook,
    /// The deal's id.
    id: Option<&'a str>,
    /// The deal's field values as written, when it was read as a [`Deal`] (blockers show them).
    pub(super) written: Option<&'a BTreeMap<String, Value>>,
    pub(super) facts: CheckedDeal<'a>,
    pub(super) at: Timestamp,
    /// The Rhai scope of the deal's fields, made (with the thread's context for the engine's
    /// functions) the first time a rule needs Rhai.
    pub(super) scope: Option<Bindings>,
    pub(super) lang: &'a str,
    /// By scorecard: the total and band, once scored (what `score()` and `band()` read).
    pub(super) scored: Vec<Option<(i64, Option<&'a str>)>>,
    /// When the deal entered the stage the rules being checked belong to.
    pub(super) stage_since: Option<Timestamp>,
    /// By stage: its exit gate's blockers, once worked out.
    exit_gates: Vec<Option<Vec<Blocker>>>,
    /// Every criterion and rule outcome, when the caller wants them (test coverage).
    pub trace: Option<Vec<(String, bool)>>,
    /// Who asks, when the moves are to be checked as they see them.
    pub(super) actor: Option<&'a super::Actor>,
    /// The deal's owner (`owner:`), who holds the built-in role `owner`.
    pub(super) owner: Option<&'a str>,
    /// The approvals the deal holds.
    pub(super) approvals: Option<&'a BTreeMap<String, crate::deal::Approval>>,
    /// The deal's open tasks.
    pub(super) tasks: Option<&'a BTreeMap<String, crate::deal::Task>>,
    /// The deal, when it was read as a [`Deal`]: its history and archive give warnings.
    deal: Option<&'a Deal>,
}

impl<'a> Evaluator<'a> {
    /// Checks the deal and prepares its facts for rules.
    pub(crate) fn new(
        playbook: &'a Playbook,
        deal: &'a Deal,
        at: Timestamp,
        lang: &'a str,
    ) -> Result<Evaluator<'a>, DealError> {
        let facts = crate::fit::check(playbook, deal)?;
        let mut evaluator = Evaluator::plain(playbook, deal.id.as_deref(), facts, at, lang);
        evaluator.written = Some(&deal.fields);
        evaluator.owner = deal.owner.as_deref();
        evaluator.approvals = Some(&deal.approvals);
        evaluator.tasks = Some(&deal.tasks);
        evaluator.deal = Some(deal);
        Ok(evaluator)
    }

    /// An evaluation of facts already checked (read the quick way, see [`crate::fit::read_plain`]).
    pub(crate) fn plain(
        playbook: &'a Playbook,
        id: Option<&'a str>,
        facts: CheckedDeal<'a>,
        at: Timestamp,
        lang: &'a str,
    ) -> Evaluator<'a> {
        Evaluator {
            playbook,
            id,
            written: None,
            facts,
            at,
            scope: None,
            lang,
            scored: vec![None; playbook.cards.len()],
            stage_since: None,
            exit_gates: Vec::new(),
            trace: None,
            actor: None,
            owner: None,
            approvals: None,
            tasks: None,
            deal: None,
        }
    }

    /// The deal as a move leaves it: in the stages `active` (by index), having entered stage `to`
    /// at `at`; nothing scored and no stage's time counting yet, as for the moved deal checked
    /// afresh. What a move's effects read (a `notify`'s `when`); its values and activities are
    /// those the move started from.
    pub(super) fn moved(&mut self, active: Vec<usize>, to: usize, at: Timestamp) {
        self.facts.active = active;
        self.facts.entered[to] = Some(at);
        self.scored.fill(None);
        self.exit_gates.clear();
        self.stage_since = None;
        if self.scope.is_some() {
            let playbook = self.playbook;
            let active = playbook
                .stage_ids(&self.facts.active)
                .map(str::to_owned)
                .collect();
            script::update_context(|c| {
                c.active = active;
                c.scores.clear();
                c.stage_since = None;
            });
        }
    }

    /// The stage the rules now checked belong to was entered at `since`.
    fn set_stage_since(&mut self, since: Option<Timestamp>) {
        self.stage_since = since;
        if self.scope.is_some() {
            script::update_context(|c| c.stage_since = since);
        }
    }

    /// Every scorecard, in dependency order, then every move and warning: the evaluation, on
    /// indexes, rendered as the public [`Evaluation`].
    pub(crate) fn evaluate(&mut self, at: Timestamp) -> Evaluation {
        let scores = self.score_all();
        let moves = self.moves();
        let mut warnings = Vec::new();
        if let Some(deal) = self.deal {
            let playbook = self.playbook;
            warnings.extend(super::warnings::archived(
                playbook,
                deal,
                &self.facts.active,
                at,
                self.lang,
            ));
        }
        warnings.extend(self.overdue());
        warnings.extend(self.stalled(at));
        if let Some(deal) = self.deal {
            let playbook = self.playbook;
            warnings.extend(super::warnings::off_playbook(playbook, deal, at, self.lang));
        }
        let next_steps = self.next_steps(&moves);
        let playbook = self.playbook;
        Evaluation {
            deal: self.id.map(str::to_owned),
            playbook: playbook.pin(),
            at: crate::support::time::format_time(at),
            stages: playbook
                .stage_ids(&self.facts.active)
                .map(str::to_owned)
                .collect(),
            scores,
            transitions: moves,
            warnings,
            next_steps,
        }
    }

    /// Every declared move out of every active stage, checked, in playbook order.
    fn moves(&mut self) -> Vec<MoveCheck> {
        let playbook = self.playbook;
        let mut moves = Vec::new();
        for transition in &playbook.transitions {
            if self.leaves_active(transition) {
                moves.push(self.check_move(transition));
            }
        }
        moves
    }

    /// Whether `transition` leaves an active stage: the transitions that do, in playbook order,
    /// are those of [`Evaluation::transitions`], one for one.
    pub(super) fn leaves_active(&self, transition: &Transition) -> bool {
        self.facts.active.contains(&transition.from_index)
    }

    /// Runs every scorecard in dependency order.
    pub(crate) fn score_all(&mut self) -> BTreeMap<String, super::evaluation::Score> {
        let playbook = self.playbook;
        // Rules of a scorecard belong to no stage: `days_in_stage()` counts from the most recent
        // entry into an active stage.
        let latest = self
            .facts
            .active
            .iter()
            .filter_map(|&s| self.facts.entered[s])
            .max();
        self.set_stage_since(latest);
        let mut scores = BTreeMap::new();
        for &index in &playbook.card_order {
            let card = &playbook.cards[index];
            let (score, band) = self.score_card(card);
            let band_id = band.map(|b| card.bands[b].0.as_str());
            self.scored[index] = Some((score.total, band_id));
            if self.scope.is_some() {
                let entry = (score.total, score.band.clone());
                script::update_context(|c| {
                    c.scores.insert(card.id.clone(), entry);
                });
            }
            scores.insert(card.id.clone(), score);
        }
        scores
    }

    /// One move: allowed, or blocked with every reason.
    pub(crate) fn check_move(&mut self, transition: &Transition) -> MoveCheck {
        self.set_stage_since(self.facts.entered[transition.from_index]);
        let mut blockers = Vec::new();
        if transition.kind.is_forward() && !transition.fork {
            blockers.extend(self.exit_gate(transition.from_index));
        }
        let playbook = self.playbook;
        for criterion in &playbook.stages[transition.to_index].entry {
            blockers.extend(self.check(criterion, Gate::Entry));
        }
        for criterion in transition.when.iter() {
            blockers.extend(self.check(criterion, Gate::When));
        }
        let by = if transition.by.is_empty() {
            playbook.permissions.moves.clone().unwrap_or_default()
        } else {
            transition.by.clone()
        };
        if let Some(actor) = self.actor {
            // The playbook's `permissions.move` and the transition's own `by:` both apply.
            let rules = [
                playbook.permissions.moves.as_deref(),
                Some(&transition.by[..]),
            ];
            // Each rule that fails is a reason of its own, naming who may.
            for roles in rules.into_iter().flatten() {
                if !roles.is_empty() && !actor.holds_any(roles, self.owner) {
                    blockers.push(self.forbidden(roles, false));
                }
            }
        }
        MoveCheck {
            from: transition.from.clone(),
            to: transition.to.clone(),
            kind: transition.kind,
            fork: transition.fork,
            allowed: blockers.is_empty(),
            blockers,
            by,
        }
    }

    /// The blocker of a move (or of forcing one, `forcing`) only `roles` may make, naming them
    /// by their titles in the reader's language.
    pub(super) fn forbidden(&self, roles: &[String], forcing: bool) -> Blocker {
        let titles = super::actor::titles(self.playbook, roles, self.lang);
        let mut blocker = Blocker::new(Gate::Permission, Reason::Forbidden);
        blocker.criterion = Some("permission".to_owned());
        blocker.roles = roles.to_vec();
        blocker.message = Some(messages::forbidden(self.lang, &titles, forcing));
        blocker
    }

    /// The source stage's required activities and exit criteria (worked out once per stage).
    fn exit_gate(&mut self, stage: usize) -> Vec<Blocker> {
        if let Some(Some(blockers)) = self.exit_gates.get(stage) {
            return blockers.clone();
        }
        if self.exit_gates.is_empty() {
            self.exit_gates = vec![None; self.playbook.stages.len()];
        }
        let playbook = self.playbook;
        let mut blockers = Vec::new();
        for activity in playbook.stages[stage]
            .activities
            .iter()
            .filter(|a| a.required)
        {
            let Some(index) = playbook.activity_index(&activity.id) else {
                continue;
            };
            if !self.facts.done[index] {
                let mut blocker = Blocker::new(Gate::Exit, Reason::MissingActivity);
                blocker.activity = Some(activity.id.clone());
                let title = self.activity_title(index);
                blocker.message = Some(messages::required_activity(self.lang, &title));
                blockers.push(blocker);
            }
        }
        for criterion in &playbook.stages[stage].exit {
            blockers.extend(self.check(criterion, Gate::Exit));
        }
        self.exit_gates[stage] = Some(blockers.clone());
        blockers
    }

    /// A `stalled` warning for every active stage longer than its `max_days` in the stage, or
    /// without activity, as the stage's `max_days` counts.
    fn stalled(&self, at: Timestamp) -> Vec<Warning> {
        let playbook = self.playbook;
        let mut activity: Option<Option<Timestamp>> = None;
        let mut warnings = Vec::new();
        for &index in &self.facts.active {
            let stage = &playbook.stages[index];
            let last = || {
                *activity.get_or_insert_with(|| {
                    self.deal
                        .and_then(|deal| crate::fit::history::last_activity(playbook, deal))
                })
            };
            let Some(days) =
                crate::fit::history::stalled(stage, self.facts.entered[index], last, at)
            else {
                continue;
            };
            let max_days = stage.max_days.unwrap_or_default();
            let since = stage.max_days_since;
            let title = stage.title_in(self.lang, playbook.default_language());
            let message = messages::stalled(
                self.lang,
                title,
                days,
                max_days,
                since == crate::model::Since::Activity,
            );
            let mut warning = Warning::new("stalled", stage.id.clone(), days, message);
            warning.max_days = max_days;
            warning.since = Some(since.as_str());
            warnings.push(warning);
        }
        warnings
    }

    /// Notes a criterion's outcome for coverage.
    pub(crate) fn record(&mut self, id: impl FnOnce() -> String, held: bool) {
        if let Some(trace) = &mut self.trace {
            trace.push((id(), held));
        }
    }

    pub(crate) fn lang(&self) -> &'a str {
        self.lang
    }

    pub(crate) fn text<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.lang, self.playbook.default_language())
    }

    pub(crate) fn field_id(&self, field: usize) -> String {
        self.playbook.fields[field].id.clone()
    }

    pub(crate) fn field_title(&self, field: usize) -> String {
        let field = &self.playbook.fields[field];
        field
            .title
            .as_ref()
            .map_or_else(|| field.id.clone(), |t| self.text(t).to_owned())
    }

    pub(crate) fn activity_id(&self, activity: usize) -> String {
        self.playbook.activity(activity).id.clone()
    }

    pub(crate) fn activity_title(&self, activity: usize) -> String {
        let lang = self.lang;
        self.playbook
            .activity(activity)
            .title_in(lang, self.playbook.default_language())
            .to_owned()
    }

    pub(crate) fn card_id(&self, card: usize) -> String {
        self.playbook.cards[card].id.clone()
    }

    pub(crate) fn card_title(&self, card: usize) -> String {
        let card = &self.playbook.cards[card];
        card.title
            .as_ref()
            .map_or_else(|| card.id.clone(), |t| self.text(t).to_owned())
    }

    pub(crate) fn band_id(&self, card: usize, band: usize) -> String {
        self.playbook.cards[card].bands[band].0.clone()
    }
}
