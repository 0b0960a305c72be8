//! A case's `edit:`: the changes made by its actor, and what it expects of them (`voided`,
//! `edit_refused`).

use jiff::Timestamp;

use crate::deal::{Changes, Deal};
use crate::engine::{Actor, Engine, Options};
use crate::model::Expect;
use crate::support::suggest;

/// Makes `changes` on `deal` by `actor` at `at`, checking `expect.voided` and
/// `expect.edit_refused`. `Err` ends the case with its failures (none when the edit was refused
/// as expected: nothing further to check).
pub(super) fn make(
    engine: &Engine,
    deal: &mut Deal,
    changes: &Changes,
    actor: Option<&Actor>,
    at: Timestamp,
    expect: &Expect,
) -> Result<(), Vec<String>> {
    let options = Options::new().as_actor(actor);
    match (
        engine.edit(deal, changes, at, &options),
        &expect.edit_refused,
    ) {
        (Ok(edited), None) => {
            let mut failures = Vec::new();
            for criterion in &expect.voided {
                if !edited.voided.contains(criterion) {
                    failures.push(format!(
                        "expected the edit to void `{criterion}`, got {}",
                        voided(&edited.voided)
                    ));
                }
            }
            *deal = edited.deal;
            if failures.is_empty() {
                Ok(())
            } else {
                Err(failures)
            }
        }
        (Ok(_), Some(code)) => Err(vec![format!(
            "expected the edit to be refused ({code}), got it made"
        )]),
        (Err(error), Some(code)) if error.code() == code => Err(Vec::new()),
        (Err(error), Some(code)) => Err(vec![format!(
            "expected the edit to be refused ({code}), got refused ({}): {error}",
            error.code()
        )]),
        (Err(error), None) => Err(vec![format!("expected the edit to be made, got: {error}")]),
    }
}

fn voided(criteria: &[String]) -> String {
    if criteria.is_empty() {
        "no approval voided".to_owned()
    } else {
        format!("{} voided", suggest::list_all(criteria))
    }
}
