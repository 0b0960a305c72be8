//! A playbook that cannot be used, with every problem found in it.

use thiserror::Error;

use crate::support::diagnostic::Diagnostic;

/// A playbook that cannot be used, with every problem found in it.
///
/// # Example
///
/// ```
/// let error = stagegate::Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: open, exit: [{when: \"budgt > 1\"}]}]\n", "p.yaml").unwrap_err();
/// let first = &error.diagnostics[0];
/// assert_eq!((first.code, first.line, first.column), ("unknown-name", 4, 36));
/// assert_eq!(first.message, "`budgt` is not a declared field");
/// ```
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{}", summary(.diagnostics))]
#[non_exhaustive]
pub struct LoadError {
    /// Every error and warning, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// A load that failed with these diagnostics (at least one of them an error).
    pub(crate) fn new(diagnostics: Vec<Diagnostic>) -> LoadError {
        LoadError { diagnostics }
    }

    /// A file or directory that cannot be read.
    pub(crate) fn unreadable(name: &str, error: &std::io::Error) -> LoadError {
        Diagnostic::error("unreadable", crate::support::io::cannot_read(name, error))
            .in_file(name)
            .into()
    }
}

impl From<Diagnostic> for LoadError {
    fn from(diagnostic: Diagnostic) -> LoadError {
        LoadError::new(vec![diagnostic])
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    match errors.as_slice() {
        [] => "the playbook cannot be loaded".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more errors)", rest.len()),
    }
}
