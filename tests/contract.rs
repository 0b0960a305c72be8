//! The JSON contract answers exactly what the command line prints, for every example deal: an
//! evaluation as `eval --format json`, scores as `score --format jsonl`; moves, approvals and
//! every kind of error have their documented shape.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use stagegate::contract::Contract;

const BUNDLED: &str = include_str!("../playbooks/b2b-sales.yaml");

fn contract() -> Contract {
    Contract::load(BUNDLED, "b2b-sales.yaml", Some("en")).unwrap()
}

fn stagegate(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stagegate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The example deals, one JSON text each.
fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/deals");
    let mut found = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("book.yaml"))
        .collect();
    files.sort();
    for path in files {
        let deal: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        found.push((path.to_string_lossy().into_owned(), deal.to_string()));
    }
    found
}

#[test]
fn evaluations_and_scores_are_the_command_lines_json() {
    let contract = contract();
    let deals = examples();
    assert!(deals.len() >= 11, "{}", deals.len());
    for (path, deal) in &deals {
        let printed: Value = serde_json::from_str(&stagegate(&[
            "eval",
            "playbooks/b2b-sales.yaml",
            path,
            "--format",
            "json",
            "--at",
            "2026-11-27",
            "--lang",
            "en",
        ]))
        .unwrap();
        let answered: Value =
            serde_json::from_str(&contract.evaluate(deal, "2026-11-27", None).unwrap()).unwrap();
        assert_eq!(answered, printed[0], "{path}");
        let printed = stagegate(&[
            "score",
            "playbooks/b2b-sales.yaml",
            path,
            "--format",
            "jsonl",
            "--at",
            "2026-11-27",
        ]);
        assert_eq!(
            contract.score(deal, "2026-11-27").unwrap(),
            printed.trim_end(),
            "{path}"
        );
    }
    // As an actor sees the moves: the same as `eval --as --role`.
    let (path, deal) = &deals[10];
    let printed: Value = serde_json::from_str(&stagegate(&[
        "eval",
        "playbooks/b2b-sales.yaml",
        path,
        "--format",
        "json",
        "--at",
        "2026-11-27",
        "--lang",
        "en",
        "--as",
        "han",
        "--role",
        "finance",
    ]))
    .unwrap();
    let answered: Value = serde_json::from_str(
        &contract
            .evaluate(
                deal,
                "2026-11-27",
                Some(r#"{"id": "han", "roles": ["finance"]}"#),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answered, printed[0]);
}

fn error(answer: Result<String, String>) -> Value {
    serde_json::from_str(&answer.unwrap_err()).unwrap()
}

#[test]
fn moves_approvals_and_errors_have_their_shapes() {
    let contract = contract();
    let discount = examples()
        .into_iter()
        .find(|(p, _)| p.ends_with("11-discount-approval.yaml"))
        .unwrap()
        .1;
    let deal: Value = serde_json::from_str(&discount).unwrap();
    // Blocked by the approval: `blocked`, with the move and its blockers.
    let blocked = error(contract.apply(
        &json!({ "deal": deal, "to": "closing", "actor": { "id": "yoon", "roles": ["rep"] }, "at": "2026-11-27" }).to_string(),
    ));
    assert_eq!(blocked["error"], "blocked");
    assert_eq!(blocked["move"]["blockers"][0]["reason"], "approval_missing");
    // The owner may not approve; Finance may; then the owner moves, with the move's effects.
    let own = error(contract.approve(
        &json!({ "deal": deal, "criterion": "discount_approved", "actor": { "id": "yoon", "roles": ["finance"] }, "at": "2026-11-27" }).to_string(),
    ));
    assert_eq!(
        (own["error"].clone(), own["roles"].clone()),
        (json!("forbidden"), json!(["finance"]))
    );
    let approved: Value = serde_json::from_str(
        &contract
            .approve(&json!({ "deal": deal, "criterion": "discount_approved", "actor": { "id": "han", "roles": ["finance"] }, "at": "2026-11-27" }).to_string())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(approved["approvals"]["discount_approved"]["by"], "han");
    let moved: Value = serde_json::from_str(
        &contract
            .apply(&json!({ "deal": approved, "to": "closing", "actor": { "id": "yoon", "roles": ["rep"] }, "at": "2026-11-28" }).to_string())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(moved["deal"]["stages"], json!(["closing"]));
    assert!(moved["effects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["activity"] == "contract_signing"));
    // A rep forcing: `forbidden`; no actor at all: `refused`; a bad request: `request`.
    let forced = error(contract.apply(
        &json!({ "deal": deal, "to": "closing", "force": "deadline", "actor": { "id": "yoon", "roles": ["rep"] }, "at": "2026-11-27" }).to_string(),
    ));
    assert_eq!(forced["error"], "forbidden");
    let nobody = error(
        contract.apply(&json!({ "deal": deal, "to": "closing", "at": "2026-11-27" }).to_string()),
    );
    assert_eq!(nobody["error"], "refused");
    assert!(nobody["message"].as_str().unwrap().contains("who makes it"));
    let typo = error(
        contract.apply(&json!({ "deal": deal, "too": "closing", "at": "2026-11-27" }).to_string()),
    );
    assert_eq!(typo["error"], "request");
    let actor = error(contract.evaluate(
        &discount,
        "2026-11-27",
        Some(r#"{"id": "x", "roles": ["manger"]}"#),
    ));
    assert!(
        actor["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `manager`"),
        "{actor}"
    );
    let late = error(contract.evaluate(&discount, "soon", None));
    assert_eq!(late["error"], "request");
    // A deal that does not fit: `deal`, with every problem.
    let unfit = error(contract.evaluate(
        r#"{"id": "D-9", "fields": {"budjet": 1}}"#,
        "2026-11-27",
        None,
    ));
    assert_eq!(
        (unfit["error"].clone(), unfit["deal"].clone()),
        (json!("deal"), json!("D-9"))
    );
    assert!(unfit["problems"][0]
        .as_str()
        .unwrap()
        .contains("did you mean `budget`"));
    // A playbook that does not load: `load`, with the diagnostics `check --format json` gives.
    let broken = "stagegate: 1\nid: p\nversion: 1\nstages: [{id: a, exit: [\"budgt > 1\"]}]\n";
    let load = error(Contract::load(broken, "p.yaml", None).map(|_| String::new()));
    assert_eq!(load["error"], "load");
    let checked: Value = serde_json::from_str(&Contract::check(broken, "p.yaml")).unwrap();
    assert_eq!(load["diagnostics"], checked);
    let lang = error(Contract::load(BUNDLED, "b2b-sales.yaml", Some("fr")).map(|_| String::new()));
    assert_eq!(lang["error"], "request");
}

#[test]
fn batches_answer_each_deal_as_single_calls_do_in_order_on_any_number_of_threads() {
    let contract = contract();
    let mut deals: Vec<String> = examples().into_iter().map(|(_, deal)| deal).collect();
    // Two that fail, each with its own error in its place, named by position when it has no id.
    deals.insert(3, r#"{"fields": {"budjet": 1}}"#.to_owned());
    deals.push("not json".to_owned());
    let singles: Vec<Result<String, String>> = deals
        .iter()
        .map(|deal| contract.evaluate(deal, "2026-11-27", None))
        .collect();
    for threads in [Some(1), Some(2), Some(5), Some(64), None] {
        let many = contract
            .evaluate_many(&deals, "2026-11-27", None, threads)
            .unwrap();
        assert_eq!(many.len(), deals.len());
        for (i, (many, single)) in many.iter().zip(&singles).enumerate() {
            match (many, single) {
                (Ok(many), Ok(single)) => assert_eq!(many, single, "deal {i}"),
                (Err(many), Err(_)) => {
                    let many: Value = serde_json::from_str(many).unwrap();
                    assert_eq!(many["error"], "deal", "deal {i}");
                    assert_eq!(many["deal"], format!("#{}", i + 1), "deal {i}");
                }
                other => panic!("deal {i}: {other:?}"),
            }
        }
    }
    // The JSON form: one array, errors in place.
    let array = format!("[{}]", deals[..4].join(","));
    let answered: Value = serde_json::from_str(
        &contract
            .evaluate_batch(&array, "2026-11-27", None, Some(2))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answered.as_array().unwrap().len(), 4);
    assert_eq!(answered[3]["error"], "deal");
    assert_eq!(
        answered[0],
        serde_json::from_str::<Value>(singles[0].as_ref().unwrap()).unwrap()
    );
    assert_eq!(
        error(contract.evaluate_batch("{}", "2026-11-27", None, None))["error"],
        "request"
    );
    assert_eq!(
        error(
            contract
                .score_many(&deals, "yesterday", None)
                .map(|_| String::new())
        )["error"],
        "request"
    );
    // An empty batch answers an empty array.
    assert_eq!(
        contract.score_batch("[]", "2026-11-27", None).unwrap(),
        "[]"
    );
}

#[test]
fn parts_of_a_batch_answered_apart_answer_as_the_whole_batch() {
    let contract = contract();
    let mut deals: Vec<String> = examples().into_iter().map(|(_, deal)| deal).collect();
    deals.insert(2, r#"{"fields": {"budjet": 1}}"#.to_owned());
    deals.push("not json".to_owned());
    let at = "2026-11-27";
    let whole = contract.evaluate_many(&deals, at, None, Some(1)).unwrap();
    let scored = contract.score_many(&deals, at, Some(1)).unwrap();
    for size in [1, 2, 3, deals.len()] {
        let mut evaluated = Vec::new();
        let mut scores = Vec::new();
        for (n, part) in deals.chunks(size).enumerate() {
            let first = n * size;
            evaluated.extend(
                contract
                    .evaluate_part(part, first, at, None, Some(2))
                    .unwrap(),
            );
            scores.extend(contract.score_part(part, first, at, None).unwrap());
        }
        assert_eq!(evaluated, whole, "parts of {size}");
        assert_eq!(scores, scored, "parts of {size}");
    }
    // The unnamed deals are named by their place in the whole batch, not in their part.
    let named: Value = serde_json::from_str(whole[2].as_ref().unwrap_err()).unwrap();
    assert_eq!(named["deal"], "#3");
    let last: Value = serde_json::from_str(whole[deals.len() - 1].as_ref().unwrap_err()).unwrap();
    assert_eq!(last["deal"], format!("#{}", deals.len()));
}

#[test]
fn scoring_a_batch_of_leads_prints_what_score_prints() {
    let x_education = include_str!("../examples/real-data/x-education/playbook.yaml");
    let contract = Contract::load(x_education, "playbook.yaml", None).unwrap();
    let origins = [
        "API",
        "Landing Page Submission",
        "Lead Add Form",
        "Lead Import",
    ];
    let leads: Vec<String> = (0..500)
        .map(|i| {
            json!({
                "id": format!("L-{i}"),
                "fields": {
                    "lead_origin": origins[i % origins.len()],
                    "website_seconds": (i * 37) % 2000,
                    "do_not_email": i % 7 == 0,
                }
            })
            .to_string()
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("stagegate-contract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("leads.jsonl");
    std::fs::write(&book, leads.join("\n") + "\n").unwrap();
    let printed = stagegate(&[
        "score",
        "examples/real-data/x-education/playbook.yaml",
        book.to_str().unwrap(),
        "--format",
        "jsonl",
        "--at",
        "2026-11-27",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let answered = contract.score_many(&leads, "2026-11-27", Some(3)).unwrap();
    let answered: Vec<String> = answered.into_iter().map(Result::unwrap).collect();
    assert_eq!(answered.join("\n"), printed.trim_end());
}

#[test]
fn tests_diagrams_and_migrations_are_the_command_lines() {
    let contract = contract();
    let loaded = Contract::load(BUNDLED, "playbooks/b2b-sales.yaml", Some("en")).unwrap();
    let report: Value = serde_json::from_str(&loaded.run_tests("2026-11-27").unwrap()).unwrap();
    let printed: Value = serde_json::from_str(&stagegate(&[
        "test",
        "playbooks/b2b-sales.yaml",
        "--format",
        "json",
        "--at",
        "2026-11-27",
        "--lang",
        "en",
    ]))
    .unwrap();
    assert_eq!(report, printed);
    let cases = report["cases"].as_array().unwrap();
    assert!(cases.len() > 30);
    assert!(cases.iter().all(|c| c["failures"] == json!([])));
    for format in ["mermaid", "dot"] {
        let printed = stagegate(&[
            "graph",
            "playbooks/b2b-sales.yaml",
            "--format",
            format,
            "--lang",
            "en",
        ]);
        assert_eq!(
            contract.diagram(format, None, None).unwrap().trim_end(),
            printed.trim_end(),
            "{format}"
        );
    }
    let (path, deal) = examples().remove(2);
    let printed = stagegate(&[
        "graph",
        "playbooks/b2b-sales.yaml",
        "--deal",
        &path,
        "--at",
        "2026-11-27",
        "--lang",
        "en",
    ]);
    assert_eq!(
        contract
            .diagram("mermaid", Some(&deal), Some("2026-11-27"))
            .unwrap()
            .trim_end(),
        printed.trim_end()
    );
    assert_eq!(
        error(contract.diagram("svg", None, None))["error"],
        "request"
    );
    assert_eq!(
        error(contract.diagram("dot", Some(&deal), None))["error"],
        "request"
    );

    // Version 2 renames a stage; a deal in it is carried over, recorded by who.
    let v2 = BUNDLED
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("needs_analysis", "discovery")
        + "\nmigrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n";
    let newer = Contract::load(&v2, "v2.yaml", Some("en")).unwrap();
    let deal = json!({"id": "ACME-7", "playbook": "b2b-sales@1", "stage": "needs_analysis",
        "history": [{"at": "2026-10-01", "to": "lead_generation"}]})
    .to_string();
    let moved: Value = serde_json::from_str(
        &newer
            .migrate(&contract, &deal, "2026-11-27", Some(r#"{"id": "kim"}"#))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(moved["stages"], json!(["discovery"]));
    assert_eq!(moved["playbook"], "b2b-sales@2");
    assert_eq!(moved["history"][1]["by"], "kim");
    assert_eq!(
        error(contract.migrate(&newer, &deal, "2026-11-27", None))["error"],
        "request"
    );
    let bare = Contract::load(
        &BUNDLED
            .replace("\nversion: 1\n", "\nversion: 2\n")
            .replace("needs_analysis", "discovery"),
        "v2.yaml",
        None,
    )
    .unwrap();
    let refused = error(bare.migrate(&contract, &deal, "2026-11-27", None));
    assert_eq!(refused["error"], "deal");
    assert!(refused["problems"][0]
        .as_str()
        .unwrap()
        .contains("no longer exists"));
}

#[test]
fn the_shared_corpus_is_answered_exactly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "{}", cases.len());
    for path in cases {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let playbook = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(case["playbook"].as_str().unwrap());
        let yaml = std::fs::read_to_string(&playbook).unwrap();
        let contract = Contract::load(
            &yaml,
            case["playbook"].as_str().unwrap(),
            case["lang"].as_str(),
        )
        .unwrap();
        let deal = case["deal"].to_string();
        let at = case["at"].as_str().unwrap();
        let answer = match case["call"].as_str().unwrap() {
            "evaluate" => contract.evaluate(&deal, at, None),
            "score" => contract.score(&deal, at),
            "metrics" => {
                let deals: Vec<String> = case["deals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(Value::to_string)
                    .collect();
                let by = case["by"].as_str();
                // The whole book as one partial, and as one partial per deal merged backwards.
                let whole = contract
                    .metrics_partial(&deals.join("\n"), at, by, 0)
                    .unwrap();
                let mut parts: Vec<String> = deals
                    .iter()
                    .enumerate()
                    .map(|(i, deal)| contract.metrics_partial(deal, at, by, i as u64).unwrap())
                    .collect();
                parts.reverse();
                let merged = contract
                    .metrics_merge(&format!("[{}]", parts.join(",")))
                    .unwrap();
                let from_parts = contract.metrics_finish(&merged);
                let answer = contract.metrics_finish(&whole);
                assert_eq!(from_parts, answer, "{}", path.display());
                answer
            }
            other => panic!("{}: unknown call {other}", path.display()),
        };
        let answer: Value = serde_json::from_str(&answer.unwrap()).unwrap();
        assert_eq!(answer, case["expected"], "{}", path.display());
    }
}

#[test]
fn impact_is_the_command_lines_line_for_every_example_deal() {
    let newer_text = BUNDLED
        .replacen("budget >= 10_000", "budget >= 60_000", 1)
        .replacen("timeline_days <= 180", "timeline_days <= 90", 1);
    assert_ne!(newer_text, BUNDLED);
    let dir =
        std::env::temp_dir().join(format!("stagegate-contract-impact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let newer_path = dir.join("newer.yaml");
    std::fs::write(&newer_path, &newer_text).unwrap();
    let newer = Contract::load(&newer_text, "newer.yaml", Some("en")).unwrap();
    let older = contract();
    let mut changed = 0;
    for (path, deal) in examples() {
        let printed = stagegate(&[
            "impact",
            "playbooks/b2b-sales.yaml",
            newer_path.to_str().unwrap(),
            &path,
            "--format",
            "jsonl",
            "--at",
            "2026-11-27",
            "--lang",
            "en",
        ]);
        let line: Value = serde_json::from_str(printed.lines().next().unwrap()).unwrap();
        let answered: Value =
            serde_json::from_str(&newer.impact(&older, &deal, "2026-11-27").unwrap()).unwrap();
        assert_eq!(answered, line, "{path}");
        changed += usize::from(!answered["changes"].as_array().unwrap().is_empty());
    }
    assert!(changed >= 1, "the change shows on a deal: {changed}");
    let refused = newer.impact(
        &older,
        r#"{"id": "X", "fields": {"budget": "lots"}}"#,
        "2026-11-27",
    );
    assert_eq!(error(refused)["error"], "deal");
    let _ = std::fs::remove_dir_all(&dir);
}
