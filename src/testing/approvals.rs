//! A test case's approval steps: each approval given, or refused as the step expects (for any
//! reason, or for the one it names).

use jiff::Timestamp;

use crate::deal::Deal;
use crate::engine::{Actor, ApproveError, Engine};
use crate::model::{ApproveStep, ExpectedRefusal, RefusalKind};

/// The kind of the JSON contract's error object for a refused approval: `forbidden`, `refused`,
/// or `deal` (a deal that does not fit, which a case's checked deal never is).
fn kind_of(error: &ApproveError) -> &'static str {
    match error {
        ApproveError::Deal(_) => "deal",
        ApproveError::Forbidden { .. } | ApproveError::OwnDeal { .. } => {
            RefusalKind::Forbidden.as_str()
        }
        _ => RefusalKind::Refused.as_str(),
    }
}

/// Gives the steps' approvals on `deal`, in order, at `at`. The first step that does not go as
/// it expects ends the case: its failure, in words.
pub(super) fn give(
    engine: &Engine,
    deal: &mut Deal,
    steps: &[ApproveStep],
    at: Timestamp,
) -> Result<(), String> {
    for step in steps {
        let by = Actor::new(&step.by.id, &step.by.roles);
        let refused = |kind: Option<RefusalKind>| {
            let reason = kind.map_or(String::new(), |k| format!(" as `{}`", k.as_str()));
            format!(
                "expected the approval of `{}` by {} to be refused{reason}",
                step.criterion, step.by.id
            )
        };
        match (engine.approve(deal, &step.criterion, &by, at), step.refused) {
            (Ok(approved), ExpectedRefusal::Given) => *deal = approved,
            (Ok(_), ExpectedRefusal::Kind(kind)) => {
                return Err(format!("{}, got it given", refused(Some(kind))));
            }
            (Ok(_), _) => return Err(format!("{}, got it given", refused(None))),
            (Err(error), ExpectedRefusal::Given) => {
                return Err(format!(
                    "expected {} to approve `{}`, got: {error}",
                    step.by.id, step.criterion
                ));
            }
            (Err(error), ExpectedRefusal::Kind(kind)) if kind_of(&error) != kind.as_str() => {
                return Err(format!(
                    "{}, got it refused as `{}`: {error}",
                    refused(Some(kind)),
                    kind_of(&error)
                ));
            }
            (Err(_), _) => {}
        }
    }
    Ok(())
}
