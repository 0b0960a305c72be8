//! Checking a deal against a playbook before rules read it.

use std::fmt;

use jiff::Timestamp;
use serde::{Serialize, Serializer};
use thiserror::Error;

use super::{Completion, Deal, HistoryEntry};
use crate::playbook::Playbook;
use crate::suggest;

/// One thing wrong with a deal.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
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
/// use stagegate::{Deal, DealProblem, Engine, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"id": "D-3", "stage": "qualificaton", "fields": {"budgt": 1}}"#).unwrap();
/// let error = Engine::new(playbook).evaluate(&deal, stagegate::parse_time("2026-11-27").unwrap()).unwrap_err();
/// assert_eq!(error.deal, "D-3");
/// assert_eq!(error.problems.len(), 2);
/// assert!(matches!(&error.problems[0], DealProblem::UnknownStage { stage, .. } if stage == "qualificaton"));
/// assert_eq!(error.to_string(), "deal `D-3`: stages: unknown stage `qualificaton` (did you mean `qualification`?); field `budgt` is not declared in the playbook (did you mean `budget`?)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub struct DealError {
    /// The file it came from, when read from one.
    pub file: Option<String>,
    /// The 1-based line where the problem is, or where the deal starts, when known.
    pub line: Option<usize>,
    /// The deal's id, or its position (`#3`).
    pub deal: String,
    /// Everything wrong with it.
    pub problems: Vec<DealProblem>,
}

impl DealError {
    pub(crate) fn new(deal: String, problems: Vec<DealProblem>) -> DealError {
        DealError {
            file: None,
            line: None,
            deal,
            problems,
        }
    }
}

impl fmt::Display for DealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// A deal's facts in the form rules read them, borrowed from the deal.
#[derive(Debug, PartialEq)]
pub(crate) struct CheckedDeal<'a> {
    /// Active stages, by index, in playbook order.
    pub active: Vec<usize>,
    /// Present field values, by field index.
    pub values: Vec<Option<crate::field::Checked<'a>>>,
    /// Done activities, by activity index.
    pub done: Vec<bool>,
    /// When the deal last entered each stage, by stage index, from its history.
    pub entered: Vec<Option<Timestamp>>,
}

/// Whether a deal pinned to `pin` (`id` or `id@version`) belongs to `playbook`.
pub(crate) fn pin_fits(playbook: &Playbook, pin: &str) -> bool {
    let (id, version) = match pin.split_once('@') {
        Some((id, version)) => (id, Some(version)),
        None => (pin, None),
    };
    id == playbook.id() && version.is_none_or(|v| v.parse::<u64>().ok() == Some(playbook.version()))
}

/// A stage id the playbook does not have, read at `place`, with the likely intended one.
fn unknown_stage(playbook: &Playbook, place: String, stage: &str) -> DealProblem {
    DealProblem::UnknownStage {
        place,
        stage: stage.to_owned(),
        help: suggest::did_you_mean(stage, playbook.stages.iter().map(|s| s.id.as_str())),
    }
}

/// When the deal last entered each stage, by stage index, from its history; adds every problem
/// found in the history to `problems`.
pub(crate) fn entered(
    playbook: &Playbook,
    history: &[HistoryEntry],
    problems: &mut Vec<DealProblem>,
) -> Vec<Option<Timestamp>> {
    let mut entered = vec![None; playbook.stages.len()];
    for (i, entry) in history.iter().enumerate() {
        let at = match crate::time::parse_time(&entry.at) {
            Ok(at) => Some(at),
            Err(problem) => {
                problems.push(DealProblem::BadTime {
                    place: format!("history[{i}].at"),
                    problem,
                });
                None
            }
        };
        if let Some(from) = &entry.from {
            if playbook.stage_index(from).is_none() {
                problems.push(unknown_stage(playbook, format!("history[{i}].from"), from));
            }
        }
        match playbook.stage_index(&entry.to) {
            Some(index) => {
                // A migration entry records no move: the deal stayed where it was.
                if at.is_some() && entry.migrated_from.is_none() {
                    entered[index] = at;
                }
            }
            None => problems.push(unknown_stage(
                playbook,
                format!("history[{i}].to"),
                &entry.to,
            )),
        }
    }
    entered
}

/// Checks `deal` against `playbook`, collecting every problem.
pub(crate) fn check<'a>(playbook: &Playbook, deal: &'a Deal) -> Result<CheckedDeal<'a>, DealError> {
    let mut problems = Vec::new();
    if let Some(pin) = &deal.playbook {
        if !pin_fits(playbook, pin) {
            problems.push(DealProblem::WrongPlaybook {
                pin: pin.clone(),
                playbook: playbook.pin(),
            });
        }
    }

    let mut active = Vec::new();
    for stage in &deal.stages {
        match playbook.stage_index(stage) {
            Some(index) if active.contains(&index) => {
                problems.push(DealProblem::DuplicateStage(stage.clone()));
            }
            Some(index) => active.push(index),
            None => problems.push(unknown_stage(playbook, "stages".to_owned(), stage)),
        }
    }
    if deal.stages.is_empty() {
        active.push(0);
    }
    active.sort_unstable();

    let mut values = vec![None; playbook.fields.len()];
    // Both in name order: walk the playbook's fields along with the deal's.
    let mut declared = playbook.fields_by_name().iter().peekable();
    for (name, value) in &deal.fields {
        while declared.next_if(|(id, _)| id < name).is_some() {}
        let index = declared
            .peek()
            .filter(|(id, _)| id == name)
            .map(|&(_, i)| *i);
        match index {
            Some(index) => match playbook.fields[index].check(value) {
                Ok(checked) => values[index] = checked,
                Err(problem) => problems.push(DealProblem::WrongValue {
                    field: name.clone(),
                    problem,
                }),
            },
            None => problems.push(DealProblem::UndeclaredField {
                field: name.clone(),
                help: suggest::did_you_mean(name, playbook.fields.iter().map(|f| f.id.as_str())),
            }),
        }
    }

    let mut done = vec![false; playbook.activity_count()];
    for (name, completion) in &deal.activities {
        let Some(index) = playbook.activity_index(name) else {
            problems.push(DealProblem::UnknownActivity {
                activity: name.clone(),
                help: suggest::did_you_mean(name, playbook.activity_ids()),
            });
            continue;
        };
        if let Completion::At(at) = completion {
            if let Err(problem) = crate::time::parse_time(at) {
                problems.push(DealProblem::BadTime {
                    place: format!("activities.{name}"),
                    problem,
                });
                continue;
            }
        }
        done[index] = completion.is_done();
    }

    let entered = entered(playbook, &deal.history, &mut problems);
    if problems.is_empty() {
        Ok(CheckedDeal {
            active,
            values,
            done,
            entered,
        })
    } else {
        Err(DealError::new(deal.label("(no id)"), problems))
    }
}
