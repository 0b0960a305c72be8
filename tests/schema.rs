//! The JSON Schema of the playbook format (`Playbook::json_schema()` and `stagegate schema`), checked
//! with an independent validator (the `jsonschema` crate) against valid and broken playbooks.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use jsonschema::{error::ValidationErrorKind, Validator};
use serde_json::{json, Value};
use stagegate::Playbook;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A YAML file as the JSON an editor's language server checks.
fn yaml_as_json(text: &str) -> Value {
    serde_yaml::from_str(text).expect("YAML that converts to JSON")
}

fn file_as_json(path: &str) -> Value {
    yaml_as_json(&std::fs::read_to_string(root().join(path)).unwrap())
}

fn validator() -> Validator {
    jsonschema::draft7::new(&Playbook::json_schema()).expect("the schema compiles")
}

/// Every error as (instance path, error kind name, message).
fn errors(validator: &Validator, instance: &Value) -> Vec<(String, String, String)> {
    validator
        .iter_errors(instance)
        .map(|e| {
            let kind = e.kind().keyword().to_owned();
            (e.instance_path().to_string(), kind, e.to_string())
        })
        .collect()
}

#[test]
fn the_command_prints_the_library_schema() {
    let output = Command::new(env!("CARGO_BIN_EXE_stagegate"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(output.status.success() && output.stderr.is_empty());
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(printed, Playbook::json_schema());
}

#[test]
fn the_schema_is_a_draft_07_schema_for_playbooks() {
    let schema = Playbook::json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(
        jsonschema::draft7::meta::is_valid(&schema),
        "valid against the draft-07 meta-schema"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown top-level keys are errors"
    );
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort_unstable();
    assert_eq!(required, ["id", "stagegate", "stages", "version"]);
}

#[test]
fn the_bundled_playbook_is_valid() {
    let playbook = file_as_json("playbooks/b2b-sales.yaml");
    assert_eq!(
        playbook["tests"].as_array().unwrap().len(),
        48,
        "tests are part of it"
    );
    assert_eq!(errors(&validator(), &playbook), []);
}

#[test]
fn valid_fixture_playbooks_are_valid() {
    let validator = validator();
    for path in [
        "tests/fixtures/cases/playbook.yaml",
        "tests/fixtures/diagram/awkward.yaml",
    ] {
        assert_eq!(errors(&validator, &file_as_json(path)), [], "{path}");
    }
}

/// The shape codes: a playbook with one of these is not what the schema describes. Every other
/// diagnostic is about meaning (ids, Rhai, the graph), which the schema cannot see. An empty list
/// of roles (`empty-roles`) is both: the schema asks for one role at least, so that editors mark it.
const SHAPE_CODES: &[&str] = &[
    "unknown-key",
    "missing-key",
    "wrong-type",
    "unknown-value",
    "empty-roles",
];

#[test]
fn the_schema_agrees_with_check_on_the_shape_of_every_diagnostic_fixture() {
    let validator = validator();
    let dir = root().join("tests/fixtures/diagnostics");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut compared = 0;
    for path in paths {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        // Files that are not YAML, or blow up when read, have no JSON to check.
        let Ok(instance) = serde_yaml::from_str::<Value>(&text) else {
            assert!(
                name.starts_with("yaml-syntax") || name.starts_with("hostile-yaml"),
                "{name}"
            );
            continue;
        };
        let found = stagegate::Playbook::check(&text, &name);
        let shape = found.iter().any(|d| SHAPE_CODES.contains(&d.code));
        let problems = errors(&validator, &instance);
        assert_eq!(
            !problems.is_empty(),
            shape,
            "{name}: {problems:#?}\n{found:#?}"
        );
        compared += 1;
    }
    assert!(compared >= 40, "compared {compared} fixtures");
}

const BASE: &str = "stagegate: 1\nid: broken\nversion: 1\n";

#[test]
fn an_unknown_key_is_rejected() {
    let text = format!("{BASE}stages:\n  - id: open\n    titel: Open\n");
    let found = errors(&validator(), &yaml_as_json(&text));
    assert_eq!(found.len(), 1, "{found:#?}");
    let (path, kind, message) = &found[0];
    assert_eq!(
        (path.as_str(), kind.as_str()),
        ("/stages/0", "additionalProperties")
    );
    assert!(message.contains("'titel' was unexpected"), "{message}");
    let instance = yaml_as_json(&text);
    let validator = validator();
    let error = validator.iter_errors(&instance).next().unwrap();
    let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() else {
        panic!("{:?}", error.kind());
    };
    assert_eq!(unexpected, &["titel"]);
}

#[test]
fn a_wrong_type_is_rejected() {
    let text = format!("{BASE}stages:\n  - id: open\n    probability: soon\n");
    let found = errors(&validator(), &yaml_as_json(&text));
    assert_eq!(found.len(), 1, "{found:#?}");
    let (path, kind, message) = &found[0];
    assert_eq!(
        (path.as_str(), kind.as_str()),
        ("/stages/0/probability", "type")
    );
    assert!(
        message.contains("\"soon\"") && message.contains("number"),
        "{message}"
    );

    let text = format!("{BASE}stages: {{ id: open }}\n");
    let found = errors(&validator(), &yaml_as_json(&text));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("/stages", "type")
    );
}

#[test]
fn a_bad_outcome_is_rejected() {
    let text = format!("{BASE}stages:\n  - id: open\n  - id: won\n    outcome: winning\n");
    let found = errors(&validator(), &yaml_as_json(&text));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "/stages/1/outcome");
    assert!(found[0].2.contains("\"winning\""), "{}", found[0].2);
    for outcome in ["won", "lost", "churned"] {
        let good = text.replace("winning", outcome);
        assert_eq!(errors(&validator(), &yaml_as_json(&good)), [], "{outcome}");
    }
}

#[test]
fn missing_required_keys_are_rejected() {
    let found = errors(
        &validator(),
        &json!({ "stagegate": 1, "id": "x", "version": 1 }),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("", "required"));
    assert!(found[0].2.contains("\"stages\""), "{}", found[0].2);
}

/// The schema of a case file: a list of the test cases a playbook's `tests:` holds.
fn case_file_validator() -> Validator {
    let schema = Playbook::json_schema();
    let case_file = json!({
        "$schema": schema["$schema"],
        "type": "array",
        "items": schema["properties"]["tests"]["items"],
        "definitions": schema["definitions"],
    });
    jsonschema::draft7::new(&case_file).expect("the case file schema compiles")
}

#[test]
fn test_cases_follow_the_schema_too() {
    let validator = case_file_validator();
    for file in ["passing", "failing", "coverage"] {
        let cases = file_as_json(&format!("tests/fixtures/cases/{file}.yaml"));
        assert_eq!(errors(&validator, &cases), [], "{file}.yaml");
    }
    let typo = file_as_json("tests/fixtures/cases/typo.yaml");
    let found = errors(&validator, &typo);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("/0", "additionalProperties")
    );
    assert!(
        found[0].2.contains("'expcet' was unexpected"),
        "{}",
        found[0].2
    );
    // Both forms of an expected score; nothing else.
    let score = |value: Value| json!([{ "name": "s", "deal": {}, "expect": { "scores": { "lead": value } } }]);
    assert!(validator.is_valid(&score(json!(60))));
    assert!(validator.is_valid(&score(json!({ "total": 60, "band": "mql" }))));
    assert!(!validator.is_valid(&score(json!("sixty"))));
    assert!(!validator.is_valid(&score(json!({ "totl": 60 }))));
}

#[test]
fn max_days_is_a_number_or_days_since_entered_or_activity() {
    let written = |max_days: &str| {
        let text = format!("{BASE}stages:\n  - id: open\n    max_days: {max_days}\n");
        errors(&validator(), &yaml_as_json(&text))
    };
    for fine in [
        "30",
        "{ days: 14, since: activity }",
        "{ days: 30, since: entered }",
        "{ days: 30 }",
    ] {
        assert_eq!(written(fine), [], "{fine}");
    }
    for wrong in [
        "{ days: 14, since: activty }",
        "{ since: activity }",
        "{ days: 14, from: activity }",
        "-1",
    ] {
        let found = written(wrong);
        assert!(!found.is_empty(), "{wrong}");
        assert!(
            found
                .iter()
                .all(|(path, _, _)| path.starts_with("/stages/0/max_days")),
            "{wrong}: {found:#?}"
        );
    }
}
