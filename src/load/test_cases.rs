//! Reading case files: YAML lists of test cases.

use super::LoadError;
use crate::model::TestCase;
use crate::support::diagnostic::Diagnostic;
use crate::support::yaml;

/// Reads a case file: a YAML list of test cases.
///
/// # Errors
///
/// A [`LoadError`] with the place of the first problem in the file.
///
/// # Example
///
/// ```
/// let cases = stagegate::testing::read_cases("- { name: empty, deal: {} }\n", "cases.yaml").unwrap();
/// assert_eq!(cases[0].name, "empty");
/// ```
pub fn read_cases(text: &str, file: &str) -> Result<Vec<TestCase>, LoadError> {
    yaml::from_str::<Vec<TestCase>>(text).map_err(|error| {
        let found = Diagnostic::error("test-case", error.message)
            .in_file(file)
            .at(error.line, error.column);
        LoadError::from(found)
    })
}
