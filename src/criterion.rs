//! Criteria: the tests of entry and exit gates and of transitions, and how each explains itself.

use crate::engine::Evaluator;
use crate::evaluation::{Blocker, Gate, Reason};
use crate::messages;
use crate::script::Script;
use crate::text::Text;

/// A compiled criterion.
#[derive(Debug)]
pub(crate) struct Criterion {
    /// The `id`, or a name derived from the test (`fields:budget,need`).
    pub id: String,
    pub message: Option<Text>,
    pub test: Test,
}

/// What a criterion checks.
#[derive(Debug)]
pub(crate) enum Test {
    When(Script),
    Fields(Vec<usize>),
    Activities(Vec<usize>),
    Score {
        card: usize,
        min: Option<f64>,
        max: Option<f64>,
    },
    Band {
        card: usize,
        min: Option<usize>,
        max: Option<usize>,
    },
    All(Vec<Criterion>),
    Any(Vec<Criterion>),
    Not(Box<Criterion>),
}

impl Criterion {
    /// `None` when the criterion holds, else why not.
    pub(crate) fn check(&self, ev: &mut Evaluator<'_>, gate: Gate) -> Option<Blocker> {
        let blocker = self.test(ev, gate);
        ev.record(|| self.id.clone(), blocker.is_none());
        let mut blocker = blocker?;
        blocker.criterion = Some(self.id.clone());
        if let Some(message) = &self.message {
            blocker.message = Some(ev.text(message).to_owned());
        }
        Some(blocker)
    }

    fn test(&self, ev: &mut Evaluator<'_>, gate: Gate) -> Option<Blocker> {
        let lang = ev.lang();
        match &self.test {
            Test::When(script) => ev.run_when(script, gate),
            Test::Fields(fields) => {
                let missing: Vec<usize> = fields
                    .iter()
                    .copied()
                    .filter(|&f| ev.facts.values[f].is_none())
                    .collect();
                if missing.is_empty() {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::MissingField);
                let titles: Vec<String> = missing.iter().map(|&f| ev.field_title(f)).collect();
                blocker.message = Some(messages::fields_missing(lang, &titles));
                blocker.fields = missing.iter().map(|&f| ev.field_id(f)).collect();
                Some(blocker)
            }
            Test::Activities(activities) => {
                let missing: Vec<usize> = activities
                    .iter()
                    .copied()
                    .filter(|&a| !ev.facts.done[a])
                    .collect();
                if missing.is_empty() {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::MissingActivity);
                let titles: Vec<String> = missing.iter().map(|&a| ev.activity_title(a)).collect();
                blocker.message = Some(messages::activities_missing(lang, &titles));
                blocker.activities = missing.iter().map(|&a| ev.activity_id(a)).collect();
                Some(blocker)
            }
            Test::Score { card, min, max } => {
                let total = ev.total(*card);
                let low = min.is_some_and(|m| (total as f64) < m);
                let high = max.is_some_and(|m| (total as f64) > m);
                if !low && !high {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::Failed);
                let title = ev.card_title(*card);
                blocker.message = Some(messages::score_out(lang, &title, total, *min, *max));
                blocker
                    .values
                    .insert(format!("score({})", ev.card_id(*card)), total.into());
                Some(blocker)
            }
            Test::Band { card, min, max } => {
                let band = ev.band(*card);
                let low = min.is_some_and(|m| band.is_none_or(|b| b < m));
                let high = max.is_some_and(|m| band.is_some_and(|b| b > m));
                if !low && !high {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::Failed);
                let name = |b: Option<usize>| b.map(|b| ev.band_id(*card, b));
                let title = ev.card_title(*card);
                blocker.message = Some(messages::band_out(
                    lang,
                    &title,
                    name(band).as_deref(),
                    name(*min).as_deref(),
                    name(*max).as_deref(),
                ));
                let shown = name(band).map_or(serde_json::Value::Null, Into::into);
                blocker
                    .values
                    .insert(format!("band({})", ev.card_id(*card)), shown);
                Some(blocker)
            }
            Test::All(parts) => {
                let failed: Vec<Blocker> = parts
                    .iter()
                    .filter_map(|part| part.check(ev, gate))
                    .collect();
                (!failed.is_empty()).then(|| combine(gate, failed, messages::some_failed(lang)))
            }
            Test::Any(parts) => {
                let mut failed = Vec::new();
                for part in parts {
                    match part.check(ev, gate) {
                        Some(blocker) => failed.push(blocker),
                        None => return None,
                    }
                }
                Some(combine(gate, failed, messages::none_held(lang)))
            }
            Test::Not(inner) => match inner.check(ev, gate) {
                None => {
                    let mut blocker = Blocker::new(gate, Reason::Failed);
                    blocker.message = Some(messages::must_not_hold(lang));
                    Some(blocker)
                }
                // Undecided (missing facts or an error) stays undecided under `not`.
                Some(blocker) if blocker.reason != Reason::Failed => {
                    Some(combine(gate, vec![blocker], messages::must_not_hold(lang)))
                }
                Some(_) => None,
            },
        }
    }
}

/// The blocker of `all`, `any` or `not`: the parts that did not hold, under one reason (theirs when
/// they share it, else `failed`) with the union of their missing fields.
fn combine(gate: Gate, parts: Vec<Blocker>, message: String) -> Blocker {
    let reason = match parts.split_first() {
        Some((first, rest)) if rest.iter().all(|p| p.reason == first.reason) => first.reason,
        _ => Reason::Failed,
    };
    let mut blocker = Blocker::new(gate, reason);
    for part in &parts {
        for field in &part.fields {
            if !blocker.fields.contains(field) {
                blocker.fields.push(field.clone());
            }
        }
    }
    blocker.message = Some(message);
    blocker.because = parts;
    blocker
}
