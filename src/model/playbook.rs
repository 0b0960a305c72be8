//! A playbook, loaded, checked and compiled: plain data the engine interprets.

use super::{Activity, Field, Migration, Scorecard, Stage, TestCase, Transition};
use crate::script::Sandbox;
use crate::support::diagnostic::Diagnostic;
use crate::support::ids::IdIndex;
use crate::support::text::Text;

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
    pub(crate) id: String,
    pub(crate) version: u64,
    pub(crate) title: Option<Text>,
    pub(crate) description: Option<Text>,
    pub(crate) languages: Vec<String>,
    /// Where dates and zone-less date-times are read (`timezone:`, default UTC).
    pub(crate) time_zone: jiff::tz::TimeZone,
    pub(crate) roles: Vec<super::Role>,
    pub(crate) permissions: super::Permissions,
    pub(crate) value: Option<String>,
    /// `currency:`: an ISO 4217 code, checked at load.
    pub(crate) currency: Option<String>,
    /// `deal_name:`: a text field, checked at load.
    pub(crate) deal_name: Option<String>,
    /// `expected_close:`: a date field, checked at load.
    pub(crate) expected_close: Option<String>,
    pub(crate) fields: Vec<Field>,
    pub(crate) field_index: IdIndex,
    /// Field ids in name order, with their index: deals keep their fields in name order, so
    /// checking one walks both lists together instead of looking each name up.
    pub(crate) fields_by_name: Vec<(String, usize)>,
    pub(crate) cards: Vec<Scorecard>,
    pub(crate) card_index: IdIndex,
    /// Scorecards in an order where each comes after those it reads.
    pub(crate) card_order: Vec<usize>,
    pub(crate) stages: Vec<Stage>,
    pub(crate) stage_index: IdIndex,
    /// Every activity as (stage, position in the stage), in playbook order.
    pub(crate) activities: Vec<(usize, usize)>,
    pub(crate) activity_index: IdIndex,
    pub(crate) transitions: Vec<Transition>,
    /// The stages a new deal may start in, by index (`start:`, else the first stage).
    pub(crate) start: Vec<usize>,
    pub(crate) sandbox: Sandbox,
    pub(crate) tests: Vec<TestCase>,
    pub(crate) migrations: Vec<Migration>,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Playbook {
    /// The playbook's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its version.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How deals of older versions are carried to this one (`migrations:`), in file order.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// The migration from `version`, when this playbook declares one.
    pub fn migration_from(&self, version: u64) -> Option<&Migration> {
        self.migrations.iter().find(|m| m.from == version)
    }

    /// The time zone in which it reads dates and zone-less date-times (`timezone:`): an IANA
    /// name, `UTC` unless the playbook names one.
    pub fn time_zone(&self) -> &str {
        crate::support::time::zone_name(&self.time_zone)
    }

    /// Reads a time as this playbook does: a date is the start of that day in its time zone; a
    /// date-time with `Z` or an offset is taken as written; one without a zone is read in its
    /// time zone, to the second.
    ///
    /// # Errors
    ///
    /// A message naming the forms accepted, or the clock change that makes a zone-less
    /// date-time ambiguous.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Playbook;
    /// let playbook = Playbook::from_yaml(
    ///     "stagegate: 1\nid: t\nversion: 1\ntimezone: Asia/Seoul\nstages: [{id: open}]\n", "t.yaml").unwrap();
    /// assert_eq!(playbook.time_zone(), "Asia/Seoul");
    /// assert_eq!(playbook.read_time("2026-11-27 15:30").unwrap().to_string(), "2026-11-27T06:30:00Z");
    /// assert_eq!(playbook.read_time("2026-11-27").unwrap().to_string(), "2026-11-26T15:00:00Z");
    /// assert_eq!(playbook.read_time("2026-11-27T15:30:00Z").unwrap().to_string(), "2026-11-27T15:30:00Z");
    /// ```
    pub fn read_time(&self, text: &str) -> Result<jiff::Timestamp, String> {
        crate::support::time::read_time(text, &self.time_zone)
    }

    /// A time as people read it in this playbook's time zone, with the offset:
    /// `2026-11-27 09:00 +09:00` (seconds only when it has some). In UTC (a playbook without
    /// `timezone:`), as the engine writes times: `2026-11-27T00:00:00Z`. For text for people;
    /// JSON keeps RFC 3339 in UTC.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Playbook;
    /// let text = "stagegate: 1\nid: t\nversion: 1\ntimezone: Asia/Seoul\nstages: [{id: open}]\n";
    /// let seoul = Playbook::from_yaml(text, "t.yaml").unwrap();
    /// let at = stagegate::parse_time("2026-11-27T00:00:00Z").unwrap();
    /// assert_eq!(seoul.local_time(at), "2026-11-27 09:00 +09:00");
    /// let utc = Playbook::from_yaml(&text.replace("timezone: Asia/Seoul\n", ""), "t.yaml").unwrap();
    /// assert_eq!(utc.local_time(at), "2026-11-27T00:00:00Z");
    /// ```
    pub fn local_time(&self, at: jiff::Timestamp) -> String {
        crate::support::time::show_time(at, &self.time_zone)
    }

    /// The day a time falls on in this playbook's time zone, `YYYY-MM-DD`: the date a person
    /// there reads on a calendar (a date field's `2026-11-27` gives `2026-11-27` back).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Playbook;
    /// let text = "stagegate: 1\nid: t\nversion: 1\ntimezone: America/New_York\nstages: [{id: open}]\n";
    /// let new_york = Playbook::from_yaml(text, "t.yaml").unwrap();
    /// let due = new_york.read_time("2026-09-20").unwrap();
    /// assert_eq!(new_york.local_date(due), "2026-09-20");
    /// let late = stagegate::parse_time("2026-09-21T02:00:00Z").unwrap();
    /// assert_eq!(new_york.local_date(late), "2026-09-20");
    /// ```
    pub fn local_date(&self, at: jiff::Timestamp) -> String {
        self.time_zone.to_datetime(at).date().to_string()
    }

    /// The roles it declares (`roles:`), in file order; `owner` is built in and not listed.
    pub fn roles(&self) -> &[super::Role] {
        &self.roles
    }

    /// Who may make and force moves (`permissions:`).
    pub fn permissions(&self) -> &super::Permissions {
        &self.permissions
    }

    /// Whether every move needs a known actor: the playbook declares `permissions`, a
    /// transition's `by:`, or an approval (whose giver may not make the move: four eyes).
    pub fn requires_actor(&self) -> bool {
        self.permissions.moves.is_some()
            || self.permissions.force.is_some()
            || self.transitions.iter().any(|t| !t.by.is_empty())
            || self.approval_gates().next().is_some()
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

    /// Checks that the playbook is written in `lang`, for a host that lets its users choose.
    ///
    /// # Errors
    ///
    /// A message naming the languages it has (and the likely one for `kr`, `EN`, ...) when `lang`
    /// is not among them. An engine asked for such a language answers in the default one.
    ///
    /// # Example
    ///
    /// ```
    /// let playbook = stagegate::Playbook::load("playbooks/b2b-sales.yaml").unwrap();
    /// assert!(playbook.check_language("en").is_ok());
    /// assert_eq!(
    ///     playbook.check_language("kr").unwrap_err(),
    ///     "the playbook is not written in `kr`; its languages are `ko` and `en` (did you mean `ko`?)"
    /// );
    /// ```
    pub fn check_language(&self, lang: &str) -> Result<(), String> {
        match crate::support::lang::unknown_language(lang, &self.languages) {
            Some(message) => Err(message),
            None => Ok(()),
        }
    }

    /// The default language.
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// The field holding a deal's money value, if declared.
    pub fn value_field(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// The currency of the money value (`currency:`), an ISO 4217 code such as `USD`, if
    /// declared.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Playbook;
    /// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
    /// assert_eq!(playbook.currency(), Some("USD"));
    /// assert_eq!(playbook.deal_name_field(), Some("company"));
    /// assert_eq!(playbook.expected_close_field(), Some("close_date"));
    /// ```
    pub fn currency(&self) -> Option<&str> {
        self.currency.as_deref()
    }

    /// The text field holding a deal's name (`deal_name:`), if declared.
    pub fn deal_name_field(&self) -> Option<&str> {
        self.deal_name.as_deref()
    }

    /// The date field holding a deal's expected close date (`expected_close:`), if declared.
    pub fn expected_close_field(&self) -> Option<&str> {
        self.expected_close.as_deref()
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

    /// The ids of `stages`, given by index.
    pub(crate) fn stage_ids<'a>(&'a self, stages: &'a [usize]) -> impl Iterator<Item = &'a str> {
        stages.iter().map(|&s| self.stages[s].id.as_str())
    }

    pub(crate) fn field_index(&self, id: &str) -> Option<usize> {
        self.field_index.get(id).copied()
    }

    /// Field ids in name order, with their index.
    pub(crate) fn fields_by_name(&self) -> &[(String, usize)] {
        &self.fields_by_name
    }

    /// The stage a new deal starts in when it names none: the first of `start:`, else the first
    /// stage.
    pub(crate) fn first_start(&self) -> &Stage {
        &self.stages[self.start.first().copied().unwrap_or(0)]
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
