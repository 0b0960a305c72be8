//! One gate for deals: every command that reads deals refuses the same ones, reports each on
//! standard error with its file, line, id and every problem, leaves it out of every figure, and
//! exits 2 after writing everything else. Numbers beyond 64 bits are refused naming the deal and
//! the file's format.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use stagegate::analytics::{impact, Change, ImpactBook};
use stagegate::{Deal, DealReader, Engine, Playbook};

const PLAYBOOK: &str = "stagegate: 1
id: gate
version: 1
value: amount
fields:
  amount: { type: number }
  colour: { type: text }
stages:
  - { id: open, probability: 0.5 }
  - { id: won, outcome: won }
transitions:
  - { from: open, to: won }
";

/// GOOD fits; LOTS has a text for a number; UNDECL a field version 2 does not declare (version
/// 1 does, so `impact` sees a change); BIG a whole number beyond 64 bits.
const BOOK: &str = "id: GOOD
stage: open
fields: { amount: 1000 }
---
id: LOTS
stage: open
fields: { amount: lots }
---
id: UNDECL
stage: open
fields: { amount: 10, colour: red, size: big }
---
id: BIG
stage: open
fields: { amount: 100000000000000000000 }
";

/// Version 2: no `colour`, and the deals are migrated from version 1.
fn version_2() -> String {
    PLAYBOOK
        .replace("version: 1", "version: 2")
        .replace("  colour: { type: text }\n", "")
        + "migrations:\n  - { from: 1 }\n"
}

struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir =
            std::env::temp_dir().join(format!("stagegate-gate-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("v1.yaml"), PLAYBOOK).unwrap();
        std::fs::write(dir.join("v2.yaml"), version_2()).unwrap();
        std::fs::write(dir.join("book.yaml"), BOOK).unwrap();
        Folder(dir)
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = Command::cargo_bin("stagegate")
            .unwrap()
            .current_dir(&self.0)
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
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The three refused deals, each on a line of its own naming file, line, id and its problems.
fn assert_reported(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(
        lines[0],
        "error: book.yaml:5: deal `LOTS`: field `amount`: expected a number, got text `lots`"
    );
    assert!(
        lines[1].starts_with("error: book.yaml:9: deal `UNDECL`: "),
        "{stderr}"
    );
    assert!(
        lines[1].contains("field `size` is not declared"),
        "{stderr}"
    );
    // The line of the number itself.
    assert!(
        lines[2].starts_with("error: book.yaml:15: deal `BIG`: field `amount`: "),
        "{stderr}"
    );
    assert!(
        lines[2].contains(
            "`100000000000000000000` is a whole number beyond the largest one a YAML deal may hold"
        ),
        "{stderr}"
    );
}

#[test]
fn eval_and_score_leave_refused_deals_out_and_exit_2() {
    let folder = Folder::new("eval");
    for command in ["eval", "score"] {
        let (code, stdout, stderr) = folder.run(&[
            command,
            "v1.yaml",
            "book.yaml",
            "--at",
            "2026-11-27",
            "--format",
            "jsonl",
        ]);
        assert_eq!(code, 2, "{command}");
        assert_reported(&stderr);
        let deals: Vec<String> = stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["deal"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(deals, ["GOOD"], "{command}");
    }
}

#[test]
fn metrics_counts_refused_deals_only_as_anomalies() {
    let folder = Folder::new("metrics");
    let (code, stdout, stderr) = folder.run(&[
        "metrics",
        "v1.yaml",
        "book.yaml",
        "--at",
        "2026-11-27",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "exit 2 after the figures");
    assert_reported(&stderr);
    let metrics: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(metrics["deals"], 4);
    assert_eq!(metrics["open"], 1, "only GOOD is an open deal");
    assert_eq!(
        metrics["weighted_forecast"], 500.0,
        "only GOOD's value, at 50%"
    );
    let anomalies: Vec<(&str, &str)> = metrics["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["deal"].as_str().unwrap(), a["problem"].as_str().unwrap()))
        .collect();
    assert_eq!(anomalies.len(), 3);
    assert_eq!(
        anomalies[0],
        (
            "LOTS",
            "does not fit the playbook: field `amount`: expected a number, got text `lots`"
        )
    );
    assert_eq!(anomalies[1].0, "UNDECL");
    assert!(
        anomalies[2].1.contains("100000000000000000000"),
        "{anomalies:?}"
    );
}

#[test]
fn impact_reports_a_deal_one_version_refuses_as_a_change_and_leaves_out_the_rest() {
    let folder = Folder::new("impact");
    // Version 2 refuses UNDECL for `colour` too; version 1 refuses it for `size` only: both
    // refuse it. A deal with `colour` alone fits version 1 only.
    std::fs::write(
        folder.0.join("book.yaml"),
        format!("{BOOK}---\nid: COLOUR\nstage: open\nfields: {{ amount: 5, colour: red }}\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = folder.run(&[
        "impact",
        "v1.yaml",
        "v2.yaml",
        "book.yaml",
        "--at",
        "2026-11-27",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    assert_reported(&stderr);
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    let deals: Vec<&str> = printed["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deal"].as_str().unwrap())
        .collect();
    assert_eq!(deals, ["GOOD", "COLOUR"]);
    assert_eq!(printed["deals"][1]["changes"][0]["change"], "validity");
    let summary = &printed["summary"];
    assert_eq!(
        (
            summary["deals"].as_u64(),
            summary["changed"].as_u64(),
            summary["refused"].as_u64()
        ),
        (Some(2), Some(1), Some(3))
    );

    // The library says the same.
    let old = Engine::new(Playbook::from_yaml(PLAYBOOK, "v1.yaml").unwrap());
    let new = Engine::new(Playbook::from_yaml(&version_2(), "v2.yaml").unwrap());
    let at = stagegate::parse_time("2026-11-27").unwrap();
    let lots: Deal =
        serde_json::from_str(r#"{"id": "LOTS", "fields": {"amount": "lots"}}"#).unwrap();
    let refused = impact(&old, &new, &lots, "LOTS", at);
    assert!(refused.refused.is_some() && refused.changes.is_empty());
    let colour: Deal = serde_json::from_str(r#"{"id": "C", "fields": {"colour": "red"}}"#).unwrap();
    let changed = impact(&old, &new, &colour, "C", at);
    assert!(matches!(
        &changed.changes[..],
        [Change::Validity {
            before: None,
            after: Some(_)
        }]
    ));
    let mut book = ImpactBook::new();
    book.add(&refused);
    book.add(&changed);
    let summary = book.finish();
    assert_eq!((summary.deals, summary.changed, summary.refused), (1, 1, 1));
}

#[test]
fn migrate_writes_only_the_deals_that_fit() {
    let folder = Folder::new("migrate");
    let (code, stdout, stderr) = folder.run(&[
        "migrate",
        "v1.yaml",
        "v2.yaml",
        "book.yaml",
        "--at",
        "2026-11-27",
    ]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    assert!(stderr.contains("book.yaml:5: deal `LOTS`"), "{stderr}");
    assert!(stderr.contains("book.yaml:15: deal `BIG`"), "{stderr}");
    assert!(
        stdout.contains("id: GOOD") && !stdout.contains("LOTS"),
        "{stdout}"
    );
}

#[test]
fn test_reports_a_case_whose_deal_does_not_fit_and_leaves_it_out() {
    let folder = Folder::new("test");
    std::fs::write(
        folder.0.join("cases.yaml"),
        "- name: fits\n  deal: { stage: open, fields: { amount: 1 } }\n  expect: { allowed: [open>won] }\n\
         - name: lots\n  deal: { stage: open, fields: { amount: lots } }\n  expect: { allowed: [open>won] }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = folder.run(&["test", "v1.yaml", "cases.yaml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.starts_with(
            "cases.yaml:5:42: error[test-deal]: test `lots`: field `amount`: expected a number"
        ),
        "{stderr}"
    );
    assert_eq!(stdout.trim_end(), "1 passed, 0 failed");
}

#[test]
fn numbers_beyond_64_bits_name_the_deal_and_the_real_format() {
    for (name, text, format) in [
        (
            "yaml",
            "id: Y-1\nfields: { amount: 123456789012345678901234 }\n",
            "YAML",
        ),
        (
            "json",
            "{\"id\": \"J-1\", \"fields\": {\"amount\": 123456789012345678901234}}\n",
            "JSON",
        ),
        (
            "json-array",
            "[{\"id\": \"J-2\", \"fields\": {\"amount\": -99999999999999999999}}]",
            "JSON",
        ),
    ] {
        let mut reader = DealReader::new(text.as_bytes(), name);
        let error = reader.next().unwrap().expect_err(name);
        assert!(
            error.deal.ends_with(['1', '2']),
            "{name}: the deal's id, not its position: {error}"
        );
        let message = error.to_string();
        assert!(message.contains("field `amount`"), "{message}");
        assert!(
            message.contains(&format!("beyond the largest one a {format} deal may hold")),
            "{message}"
        );
        assert!(!message.contains("JSON number out of range"), "{message}");
    }
    // Beyond `f64`: an error in JSON naming the deal, never a text or an infinity.
    let mut reader = DealReader::new(
        "{\"id\": \"J-3\", \"fields\": {\"amount\": 1e400}}\n".as_bytes(),
        "x.jsonl",
    );
    let error = reader.next().unwrap().expect_err("1e400");
    assert_eq!(error.deal, "J-3");
    assert!(error
        .to_string()
        .contains("`1e400` is beyond the largest number a JSON deal may hold"));
    let playbook = Playbook::from_yaml(PLAYBOOK, "p.yaml").unwrap();
    let deal: Deal = serde_yaml::from_str("id: Y-3\nfields: { amount: 1e400 }\n").unwrap();
    let refused = playbook.check_deal(&deal).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("`1e400` is beyond the largest number"),
        "{refused}"
    );
}

#[test]
fn a_key_written_twice_in_a_deal_is_refused_not_decided_by_the_last() {
    let playbook = Playbook::from_yaml(PLAYBOOK, "p.yaml").unwrap();
    let engine = Engine::new(playbook);
    let at = stagegate::parse_time("2026-11-27").unwrap();
    for (name, text) in [
        ("yaml", "id: DUP\nfields:\n  amount: 10\n  amount: 20000\n"),
        (
            "json",
            "{\"id\": \"DUP\", \"fields\": {\"amount\": 10, \"amount\": 20000}}\n",
        ),
        (
            "activities",
            "{\"id\": \"DUP\", \"activities\": {\"a\": true, \"a\": false}}\n",
        ),
    ] {
        let error = DealReader::new(text.as_bytes(), name)
            .next()
            .unwrap()
            .expect_err(name);
        assert_eq!(error.deal, "DUP", "{name}");
        assert!(
            error.to_string().contains("is declared twice"),
            "{name}: {error}"
        );
    }
    // The quick JSON path of `score` refuses it too.
    let refused = stagegate::contract::score_json(
        &engine,
        "{\"id\": \"DUP\", \"fields\": {\"amount\": 10, \"amount\": 20000}}",
        at,
    )
    .expect_err("a field written twice");
    assert!(refused.to_string().contains("declared twice"), "{refused}");
}
