//! Loading a playbook: the [`Playbook`] constructors, each a [`Loader`] with default settings.

use std::path::Path;

use super::{LoadError, Loader};
use crate::model::Playbook;
use crate::script::Limits;
use crate::support::diagnostic::Diagnostic;

impl Playbook {
    /// Loads a playbook from YAML text; `file` names it in diagnostics.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with every diagnostic (errors and warnings, each with its line and
    /// column) when the playbook has at least one error.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Playbook;
    /// let playbook = Playbook::from_yaml("stagegate: 1\nid: tiny\nversion: 2\nstages: [{id: open}]\n", "tiny.yaml").unwrap();
    /// assert_eq!(playbook.pin(), "tiny@2");
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Playbook, LoadError> {
        Playbook::from_yaml_with_limits(text, file, Limits::default())
    }

    /// Like [`Playbook::from_yaml`], with other limits for Rhai expressions.
    ///
    /// # Errors
    ///
    /// As [`Playbook::from_yaml`].
    pub fn from_yaml_with_limits(
        text: &str,
        file: &str,
        limits: Limits,
    ) -> Result<Playbook, LoadError> {
        Loader::new().limits(limits).from_yaml(text, file)
    }

    /// Reads and loads a playbook file.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when the file cannot be read or the playbook has errors.
    pub fn load(path: impl AsRef<Path>) -> Result<Playbook, LoadError> {
        Loader::new().load(path)
    }

    /// Every diagnostic of a playbook text, errors and warnings, in file order.
    ///
    /// # Example
    ///
    /// ```
    /// let found = stagegate::Playbook::check("stagegate: 1\nid: x\nversion: 1\nstages: [{id: a, titel: A}]\n", "x.yaml");
    /// assert_eq!(found[0].code, "unknown-key");
    /// assert_eq!((found[0].line, found[0].column), (4, 18));
    /// ```
    pub fn check(text: &str, file: &str) -> Vec<Diagnostic> {
        Loader::new().check(text, file)
    }

    /// The JSON Schema of the playbook format, for editors (what `stagegate schema` prints).
    ///
    /// # Example
    ///
    /// ```
    /// let schema = stagegate::Playbook::json_schema();
    /// assert!(schema["properties"]["stages"].is_object());
    /// ```
    pub fn json_schema() -> serde_json::Value {
        super::schema::playbook_schema()
    }
}
