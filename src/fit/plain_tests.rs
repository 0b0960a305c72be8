//! The quick way reads a deal exactly as the full way (`serde_json` into a `Deal`, then
//! `check`) or declines; and it does not decline the plain deals it is for.

use std::cell::Cell;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};

use super::read;
use crate::model::Playbook;
use crate::{deal::Deal, fit::check};

/// A playbook with a field of every type, an activity, and stages.
const PLAYBOOK: &str = r#"stagegate: 1
id: t
version: 2
fields:
  b: { type: bool }
  i: { type: integer }
  n: { type: number }
  t: { type: text }
  d: { type: date }
  e: { type: enum, values: [a, b] }
  l: { type: list }
stages:
  - id: open
    activities:
      - { id: call, required: true }
      - { id: demo, required: true }
  - id: won
    outcome: won
  - id: lost
    outcome: lost
transitions:
  - { from: open, to: won }
  - { from: "*", to: lost }
"#;

fn playbook() -> Playbook {
    Playbook::from_yaml(PLAYBOOK, "t.yaml").expect("the test playbook loads")
}

/// Field values: right, wrong, escaped, out of range, lists and maps.
const VALUES: &[&str] = &[
    "true",
    "false",
    "0",
    "-7",
    "7",
    "7.0",
    "7.5",
    "-0",
    "1e3",
    "1e16",
    "9007199254740993.0",
    "18446744073709551615",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "\"\"",
    "\"x\"",
    "\"a\"",
    "\"b\"",
    "\"c\"",
    "\"2026-11-02\"",
    "\"2026-02-30\"",
    "\"2026-11-02T10:00:00Z\"",
    "\"0000-00-00\"",
    "\"esc\\\"aped\"",
    "\"\\u0061\"",
    "\"é\"",
    "\"위험\"",
    "null",
    "[]",
    "[\"x\"]",
    "[\"x\", 1]",
    "{}",
    "1e400",
];

fn object_of(keys: Vec<&'static str>, values: Vec<&'static str>) -> String {
    let pairs: Vec<String> = keys
        .iter()
        .zip(values)
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// One member of `fields`: mostly a value its field takes, sometimes any value.
fn field_member() -> BoxedStrategy<String> {
    let good: Vec<(&str, Vec<&str>)> = vec![
        ("b", vec!["true", "false", "null"]),
        (
            "i",
            vec![
                "0",
                "-7",
                "7",
                "7.0",
                "1e3",
                "-0",
                "9223372036854775807",
                "-9223372036854775808",
            ],
        ),
        (
            "n",
            vec![
                "0",
                "-7",
                "7.5",
                "1e3",
                "1e16",
                "-0",
                "18446744073709551615",
                "9223372036854775808",
            ],
        ),
        ("t", vec!["\"\"", "\"x\"", "\"é\"", "\"위험\""]),
        (
            "d",
            vec!["\"\"", "\"2026-11-02\"", "\"2026-11-02T10:00:00Z\""],
        ),
        ("e", vec!["\"\"", "\"a\"", "\"b\""]),
        ("l", vec!["null", "[]"]),
    ];
    let any_key = select(vec!["b", "i", "n", "t", "d", "e", "l", "zz", "\\u0074"]);
    let mut choices: Vec<(u32, BoxedStrategy<String>)> = good
        .into_iter()
        .map(|(key, values)| {
            let value = prop_oneof![4 => select(values), 1 => select(VALUES.to_vec())];
            (
                4,
                value.prop_map(move |v| format!("\"{key}\": {v}")).boxed(),
            )
        })
        .collect();
    choices.push((
        1,
        (any_key, select(VALUES.to_vec()))
            .prop_map(|(k, v)| format!("\"{k}\": {v}"))
            .boxed(),
    ));
    proptest::strategy::Union::new_weighted(choices).boxed()
}

fn fields() -> BoxedStrategy<String> {
    prop_oneof![
        8 => vec(field_member(), 0..8).prop_map(|m| format!("{{{}}}", m.join(", "))),
        1 => select(vec!["null", "[]", "3"]).prop_map(str::to_owned),
    ]
    .boxed()
}

fn activities() -> BoxedStrategy<String> {
    let keys =
        prop_oneof![6 => select(vec!["call", "demo"]), 1 => select(vec!["nope", "ca\\u006cl"])];
    let values = prop_oneof![
        4 => select(vec!["true", "false", "\"2026-11-02\"", "\"2026-11-02T09:30:00+09:00\""]),
        1 => select(vec!["\"bad\"", "null", "1"]),
    ];
    prop_oneof![
        6 => (vec(keys, 0..4), vec(values, 4)).prop_map(|(k, v)| object_of(k, v)),
        1 => select(vec!["null", "[]"]).prop_map(str::to_owned),
    ]
    .boxed()
}

/// A strategy per top-level key (and one for a key no deal has), mostly right.
fn members() -> Vec<BoxedStrategy<String>> {
    let fixed = |key: &'static str, good: Vec<&'static str>, bad: Vec<&'static str>| {
        prop_oneof![4 => select(good), 1 => select(bad)]
            .prop_map(move |v| format!("\"{key}\": {v}"))
            .boxed()
    };
    vec![
        fixed(
            "id",
            vec!["\"D-1\"", "\"D\\\"1\"", "12", "-3", "1.5", "1e3", "null"],
            vec!["true", "[1]"],
        ),
        fixed(
            "playbook",
            vec!["\"t\"", "\"t@2\"", "null"],
            vec!["\"t@1\"", "\"u\"", "\"t@x\"", "3"],
        ),
        fixed(
            "stage",
            vec!["\"open\"", "\"won\"", "null", "\"op\\u0065n\""],
            vec!["\"nope\"", "1"],
        ),
        fixed(
            "stages",
            vec![
                "[]",
                "[\"open\"]",
                "[\"open\", \"won\"]",
                "[\"won\", \"open\"]",
                "null",
            ],
            vec!["[\"open\", \"open\"]", "[\"x\"]", "\"open\"", "[1]"],
        ),
        fields().prop_map(|f| format!("\"fields\": {f}")).boxed(),
        activities()
            .prop_map(|a| format!("\"activities\": {a}"))
            .boxed(),
        fixed(
            "history",
            vec![
                "[]",
                "null",
                r#"[{"at": "2026-11-01", "to": "open"}]"#,
                r#"[{"at": "2026-11-01", "to": "open"}, {"at": "2026-11-03T10:00:00Z", "from": "open", "to": "won", "kind": "advance"}]"#,
                r#"[{"at": "2026-11-01", "to": "open", "migrated_from": "t@1"}]"#,
            ],
            vec![
                r#"[{"at": "bad", "to": "open"}]"#,
                r#"[{"at": "2026-11-01", "to": "nope"}]"#,
                r#"[{"at": "2026-11-01", "from": "nope", "to": "open"}]"#,
                r#"[{"at": "2026-11-01", "to": "open", "extra": 1}]"#,
                r#"[{"at": "2026-11-01", "to": "open", "kind": "sideways"}]"#,
                "{}",
            ],
        ),
        fixed("colour", vec!["\"red\""], vec!["\"red\""]),
    ]
}

/// A deal's JSON text: mostly an object with some of the keys, sometimes one twice, sometimes
/// with something after it, sometimes not an object at all.
fn deal_text() -> impl Strategy<Value = String> {
    // The key no deal has (the last strategy) is rare; so are `stage` and `stages` together.
    let some: Vec<_> = members()
        .into_iter()
        .zip([0.5, 0.5, 0.2, 0.4, 0.7, 0.5, 0.5, 0.04])
        .map(|(member, weight)| proptest::option::weighted(weight, member))
        .collect();
    let again = proptest::option::weighted(0.1, proptest::strategy::Union::new(members()));
    let object = (some, again).prop_map(|(members, again)| {
        let members: Vec<String> = members.into_iter().flatten().chain(again).collect();
        format!("{{{}}}", members.join(", "))
    });
    let around = prop_oneof![12 => Just(""), 1 => select(vec![" ", "\n", " x", "{}", ","])];
    prop_oneof![
        12 => (object.clone(), around).prop_map(|(o, a)| format!("{o}{a}")),
        1 => object.prop_map(|o| format!("[{o}]")),
        1 => select(vec!["", "null", "{", "{\"id\": }", "[]"]).prop_map(str::to_owned),
    ]
}

#[test]
fn the_quick_way_reads_as_the_full_way_or_declines() {
    let playbook = playbook();
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    let (valid, quick) = (Cell::new(0), Cell::new(0));
    let outcome = runner.run(&deal_text(), |text| {
        let full = serde_json::from_str::<Deal>(&text);
        let checked = full
            .as_ref()
            .ok()
            .map(|deal| (deal, check(&playbook, deal)));
        if let Some((_, Ok(_))) = &checked {
            valid.set(valid.get() + 1);
        }
        let Some(plain) = read(&playbook, &text) else {
            return Ok(());
        };
        quick.set(quick.get() + 1);
        let Some((deal, Ok(facts))) = checked else {
            return Err(TestCaseError::fail(format!(
                "read quickly, but the full way refuses it: {:?}",
                checked.map(|(_, c)| c.err())
            )));
        };
        prop_assert_eq!(plain.id.as_deref(), deal.id.as_deref());
        prop_assert_eq!(&plain.facts, &facts);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    // Most valid deals here have no escapes and no lists: the quick way must take many of them.
    let (valid, quick) = (valid.get(), quick.get());
    assert!(
        valid > 200,
        "the generator makes valid deals ({valid} of 2000)"
    );
    assert!(
        quick * 2 > valid,
        "read quickly: {quick} of {valid} valid deals"
    );
}

#[test]
fn plain_deals_are_read_quickly() {
    let playbook = playbook();
    for text in [
        r#"{"id": "D-1", "playbook": "t@2", "stage": "open", "fields": {"b": true, "i": 3, "n": 2, "t": "x", "d": "2026-11-02", "e": "a"}}"#,
        r#"{"stages": ["won", "open"], "activities": {"call": "2026-11-02", "demo": false}, "history": [{"at": "2026-11-01", "to": "open"}]}"#,
        r#"{"id": 7, "fields": {"i": 7.0, "t": "위험", "e": "", "l": null}}"#,
        "{}",
    ] {
        assert!(read(&playbook, text).is_some(), "{text}");
    }
    let plain = read(&playbook, r#"{"id": 7, "fields": {"i": 7.0, "n": 3}}"#).expect("plain");
    assert_eq!(plain.id.as_deref(), Some("7"));
    assert_eq!(plain.facts.active, [0]);
}

#[test]
fn doubtful_deals_are_left_to_the_full_way() {
    let playbook = playbook();
    for text in [
        r#"{"fields": {"t": "esc\"aped"}}"#,
        r#"{"fields": {"l": ["x"]}}"#,
        r#"{"fields": {"zz": 1}}"#,
        r#"{"fields": {"i": 7.5}}"#,
        r#"{"fields": {"e": "c"}}"#,
        r#"{"stage": "open", "stages": ["won"]}"#,
        r#"{"stages": ["open", "open"]}"#,
        r#"{"playbook": "t@1"}"#,
        r#"{"id": "a", "id": "b"}"#,
        r#"{"activities": {"call": "2026-02-30"}}"#,
        r#"{"history": [{"at": "2026-11-01", "to": "nope"}]}"#,
        r#"{"colour": "red"}"#,
        r#"{} x"#,
        r#"[{}]"#,
    ] {
        assert!(read(&playbook, text).is_none(), "{text}");
    }
}
