//! Turning CRM exports (CSV) into deals, by a mapping file.

mod cell;
mod mapping;

use std::collections::HashMap;
use std::io::Read;

use serde_json::Value;
use thiserror::Error;

use crate::deal::{Completion, Deal, HistoryEntry};
use crate::load::LoadError;
use crate::model::FieldType;
use crate::support::diagnostic::Diagnostic;
use cell::{date, typed};
use mapping::Mapping;

/// A row or file that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{file}{}: {}{message}", .line.map_or(String::new(), |l| format!(":{l}")), .deal.as_ref().map_or(String::new(), |d| format!("deal `{d}`: ")))]
#[non_exhaustive]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// The 1-based line, when the problem is in a row.
    pub line: Option<u64>,
    /// The row's deal id, when it has one.
    pub deal: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A loaded mapping, with the rows of any joined files.
///
/// # Example
///
/// ```
/// use stagegate::import::Importer;
/// let mapping = "id: opportunity\nstage: { column: stage, values: { Won: won } }\n\
///                fields: { amount: { column: value, type: number } }\n";
/// let importer = Importer::from_yaml(mapping, "mapping.yaml").unwrap();
/// let csv = "opportunity,stage,value\nO-1,Won,1200\n";
/// let deals: Vec<_> = importer.rows(csv.as_bytes(), "export.csv").unwrap().collect();
/// let deal = deals[0].as_ref().unwrap();
/// assert_eq!(deal.stages, ["won"]);
/// assert_eq!(deal.fields["amount"], 1200.0);
/// ```
pub struct Importer {
    mapping: Mapping,
    joined: Vec<Joined>,
}

struct Joined {
    file: String,
    headers: HashMap<String, usize>,
    rows: HashMap<String, csv::StringRecord>,
    /// Rows of the main files that found no row here.
    unmatched: std::cell::Cell<u64>,
}

/// The cells of one row: the main file's, then each joined file's matching row.
struct Row<'a> {
    main: &'a csv::StringRecord,
    headers: &'a HashMap<String, usize>,
    joined: Vec<(&'a HashMap<String, usize>, Option<&'a csv::StringRecord>)>,
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

fn headers_of(record: &csv::StringRecord) -> HashMap<String, usize> {
    record
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().trim_start_matches('\u{feff}').to_owned(), i))
        .collect()
}

impl Importer {
    /// Reads a mapping file.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with every problem of the mapping, located in its file.
    pub fn from_yaml(text: &str, file: &str) -> Result<Importer, LoadError> {
        let fail = |code: &'static str, message: String, line: usize, column: usize| {
            Diagnostic::error(code, message)
                .in_file(file)
                .at(line, column)
        };
        let tree: Value = crate::support::yaml::from_str(text).map_err(|e| {
            LoadError::from(fail(
                "yaml-syntax",
                e.message,
                e.line.max(1),
                e.column.max(1),
            ))
        })?;
        let schema = mapping_schema();
        let problems = crate::support::shape::check(&tree, schema);
        if !problems.is_empty() {
            let map = crate::support::yaml::SourceMap::build(text);
            let diagnostics = problems
                .into_iter()
                .map(|p| {
                    let place = if p.at_key {
                        map.key(&p.path)
                    } else {
                        map.value(&p.path)
                    };
                    let (line, column) = place.map_or((0, 0), |p| (p.line, p.column));
                    fail(p.code, p.message, line, column).help_if(p.help)
                })
                .collect();
            return Err(LoadError::new(diagnostics));
        }
        let mapping: Mapping = crate::support::yaml::from_str(text).map_err(|e| {
            LoadError::from(fail(
                "wrong-type",
                e.message,
                e.line.max(1),
                e.column.max(1),
            ))
        })?;
        Ok(Importer {
            mapping,
            joined: Vec::new(),
        })
    }

    /// For each joined file, how many rows of the main files found no row in it so far.
    pub fn unmatched(&self) -> Vec<(&str, u64)> {
        self.joined
            .iter()
            .map(|j| (j.file.as_str(), j.unmatched.get()))
            .collect()
    }

    /// The files the mapping joins, by the name it gives them.
    pub fn joins(&self) -> Vec<&str> {
        self.mapping.join.iter().map(|j| j.file.as_str()).collect()
    }

    /// Loads the rows of a joined file (kept in memory, keyed by the shared column); give the
    /// files in the order [`Importer::joins`] lists them.
    ///
    /// # Errors
    ///
    /// An [`ImportError`] when the file cannot be read or lacks the shared column.
    pub fn join(&mut self, input: impl Read, file: &str) -> Result<(), ImportError> {
        let Some(join) = self.mapping.join.get(self.joined.len()) else {
            return Err(error(
                file,
                None,
                "the mapping joins no more files".to_owned(),
            ));
        };
        let mut reader = self.reader(input);
        let headers = headers_of(
            reader
                .headers()
                .map_err(|e| error(file, None, e.to_string()))?,
        );
        let Some(&key) = headers.get(&join.on) else {
            return Err(error(
                file,
                None,
                format!("has no column `{}` to join on", join.on),
            ));
        };
        let mut rows = HashMap::new();
        for record in reader.records() {
            let record =
                record.map_err(|e| error(file, e.position().map(|p| p.line()), e.to_string()))?;
            let value = record.get(key).unwrap_or_default().trim().to_owned();
            rows.entry(value).or_insert(record);
        }
        self.joined.push(Joined {
            file: file.to_owned(),
            headers,
            rows,
            unmatched: std::cell::Cell::new(0),
        });
        Ok(())
    }

    fn reader<R: Read>(&self, input: R) -> csv::Reader<R> {
        csv::ReaderBuilder::new()
            .delimiter(self.mapping.delimiter.map_or(b',', |c| c as u8))
            .flexible(true)
            .from_reader(input)
    }

    /// The deals of a CSV file, one per row, read as they are needed.
    ///
    /// # Errors
    ///
    /// An [`ImportError`] when the header lacks a column the mapping names; then each row gives
    /// a deal or an error naming its line.
    pub fn rows<'a, R: Read + 'a>(
        &'a self,
        input: R,
        file: &'a str,
    ) -> Result<impl Iterator<Item = Result<Deal, ImportError>> + 'a, ImportError> {
        let mut reader = self.reader(input);
        let headers = headers_of(
            reader
                .headers()
                .map_err(|e| error(file, None, e.to_string()))?,
        );
        let known = |c: &str| {
            headers.contains_key(c) || self.joined.iter().any(|j| j.headers.contains_key(c))
        };
        let mut missing: Vec<&str> = self.columns().into_iter().filter(|c| !known(c)).collect();
        missing.dedup();
        if !missing.is_empty() {
            return Err(error(
                file,
                Some(1),
                format!(
                    "the header has no column {}",
                    crate::support::suggest::list_all(&missing)
                ),
            ));
        }
        Ok(reader.into_records().map(move |record| {
            let record =
                record.map_err(|e| error(file, e.position().map(|p| p.line()), e.to_string()))?;
            let line = record.position().map(|p| p.line());
            self.deal(&record, &headers)
                .map_err(|(deal, message)| ImportError {
                    file: file.to_owned(),
                    line,
                    deal,
                    message,
                })
        }))
    }

    /// Every column the mapping reads.
    fn columns(&self) -> Vec<&str> {
        let m = &self.mapping;
        let mut columns = vec![m.id.as_str()];
        columns.extend(m.stage.as_ref().map(|s| s.column.as_str()));
        columns.extend(m.fields.0.iter().map(|(_, f)| f.column.as_str()));
        columns.extend(m.history.iter().map(|h| h.column.as_str()));
        columns.extend(m.activities.0.iter().map(|(_, a)| a.column.as_str()));
        columns.extend(m.join.iter().map(|j| j.on.as_str()));
        columns
    }

    /// One row as a deal; errors carry the deal id when known.
    fn deal(
        &self,
        record: &csv::StringRecord,
        headers: &HashMap<String, usize>,
    ) -> Result<Deal, (Option<String>, String)> {
        let m = &self.mapping;
        let joined = m
            .join
            .iter()
            .zip(&self.joined)
            .map(|(join, j)| {
                let key = headers
                    .get(&join.on)
                    .and_then(|&i| record.get(i))
                    .unwrap_or_default()
                    .trim();
                let row = j.rows.get(key);
                if row.is_none() {
                    j.unmatched.set(j.unmatched.get() + 1);
                }
                (&j.headers, row)
            })
            .collect();
        let row = Row {
            main: record,
            headers,
            joined,
        };
        let id = row.cell(&m.id);
        if id.is_empty() {
            return Err((None, format!("column `{}` (the deal id) is empty", m.id)));
        }
        let fail = |message: String| (Some(id.to_owned()), message);
        let stage = match &m.stage {
            None => None,
            Some(s) => {
                let cell = row.cell(&s.column);
                match (cell.is_empty(), &s.default) {
                    (true, Some(default)) => Some(default.clone()),
                    (true, None) => {
                        return Err(fail(format!("column `{}` (the stage) is empty", s.column)))
                    }
                    (false, _) => Some(
                        s.values
                            .get(cell)
                            .cloned()
                            .unwrap_or_else(|| cell.to_owned()),
                    ),
                }
            }
        };
        let mut deal = Deal {
            id: Some(id.to_owned()),
            playbook: m.playbook.clone(),
            ..Deal::default()
        };
        for (name, f) in &m.fields.0 {
            let cell = row.cell(&f.column);
            let kind = f.kind.unwrap_or(FieldType::Text);
            let value = match f.values.get(cell) {
                // A mapped text is read as the field's type, like a cell.
                Some(Value::String(mapped)) => typed(mapped, kind, f),
                Some(mapped) => Ok(mapped.clone()),
                None if cell.is_empty() => continue,
                None => typed(cell, kind, f),
            }
            .map_err(|problem| fail(format!("column `{}` ({name}): {problem}", f.column)))?;
            if !value.is_null() {
                deal.fields.insert(name.clone(), value);
            }
        }
        for (name, a) in &m.activities.0 {
            let cell = row.cell(&a.column);
            if !cell.is_empty() {
                let at = date(cell, a.format.as_deref())
                    .map_err(|p| fail(format!("column `{}` ({name}): {p}", a.column)))?;
                deal.activities.insert(name.clone(), Completion::At(at));
            }
        }
        let mut last: Option<String> = None;
        for entry in &m.history {
            let cell = row.cell(&entry.column);
            if cell.is_empty() {
                continue;
            }
            let at = date(cell, entry.format.as_deref())
                .map_err(|p| fail(format!("column `{}`: {p}", entry.column)))?;
            let to = if entry.stage == "@stage" {
                stage
                    .clone()
                    .ok_or_else(|| fail("`@stage` needs a `stage:` column".to_owned()))?
            } else {
                entry.stage.clone()
            };
            if last.as_ref() == Some(&to) {
                continue;
            }
            deal.history.push(HistoryEntry {
                at,
                from: last.clone(),
                to: to.clone(),
                kind: None,
                fork: false,
                forced: false,
                reason: None,
                overridden: Vec::new(),
                migrated_from: None,
            });
            last = Some(to);
        }
        deal.stages = stage.or(last).into_iter().collect();
        Ok(deal)
    }
}

fn error(file: &str, line: Option<u64>, message: String) -> ImportError {
    ImportError {
        file: file.to_owned(),
        line,
        deal: None,
        message,
    }
}

/// The JSON Schema of mapping files.
fn mapping_schema() -> &'static Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<Mapping>()
            .to_value()
    })
}
