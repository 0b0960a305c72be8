//! One JSON contract for every host language: a playbook loaded once, then calls that take JSON
//! text and give JSON text, exactly the JSON the command line prints (`check --format json`,
//! `eval --format json`, `score --format json`, a moved deal as `move --format json`). Bindings
//! (Python, JavaScript) are thin layers over this module, so they cannot drift apart.
//!
//! Every call answers `Ok(json)` or `Err(json)`, an error object
//! `{"error": <kind>, "message": <text>, ...data}` with the kinds `request` (the request is not
//! what the call takes), `load` (`diagnostics`), `deal` (`deal`, `problems`), `blocked` (`move`),
//! `forbidden` (`move` or `roles`), `refused` (any other refusal of a move or an approval).
//!
//! # Example
//!
//! ```
//! use stagegate::contract::Contract;
//! let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
//! let contract = Contract::load(&yaml, "b2b-sales.yaml", Some("en")).unwrap();
//! let deal = r#"{"id": "D-1", "stage": "qualification", "fields": {"budget": 80000}}"#;
//! let evaluation: serde_json::Value =
//!     serde_json::from_str(&contract.evaluate(deal, "2026-11-27", None).unwrap()).unwrap();
//! assert_eq!(evaluation["stages"][0], "qualification");
//! let refused: serde_json::Value =
//!     serde_json::from_str(&contract.evaluate(r#"{"fields": {"budjet": 1}}"#, "2026-11-27", None).unwrap_err()).unwrap();
//! assert_eq!(refused["error"], "deal");
//! ```

mod authoring;
mod batch;
mod changes;
mod errors;
mod json_line;
mod metrics;
mod outline;
mod problem;
mod schemas;

pub use batch::{join, Answers};
pub use json_line::score_json;

use serde::Deserialize;
use serde_json::Value;

use crate::deal::{Deal, DealOrigin, DealText};
use crate::engine::{Actor, Engine, Move, Options};
use crate::model::Playbook;
pub use errors::request_error;
use errors::{approve_error, deal_error, load_error, move_error, request_problem};
pub use outline::{
    Outline, OutlineActivity, OutlineApproval, OutlineChoice, OutlineField, OutlineRole,
    OutlineScorecard, OutlineStage,
};
pub use problem::{Detail, Place, Problem, ProblemKind};
pub use schemas::{response_schema, SCHEMA_NAMES};

/// The version of this contract; a change that is not an addition raises it.
pub const VERSION: u32 = 3;

/// A playbook loaded once, answering JSON calls in one language. Cheap to clone, shareable across
/// threads.
#[derive(Clone, Debug)]
pub struct Contract {
    engine: Engine,
    /// The playbook's name in diagnostics and test reports.
    file: String,
}

/// Someone acting, as a request gives them: `{"id": "kim", "roles": ["manager"]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorRequest {
    id: String,
    #[serde(default)]
    roles: Vec<String>,
}

/// A move, as a request gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveRequest {
    deal: Value,
    to: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    force: Option<String>,
    #[serde(default)]
    actor: Option<ActorRequest>,
    at: String,
}

/// An approval, as a request gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveRequest {
    deal: Value,
    criterion: String,
    actor: ActorRequest,
    at: String,
}

impl Contract {
    /// Loads a playbook from its YAML `text` (named `file` in diagnostics), answering in `lang`
    /// (the playbook's default language without one).
    ///
    /// # Errors
    ///
    /// A `load` error with every diagnostic, or a `request` error for a language the playbook
    /// does not have.
    pub fn load(text: &str, file: &str, lang: Option<&str>) -> Result<Contract, String> {
        let playbook = Playbook::from_yaml(text, file).map_err(|e| load_error(&e))?;
        let contract = Contract {
            engine: Engine::new(playbook),
            file: file.to_owned(),
        };
        match lang {
            Some(lang) => contract.with_language(lang),
            None => Ok(contract),
        }
    }

    /// The same playbook answering in `lang`.
    ///
    /// # Errors
    ///
    /// A `request` error for a language the playbook does not have.
    pub fn with_language(&self, lang: &str) -> Result<Contract, String> {
        self.engine
            .playbook()
            .check_language(lang)
            .map_err(|message| request_problem("language", message))?;
        Ok(Contract {
            engine: self.engine.clone().with_language(lang),
            file: self.file.clone(),
        })
    }

    /// The playbook's `id@version`.
    pub fn pin(&self) -> String {
        self.engine.playbook().pin()
    }

    /// Every diagnostic of a playbook's YAML `text`, as `check --format json` prints them (an
    /// empty array for a playbook without problems).
    pub fn check(text: &str, file: &str) -> String {
        serde_json::to_string(&Playbook::check(text, file)).unwrap_or_else(|_| "[]".to_owned())
    }

    /// The engine answering the calls.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A deal's evaluation at `at` (a date or date-time, read in the playbook's time zone), as
    /// `eval --format json` prints it, as `actor` (`{"id", "roles"}`) sees the moves when given.
    ///
    /// # Errors
    ///
    /// `request` for an unreadable deal, time or actor; `deal` for a deal that does not fit.
    pub fn evaluate(&self, deal: &str, at: &str, actor: Option<&str>) -> Result<String, String> {
        let deal = self.deal(deal)?;
        let at = self.time(at)?;
        let actor = actor.map(|a| self.actor(a)).transpose()?;
        let options = Options::new().as_actor(actor.as_ref());
        let evaluation = self
            .engine
            .evaluate(&deal, at, &options)
            .map_err(|e| deal_error(&e))?;
        Ok(json(&evaluation))
    }

    /// A deal's scorecards at `at`, as `score --format json` prints one deal.
    ///
    /// # Errors
    ///
    /// As [`Contract::evaluate`].
    pub fn score(&self, deal: &str, at: &str) -> Result<String, String> {
        let at = self.time(at)?;
        score_json(&self.engine, deal, at)
            .map(|scores| scores.to_json())
            .map_err(|e| deal_error(&e))
    }

    /// A move: `{"deal", "to", "from"?, "force"?: <reason>, "actor"?: {"id", "roles"}, "at"}`;
    /// answers `{"deal": <the moved deal>, "effects": [...]}`.
    ///
    /// # Errors
    ///
    /// `request`, `deal`, `blocked` (with the `move` and its blockers), `forbidden`, `refused`.
    pub fn apply(&self, request: &str) -> Result<String, String> {
        let request: MoveRequest =
            serde_json::from_str(request).map_err(|e| request_error(&format!("a move: {e}")))?;
        let deal = self.deal_value(request.deal)?;
        let at = self.time(&request.at)?;
        let mut wanted = Move::to(request.to);
        if let Some(from) = request.from {
            wanted = wanted.from(from);
        }
        if let Some(reason) = request.force {
            wanted = wanted.forced(reason);
        }
        if let Some(actor) = request.actor {
            wanted = wanted.by(self.checked_actor(actor)?);
        }
        let applied = self
            .engine
            .apply(&deal, &wanted, at)
            .map_err(|e| move_error(&e, &deal))?;
        Ok(json(&applied))
    }

    /// An approval: `{"deal", "criterion", "actor": {"id", "roles"}, "at"}`; answers the deal
    /// holding it.
    ///
    /// # Errors
    ///
    /// `request`, `deal`, `forbidden` (no role, or the owner), `refused`.
    pub fn approve(&self, request: &str) -> Result<String, String> {
        let request: ApproveRequest = serde_json::from_str(request)
            .map_err(|e| request_error(&format!("an approval: {e}")))?;
        let deal = self.deal_value(request.deal)?;
        let at = self.time(&request.at)?;
        let actor = self.checked_actor(request.actor)?;
        let approved = self
            .engine
            .approve(&deal, &request.criterion, &actor, at)
            .map_err(|e| approve_error(&e, &deal))?;
        Ok(json(&approved))
    }

    pub(crate) fn deal_of(&self, value: Value) -> Result<Deal, String> {
        self.deal_value(value)
    }

    pub(crate) fn time_of(&self, at: &str) -> Result<jiff::Timestamp, String> {
        self.time(at)
    }

    fn deal(&self, text: &str) -> Result<Deal, String> {
        read_deal(text, 1, false)
    }

    fn deal_value(&self, value: Value) -> Result<Deal, String> {
        read_deal(&json(&value), 1, false)
    }

    fn time(&self, at: &str) -> Result<jiff::Timestamp, String> {
        self.engine
            .playbook()
            .read_time(at)
            .map_err(|e| request_problem("bad-time", format!("at: {e}")))
    }

    fn actor(&self, text: &str) -> Result<Actor, String> {
        let request: ActorRequest = serde_json::from_str(text)
            .map_err(|e| request_problem("actor", format!("an actor: {e}")))?;
        self.checked_actor(request)
    }

    pub(crate) fn checked_actor(&self, actor: ActorRequest) -> Result<Actor, String> {
        self.engine
            .playbook()
            .check_actor(&actor.id, &actor.roles)
            .map_err(|message| request_problem("actor", format!("actor: {message}")))?;
        Ok(Actor::new(actor.id, actor.roles))
    }
}

/// A deal's JSON text, the `position`th of a `batch` (or a single deal), read as a line of a
/// `.jsonl` book is: unreadable text, unknown keys and numbers beyond 64 bits are `deal` errors
/// naming the field.
fn read_deal(text: &str, position: usize, batch: bool) -> Result<Deal, String> {
    let origin = DealOrigin {
        file: "deal".to_owned(),
        index: position,
        line: 1,
    };
    DealText::from_json(text.to_owned(), origin)
        .parse()
        .map(|(deal, _)| deal)
        .map_err(|mut error| {
            // The host handed the text over: no file or line of ours to point at, and a single
            // deal without an id is named as the engine names one.
            error.file = None;
            error.line = None;
            if position == 1 && error.deal == "#1" && !batch {
                error.deal = "(no id)".to_owned();
            }
            deal_error(&error)
        })
}

/// A value as compact JSON.
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
