//! Checking the embedded test cases against the playbook they test: their deals, their times, and
//! the stages they name.

use super::builder::Builder;
use crate::deal::DealProblem;
use crate::model::{Expect, Playbook, TestCase};
use crate::support::diagnostic::Diagnostic;
use crate::support::suggest;

/// The problems of the deals and times of a case file's cases (`text`, read from `file`), each
/// at its place in the file: the same gate as every deal; and a warning for a case that tests
/// nothing.
pub(crate) fn check_file(
    playbook: &Playbook,
    cases: &[TestCase],
    text: &str,
    file: &str,
) -> Vec<Diagnostic> {
    let mut b = Builder::new(file, text);
    for (i, case) in cases.iter().enumerate() {
        check_deal(&mut b, playbook, case, &format!("[{i}]"));
    }
    b.diagnostics
}

/// The problems of one case's time and deal, at `path`, the case's place in its file.
fn check_deal(b: &mut Builder<'_>, playbook: &Playbook, case: &TestCase, path: &str) {
    if let Some(at) = &case.at {
        if let Err(problem) = crate::support::time::read_time(at, &playbook.time_zone) {
            b.error("test-case", &format!("{path}.at"), problem, None);
        }
    }
    check_people(b, playbook, case, path);
    expects_something(b, case, path);
    if case.force.is_some() && case.move_to.is_none() {
        b.error(
            "test-case",
            &format!("{path}.force"),
            format!(
                "test `{}`: `force` forces the case's `move:`, and it has none",
                case.name
            ),
            Some("add `move: <stage>`, or remove `force`".to_owned()),
        );
    }
    if let Err(error) = crate::fit::check(playbook, &case.deal) {
        for problem in &error.problems {
            let (place, at_key) = place_of(problem);
            let at = format!(
                "{path}.deal{}{place}",
                if place.is_empty() { "" } else { "." }
            );
            let message = format!("test `{}`: {problem}", case.name);
            if at_key {
                b.error_key("test-deal", &at, message, None);
            } else {
                b.error("test-deal", &at, message, None);
            }
        }
    }
}

/// A case with no `move:`, no approvals and an empty `expect` checks nothing: a warning at its
/// `expect` (or at the case, when it has none).
fn expects_something(b: &mut Builder<'_>, case: &TestCase, path: &str) {
    if case.move_to.is_some() || !case.approve.is_empty() || case.expect != Expect::default() {
        return;
    }
    let expect = format!("{path}.expect");
    let at = if b.map().value(&expect).is_some() {
        expect
    } else {
        path.to_owned()
    };
    b.warning(
        "empty-expect",
        &at,
        format!(
            "test `{}` expects nothing, so it tests nothing",
            case.name
        ),
        Some("name what must hold: `expect: { allowed: [<stage>] }`, or `blocked`, `scores`, `stages`, `tasks`".to_owned()),
    );
}

/// The roles of a case's actor and approvers, and the criteria it approves, named in the
/// playbook.
fn check_people(b: &mut Builder<'_>, playbook: &Playbook, case: &TestCase, path: &str) {
    let role_ids = || {
        playbook
            .roles()
            .iter()
            .map(|r| r.id.as_str())
            .chain([crate::model::OWNER])
    };
    let mut people: Vec<(String, &crate::model::CaseActor)> = Vec::new();
    if let Some(actor) = &case.actor {
        people.push((format!("{path}.actor"), actor));
    }
    for (i, step) in case.approve.iter().enumerate() {
        people.push((format!("{path}.approve[{i}].by"), &step.by));
        if playbook.approval_gate(&step.criterion).is_none() {
            let ids: Vec<&str> = playbook
                .approval_gates()
                .map(|g| g.criterion.id.as_str())
                .collect();
            b.error(
                "test-case",
                &format!("{path}.approve[{i}].criterion"),
                format!(
                    "test `{}`: `{}` is not an approval criterion of this playbook",
                    case.name, step.criterion
                ),
                suggest::did_you_mean(&step.criterion, ids.iter().copied()),
            );
        }
    }
    for (t, activity) in case.expect.tasks.iter().enumerate() {
        if playbook.activity_index(activity).is_none() {
            b.error(
                "test-case",
                &format!("{path}.expect.tasks[{t}]"),
                format!(
                    "test `{}`: `{activity}` is not an activity of this playbook",
                    case.name
                ),
                suggest::did_you_mean(activity, playbook.activity_ids()),
            );
        }
    }
    for (n, role) in case.expect.notified.iter().enumerate() {
        if !role_ids().any(|id| id == role) {
            b.error(
                "test-case",
                &format!("{path}.expect.notified[{n}]"),
                format!(
                    "test `{}`: role `{role}` is not declared under `roles:`",
                    case.name
                ),
                suggest::did_you_mean(role, role_ids()),
            );
        }
    }
    for (at, person) in people {
        for (r, role) in person.roles.iter().enumerate() {
            if role == crate::model::OWNER {
                b.error(
                    "test-case",
                    &format!("{at}.roles[{r}]"),
                    format!("test `{}`: `owner` is not a role one holds: the deal's owner is the person its `owner:` names", case.name),
                    Some("give the deal `owner:` this person's id instead".to_owned()),
                );
            } else if !role_ids().any(|id| id == role) {
                b.error(
                    "test-case",
                    &format!("{at}.roles[{r}]"),
                    format!(
                        "test `{}`: role `{role}` is not declared under `roles:`",
                        case.name
                    ),
                    suggest::did_you_mean(role, role_ids()),
                );
            }
        }
    }
}

/// Reports every problem of the embedded test cases, each at its place in the file.
pub(super) fn check(b: &mut Builder<'_>, playbook: &Playbook) {
    for (i, case) in playbook.tests().iter().enumerate() {
        let path = format!("tests[{i}]");
        check_deal(b, playbook, case, &path);
        let expect = &case.expect;
        let mut named: Vec<(String, &str)> = Vec::new();
        if let Some(target) = &case.move_to {
            named.push((format!("{path}.move"), target));
        }
        for (k, key) in expect.allowed.iter().enumerate() {
            for part in key.split('>') {
                named.push((format!("{path}.expect.allowed[{k}]"), part.trim()));
            }
        }
        let blocked_from = named.len();
        for key in expect.blocked.keys() {
            for part in key.split('>') {
                named.push((format!("{path}.expect.blocked.{key}"), part.trim()));
            }
        }
        let blocked_to = named.len();
        for (k, stage) in expect.stages.iter().flatten().enumerate() {
            named.push((format!("{path}.expect.stages[{k}]"), stage));
        }
        let ids = || playbook.stages().iter().map(|s| s.id.as_str());
        for (n, (at, stage)) in named.into_iter().enumerate() {
            if !ids().any(|id| id == stage) {
                let message = format!(
                    "test `{}`: `{stage}` is not a stage of this playbook",
                    case.name
                );
                let help = suggest::did_you_mean(stage, ids());
                // A `blocked:` target is a key.
                if (blocked_from..blocked_to).contains(&n) {
                    b.error_key("test-case", &at, message, help);
                } else {
                    b.error("test-case", &at, message, help);
                }
            }
        }
    }
}

/// Where in a deal a problem is (a path below `deal`), and whether it is about a key.
fn place_of(problem: &DealProblem) -> (String, bool) {
    match problem {
        DealProblem::UndeclaredField { field, .. } => (format!("fields.{field}"), true),
        DealProblem::WrongValue { field, .. } => (format!("fields.{field}"), false),
        DealProblem::UnknownStage { place, .. } | DealProblem::BadTime { place, .. } => {
            (place.clone(), false)
        }
        DealProblem::UnknownActivity { activity, .. } => (format!("activities.{activity}"), true),
        DealProblem::DuplicateStage(_) => ("stages".to_owned(), false),
        DealProblem::WrongPlaybook { .. } => ("playbook".to_owned(), false),
        // The rest are about the deal as a whole, or its file.
        _ => (String::new(), false),
    }
}
