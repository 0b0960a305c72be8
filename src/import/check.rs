//! A mapping checked against the playbook its deals are for (once, before any row), and the
//! playbook's verdict on one imported deal put back in the mapping's terms: the column and the
//! field of each problem.

use crate::deal::DealProblem;
use crate::fit::pin_fits;
use crate::model::{FieldType, Playbook};
use crate::support::diagnostic::Diagnostic;
use crate::support::suggest;
use crate::support::yaml::SourceMap;

use super::error::RowProblem;
use super::mapping::{Mapping, StageColumn};
use super::numbers::Separators;

/// Where the mapping's problems are placed: its file and where each of its values stands.
pub(super) struct Places<'a> {
    pub file: &'a str,
    pub map: &'a SourceMap,
}

impl Places<'_> {
    /// An error at the value at `path` (at its key when `key`).
    fn error(&self, code: &'static str, path: &str, key: bool, message: String) -> Diagnostic {
        let place = if key {
            self.map.key(path)
        } else {
            self.map.value(path)
        };
        let (line, column) = place.map_or((0, 0), |p| (p.line, p.column));
        Diagnostic::error(code, message)
            .in_file(self.file)
            .at(line, column)
    }
}

/// The separators of numbers the mapping gives, each checked: one character may not both group
/// thousands and mark the decimals.
pub(super) fn separator_problems(mapping: &Mapping, places: &Places<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let top = Separators {
        thousands: mapping.thousands,
        decimal: mapping.decimal.unwrap_or('.'),
    };
    if let Some(problem) = top.problem() {
        let path = if mapping.decimal.is_some() {
            "decimal"
        } else {
            "thousands"
        };
        problems.push(places.error("bad-separator", path, false, problem));
    }
    for (name, f) in &mapping.fields.0 {
        if f.thousands.is_none() && f.decimal.is_none() {
            continue;
        }
        let own = Separators {
            thousands: f.thousands.or(mapping.thousands),
            decimal: f.decimal.or(mapping.decimal).unwrap_or('.'),
        };
        if let Some(problem) = own.problem() {
            let key = if f.decimal.is_some() {
                "decimal"
            } else {
                "thousands"
            };
            let path = format!("fields.{name}.{key}");
            let message = format!("field `{name}`: {problem}");
            problems.push(places.error("bad-separator", &path, false, message));
        }
    }
    problems
}

/// Everything in the mapping that the playbook refuses: another pin, stages it does not have,
/// fields it does not declare or declares of another type, activities it does not have.
pub(super) fn mapping_problems(
    mapping: &Mapping,
    playbook: &Playbook,
    places: &Places<'_>,
) -> Vec<Diagnostic> {
    let pin = playbook.pin();
    let mut problems = Vec::new();
    if let Some(written) = mapping.playbook.as_deref() {
        if !pin_fits(playbook, written) {
            let message = format!("the mapping is for `{written}`, but the playbook is `{pin}`");
            let help = format!(
                "give the playbook the mapping is for, or change the mapping to `playbook: {pin}`"
            );
            problems.push(
                places
                    .error("wrong-playbook", "playbook", false, message)
                    .help(help),
            );
        }
    }
    let stage_ids = || playbook.stages().iter().map(|s| s.id.as_str());
    let unknown_stage = |path: &str, message: String, stage: &str| {
        let help = suggest::did_you_mean(stage, stage_ids()).unwrap_or_else(|| {
            let ids: Vec<&str> = stage_ids().collect();
            format!("its stages are {}", suggest::list_all(&ids))
        });
        places
            .error("unknown-stage", path, false, message)
            .help(help)
    };
    if let Some(s) = &mapping.stage {
        for (cell, stage) in &s.values {
            if playbook.stage_index(stage).is_none() {
                let message =
                    format!("`{cell}` maps to `{stage}`, which is not a stage of `{pin}`");
                problems.push(unknown_stage(
                    &format!("stage.values.{cell}"),
                    message,
                    stage,
                ));
            }
        }
        if let Some(stage) = s.default.as_deref() {
            if playbook.stage_index(stage).is_none() {
                let message = format!("the default stage `{stage}` is not a stage of `{pin}`");
                problems.push(unknown_stage("stage.default", message, stage));
            }
        }
    }
    for (i, entry) in mapping.history.iter().enumerate() {
        let stage = entry.stage.as_str();
        if stage != "@stage" && playbook.stage_index(stage).is_none() {
            let message = format!(
                "column `{}` enters `{stage}`, which is not a stage of `{pin}`",
                entry.column
            );
            problems.push(unknown_stage(
                &format!("history[{i}].stage"),
                message,
                stage,
            ));
        }
    }
    for (name, f) in &mapping.fields.0 {
        let path = format!("fields.{name}");
        let Some(field) = playbook.field_index(name).map(|i| &playbook.fields[i]) else {
            let message = format!("field `{name}` is not declared in `{pin}`");
            let help = suggest::did_you_mean(name, playbook.fields().iter().map(|d| d.id.as_str()))
                .unwrap_or_else(|| {
                    "declare it in the playbook, or leave it out of the mapping".to_owned()
                });
            problems.push(
                places
                    .error("unknown-field", &path, true, message)
                    .help(help),
            );
            continue;
        };
        let read = f.kind.unwrap_or(FieldType::Text);
        if !reads_as(read, field.kind) {
            let message = format!(
                "the mapping reads `{name}` as {}, but `{pin}` declares it {}",
                read.described(),
                field.kind.described()
            );
            let help = format!("give it `type: {}`", type_name(field.kind));
            problems.push(places.error("wrong-type", &path, true, message).help(help));
        }
    }
    for name in mapping.activities.0.iter().map(|(name, _)| name) {
        if playbook.activity_index(name).is_none() {
            let message = format!("activity `{name}` is not in `{pin}`");
            let help = suggest::did_you_mean(name, playbook.activity_ids()).unwrap_or_else(|| {
                "add it to a stage of the playbook, or leave it out of the mapping".to_owned()
            });
            let path = format!("activities.{name}");
            problems.push(
                places
                    .error("unknown-activity", &path, true, message)
                    .help(help),
            );
        }
    }
    problems
}

/// Whether values read as `read` can fit a field declared `declared`.
fn reads_as(read: FieldType, declared: FieldType) -> bool {
    use FieldType::{Enum, Integer, Number, Text};
    read == declared
        || matches!(
            (read, declared),
            (Text, Enum) | (Enum, Text) | (Integer, Number)
        )
}

/// A type as a mapping writes it.
fn type_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Bool => "bool",
        FieldType::Integer => "integer",
        FieldType::Number => "number",
        FieldType::Text => "text",
        FieldType::Date => "date",
        FieldType::Enum => "enum",
        FieldType::List => "list",
    }
}

/// A stage cell that is neither listed under `values:` nor a stage of the playbook, with the
/// likely intended value or stage.
pub(super) fn unknown_stage_cell(playbook: &Playbook, s: &StageColumn, cell: &str) -> RowProblem {
    let known = s
        .values
        .keys()
        .map(String::as_str)
        .chain(playbook.stages().iter().map(|stage| stage.id.as_str()));
    let help = suggest::did_you_mean(cell, known)
        .unwrap_or_else(|| "map it to a stage under `stage: values:`".to_owned());
    let message = format!(
        "column `{}` (the stage): `{cell}` is not a stage of `{}` nor a value listed under \
         `stage: values:`; {help}",
        s.column,
        playbook.pin()
    );
    RowProblem::in_column(&s.column, message)
}

/// The problems the playbook found in an imported deal, each at the column it came from.
/// `history_columns` holds the column of each history entry the deal was given.
pub(super) fn deal_problems(
    mapping: &Mapping,
    history_columns: &[&str],
    problems: Vec<DealProblem>,
) -> Vec<RowProblem> {
    let field_column = |name: &str| {
        mapping
            .fields
            .0
            .iter()
            .find(|(id, _)| id == name)
            .map(|(_, f)| f.column.as_str())
    };
    let activity_column = |name: &str| {
        mapping
            .activities
            .0
            .iter()
            .find(|(id, _)| id == name)
            .map(|(_, a)| a.column.as_str())
    };
    // `history[2].to` → the column of the third entry written.
    let history_column = |place: &str| {
        let index = place.strip_prefix("history[")?.split(']').next()?;
        history_columns.get(index.parse::<usize>().ok()?).copied()
    };
    problems
        .into_iter()
        .map(|problem| {
            let text = problem.to_string();
            let (column, field) = match &problem {
                DealProblem::UndeclaredField { field, .. }
                | DealProblem::WrongValue { field, .. } => (field_column(field), Some(field)),
                DealProblem::UnknownActivity { activity, .. } => {
                    (activity_column(activity), Some(activity))
                }
                DealProblem::BadTime { place, .. } => match place.strip_prefix("activities.") {
                    Some(activity) => (activity_column(activity), None),
                    None => (history_column(place), None),
                },
                DealProblem::UnknownStage { place, .. } if place == "stages" => {
                    (mapping.stage.as_ref().map(|s| s.column.as_str()), None)
                }
                DealProblem::UnknownStage { place, .. } => (history_column(place), None),
                _ => (None, None),
            };
            match (column, field) {
                (Some(column), Some(field)) => {
                    let text = match &problem {
                        DealProblem::WrongValue { problem, .. } => problem.clone(),
                        _ => text,
                    };
                    RowProblem::in_field(column, field, &text)
                }
                (Some(column), None) => {
                    RowProblem::in_column(column, format!("column `{column}`: {text}"))
                }
                (None, _) => RowProblem {
                    column: None,
                    field: field.cloned(),
                    message: text,
                },
            }
        })
        .collect()
}
