//! One deal as the board reads it: fitted to its playbook version (its time in each stage),
//! assessed at most once and only when asked (its evaluation and its time in each stage, from one
//! fit: what its card shows and the filters on warnings and approvals read), what the filters,
//! the sort and the sums read, and its card.

use std::cell::OnceCell;

use serde_json::{json, Value};
use stagegate::{Assessment, Engine, FieldType, Options, StageTime, Timestamp};

use super::query::{Filter, SortKey};
use crate::app::App;
use crate::auth::User;
use crate::store::Stored;

/// A stored deal fitted to its playbook, and its assessment once asked for.
pub struct Entry<'a> {
    /// The deal as stored.
    pub stored: &'a Stored,
    /// Its id.
    pub id: &'a str,
    /// Its value (the playbook's `value:` field), when it holds a number.
    pub value: Option<f64>,
    engine: Engine,
    at: Timestamp,
    times: Vec<StageTime>,
    assessed: OnceCell<Result<Assessment, String>>,
}

impl<'a> Entry<'a> {
    /// Fits `stored` to its playbook version, for the board at `at` in `user`'s language; the
    /// message when it does not fit.
    pub fn fit(
        app: &App,
        user: &User,
        stored: &'a Stored,
        at: Timestamp,
    ) -> Result<Entry<'a>, String> {
        let deal = &stored.deal;
        let engine = app.engine(deal, user).map_err(|e| e.to_string())?;
        let times = engine.time_in_stages(deal, at).map_err(|e| e.to_string())?;
        let value = engine
            .playbook()
            .value_field()
            .and_then(|field| deal.fields.get(field))
            .and_then(Value::as_f64);
        Ok(Entry {
            stored,
            id: deal.id.as_deref().unwrap_or_default(),
            value,
            engine,
            at,
            times,
            assessed: OnceCell::new(),
        })
    }

    /// The deal's one assessment: made the first time it is asked for.
    fn assessed(&self) -> Result<&Assessment, &str> {
        self.assessed
            .get_or_init(|| {
                self.engine
                    .assess(&self.stored.deal, self.at, &Options::new())
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Whether the deal is active in `stage`.
    pub fn is_in(&self, stage: &str) -> bool {
        self.times.iter().any(|t| t.stage == stage)
    }

    /// Whether the deal passes every filter (its assessment is made only for a filter on
    /// warnings or approvals).
    pub fn passes(&self, filter: &Filter) -> bool {
        let warned = |kind: &str| {
            self.assessed()
                .is_ok_and(|a| a.evaluation.warnings.iter().any(|w| w.kind == kind))
        };
        filter
            .owner
            .as_ref()
            .is_none_or(|owner| self.stored.owner.as_ref() == Some(owner))
            && filter.stage.as_ref().is_none_or(|stage| self.is_in(stage))
            && filter.q.as_ref().is_none_or(|q| self.mentions(q))
            && filter
                .stalled
                .is_none_or(|wanted| warned("stalled") == wanted)
            && filter
                .overdue
                .is_none_or(|wanted| warned("overdue") == wanted)
            && filter.approval.as_ref().is_none_or(|role| {
                self.assessed().is_ok_and(|a| {
                    a.evaluation
                        .next_steps
                        .iter()
                        .flat_map(|step| &step.approvals)
                        .any(|approval| approval.roles.contains(role))
                })
            })
    }

    /// Whether `q` (lowercased) is in the deal's id, its name (the playbook's `deal_name:`), its
    /// owner or a text field's value.
    fn mentions(&self, q: &str) -> bool {
        let found = |text: &str| text.to_lowercase().contains(q);
        if found(self.id)
            || self.name().is_some_and(found)
            || self.stored.owner.as_deref().is_some_and(found)
        {
            return true;
        }
        self.engine.playbook().fields().iter().any(|field| {
            matches!(
                field.kind,
                FieldType::Text | FieldType::Enum | FieldType::List
            ) && self
                .stored
                .deal
                .fields
                .get(&field.id)
                .is_some_and(|value| match value {
                    Value::String(text) => found(text),
                    Value::Array(items) => items.iter().filter_map(Value::as_str).any(found),
                    _ => false,
                })
        })
    }

    /// The deal's name: the text of the playbook's `deal_name:` field, when it holds one.
    pub fn name(&self) -> Option<&str> {
        let field = self.engine.playbook().deal_name_field()?;
        self.stored
            .deal
            .fields
            .get(field)
            .and_then(Value::as_str)
            .filter(|name| !name.trim().is_empty())
    }

    /// The deal's expected close date (the playbook's `expected_close:` field) as `YYYY-MM-DD`,
    /// the day in the playbook's time zone, when it holds a date.
    pub fn expected_close(&self) -> Option<String> {
        let playbook = self.engine.playbook();
        let field = playbook.expected_close_field()?;
        let text = self.stored.deal.fields.get(field)?.as_str()?;
        let at = playbook.read_time(text).ok()?;
        Some(playbook.local_date(at))
    }

    /// What the sort compares in the column of `stage`: the value, the days there, a number
    /// field or a date field (as milliseconds); none when the deal has none (and for `id`).
    pub fn key(&self, sort: &SortKey, stage: &str) -> Option<f64> {
        match sort {
            SortKey::Id => None,
            SortKey::Value => self.value,
            SortKey::Days => self
                .times
                .iter()
                .find(|t| t.stage == stage)
                .and_then(|t| t.days)
                .map(|days| days as f64),
            SortKey::Field(name) => match self.stored.deal.fields.get(name)? {
                Value::Number(number) => number.as_f64(),
                Value::String(text) => self
                    .engine
                    .playbook()
                    .read_time(text)
                    .ok()
                    .map(|at| at.as_millisecond() as f64),
                _ => None,
            },
        }
    }

    /// The deal's card, from its one assessment: its name and expected close date, its stages
    /// with their days, its value, its scores' bands, its warnings, its revision and owner.
    pub fn card(&self) -> Value {
        let assessed = match self.assessed() {
            Ok(assessed) => assessed,
            Err(message) => return json!({ "id": self.id, "error": message }),
        };
        let (evaluation, playbook) = (&assessed.evaluation, self.engine.playbook());
        let scores: Vec<Value> = evaluation
            .scores
            .iter()
            .map(|(id, score)| {
                json!({
                    "id": id,
                    "title": playbook.scorecard_title(id, self.engine.language()).unwrap_or(id),
                    "total": score.total,
                    "band": score.band,
                })
            })
            .collect();
        let value = playbook
            .value_field()
            .and_then(|field| self.stored.deal.fields.get(field));
        json!({
            "id": self.stored.deal.id,
            "name": self.name(),
            "expected_close": self.expected_close(),
            "playbook": evaluation.playbook,
            "stages": assessed.stage_times,
            "value": value,
            "scores": scores,
            "warnings": evaluation.warnings,
            "revision": self.stored.revision,
            "owner": self.stored.owner,
        })
    }
}
