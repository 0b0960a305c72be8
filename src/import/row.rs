//! One row of a CRM export as a deal, with every problem of the row found.

use std::collections::HashMap;

use serde_json::Value;

use super::cell::{date, typed, Reading};
use super::check::{deal_problems, unknown_stage_cell};
use super::error::RowProblem;
use super::Importer;
use crate::deal::{Completion, Deal, HistoryEntry};
use crate::model::FieldType;

/// The cells of one row: the main file's, then each joined file's matching row.
pub(super) struct Row<'a> {
    pub main: &'a csv::StringRecord,
    pub headers: &'a HashMap<String, usize>,
    pub joined: Vec<(&'a HashMap<String, usize>, Option<&'a csv::StringRecord>)>,
}

impl Row<'_> {
    /// The trimmed cell of `column`, empty when the column or the joined row is missing.
    fn cell(&self, column: &str) -> &str {
        if let Some(&i) = self.headers.get(column) {
            return self.main.get(i).unwrap_or_default().trim();
        }
        for (headers, row) in &self.joined {
            if let (Some(&i), Some(row)) = (headers.get(column), row) {
                return row.get(i).unwrap_or_default().trim();
            }
        }
        ""
    }
}

/// The deal's current stage as the row gives it.
enum Stage {
    /// The mapping reads no stage.
    Unmapped,
    /// The stage id.
    Read(String),
    /// The cell is empty or unknown: reported.
    Bad,
}

impl Importer {
    /// One row as a deal; when it does not fit, the deal id (when the row has one) and every
    /// problem found: cells that do not read, and, with a playbook, whatever does not fit it.
    pub(super) fn deal(&self, row: &Row<'_>) -> Result<Deal, (Option<String>, Vec<RowProblem>)> {
        let m = &self.mapping;
        let mut problems = Vec::new();
        let id = row.cell(&m.id);
        if id.is_empty() {
            problems.push(RowProblem::in_column(
                &m.id,
                format!("column `{}` (the deal id) is empty", m.id),
            ));
        }
        let stage = self.stage(row, &mut problems);
        let mut deal = Deal {
            id: Some(id.to_owned()).filter(|id| !id.is_empty()),
            playbook: m.playbook.clone(),
            ..Deal::default()
        };
        for (name, f) in &m.fields.0 {
            let cell = row.cell(&f.column);
            let kind = f.kind.unwrap_or(FieldType::Text);
            let reading = Reading {
                separators: self.separators(f),
                format: f.format.as_deref().or(m.format.as_deref()),
            };
            let value = match f.values.get(cell) {
                // A mapped text is read as the field's type, like a cell.
                Some(Value::String(mapped)) => typed(mapped, kind, f, reading),
                Some(mapped) => Ok(mapped.clone()),
                None if cell.is_empty() => continue,
                None => typed(cell, kind, f, reading),
            };
            match value {
                Ok(Value::Null) => {}
                Ok(value) => {
                    deal.fields.insert(name.clone(), value);
                }
                Err(problem) => problems.push(RowProblem::in_field(&f.column, name, &problem)),
            }
        }
        for (name, a) in &m.activities.0 {
            let cell = row.cell(&a.column);
            if cell.is_empty() {
                continue;
            }
            match date(cell, a.format.as_deref().or(m.format.as_deref())) {
                Ok(at) => {
                    deal.activities.insert(name.clone(), Completion::At(at));
                }
                Err(problem) => problems.push(RowProblem::in_field(&a.column, name, &problem)),
            }
        }
        // The column of each history entry written, for problems the playbook finds in them.
        let mut history_columns = Vec::new();
        let mut last: Option<String> = None;
        for entry in &m.history {
            let cell = row.cell(&entry.column);
            if cell.is_empty() {
                continue;
            }
            let at = match date(cell, entry.format.as_deref().or(m.format.as_deref())) {
                Ok(at) => at,
                Err(problem) => {
                    let message = format!("column `{}`: {problem}", entry.column);
                    problems.push(RowProblem::in_column(&entry.column, message));
                    continue;
                }
            };
            let to = if entry.stage == "@stage" {
                match &stage {
                    Stage::Read(stage) => stage.clone(),
                    Stage::Bad => continue,
                    Stage::Unmapped => {
                        let message = "`@stage` needs a `stage:` column".to_owned();
                        problems.push(RowProblem::in_column(&entry.column, message));
                        continue;
                    }
                }
            } else {
                entry.stage.clone()
            };
            if last.as_ref() == Some(&to) {
                continue;
            }
            deal.history.push(HistoryEntry {
                by: None,
                at,
                from: last.clone(),
                to: to.clone(),
                kind: None,
                fork: false,
                forced: false,
                reason: None,
                overridden: Vec::new(),
                migrated_from: None,
                approved: None,
                imported: false,
                imported_by: None,
                edit: None,
                archived: false,
                unarchived: false,
                approval_requested: None,
                note: None,
            });
            history_columns.push(entry.column.as_str());
            last = Some(to);
        }
        deal.stages = match stage {
            Stage::Read(stage) => vec![stage],
            Stage::Unmapped => last.into_iter().collect(),
            Stage::Bad => Vec::new(),
        };
        if let Some(playbook) = &self.playbook {
            if let Err(error) = playbook.check_deal(&deal) {
                problems.extend(deal_problems(m, &history_columns, error.problems));
            }
        }
        if problems.is_empty() {
            Ok(deal)
        } else {
            Err((deal.id, problems))
        }
    }

    /// The row's stage: the mapped value of its cell, the default when it is empty.
    fn stage(&self, row: &Row<'_>, problems: &mut Vec<RowProblem>) -> Stage {
        let Some(s) = &self.mapping.stage else {
            return Stage::Unmapped;
        };
        let cell = row.cell(&s.column);
        if cell.is_empty() {
            return match &s.default {
                Some(default) => Stage::Read(default.clone()),
                None => {
                    let message = format!("column `{}` (the stage) is empty", s.column);
                    problems.push(RowProblem::in_column(&s.column, message));
                    Stage::Bad
                }
            };
        }
        if let Some(stage) = s.values.get(cell) {
            return Stage::Read(stage.clone());
        }
        // A value not listed is taken as the stage id itself; with a playbook, it must be one.
        match &self.playbook {
            Some(playbook) if playbook.stage_index(cell).is_none() => {
                problems.push(unknown_stage_cell(playbook, s, cell));
                Stage::Bad
            }
            _ => Stage::Read(cell.to_owned()),
        }
    }
}
