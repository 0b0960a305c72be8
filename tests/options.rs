//! One call shape: `Options` instead of suffixed names, `assess` answering what a board's card
//! and a coverage run read from one fit of the deal, a move's effects read on the evaluator that
//! checked the move, and the deprecated names answering exactly as the calls that replace them.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::at;
use serde_json::{json, Value};
use stagegate::registry::Registry;
use stagegate::{
    Actor, Deal, DealReader, EffectKind, Engine, HostFunction, Loader, Move, Options, Playbook,
};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bundled() -> Engine {
    let playbook = Playbook::load(format!("{ROOT}/playbooks/b2b-sales.yaml")).unwrap();
    Engine::new(playbook).with_language("en")
}

/// Every deal of examples/deals and of the bundled playbook's test cases.
fn deals(engine: &Engine) -> Vec<Deal> {
    let mut deals: Vec<Deal> = engine
        .playbook()
        .tests()
        .iter()
        .map(|case| case.deal.clone())
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(format!("{ROOT}/examples/deals"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for read in DealReader::new(text.as_bytes(), &path.display().to_string()) {
            deals.push(read.unwrap().0);
        }
    }
    assert!(deals.len() > 40, "{} deals", deals.len());
    deals
}

#[test]
fn assess_answers_evaluate_and_time_in_stages_from_one_fit() {
    let engine = bundled();
    let kang = Actor::new("kang", ["manager"]);
    for deal in deals(&engine) {
        for options in [Options::new(), Options::new().as_actor(&kang)] {
            let assessed = engine.assess(&deal, at(), &options).unwrap();
            assert_eq!(
                assessed.evaluation,
                engine.evaluate(&deal, at(), &options).unwrap()
            );
            assert_eq!(
                assessed.stage_times,
                engine.time_in_stages(&deal, at()).unwrap()
            );
            assert!(assessed.trace.is_empty(), "traced only when asked");
            let traced = engine.assess(&deal, at(), &options.traced()).unwrap();
            assert_eq!(traced.evaluation, assessed.evaluation);
            assert!(!traced.trace.is_empty(), "every deal's gates are checked");
        }
    }
}

/// A playbook whose gate out of `lead` needs Rhai (a host function), so that the Rhai context is
/// made while the move is checked, and whose notifications read the stages the deal is in.
fn moving_playbook() -> Engine {
    let shout = HostFunction::new("shout", 1, |args: &[Value]| {
        Ok(json!(args[0].as_str().unwrap_or_default().to_uppercase()))
    });
    let yaml = r#"
stagegate: 1
id: p
version: 1
roles: { manager: {} }
fields: { name: { type: text } }
stages:
  - id: lead
    exit: [ { id: named, when: 'shout(name) != ""' } ]
    on_exit:
      - notify: { role: manager, when: 'in_stage("lead") == (shout(name) == "ACME")', message: still in lead }
  - id: qualify
    on_enter:
      - notify: { role: manager, when: 'in_stage("qualify") == (shout(name) == "ACME")', message: now in qualify }
      - notify: { role: manager, when: 'days_in_stage() >= 0', message: days counted }
  - { id: won, outcome: won }
transitions: [ { from: lead, to: qualify }, { from: qualify, to: won } ]
"#;
    let playbook = Loader::new()
        .function(shout)
        .from_yaml(yaml, "p.yaml")
        .unwrap();
    Engine::new(playbook)
}

#[test]
fn a_notification_rule_reads_the_moved_deal_on_the_evaluator_that_checked_the_move() {
    let engine = moving_playbook();
    let deal: Deal =
        serde_json::from_value(json!({"id": "D-1", "fields": {"name": "Acme"}})).unwrap();
    let applied = engine.apply(&deal, &Move::to("qualify"), at()).unwrap();
    assert_eq!(applied.deal.stages, ["qualify"]);
    let sent: Vec<&str> = applied
        .effects
        .iter()
        .filter(|e| e.kind == EffectKind::Notify)
        .filter_map(|e| e.message.as_deref())
        .collect();
    // The deal has left `lead` and is in `qualify`, in Rhai too; the moved deal's time in its
    // new stage is not counted for a notification (as when it was checked afresh).
    assert_eq!(sent, ["now in qualify"]);
}

#[test]
#[allow(deprecated)]
fn the_deprecated_names_answer_as_the_calls_that_replace_them() {
    let engine = bundled();
    let kang = Actor::new("kang", ["manager"]);
    let as_kang = Options::new().as_actor(&kang);
    for deal in deals(&engine) {
        assert_eq!(
            engine.evaluate_as(&deal, &kang, at()),
            engine.evaluate(&deal, at(), &as_kang)
        );
        let assessed = engine
            .assess(&deal, at(), &Options::new().traced())
            .unwrap();
        assert_eq!(
            engine.evaluate_traced(&deal, at()).unwrap(),
            (assessed.evaluation, assessed.trace)
        );
        let Some(stage) = deal.stages.first() else {
            continue;
        };
        for transition in engine.playbook().transitions() {
            if transition.from != *stage {
                continue;
            }
            let wanted = Move::to(&transition.to)
                .from(stage)
                .by(kang.clone())
                .forced("the same move twice");
            assert_eq!(
                engine.apply_with_effects(&deal, &wanted, at()),
                engine.apply(&deal, &wanted, at())
            );
        }
        let text = serde_json::to_string(&deal).unwrap();
        assert_eq!(
            engine.score_json(&text, at()),
            stagegate::contract::score_json(&engine, &text, at())
        );
    }
}

#[test]
#[allow(deprecated)]
fn the_deprecated_names_of_migrations_and_the_registry_answer_as_their_replacements() {
    let v1 = "stagegate: 1\nid: p\nversion: 1\nroles: { rep: {} }\nstages: [{id: lead}, {id: discovery}]\ntransitions: [{from: lead, to: discovery}]\n";
    let v2 = "stagegate: 1\nid: p\nversion: 2\nroles: { rep: {} }\nstages: [{id: lead}, {id: qualify}]\ntransitions: [{from: lead, to: qualify}]\nmigrations: [{from: 1, stages: {discovery: qualify}}]\n";
    let old = Playbook::from_yaml(v1, "v1.yaml").unwrap();
    let newer = Engine::new(Playbook::from_yaml(v2, "v2.yaml").unwrap());
    let deal: Deal =
        serde_json::from_value(json!({"id": "D-1", "playbook": "p@1", "stage": "discovery"}))
            .unwrap();
    let ops = Actor::new("ops", ["rep"]);
    let by_ops = Options::new().as_actor(&ops);
    let moved = newer.migrate(&old, &deal, at(), &by_ops).unwrap();
    assert_eq!(moved.history.last().unwrap().by.as_deref(), Some("ops"));
    assert_eq!(newer.migrate_as(&old, &deal, &ops, at()), Ok(moved.clone()));

    let registry = Registry::new(Loader::new());
    registry.load_yaml(v1, "v1.yaml").unwrap();
    registry.load_yaml(v2, "v2.yaml").unwrap();
    assert_eq!(
        registry.migrate(&deal, "p", at(), &by_ops).unwrap(),
        moved,
        "the registry records the actor on each step as the engine does"
    );
    let lead: Deal = serde_json::from_value(json!({"id": "D-2", "playbook": "p@2"})).unwrap();
    assert_eq!(
        registry.evaluate_as(&lead, &ops, at()).unwrap(),
        registry.evaluate(&lead, at(), &by_ops).unwrap()
    );
    let wanted = Move::to("qualify").by(ops.clone());
    assert_eq!(
        registry.apply_with_effects(&lead, &wanted, at()).unwrap(),
        registry.apply(&lead, &wanted, at()).unwrap()
    );
}
