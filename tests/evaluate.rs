//! Evaluating the fixture deals with the fixture playbook: snapshots of every evaluation, and
//! targeted checks of the explanations (reasons, script errors, determinism).

mod common;

use common::{at, blockers, deal, engine, evaluate, line, moves, only_move, read_deal};
use stagegate::{Evaluation, Options};

#[test]
fn evaluates_every_fixture_deal() {
    let engine = engine();
    insta::glob!("fixtures/deals/*.yaml", |path| {
        let evaluation = engine
            .evaluate(&read_deal(path), at(), &Options::new())
            .unwrap();
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
    let evaluation = engine
        .evaluate(&deal("korean-text"), at(), &Options::new())
        .unwrap();
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
        .evaluate(&deal("korean-text"), at(), &Options::new())
        .unwrap();
    let english = engine()
        .evaluate(&deal("korean-text"), at(), &Options::new())
        .unwrap();
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
    let enterprise = &priority.rules[2];
    assert_eq!(
        (
            enterprise.id.as_str(),
            enterprise.matched,
            enterprise.points
        ),
        ("enterprise", false, 0)
    );
    let message = enterprise.error.as_deref().unwrap();
    assert!(message.contains("division by zero"), "{message}");
    assert_eq!(
        (priority.total, priority.band.as_deref()),
        (50 + 25, Some("high"))
    );
    assert_eq!(evaluation.scores["fit"].total, 40 + 30 + 20);

    // The erroring criterion is an `error` blocker, next to the other blocker of the same move;
    // priority_window (75, within 25..80) was evaluated and holds.
    let close = blockers(&evaluation, "propose", "close");
    assert_eq!(
        close,
        [
            "exit missing_activity proposal_ready",
            "entry error signed_recently"
        ]
    );
    let error = &only_move(&evaluation, "propose", "close").blockers[1];
    let message = error.error.as_deref().unwrap();
    assert!(
        message.starts_with("`last tuesday` is not a date"),
        "{message}"
    );
    assert_eq!(error.values["signed_on"], "last tuesday");

    // Other moves are evaluated as if nothing happened.
    assert_eq!(
        blockers(&evaluation, "propose", "qualify"),
        ["when failed lost_champion"]
    );
    assert!(only_move(&evaluation, "propose", "lost").allowed);
}

#[test]
fn every_reason_is_listed_never_just_the_first() {
    let evaluation = evaluate("every-reason-listed");
    let exit_gate = [
        "exit missing_activity discovery",
        "exit failed fit_warm",
        "exit missing_field budget_known",
        "exit failed touched_recently",
    ];
    let advance = blockers(&evaluation, "qualify", "propose");
    assert_eq!(advance[..4], exit_gate);
    assert_eq!(
        advance[4..],
        ["entry failed fit_enough", "entry failed not_tiny"]
    );
    let skip = blockers(&evaluation, "qualify", "close");
    assert_eq!(
        skip[..4],
        exit_gate,
        "the same exit gate for both forward moves"
    );
    let rest = [
        "entry failed priority_window",
        "entry missing_field signed_recently",
        "when failed fast_track",
    ];
    assert_eq!(skip[4..], rest);
    // The exit to lost passes no exit gate.
    assert!(only_move(&evaluation, "qualify", "lost").allowed);

    // What each blocker read or lacks.
    let found = &only_move(&evaluation, "qualify", "propose").blockers;
    assert_eq!(
        found[0].message.as_deref(),
        Some("required activity not done: Discovery call")
    );
    assert_eq!(found[1].values["band(fit)"], "cold");
    assert_eq!(found[2].fields, ["amount", "need"]);
    assert_eq!(found[3].values["last_touch"], "2026-09-01");
    assert_eq!(found[4].values["score(fit)"], 0);
    assert_eq!(
        only_move(&evaluation, "qualify", "close").blockers[5].fields,
        ["signed_on"]
    );
}

#[test]
fn each_reason_on_its_own() {
    let failed = evaluate("reason-failed");
    assert_eq!(
        blockers(&failed, "prospect", "qualify"),
        ["exit failed when:employees >= 1"]
    );
    let blocker = &only_move(&failed, "prospect", "qualify").blockers[0];
    assert_eq!(blocker.values["employees"], 0);
    assert_eq!(
        blocker.message.as_deref(),
        Some("condition not met: employees >= 1")
    );

    let field = evaluate("reason-missing-field");
    assert_eq!(
        blockers(&field, "prospect", "qualify"),
        ["exit missing_field need_known"]
    );
    let blocker = &only_move(&field, "prospect", "qualify").blockers[0];
    assert_eq!(blocker.fields, ["need"], "an empty text counts as absent");
    assert_eq!(blocker.message.as_deref(), Some("Write down the need."));

    let activity = evaluate("reason-missing-activity");
    assert_eq!(
        blockers(&activity, "prospect", "qualify"),
        ["exit missing_activity research"]
    );
    let blocker = &only_move(&activity, "prospect", "qualify").blockers[0];
    assert_eq!(
        (blocker.criterion.as_deref(), blocker.activity.as_deref()),
        (None, Some("research"))
    );
}

#[test]
fn logic_criteria_keep_their_tree() {
    // `all` with one part missing an activity: the reason is the part's, the tree is kept.
    let evaluation = evaluate("return-allowed");
    let ready = &only_move(&evaluation, "propose", "close").blockers[0];
    assert_eq!(line(ready), "exit missing_activity proposal_ready");
    assert_eq!(
        ready.because.iter().map(line).collect::<Vec<_>>(),
        ["exit missing_activity proposal_done"]
    );
    assert_eq!(ready.because[0].activities, ["legal_review"]);
    assert_eq!(
        ready.names(),
        ["proposal_ready", "proposal_done", "legal_review"]
    );

    // `any` where nothing holds: both parts are listed; their reasons differ, so `failed`.
    let mut thin = deal("return-allowed");
    thin.fields.remove("stakeholders");
    let evaluation = engine().evaluate(&thin, at(), &Options::new()).unwrap();
    let backed = &only_move(&evaluation, "propose", "close").blockers[0].because[1];
    assert_eq!(line(backed), "exit failed backed");
    let parts: Vec<String> = backed.because.iter().map(line).collect();
    assert_eq!(
        parts,
        [
            "exit failed when:champion == true",
            "exit missing_field fields:stakeholders"
        ]
    );

    // `not` over a criterion that cannot be decided stays undecided (missing_field), not true.
    let mut unknown_size = deal("skip-allowed");
    unknown_size.fields.remove("employees");
    let evaluation = engine()
        .evaluate(&unknown_size, at(), &Options::new())
        .unwrap();
    assert_eq!(
        blockers(&evaluation, "qualify", "propose"),
        ["entry missing_field not_tiny"]
    );
    assert_eq!(
        only_move(&evaluation, "qualify", "propose").blockers[0].fields,
        ["employees"]
    );
}

#[test]
fn days_in_stage_reads_the_history() {
    // 9 days in propose: the return is allowed (see the fixture).
    assert!(only_move(&evaluate("return-allowed"), "propose", "qualify").allowed);

    let mut recent = deal("return-allowed");
    recent.history[1].at = "2026-11-24T00:00:00Z".to_owned();
    let evaluation = engine().evaluate(&recent, at(), &Options::new()).unwrap();
    assert_eq!(
        blockers(&evaluation, "propose", "qualify"),
        ["when failed proposal_aged"]
    );

    // Without a history entry into propose, days_in_stage() cannot run: an error, not a panic.
    let mut no_history = deal("return-allowed");
    no_history.history.clear();
    let evaluation = engine()
        .evaluate(&no_history, at(), &Options::new())
        .unwrap();
    assert_eq!(
        blockers(&evaluation, "propose", "qualify"),
        ["when error proposal_aged"]
    );
    assert!(only_move(&evaluation, "propose", "qualify").blockers[0]
        .error
        .is_some());
}

#[test]
fn kinds_forks_skips_and_in_stage() {
    let fork = evaluate("fork-allowed");
    let out_of_account = ["account>lost exit allowed", "account>churned exit allowed"];
    assert_eq!(moves(&fork)[0], "account>qualify return fork allowed");
    assert_eq!(moves(&fork)[1..], out_of_account);
    let no_upsell = evaluate("exit-from-account");
    assert_eq!(moves(&no_upsell)[1..], out_of_account);
    assert_eq!(
        blockers(&no_upsell, "account", "qualify"),
        ["when failed upsell_ready"]
    );

    let skip = moves(&evaluate("skip-allowed"));
    assert_eq!(
        skip,
        [
            "qualify>propose advance allowed",
            "qualify>close skip allowed",
            "qualify>lost exit allowed"
        ]
    );
    assert_eq!(
        blockers(&evaluate("skip-blocked"), "qualify", "close"),
        ["when failed fast_track"]
    );

    // Two active stages: every move out of each, in playbook order.
    let join = evaluate("join-two-stages");
    assert_eq!(join.stages, ["qualify", "propose"]);
    let expected = [
        "qualify>propose advance allowed",
        "qualify>close skip blocked",
        "propose>close advance allowed",
        "propose>qualify return blocked",
        "qualify>lost exit allowed",
        "propose>lost exit allowed",
    ];
    assert_eq!(moves(&join), expected);
    // fast_track holds on priority (75) but sees in_stage("propose").
    assert_eq!(
        blockers(&join, "qualify", "close"),
        ["when failed fast_track"]
    );
    assert_eq!(
        only_move(&join, "qualify", "close").blockers[0].values["score(priority)"],
        75
    );
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
    let points: Vec<i64> = fit.rules.iter().map(|r| r.points).collect();
    assert_eq!(points, [0, 0, 0, 0, -50]);
    assert!(fit.rules[4].matched && fit.rules.iter().take(4).all(|r| !r.matched));
    assert_eq!((fit.total, fit.band.as_deref()), (0, Some("cold")));
    let stakeholders = &min.scores["priority"].rules[1];
    assert_eq!(
        stakeholders.missing,
        ["stakeholders"],
        "an empty list counts as absent"
    );

    // A rule reading an absent field does not match and names the field.
    let big = &evaluate("advance-allowed").scores["fit"].rules[0];
    assert_eq!(
        (big.id.as_str(), big.matched, big.points),
        ("big_amount", false, 0)
    );
    assert_eq!(big.missing, ["amount"]);

    // Bands at their thresholds: fit exactly 40 is warm, and fit_enough (min 40) holds.
    let stalled = evaluate("stalled");
    let fit = &stalled.scores["fit"];
    assert_eq!((fit.total, fit.band.as_deref()), (40, Some("warm")));
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
    let w = &evaluation.warnings[0];
    assert_eq!(
        (w.kind, w.stage.as_str(), w.days, w.max_days),
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
    assert_eq!(
        (evaluation.playbook.as_str(), evaluation.at.as_str()),
        ("fixture@3", "2026-11-27T00:00:00Z")
    );
    assert_eq!(
        moves(&evaluation),
        [
            "prospect>qualify advance allowed",
            "prospect>lost exit allowed"
        ]
    );
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
        assert_eq!(
            &engine.evaluate(&deal(name), at(), &Options::new()).unwrap(),
            expected
        );
        assert_eq!(
            &engine.evaluate(&deal(name), at(), &Options::new()).unwrap(),
            expected
        );
    }
    // And from other threads sharing the engine.
    std::thread::scope(|scope| {
        let engine = &engine;
        let handles: Vec<_> = names
            .iter()
            .map(|name| {
                scope.spawn(move || engine.evaluate(&deal(name), at(), &Options::new()).unwrap())
            })
            .collect();
        for (handle, expected) in handles.into_iter().zip(&first) {
            assert_eq!(&handle.join().unwrap(), expected);
        }
    });
    // Another time gives another answer where time matters.
    let later = stagegate::parse_time("2026-12-27").unwrap();
    assert_eq!(
        engine
            .evaluate(&deal("stalled"), later, &Options::new())
            .unwrap()
            .warnings[0]
            .days,
        75
    );
}
