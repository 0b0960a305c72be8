//! The `stagegate` binary: exit codes, diagnostics, JSON shapes and moves, run for real.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use common::{at, deal, engine};
use serde_json::{json, Value};
use stagegate::{Deal, DealReader, Move, Options};

/// Runs `stagegate` in the crate's folder (so paths in messages are relative), without colour:
/// exit code, standard output and standard error.
fn outcome(args: &[&str]) -> (i32, String, String) {
    let mut command = Command::cargo_bin("stagegate").unwrap();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    let output = command.args(args).output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).unwrap();
    (
        output.status.code().unwrap(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

/// `outcome` of a command line whose arguments hold no spaces. `$PB` is the fixture playbook,
/// `@name` the fixture deal `name`; `eval` and `move` get `--at 2026-11-27`.
fn sg(line: &str) -> (i32, String, String) {
    let mut args: Vec<String> = line
        .split_whitespace()
        .map(|arg| match arg {
            "$PB" => "tests/fixtures/playbook.yaml".to_owned(),
            _ if arg.starts_with('@') => format!("tests/fixtures/deals/{}.yaml", &arg[1..]),
            _ => arg.to_owned(),
        })
        .collect();
    if matches!(args[0].as_str(), "eval" | "move") && !args.iter().any(|a| a == "--at") {
        args.extend(["--at".to_owned(), "2026-11-27".to_owned()]);
    }
    outcome(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "`{part}` is not in:\n{text}");
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

fn one_deal(yaml: &str) -> Deal {
    DealReader::new(yaml.as_bytes(), "stdout")
        .next()
        .unwrap()
        .unwrap()
        .0
}

#[test]
fn check_the_bundled_playbook() {
    let (code, out, err) = sg("check playbooks/b2b-sales.yaml");
    assert_eq!(code, 0, "{out}{err}");
    assert_has(&out, "playbooks/b2b-sales.yaml: ok (0 errors");
    assert!(!out.contains("error["), "{out}");
    // The fixture playbook has neither errors nor warnings.
    let (code, out, _) = sg("check $PB");
    assert_eq!(
        (code, out.trim()),
        (0, "tests/fixtures/playbook.yaml: ok (0 errors, 0 warnings)")
    );
}

#[test]
fn check_a_broken_playbook() {
    let (code, out, _) =
        sg("check tests/fixtures/broken/rules.yaml tests/fixtures/broken/unknown-key.yaml");
    assert_eq!(code, 1);
    // Each error: `path:line:col: error[code]: message`, the source line, a caret under the spot.
    let lines: Vec<&str> = out.lines().collect();
    let expected = [
        (
            "rules.yaml:10:33: error[unknown-name]: `budgt` is not a declared field",
            "budgt",
        ),
        (
            "rules.yaml:14:23: error[unknown-stage]: `wonn` is not a stage of this playbook",
            "wonn",
        ),
        (
            "unknown-key.yaml:6:5: error[unknown-key]: stage `open`: unknown key `titel`",
            "titel",
        ),
    ];
    for (heading, spot) in expected {
        let heading = format!("tests/fixtures/broken/{heading}");
        let found = lines.iter().position(|l| *l == heading);
        let at = found.unwrap_or_else(|| panic!("no `{heading}` in\n{out}"));
        let (source, caret) = (lines[at + 1], lines[at + 2]);
        let column = source.find(spot).unwrap();
        assert_eq!(
            caret.find('^'),
            Some(column),
            "the caret is under `{spot}`:\n{source}\n{caret}"
        );
        assert!(
            lines[at + 3].starts_with(" help: did you mean"),
            "{}",
            lines[at + 3]
        );
    }
    assert_has(
        &out,
        "tests/fixtures/broken/rules.yaml: invalid (2 errors, 0 warnings)",
    );
    assert_has(
        &out,
        "tests/fixtures/broken/unknown-key.yaml: invalid (1 error, 0 warnings)",
    );
}

#[test]
fn check_as_json() {
    let (code, out, _) = sg("check --format json tests/fixtures/broken/rules.yaml");
    assert_eq!(code, 1);
    let found: Vec<Value> = serde_json::from_str(&out).unwrap();
    // The broken transition would also make `open` a dead end and `won` unreachable; those
    // warnings wait until the errors are fixed.
    assert_eq!(found.len(), 2, "two errors");
    let base = set(&["severity", "code", "message", "file", "line", "column"]);
    for d in &found {
        let k = keys(d);
        assert_eq!(k, &base | &set(&["help"]), "{d}");
        assert_eq!(d["file"], "tests/fixtures/broken/rules.yaml");
    }
    let first = found.iter().find(|d| d["severity"] == "error").unwrap();
    let expected = json!({
        "severity": "error", "code": "unknown-name", "message": "`budgt` is not a declared field",
        "file": "tests/fixtures/broken/rules.yaml", "line": 10, "column": 33, "help": "did you mean `budget`?"
    });
    assert_eq!(first, &expected);
    let (code, out, _) = sg("check --format json playbooks/b2b-sales.yaml");
    assert_eq!(code, 0);
    let found: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(found.iter().all(|d| d["severity"] == "warning"), "{out}");
}

#[test]
fn eval_as_json_matches_the_library() {
    let (code, out, err) = sg("eval $PB @every-reason-listed @join-two-stages --format json");
    assert_eq!(code, 0, "{err}");
    let found: Vec<Value> = serde_json::from_str(&out).unwrap();
    let library = |name| {
        serde_json::to_value(
            engine()
                .evaluate(&deal(name), at(), &Options::new())
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(
        found,
        [library("every-reason-listed"), library("join-two-stages")]
    );
    // The keys of the contract.
    let top = set(&[
        "deal",
        "playbook",
        "at",
        "stages",
        "scores",
        "transitions",
        "warnings",
        "next_steps",
    ]);
    assert_eq!(keys(&found[0]), top);
    assert_eq!(
        (&found[0]["deal"], &found[0]["at"]),
        (&json!("F-MANY"), &json!("2026-11-27T00:00:00Z"))
    );
    assert_eq!(
        keys(&found[0]["scores"]["fit"]),
        set(&["total", "band", "rules"])
    );
    let rule = &found[0]["scores"]["fit"]["rules"][0];
    assert_eq!(
        rule,
        &json!({"id": "big_amount", "points": 0, "matched": false, "missing": ["amount"]})
    );
    let advance = &found[0]["transitions"][0];
    assert_eq!(
        keys(advance),
        set(&["from", "to", "kind", "allowed", "blockers"])
    );
    let blockers = advance["blockers"].as_array().unwrap();
    assert_eq!(
        keys(&blockers[0]),
        set(&["gate", "reason", "activity", "message"])
    );
    assert_eq!(
        keys(&blockers[1]),
        set(&["gate", "reason", "criterion", "message", "values"])
    );
    assert_eq!(
        keys(&blockers[2]),
        set(&["gate", "reason", "criterion", "message", "fields"])
    );
    assert_eq!(
        (&blockers[1]["gate"], &blockers[1]["reason"]),
        (&json!("exit"), &json!("failed"))
    );
    assert_eq!(blockers[3]["values"], json!({"last_touch": "2026-09-01"}));
    assert_eq!(found[1]["stages"], json!(["qualify", "propose"]));
}

#[test]
fn eval_jsonl_is_one_line_per_deal_in_input_order() {
    let line = "eval $PB @stalled @advance-allowed @korean-text --format jsonl";
    let (code, out, _) = sg(line);
    assert_eq!(code, 0);
    let found: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&Value> = found.iter().map(|v| &v["deal"]).collect();
    assert_eq!(ids, ["F-STALLED", "F-ADVANCE", "F-KO"]);
    let stalled = json!({"kind": "stalled", "stage": "qualify", "days": 45, "max_days": 30,
        "since": "entered", "message": "stalled: 45 days in Qualify (max 30)"});
    assert_eq!(found[0]["warnings"], json!([stalled]));
    // Same inputs and --at, same output.
    assert_eq!(sg(line).1, out);
}

#[test]
fn eval_reports_bad_deals_and_goes_on() {
    let (code, out, err) = sg("eval $PB tests/fixtures/streams/mixed.jsonl --format jsonl");
    assert_eq!(code, 2);
    let ids: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["deal"].clone())
        .collect();
    assert_eq!(ids, ["S-1", "S-4"]);
    let errors: Vec<&str> = err.lines().collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(
        errors[0].starts_with("error: tests/fixtures/streams/mixed.jsonl:2: deal `#2`: "),
        "{err}"
    );
    let bad = "error: tests/fixtures/streams/mixed.jsonl:3: deal `S-3`: stages: unknown stage `qualfy` \
               (did you mean `qualify`?); field `employees`: expected a whole number, got text `many`";
    assert_eq!(errors[1], bad);
}

#[test]
fn move_prints_the_updated_deal() {
    let (code, out, err) = sg("move $PB @skip-allowed --to close");
    assert_eq!(code, 0, "{err}");
    let expected = engine()
        .apply(&deal("skip-allowed"), &Move::to("close"), at())
        .unwrap()
        .deal;
    assert_eq!(one_deal(&out), expected);
    assert_has(
        &out,
        "- at: 2026-11-27T00:00:00Z\n  from: qualify\n  to: close\n  kind: skip\n",
    );
    // As JSON.
    let json: Value =
        serde_json::from_str(&sg("move $PB @skip-allowed --to close --format json").1).unwrap();
    assert_eq!(json, serde_json::to_value(&expected).unwrap());
}

#[test]
fn a_blocked_move() {
    let (code, out, err) = sg("move $PB @every-reason-listed --to propose");
    assert_eq!(code, 3);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.starts_with("blocked: deal `F-MANY`: the move from `qualify` to `propose` is blocked:"),
        "{err}"
    );
    let names = [
        "discovery",
        "fit_warm",
        "budget_known",
        "touched_recently",
        "fit_enough",
        "not_tiny",
    ];
    for name in names {
        assert_has(&err, &format!(" {name}"));
    }
    assert_has(&err, "--force --reason");
}

#[test]
fn a_forced_move() {
    let file = "tests/fixtures/deals/every-reason-listed.yaml";
    let force = ["--force", "--reason", "CEO approved", "--at", "2026-11-27"];
    let args: Vec<&str> = [
        "move",
        "tests/fixtures/playbook.yaml",
        file,
        "--to",
        "propose",
    ]
    .into_iter()
    .chain(force)
    .collect();
    let (code, out, err) = outcome(&args);
    assert_eq!(code, 0, "{err}");
    let last = one_deal(&out).history.pop().unwrap();
    assert!(last.forced);
    assert_eq!(last.reason.as_deref(), Some("CEO approved"));
    assert_eq!(last.overridden.len(), 6);
    assert_has(&out, "forced: true");
    assert_has(&out, "reason: CEO approved");

    // --force without --reason is a usage error.
    let (code, out, err) = sg("move $PB @every-reason-listed --to propose --force");
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert_has(&err, "--reason");
}

#[test]
fn move_errors_are_usage_errors() {
    let (code, _, err) = sg("move $PB @join-two-stages --to close");
    assert_eq!(code, 2);
    assert_has(
        &err,
        "deal `F-JOIN`: the deal could move to `close` from `qualify` or `propose`",
    );
    let (code, out, _) = sg("move $PB @join-two-stages --to close --from propose");
    assert_eq!(code, 0);
    assert_has(&out, "stages:\n- qualify\n- close\n");
    let (code, _, err) = sg("move $PB @join-two-stages --to clos");
    assert_eq!(code, 2);
    assert_has(&err, "unknown stage `clos` (did you mean `close`?)");
}

#[test]
fn korean_with_lang() {
    let (code, out, _) = sg("eval $PB @korean-text --lang ko");
    assert_eq!(code, 0);
    assert!(out.starts_with("F-KO  자격 검증  fixture@3"), "{out}");
    assert_has(&out, "적합도 점수: 30 (cold)");
    assert_has(&out, "→ 제안 (전진)");
    assert_has(&out, "필수 활동이 완료되지 않았습니다: 디스커버리 콜");
    let (_, english, _) = sg("eval $PB @korean-text");
    assert!(english.starts_with("F-KO  Qualify  fixture@3"), "{english}");
    assert!(!english.contains('\u{1b}'), "NO_COLOR: no escape codes");
}

#[test]
fn a_language_the_playbook_lacks_is_a_usage_error_naming_its_languages() {
    for command in [
        "eval $PB @korean-text",
        "score $PB @korean-text",
        "graph $PB",
    ] {
        let (code, out, err) = sg(&format!("{command} --lang kr"));
        assert_eq!(code, 2, "{command}");
        if !command.starts_with("check") {
            assert_eq!(out, "", "{command}");
        }
        assert_eq!(
            err.trim_end(),
            "error: --lang kr: tests/fixtures/playbook.yaml: the playbook is not written in `kr`; \
             its languages are `en` and `ko` (did you mean `ko`?)"
        );
    }
    let (code, _, err) = sg("eval $PB @korean-text --lang fr");
    assert_eq!(code, 2);
    assert_has(
        &err,
        "not written in `fr`; its languages are `en` and `ko`\n",
    );
}

#[test]
fn missing_files_and_bad_times_are_usage_errors() {
    let (code, _, err) = sg("eval $PB @nope");
    assert_eq!(code, 2);
    assert_has(
        &err,
        "cannot read `tests/fixtures/deals/nope.yaml`: no such file",
    );
    let (code, _, err) = sg("eval nope.yaml @stalled");
    assert_eq!(code, 2);
    assert_has(&err, "cannot read `nope.yaml`: no such file");
    let (code, _, err) = sg("check nope.yaml");
    assert_eq!(code, 2);
    assert_has(&err, "cannot read `nope.yaml`");
    let (code, out, err) = sg("eval $PB @stalled --at notadate");
    assert_eq!((code, out.as_str()), (2, ""));
    let expected =
        "error: --at: `notadate` is not a date or time: write a date (2026-11-27), a date-time in the playbook's time zone (2026-11-27 15:30) or one with its offset (2026-11-27T15:30:00+09:00, 2026-11-27T06:30:00Z)";
    assert_eq!(err.trim(), expected);
    assert_eq!(sg("move $PB @stalled --to propose --at notadate").0, 2);
}

#[test]
fn eval_reads_standard_input() {
    let input = "{\"id\": \"IN-1\"}\n{\"id\": \"IN-2\", \"stages\": [\"qualify\"]}\n";
    let mut command = Command::cargo_bin("stagegate").unwrap();
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    let args = [
        "eval",
        "tests/fixtures/playbook.yaml",
        "-",
        "--at",
        "2026-11-27",
        "--format",
        "jsonl",
    ];
    let output = command.args(args).write_stdin(input).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = String::from_utf8(output.stdout).unwrap();
    let found: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        (&found[0]["deal"], &found[1]["stages"]),
        (&json!("IN-1"), &json!(["qualify"]))
    );
    assert_eq!(found.len(), 2);
}

#[test]
fn eval_text_names_what_is_missing_beside_the_criterions_own_message() {
    let (code, out, _) = outcome(&[
        "eval",
        "playbooks/b2b-sales.yaml",
        "examples/deals/02-blocked-bant.yaml",
        "--at",
        "2026-11-27",
        "--lang",
        "en",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_has(
        &out,
        "exit gate bant_authority [missing: decision_maker]: Authority: find out who",
    );
    assert_has(
        &out,
        "entry gate sponsor_access [missing: champion, decision_maker]: ",
    );
    // A required activity is named by the blocker itself.
    assert_has(&out, "exit gate discovery_call [activity not done]: ");
}

/// Every command stops quietly when the reader of its output goes away (`| head`): no message, no
/// panic, exit code 0. The reading end is closed before the command writes, many times over.
#[test]
fn every_command_stops_quietly_when_its_output_is_closed() {
    let deals = "examples/deals/01-qualified-lead.yaml";
    let book = "examples/deals/book.yaml";
    let pb = "playbooks/b2b-sales.yaml";
    let at = ["--at", "2026-11-27"];
    let commands: Vec<Vec<&str>> = vec![
        vec!["schema"],
        vec!["graph", pb],
        vec!["check", pb, "examples/real-data/maven/playbook.yaml"],
        vec!["test", pb],
        [vec!["metrics", pb, book], at.to_vec()].concat(),
        [vec!["eval", pb, book], at.to_vec()].concat(),
        [vec!["score", pb, book], at.to_vec()].concat(),
        [vec!["impact", pb, pb, book], at.to_vec()].concat(),
        [
            vec!["move", pb, deals, "--to", "needs_analysis", "--as", "yoon"],
            at.to_vec(),
        ]
        .concat(),
    ];
    for args in &commands {
        for _ in 0..10 {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stagegate"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            drop(child.stdout.take());
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.is_empty(), "{args:?}: {stderr}");
            assert_eq!(output.status.code(), Some(0), "{args:?}");
        }
    }
}
