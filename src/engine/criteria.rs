//! Checking criteria: each test of a gate or transition against the deal's facts, and the
//! blocker that explains it when it does not hold.

use super::evaluate::Evaluator;
use super::evaluation::{Blocker, Gate, Reason};
use crate::model::{Criterion, Test};
use crate::support::messages;

impl Evaluator<'_> {
    /// `None` when the criterion holds, else why not.
    pub(crate) fn check(&mut self, criterion: &Criterion, gate: Gate) -> Option<Blocker> {
        let blocker = self.test(criterion, gate);
        self.record(|| criterion.id.clone(), blocker.is_none());
        let mut blocker = blocker?;
        blocker.criterion = Some(criterion.id.clone());
        if let Some(message) = &criterion.message {
            blocker.message = Some(self.text(message).to_owned());
        }
        Some(blocker)
    }

    fn test(&mut self, criterion: &Criterion, gate: Gate) -> Option<Blocker> {
        let lang = self.lang();
        match &criterion.test {
            Test::When(script) => self.run_when(script, gate),
            Test::Approval { role, when, .. } => {
                self.check_approval(criterion, role, when.as_deref(), gate)
            }
            Test::Fields(fields) => {
                let missing: Vec<usize> = fields
                    .iter()
                    .copied()
                    .filter(|&f| self.facts.values[f].is_none())
                    .collect();
                if missing.is_empty() {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::MissingField);
                let titles: Vec<String> = missing.iter().map(|&f| self.field_title(f)).collect();
                blocker.message = Some(messages::fields_missing(lang, &titles));
                blocker.fields = missing.iter().map(|&f| self.field_id(f)).collect();
                Some(blocker)
            }
            Test::Activities(activities) => {
                let missing: Vec<usize> = activities
                    .iter()
                    .copied()
                    .filter(|&a| !self.facts.done[a])
                    .collect();
                if missing.is_empty() {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::MissingActivity);
                let titles: Vec<String> = missing.iter().map(|&a| self.activity_title(a)).collect();
                blocker.message = Some(messages::activities_missing(lang, &titles));
                blocker.activities = missing.iter().map(|&a| self.activity_id(a)).collect();
                Some(blocker)
            }
            Test::Score { card, min, max } => {
                let total = self.total(*card);
                let low = min.is_some_and(|m| (total as f64) < m);
                let high = max.is_some_and(|m| (total as f64) > m);
                if !low && !high {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::Failed);
                let title = self.card_title(*card);
                blocker.message = Some(messages::score_out(lang, &title, total, *min, *max));
                blocker
                    .values
                    .insert(format!("score({})", self.card_id(*card)), total.into());
                Some(blocker)
            }
            Test::Band { card, min, max } => {
                let band = self.band(*card);
                let low = min.is_some_and(|m| band.is_none_or(|b| b < m));
                let high = max.is_some_and(|m| band.is_some_and(|b| b > m));
                if !low && !high {
                    return None;
                }
                let mut blocker = Blocker::new(gate, Reason::Failed);
                let name = |b: Option<usize>| b.map(|b| self.band_id(*card, b));
                let title = self.card_title(*card);
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
                    .insert(format!("band({})", self.card_id(*card)), shown);
                Some(blocker)
            }
            Test::All(parts) => {
                let failed: Vec<Blocker> = parts
                    .iter()
                    .filter_map(|part| self.check(part, gate))
                    .collect();
                (!failed.is_empty()).then(|| combine(gate, failed, messages::some_failed(lang)))
            }
            Test::Any(parts) => {
                let mut failed = Vec::new();
                for part in parts {
                    match self.check(part, gate) {
                        Some(blocker) => failed.push(blocker),
                        None => return None,
                    }
                }
                Some(combine(gate, failed, messages::none_held(lang)))
            }
            Test::Not(inner) => match self.check(inner, gate) {
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
