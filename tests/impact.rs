//! `impact` between two versions of a fixture playbook (tests/fixtures/impact).
//!
//! v2 against v1: qualify's exit gains `big_enough` (amount >= 20000: tighter); negotiate's entry
//! `fit_hot` asks for band warm instead of hot (looser); the `warm` band of `fit` starts at 30
//! instead of 40; the return propose → qualify is gone; the skip qualify → negotiate is new.
//! `fit` = big_amount (amount >= 10000) 40 + has_champion 30.
//!
//! | deal | stage     | amount | champion | need | fit        | expected changes                        |
//! |------|-----------|-------:|----------|------|------------|-----------------------------------------|
//! | I1   | qualify   |  15000 | yes      | yes  | 70 hot     | → propose now blocked (big_enough); + → negotiate (blocked by big_enough) |
//! | I2   | propose   |  12000 | no       | yes  | 40 warm    | → negotiate now allowed; - → qualify    |
//! | I3   | propose   |   5000 | yes      | yes  | 30 cold→warm | → negotiate now allowed; - → qualify; fit band cold → warm |
//! | I4   | qualify   |  15000 | -        | -    | 40 warm    | → propose stays blocked, + big_enough; + → negotiate (blocked) |
//! | I5   | negotiate |  50000 | yes      | yes  | 70 hot     | nothing                                 |
//! | I6   | qualify   |  30000 | yes      | yes  | 70 hot     | + → negotiate (allowed)                 |
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use common::stagegate as run;
use serde_json::{json, Value};
use stagegate::analytics::{DealImpact, ImpactBook, ImpactLine};
use stagegate::{DealReader, Engine, Playbook};

const V1: &str = "tests/fixtures/impact/v1.yaml";
const V2: &str = "tests/fixtures/impact/v2.yaml";
const DEALS: &str = "tests/fixtures/impact/deals.yaml";

fn engine(path: &str) -> Engine {
    Engine::new(Playbook::load(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap())
}

/// Every fixture deal's impact, through the library.
fn impacts() -> Vec<DealImpact> {
    let (old, new) = (engine(V1), engine(V2));
    let at = stagegate::parse_time("2026-07-01").unwrap();
    let file = File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEALS)).unwrap();
    DealReader::new(BufReader::new(file), DEALS)
        .map(|read| {
            let (deal, origin) = read.unwrap();
            stagegate::analytics::impact(&old, &new, &deal, &origin.label(&deal), at)
        })
        .collect()
}

fn impact_cli(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["impact", V1, V2, DEALS, "--at", "2026-07-01"];
    args.extend_from_slice(extra);
    run(&args)
}

/// The expected changes of each deal, as `impact` writes them in JSON.
fn expected() -> Value {
    let removed = json!({ "change": "removed", "from": "propose", "to": "qualify" });
    let now_allowed =
        json!({ "change": "now_allowed", "from": "propose", "to": "negotiate", "kind": "advance" });
    let added = |allowed: bool| json!({ "change": "added", "from": "qualify", "to": "negotiate", "allowed": allowed });
    json!({
        "I1": [
            { "change": "now_blocked", "from": "qualify", "to": "propose", "kind": "advance",
              "blockers": [ { "gate": "exit", "reason": "failed", "criterion": "big_enough",
                              "message": "condition not met: amount >= 20_000",
                              "values": { "amount": 15000 } } ] },
            added(false),
        ],
        "I2": [now_allowed, removed],
        "I3": [
            now_allowed, removed,
            { "change": "score", "card": "fit", "total_before": 30, "total_after": 30,
              "band_before": "cold", "band_after": "warm" },
        ],
        "I4": [
            { "change": "reasons_changed", "from": "qualify", "to": "propose",
              "before": ["need_known", "champion_ok"],
              "after": ["need_known", "big_enough", "champion_ok"] },
            added(false),
        ],
        "I5": [],
        "I6": [added(true)],
    })
}

#[test]
fn each_deal_gets_exactly_its_changes() {
    let impacts = impacts();
    let labels: Vec<&str> = impacts.iter().map(|i| i.deal.as_str()).collect();
    assert_eq!(labels, ["I1", "I2", "I3", "I4", "I5", "I6"]);
    let expected = expected();
    for impact in &impacts {
        assert_eq!(
            serde_json::to_value(&impact.changes).unwrap(),
            expected[&impact.deal],
            "changes of {}",
            impact.deal
        );
    }
    let stages: Vec<&str> = impacts.iter().map(|i| i.stages[0].as_str()).collect();
    assert_eq!(
        stages,
        [
            "qualify",
            "propose",
            "propose",
            "qualify",
            "negotiate",
            "qualify"
        ]
    );
}

#[test]
fn the_summary_counts_deals_per_change_most_first() {
    let mut book = ImpactBook::new();
    for impact in impacts() {
        book.add(&impact);
    }
    let summary = book.finish();
    assert_eq!((summary.deals, summary.changed), (6, 5));
    let line = |deals: u64, change: &str| ImpactLine {
        deals,
        change: change.to_owned(),
    };
    assert_eq!(
        summary.lines,
        [
            line(
                2,
                "in `propose` can no longer move to `qualify` at all: the move is gone"
            ),
            line(2, "in `propose` can now advance to `negotiate`"),
            line(
                2,
                "in `qualify` can take a new move to `negotiate` (blocked for now)"
            ),
            line(
                1,
                "in `qualify` can no longer advance to `propose`: big_enough"
            ),
            line(
                1,
                "in `qualify` can take a new move to `negotiate` (allowed)"
            ),
            line(
                1,
                "in `qualify` still cannot move to `propose`, now because of: need_known, \
                 big_enough, champion_ok"
            ),
            line(1, "with `fit` band cold → warm"),
        ]
    );
}

#[test]
fn a_deal_counts_once_per_line_and_a_playbook_against_itself_changes_nothing() {
    let mut book = ImpactBook::new();
    let impacts = impacts();
    // The same deal twice: two deals on each of its lines.
    book.add(&impacts[0]);
    book.add(&impacts[0]);
    let summary = book.finish();
    assert_eq!(
        (summary.deals, summary.changed, summary.lines.len()),
        (2, 2, 2)
    );
    assert!(summary.lines.iter().all(|l| l.deals == 2));

    let (code, stdout, _) = run(&["impact", V2, V2, DEALS, "--at", "2026-07-01"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "\nsummary: 0 of 6 deals change\n");
}

#[test]
fn text_output_snapshot() {
    let (code, stdout, stderr) = impact_cli(&["--color", "never"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // Deals without changes are left out unless --all.
    assert!(!stdout.contains("I5"));
    assert!(stdout.contains("  ✗ qualify → propose (advance) is now blocked: big_enough\n"));
    assert!(stdout.contains("  # fit: 30 (cold) → 30 (warm)\n"));
    assert!(stdout.contains("\nsummary: 5 of 6 deals change\n"));
    assert!(stdout.contains("  1 deal with `fit` band cold → warm\n"));
    assert!(stdout.contains("  2 deals in `propose` can now advance to `negotiate`\n"));
    insta::assert_snapshot!("impact_text", stdout);

    let (_, all, _) = impact_cli(&["--color", "never", "--all"]);
    assert!(all.contains("I5 (negotiate)\n  no change\n"));
    assert_eq!(all.replace("I5 (negotiate)\n  no change\n", ""), stdout);
}

#[test]
fn jsonl_is_one_line_per_deal_then_the_summary() {
    let (code, stdout, _) = impact_cli(&["--format", "jsonl"]);
    assert_eq!(code, 0);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    let expected = expected();
    for line in &lines[..6] {
        let deal = line["deal"].as_str().unwrap();
        assert_eq!(line["changes"], expected[deal], "changes of {deal}");
    }
    assert_eq!(lines[6]["summary"]["deals"], 6);
    assert_eq!(lines[6]["summary"]["changed"], 5);
    assert_eq!(lines[6]["summary"]["lines"].as_array().unwrap().len(), 7);
}

#[test]
fn json_is_one_document_with_deals_and_summary() {
    let (code, stdout, _) = impact_cli(&["--format", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let deals = doc["deals"].as_array().unwrap();
    assert_eq!(deals.len(), 6);
    assert_eq!(deals[2]["deal"], "I3");
    assert_eq!(deals[2]["changes"], expected()["I3"]);
    assert_eq!(
        doc["summary"]["lines"][0],
        json!({ "deals": 2,
                "change": "in `propose` can no longer move to `qualify` at all: the move is gone" })
    );
}

#[test]
fn an_unreadable_deal_is_reported_and_the_others_compared() {
    let file = "tests/fixtures/impact/unreadable.yaml";
    let args = [
        "impact",
        V1,
        V2,
        file,
        "--at",
        "2026-07-01",
        "--format",
        "jsonl",
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 2);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // X1 is I3 again: the same three changes; then the summary counts the one readable deal.
    assert_eq!(lines.len(), 2, "X1 and the summary");
    assert_eq!(lines[0]["deal"], "X1");
    assert_eq!(lines[0]["changes"], expected()["I3"]);
    assert_eq!(lines[1]["summary"]["deals"], 1);
    assert_eq!(
        stderr,
        "error: tests/fixtures/impact/unreadable.yaml:7: deal `X2`: unknown key `stagez` (did you \
         mean `stage`?)\n"
    );
}

#[test]
fn who_may_make_or_force_a_move_is_a_change_in_text_and_json() {
    let (v1, v2) = (
        "tests/fixtures/impact/roles-v1.yaml",
        "tests/fixtures/impact/roles-v2.yaml",
    );
    let deals = "tests/fixtures/impact/roles-deals.yaml";
    // `permissions.move` is listed in another order, the same roles: no change of its own.
    let won = json!({ "change": "actors_changed", "from": "propose", "to": "won",
        "move_before": ["owner", "manager"], "move_after": ["manager", "owner"],
        "by_before": ["manager"], "by_after": ["admin"],
        "force_before": [], "force_after": ["admin"] });
    let lost = json!({ "change": "actors_changed", "from": "propose", "to": "lost",
        "move_before": ["owner", "manager"], "move_after": ["manager", "owner"],
        "by_before": [], "by_after": [],
        "force_before": [], "force_after": ["admin"] });

    let deal: stagegate::Deal =
        serde_json::from_value(json!({ "id": "R1", "owner": "lee", "stage": "propose" })).unwrap();
    let at = stagegate::parse_time("2026-07-01").unwrap();
    let found = stagegate::analytics::impact(&engine(v1), &engine(v2), &deal, "R1", at);
    assert_eq!(
        serde_json::to_value(&found.changes).unwrap(),
        json!([won, lost])
    );
    assert_eq!(
        found.changes[0].who_may_act().as_deref(),
        Some("by: manager → admin; permissions.force: anyone → admin")
    );
    // A playbook against itself: nobody's rights change.
    let same = stagegate::analytics::impact(&engine(v2), &engine(v2), &deal, "R1", at);
    assert!(same.changes.is_empty(), "{:?}", same.changes);

    let (code, stdout, stderr) = run(&["impact", v1, v2, deals, "--at", "2026-07-01"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "R1 (propose)
  @ propose → won: who may act changes: by: manager → admin; permissions.force: anyone → admin
  @ propose → lost: who may act changes: permissions.force: anyone → admin

summary: 1 of 1 deals change
  1 deal in `propose`: who may act on the move to `lost` changes: permissions.force: anyone → admin
  1 deal in `propose`: who may act on the move to `won` changes: by: manager → admin; permissions.force: anyone → admin
"
    );
    let (code, stdout, _) = run(&[
        "impact",
        v1,
        v2,
        deals,
        "--at",
        "2026-07-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["deals"][0]["changes"], json!([won, lost]));
    assert_eq!(doc["summary"]["changed"], 1);
}
