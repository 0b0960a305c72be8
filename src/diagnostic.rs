//! Problems found in a playbook, with their place in the file.

use std::fmt;

use serde::Serialize;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The playbook cannot be used.
    Error,
    /// The playbook loads, but something is probably a mistake.
    Warning,
}

/// One problem found while loading a playbook.
///
/// # Example
///
/// ```
/// use stagegate::{Playbook, Severity};
/// let found = Playbook::check("stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}, {id: orphan}]\n", "p.yaml");
/// let warning = found.iter().find(|d| d.code == "unreachable-stage").unwrap();
/// assert_eq!(warning.severity, Severity::Warning);
/// assert_eq!((warning.line, warning.column), (4, 27));
/// // `Display` is the one-line form `stagegate check` prints.
/// assert!(warning.to_string().starts_with("p.yaml:4:27: warning[unreachable-stage]"));
/// ```
///
/// `line` and `column` are 1-based and point into the YAML file, also for problems found
/// inside a Rhai expression. They are 0 when no place is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `unknown-key` or `rhai-syntax`.
    pub code: &'static str,
    /// One lowercase line saying what is wrong.
    pub message: String,
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// How to fix it, when there is something to suggest (`null` in JSON otherwise).
    pub help: Option<String>,
}

impl Diagnostic {
    /// `true` for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}[{}]: {}",
            self.file, self.line, self.column, self.code, self.message
        )
    }
}
