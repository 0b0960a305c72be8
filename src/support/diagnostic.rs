//! Problems found in a playbook, with their place in the file.

use std::fmt;

use serde::Serialize;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
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
    /// An error with a stable `code` and a one-line `message`, in no file yet and at no place.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Diagnostic;
    /// let found = Diagnostic::error("unknown-key", "unknown key `titel`")
    ///     .in_file("p.yaml")
    ///     .at(4, 18)
    ///     .help("did you mean `title`?");
    /// assert_eq!(found.to_string(), "p.yaml:4:18: error[unknown-key]: unknown key `titel`");
    /// assert_eq!(found.help.as_deref(), Some("did you mean `title`?"));
    /// ```
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: String::new(),
            line: 0,
            column: 0,
            help: None,
        }
    }

    /// A warning with a stable `code` and a one-line `message`, in no file yet and at no place.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// The same problem, in `file`.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = file.into();
        self
    }

    /// The same problem, at a 1-based `line` and `column` (0 where unknown).
    #[must_use]
    pub fn at(mut self, line: usize, column: usize) -> Diagnostic {
        self.line = line;
        self.column = column;
        self
    }

    /// The same problem, with advice on how to fix it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The same problem, with advice when there is some.
    #[must_use]
    pub fn help_if(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

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
