//! Collecting diagnostics while a playbook is built, each placed in the file, and the forms of ids.

use crate::script::ScriptProblem;
use crate::support::diagnostic::{Diagnostic, Severity};
use crate::support::yaml::{Place, SourceMap};

/// Collects diagnostics, each placed in the file through the source map.
pub(super) struct Builder<'f> {
    file: &'f str,
    text: &'f str,
    /// Where each value stands, worked out the first time a problem needs a place.
    map: std::cell::OnceCell<SourceMap>,
    pub diagnostics: Vec<Diagnostic>,
    /// Maps that lost an unknown key: what is said about them now would only echo that mistake.
    tainted: Vec<String>,
    /// Paths written twice, whose value is in doubt.
    doubtful: Vec<String>,
}

impl<'f> Builder<'f> {
    /// An empty builder for `file`.
    pub fn new(file: &'f str, text: &'f str) -> Builder<'f> {
        Builder {
            file,
            text,
            map: std::cell::OnceCell::new(),
            diagnostics: Vec::new(),
            tainted: Vec::new(),
            doubtful: Vec::new(),
        }
    }

    /// The source map of the text (built on first use: a clean playbook never needs it).
    pub fn map(&self) -> &SourceMap {
        self.map.get_or_init(|| SourceMap::build(self.text))
    }

    /// From now on, stay silent about the map at `path` and what is inside it.
    pub fn taint(&mut self, path: &str) {
        self.tainted.push(path.to_owned());
    }

    /// The value at `path` was written twice: which one a reader meant is in doubt.
    pub fn doubt(&mut self, path: &str) {
        self.doubtful.push(path.to_owned());
    }

    /// Whether the value at `path` was written twice.
    pub fn is_doubtful(&self, path: &str) -> bool {
        self.doubtful.iter().any(|d| d == path)
    }

    fn is_tainted(&self, path: &str) -> bool {
        self.tainted.iter().any(|t| {
            path == t
                || path
                    .strip_prefix(t.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        place: Option<Place>,
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = place.map_or((0, 0), |p| (p.line, p.column));
        let found = match severity {
            Severity::Error => Diagnostic::error(code, message),
            Severity::Warning => Diagnostic::warning(code, message),
        };
        let found = found.in_file(self.file).at(line, column).help_if(help);
        self.diagnostics.push(found);
    }

    /// An error at the value of `path`.
    pub fn error(&mut self, code: &'static str, path: &str, message: String, help: Option<String>) {
        if self.is_tainted(path) {
            return;
        }
        let place = self.map().value(path);
        self.push(Severity::Error, code, place, message, help);
    }

    /// An error about the whole file, with no place in it.
    pub fn error_whole(&mut self, code: &'static str, message: String) {
        self.push(Severity::Error, code, None, message, None);
    }

    /// An error at a given place.
    pub fn error_at(
        &mut self,
        code: &'static str,
        place: Place,
        message: String,
        help: Option<String>,
    ) {
        self.push(Severity::Error, code, Some(place), message, help);
    }

    /// An error at the key of `path`.
    pub fn error_key(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        self.push_at_key(Severity::Error, code, path, message, help);
    }

    /// A warning at the key of `path`.
    pub fn warning_key(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        self.push_at_key(Severity::Warning, code, path, message, help);
    }

    /// A diagnostic at the key of `path`, unless the path is tainted.
    fn push_at_key(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        if self.is_tainted(path) {
            return;
        }
        let place = self.map().key(path);
        self.push(severity, code, place, message, help);
    }

    /// A warning at the value of `path`.
    pub fn warning(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        if self.is_tainted(path) {
            return;
        }
        let place = self.map().value(path);
        self.push(Severity::Warning, code, place, message, help);
    }

    /// Problems inside the Rhai expression at `path`.
    pub fn script_problems(&mut self, path: &str, problems: Vec<ScriptProblem>) {
        for problem in problems {
            let place = self
                .map()
                .inside(path, problem.line, problem.column)
                .or_else(|| self.map().value(path));
            self.push(
                Severity::Error,
                problem.code,
                place,
                problem.message,
                problem.help,
            );
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// `[a-z0-9_-]+`, the form of a playbook id.
pub(super) fn is_playbook_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Letters, digits, `_`, `-` and `.`: the form of stage, activity, criterion and band ids.
pub(super) fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

const RHAI_KEYWORDS: &[&str] = &[
    "true",
    "false",
    "let",
    "const",
    "if",
    "else",
    "switch",
    "do",
    "while",
    "loop",
    "until",
    "for",
    "in",
    "continue",
    "break",
    "return",
    "throw",
    "try",
    "catch",
    "fn",
    "private",
    "import",
    "export",
    "as",
    "global",
    "this",
    "type_of",
    "print",
    "debug",
    "eval",
    "call",
    "curry",
    "Fn",
    "is_def_fn",
    "is_def_var",
    "is_shared",
    "static",
    "shared",
    "sync",
    "async",
    "await",
    "var",
    "new",
    "use",
    "with",
    "module",
    "package",
    "super",
    "thread",
    "spawn",
    "go",
    "exit",
    "match",
    "case",
    "public",
    "protected",
    "goto",
    "void",
    "null",
    "nil",
    "default",
];

/// A name rules can use as a variable.
pub(super) fn is_variable(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RHAI_KEYWORDS.contains(&name)
}
