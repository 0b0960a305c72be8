//! What can be wrong with a deal: every problem found, named by deal, file and line.

use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

/// One thing wrong with a deal.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DealProblem {
    /// The document could not be read as a deal.
    #[error("{0}")]
    Unreadable(String),
    /// A field the playbook does not declare.
    #[error("field `{field}` is not declared in the playbook{}", hint(.help))]
    UndeclaredField {
        /// The field's name.
        field: String,
        /// A likely intended name.
        help: Option<String>,
    },
    /// A value of the wrong type, or outside its enum.
    #[error("field `{field}`: {problem}")]
    WrongValue {
        /// The field's name.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A stage id the playbook does not have.
    #[error("{place}: unknown stage `{stage}`{}", hint(.help))]
    UnknownStage {
        /// Where it was read (`stages`, `history[2].to`).
        place: String,
        /// The id.
        stage: String,
        /// A likely intended id.
        help: Option<String>,
    },
    /// A stage listed twice among the active stages.
    #[error("stages: `{0}` is listed twice")]
    DuplicateStage(String),
    /// An activity id the playbook does not have.
    #[error("activities: unknown activity `{activity}`{}", hint(.help))]
    UnknownActivity {
        /// The id.
        activity: String,
        /// A likely intended id.
        help: Option<String>,
    },
    /// A task for an activity the playbook does not have.
    #[error("tasks: unknown activity `{activity}`{}", hint(.help))]
    UnknownTask {
        /// The id.
        activity: String,
        /// A likely intended id.
        help: Option<String>,
    },
    /// An approval of a criterion that is no approval criterion of the playbook.
    #[error("approvals: `{criterion}` is not an approval criterion of this playbook{}", hint(.help))]
    UnknownApproval {
        /// The id.
        criterion: String,
        /// A likely intended id, or the approval criteria there are.
        help: Option<String>,
    },
    /// An approval held for a gate of a stage the deal is not in.
    #[error("approvals: `{criterion}` is asked for in {stages}, and the deal is not there: an approval counts only in the stage whose gate asks for it")]
    ApprovalElsewhere {
        /// The approval criterion.
        criterion: String,
        /// The stages whose gates ask for it, listed.
        stages: String,
    },
    /// An owner that is blank or has spaces around it.
    #[error("owner: `{0}` is blank or has spaces around it; write the owner's id")]
    BadOwner(String),
    /// A history entry that is both a move (`to`) and an approval (`approved`).
    #[error("history[{0}]: an entry is a move (`to`) or an approval (`approved`), not both")]
    MoveAndApproval(usize),
    /// A history entry that is neither a move (`to`) nor an approval (`approved`).
    #[error("history[{0}]: an entry needs `to` (the stage entered) or `approved` (the approval criterion)")]
    NoStage(usize),
    /// A history entry recording several changes at once (a move and an edit, an edit and
    /// archiving, ...).
    #[error("history[{index}]: an entry records one change, but this one holds {keys}; write one entry for each")]
    SeveralChanges {
        /// The entry's index.
        index: usize,
        /// The keys that each record a change, listed.
        keys: String,
    },
    /// An `edit:` naming no target, or several (field, activity, owner).
    #[error("history[{0}].edit: name exactly one of `field`, `activity` or `owner: true`")]
    EditTarget(usize),
    /// A pin to another playbook or version.
    #[error("pinned to `{pin}`, but the playbook is `{playbook}`")]
    WrongPlaybook {
        /// The deal's pin.
        pin: String,
        /// The playbook's `id@version`.
        playbook: String,
    },
    /// A date or time that cannot be read.
    #[error("{place}: {problem}")]
    BadTime {
        /// Where it was read (`activities.demo`, `history[0].at`).
        place: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The file holds no deal at all (it is empty, or only comments).
    #[error("no deals in `{0}`")]
    NoDeals(String),
    /// The file is a CSV export, not deals.
    #[error(
        "`{0}` looks like a CSV export; turn it into deals with `stagegate import <mapping> {0}`"
    )]
    CsvExport(String),
    /// The file is a playbook, given where deals were expected.
    #[error("`{0}` is a playbook, not deals: the playbook comes first, then the deals")]
    Playbook(String),
    /// One deal was wanted and the file holds several: how many, and the first few names.
    #[error("`{file}` holds {count} deals ({names}); name the one you mean")]
    SeveralDeals {
        /// The file.
        file: String,
        /// How many deals it holds.
        count: usize,
        /// The first few deals' names, listed.
        names: String,
    },
    /// No deal of the file has the id asked for.
    #[error("no deal has this id in the file; it holds {names}{}", hint(.help))]
    NotFound {
        /// The first few deals' names, listed.
        names: String,
        /// A likely intended id.
        help: Option<String>,
    },
    /// Two deals of the file have the id asked for.
    #[error("two deals have this id, at lines {first} and {second}; give each deal its own id")]
    DuplicateId {
        /// The line of the first.
        first: usize,
        /// The line of the second.
        second: usize,
    },
    /// The deal cannot be written back into its file where it was read.
    #[error("cannot be written back in place: {0}")]
    NotRewritable(String),
}

impl DealProblem {
    /// A stable code for the problem, for programs: `undeclared-field`, `unknown-stage`, ...
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::DealProblem;
    /// assert_eq!(DealProblem::DuplicateStage("closing".to_owned()).code(), "duplicate-stage");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            DealProblem::Unreadable(_) => "unreadable",
            DealProblem::UndeclaredField { .. } => "undeclared-field",
            DealProblem::WrongValue { .. } => "wrong-value",
            DealProblem::UnknownStage { .. } => "unknown-stage",
            DealProblem::DuplicateStage(_) => "duplicate-stage",
            DealProblem::UnknownActivity { .. } => "unknown-activity",
            DealProblem::UnknownTask { .. } => "unknown-task",
            DealProblem::UnknownApproval { .. } => "unknown-approval",
            DealProblem::ApprovalElsewhere { .. } => "approval-elsewhere",
            DealProblem::BadOwner(_) => "bad-owner",
            DealProblem::MoveAndApproval(_) => "move-and-approval",
            DealProblem::NoStage(_) => "history-without-stage",
            DealProblem::SeveralChanges { .. } => "several-changes",
            DealProblem::EditTarget(_) => "edit-target",
            DealProblem::WrongPlaybook { .. } => "wrong-playbook",
            DealProblem::BadTime { .. } => "bad-time",
            DealProblem::NoDeals(_) => "no-deals",
            DealProblem::CsvExport(_) => "csv-export",
            DealProblem::Playbook(_) => "playbook-given",
            DealProblem::SeveralDeals { .. } => "several-deals",
            DealProblem::NotFound { .. } => "deal-not-found",
            DealProblem::DuplicateId { .. } => "duplicate-id",
            DealProblem::NotRewritable(_) => "not-rewritable",
        }
    }

    /// The field the problem is about, when it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            DealProblem::UndeclaredField { field, .. } | DealProblem::WrongValue { field, .. } => {
                Some(field)
            }
            _ => None,
        }
    }

    /// A likely intended name, when there is one to suggest.
    pub fn help(&self) -> Option<&str> {
        match self {
            DealProblem::UndeclaredField { help, .. }
            | DealProblem::UnknownStage { help, .. }
            | DealProblem::UnknownActivity { help, .. }
            | DealProblem::UnknownTask { help, .. }
            | DealProblem::UnknownApproval { help, .. }
            | DealProblem::NotFound { help, .. } => help.as_deref(),
            _ => None,
        }
    }

    /// `true` for a problem of the whole file rather than of one deal in it (no deals, a CSV
    /// export, a playbook, several deals where one was wanted).
    pub fn is_about_the_file(&self) -> bool {
        matches!(
            self,
            DealProblem::NoDeals(_)
                | DealProblem::CsvExport(_)
                | DealProblem::Playbook(_)
                | DealProblem::SeveralDeals { .. }
        )
    }
}

fn hint(help: &Option<String>) -> String {
    help.as_ref()
        .map_or_else(String::new, |h| format!(" ({h})"))
}

/// A deal that cannot be used, with every problem found in it.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, DealProblem, Engine, Options, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-3", "stage": "qualificaton", "fields": {"budgt": 1}}"#).unwrap();
/// let error = Engine::new(playbook).evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap(), &Options::new()).unwrap_err();
/// assert_eq!(error.deal, "D-3");
/// assert_eq!(error.problems.len(), 2);
/// assert!(matches!(&error.problems[0], DealProblem::UnknownStage { stage, .. } if stage == "qualificaton"));
/// assert_eq!(error.to_string(), "deal `D-3`: stages: unknown stage `qualificaton` (did you mean `qualification`?); field `budgt` is not declared in the playbook (did you mean `budget`?)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub struct DealError {
    /// The file it came from, when read from one.
    pub file: Option<String>,
    /// The 1-based line where the problem is, or where the deal starts, when known.
    pub line: Option<usize>,
    /// The deal's id, or its position (`#3`); empty when the problem is the whole file's and
    /// no deal was read (see [`DealProblem::is_about_the_file`]).
    pub deal: String,
    /// Everything wrong with it.
    pub problems: Vec<DealProblem>,
}

impl DealError {
    /// The problems of the deal named `deal` (its id, or its position such as `#3`), in no file.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{DealError, DealProblem};
    /// let error = DealError::new("D-1".to_owned(), vec![DealProblem::DuplicateStage("closing".to_owned())]);
    /// assert_eq!(error.to_string(), "deal `D-1`: stages: `closing` is listed twice");
    /// ```
    pub fn new(deal: String, problems: Vec<DealProblem>) -> DealError {
        DealError {
            file: None,
            line: None,
            deal,
            problems,
        }
    }

    /// A problem of the whole file `file` (no deals in it, several where one was wanted): named
    /// by no deal. Problems of the whole file are written without the file's name and the deal in
    /// front, since the problem names the file.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{DealError, DealProblem};
    /// let error = DealError::of_file("book.jsonl", DealProblem::NoDeals("book.jsonl".to_owned()));
    /// assert_eq!(error.to_string(), "no deals in `book.jsonl`");
    /// ```
    pub fn of_file(file: &str, problem: DealProblem) -> DealError {
        DealError {
            file: Some(file.to_owned()),
            line: None,
            deal: String::new(),
            problems: vec![problem],
        }
    }
}

impl fmt::Display for DealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.problems.is_empty() && self.problems.iter().all(DealProblem::is_about_the_file) {
            // The problem names the file itself.
            return write!(
                f,
                "{}",
                self.problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "deal `{}`: ", self.deal)?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl Serialize for DealError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("deal", &self.deal)?;
        if let Some(file) = &self.file {
            map.serialize_entry("file", file)?;
        }
        if let Some(line) = self.line {
            map.serialize_entry("line", &line)?;
        }
        let problems: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        map.serialize_entry("problems", &problems)?;
        map.end()
    }
}

impl schemars::JsonSchema for DealError {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DealError".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A deal that does not fit the playbook: its name and every problem.",
            "type": "object",
            "properties": {
                "deal": { "type": "string", "description": "The deal's id, or its position (`#3`)." },
                "file": { "type": "string", "description": "The file it came from, when read from one." },
                "line": { "type": "integer", "minimum": 1, "description": "The 1-based line where the problem is, or where the deal starts." },
                "problems": { "type": "array", "items": { "type": "string" }, "description": "Everything wrong with it, one line each." }
            },
            "required": ["deal", "problems"],
            "additionalProperties": false
        })
    }
}
