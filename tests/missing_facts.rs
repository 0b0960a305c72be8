//! Missing facts in three-valued logic, as a playbook author sees them: a rule decides as soon as
//! the facts the deal holds decide it, and names exactly the fields it still needs when they do
//! not (tests/fixtures/missing).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::File;
use std::io::BufReader;

use assert_cmd::Command;
use common::{at, blockers, fixture, only_move};
use stagegate::{DealReader, Engine, Evaluation, Options, Playbook};

fn evaluations() -> Vec<Evaluation> {
    let engine = Engine::new(Playbook::load(fixture("missing/playbook.yaml")).unwrap());
    let path = fixture("missing/deals.yaml");
    DealReader::new(BufReader::new(File::open(&path).unwrap()), "deals.yaml")
        .map(|read| {
            engine
                .evaluate(&read.unwrap().0, at(), &Options::new())
                .unwrap()
        })
        .collect()
}

fn by_id<'a>(all: &'a [Evaluation], id: &str) -> &'a Evaluation {
    all.iter().find(|e| e.deal.as_deref() == Some(id)).unwrap()
}

#[test]
fn a_rule_decided_by_the_facts_it_has_needs_no_more() {
    let all = evaluations();
    // `discount_pct <= 20 || budget_approved`: 10% opens the gate without the budget's answer.
    assert!(only_move(by_id(&all, "small-discount"), "proposal", "won").allowed);
    // 30% needs the answer: missing, naming only `budget_approved`.
    let large = only_move(by_id(&all, "large-discount"), "proposal", "won");
    assert_eq!(large.blockers.len(), 1);
    assert_eq!(large.blockers[0].fields, ["budget_approved"]);
    assert_eq!(
        blockers(by_id(&all, "large-discount"), "proposal", "won"),
        ["exit missing_field discount_ok"]
    );
    // A `false` answer fails the gate; it is no longer missing.
    assert_eq!(
        blockers(by_id(&all, "refused-budget"), "proposal", "won"),
        ["exit failed discount_ok"]
    );
    // Nothing known: both sides of `||` are missing and both are named; `false && missing` is
    // false (`(amount ?? 0) > 0` is false without an amount).
    let empty = only_move(by_id(&all, "empty"), "proposal", "won");
    assert_eq!(
        empty.blockers[0].fields,
        ["discount_pct", "budget_approved"]
    );
    assert_eq!(
        blockers(by_id(&all, "empty"), "proposal", "won"),
        ["exit missing_field discount_ok", "exit failed sized"]
    );
}

#[test]
fn a_scorecard_rule_left_undecided_scores_nothing_and_says_why() {
    let all = evaluations();
    let small = &by_id(&all, "small-discount").scores["fit"];
    let rule = |id: &str| small.rules.iter().find(|r| r.id == id).unwrap();
    assert_eq!((small.total, small.band.as_deref()), (60, Some("warm")));
    // `!has(champion)` holds without a champion; `champion || amount >= 100000` is missing.
    assert!(rule("no_champion_yet").matched && rule("no_champion_yet").missing.is_empty());
    assert!(!rule("championed").matched);
    assert_eq!(rule("championed").missing, ["champion"]);
    // `champion || ...` holds once the champion is known, whatever the amount.
    let large = &by_id(&all, "large-discount").scores["fit"];
    assert_eq!(large.total, 90);
}

#[test]
fn the_text_output_names_what_is_missing() {
    let output = Command::new(env!("CARGO_BIN_EXE_stagegate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "tests/fixtures/missing/playbook.yaml"])
        .args([
            "tests/fixtures/missing/deals.yaml",
            "--at",
            "2026-11-27",
            "--lang",
            "en",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}
