//! One problem shape everywhere: every kind of error the library gives, walked through the JSON
//! contract and the command line's JSON (`--format json`: one object on standard error), which
//! must carry the same kind, code and data. The cases are `tests/contract/errors/*.json`; the
//! Python and JavaScript packages' tests check their exceptions against the same files.
//!
//! `expected` in each case is the contract's error object; after a deliberate change of an error,
//! write them again with `STAGEGATE_UPDATE_CASES=1 cargo test --test problems` and read the diff.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use stagegate::contract::Contract;
use stagegate::{Problem, ProblemKind};

/// The data every surface must give alike; the message, the help (the command line adds its
/// flags) and the place (the command line read the deal from a file) may differ.
const SHARED: &[&str] = &[
    "error",
    "code",
    "deal",
    "problems",
    "details",
    "move",
    "roles",
    "diagnostics",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cases() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("tests/contract/errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    found.sort();
    found
}

/// The contract's error object for a case.
fn through_the_contract(case: &Value) -> Value {
    let playbook = case["playbook"].as_str().unwrap();
    let text = std::fs::read_to_string(root().join(playbook)).unwrap();
    let lang = case["lang"].as_str();
    let answer = match Contract::load(&text, playbook, lang) {
        Err(error) => Err(error),
        Ok(contract) => {
            let request = case["request"].to_string();
            match case["call"].as_str().unwrap() {
                "apply" => contract.apply(&request),
                "approve" => contract.approve(&request),
                other => panic!("a case of call `{other}` whose playbook loads"),
            }
        }
    };
    let error = answer.expect_err("every case is an error");
    assert!(error.starts_with(r#"{"error":"#), "{error}");
    serde_json::from_str(&error).unwrap()
}

/// The command line's error object for a case: its one line of standard error, without `type`.
fn through_the_command_line(case: &Value) -> Value {
    let args: Vec<&str> = case["cli"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stagegate"))
        .current_dir(root())
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = case["stdin"].to_string();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0), "{args:?} succeeded");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{args:?}: standard error is one JSON line:\n{stderr}"
    );
    let mut error: Value = serde_json::from_str(lines[0]).unwrap();
    let object = error.as_object_mut().unwrap();
    assert_eq!(object.keys().next().map(String::as_str), Some("type"));
    assert_eq!(object.shift_remove("type"), Some("error".into()));
    error
}

fn shared(error: &Value) -> Vec<(&'static str, Value)> {
    SHARED
        .iter()
        .map(|key| (*key, error.get(key).cloned().unwrap_or(Value::Null)))
        .collect()
}

#[test]
fn every_kind_of_error_has_one_shape_in_the_contract_and_on_the_command_line() {
    let update = std::env::var_os("STAGEGATE_UPDATE_CASES").is_some();
    let mut kinds = std::collections::BTreeSet::new();
    for path in cases() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut case: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let contract = through_the_contract(&case);
        if update {
            case["expected"] = contract.clone();
            let text = serde_json::to_string_pretty(&case).unwrap();
            // Whole or not at all: the other tests read the cases meanwhile.
            let fresh = path.with_extension("json.new");
            std::fs::write(&fresh, format!("{text}\n")).unwrap();
            std::fs::rename(&fresh, &path).unwrap();
        }
        assert_eq!(contract, case["expected"], "{name}: the contract's answer");
        // The case's name says its kind, then its code.
        let kind = contract["error"].as_str().unwrap();
        let code = contract["code"].as_str().unwrap();
        assert!(
            name.starts_with(&format!("{kind}-")),
            "{name}: answered `{kind}`"
        );
        assert!(
            !code.is_empty() && code != kind || kind == "blocked",
            "{name}: `{code}`"
        );
        kinds.insert(kind.to_owned());
        let cli = through_the_command_line(&case);
        assert_eq!(
            shared(&cli),
            shared(&contract),
            "{name}: the command line's JSON error"
        );
        // Both fit the one schema.
        let schema = stagegate::contract::response_schema("error").unwrap();
        let validator = jsonschema::draft7::new(&schema).unwrap();
        for (surface, error) in [("contract", &contract), ("command line", &cli)] {
            let problems: Vec<String> = validator
                .iter_errors(error)
                .map(|e| e.to_string())
                .collect();
            assert!(problems.is_empty(), "{name} ({surface}): {problems:?}");
        }
    }
    // Every kind a library call can give (the server's own kinds are tested with the server).
    let library: Vec<&str> =
        ["request", "load", "deal", "blocked", "forbidden", "refused"].to_vec();
    assert_eq!(
        kinds.iter().map(String::as_str).collect::<Vec<_>>(),
        {
            let mut sorted = library.clone();
            sorted.sort_unstable();
            sorted
        },
        "a case for every kind"
    );
}

#[test]
fn a_problem_has_one_status_per_kind_and_writes_its_kind_first() {
    for kind in ProblemKind::ALL {
        let problem = Problem::new(kind, "code", "what is wrong");
        let json: Value = serde_json::from_str(&problem.to_json()).unwrap();
        assert_eq!(json["error"], kind.as_str());
        assert!(problem.to_json().starts_with(r#"{"error":"#));
        assert!((400..=599).contains(&kind.status()), "{kind}");
        // A blocked move's object always holds the move (the cases check it); any other kind is
        // whole with no data.
        if kind != ProblemKind::Blocked {
            let schema = stagegate::contract::response_schema("error").unwrap();
            let validator = jsonschema::draft7::new(&schema).unwrap();
            assert!(validator.is_valid(&json), "{kind}: {json}");
        }
    }
    let statuses: Vec<u16> = ProblemKind::ALL.iter().map(|k| k.status()).collect();
    assert_eq!(
        statuses,
        [400, 401, 403, 404, 409, 409, 409, 413, 422, 422, 500, 503]
    );
}

#[test]
fn the_case_files_name_their_playbooks_in_the_repository() {
    for path in cases() {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let playbook = case["playbook"].as_str().unwrap();
        assert!(Path::new(&root().join(playbook)).is_file(), "{playbook}");
    }
}
