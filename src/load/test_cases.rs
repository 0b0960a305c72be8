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

/// The problems of a case file's deals and times against `playbook`, each at its line and
/// column in the file: the gate every deal passes ([`Playbook::check_deal`]). A case whose deal
/// does not fit tests nothing; `stagegate test` reports it and leaves it out. A case that
/// expects nothing is a warning (`empty-expect`): it runs, and passes.
///
/// # Example
///
/// ```
/// use stagegate::{testing, Playbook};
/// let playbook = Playbook::from_yaml(
///     "stagegate: 1\nid: t\nversion: 1\nfields: {amount: {type: number}}\nstages: [{id: open}]\n", "t.yaml").unwrap();
/// let text = "- name: rich\n  deal: { fields: { amount: lots } }\n  expect: { stages: [open] }\n";
/// let cases = testing::read_cases(text, "cases.yaml").unwrap();
/// let found = testing::check_cases(&playbook, &cases, text, "cases.yaml");
/// assert_eq!((found[0].line, found[0].code), (2, "test-deal"));
/// assert!(found[0].message.contains("test `rich`: field `amount`: expected a number"));
/// // A case that expects nothing tests nothing: a warning, at the case.
/// let text = "- { name: idle, deal: {} }\n";
/// let found = testing::check_cases(&playbook, &testing::read_cases(text, "cases.yaml").unwrap(), text, "cases.yaml");
/// assert_eq!((found[0].code, found[0].is_error()), ("empty-expect", false));
/// ```
pub fn check_cases(
    playbook: &crate::model::Playbook,
    cases: &[TestCase],
    text: &str,
    file: &str,
) -> Vec<Diagnostic> {
    super::cases::check_file(playbook, cases, text, file)
}
