//! `score` against the shared fixture playbook (tests/fixtures/playbook.yaml, read only), deals on
//! standard input.
//!
//! `fit`: big_amount 40, saas 30, has_champion 30, recent_touch 20, tiny -50; min 0, max 100; bands
//! cold 0, warm 40, hot 80. `priority`: fit_hot 50, many_stakeholders 25, enterprise 10; bands low
//! 0, high 50. At 2026-11-27:
//! - S1: 40 + 30 + 30 + 20 = 120, capped to 100 (hot); priority 50 + 25 = 75 (high).
//! - S2: carries the undeclared field `colour`: reported, not scored.
//! - S3: tiny -50, floored to 0 (cold); three rules miss a field; priority 0 (low).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::{json, Value};
use stagegate::{Deal, DealReader, Engine, Playbook};

const PLAYBOOK: &str = "tests/fixtures/playbook.yaml";

const DEALS: &str = "\
id: S1
stage: qualify
fields: { amount: 20000, industry: saas, champion: true, last_touch: 2026-11-20, employees: 50,
          stakeholders: [Ana, Bo] }
---
id: S2
fields: { amount: 1000, colour: red }
---
id: S3
fields: { amount: 5000, employees: 5 }
";

/// `stagegate score <playbook> - --at 2026-11-27 <extra>` with `DEALS` on standard input.
fn score(extra: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(["score", PLAYBOOK, "-", "--at", "2026-11-27"])
        .args(extra)
        .write_stdin(DEALS)
        .output()
        .unwrap();
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).unwrap();
    (
        output.status.code().unwrap(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

fn rule(id: &str, points: i64, matched: bool) -> Value {
    json!({ "id": id, "points": points, "matched": matched })
}

fn missing(id: &str, field: &str) -> Value {
    json!({ "id": id, "points": 0, "matched": false, "missing": [field] })
}

fn s1_fit() -> Value {
    json!({ "total": 100, "band": "hot", "rules": [
        rule("big_amount", 40, true), rule("saas", 30, true), rule("has_champion", 30, true),
        rule("recent_touch", 20, true), rule("tiny", 0, false) ] })
}

fn s3_fit() -> Value {
    json!({ "total": 0, "band": "cold", "rules": [
        rule("big_amount", 0, false), missing("saas", "industry"),
        missing("has_champion", "champion"), missing("recent_touch", "last_touch"),
        rule("tiny", -50, true) ] })
}

fn expected() -> [Value; 2] {
    [
        json!({ "deal": "S1", "scores": { "fit": s1_fit(), "priority": {
            "total": 75, "band": "high", "rules": [
                rule("fit_hot", 50, true), rule("many_stakeholders", 25, true),
                rule("enterprise", 0, false) ] } } }),
        json!({ "deal": "S3", "scores": { "fit": s3_fit(), "priority": {
            "total": 0, "band": "low", "rules": [
                rule("fit_hot", 0, false), missing("many_stakeholders", "stakeholders"),
                rule("enterprise", 0, false) ] } } }),
    ]
}

const BAD_DEAL: &str =
    "error: <stdin>:6: deal `S2`: field `colour` is not declared in the playbook\n";

#[test]
fn jsonl_is_one_object_per_good_deal_and_the_bad_one_is_reported() {
    let (code, stdout, stderr) = score(&["--format", "jsonl"]);
    assert_eq!(code, 2, "a bad deal makes the exit code 2");
    assert_eq!(stderr, BAD_DEAL);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, expected());
    // Keys in the documented order: deal, then scores; each card total, band, rules.
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with(
        r#"{"deal":"S1","scores":{"fit":{"total":100,"band":"hot","rules":[{"id":"big_amount""#
    ));
}

#[test]
fn json_is_one_array_in_input_order() {
    let (code, stdout, stderr) = score(&["--format", "json"]);
    assert_eq!((code, stderr.as_str()), (2, BAD_DEAL));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc, json!(expected()));
}

#[test]
fn card_keeps_one_scorecard() {
    let (code, stdout, _) = score(&["--format", "jsonl", "--card", "fit"]);
    assert_eq!(code, 2);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            json!({ "deal": "S1", "scores": { "fit": s1_fit() } }),
            json!({ "deal": "S3", "scores": { "fit": s3_fit() } }),
        ]
    );
    // A card that reads another card's score still counts it.
    let (_, stdout, _) = score(&["--format", "jsonl", "--card", "priority"]);
    let first: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["scores"]["priority"]["total"], 75);
    assert!(first["scores"].get("fit").is_none());
}

#[test]
fn an_unknown_card_is_bad_usage_before_any_deal() {
    let (code, stdout, stderr) = score(&["--format", "jsonl", "--card", "fitt"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: `fitt` is not a scorecard of this playbook; it has fit, priority\n"
    );
}

#[test]
fn text_lists_totals_bands_and_matched_rules() {
    let (code, stdout, stderr) = score(&["--color", "never"]);
    assert_eq!((code, stderr.as_str()), (2, BAD_DEAL));
    assert_eq!(
        stdout,
        "S1  Fit score: 100 (hot) [+40 big_amount, +30 saas, +30 has_champion, +20 recent_touch]  \
         Priority: 75 (high) [+50 fit_hot, +25 many_stakeholders]\n\
         S3  Fit score: 0 (cold) [-50 tiny]  Priority: 0 (low)\n"
    );
}

#[test]
fn the_cli_scores_are_the_library_scores() {
    let engine = Engine::new(
        Playbook::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAYBOOK)).unwrap(),
    );
    let at = stagegate::parse_time("2026-11-27").unwrap();
    let deals: Vec<Deal> = DealReader::new(DEALS.as_bytes(), "deals.yaml")
        .map(|read| read.unwrap().0)
        .collect();
    assert_eq!(deals.len(), 3);
    let error = engine.score(&deals[1], at).unwrap_err();
    assert!(error.to_string().contains("field `colour` is not declared"));
    let [s1, s3] = expected();
    for (deal, want) in [(&deals[0], s1), (&deals[2], s3)] {
        let scores = engine.score(deal, at).unwrap();
        assert_eq!(serde_json::to_value(&scores).unwrap(), want["scores"]);
    }
}
