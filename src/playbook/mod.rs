//! A loaded playbook: stages, transitions, fields, scorecards and compiled rules.

mod build;
pub(crate) use build::build;
mod builder;
mod cases;
mod criteria;
mod declarations;
mod graph;
mod migrations;
pub(crate) mod raw;
mod schema;
mod transitions;
mod usage;

pub use schema::playbook_schema;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::LoadError;
use crate::field::Field;
use crate::scorecard::Scorecard;
use crate::script::{Limits, Sandbox};
use crate::stage::{Activity, Stage};
use crate::test_case::TestCase;
use crate::text::Text;
use crate::transition::Transition;

/// Playbook files larger than this are refused before parsing.
pub const MAX_PLAYBOOK_BYTES: usize = 8 * 1024 * 1024;

/// A playbook, loaded, checked and compiled. Immutable, `Send + Sync`; share it in an `Arc`.
///
/// # Example
///
/// ```
/// use stagegate::Playbook;
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// assert_eq!(playbook.pin(), "b2b-sales@1");
/// assert_eq!(playbook.languages(), ["ko", "en"]);
/// assert_eq!(playbook.stages()[1].id, "qualification");
/// assert_eq!(playbook.title("en"), Some("B2B sales process"));
/// assert!(playbook.scorecards().any(|card| card == "meddic"));
/// assert!(playbook.warnings().is_empty());
/// ```
#[derive(Debug)]
pub struct Playbook {
    id: String,
    version: u64,
    title: Option<Text>,
    description: Option<Text>,
    languages: Vec<String>,
    value: Option<String>,
    pub(crate) fields: Vec<Field>,
    field_index: crate::ids::IdIndex,
    /// Field ids in name order, with their index: deals keep their fields in name order, so
    /// checking one walks both lists together instead of looking each name up.
    fields_by_name: Vec<(String, usize)>,
    pub(crate) cards: Vec<Scorecard>,
    card_index: crate::ids::IdIndex,
    /// Scorecards in an order where each comes after those it reads.
    pub(crate) card_order: Vec<usize>,
    pub(crate) stages: Vec<Stage>,
    stage_index: crate::ids::IdIndex,
    /// Every activity as (stage, position in the stage), in playbook order.
    activities: Vec<(usize, usize)>,
    activity_index: crate::ids::IdIndex,
    pub(crate) transitions: Vec<Transition>,
    pub(crate) sandbox: Sandbox,
    tests: Vec<TestCase>,
    migrations: Vec<crate::migration::Migration>,
    warnings: Vec<Diagnostic>,
}

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
        crate::Loader::new().limits(limits).from_yaml(text, file)
    }

    /// Reads and loads a playbook file.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when the file cannot be read or the playbook has errors.
    pub fn load(path: impl AsRef<Path>) -> Result<Playbook, LoadError> {
        crate::Loader::new().load(path)
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
        crate::Loader::new().check(text, file)
    }

    /// The playbook's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its version.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How deals of older versions are carried to this one (`migrations:`), in file order.
    pub fn migrations(&self) -> &[crate::migration::Migration] {
        &self.migrations
    }

    /// The migration from `version`, when this playbook declares one.
    pub fn migration_from(&self, version: u64) -> Option<&crate::migration::Migration> {
        self.migrations.iter().find(|m| m.from == version)
    }

    /// `id@version`, as deals pin it.
    pub fn pin(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// Its title in `lang`, if it has one.
    pub fn title(&self, lang: &str) -> Option<&str> {
        self.title
            .as_ref()
            .map(|t| t.get(lang, self.default_language()))
    }

    /// Its description in `lang`, if it has one.
    pub fn description(&self, lang: &str) -> Option<&str> {
        self.description
            .as_ref()
            .map(|t| t.get(lang, self.default_language()))
    }

    /// The languages it carries; the first is the default.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The default language.
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// The field holding a deal's money value, if declared.
    pub fn value_field(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// Declared fields, in playbook order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Stages, in playbook order (the main path, with terminal stages standing off it).
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// A stage by id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stage_index(id).map(|i| &self.stages[i])
    }

    /// Declared transitions, one per source stage, in playbook order.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// Scorecard ids, in playbook order.
    pub fn scorecards(&self) -> impl Iterator<Item = &str> {
        self.cards.iter().map(|c| c.id.as_str())
    }

    /// A scorecard's title in `lang`, or its id.
    pub fn scorecard_title(&self, id: &str, lang: &str) -> Option<&str> {
        let card = &self.cards[*self.card_index.get(id)?];
        Some(
            card.title
                .as_ref()
                .map_or(card.id.as_str(), |t| t.get(lang, self.default_language())),
        )
    }

    /// The embedded test cases.
    pub fn tests(&self) -> &[TestCase] {
        &self.tests
    }

    /// Warnings found while loading (the playbook works, but something looks wrong).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub(crate) fn stage_index(&self, id: &str) -> Option<usize> {
        self.stage_index.get(id).copied()
    }

    pub(crate) fn field_index(&self, id: &str) -> Option<usize> {
        self.field_index.get(id).copied()
    }

    /// Field ids in name order, with their index.
    pub(crate) fn fields_by_name(&self) -> &[(String, usize)] {
        &self.fields_by_name
    }

    pub(crate) fn activity_index(&self, id: &str) -> Option<usize> {
        self.activity_index.get(id).copied()
    }

    pub(crate) fn activity(&self, index: usize) -> &Activity {
        let (stage, position) = self.activities[index];
        &self.stages[stage].activities[position]
    }

    pub(crate) fn activity_count(&self) -> usize {
        self.activities.len()
    }

    pub(crate) fn activity_ids(&self) -> impl Iterator<Item = &str> {
        (0..self.activities.len()).map(|i| self.activity(i).id.as_str())
    }
}

/// Reads a playbook file, turning a failure into a diagnostic.
pub(crate) fn read_text(path: &Path, name: &str) -> Result<String, LoadError> {
    let refuse_as = |code: &'static str, message: String| LoadError {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            code,
            message,
            file: name.to_owned(),
            line: 0,
            column: 0,
            help: None,
        }],
    };
    let refuse = |message: String| refuse_as("unreadable", message);
    let size = std::fs::metadata(path)
        .map_err(|e| refuse(format!("cannot read `{name}`: {}", crate::io_message(&e))))?
        .len();
    if size > MAX_PLAYBOOK_BYTES as u64 {
        return Err(refuse_as(
            "too-large",
            format!("`{name}` is {size} bytes; playbooks are limited to {MAX_PLAYBOOK_BYTES}"),
        ));
    }
    std::fs::read_to_string(path)
        .map_err(|e| refuse(format!("cannot read `{name}`: {}", crate::io_message(&e))))
}
