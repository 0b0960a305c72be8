//! The JSON Schemas of every JSON answer (`schema/*.schema.json`, `stagegate schema <name>`):
//! the files are what the code generates, every schema is a valid draft-07 schema with every
//! property described, and every answer of the contract and every JSON the command line prints,
//! over every example deal and the real-data playbooks' cases, is valid against its schema, while
//! answers with a key renamed, added or of the wrong type are not.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::stagegate;
use jsonschema::Validator;
use serde_json::{json, Value};
use stagegate::contract::{response_schema, Contract, SCHEMA_NAMES};

const BUNDLED: &str = "playbooks/b2b-sales.yaml";
const AT: &str = "2026-11-27";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The schema file `schema/<name>.schema.json`, as hosts read it.
fn schema_file(name: &str) -> Value {
    let path = root().join(format!("schema/{name}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn validator(name: &str) -> Validator {
    jsonschema::draft7::new(&schema_file(name)).expect("the schema compiles")
}

/// Every validation error of `instance` against the schema `name`.
fn problems(name: &str, instance: &Value) -> Vec<String> {
    validator(name)
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(name: &str, instance: &Value, what: &str) {
    let found = problems(name, instance);
    assert!(found.is_empty(), "{what} against {name}: {found:#?}");
}

fn assert_invalid(name: &str, instance: &Value, what: &str) {
    assert!(
        !problems(name, instance).is_empty(),
        "{what} should not be valid against {name}"
    );
}

/// Runs the command line in the crate's folder: exit code, standard output, standard error.
/// The command's standard output as JSON, checking its exit code.
fn printed(args: &[&str], code: i32) -> Value {
    let (found, out, err) = stagegate(args);
    assert_eq!(found, code, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// The command's standard output as JSON Lines, checking its exit code.
fn printed_lines(args: &[&str], code: i32) -> Vec<Value> {
    let (found, out, err) = stagegate(args);
    assert_eq!(found, code, "{args:?}: {err}");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {l}")))
        .collect()
}

/// The example deal files (one deal each), sorted.
fn example_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples/deals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("book.yaml"))
        .map(|p| {
            format!(
                "examples/deals/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 11, "{files:?}");
    files
}

fn yaml_file(path: &str) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

fn bundled() -> Contract {
    let text = std::fs::read_to_string(root().join(BUNDLED)).unwrap();
    Contract::load(&text, "b2b-sales.yaml", Some("en")).unwrap()
}

/// A folder of its own under the system's temporary folder, removed at the end.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let path = std::env::temp_dir().join(format!(
            "stagegate-response-schemas-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Folder(path)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ok(answer: Result<String, String>) -> Value {
    serde_json::from_str(&answer.unwrap()).unwrap()
}

fn err(answer: Result<String, String>) -> Value {
    serde_json::from_str(&answer.unwrap_err()).unwrap()
}

// The schemas themselves.

#[test]
fn the_files_are_what_the_code_generates_and_the_command_prints() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("schema"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut named: Vec<String> = SCHEMA_NAMES
        .iter()
        .map(|n| format!("{n}.schema.json"))
        .collect();
    named.sort();
    assert_eq!(files, named, "one file per schema, and no other");
    for name in SCHEMA_NAMES {
        let generated = response_schema(name).unwrap();
        let text = format!("{}\n", serde_json::to_string_pretty(&generated).unwrap());
        let file =
            std::fs::read_to_string(root().join(format!("schema/{name}.schema.json"))).unwrap();
        assert!(
            file == text,
            "schema/{name}.schema.json is stale: regenerate it with `stagegate schema {name} > schema/{name}.schema.json`"
        );
        let (code, out, err) = stagegate(&["schema", name]);
        assert_eq!((code, err.as_str()), (0, ""));
        assert_eq!(out, text, "{name}");
    }
    // Without a name: the playbook format, as always; `--list` names them all.
    assert_eq!(
        stagegate(&["schema"]).1,
        stagegate(&["schema", "playbook"]).1
    );
    let (code, out, _) = stagegate(&["schema", "--list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().collect::<Vec<_>>(), SCHEMA_NAMES);
    let (code, _, err) = stagegate(&["schema", "evaluatoin"]);
    assert_eq!(code, 2);
    assert!(err.contains("evaluation"), "{err}");
    assert!(response_schema("evaluatoin").is_none());
}

/// Every subschema of `schema` with its JSON pointer.
fn subschemas<'a>(schema: &'a Value, at: String, found: &mut Vec<(String, &'a Value)>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    found.push((at.clone(), schema));
    for key in ["properties", "definitions"] {
        if let Some(Value::Object(map)) = object.get(key) {
            for (name, sub) in map {
                subschemas(sub, format!("{at}/{key}/{name}"), found);
            }
        }
    }
    for key in ["additionalProperties", "items", "not"] {
        if let Some(sub) = object.get(key) {
            subschemas(sub, format!("{at}/{key}"), found);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(subs)) = object.get(key) {
            for (i, sub) in subs.iter().enumerate() {
                subschemas(sub, format!("{at}/{key}/{i}"), found);
            }
        }
    }
}

#[test]
fn every_schema_is_draft_07_closed_and_described() {
    for name in SCHEMA_NAMES {
        let schema = schema_file(name);
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        assert!(jsonschema::draft7::meta::is_valid(&schema), "{name}");
        assert!(schema["title"].is_string(), "{name}");
        assert!(schema["description"].is_string(), "{name}");
        if *name == "playbook" || *name == "deal-input" {
            continue; // what people write: described in docs/playbook-format.md
        }
        let mut all = Vec::new();
        subschemas(&schema, String::new(), &mut all);
        for (at, sub) in all {
            if let Some(properties) = sub.get("properties").and_then(Value::as_object) {
                assert_eq!(
                    sub["additionalProperties"], false,
                    "{name}{at}: an object that is not closed"
                );
                for (property, about) in properties {
                    let text = about["description"].as_str().unwrap_or("");
                    assert!(
                        !text.trim().is_empty(),
                        "{name}{at}/properties/{property}: no description"
                    );
                    assert!(
                        !text.contains("# Example") && !text.contains("```"),
                        "{name}{at}/properties/{property}: {text}"
                    );
                }
            }
            assert!(
                !matches!(
                    sub.get("format").and_then(Value::as_str),
                    Some("int64" | "uint" | "uint32" | "uint64" | "double")
                ),
                "{name}{at}: a Rust number format other validators do not know"
            );
        }
    }
}

// The contract's answers.

/// A real-data playbook's cases: (the playbook, its deals as JSON, each case's time).
fn real_data() -> Vec<(String, Vec<(Value, String)>)> {
    let mut found = Vec::new();
    for name in ["maven", "olist", "x-education"] {
        let path = format!("examples/real-data/{name}/playbook.yaml");
        let playbook = yaml_file(&path);
        let cases: Vec<(Value, String)> = playbook["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|case| {
                let at = case["at"].as_str().map_or(AT.to_owned(), str::to_owned);
                (case["deal"].clone(), at)
            })
            .collect();
        assert!(!cases.is_empty(), "{path}");
        found.push((path, cases));
    }
    found
}

#[test]
fn every_contract_answer_fits_its_schema() {
    let contract = bundled();
    let mut moved = 0;
    let mut refusals = BTreeSet::new();
    for path in example_files() {
        let deal = yaml_file(&path);
        assert_valid("deal-input", &deal, &path);
        let text = deal.to_string();
        let evaluation = ok(contract.evaluate(&text, AT, None));
        assert_valid("evaluation", &evaluation, &path);
        assert_valid("scores", &ok(contract.score(&text, AT)), &path);
        // Every move out of it, as its owner makes it: made, or refused with an error object.
        let owner = deal["owner"].as_str().unwrap_or("yoon");
        for check in evaluation["transitions"].as_array().unwrap() {
            let request = json!({
                "deal": deal, "to": check["to"], "from": check["from"], "at": AT,
                "actor": { "id": owner, "roles": ["rep"] },
            });
            match contract.apply(&request.to_string()) {
                Ok(answer) => {
                    let applied: Value = serde_json::from_str(&answer).unwrap();
                    assert_valid("applied", &applied, &path);
                    assert_valid("deal", &applied["deal"], &path);
                    assert_valid("deal-input", &applied["deal"], &path);
                    moved += 1;
                }
                Err(error) => {
                    let error: Value = serde_json::from_str(&error).unwrap();
                    assert_valid("error", &error, &path);
                    refusals.insert(error["error"].as_str().unwrap().to_owned());
                }
            }
        }
    }
    assert!(moved >= 10, "{moved} moves made");
    for lang in ["ko", "en"] {
        let outline = ok(Ok(contract.with_language(lang).unwrap().outline()));
        assert_valid("outline", &outline, lang);
    }
    assert!(refusals.contains("blocked"), "{refusals:?}");
    // Batches: every example deal, a deal that does not fit and one without an id, in one array.
    let mut book: Vec<Value> = example_files().iter().map(|p| yaml_file(p)).collect();
    book.push(json!({ "id": "D-9", "fields": { "budjet": 1 } }));
    book.push(json!({ "fields": { "budjet": 1 } }));
    let book = Value::Array(book).to_string();
    for (name, answer) in [
        (
            "evaluation-batch",
            contract.evaluate_batch(&book, AT, None, Some(2)),
        ),
        ("scores-batch", contract.score_batch(&book, AT, Some(2))),
    ] {
        let answer = ok(answer);
        assert_valid(name, &answer, name);
        let errors: Vec<&Value> = answer
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a.get("error").is_some())
            .collect();
        assert_eq!(errors.len(), 2, "{name}: the two unfit deals answer errors");
        assert_valid("error", errors[1], name);
        let singular = name.trim_end_matches("-batch");
        assert_invalid(name, &json!([{ "error": "deal" }]), singular);
    }
    for (path, cases) in real_data() {
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        let contract = Contract::load(&text, &path, None).unwrap();
        assert_valid("diagnostics", &ok(Ok(Contract::check(&text, &path))), &path);
        assert_valid("outline", &ok(Ok(contract.outline())), &path);
        for (deal, at) in cases {
            let deal = deal.to_string();
            assert_valid(
                "evaluation",
                &ok(contract.evaluate(&deal, &at, None)),
                &path,
            );
            assert_valid("scores", &ok(contract.score(&deal, &at)), &path);
        }
    }
}

#[test]
fn every_kind_of_contract_error_fits_the_error_schema() {
    let contract = bundled();
    let discount = yaml_file("examples/deals/11-discount-approval.yaml");
    let rep = json!({ "id": "yoon", "roles": ["rep"] });
    let finance = json!({ "id": "han", "roles": ["finance"] });
    let approve = |actor: &Value, deal: &Value| {
        contract.approve(
            &json!({ "deal": deal, "criterion": "discount_approved", "actor": actor, "at": AT })
                .to_string(),
        )
    };
    let approved = ok(approve(&finance, &discount));
    assert_valid("deal", &approved, "approved");
    let broken = "stagegate: 1\nid: p\nversion: 1\nstages: [{id: a, exit: [\"budgt > 1\"]}]\n";
    let bundled_text = std::fs::read_to_string(root().join(BUNDLED)).unwrap();
    let errors = [
        err(contract.evaluate("{not json", AT, None)),
        err(contract.apply(&json!({ "deal": discount, "too": "closing", "at": AT }).to_string())),
        err(contract.evaluate(&discount.to_string(), "soon", None)),
        err(contract.evaluate(&discount.to_string(), AT, Some(r#"{"id": "x", "roles": ["manger"]}"#))),
        err(Contract::load(&bundled_text, "b2b-sales.yaml", Some("fr")).map(|_| String::new())),
        err(Contract::load(broken, "p.yaml", None).map(|_| String::new())),
        err(contract.evaluate(r#"{"id": "D-9", "fields": {"budjet": 1}}"#, AT, None)),
        err(contract.apply(&json!({ "deal": discount, "to": "closing", "actor": rep, "at": AT }).to_string())),
        err(contract.apply(&json!({ "deal": discount, "to": "closing", "force": "deadline", "actor": rep, "at": AT }).to_string())),
        err(approve(&json!({ "id": "yoon", "roles": ["finance"] }), &discount)),
        err(approve(&rep.clone(), &discount)),
        err(contract.apply(&json!({ "deal": discount, "to": "closing", "at": AT }).to_string())),
        err(approve(&finance, &approved)),
    ];
    assert_valid(
        "test-report",
        &ok(contract.run_tests(AT)),
        "the bundled playbook's tests",
    );
    let mut kinds = BTreeSet::new();
    let mut forbidden = BTreeSet::new();
    for error in &errors {
        assert_valid("error", error, &error.to_string());
        let kind = error["error"].as_str().unwrap();
        kinds.insert(kind);
        if kind == "forbidden" {
            forbidden.insert(if error.get("move").is_some() {
                "move"
            } else {
                "roles"
            });
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["blocked", "deal", "forbidden", "load", "refused", "request"],
        "every kind provoked"
    );
    assert_eq!(forbidden.len(), 2, "forbidden with a move and with roles");
}

// What the command line prints.

#[test]
fn eval_score_check_and_test_print_what_their_schemas_say() {
    let files = example_files();
    let folder = Folder::new("eval");
    // The real-data cases as deal files of their own playbooks.
    let mut sets: Vec<(String, Vec<String>, String)> =
        vec![(BUNDLED.to_owned(), files, AT.to_owned())];
    for (path, cases) in real_data() {
        let name = path.split('/').nth(2).unwrap().to_owned();
        let deals: Vec<String> = cases
            .iter()
            .enumerate()
            .map(|(i, (deal, _))| folder.file(&format!("{name}-{i}.json"), &deal.to_string()))
            .collect();
        // At the first case's time (the cases of a playbook share their era).
        let at = cases[0].1.clone();
        sets.push((path, deals, at));
    }
    for (playbook, deals, at) in &sets {
        let mut args = vec!["eval", playbook.as_str()];
        args.extend(deals.iter().map(String::as_str));
        args.extend(["--at", at.as_str(), "--lang", "en"]);
        let list = printed(&[args.clone(), vec!["--format", "json"]].concat(), 0);
        assert_eq!(list.as_array().unwrap().len(), deals.len());
        assert_valid("evaluation-list", &list, playbook);
        for line in printed_lines(&[args.clone(), vec!["--format", "jsonl"]].concat(), 0) {
            assert_valid("evaluation", &line, playbook);
        }
        args[0] = "score";
        args.truncate(args.len() - 2); // no --lang: scores have no texts
        let list = printed(&[args.clone(), vec!["--format", "json"]].concat(), 0);
        assert_valid("scores-list", &list, playbook);
        for line in printed_lines(&[args.clone(), vec!["--format", "jsonl"]].concat(), 0) {
            assert_valid("scores", &line, playbook);
        }
        let report = printed(&["test", playbook, "--format", "json"], 0);
        assert!(!report["cases"].as_array().unwrap().is_empty());
        assert_valid("test-report", &report, playbook);
    }
    // As an actor sees the moves.
    let seen = printed(
        &[
            "eval",
            BUNDLED,
            "examples/deals/11-discount-approval.yaml",
            "--at",
            AT,
            "--as",
            "han",
            "--role",
            "finance",
            "--format",
            "json",
        ],
        0,
    );
    assert_valid("evaluation-list", &seen, "--as han");
    // A failing case file: failures and coverage.
    let report = printed(
        &[
            "test",
            "tests/fixtures/cases/playbook.yaml",
            "tests/fixtures/cases/failing.yaml",
            "--format",
            "json",
        ],
        1,
    );
    assert!(report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| !c["failures"].as_array().unwrap().is_empty()));
    assert_valid("test-report", &report, "failing cases");
    // Every playbook, broken ones included: one array of diagnostics.
    let mut playbooks: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/diagnostics"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    playbooks.sort();
    playbooks.extend(sets.iter().map(|(p, _, _)| p.clone()));
    let mut args = vec!["check", "--format", "json"];
    args.extend(playbooks.iter().map(String::as_str));
    let diagnostics = printed(&args, 1);
    let found = diagnostics.as_array().unwrap();
    assert!(
        found.iter().any(|d| d["severity"] == "error")
            && found.iter().any(|d| d["severity"] == "warning")
    );
    assert!(
        found.iter().any(|d| d["help"].is_null()) && found.iter().any(|d| d["help"].is_string())
    );
    assert_valid("diagnostics", &diagnostics, "check");
}

#[test]
fn moves_approvals_and_due_tasks_print_what_their_schemas_say() {
    let folder = Folder::new("moves");
    let mut moved_deals = Vec::new();
    let mut blocked = 0;
    for path in example_files() {
        let owner = yaml_file(&path)["owner"]
            .as_str()
            .unwrap_or("yoon")
            .to_owned();
        let actor = ["--as", owner.as_str(), "--role", "rep", "--at", AT];
        let seen = [
            vec!["eval", BUNDLED, path.as_str(), "--format", "json"],
            actor.to_vec(),
        ]
        .concat();
        let evaluation = &printed(&seen, 0)[0];
        let transitions = evaluation["transitions"].as_array().unwrap();
        if let Some(check) = transitions.iter().find(|t| t["allowed"] == true) {
            let base = [
                vec![
                    "move",
                    BUNDLED,
                    path.as_str(),
                    "--to",
                    check["to"].as_str().unwrap(),
                    "--from",
                    check["from"].as_str().unwrap(),
                ],
                actor.to_vec(),
            ]
            .concat();
            let deal = printed(&[base.clone(), vec!["--format", "json"]].concat(), 0);
            assert_valid("deal", &deal, &path);
            assert_valid("deal-input", &deal, &path);
            let lines = printed_lines(&[base, vec!["--format", "jsonl"]].concat(), 0);
            assert_eq!(lines, std::slice::from_ref(&deal));
            moved_deals.push(deal.to_string());
        }
        if let Some(check) = transitions.iter().find(|t| t["allowed"] == false) {
            // A blocked move prints the move and its blockers, with exit code 3.
            let args = [
                vec![
                    "move",
                    BUNDLED,
                    path.as_str(),
                    "--to",
                    check["to"].as_str().unwrap(),
                    "--from",
                    check["from"].as_str().unwrap(),
                    "--format",
                    "json",
                ],
                actor.to_vec(),
            ]
            .concat();
            let (code, out, err) = stagegate(&args);
            if code == 3 && !out.is_empty() {
                assert_valid("move-check", &serde_json::from_str(&out).unwrap(), &path);
                blocked += 1;
            } else {
                assert!(code == 3 || code == 2, "{path}: {code} {err}");
            }
        }
    }
    assert!(
        moved_deals.len() >= 5 && blocked >= 5,
        "{} moved, {blocked} blocked",
        moved_deals.len()
    );
    // An approval, printed as the deal holding it.
    let approved = printed(
        &[
            "approve",
            BUNDLED,
            "examples/deals/11-discount-approval.yaml",
            "--criterion",
            "discount_approved",
            "--as",
            "han",
            "--role",
            "finance",
            "--at",
            AT,
            "--format",
            "json",
        ],
        0,
    );
    assert!(approved["approvals"]["discount_approved"].is_object());
    assert_valid("deal", &approved, "approved");
    // The tasks the moves opened, and those of the book.
    let moved = folder.file("moved.jsonl", &moved_deals.join("\n"));
    let args = [
        "due",
        BUNDLED,
        moved.as_str(),
        "examples/deals/book.jsonl",
        "--at",
        "2026-12-31",
        "--lang",
        "en",
    ];
    let tasks = printed(&[args.to_vec(), vec!["--format", "json"]].concat(), 0);
    assert!(!tasks.as_array().unwrap().is_empty());
    assert!(tasks
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t.get("overdue_days").is_some()));
    assert_valid("due-task-list", &tasks, "due");
    for line in printed_lines(&[args.to_vec(), vec!["--format", "jsonl"]].concat(), 0) {
        assert_valid("due-task", &line, "due");
    }
}

#[test]
fn metrics_impact_migrate_and_import_print_what_their_schemas_say() {
    // The fixture's book holds two unreadable deals (exit code 2); the figures are printed all
    // the same.
    for (playbook, book, by, code) in [
        (BUNDLED, "examples/deals/book.jsonl", "industry", 0),
        (
            "tests/fixtures/metrics/playbook.yaml",
            "tests/fixtures/metrics/book.yaml",
            "segment",
            2,
        ),
    ] {
        for format in ["json", "jsonl"] {
            let metrics = printed(
                &["metrics", playbook, book, "--at", AT, "--format", format],
                code,
            );
            assert_valid("metrics", &metrics, book);
            let (found, out, err) = stagegate(&[
                "metrics", playbook, book, "--at", AT, "--by", by, "--format", format,
            ]);
            assert_eq!(found, code, "{err}");
            let grouped: Value = serde_json::from_str(&out).unwrap();
            assert!(grouped["by"]["groups"].is_object(), "{book} by {by}");
            assert_valid("metrics", &grouped, book);
        }
    }
    let anomalous = printed(
        &[
            "metrics",
            "tests/fixtures/metrics/playbook.yaml",
            "tests/fixtures/metrics/book.yaml",
            "--format",
            "json",
        ],
        2,
    );
    assert!(
        anomalous["anomalies"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{anomalous}"
    );

    // Impact, with a deal neither version takes.
    let folder = Folder::new("impact");
    let refused = folder.file("refused.json", r#"{"id": "R-1", "fields": {"nope": 1}}"#);
    let args = [
        "impact",
        "tests/fixtures/impact/v1.yaml",
        "tests/fixtures/impact/v2.yaml",
        "tests/fixtures/impact/deals.yaml",
        refused.as_str(),
        "--at",
        AT,
    ];
    // The deal neither version takes is said on standard error (exit code 2) and counted.
    let document = printed(&[args.to_vec(), vec!["--format", "json"]].concat(), 2);
    assert_eq!(document["summary"]["refused"], 1);
    let deals = document["deals"].as_array().unwrap();
    assert!(deals
        .iter()
        .any(|d| !d["changes"].as_array().unwrap().is_empty()));
    assert_valid("impact", &document, "impact");
    let lines = printed_lines(&[args.to_vec(), vec!["--format", "jsonl"]].concat(), 2);
    let (summary, each) = lines.split_last().unwrap();
    assert_valid("impact-summary", summary, "impact jsonl");
    for line in each {
        assert_valid("deal-impact", line, "impact jsonl");
        assert_invalid("impact-summary", line, "a deal's line");
    }

    // Migrate: version 2 of the bundled playbook renames a stage.
    let bundled = std::fs::read_to_string(root().join(BUNDLED)).unwrap();
    let v2 = bundled
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("needs_analysis", "discovery")
        + "\nmigrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n";
    let v1 = folder.file("v1.yaml", &bundled);
    let v2 = folder.file("v2.yaml", &v2);
    let args = [
        "migrate",
        v1.as_str(),
        v2.as_str(),
        "examples/deals/book.jsonl",
        "--at",
        AT,
    ];
    let migrated = printed(&[args.to_vec(), vec!["--format", "json"]].concat(), 0);
    assert_eq!(
        migrated.as_array().unwrap().len(),
        3,
        "every deal of the book"
    );
    assert_valid("deal-list", &migrated, "migrate");
    for line in printed_lines(&[args.to_vec(), vec!["--format", "jsonl"]].concat(), 0) {
        assert_valid("deal", &line, "migrate jsonl");
    }

    // Import: the good rows as deals (the bad ones are said on standard error).
    let (_, out, _) = stagegate(&[
        "import",
        "tests/fixtures/import/mapping.yaml",
        "tests/fixtures/import/opportunities.csv",
        "tests/fixtures/import/accounts.csv",
    ]);
    let imported: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(imported.len() >= 3, "{out}");
    for deal in &imported {
        assert_valid("deal", deal, "import");
        assert_valid("deal-input", deal, "import");
    }
}

// Not vacuous: answers changed the way drift changes them are refused.

/// `value` with the key at `path` (object keys and array indexes) renamed to `to`.
fn renamed(value: &Value, path: &[&str], to: &str) -> Value {
    let mut value = value.clone();
    let (last, parents) = path.split_last().unwrap();
    let mut at = &mut value;
    for step in parents {
        at = match step.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*step],
        };
    }
    let object = at.as_object_mut().unwrap();
    let moved = object.remove(*last).unwrap();
    object.insert(to.to_owned(), moved);
    value
}

/// `value` with the value at `path` replaced.
fn replaced(value: &Value, path: &[&str], with: Value) -> Value {
    let mut value = value.clone();
    let mut at = &mut value;
    for step in path {
        at = match step.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*step],
        };
    }
    *at = with;
    value
}

#[test]
fn answers_that_drifted_are_refused() {
    let contract = bundled();
    let deal = yaml_file("examples/deals/02-blocked-bant.yaml");
    let evaluation = ok(contract.evaluate(&deal.to_string(), AT, None));
    assert_valid("evaluation", &evaluation, "as answered");
    let blocked = evaluation["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["allowed"] == false)
        .unwrap()
        .to_string();
    for (what, changed) in [
        (
            "a renamed key",
            renamed(&evaluation, &["transitions"], "moves"),
        ),
        (
            "a renamed nested key",
            renamed(
                &evaluation,
                &["transitions", &blocked, "blockers"],
                "reasons",
            ),
        ),
        (
            "a list as a text",
            replaced(&evaluation, &["stages"], json!("qualification")),
        ),
        (
            "a flag as a text",
            replaced(
                &evaluation,
                &["transitions", &blocked, "allowed"],
                json!("no"),
            ),
        ),
        (
            "an unknown gate",
            replaced(
                &evaluation,
                &["transitions", &blocked, "blockers", "0", "gate"],
                json!("door"),
            ),
        ),
        (
            "an added key",
            replaced(&evaluation, &["verdict"], json!("ok")),
        ),
        (
            "a warning of an unknown kind",
            replaced(
                &evaluation,
                &["warnings"],
                json!([{ "kind": "late", "stage": "x", "days": 1, "max_days": 1 }]),
            ),
        ),
    ] {
        assert_invalid("evaluation", &changed, what);
        assert_invalid("evaluation-list", &json!([changed]), what);
    }
    assert_invalid(
        "evaluation-list",
        &evaluation,
        "one evaluation for the list",
    );
    assert_invalid(
        "evaluation",
        &json!([evaluation]),
        "the list for one evaluation",
    );

    let scores = ok(contract.score(&deal.to_string(), AT));
    assert_valid("scores", &scores, "as answered");
    assert_invalid(
        "scores",
        &replaced(&scores, &["scores", "lead", "total"], json!("60")),
        "a total as a text",
    );
    assert_invalid(
        "scores",
        &renamed(&scores, &["scores", "lead", "rules", "0", "matched"], "hit"),
        "a renamed rule key",
    );

    let moved = ok(contract.apply(
        &json!({ "deal": deal, "to": "lost", "actor": { "id": "yoon", "roles": ["rep"] }, "at": AT }).to_string(),
    ));
    assert_valid("applied", &moved, "as answered");
    assert_invalid(
        "applied",
        &renamed(&moved, &["effects"], "effect"),
        "a renamed key",
    );
    assert_invalid(
        "deal",
        &replaced(&moved["deal"], &["history", "0", "by"], json!(7)),
        "a number for `by`",
    );
    assert_invalid(
        "deal",
        &replaced(&moved["deal"], &["history", "0", "who"], json!("kim")),
        "an unknown history key",
    );
    // The shorthand a deal may be read with is not what the engine writes.
    let short = renamed(
        &replaced(&moved["deal"], &["stages"], json!("lost")),
        &["stages"],
        "stage",
    );
    assert_invalid("deal", &short, "`stage` for `stages`");
    assert_valid("deal-input", &short, "`stage` for `stages`");

    let error = err(contract.evaluate("{not json", AT, None));
    assert_valid("error", &error, "as answered");
    assert_invalid(
        "error",
        &replaced(&error, &["error"], json!("oops")),
        "an unknown kind",
    );
    assert_invalid(
        "error",
        &renamed(&error, &["message"], "text"),
        "a renamed message",
    );
    assert_invalid(
        "error",
        &json!({ "error": "blocked", "message": "no move" }),
        "a blocked error without its move",
    );
    assert_invalid(
        "error",
        &json!({ "error": "deal", "message": "x", "deal": "D-1" }),
        "a deal error without its problems",
    );

    let (_, out, _) = stagegate(&[
        "metrics",
        BUNDLED,
        "examples/deals/book.jsonl",
        "--at",
        AT,
        "--format",
        "json",
    ]);
    let metrics: Value = serde_json::from_str(&out).unwrap();
    assert_valid("metrics", &metrics, "as printed");
    let stage = metrics["stages"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    assert_invalid(
        "metrics",
        &renamed(&metrics, &["win_rate"], "winrate"),
        "a renamed figure",
    );
    assert_invalid(
        "metrics",
        &replaced(&metrics, &["stages", &stage, "entered"], json!(-1)),
        "a negative count",
    );
    assert_invalid(
        "metrics",
        &replaced(&metrics, &["stages", &stage, "extra"], json!(1)),
        "an added stage figure",
    );

    let diagnostics = ok(Ok(Contract::check(
        "stagegate: 1\nid: p\nversion: 1\nstages: [{id: a, titel: A}]\n",
        "p.yaml",
    )));
    assert_valid("diagnostics", &diagnostics, "as answered");
    assert_invalid(
        "diagnostics",
        &replaced(&diagnostics, &["0", "severity"], json!("fatal")),
        "an unknown severity",
    );
    assert_invalid(
        "diagnostics",
        &replaced(&diagnostics, &["0", "line"], json!("4")),
        "a line as a text",
    );
}
