//! Running a rule's expression: natively or in Rhai, in three-valued logic when it reads a field
//! the deal lacks; and the blocker of a `when` criterion, with the values it read.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::evaluate::Evaluator;
use super::evaluation::{Blocker, Gate, Reason};
use crate::script::{self, Bindings, Context, Part, Sandbox, Script, Truth};
use crate::support::messages;

/// What running an expression gave.
pub(crate) enum ScriptOutcome {
    /// It ran and gave true or false.
    Held(bool),
    /// It cannot be decided without these fields, which the deal lacks.
    Missing(Vec<String>),
    /// It failed or hit a limit.
    Failed(String),
}

impl Evaluator<'_> {
    /// Makes the Rhai scope and sets this thread's context for the engine's functions, the first
    /// time a rule needs Rhai in this evaluation.
    pub(super) fn rhai_scope(&mut self) -> &mut Bindings {
        let (playbook, facts) = (self.playbook, &self.facts);
        let (at, stage_since, scored) = (self.at, self.stage_since, &self.scored);
        self.scope.get_or_insert_with(|| {
            let done: HashSet<String> = facts
                .done
                .iter()
                .zip(playbook.activity_ids())
                .filter(|(done, _)| **done)
                .map(|(_, id)| id.to_owned())
                .collect();
            let scores = scored
                .iter()
                .zip(&playbook.cards)
                .filter_map(|(score, card)| {
                    let (total, band) = (*score)?;
                    Some((card.id.clone(), (total, band.map(str::to_owned))))
                })
                .collect();
            script::set_context(Context {
                at: Some(at),
                done,
                scores,
                active: playbook
                    .stage_ids(&facts.active)
                    .map(str::to_owned)
                    .collect(),
                stage_since,
                zone: playbook.time_zone.clone(),
            });
            let values = playbook.fields.iter().zip(&facts.values);
            Bindings::new(values.map(|(field, value)| (field.id.as_str(), value.as_ref())))
        })
    }

    /// Runs an expression: as a whole when the deal holds every field it needs, else part by
    /// part in three-valued logic (a part that needs a missing field is missing).
    pub(crate) fn run_script(&mut self, script: &Script) -> ScriptOutcome {
        match script.decide(&mut |part| self.run_part(part)) {
            Truth::Holds(held) => ScriptOutcome::Held(held),
            Truth::Missing(fields) => {
                ScriptOutcome::Missing(fields.into_iter().map(|f| self.field_id(f)).collect())
            }
            Truth::Failed(error) => ScriptOutcome::Failed(error),
        }
    }

    /// One part: missing when it needs a field the deal lacks, else run natively or in Rhai.
    fn run_part(&mut self, part: &Part) -> Truth {
        let missing = part.missing(|f| self.facts.values[f].is_some());
        if !missing.is_empty() {
            return Truth::Missing(missing);
        }
        let facts = script::Facts {
            values: &self.facts.values,
            done: &self.facts.done,
            active: &self.facts.active,
            scores: &self.scored,
            at: Some(self.at),
            stage_since: self.stage_since,
            zone: &self.playbook.time_zone,
        };
        if let Some(held) = Sandbox::run_native(part, &facts) {
            return Truth::Holds(held);
        }
        let sandbox = &self.playbook.sandbox;
        match sandbox.run_rhai(part, self.rhai_scope()) {
            Ok(held) => Truth::Holds(held),
            Err(error) => Truth::Failed(error),
        }
    }

    /// A `when` criterion: `None` when it holds, else a blocker with the values it read.
    pub(crate) fn run_when(&mut self, script: &Script, gate: Gate) -> Option<Blocker> {
        let outcome = self.run_script(script);
        let mut blocker = match outcome {
            ScriptOutcome::Held(true) => return None,
            ScriptOutcome::Held(false) => {
                let mut blocker = Blocker::new(gate, Reason::Failed);
                blocker.message = Some(messages::condition_failed(self.lang, &script.source));
                blocker
            }
            ScriptOutcome::Missing(fields) => {
                let mut blocker = Blocker::new(gate, Reason::MissingField);
                let titles: Vec<String> = fields
                    .iter()
                    .filter_map(|f| self.playbook.field_index(f))
                    .map(|f| self.field_title(f))
                    .collect();
                blocker.message = Some(messages::fields_missing(self.lang, &titles));
                blocker.fields = fields;
                blocker
            }
            ScriptOutcome::Failed(error) => {
                let mut blocker = Blocker::new(gate, Reason::Error);
                blocker.message = Some(messages::script_error(self.lang, &error));
                blocker.error = Some(error);
                blocker
            }
        };
        blocker.values = self.values_read(script);
        Some(blocker)
    }

    /// The present fields and the scores an expression reads.
    pub(crate) fn values_read(&self, script: &Script) -> BTreeMap<String, Value> {
        let mut values = BTreeMap::new();
        for &f in &script.fields {
            let id = &self.playbook.fields[f].id;
            let Some(checked) = self.facts.values[f] else {
                continue;
            };
            let value = match self.written {
                // As written; a deal read the quick way shows the value as its field's type reads it.
                Some(written) => written.get(id).cloned(),
                None => Some(checked.to_value()),
            };
            if let Some(value) = value {
                values.insert(id.clone(), value);
            }
        }
        for &card in &script.cards {
            if let Some(Some((total, _))) = self.scored.get(card) {
                values.insert(format!("score({})", self.card_id(card)), (*total).into());
            }
        }
        values
    }
}
