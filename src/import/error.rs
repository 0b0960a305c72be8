//! What can be wrong with an import: a file that cannot be read, a row with every problem found
//! in it.

use thiserror::Error;

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
    /// What is wrong: for a row, each of its problems, joined by `; `.
    pub message: String,
    /// For a row, every problem found in it, cell by cell; empty when the whole file is at fault.
    pub problems: Vec<RowProblem>,
}

/// One thing wrong in a row: the column it was read from, the field it gives, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct RowProblem {
    /// The CSV column, as the mapping names it, when the problem is in one.
    pub column: Option<String>,
    /// The deal field (or activity) the column gives, when it gives one.
    pub field: Option<String>,
    /// What is wrong and how to fix it, naming the column and the field.
    pub message: String,
}

impl RowProblem {
    /// A problem in `column`, which gives `field`: `` column `Amount` (amount): ... ``.
    pub(super) fn in_field(column: &str, field: &str, problem: &str) -> RowProblem {
        RowProblem {
            column: Some(column.to_owned()),
            field: Some(field.to_owned()),
            message: format!("column `{column}` ({field}): {problem}"),
        }
    }

    /// A problem in `column`, which gives no field (the id, the stage, a history date); `message`
    /// names the column itself.
    pub(super) fn in_column(column: &str, message: String) -> RowProblem {
        RowProblem {
            column: Some(column.to_owned()),
            field: None,
            message,
        }
    }
}

impl ImportError {
    /// The problems of the row at `line` of `file`, whose deal id is `deal` when it has one.
    pub(super) fn row(
        file: &str,
        line: Option<u64>,
        deal: Option<String>,
        problems: Vec<RowProblem>,
    ) -> ImportError {
        let message = problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        ImportError {
            file: file.to_owned(),
            line,
            deal,
            message,
            problems,
        }
    }

    /// One line per problem, each naming the file, the line and the deal
    /// (`` export.csv:5: deal `O-4`: column `Amount` (amount): `abc` is not a number ``); one line
    /// when the whole file is at fault.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::import::Importer;
    /// let mapping = "id: id\nfields:\n  amount: { column: amount, type: number }\n  \
    ///                seats: { column: seats, type: integer }\n";
    /// let importer = Importer::from_yaml(mapping, "mapping.yaml").unwrap();
    /// let csv = "id,amount,seats\nO-1,lots,2.5\n";
    /// let error = importer.rows(csv.as_bytes(), "export.csv").unwrap().next().unwrap().unwrap_err();
    /// assert_eq!(error.lines(), [
    ///     "export.csv:2: deal `O-1`: column `amount` (amount): `lots` is not a number",
    ///     "export.csv:2: deal `O-1`: column `seats` (seats): `2.5` is not a whole number",
    /// ]);
    /// ```
    pub fn lines(&self) -> Vec<String> {
        if self.problems.is_empty() {
            return vec![self.to_string()];
        }
        let line = self.line.map_or(String::new(), |l| format!(":{l}"));
        let deal = self
            .deal
            .as_ref()
            .map_or(String::new(), |d| format!("deal `{d}`: "));
        self.problems
            .iter()
            .map(|p| format!("{}{line}: {deal}{}", self.file, p.message))
            .collect()
    }
}

/// A problem with the whole of `file`, or with one of its lines that cannot be read as CSV.
pub(super) fn error(file: &str, line: Option<u64>, message: String) -> ImportError {
    ImportError {
        file: file.to_owned(),
        line,
        deal: None,
        message,
        problems: Vec::new(),
    }
}
