//! Playbook tests: cases (a deal at a time, an optional move, what the playbook must say), the
//! runner, and coverage.

mod approvals;
mod coverage;
mod edits;
mod expect;

use jiff::Timestamp;
use serde::Serialize;

pub use crate::load::{check_cases, read_cases};
pub use crate::model::{
    ApproveStep, CaseActor, Expect, ExpectedRefusal, ExpectedScore, RefusalKind, TestCase,
};
pub use coverage::{Coverage, CriterionCoverage};

use crate::engine::{Actor, Engine, Move, MoveError, Options};
use expect::{check_expect, invalid, missing_names, missing_notified, unknown_stages};

/// One case's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Where it came from: the file, and its 1-based position there.
    pub source: String,
    /// Every expectation that did not hold, as "expected ..., got ..." lines; empty when it passed.
    pub failures: Vec<String>,
}

impl CaseResult {
    /// `true` when every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The results of a run, with coverage.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct TestReport {
    /// Every case, in the order run.
    pub cases: Vec<CaseResult>,
    /// What the cases exercised.
    pub coverage: Coverage,
}

impl TestReport {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

impl Engine {
    /// Runs test cases, as [`run_tests`] does: each case's deal at its own time (else
    /// `default_at`), its move, and its expectations, with coverage.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Engine, Playbook};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml"))?;
    /// let cases: Vec<_> = playbook.tests().iter().map(|c| ("b2b-sales.yaml".to_owned(), c.clone())).collect();
    /// let report = Engine::new(playbook).run_tests(&cases, stagegate::parse_time("2026-11-27")?);
    /// assert_eq!(report.failed(), 0);
    /// assert!(report.passed() > 30);
    /// # Ok(())
    /// # }
    /// ```
    pub fn run_tests(&self, cases: &[(String, TestCase)], default_at: Timestamp) -> TestReport {
        run_tests(self, cases, default_at)
    }
}

/// Runs `cases` (each with the name of where it came from) against `engine`; cases without `at`
/// are evaluated at `default_at`.
///
/// # Example
///
/// ```
/// use stagegate::{Engine, Playbook};
/// let playbook = Playbook::from_yaml(r#"
/// stagegate: 1
/// id: tiny
/// version: 1
/// stages: [ { id: open }, { id: won, outcome: won } ]
/// transitions: [ { from: open, to: won } ]
/// tests:
///   - { name: an open deal may be won, at: 2026-11-01, deal: {}, expect: { allowed: [won] } }
/// "#, "tiny.yaml").unwrap();
/// let cases: Vec<_> = playbook.tests().iter().map(|c| ("tiny.yaml".to_owned(), c.clone())).collect();
/// let report = stagegate::testing::run_tests(&Engine::new(playbook), &cases, stagegate::parse_time("2026-11-27").unwrap());
/// assert_eq!((report.passed(), report.failed()), (1, 0));
/// ```
pub fn run_tests(
    engine: &Engine,
    cases: &[(String, TestCase)],
    default_at: Timestamp,
) -> TestReport {
    let mut tracker = coverage::Tracker::new(engine.playbook());
    let mut results = Vec::with_capacity(cases.len());
    for (index, (source, case)) in cases.iter().enumerate() {
        let failures = run_case(engine, case, default_at, &mut tracker);
        let position = cases[..index].iter().filter(|(s, _)| s == source).count() + 1;
        results.push(CaseResult {
            name: case.name.clone(),
            source: format!("{source} #{position}"),
            failures,
        });
    }
    TestReport {
        cases: results,
        coverage: tracker.finish(),
    }
}

fn run_case(
    engine: &Engine,
    case: &TestCase,
    default_at: Timestamp,
    tracker: &mut coverage::Tracker,
) -> Vec<String> {
    let at = match case.at.as_deref().map(|at| engine.playbook().read_time(at)) {
        None => default_at,
        Some(Ok(at)) => at,
        Some(Err(problem)) => return vec![format!("`at`: {problem}")],
    };
    let mut deal = case.deal.clone();
    let mut failures = Vec::new();
    let expect = &case.expect;
    let actor = case.actor.as_ref().map(|a| Actor::new(&a.id, &a.roles));
    let traced = Options::new().as_actor(actor.as_ref()).traced();
    if case.import {
        match engine.import(&deal, at, &Options::new().as_actor(actor.as_ref())) {
            Ok(imported) => deal = imported,
            Err(error) => return vec![format!("expected the import to be made, got: {error}")],
        }
    }
    if let Err(failure) = approvals::give(engine, &mut deal, &case.approve, at) {
        return vec![failure];
    }
    if let Some(changes) = &case.edit {
        match edits::make(engine, &mut deal, changes, actor.as_ref(), at, expect) {
            Ok(()) => {}
            Err(done) => return done,
        }
    } else if !expect.voided.is_empty() || expect.edit_refused.is_some() {
        failures.push("`voided` and `edit_refused` need an `edit:` in the case".to_owned());
    }
    if let Some(target) = &case.move_to {
        // Evaluate first, so the moves out of the starting stages count for coverage.
        match engine.assess(&deal, at, &traced) {
            Ok(assessed) => tracker.add(&assessed.evaluation, &assessed.trace),
            Err(error) => return vec![invalid(&error)],
        }
        let mut wanted = Move::to(target);
        if let Some(from) = &case.from {
            wanted = wanted.from(from);
        }
        if let Some(actor) = &actor {
            wanted = wanted.by(actor.clone());
        }
        if let Some(reason) = &case.force {
            wanted = wanted.forced(reason);
        }
        match (engine.apply(&deal, &wanted, at), &expect.blocked_move) {
            (Ok(applied), None) => {
                failures.extend(missing_notified(&applied.effects, &expect.notified));
                deal = applied.deal;
            }
            (Ok(_), Some(_)) => {
                failures.push(format!(
                    "expected the move to `{target}` to be blocked, got it allowed"
                ));
                return failures;
            }
            // A force that met an approval it may not go past is blocked by that approval.
            (
                Err(MoveError::Blocked { check } | MoveError::ApprovalNotForceable { check, .. }),
                Some(names),
            ) => {
                failures.extend(missing_names(
                    &check,
                    names,
                    &format!("the move to `{target}`"),
                ));
                return failures;
            }
            // Forcing without a force role: blocked by `permission`, beside the move's own.
            (Err(MoveError::Forbidden { check, .. }), Some(names)) => {
                let mut check = *check;
                let mut refused = crate::engine::Blocker::new(
                    crate::engine::Gate::Permission,
                    crate::engine::Reason::Forbidden,
                );
                refused.criterion = Some("permission".to_owned());
                check.blockers.push(refused);
                failures.extend(missing_names(
                    &check,
                    names,
                    &format!("the move to `{target}`"),
                ));
                return failures;
            }
            // An archived deal moves no more: `blocked_move: [archived]`.
            (Err(MoveError::Archived { message }), Some(names)) => {
                if !names.iter().any(|n| n == "archived") {
                    failures.push(format!(
                        "expected the move to `{target}` to be blocked by {}, got: {message}",
                        crate::support::suggest::list_all(names)
                    ));
                }
                return failures;
            }
            (Err(MoveError::NoActor), _) => {
                failures.push(format!(
                    "the move to `{target}` needs someone to make it: this playbook says who may move deals; give the case `actor: {{ id: <id>, roles: [<role>] }}`"
                ));
                return failures;
            }
            (Err(MoveError::Blocked { check }), None) => {
                let names: Vec<&str> = check.blockers.iter().flat_map(|b| b.names()).collect();
                failures.push(format!(
                    "expected the move to `{target}` to be made, got it blocked by {}",
                    crate::support::suggest::list_all(&names)
                ));
                return failures;
            }
            (Err(error), _) => {
                failures.push(format!(
                    "expected the move to `{target}` to be made, got: {error}"
                ));
                return failures;
            }
        }
    } else if expect.blocked_move.is_some() {
        failures.push("`blocked_move` needs a `move:` in the case".to_owned());
    } else if !expect.notified.is_empty() {
        failures.push("`notified` needs a `move:` in the case".to_owned());
    }
    for activity in &expect.tasks {
        let open = deal.tasks.contains_key(activity) && !deal.has_done(activity);
        if !open {
            let tasks: Vec<&str> = deal.tasks.keys().map(String::as_str).collect();
            failures.push(format!(
                "expected an open task for `{activity}`, got {}",
                if tasks.is_empty() {
                    "no open task".to_owned()
                } else {
                    crate::support::suggest::list_all(&tasks)
                }
            ));
        }
    }
    failures.extend(unknown_stages(engine.playbook(), expect));
    match engine.assess(&deal, at, &traced) {
        Ok(assessed) => {
            tracker.add(&assessed.evaluation, &assessed.trace);
            failures.extend(check_expect(expect, &assessed.evaluation));
        }
        Err(error) => failures.push(invalid(&error)),
    }
    failures
}
