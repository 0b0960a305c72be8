//! Applying moves: new stages, one appended history entry, and every way a move can be refused.

mod common;

use common::{at, deal, engine};
use stagegate::{Deal, DealProblem, DealReader, HistoryEntry, Move, MoveError, MoveKind, Options};

fn apply(name: &str, wanted: Move) -> Result<Deal, MoveError> {
    engine()
        .apply(&deal(name), &wanted, at())
        .map(|applied| applied.deal)
}

fn entry(from: &str, to: &str, kind: MoveKind) -> HistoryEntry {
    HistoryEntry {
        by: None,
        at: "2026-11-27T00:00:00Z".to_owned(),
        from: Some(from.to_owned()),
        to: to.to_owned(),
        kind: Some(kind),
        fork: false,
        forced: false,
        reason: None,
        overridden: Vec::new(),
        migrated_from: None,
        approved: None,
        imported: false,
        imported_by: None,
        edit: None,
        archived: false,
        unarchived: false,
        approval_requested: None,
        note: None,
    }
}

#[test]
fn advance_appends_one_history_entry() {
    let before = deal("skip-allowed");
    let moved = engine()
        .apply(&before, &Move::to("propose"), at())
        .unwrap()
        .deal;
    assert_eq!(moved.stages, ["propose"]);
    assert_eq!(moved.history.len(), before.history.len() + 1);
    assert_eq!(
        moved.history[..before.history.len()],
        before.history[..],
        "earlier entries unchanged"
    );
    assert_eq!(
        moved.history.last().unwrap(),
        &entry("qualify", "propose", MoveKind::Advance)
    );
    // Nothing else changes.
    assert_eq!(
        (&moved.id, &moved.fields, &moved.activities),
        (&before.id, &before.fields, &before.activities)
    );
    // The moved deal is valid and is now evaluated from propose.
    let evaluation = engine().evaluate(&moved, at(), &Options::new()).unwrap();
    assert_eq!(evaluation.stages, ["propose"]);
}

#[test]
fn a_deal_without_stages_moves_from_the_first_stage() {
    let moved = apply("advance-allowed", Move::to("qualify")).unwrap();
    assert_eq!(moved.stages, ["qualify"]);
    assert_eq!(
        moved.history,
        [entry("prospect", "qualify", MoveKind::Advance)]
    );
}

#[test]
fn moved_deal_snapshot() {
    let moved = apply("skip-allowed", Move::to("close")).unwrap();
    assert_eq!(moved.history.last().unwrap().kind, Some(MoveKind::Skip));
    insta::assert_yaml_snapshot!(moved);
}

#[test]
fn kinds_of_moves_are_recorded() {
    let back = apply("return-allowed", Move::to("qualify")).unwrap();
    assert_eq!(back.stages, ["qualify"]);
    assert_eq!(
        back.history.last().unwrap(),
        &entry("propose", "qualify", MoveKind::Return)
    );

    let churned = apply("exit-from-account", Move::to("churned")).unwrap();
    assert_eq!(churned.stages, ["churned"]);
    assert_eq!(
        churned.history,
        [entry("account", "churned", MoveKind::Exit)]
    );
    // Nothing leaves a terminal stage.
    let err = engine()
        .apply(&churned, &Move::to("account"), at())
        .unwrap_err();
    assert!(
        matches!(&err, MoveError::NotDeclared { to, .. } if to == "account"),
        "{err:?}"
    );
}

#[test]
fn fork_keeps_the_source_stage() {
    let before = deal("fork-allowed");
    let moved = engine()
        .apply(&before, &Move::to("qualify"), at())
        .unwrap()
        .deal;
    assert_eq!(
        moved.stages,
        ["qualify", "account"],
        "both active, in playbook order"
    );
    let last = moved.history.last().unwrap();
    assert_eq!(
        last,
        &HistoryEntry {
            fork: true,
            ..entry("account", "qualify", MoveKind::Return)
        }
    );
    assert_eq!(moved.history[..2], before.history[..]);
    let evaluation = engine().evaluate(&moved, at(), &Options::new()).unwrap();
    assert_eq!(evaluation.stages, ["qualify", "account"]);
    assert!(
        evaluation.transitions.iter().any(|t| t.from == "qualify")
            && evaluation.transitions.iter().any(|t| t.from == "account")
    );
}

#[test]
fn join_into_an_active_stage_leaves_the_source() {
    let moved = apply("join-two-stages", Move::to("propose")).unwrap();
    assert_eq!(moved.stages, ["propose"]);
    assert_eq!(
        moved.history.last().unwrap(),
        &entry("qualify", "propose", MoveKind::Advance)
    );
}

#[test]
fn ambiguous_source_and_from() {
    for target in ["close", "lost"] {
        let err = apply("join-two-stages", Move::to(target)).unwrap_err();
        assert_eq!(
            err,
            MoveError::Ambiguous {
                to: target.to_owned(),
                candidates: "`qualify` or `propose`".to_owned()
            }
        );
        assert_eq!(err.to_string(), format!("the deal could move to `{target}` from `qualify` or `propose`; name the source stage"));
    }
    // `from` picks the source: the other stage stays active.
    let moved = apply("join-two-stages", Move::to("close").from("propose")).unwrap();
    assert_eq!(moved.stages, ["qualify", "close"]);
    assert_eq!(
        moved.history.last().unwrap(),
        &entry("propose", "close", MoveKind::Advance)
    );
    let lost = apply("join-two-stages", Move::to("lost").from("qualify")).unwrap();
    assert_eq!(lost.stages, ["propose", "lost"]);
    // From qualify, the skip to close is blocked by fast_track (the deal is in propose).
    match apply("join-two-stages", Move::to("close").from("qualify")).unwrap_err() {
        MoveError::Blocked { check } => {
            assert_eq!(
                (check.from.as_str(), check.kind),
                ("qualify", MoveKind::Skip)
            );
            assert_eq!(check.blockers[0].criterion.as_deref(), Some("fast_track"));
        }
        other => panic!("expected Blocked, got {other:?}"),
    }
    // A source that is not active.
    let err = apply("join-two-stages", Move::to("close").from("account")).unwrap_err();
    assert_eq!(
        err,
        MoveError::NotActive {
            stage: "account".to_owned(),
            active: "`qualify` or `propose`".to_owned()
        }
    );
}

#[test]
fn blocked_move_carries_the_same_check_as_evaluate() {
    let engine = engine();
    let thin = deal("every-reason-listed");
    let evaluation = engine.evaluate(&thin, at(), &Options::new()).unwrap();
    let expected = evaluation.moves_to("propose").next().unwrap();
    match engine.apply(&thin, &Move::to("propose"), at()).unwrap_err() {
        MoveError::Blocked { check } => {
            assert_eq!(*check, *expected);
            assert_eq!(check.blockers.len(), 6);
            let err = MoveError::Blocked { check };
            assert_eq!(
                err.to_string(),
                "the move from `qualify` to `propose` is blocked"
            );
        }
        other => panic!("expected Blocked, got {other:?}"),
    }
}

#[test]
fn forced_move_records_reason_and_overrides() {
    let before = deal("every-reason-listed");
    let moved = engine()
        .apply(
            &before,
            &Move::to("propose").forced("  the CEO asked  "),
            at(),
        )
        .unwrap()
        .deal;
    assert_eq!(moved.stages, ["propose"]);
    let last = moved.history.last().unwrap();
    assert_eq!(
        last,
        &HistoryEntry {
            forced: true,
            reason: Some("the CEO asked".to_owned()),
            overridden: [
                "discovery",
                "fit_warm",
                "budget_known",
                "touched_recently",
                "fit_enough",
                "not_tiny"
            ]
            .map(String::from)
            .to_vec(),
            ..entry("qualify", "propose", MoveKind::Advance)
        }
    );
    // Nested criteria are named too (proposal_ready's part proposal_done and its activity).
    let pushed = apply(
        "return-allowed",
        Move::to("close").forced("signed on paper"),
    )
    .unwrap();
    assert_eq!(
        pushed.history.last().unwrap().overridden,
        [
            "proposal_ready",
            "proposal_done",
            "legal_review",
            "priority_window",
            "signed_recently"
        ]
    );
}

#[test]
fn forcing_an_allowed_move_is_a_plain_move() {
    let moved = apply("skip-allowed", Move::to("propose").forced("no need")).unwrap();
    assert_eq!(
        moved.history.last().unwrap(),
        &entry("qualify", "propose", MoveKind::Advance)
    );
}

#[test]
fn forced_without_reason() {
    for blank in ["", "  ", "\t\n"] {
        let err = apply("every-reason-listed", Move::to("propose").forced(blank)).unwrap_err();
        assert_eq!(err, MoveError::MissingReason);
        assert_eq!(err.to_string(), "a forced move needs a reason");
    }
}

#[test]
fn undeclared_move() {
    let err = apply("advance-allowed", Move::to("close")).unwrap_err();
    assert_eq!(
        err,
        MoveError::NotDeclared {
            from: "Prospect".to_owned(),
            to: "close".to_owned(),
            moves: "from Prospect a deal moves to Qualify or Lost".to_owned(),
            message: "There is no way from Prospect to Closed won: from Prospect a deal moves to Qualify or Lost."
                .to_owned(),
        }
    );
    assert_eq!(err.code(), "not-declared");
    // The message says it in plain words, with the stages' titles and the moves that exist, so a
    // host shows it as it is: no ids, no backticks.
    insta::assert_snapshot!("undeclared_move_english", err.to_string());
    // Nor to the stage it is already in.
    let already = apply("advance-allowed", Move::to("prospect")).unwrap_err();
    assert_eq!(
        already.to_string(),
        "The deal is already in Prospect: from Prospect a deal moves to Qualify or Lost."
    );
    assert_eq!(already.code(), "not-declared");
}

#[test]
fn undeclared_move_in_korean() {
    let engine = engine().with_language("ko");
    let refuse = |name: &str, to: &str| {
        engine
            .apply(&deal(name), &Move::to(to), at())
            .unwrap_err()
            .to_string()
    };
    let words = [
        refuse("advance-allowed", "close"),
        refuse("advance-allowed", "prospect"),
        refuse("skip-allowed", "account"),
    ]
    .join("\n");
    insta::assert_snapshot!("undeclared_move_korean", words);
    assert!(!words.contains('`'), "{words}");
}

#[test]
fn undeclared_move_from_one_way_out_none_or_two_stages() {
    let refuse = |deal: Deal, to: &str, lang: &str| {
        engine()
            .with_language(lang)
            .apply(&deal, &Move::to(to), at())
            .unwrap_err()
            .to_string()
    };
    let in_stages = |stages: &[&str]| -> Deal {
        serde_json::from_value(serde_json::json!({ "id": "W-1", "stages": stages })).unwrap()
    };
    let mut words = Vec::new();
    for lang in ["en", "ko"] {
        // Closed won leads only to Account; Lost leads nowhere.
        words.push(refuse(in_stages(&["close"]), "propose", lang));
        words.push(refuse(in_stages(&["lost"]), "prospect", lang));
        // A deal in two stages: the ways out of each.
        words.push(refuse(deal("join-two-stages"), "account", lang));
    }
    let words = words.join("\n");
    insta::assert_snapshot!("undeclared_move_ways_out", words);
    assert!(!words.contains('`'), "{words}");
}

#[test]
fn unknown_stage_with_did_you_mean() {
    let err = apply("advance-allowed", Move::to("qualfy")).unwrap_err();
    assert_eq!(
        err,
        MoveError::UnknownStage {
            stage: "qualfy".to_owned(),
            help: Some("did you mean `qualify`?".to_owned())
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown stage `qualfy` (did you mean `qualify`?)"
    );
    let err = apply("advance-allowed", Move::to("zzzzzzzz")).unwrap_err();
    assert_eq!(
        err,
        MoveError::UnknownStage {
            stage: "zzzzzzzz".to_owned(),
            help: None
        }
    );
}

#[test]
fn an_invalid_deal_cannot_move() {
    let mut bad = deal("advance-allowed");
    bad.fields.insert("amout".to_owned(), 5.into());
    match engine()
        .apply(&bad, &Move::to("qualify"), at())
        .unwrap_err()
    {
        MoveError::Deal(error) => {
            assert_eq!(error.deal, "F-ADVANCE");
            assert_eq!(
                error.problems,
                [DealProblem::UndeclaredField {
                    field: "amout".to_owned(),
                    help: Some("did you mean `amount`?".to_owned())
                }]
            );
        }
        other => panic!("expected Deal, got {other:?}"),
    }
}

#[test]
fn moves_chain_and_history_keeps_growing() {
    let engine = engine();
    let mut current = deal("skip-allowed");
    let steps = [
        ("propose", MoveKind::Advance),
        ("qualify", MoveKind::Return),
        ("lost", MoveKind::Exit),
    ];
    let forced = ["", "the champion left, going back", ""];
    for ((to, kind), reason) in steps.iter().zip(forced) {
        let wanted = if reason.is_empty() {
            Move::to(*to)
        } else {
            Move::to(*to).forced(reason)
        };
        let moved = engine.apply(&current, &wanted, at()).unwrap().deal;
        assert_eq!(moved.history[..current.history.len()], current.history[..]);
        assert_eq!(moved.history.last().unwrap().kind, Some(*kind));
        current = moved;
    }
    assert_eq!(current.stages, ["lost"]);
    assert_eq!(current.history.len(), 5);
    // The return was blocked (champion is still true and the deal entered propose today).
    let back = &current.history[3];
    assert!(back.forced);
    assert_eq!(back.overridden, ["lost_champion", "proposal_aged"]);
}

#[test]
fn a_moved_deal_round_trips_through_yaml_and_json() {
    let mut tricky = deal("fork-allowed");
    // Texts that look like other YAML types must stay texts.
    tricky.fields.insert("need".to_owned(), "yes".into());
    tricky.fields.insert("signed_on".to_owned(), "0012".into());
    let moved = engine()
        .apply(&tricky, &Move::to("qualify"), at())
        .unwrap()
        .deal;
    let yaml = moved.to_yaml().unwrap();
    let mut reader = DealReader::new(yaml.as_bytes(), "moved.yaml");
    let (again, _) = reader.next().unwrap().unwrap();
    assert_eq!(again, moved, "{yaml}");
    let json = serde_json::to_string(&moved).unwrap();
    assert_eq!(serde_json::from_str::<Deal>(&json).unwrap(), moved);
    // And it still evaluates the same.
    assert_eq!(
        engine().evaluate(&again, at(), &Options::new()).unwrap(),
        engine().evaluate(&moved, at(), &Options::new()).unwrap()
    );
}
