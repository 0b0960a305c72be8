//! The warnings a deal's own record gives, whatever its stage: a history that moves where the
//! playbook does not allow (`history-off-playbook`), and the deal archived (`archived`).

use jiff::Timestamp;

use super::evaluation::Warning;
use crate::deal::Deal;
use crate::model::Playbook;
use crate::support::messages;
use crate::support::time::{days_between, show_time};

/// A `history-off-playbook` warning for every move step of the deal's history that the playbook
/// does not allow ([`crate::fit::history::off_playbook`], the check metrics make too), in the
/// history's order; `days` counts from the step to `at`.
pub(crate) fn off_playbook(
    playbook: &Playbook,
    deal: &Deal,
    at: Timestamp,
    lang: &str,
) -> Vec<Warning> {
    let title = |stage: usize| playbook.stages[stage].title_in(lang, playbook.default_language());
    crate::fit::history::off_playbook(playbook, &deal.history)
        .into_iter()
        .map(|step| {
            let entry = &deal.history[step.index];
            let shown = step.at.map_or_else(
                || entry.at.clone(),
                |when| show_time(when, &playbook.time_zone),
            );
            let message = messages::history_off_playbook(
                lang,
                step.index,
                title(step.from),
                title(step.to),
                &shown,
            );
            let days = step.at.map_or(0, |when| days_between(when, at));
            let mut warning = Warning::new("history-off-playbook", entry.to.clone(), days, message);
            warning.entry = Some(step.index);
            warning.from = Some(playbook.stages[step.from].id.clone());
            warning.at = Some(entry.at.clone());
            warning.by.clone_from(&entry.by);
            warning
        })
        .collect()
}

/// The `archived` warning of an archived deal (who archived it, when and why), under the first of
/// its `active` stages (indexes); none for a deal that is not archived.
pub(crate) fn archived(
    playbook: &Playbook,
    deal: &Deal,
    active: &[usize],
    at: Timestamp,
    lang: &str,
) -> Option<Warning> {
    let archive = deal.archived.as_ref()?;
    let when = playbook.read_time(&archive.at).ok();
    let shown = when.map_or_else(
        || archive.at.clone(),
        |when| show_time(when, &playbook.time_zone),
    );
    let message = messages::archived(lang, &archive.by, &shown, &archive.reason);
    let days = when.map_or(0, |when| days_between(when, at));
    let stage = active
        .first()
        .map_or_else(String::new, |&s| playbook.stages[s].id.clone());
    let mut warning = Warning::new("archived", stage, days, message);
    warning.at = Some(archive.at.clone());
    warning.by = Some(archive.by.clone());
    warning.reason = Some(archive.reason.clone());
    Some(warning)
}
