//! `Problem`: every error of the library in one shape, with one vocabulary of kinds, each with
//! its HTTP status. The contract's JSON errors, the command line's JSON errors and the bindings'
//! exception data are all written from it, here and nowhere else.

mod from;
mod json;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::MoveCheck;
use crate::support::diagnostic::Diagnostic;

/// What went wrong, from one vocabulary shared by the library, the command line, the bindings
/// and servers; each kind has one HTTP status ([`ProblemKind::status`]).
///
/// # Example
///
/// ```
/// use stagegate::ProblemKind;
/// assert_eq!(ProblemKind::Deal.as_str(), "deal");
/// assert_eq!(ProblemKind::Deal.status(), 422);
/// assert_eq!(ProblemKind::from_name("not-found"), Some(ProblemKind::NotFound));
/// assert!(ProblemKind::ALL.iter().all(|kind| ProblemKind::from_name(kind.as_str()) == Some(*kind)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The request is not what the call takes: unreadable JSON, a body of the wrong shape, an
    /// unknown key, a bad time, an unknown role, a language the playbook lacks. HTTP 400.
    Request,
    /// The caller is not known: no token, or one that is not valid. HTTP 401.
    Unauthorized,
    /// The caller may not do this: make or force the move, give the approval, use the route.
    /// HTTP 403.
    Forbidden,
    /// What the request names does not exist: a deal, a playbook version, a route. HTTP 404.
    NotFound,
    /// The request conflicts with what is stored: a deal changed since the revision read, an id
    /// taken. HTTP 409.
    Conflict,
    /// A move blocked by its gates; the move lists every blocker. HTTP 409.
    Blocked,
    /// Any other refusal of a move, an approval or a migration: an unknown or undeclared target,
    /// no actor where the playbook needs one, a time before the history, an approval not in its
    /// stage or already given. HTTP 409.
    Refused,
    /// The request is larger than the limit. HTTP 413.
    TooLarge,
    /// The playbook does not load; every diagnostic. HTTP 422.
    Load,
    /// A deal does not fit the playbook (or cannot be read, imported or migrated); every
    /// problem. HTTP 422 (`invalid-deal` in the reference service before).
    Deal,
    /// The engine failed: a defect of stagegate, not of the request. HTTP 500.
    Internal,
    /// A store or another service the answer needs does not answer now; try again. HTTP 503.
    Unavailable,
}

impl ProblemKind {
    /// Every kind, in the order of `docs/json.md`.
    pub const ALL: [ProblemKind; 12] = [
        ProblemKind::Request,
        ProblemKind::Unauthorized,
        ProblemKind::Forbidden,
        ProblemKind::NotFound,
        ProblemKind::Conflict,
        ProblemKind::Blocked,
        ProblemKind::Refused,
        ProblemKind::TooLarge,
        ProblemKind::Load,
        ProblemKind::Deal,
        ProblemKind::Internal,
        ProblemKind::Unavailable,
    ];

    /// The kind's name, as JSON writes it (`not-found`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Request => "request",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::NotFound => "not-found",
            ProblemKind::Conflict => "conflict",
            ProblemKind::Blocked => "blocked",
            ProblemKind::Refused => "refused",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::Load => "load",
            ProblemKind::Deal => "deal",
            ProblemKind::Internal => "internal",
            ProblemKind::Unavailable => "unavailable",
        }
    }

    /// The kind named `name` (`not-found`), if there is one.
    pub fn from_name(name: &str) -> Option<ProblemKind> {
        ProblemKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The HTTP status a server answers with for this kind.
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::Request => 400,
            ProblemKind::Unauthorized => 401,
            ProblemKind::Forbidden => 403,
            ProblemKind::NotFound => 404,
            ProblemKind::Conflict | ProblemKind::Blocked | ProblemKind::Refused => 409,
            ProblemKind::TooLarge => 413,
            ProblemKind::Load | ProblemKind::Deal => 422,
            ProblemKind::Internal => 500,
            ProblemKind::Unavailable => 503,
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a problem is: a file, and the 1-based line and column in it when known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Place {
    /// The file, as the caller named it.
    pub file: Option<String>,
    /// The 1-based line.
    pub line: Option<usize>,
    /// The 1-based column.
    pub column: Option<usize>,
}

/// One problem of a deal, for programs: a stable code, the message, and the field or stage it
/// is about when it is about one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Detail {
    /// A stable code such as `undeclared-field` or `unknown-stage`.
    pub code: String,
    /// The problem in one line, as `problems` words it.
    pub message: String,
    /// The field (or CSV column's field, or activity) it is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The CSV column it was read from, for an import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// Every error of the library in one shape: a [`ProblemKind`], a stable `code`, a `message` in
/// the reader's language, an optional `help` line and place, the deal it is about, and the data a
/// program needs (`diagnostics`, `problems` with their `details`, the `move` with its blockers,
/// the `roles` who may).
///
/// Every public error converts into one (`Problem::from(&error)`); [`Problem::to_json`] writes
/// the error object the JSON contract, the command line and the bindings give:
/// `{"error": <kind>, "code", "message", "help"?, "file"?, "line"?, "column"?, "deal"?, ...data}`.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Move, Options, Playbook, Problem, ProblemKind};
/// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nfields: {budget: {type: number}}\nstages: [{id: open, exit: [{id: funded, when: \"budget > 0\"}]}, {id: won, outcome: won}]\ntransitions: [{from: open, to: won}]\n", "p.yaml").unwrap();
/// let engine = Engine::new(playbook);
/// let at = stagegate::parse_time("2026-11-27").unwrap();
///
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-1", "fields": {"budjet": 1}}"#).unwrap();
/// let problem = Problem::from(&engine.evaluate(&deal, at, &Options::new()).unwrap_err());
/// assert_eq!((problem.kind, problem.code.as_str()), (ProblemKind::Deal, "undeclared-field"));
/// assert_eq!(problem.deal.as_deref(), Some("D-1"));
/// assert_eq!(problem.details[0].field.as_deref(), Some("budjet"));
///
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-2"}"#).unwrap();
/// let problem = Problem::from(&engine.apply(&deal, &Move::to("won"), at).unwrap_err());
/// assert_eq!(problem.kind, ProblemKind::Blocked);
/// assert_eq!(problem.kind.status(), 409);
/// let json: serde_json::Value = serde_json::from_str(&problem.to_json()).unwrap();
/// assert_eq!(json["error"], "blocked");
/// assert_eq!(json["move"]["blockers"][0]["fields"][0], "budget");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Problem {
    /// What went wrong, from the one vocabulary.
    pub kind: ProblemKind,
    /// A stable code, finer than the kind: `undeclared-field`, `not-declared`, `own-deal`, the
    /// first error diagnostic's code for a playbook that does not load.
    pub code: String,
    /// What is wrong, in one line, in the reader's language where the engine words it.
    pub message: String,
    /// How to fix it, when there is something to suggest.
    pub help: Option<String>,
    /// Where it is, when it is in a file.
    pub place: Option<Place>,
    /// The deal it is about: its id, or its position (`#3`) when it has none.
    pub deal: Option<String>,
    /// A playbook's every diagnostic (`load`).
    pub diagnostics: Vec<Diagnostic>,
    /// A deal's every problem, one line each (`deal`).
    pub problems: Vec<String>,
    /// Each of `problems`, for programs: its code and the field it is about.
    pub details: Vec<Detail>,
    /// The move with every blocker (`blocked`, and `forbidden` for a move).
    pub check: Option<Box<MoveCheck>>,
    /// Who may do what was refused (`forbidden`): the roles, as the playbook names them.
    pub roles: Vec<String>,
}

impl Problem {
    /// A problem of `kind` with a stable `code` and a one-line `message`, and nothing else.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Problem, ProblemKind};
    /// let problem = Problem::new(ProblemKind::NotFound, "deal", "no deal `D-9`")
    ///     .with_help("list the deals with GET /deals");
    /// assert_eq!(problem.to_string(), "no deal `D-9`");
    /// assert_eq!(
    ///     problem.to_json(),
    ///     r#"{"error":"not-found","code":"deal","message":"no deal `D-9`","help":"list the deals with GET /deals"}"#
    /// );
    /// ```
    pub fn new(kind: ProblemKind, code: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            code: code.into(),
            message: message.into(),
            help: None,
            place: None,
            deal: None,
            diagnostics: Vec::new(),
            problems: Vec::new(),
            details: Vec::new(),
            check: None,
            roles: Vec::new(),
        }
    }

    /// A `request` problem: the request is not what the call takes.
    pub fn request(message: impl Into<String>) -> Problem {
        Problem::new(ProblemKind::Request, "request", message)
    }

    /// An `internal` problem: a defect of stagegate.
    pub fn internal(message: impl Into<String>) -> Problem {
        Problem::new(ProblemKind::Internal, "internal", message)
    }

    /// The same problem with a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// The same problem about the deal named `deal`.
    #[must_use]
    pub fn for_deal(mut self, deal: impl Into<String>) -> Problem {
        self.deal = Some(deal.into());
        self
    }

    /// The same problem in `file`, at `line` and `column` when known.
    #[must_use]
    pub fn in_file(
        mut self,
        file: impl Into<String>,
        line: Option<usize>,
        column: Option<usize>,
    ) -> Problem {
        self.place = Some(Place {
            file: Some(file.into()),
            line,
            column,
        });
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}
