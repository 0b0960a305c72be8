//! Host functions: rules call them, the validator knows their names and arity, and their
//! errors block only their criterion.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use stagegate::{Deal, Engine, HostFunction, Loader, Options, Reason};

fn territory() -> HostFunction {
    HostFunction::new("territory_of", 1, |args: &[Value]| match args[0].as_str() {
        Some("KR" | "JP" | "SG") => Ok(json!("APAC")),
        Some("") | None => Err("no country code".to_owned()),
        Some(_) => Ok(json!("EMEA")),
    })
}

fn playbook(rule: &str) -> String {
    format!(
        "stagegate: 1\nid: t\nversion: 1\nfields: {{ country: {{ type: text }}, budget: {{ type: number }} }}\nstages:\n  - {{ id: open, exit: [ {{ id: apac_only, when: '{rule}' }} ] }}\n  - {{ id: won, outcome: won }}\ntransitions: [ {{ from: open, to: won }} ]\n"
    )
}

fn evaluate(loader: &Loader, rule: &str, fields: Value) -> stagegate::MoveCheck {
    let playbook = loader.from_yaml(&playbook(rule), "t.yaml").unwrap();
    let deal: Deal = serde_json::from_value(json!({ "id": "D", "fields": fields })).unwrap();
    let at = stagegate::parse_time("2026-11-27").unwrap();
    Engine::new(playbook)
        .evaluate(&deal, at, &Options::new())
        .unwrap()
        .transitions
        .remove(0)
}

#[test]
fn rules_call_host_functions() {
    let loader = Loader::new().function(territory());
    let rule = r#"territory_of(country) == "APAC" && budget > 10"#;
    assert!(evaluate(&loader, rule, json!({"country": "KR", "budget": 50})).allowed);
    let blocked = evaluate(&loader, rule, json!({"country": "DE", "budget": 50}));
    assert_eq!(blocked.blockers[0].reason, Reason::Failed);
    assert_eq!(blocked.blockers[0].values["country"], "DE");
}

#[test]
fn a_host_function_error_is_an_error_reason_on_its_criterion() {
    let loader = Loader::new().function(HostFunction::new("always_fails", 0, |_: &[Value]| {
        Err("the territory service is down".to_owned())
    }));
    let blocked = evaluate(&loader, "always_fails()", json!({}));
    assert_eq!(blocked.blockers[0].reason, Reason::Error);
    let error = blocked.blockers[0].error.as_deref().unwrap();
    assert!(
        error.contains("always_fails: the territory service is down"),
        "{error}"
    );
}

#[test]
fn the_validator_knows_host_names_and_arity() {
    let loader = Loader::new().function(territory());
    let wrong_arity = loader
        .from_yaml(&playbook(r#"territory_of(country, 2) == "APAC""#), "t.yaml")
        .unwrap_err();
    let found = &wrong_arity.diagnostics[0];
    assert_eq!(found.code, "rhai-call");
    assert_eq!(found.message, "`territory_of` takes 1 argument, not 2");
    assert_eq!((found.line, found.column), (6, 49));

    let typo = loader
        .from_yaml(&playbook(r#"teritory_of(country) == "APAC""#), "t.yaml")
        .unwrap_err();
    assert_eq!(typo.diagnostics[0].code, "unknown-function");
    assert_eq!(
        typo.diagnostics[0].help.as_deref(),
        Some("did you mean `territory_of`?")
    );

    // Without the host function, the same playbook does not load.
    let plain = Loader::new()
        .from_yaml(&playbook(r#"territory_of(country) == "APAC""#), "t.yaml")
        .unwrap_err();
    assert_eq!(plain.diagnostics[0].code, "unknown-function");
}

#[test]
fn host_function_names_must_be_new_identifiers() {
    for name in ["done", "contains", "not a name", ""] {
        let loader =
            Loader::new().function(HostFunction::new(name, 1, |_: &[Value]| Ok(json!(true))));
        let refused = loader
            .from_yaml(&playbook("budget > 1"), "t.yaml")
            .unwrap_err();
        assert_eq!(refused.diagnostics[0].code, "host-function", "{name}");
    }
}

#[test]
fn a_host_that_declares_what_a_function_gives_gets_its_rules_typed() {
    let codes = |loader: &Loader, rule: &str| -> Vec<&'static str> {
        match loader.from_yaml(&playbook(rule), "t.yaml") {
            Ok(_) => Vec::new(),
            Err(error) => error.diagnostics.iter().map(|d| d.code).collect(),
        }
    };
    let untyped = Loader::new().function(territory());
    let typed = Loader::new().function(territory().gives(stagegate::Gives::Text));
    // Undeclared: whatever the rule does with the value is checked when it runs.
    assert!(codes(&untyped, "territory_of(country) > 5").is_empty());
    // Declared a text: compared with a number, or used as a condition, it is refused at load.
    assert_eq!(codes(&typed, "territory_of(country) > 5"), ["rule-type"]);
    assert_eq!(codes(&typed, "territory_of(country)"), ["rule-type"]);
    assert!(codes(&typed, r#"territory_of(country) == "APAC""#).is_empty());
    let is_apac = HostFunction::new("is_apac", 1, |args: &[Value]| {
        Ok(json!(args[0].as_str() == Some("KR")))
    })
    .gives(stagegate::Gives::Bool);
    let loader = Loader::new().function(is_apac);
    assert!(codes(&loader, "is_apac(country) && budget > 1").is_empty());
    assert_eq!(codes(&loader, "is_apac(country) > 1"), ["rule-type"]);
    assert!(evaluate(&loader, "is_apac(country)", json!({"country": "KR"})).allowed);
}
