//! Turning CRM exports (CSV) into deals, by a mapping file.

mod cell;
mod check;
mod error;
mod mapping;
mod numbers;
mod row;

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use serde_json::Value;

use crate::deal::Deal;
use crate::load::LoadError;
use crate::model::Playbook;
use crate::support::diagnostic::Diagnostic;
use crate::support::yaml::SourceMap;
pub use cell::field_value;
use check::Places;
use error::error;
pub use error::{ImportError, RowProblem};
use mapping::Mapping;
use numbers::Separators;
use row::Row;

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
    /// The mapping's file name and where each of its values stands, for its problems.
    file: String,
    places: SourceMap,
    joined: Vec<Joined>,
    /// The playbook every deal is checked against, when one is given.
    playbook: Option<Arc<Playbook>>,
}

struct Joined {
    file: String,
    headers: HashMap<String, usize>,
    rows: HashMap<String, csv::StringRecord>,
    /// Rows of the main files that found no row here.
    unmatched: std::cell::Cell<u64>,
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
        let places = crate::support::yaml::SourceMap::build(text);
        let problems = check::separator_problems(&mapping, &Places { file, map: &places });
        if !problems.is_empty() {
            return Err(LoadError::new(problems));
        }
        Ok(Importer {
            mapping,
            file: file.to_owned(),
            places,
            joined: Vec::new(),
            playbook: None,
        })
    }

    /// Checks every deal against `playbook` from now on: each row whose deal does not fit it (a
    /// stage it does not have, an enum value it does not list, a value of the wrong type) is an
    /// error naming every problem, like a cell that does not read.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with every problem of the mapping against the playbook, located in the
    /// mapping's file: a `playbook:` pin to another playbook or version, a value under
    /// `stage: values:`, a `default:` or a history `stage:` that is not one of its stages, a field
    /// it does not declare or declares of another type, an activity it does not have. Then no
    /// playbook is attached.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::import::Importer;
    /// use stagegate::Playbook;
    /// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
    ///     fields: { size: { type: enum, values: [small, large] } }\n\
    ///     stages: [{ id: open }, { id: won, outcome: won }]\n", "p.yaml").unwrap();
    /// let mapping = "id: id\nstage: { column: stage, values: { Won: won } }\n\
    ///                fields: { size: { column: size } }\n";
    /// let mut importer = Importer::from_yaml(mapping, "mapping.yaml").unwrap();
    /// importer.check_with(playbook).unwrap();
    /// let csv = "id,stage,size\nO-1,Won,small\nO-2,wom,huge\n";
    /// let rows: Vec<_> = importer.rows(csv.as_bytes(), "export.csv").unwrap().collect();
    /// assert_eq!(rows[0].as_ref().unwrap().stages, ["won"]);
    /// assert_eq!(rows[1].as_ref().unwrap_err().lines(), [
    ///     "export.csv:3: deal `O-2`: column `stage` (the stage): `wom` is not a stage of `p@1` \
    ///      nor a value listed under `stage: values:`; did you mean `won`?",
    ///     "export.csv:3: deal `O-2`: column `size` (size): `huge` is not one of `small` or `large`",
    /// ]);
    /// ```
    pub fn check_with(&mut self, playbook: impl Into<Arc<Playbook>>) -> Result<(), LoadError> {
        let playbook = playbook.into();
        let places = Places {
            file: &self.file,
            map: &self.places,
        };
        let mut problems = check::mapping_problems(&self.mapping, &playbook, &places);
        if !problems.is_empty() {
            problems.sort_by_key(|d| (d.line, d.column));
            return Err(LoadError::new(problems));
        }
        self.playbook = Some(playbook);
        Ok(())
    }

    /// Whether deals are checked against a playbook ([`Importer::check_with`]).
    pub fn is_checked(&self) -> bool {
        self.playbook.is_some()
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
            let hint =
                crate::support::suggest::did_you_mean(&join.on, headers.keys().map(String::as_str))
                    .map_or(String::new(), |h| format!(" ({h})"));
            return Err(error(
                file,
                None,
                format!("has no column `{}` to join on{hint}", join.on),
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
        let mut missing: Vec<&str> = Vec::new();
        for column in self.columns() {
            if !known(column) && !missing.contains(&column) {
                missing.push(column);
            }
        }
        if !missing.is_empty() {
            return Err(error(
                file,
                Some(1),
                self.missing_columns(&missing, &headers),
            ));
        }
        Ok(reader.into_records().map(move |record| {
            let record =
                record.map_err(|e| error(file, e.position().map(|p| p.line()), e.to_string()))?;
            let line = record.position().map(|p| p.line());
            let row = self.row(&record, &headers);
            self.deal(&row)
                .map_err(|(deal, problems)| ImportError::row(file, line, deal, problems))
        }))
    }

    /// `` the header has no column `Amout` (did you mean `Amount`?) and `Seats` ``: each column
    /// the mapping names that no file has, with the header most like it.
    fn missing_columns(&self, missing: &[&str], headers: &HashMap<String, usize>) -> String {
        let known = || {
            headers
                .keys()
                .chain(self.joined.iter().flat_map(|j| j.headers.keys()))
                .map(String::as_str)
        };
        let named: Vec<String> = missing
            .iter()
            .map(
                |column| match crate::support::suggest::did_you_mean(column, known()) {
                    Some(hint) => format!("`{column}` ({hint})"),
                    None => format!("`{column}`"),
                },
            )
            .collect();
        let listed = match named.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        format!("the header has no column {listed}")
    }

    /// The cells of one row of a main file, with the matching rows of the joined files.
    fn row<'a>(
        &'a self,
        record: &'a csv::StringRecord,
        headers: &'a HashMap<String, usize>,
    ) -> Row<'a> {
        let joined = self
            .mapping
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
        Row {
            main: record,
            headers,
            joined,
        }
    }

    /// How the column of `field` writes its numbers: its own separators, else the mapping's.
    fn separators(&self, field: &mapping::FieldColumn) -> Separators {
        Separators {
            thousands: field.thousands.or(self.mapping.thousands),
            decimal: field.decimal.or(self.mapping.decimal).unwrap_or('.'),
        }
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
