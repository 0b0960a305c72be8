//! Host functions: a territory lookup that rules call, checked by name and arity when a playbook loads.

use std::error::Error;

use serde_json::{json, Value};
use stagegate::{Deal, Engine, HostFunction, Loader, MoveCheck, Options, Reason};

/// A small playbook whose one gate calls the host's `territory_of`.
const PLAYBOOK: &str = r#"
stagegate: 1
id: territories
version: 1
fields:
  country: { type: text }
stages:
  - id: open
    exit:
      - id: apac_deal
        when: 'territory_of(country) == "APAC"'
  - { id: won, outcome: won }
transitions:
  - { from: open, to: won }
"#;

fn main() -> Result<(), Box<dyn Error>> {
    // The host's own pure function: same arguments, same result.
    let territory_of = HostFunction::new("territory_of", 1, |args: &[Value]| {
        match args.first().and_then(Value::as_str) {
            Some("KR" | "JP") => Ok(json!("APAC")),
            Some(code) if code.len() == 2 => Ok(json!("EMEA")),
            _ => Err("not a two-letter country code".to_owned()),
        }
    });
    let loader = Loader::new().function(territory_of);
    let engine = Engine::new(loader.from_yaml(PLAYBOOK, "territories.yaml")?).with_language("en");
    let at = stagegate::parse_time("2026-11-27")?;

    // Rules call it like any function.
    let korea = open_to_won(&engine, json!("KR"), at)?;
    assert!(korea.allowed);
    println!("a deal in KR may move to won");

    let germany = open_to_won(&engine, json!("DE"), at)?;
    let blocker = germany.blockers.first().ok_or("the DE deal is blocked")?;
    assert_eq!(blocker.reason, Reason::Failed);
    assert_eq!(blocker.criterion.as_deref(), Some("apac_deal"));
    assert_eq!(blocker.values.get("country"), Some(&json!("DE")));
    println!("a deal in DE is blocked by apac_deal (read country = \"DE\")");

    // The function's `Err` blocks only its criterion, with reason `error` and the message.
    let spelt_out = open_to_won(&engine, json!("Germany"), at)?;
    let blocker = spelt_out
        .blockers
        .first()
        .ok_or("the Germany deal is blocked")?;
    assert_eq!(blocker.reason, Reason::Error);
    let error = blocker.error.as_deref().unwrap_or_default();
    assert!(
        error.contains("territory_of: not a two-letter country code"),
        "{error}"
    );
    println!("a deal in \"Germany\" is blocked with an error: {error}");

    // The validator knows the name and the arity: mistakes are load errors at their line and column.
    let misspelt = PLAYBOOK.replace("territory_of(country)", "teritory_of(country)");
    let Err(refused) = loader.from_yaml(&misspelt, "territories.yaml") else {
        return Err("a misspelt host function loaded".into());
    };
    let found = refused.diagnostics.first().ok_or("a diagnostic")?;
    assert_eq!(found.code, "unknown-function");
    assert_eq!(found.help.as_deref(), Some("did you mean `territory_of`?"));
    println!(
        "misspelt: {}:{}: {}",
        found.line, found.column, found.message
    );

    let two_arguments = PLAYBOOK.replace("territory_of(country)", "territory_of(country, 2)");
    let Err(refused) = loader.from_yaml(&two_arguments, "territories.yaml") else {
        return Err("a call with the wrong arity loaded".into());
    };
    let found = refused.diagnostics.first().ok_or("a diagnostic")?;
    assert_eq!(found.code, "rhai-call");
    assert_eq!(found.message, "`territory_of` takes 1 argument, not 2");
    println!(
        "wrong arity: {}:{}: {}",
        found.line, found.column, found.message
    );

    // Without the host function, the playbook does not load at all.
    let plain = Loader::new().from_yaml(PLAYBOOK, "territories.yaml");
    assert!(plain.is_err());
    println!("without the host function the playbook is refused");

    // A name must be a new identifier, not one the engine or Rhai already uses.
    let taken = Loader::new().function(HostFunction::new("done", 1, |_: &[Value]| Ok(json!(true))));
    let Err(refused) = taken.from_yaml(PLAYBOOK, "territories.yaml") else {
        return Err("a host function named `done` was accepted".into());
    };
    assert!(refused
        .diagnostics
        .iter()
        .any(|d| d.code == "host-function"));
    println!("a host function named `done` is refused");
    Ok(())
}

/// The `open → won` move of a deal in `country`.
fn open_to_won(
    engine: &Engine,
    country: Value,
    at: stagegate::Timestamp,
) -> Result<MoveCheck, Box<dyn Error>> {
    let deal: Deal =
        serde_json::from_value(json!({ "id": "D-1", "fields": { "country": country } }))?;
    let evaluation = engine.evaluate(&deal, at, &Options::new())?;
    let check = evaluation.moves_to("won").next().ok_or("no move to won")?;
    Ok(check.clone())
}
