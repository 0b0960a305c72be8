//! Evaluating the fixture deals with the fixture playbook: snapshots of every evaluation, and
//! targeted checks of the explanations (reasons, script errors, determinism).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use stagegate::{
    Blocker, Deal, DealReader, Engine, Evaluation, Gate, MoveCheck, MoveKind, Playbook, Reason,
    Timestamp,
};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn engine() -> Engine {
    Engine::new(Playbook::load(fixture("playbook.yaml")).expect("the fixture playbook loads"))
}

fn at() -> Timestamp {
    stagegate::parse_time("2026-11-27").unwrap()
}

fn read_deal(path: &Path) -> Deal {
    let file = BufReader::new(File::open(path).unwrap());
    let mut reader = DealReader::new(file, &path.display().to_string());
    let (deal, _) = reader.next().expect("one deal").expect("a readable deal");
    assert!(reader.next().is_none(), "one deal per fixture file");
    deal
}

fn deal(name: &str) -> Deal {
    read_deal(&fixture(&format!("deals/{name}.yaml")))
}

fn evaluate(name: &str) -> Evaluation {
    engine().evaluate(&deal(name), at()).unwrap()
}

fn only_move<'a>(evaluation: &'a Evaluation, from: &str, to: &str) -> &'a MoveCheck {
    let found: Vec<&MoveCheck> = evaluation
        .transitions
        .iter()
        .filter(|t| t.from == from && t.to == to)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one move {from} -> {to} in {:?}",
        evaluation.transitions
    );
    found[0]
}

/// (gate, reason, criterion or activity) of each blocker, in order.
fn summary(check: &MoveCheck) -> Vec<(Gate, Reason, String)> {
    check
        .blockers
        .iter()
        .map(|b| {
            (
                b.gate,
                b.reason,
                b.criterion
                    .clone()
                    .or_else(|| b.activity.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn s(text: &str) -> String {
    text.to_owned()
}

#[test]
fn evaluates_every_fixture_deal() {
    let engine = engine();
    insta::glob!("fixtures/deals/*.yaml", |path| {
        let evaluation = engine.evaluate(&read_deal(path), at()).unwrap();
        // Every move's `allowed` agrees with its blockers.
        for check in &evaluation.transitions {
            assert_eq!(check.allowed, check.blockers.is_empty(), "{check:?}");
        }
        insta::assert_yaml_snapshot!(evaluation);
    });
}

#[test]
fn korean_evaluation() {
    let engine = engine().with_language("ko");
    assert_eq!(engine.language(), "ko");
    let evaluation = engine.evaluate(&deal("korean-text"), at()).unwrap();
    let advance = only_move(&evaluation, "qualify", "propose");
    let messages: Vec<&str> = advance
        .blockers
        .iter()
        .map(|b| b.message.as_deref().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "필수 활동이 완료되지 않았습니다: 디스커버리 콜",
            "적합도 점수 등급 cold: warm 이상이어야 합니다",
            "30일 이내에 고객과 접촉하세요.",
            "적합도 점수 30점: 40 이상이어야 합니다",
        ]
    );
    // The Korean text of the deal is read as a value, untouched.
    assert_eq!(evaluation.scores["fit"].total, 30);
    insta::assert_yaml_snapshot!(evaluation);
}

#[test]
fn an_unknown_language_falls_back_to_the_default() {
    let french = engine()
        .with_language("fr")
        .evaluate(&deal("korean-text"), at())
        .unwrap();
    let english = engine().evaluate(&deal("korean-text"), at()).unwrap();
    assert_eq!(french, english);
    let blocker = &only_move(&english, "qualify", "propose").blockers[2];
    assert_eq!(
        blocker.message.as_deref(),
        Some("Touch the customer at least every 30 days.")
    );
}

#[test]
fn a_script_error_blocks_only_its_own_criterion() {
    let evaluation = evaluate("reason-error-script");

    // The rule that divides by zero gives 0 points and says why; the other rules still count.
    let priority = &evaluation.scores["priority"];
    let enterprise = priority
        .rules
        .iter()
        .find(|r| r.id == "enterprise")
        .unwrap();
    assert!(!enterprise.matched);
    assert_eq!(enterprise.points, 0);
    assert!(
        enterprise
            .error
            .as_deref()
            .unwrap()
            .contains("division by zero"),
        "{enterprise:?}"
    );
    assert_eq!(priority.total, 50 + 25);
    assert_eq!(priority.band.as_deref(), Some("high"));
    assert_eq!(evaluation.scores["fit"].total, 40 + 30 + 20);

    // The erroring criterion is an `error` blocker, next to the other blocker of the same move.
    let close = only_move(&evaluation, "propose", "close");
    assert!(!close.allowed);
    assert_eq!(
        summary(close),
        [
            (Gate::Exit, Reason::MissingActivity, s("proposal_ready")),
            (Gate::Entry, Reason::Error, s("signed_recently")),
        ]
    );
    let error = &close.blockers[1];
    assert!(
        error
            .error
            .as_deref()
            .unwrap()
            .contains("`last tuesday` is not a date"),
        "{error:?}"
    );
    assert_eq!(error.values["signed_on"], "last tuesday");
    // priority_window (75, within 25..80) was evaluated and holds.
    assert!(!close
        .blockers
        .iter()
        .any(|b| b.criterion.as_deref() == Some("priority_window")));

    // Other moves are evaluated as if nothing happened.
    let back = only_move(&evaluation, "propose", "qualify");
    assert_eq!(
        summary(back),
        [(Gate::When, Reason::Failed, s("lost_champion"))]
    );
    assert!(only_move(&evaluation, "propose", "lost").allowed);
}

#[test]
fn every_reason_is_listed_never_just_the_first() {
    let evaluation = evaluate("every-reason-listed");
    let advance = only_move(&evaluation, "qualify", "propose");
    assert_eq!(advance.kind, MoveKind::Advance);
    assert_eq!(
        summary(advance),
        [
            (Gate::Exit, Reason::MissingActivity, s("discovery")),
            (Gate::Exit, Reason::Failed, s("fit_warm")),
            (Gate::Exit, Reason::MissingField, s("budget_known")),
            (Gate::Exit, Reason::Failed, s("touched_recently")),
            (Gate::Entry, Reason::Failed, s("fit_enough")),
            (Gate::Entry, Reason::Failed, s("not_tiny")),
        ]
    );
    assert_eq!(advance.blockers[2].fields, ["amount", "need"]);
    assert_eq!(advance.blockers[1].values["band(fit)"], "cold");
    assert_eq!(advance.blockers[3].values["last_touch"], "2026-09-01");
    assert_eq!(advance.blockers[4].values["score(fit)"], 0);

    let skip = only_move(&evaluation, "qualify", "close");
    assert_eq!(skip.kind, MoveKind::Skip);
    let gates: Vec<(Gate, Reason, String)> = summary(skip);
    assert_eq!(
        &gates[..4],
        &summary(advance)[..4],
        "the same exit gate for both forward moves"
    );
    assert_eq!(
        &gates[4..],
        [
            (Gate::Entry, Reason::Failed, s("priority_window")),
            (Gate::Entry, Reason::MissingField, s("signed_recently")),
            (Gate::When, Reason::Failed, s("fast_track")),
        ]
    );
    assert_eq!(skip.blockers[5].fields, ["signed_on"]);
    // The exit to lost passes no exit gate.
    assert!(only_move(&evaluation, "qualify", "lost").allowed);
}

#[test]
fn each_reason_on_its_own() {
    let failed = evaluate("reason-failed");
    let check = only_move(&failed, "prospect", "qualify");
    assert_eq!(
        summary(check),
        [(Gate::Exit, Reason::Failed, s("when:employees >= 1"))]
    );
    assert_eq!(check.blockers[0].values["employees"], 0);
    assert_eq!(
        check.blockers[0].message.as_deref(),
        Some("condition not met: employees >= 1")
    );

    let field = evaluate("reason-missing-field");
    let check = only_move(&field, "prospect", "qualify");
    assert_eq!(
        summary(check),
        [(Gate::Exit, Reason::MissingField, s("need_known"))]
    );
    assert_eq!(
        check.blockers[0].fields,
        ["need"],
        "an empty text counts as absent"
    );
    assert_eq!(
        check.blockers[0].message.as_deref(),
        Some("Write down the need.")
    );

    let activity = evaluate("reason-missing-activity");
    let check = only_move(&activity, "prospect", "qualify");
    assert_eq!(
        summary(check),
        [(Gate::Exit, Reason::MissingActivity, s("research"))]
    );
    assert_eq!(check.blockers[0].criterion, None);
    assert_eq!(check.blockers[0].activity.as_deref(), Some("research"));
}

#[test]
fn logic_criteria_keep_their_tree() {
    // `all` with one part missing an activity: the reason is the part's, the tree is kept.
    let evaluation = evaluate("return-allowed");
    let close = only_move(&evaluation, "propose", "close");
    let ready: &Blocker = &close.blockers[0];
    assert_eq!(
        (ready.criterion.as_deref(), ready.reason),
        (Some("proposal_ready"), Reason::MissingActivity)
    );
    assert_eq!(ready.because.len(), 1);
    assert_eq!(ready.because[0].criterion.as_deref(), Some("proposal_done"));
    assert_eq!(ready.because[0].activities, ["legal_review"]);
    assert_eq!(
        ready.names(),
        ["proposal_ready", "proposal_done", "legal_review"]
    );

    // `any` where nothing holds: both parts are listed; their reasons differ, so `failed`.
    let mut thin = deal("return-allowed");
    thin.fields.remove("stakeholders");
    let evaluation = engine().evaluate(&thin, at()).unwrap();
    let ready = &only_move(&evaluation, "propose", "close").blockers[0];
    let backed = &ready.because[1];
    assert_eq!(
        (backed.criterion.as_deref(), backed.reason),
        (Some("backed"), Reason::Failed)
    );
    let parts: Vec<(Option<&str>, Reason)> = backed
        .because
        .iter()
        .map(|b| (b.criterion.as_deref(), b.reason))
        .collect();
    assert_eq!(
        parts,
        [
            (Some("when:champion == true"), Reason::Failed),
            (Some("fields:stakeholders"), Reason::MissingField)
        ]
    );

    // `not` over a criterion that cannot be decided stays undecided (missing_field), not true.
    let mut unknown_size = deal("skip-allowed");
    unknown_size.fields.remove("employees");
    let evaluation = engine().evaluate(&unknown_size, at()).unwrap();
    let advance = only_move(&evaluation, "qualify", "propose");
    assert_eq!(
        summary(advance),
        [(Gate::Entry, Reason::MissingField, s("not_tiny"))]
    );
    assert_eq!(advance.blockers[0].fields, ["employees"]);
}

#[test]
fn days_in_stage_reads_the_history() {
    // 9 days in propose: the return is allowed (see the fixture).
    assert!(only_move(&evaluate("return-allowed"), "propose", "qualify").allowed);

    let mut recent = deal("return-allowed");
    recent.history[1].at = "2026-11-24T00:00:00Z".to_owned();
    let evaluation = engine().evaluate(&recent, at()).unwrap();
    assert_eq!(
        summary(only_move(&evaluation, "propose", "qualify")),
        [(Gate::When, Reason::Failed, s("proposal_aged"))]
    );

    // Without a history entry into propose, days_in_stage() cannot run: an error, not a panic.
    let mut no_history = deal("return-allowed");
    no_history.history.clear();
    let evaluation = engine().evaluate(&no_history, at()).unwrap();
    let back = only_move(&evaluation, "propose", "qualify");
    assert_eq!(
        summary(back),
        [(Gate::When, Reason::Error, s("proposal_aged"))]
    );
    assert!(back.blockers[0].error.is_some());
}

#[test]
fn kinds_forks_skips_and_in_stage() {
    let kinds = |name: &str| -> Vec<(String, String, MoveKind, bool, bool)> {
        evaluate(name)
            .transitions
            .iter()
            .map(|t| (t.from.clone(), t.to.clone(), t.kind, t.fork, t.allowed))
            .collect()
    };
    let row = |from: &str, to: &str, kind, fork, allowed| (s(from), s(to), kind, fork, allowed);
    assert_eq!(
        kinds("fork-allowed"),
        [
            row("account", "qualify", MoveKind::Return, true, true),
            row("account", "lost", MoveKind::Exit, false, true),
            row("account", "churned", MoveKind::Exit, false, true),
        ]
    );
    assert_eq!(
        summary(only_move(
            &evaluate("exit-from-account"),
            "account",
            "qualify"
        )),
        [(Gate::When, Reason::Failed, s("upsell_ready"))]
    );
    assert_eq!(
        kinds("skip-allowed"),
        [
            row("qualify", "propose", MoveKind::Advance, false, true),
            row("qualify", "close", MoveKind::Skip, false, true),
            row("qualify", "lost", MoveKind::Exit, false, true),
        ]
    );
    assert_eq!(
        summary(only_move(&evaluate("skip-blocked"), "qualify", "close")),
        [(Gate::When, Reason::Failed, s("fast_track"))]
    );

    // Two active stages: every move out of each, in playbook order; fast_track sees in_stage("propose").
    let join = evaluate("join-two-stages");
    assert_eq!(join.stages, ["qualify", "propose"]);
    assert_eq!(
        kinds("join-two-stages"),
        [
            row("qualify", "propose", MoveKind::Advance, false, true),
            row("qualify", "close", MoveKind::Skip, false, false),
            row("propose", "close", MoveKind::Advance, false, true),
            row("propose", "qualify", MoveKind::Return, false, false),
            row("qualify", "lost", MoveKind::Exit, false, true),
            row("propose", "lost", MoveKind::Exit, false, true),
        ]
    );
    let skip = only_move(&join, "qualify", "close");
    assert_eq!(
        summary(skip),
        [(Gate::When, Reason::Failed, s("fast_track"))]
    );
    assert_eq!(skip.blockers[0].values["score(priority)"], 75);
}

#[test]
fn scores_are_clamped_and_explained() {
    let max = evaluate("scores-clamp-max");
    let fit = &max.scores["fit"];
    let sum: i64 = fit.rules.iter().map(|r| r.points).sum();
    assert_eq!(
        (sum, fit.total, fit.band.as_deref()),
        (120, 100, Some("hot"))
    );
    let priority = &max.scores["priority"];
    assert_eq!(
        (priority.total, priority.band.as_deref()),
        (85, Some("high")),
        "no max: not capped"
    );

    let min = evaluate("scores-clamp-min");
    let fit = &min.scores["fit"];
    let points: Vec<(&str, i64, bool)> = fit
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.points, r.matched))
        .collect();
    assert_eq!(
        points,
        [
            ("big_amount", 0, false),
            ("saas", 0, false),
            ("has_champion", 0, false),
            ("recent_touch", 0, false),
            ("tiny", -50, true)
        ]
    );
    assert_eq!((fit.total, fit.band.as_deref()), (0, Some("cold")));
    let stakeholders = min.scores["priority"]
        .rules
        .iter()
        .find(|r| r.id == "many_stakeholders")
        .unwrap();
    assert_eq!(
        stakeholders.missing,
        ["stakeholders"],
        "an empty list counts as absent"
    );

    // A rule reading an absent field does not match and names the field.
    let advance = evaluate("advance-allowed");
    let big = &advance.scores["fit"].rules[0];
    assert_eq!(
        (big.id.as_str(), big.matched, big.points),
        ("big_amount", false, 0)
    );
    assert_eq!(big.missing, ["amount"]);

    // Bands at their thresholds: fit exactly 40 is warm, and fit_enough (min 40) holds.
    let stalled = evaluate("stalled");
    assert_eq!(
        (
            stalled.scores["fit"].total,
            stalled.scores["fit"].band.as_deref()
        ),
        (40, Some("warm"))
    );
    assert!(only_move(&stalled, "qualify", "propose").allowed);

    // Engine::score gives the same scores as evaluate.
    assert_eq!(
        engine().score(&deal("scores-clamp-max"), at()).unwrap(),
        max.scores
    );
}

#[test]
fn stalled_warning() {
    let evaluation = evaluate("stalled");
    assert_eq!(evaluation.warnings.len(), 1);
    let warning = &evaluation.warnings[0];
    assert_eq!(
        (
            warning.kind,
            warning.stage.as_str(),
            warning.days,
            warning.max_days
        ),
        ("stalled", "qualify", 45, 30)
    );
    // 17 days in qualify is not stalled; a deal without history has no entry date, so no warning.
    assert!(evaluate("skip-allowed").warnings.is_empty());
    assert!(evaluate("every-reason-listed").warnings.is_empty());
}

#[test]
fn a_deal_without_stages_is_in_the_first_stage() {
    let evaluation = evaluate("advance-allowed");
    assert_eq!(evaluation.stages, ["prospect"]);
    assert_eq!(evaluation.deal.as_deref(), Some("F-ADVANCE"));
    assert_eq!(evaluation.playbook, "fixture@3");
    assert_eq!(evaluation.at, "2026-11-27T00:00:00Z");
    assert!(only_move(&evaluation, "prospect", "qualify").allowed);
}

#[test]
fn evaluation_is_deterministic() {
    let names = [
        "every-reason-listed",
        "reason-error-script",
        "join-two-stages",
        "korean-text",
    ];
    let first: Vec<Evaluation> = names.iter().map(|n| evaluate(n)).collect();
    // The same engine, in another order, after other deals: the same answers.
    let engine = engine();
    for (name, expected) in names.iter().zip(&first).rev() {
        assert_eq!(&engine.evaluate(&deal(name), at()).unwrap(), expected);
        assert_eq!(&engine.evaluate(&deal(name), at()).unwrap(), expected);
    }
    // And from other threads sharing the engine.
    std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| {
                let engine = &engine;
                scope.spawn(move || engine.evaluate(&deal(name), at()).unwrap())
            })
            .collect();
        for (handle, expected) in handles.into_iter().zip(&first) {
            assert_eq!(&handle.join().unwrap(), expected);
        }
    });
    // Another time gives another answer where time matters (days_since).
    let later = engine
        .evaluate(
            &deal("stalled"),
            stagegate::parse_time("2026-12-27").unwrap(),
        )
        .unwrap();
    assert_eq!(later.warnings[0].days, 75);
}
