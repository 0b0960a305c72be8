//! How a host loads playbooks: the Rhai limits and the host functions rules may call.

use std::path::Path;

use super::LoadError;
use crate::model::Playbook;
use crate::script::host::HostFunction;
use crate::script::Limits;
use crate::support::diagnostic::Diagnostic;

/// Loads playbooks with a host's limits and functions. [`Playbook::from_yaml`] is
/// `Loader::new().from_yaml(..)`.
///
/// # Example
///
/// ```
/// use serde_json::{json, Value};
/// use stagegate::{HostFunction, Limits, Loader};
/// let loader = Loader::new()
///     .limits(Limits { operations: 10_000, ..Limits::default() })
///     .function(HostFunction::new("fiscal_quarter", 1, |args: &[Value]| {
///         let month = args[0].as_str().and_then(|d| d.get(5..7)).and_then(|m| m.parse::<i64>().ok());
///         month.map(|m| json!((m - 1) / 3 + 1)).ok_or_else(|| "not a date".to_owned())
///     }));
/// let playbook = loader.from_yaml(r#"
/// stagegate: 1
/// id: demo
/// version: 1
/// fields: { close_date: { type: date } }
/// stages:
///   - { id: open, exit: [ { id: this_half, when: "fiscal_quarter(close_date) <= 2" } ] }
///   - { id: won, outcome: won }
/// transitions: [ { from: open, to: won } ]
/// "#, "demo.yaml");
/// assert!(playbook.is_ok());
/// // A call with the wrong number of arguments is refused at load, at its line and column.
/// let broken = loader.from_yaml(r#"
/// stagegate: 1
/// id: demo
/// version: 1
/// fields: { close_date: { type: date } }
/// stages:
///   - { id: open, exit: [ { id: this_half, when: "fiscal_quarter() <= 2" } ] }
///   - { id: won, outcome: won }
/// transitions: [ { from: open, to: won } ]
/// "#, "demo.yaml").unwrap_err();
/// assert_eq!(broken.diagnostics[0].code, "rhai-call");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Loader {
    limits: Limits,
    functions: Vec<HostFunction>,
}

impl Loader {
    /// Default limits, no host functions.
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Rhai limits for every rule (a playbook's own `limits:` may only tighten them).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Loader {
        self.limits = limits;
        self
    }

    /// Adds a function rules may call. A name that is not an identifier or that the engine or
    /// Rhai already uses makes every load fail with a `host-function` error.
    #[must_use]
    pub fn function(mut self, function: HostFunction) -> Loader {
        self.functions.retain(|f| f.name != function.name);
        self.functions.push(function);
        self
    }

    /// The host functions, in the order they were added.
    pub fn functions(&self) -> &[HostFunction] {
        &self.functions
    }

    /// Loads a playbook from its YAML text; `file` names it in diagnostics.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with every diagnostic when the playbook has at least one error.
    pub fn from_yaml(&self, text: &str, file: &str) -> Result<Playbook, LoadError> {
        match super::build::build(text, file, self.limits, &self.functions) {
            (Some(playbook), _) => Ok(playbook),
            (None, diagnostics) => Err(LoadError::new(diagnostics)),
        }
    }

    /// Reads and loads a playbook file.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when the file cannot be read or the playbook has errors.
    pub fn load(&self, path: impl AsRef<Path>) -> Result<Playbook, LoadError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = super::read::read_text(path, &name)?;
        self.from_yaml(&text, &name)
    }

    /// Every diagnostic of a playbook text, errors and warnings, in file order.
    pub fn check(&self, text: &str, file: &str) -> Vec<Diagnostic> {
        super::build::build(text, file, self.limits, &self.functions).1
    }
}
