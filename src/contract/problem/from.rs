//! Every public error of the library as a [`Problem`]: one conversion per error type, here and
//! nowhere else.

use super::{Detail, Problem, ProblemKind};
use crate::analytics::PartialError;
use crate::deal::DealError;
use crate::engine::{ApproveError, ChangeError, MigrationError, MoveError};
use crate::import::ImportError;
use crate::load::LoadError;
use crate::registry::RegistryError;

impl From<&LoadError> for Problem {
    /// A `load` problem: every diagnostic; its code, help and place are the first error's.
    fn from(error: &LoadError) -> Problem {
        let first = error.diagnostics.iter().find(|d| d.is_error());
        let mut problem = Problem::new(
            ProblemKind::Load,
            first.map_or("load", |d| d.code),
            error.to_string(),
        );
        if let Some(first) = first {
            problem.help = first.help.clone();
            if !first.file.is_empty() {
                let known = |n: usize| (n > 0).then_some(n);
                problem = problem.in_file(&first.file, known(first.line), known(first.column));
            }
        }
        problem.diagnostics = error.diagnostics.clone();
        problem
    }
}

impl From<&DealError> for Problem {
    /// A `deal` problem: the deal, every problem in words and for programs; the code and help
    /// are the first problem's.
    fn from(error: &DealError) -> Problem {
        let first = error.problems.first();
        let mut problem = Problem::new(
            ProblemKind::Deal,
            first.map_or("deal", |p| p.code()),
            error.to_string(),
        );
        problem.help = first.and_then(|p| p.help()).map(str::to_owned);
        if let Some(file) = &error.file {
            problem = problem.in_file(file, error.line, None);
        }
        problem.deal = Some(error.deal.clone());
        problem.problems = error.problems.iter().map(ToString::to_string).collect();
        problem.details = error
            .problems
            .iter()
            .map(|p| Detail {
                code: p.code().to_owned(),
                message: p.to_string(),
                field: p.field().map(str::to_owned),
                column: None,
            })
            .collect();
        problem
    }
}

impl From<&MoveError> for Problem {
    /// `blocked` with the move and every blocker; `forbidden` when the mover may not make or
    /// force it (with the roles that may); `refused` for any other refusal; `deal` for a deal
    /// that does not fit.
    fn from(error: &MoveError) -> Problem {
        let code = error.code();
        match error {
            MoveError::Deal(error) => Problem::from(error),
            MoveError::Blocked { check } => {
                let kind = if check.is_forbidden() {
                    ProblemKind::Forbidden
                } else {
                    ProblemKind::Blocked
                };
                // Who may make it says more than "blocked" to someone who may not.
                let permission = check
                    .blockers
                    .iter()
                    .find(|b| b.reason == crate::engine::Reason::Forbidden)
                    .and_then(|b| b.message.clone());
                let mut problem =
                    Problem::new(kind, code, permission.unwrap_or_else(|| error.to_string()));
                if check.is_forbidden() {
                    problem.roles = check.by.clone();
                }
                problem.check = Some(check.clone());
                problem
            }
            // The message says who may force it, in the reader's language; the move says which.
            MoveError::Forbidden { check, message } => {
                let mut problem = Problem::new(ProblemKind::Forbidden, code, message.clone());
                problem.check = Some(check.clone());
                problem
            }
            MoveError::UnknownStage { help, .. } => {
                let problem = Problem::new(ProblemKind::Refused, code, error.to_string());
                match help {
                    Some(help) => problem.with_help(help.clone()),
                    None => problem,
                }
            }
            // Forcing does not replace someone else's consent: blocked, with the move.
            MoveError::ApprovalNotForceable { check, message, .. } => {
                let mut problem = Problem::new(ProblemKind::Blocked, code, message.clone());
                problem.check = Some(check.clone());
                problem
            }
            // A forced move without its reason lacks a part of the request.
            MoveError::MissingReason => Problem::new(ProblemKind::Request, code, error.to_string()),
            _ => Problem::new(ProblemKind::Refused, code, error.to_string()),
        }
    }
}

impl From<&ChangeError> for Problem {
    /// `forbidden` with every change the actor may not make and the roles that may; `deal` for
    /// a deal that does not fit (as the change would leave it); `refused` for any other refusal,
    /// every reason listed.
    fn from(error: &ChangeError) -> Problem {
        let code = error.code();
        let kind = match error {
            ChangeError::Deal(error) => return Problem::from(error),
            ChangeError::Forbidden { .. } => ProblemKind::Forbidden,
            _ => ProblemKind::Refused,
        };
        let mut problem = Problem::new(kind, code, error.to_string());
        for reason in error.problems() {
            problem.problems.push(reason.message.clone());
            problem.details.push(Detail {
                code: reason.code.to_owned(),
                message: reason.message.clone(),
                field: (!reason.place.is_empty()).then(|| reason.place.clone()),
                column: None,
            });
            for role in &reason.roles {
                if !problem.roles.contains(role) {
                    problem.roles.push(role.clone());
                }
            }
        }
        problem
    }
}

impl From<&ApproveError> for Problem {
    /// `forbidden` (not in the approving role, or the deal's owner) with the role that may;
    /// `refused` for any other refusal; `deal` for a deal that does not fit.
    fn from(error: &ApproveError) -> Problem {
        let code = error.code();
        match error {
            ApproveError::Deal(error) => Problem::from(error),
            ApproveError::Forbidden { role, .. } | ApproveError::OwnDeal { role, .. } => {
                let mut problem = Problem::new(ProblemKind::Forbidden, code, error.to_string());
                problem.roles = vec![role.clone()];
                problem
            }
            ApproveError::UnknownCriterion { help, .. } => {
                let problem = Problem::new(ProblemKind::Refused, code, error.to_string());
                match help {
                    Some(help) => problem.with_help(help.clone()),
                    None => problem,
                }
            }
            _ => Problem::new(ProblemKind::Refused, code, error.to_string()),
        }
    }
}

impl From<&MigrationError> for Problem {
    /// A `deal` problem (`cannot-migrate`): the deal and everything in the way.
    fn from(error: &MigrationError) -> Problem {
        let message = format!(
            "deal `{}` cannot migrate to `{}`: {}",
            error.deal,
            error.to,
            error.problems.join("; ")
        );
        let mut problem = Problem::new(ProblemKind::Deal, "cannot-migrate", message);
        problem.deal = Some(error.deal.clone());
        problem.problems = error.problems.clone();
        problem.details = error
            .problems
            .iter()
            .map(|p| Detail {
                code: "cannot-migrate".to_owned(),
                message: p.clone(),
                field: None,
                column: None,
            })
            .collect();
        problem
    }
}

impl From<&RegistryError> for Problem {
    /// `not-found` for a version not loaded, `request` for a deal naming no playbook where
    /// several are loaded, else the inner error's problem.
    fn from(error: &RegistryError) -> Problem {
        match error {
            RegistryError::NotLoaded { .. } => Problem::new(
                ProblemKind::NotFound,
                "playbook-not-loaded",
                error.to_string(),
            ),
            RegistryError::NoPin(_) => {
                Problem::new(ProblemKind::Request, "no-pin", error.to_string())
            }
            RegistryError::Deal(error) => Problem::from(error),
            RegistryError::Move(error) => Problem::from(error),
            RegistryError::Migration(error) => Problem::from(error),
            RegistryError::Approve(error) => Problem::from(error),
        }
    }
}

impl From<&ImportError> for Problem {
    /// A row that cannot be imported is a `deal` problem at its file and line, each cell's
    /// problem with its column and field; a file that cannot be read is a `request` problem.
    fn from(error: &ImportError) -> Problem {
        let line = error.line.and_then(|l| usize::try_from(l).ok());
        if error.problems.is_empty() {
            return Problem::new(ProblemKind::Request, "import-file", error.to_string()).in_file(
                &error.file,
                line,
                None,
            );
        }
        let mut problem = Problem::new(ProblemKind::Deal, "import-row", error.to_string()).in_file(
            &error.file,
            line,
            None,
        );
        problem.deal = Some(
            error
                .deal
                .clone()
                .unwrap_or_else(|| line.map_or_else(|| "(no id)".to_owned(), |l| format!("#{l}"))),
        );
        problem.problems = error.lines();
        problem.details = error
            .problems
            .iter()
            .map(|p| Detail {
                code: "import-cell".to_owned(),
                message: p.message.clone(),
                field: p.field.clone(),
                column: p.column.clone(),
            })
            .collect();
        problem
    }
}

impl From<&PartialError> for Problem {
    /// A `request` problem: the partials given cannot be merged or finished.
    fn from(error: &PartialError) -> Problem {
        let code = match error {
            PartialError::Version(_) => "partial-version",
            PartialError::Playbook { .. } => "partial-playbook",
            PartialError::At(..) => "partial-at",
            PartialError::By(..) => "partial-by",
            PartialError::Overlap(_) => "partial-overlap",
            PartialError::Missing(..) => "partial-missing",
            PartialError::Inconsistent(_) => "partial-inconsistent",
        };
        Problem::new(ProblemKind::Request, code, error.to_string())
    }
}

/// Owned errors convert as their references do.
macro_rules! from_owned {
    ($($error:ty),*) => {$(
        impl From<$error> for Problem {
            fn from(error: $error) -> Problem {
                Problem::from(&error)
            }
        }
    )*};
}

from_owned!(
    LoadError,
    DealError,
    MoveError,
    ApproveError,
    MigrationError,
    RegistryError,
    ImportError,
    PartialError
);
