//! Limits a playbook sets for its own rules: they tighten the host's, within bounds.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use stagegate::{Deal, Engine, Limits, Options, Playbook, Reason};

fn playbook(limits: &str) -> String {
    format!(
        "stagegate: 1\nid: limited\nversion: 1\n{limits}\nfields: {{ name: {{ type: text }} }}\n\
         stages:\n  - id: open\n    exit: [ {{ id: long, when: '(name + name + name + name).len() == 240' }} ]\n\
         \x20 - {{ id: won, outcome: won }}\ntransitions: [ {{ from: open, to: won }} ]\n"
    )
}

fn reason(playbook: Playbook) -> Option<Reason> {
    // A 60-byte name: four of them make 240 bytes.
    let deal: Deal =
        serde_json::from_value(json!({ "fields": { "name": "K".repeat(60) } })).unwrap();
    let at = stagegate::parse_time("2026-11-27").unwrap();
    let evaluation = Engine::new(playbook)
        .evaluate(&deal, at, &Options::new())
        .unwrap();
    evaluation.transitions[0].blockers.first().map(|b| b.reason)
}

#[test]
fn a_playbook_may_tighten_a_limit() {
    let loose = Playbook::from_yaml(&playbook(""), "loose.yaml").unwrap();
    assert_eq!(
        reason(loose),
        None,
        "a 240-byte text is within the default limits"
    );
    let tight =
        Playbook::from_yaml(&playbook("limits: { string_size: 100 }"), "tight.yaml").unwrap();
    assert_eq!(
        reason(tight),
        Some(Reason::Error),
        "the playbook's own limit is hit"
    );
}

#[test]
fn the_host_limit_stays_the_ceiling() {
    let host = Limits {
        string_size: 100,
        ..Limits::default()
    };
    let text = playbook("limits: { string_size: 100000 }");
    let playbook = Playbook::from_yaml_with_limits(&text, "loose.yaml", host).unwrap();
    assert_eq!(
        reason(playbook),
        Some(Reason::Error),
        "the host's tighter limit wins"
    );
}

#[test]
fn limits_out_of_bounds_are_errors_at_their_line() {
    let text = playbook("limits: { operations: 0, call_levels: 100000 }");
    let found = Playbook::check(&text, "bad.yaml");
    let errors: Vec<(&str, usize, String)> = found
        .iter()
        .map(|d| (d.code, d.line, d.message.clone()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "out-of-range",
                4,
                "limit `operations` must be at least 1".to_owned()
            ),
            (
                "out-of-range",
                4,
                "limit `call_levels` may be at most 64, not 100000".to_owned()
            ),
        ]
    );
    let unknown = Playbook::check(&playbook("limits: { operatons: 5 }"), "typo.yaml");
    assert_eq!(unknown[0].code, "unknown-key");
    assert_eq!(
        unknown[0].help.as_deref(),
        Some("did you mean `operations`?")
    );
}
