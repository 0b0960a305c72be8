//! Playbook tests: `run_tests` in the library and `stagegate test` on the command line, with the
//! case files and the small playbook under tests/fixtures/cases/, and the bundled playbook.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use stagegate::testing::{
    read_cases, run_tests, CriterionCoverage, ExpectedScore, TestCase, TestReport,
};
use stagegate::{parse_time, Engine, Playbook};

const PLAYBOOK: &str = "tests/fixtures/cases/playbook.yaml";
const PASSING: &str = "tests/fixtures/cases/passing.yaml";
const FAILING: &str = "tests/fixtures/cases/failing.yaml";
const COVERAGE: &str = "tests/fixtures/cases/coverage.yaml";
const BUNDLED: &str = "playbooks/b2b-sales.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cases(file: &str) -> Vec<(String, TestCase)> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let cases = read_cases(&text, file).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    cases.into_iter().map(|c| (file.to_owned(), c)).collect()
}

fn run(files: &[&str]) -> TestReport {
    let playbook = Playbook::load(root().join(PLAYBOOK)).unwrap();
    let all: Vec<(String, TestCase)> = files.iter().flat_map(|f| cases(f)).collect();
    run_tests(
        &Engine::new(playbook),
        &all,
        parse_time("2026-11-27").unwrap(),
    )
}

/// `stagegate test <args> --color never`: (exit code, stdout, stderr).
fn stagegate_test(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_stagegate"))
        .current_dir(root())
        .arg("test")
        .args(args)
        .args(["--color", "never"])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Each failing case of failing.yaml, with what its line must say it expected and what came out.
const FAILURES: &[(&str, &str, &str)] = &[
    (
        "expects an allowed move that is blocked",
        "expected the move to `proposal` to be allowed",
        "got it blocked by `discovery_call` and `budget_ok`",
    ),
    (
        "expects a blocked move that is allowed",
        "expected the move to `proposal` to be blocked",
        "got it allowed",
    ),
    (
        "expects a reason that is not among the blockers",
        "expected `budget_ok` among the reasons",
        "got `need_known`",
    ),
    (
        "expects the wrong total in the short form",
        "expected `lead` total 60",
        "got 40",
    ),
    (
        "expects the wrong band in the long form",
        "expected `lead` band sql",
        "got mql",
    ),
    (
        "a move that is blocked without blocked_move",
        "expected the move to `proposal` to be made",
        "got it blocked by `discovery_call`",
    ),
    (
        "blocked_move on a move that is allowed",
        "expected the move to `proposal` to be blocked",
        "got it allowed",
    ),
    (
        "blocked_move naming the wrong reason",
        "expected `need_known` among the reasons",
        "got `discovery_call`",
    ),
    (
        "expects the wrong stages after a move",
        "expected stages `proposal`",
        "got `proposal` and `expansion`",
    ),
    (
        "expects a blocked fork from one of two active stages",
        "expected the move to `expansion>proposal` to be blocked",
        "got it allowed",
    ),
    (
        "a plain target is not blocked while another active stage allows it",
        "expected the move to `proposal` to be blocked",
        "got it allowed",
    ),
    (
        "names a source stage the deal is not in",
        "expected the move to `closing>onboarding` to be allowed",
        "got no declared move there",
    ),
];

#[test]
fn passing_cases_pass_in_the_library() {
    let report = run(&[PASSING]);
    assert_eq!((report.passed(), report.failed()), (7, 0), "{report:#?}");
    for (i, case) in report.cases.iter().enumerate() {
        assert!(case.passed() && case.failures.is_empty(), "{case:?}");
        assert_eq!(case.source, format!("{PASSING} #{}", i + 1));
    }
}

#[test]
fn failing_cases_say_what_was_expected_and_what_came_out_in_the_library() {
    let report = run(&[FAILING]);
    assert_eq!((report.passed(), report.failed()), (0, FAILURES.len()));
    for (case, (name, expected, got)) in report.cases.iter().zip(FAILURES) {
        assert_eq!(case.name, *name);
        assert_eq!(case.failures.len(), 1, "{case:?}");
        let failure = &case.failures[0];
        assert!(
            failure.contains(expected) && failure.contains(got),
            "{name}: {failure}"
        );
    }
}

#[test]
fn passing_case_file_on_the_command_line() {
    let (code, stdout, stderr) = stagegate_test(&[PLAYBOOK, PASSING]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "7 passed, 0 failed\n", "")
    );
}

#[test]
fn failing_case_file_on_the_command_line() {
    let (code, stdout, _) = stagegate_test(&[PLAYBOOK, FAILING]);
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), FAILURES.len() + 1, "{stdout}");
    for (i, (line, (name, expected, got))) in lines.iter().zip(FAILURES).enumerate() {
        let head = format!("FAIL {name} ({FAILING} #{}): ", i + 1);
        assert!(line.starts_with(&head), "`{head}` in `{line}`");
        assert!(line.contains(expected) && line.contains(got), "{line}");
    }
    assert_eq!(*lines.last().unwrap(), "0 passed, 12 failed");
    assert!(stdout.ends_with("0 passed, 12 failed\n"));
}

#[test]
fn passing_and_failing_files_together() {
    let (code, stdout, _) = stagegate_test(&[PLAYBOOK, PASSING, FAILING]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("FAIL ")).count(),
        12
    );
    assert_eq!(stdout.lines().last(), Some("7 passed, 12 failed"));
}

fn outcome<'r>(report: &'r TestReport, name: &str) -> &'r [String] {
    let case = report.cases.iter().find(|c| c.name == name);
    &case.unwrap_or_else(|| panic!("no case `{name}`")).failures
}

#[test]
fn move_cases() {
    let report = run(&[PASSING, FAILING]);
    // An allowed move, then `expect.stages` on the moved deal (a fork keeps its source).
    assert!(outcome(&report, "moving a qualified deal to proposal").is_empty());
    assert!(outcome(&report, "a fork keeps the expansion stage active").is_empty());
    // A blocked move passes with `blocked_move` naming one of its reasons...
    assert!(outcome(
        &report,
        "a move without the discovery call is blocked as expected"
    )
    .is_empty());
    // ...and fails without it, naming the blockers.
    let failed = outcome(&report, "a move that is blocked without blocked_move");
    assert_eq!(
        failed,
        ["expected the move to `proposal` to be made, got it blocked by `discovery_call`"]
    );
    let failed = outcome(&report, "blocked_move on a move that is allowed");
    assert_eq!(
        failed,
        ["expected the move to `proposal` to be blocked, got it allowed"]
    );
}

#[test]
fn from_to_keys_with_two_active_stages() {
    let report = run(&[PASSING, FAILING]);
    let two = "with two active stages, each source is checked on its own";
    assert!(
        outcome(&report, two).is_empty(),
        "{:?}",
        outcome(&report, two)
    );
    let fork = outcome(
        &report,
        "expects a blocked fork from one of two active stages",
    );
    assert_eq!(
        fork,
        ["expected the move to `expansion>proposal` to be blocked, got it allowed"]
    );
    let plain = outcome(
        &report,
        "a plain target is not blocked while another active stage allows it",
    );
    assert_eq!(
        plain,
        ["expected the move to `proposal` to be blocked, got it allowed"]
    );
}

#[test]
fn score_expectations_in_both_forms() {
    let text = "- { name: short, deal: {}, expect: { scores: { lead: 60 } } }\n\
                - { name: long, deal: {}, expect: { scores: { lead: { total: 60, band: mql } } } }\n\
                - { name: band only, deal: {}, expect: { scores: { lead: { band: mql } } } }\n";
    let read = read_cases(text, "inline.yaml").unwrap();
    let score = |i: usize| read[i].expect.scores["lead"].clone();
    assert_eq!(
        score(0),
        ExpectedScore {
            total: Some(60),
            band: None
        }
    );
    assert_eq!(
        score(1),
        ExpectedScore {
            total: Some(60),
            band: Some("mql".into())
        }
    );
    assert_eq!(
        score(2),
        ExpectedScore {
            total: None,
            band: Some("mql".into())
        }
    );

    let report = run(&[PASSING, FAILING]);
    assert!(outcome(&report, "a qualified deal may go to proposal").is_empty()); // { lead: 60 }
    assert!(outcome(&report, "a mid-sized lead scores mql").is_empty()); // { total: 40, band: mql }
    let short = outcome(&report, "expects the wrong total in the short form");
    assert_eq!(short, ["expected `lead` total 60, got 40"]);
    let long = outcome(&report, "expects the wrong band in the long form");
    assert_eq!(long, ["expected `lead` band sql, got mql"]);
}

#[test]
fn coverage_names_what_the_cases_miss() {
    let coverage = run(&[COVERAGE]).coverage;
    assert!(!coverage.is_complete());
    assert_eq!(
        coverage.stages_never_entered,
        ["closing", "onboarding", "expansion", "lost"]
    );
    let transitions = [
        "closing>onboarding",
        "onboarding>expansion",
        "expansion>proposal",
        // `closing` is won: `"*"` does not lead out of it.
        "onboarding>lost",
        "expansion>lost",
    ];
    assert_eq!(coverage.transitions_never_evaluated, transitions);
    let seen = |id: &str, seen_true, seen_false| CriterionCoverage {
        id: id.to_owned(),
        seen_true,
        seen_false,
    };
    let criteria = [
        seen("lead.has_need", true, false),
        seen("budget_ok", true, false),
        seen("need_known", true, false),
        seen("upsell", false, false),
    ];
    assert_eq!(coverage.criteria_not_both_ways, criteria);

    let (code, stdout, _) = stagegate_test(&[PLAYBOOK, COVERAGE, "--coverage"]);
    assert_eq!(code, 0, "{stdout}");
    let expected = "coverage:\n  stages never entered: closing, onboarding, expansion, lost\n  \
         transitions never evaluated: closing>onboarding, onboarding>expansion, \
         expansion>proposal, onboarding>lost, expansion>lost\n  \
         criterion lead.has_need: only true\n  criterion budget_ok: only true\n  \
         criterion need_known: only true\n  criterion upsell: never evaluated\n\
         2 passed, 0 failed\n";
    assert_eq!(stdout, expected);
    // Without --coverage, only the closing line.
    assert_eq!(
        stagegate_test(&[PLAYBOOK, COVERAGE]).1,
        "2 passed, 0 failed\n"
    );
}

#[test]
fn the_bundled_playbook_passes_its_48_tests_with_full_coverage() {
    let playbook = Playbook::load(root().join(BUNDLED)).unwrap();
    assert_eq!(playbook.tests().len(), 48);
    let cases: Vec<(String, TestCase)> = playbook
        .tests()
        .iter()
        .map(|c| (BUNDLED.to_owned(), c.clone()))
        .collect();
    let report = run_tests(
        &Engine::new(playbook),
        &cases,
        parse_time("2026-11-27").unwrap(),
    );
    let failing: Vec<_> = report.cases.iter().filter(|c| !c.passed()).collect();
    assert!(failing.is_empty(), "{failing:#?}");
    assert!(report.coverage.is_complete(), "{:#?}", report.coverage);

    let (code, stdout, stderr) = stagegate_test(&[BUNDLED, "--coverage", "--at", "2026-11-27"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let complete = "coverage: every stage entered, every transition evaluated, \
                    every criterion seen both true and false\n48 passed, 0 failed\n";
    assert_eq!(stdout, complete);
}

#[test]
fn a_misspelt_key_in_a_case_file_is_refused() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/cases/typo.yaml")).unwrap();
    let error = read_cases(&text, "typo.yaml").unwrap_err();
    let found = &error.diagnostics[0];
    assert_eq!((found.code, found.line, found.column), ("test-case", 5, 3));
    assert!(found.message.contains("`expcet`"), "{}", found.message);

    let (code, stdout, stderr) = stagegate_test(&[PLAYBOOK, "tests/fixtures/cases/typo.yaml"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("typo.yaml:5:3: error[test-case]"),
        "{stderr}"
    );
}

#[test]
fn a_blocked_target_that_is_no_stage_fails() {
    let text = "- { name: typo, at: 2026-11-01, deal: {}, expect: { blocked: { proposl: [] } } }\n";
    let playbook = Playbook::load(root().join(PLAYBOOK)).unwrap();
    let cases = vec![(
        "inline.yaml".to_owned(),
        read_cases(text, "inline.yaml").unwrap().remove(0),
    )];
    let report = run_tests(
        &Engine::new(playbook),
        &cases,
        parse_time("2026-11-27").unwrap(),
    );
    assert_eq!(report.failed(), 1, "{report:#?}");
    assert!(
        report.cases[0]
            .failures
            .iter()
            .any(|f| f.contains("proposl")),
        "{report:#?}"
    );
}

#[test]
fn a_case_that_expects_nothing_is_a_warning_and_still_runs() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("empty-expect");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cases.yaml");
    let text = "- name: expects nothing
  at: 2026-11-01
  deal: {}
  expect: {}
- { name: says nothing, at: 2026-11-01, deal: {} }
- { name: moves, at: 2026-11-01, deal: { stages: [qualification] }, move: lost, expect: {} }
";
    std::fs::write(&file, text).unwrap();
    let playbook = Playbook::load(root().join(PLAYBOOK)).unwrap();
    let cases = read_cases(text, "cases.yaml").unwrap();
    let found = stagegate::testing::check_cases(&playbook, &cases, text, "cases.yaml");
    let places: Vec<_> = found.iter().map(|d| (d.code, d.line, d.column)).collect();
    assert_eq!(
        places,
        [("empty-expect", 4, 11), ("empty-expect", 5, 3)],
        "{found:#?}"
    );
    assert!(found.iter().all(|d| !d.is_error()));
    assert_eq!(
        found[0].message,
        "test `expects nothing` expects nothing, so it tests nothing"
    );

    // On the command line: said on standard error, and the cases run.
    let path = file.to_str().unwrap();
    let (code, stdout, stderr) = stagegate_test(&[PLAYBOOK, path]);
    assert!(
        stderr.contains(&format!("{path}:4:11: warning[empty-expect]")),
        "{stderr}"
    );
    assert!(stderr.contains("help: name what must hold"), "{stderr}");
    assert!(stdout.ends_with("3 passed, 0 failed\n"), "{stdout}");
    assert_eq!(code, 0, "{stderr}");
}
