//! The declarations of a playbook: fields, stages with their activities and metrics, scorecards.

use std::collections::HashMap;

use super::builder::{is_id, is_variable, Builder};
use super::choices::RawChoice;
use super::raw::{RawScorecard, RawStage};
use crate::model::{Activity, Metric, Stage};
use crate::model::{Field, FieldType};
use crate::model::{Rule, Scorecard};
use crate::script::{Names, Sandbox};

pub(super) fn fields(b: &mut Builder<'_>, raw: &[(String, super::raw::RawField)]) -> Vec<Field> {
    let mut fields = Vec::new();
    for (name, field) in raw {
        let path = format!("fields.{name}");
        if !is_variable(name) {
            b.error_key(
                "bad-id",
                &path,
                format!("field name `{name}` cannot be used in rules"),
                Some(
                    "use letters, digits and `_`, starting with a letter, and no Rhai keyword"
                        .to_owned(),
                ),
            );
        }
        match (field.kind, field.values.is_empty()) {
            (FieldType::Enum, true) => b.error(
                "enum-values",
                &path,
                format!("enum field `{name}` needs `values`"),
                None,
            ),
            (FieldType::Enum, false) => {
                for (i, value) in field.values.iter().enumerate() {
                    if field.values[..i].iter().any(|v| v.id() == value.id()) {
                        let at = match value {
                            RawChoice::Id(_) => format!("{path}.values[{i}]"),
                            RawChoice::Labelled(_) => format!("{path}.values[{i}].id"),
                        };
                        b.error(
                            "duplicate-id",
                            &at,
                            format!("value `{}` is listed twice", value.id()),
                            None,
                        );
                    }
                }
            }
            (_, false) => b.error(
                "enum-values",
                &format!("{path}.values"),
                format!("only enum fields take `values`; `{name}` is not an enum"),
                None,
            ),
            (_, true) => {}
        }
        fields.push(Field {
            id: name.clone(),
            kind: field.kind,
            values: field.values.iter().map(|v| v.id().to_owned()).collect(),
            value_titles: field.values.iter().map(|v| v.title().cloned()).collect(),
            title: field.title.clone(),
            edit: field.edit.clone(),
        });
    }
    fields
}

pub(super) fn stages(b: &mut Builder<'_>, raw: &[RawStage]) -> (Vec<Stage>, Vec<(usize, usize)>) {
    let mut stages: Vec<Stage> = Vec::new();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut activities: Vec<(usize, usize)> = Vec::new();
    let mut activity_paths: HashMap<String, String> = HashMap::new();
    if raw.is_empty() {
        b.error(
            "no-stages",
            "stages",
            "a playbook needs at least one stage".to_owned(),
            None,
        );
    }
    for (i, stage) in raw.iter().enumerate() {
        let path = format!("stages[{i}]");
        if !is_id(&stage.id) {
            b.error(
                "bad-id",
                &format!("{path}.id"),
                format!(
                    "stage id `{}` may use only letters, digits, `_`, `-` and `.`",
                    stage.id
                ),
                None,
            );
        }
        if let Some(&first) = first_of.get(stage.id.as_str()) {
            let line = b
                .map()
                .value(&format!("stages[{first}].id"))
                .map_or(0, |p| p.line);
            b.error(
                "duplicate-id",
                &format!("{path}.id"),
                format!(
                    "stage `{}` is declared twice (first at line {line})",
                    stage.id
                ),
                None,
            );
        } else {
            first_of.insert(&stage.id, i);
        }
        if let Some(p) = stage.probability {
            if !(0.0..=1.0).contains(&p) {
                b.error(
                    "out-of-range",
                    &format!("{path}.probability"),
                    format!("probability `{p}` must be between 0 and 1"),
                    (p > 1.0 && p <= 100.0 && p.fract() == 0.0)
                        .then(|| format!("write {} for {p}%", p / 100.0)),
                );
            }
        }
        let mut own = Vec::new();
        for (j, activity) in stage.activities.iter().enumerate() {
            let apath = format!("{path}.activities[{j}].id");
            if !is_id(&activity.id) {
                b.error(
                    "bad-id",
                    &apath,
                    format!(
                        "activity id `{}` may use only letters, digits, `_`, `-` and `.`",
                        activity.id
                    ),
                    None,
                );
            }
            if let Some(first) = activity_paths.get(&activity.id) {
                let line = b.map().value(first).map_or(0, |p| p.line);
                b.error("duplicate-id", &apath, format!("activity `{}` is declared twice (first at line {line}); activity ids are unique across the playbook", activity.id), None);
            } else {
                activity_paths.insert(activity.id.clone(), apath);
                activities.push((i, own.len()));
            }
            own.push(Activity {
                id: activity.id.clone(),
                title: activity.title.clone(),
                required: activity.required.unwrap_or(false),
                edit: activity.edit.clone(),
            });
        }
        let mut metrics: Vec<Metric> = Vec::new();
        for (j, metric) in stage.metrics.iter().enumerate() {
            if metrics.iter().any(|m| m.id == metric.id) {
                b.error(
                    "duplicate-id",
                    &format!("{path}.metrics[{j}].id"),
                    format!("metric `{}` is listed twice in this stage", metric.id),
                    None,
                );
            }
            metrics.push(Metric {
                id: metric.id.clone(),
                title: metric.title.clone(),
            });
        }
        let (max_days, max_days_since) =
            stage
                .max_days
                .as_ref()
                .map_or((None, crate::model::Since::Entered), |written| {
                    let (days, since) = written.read();
                    (Some(days), since)
                });
        stages.push(Stage {
            id: stage.id.clone(),
            title: stage.title.clone(),
            journey: stage.journey.clone(),
            activities: own,
            metrics,
            probability: stage.probability,
            max_days,
            max_days_since,
            outcome: stage.outcome,
            guidance: stage.guidance.clone(),
            key_fields: stage.key_fields.clone(),
            entry: Vec::new(),
            exit: Vec::new(),
            on_enter: Vec::new(),
            on_exit: Vec::new(),
        });
    }
    (stages, activities)
}

pub(super) fn scorecard(
    b: &mut Builder<'_>,
    sandbox: &Sandbox,
    names: &Names<'_>,
    id: &str,
    raw: &RawScorecard,
) -> Scorecard {
    let path = format!("scorecards.{id}");
    if !is_id(id) {
        b.error_key(
            "bad-id",
            &path,
            format!("scorecard id `{id}` may use only letters, digits, `_`, `-` and `.`"),
            None,
        );
    }
    let mut rules: Vec<Rule> = Vec::new();
    for (j, rule) in raw.rules.iter().enumerate() {
        let rpath = format!("{path}.rules[{j}]");
        if rules.iter().any(|r| r.id == rule.id) || raw.rules[..j].iter().any(|r| r.id == rule.id) {
            b.error(
                "duplicate-id",
                &format!("{rpath}.id"),
                format!("rule `{}` is declared twice in scorecard `{id}`", rule.id),
                None,
            );
        }
        match sandbox.compile(&rule.when, names) {
            Ok(script) => rules.push(Rule {
                id: rule.id.clone(),
                points: rule.points,
                when: script,
            }),
            Err(problems) => b.script_problems(&format!("{rpath}.when"), problems),
        }
    }
    if let (Some(min), Some(max)) = (raw.min, raw.max) {
        if min > max {
            b.error(
                "out-of-range",
                &format!("{path}.min"),
                format!("`min` ({min}) is above `max` ({max})"),
                None,
            );
        }
    }
    let bands = raw.bands.0.clone();
    for pair in bands.windows(2) {
        if pair[1].1 <= pair[0].1 {
            b.error(
                "bands-order",
                &format!("{path}.bands.{}", pair[1].0),
                format!(
                    "bands must ascend: `{}` ({}) is not above `{}` ({})",
                    pair[1].0, pair[1].1, pair[0].0, pair[0].1
                ),
                None,
            );
        }
    }
    Scorecard {
        id: id.to_owned(),
        title: raw.title.clone(),
        rules,
        min: raw.min,
        max: raw.max,
        bands,
    }
}
