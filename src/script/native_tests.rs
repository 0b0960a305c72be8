//! Property tests: the native path and Rhai agree wherever the native path decides, with every
//! field present or missing (three-valued logic).

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::deal::Checked;
use crate::script::logic::tests::{decide, Path};
use crate::script::{set_context, Bindings, Context, Facts, Limits, Names, Sandbox};

const FIELDS: [&str; 7] = ["i", "j", "n", "t", "b", "l", "d"];

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(FIELDS.to_vec()).prop_map(str::to_owned),
        (-5i64..5).prop_map(|i| i.to_string()),
        proptest::sample::select(vec!["9223372036854775807", "0", "-1", "100_000"])
            .prop_map(str::to_owned),
        (-50.0f64..50.0).prop_map(|f| format!("{f:.2}")),
        proptest::sample::select(vec!["\"a\"", "\"b\"", "\"CFO\"", "\"\""]).prop_map(str::to_owned),
        proptest::sample::select(vec!["true", "false"]).prop_map(str::to_owned),
        proptest::sample::select(vec![
            "done(\"call\")",
            "in_stage(\"open\")",
            "score(\"lead\")",
            "band(\"lead\")",
            "days_in_stage()",
            "days_since(t)",
            "days_since(\"2026-01-31\")",
            "t.len()",
            "len(l)",
            "l.len()",
            "has(i)",
            "has(l)",
            "(i ?? 3)",
            "(t ?? \"b\")",
            "(n ?? j ?? 0.5)",
            "today()",
            "d",
            "d",
            "\"2026-11-27\"",
            "\"2026-11-28T08:00:00+09:00\"",
            "\"2026-11-27 14:00\"",
            "days_since(d)",
            "days_until(d)",
            "(d ?? today())",
            "days_until(t)",
            "days_until(\"2026-12-24T18:00:00Z\")"
        ])
        .prop_map(str::to_owned),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 3, |inner| {
        let binary = proptest::sample::select(vec![
            "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&&", "||", "|", "&",
        ]);
        prop_oneof![
            (inner.clone(), binary, inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("!({a})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            (inner.clone(), proptest::collection::vec(atom(), 0..4))
                .prop_map(|(a, list)| format!("({a} in [{}])", list.join(", "))),
            (inner, proptest::sample::select(vec!["t", "l"]))
                .prop_map(|(a, f)| format!("({a} in {f})")),
        ]
    })
}

fn value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        (-6i64..6).prop_map(|i| Some(json!(i))),
        Just(Some(json!(i64::MAX))),
        (-60.0f64..60.0).prop_map(|f| Some(json!(f))),
        proptest::sample::select(vec!["a", "b", "CFO", "", "ab", "2026-11-01", "위험"])
            .prop_map(|s| Some(json!(s))),
        any::<bool>().prop_map(|b| Some(json!(b))),
        proptest::collection::vec(proptest::sample::select(vec!["a", "b", "CFO"]), 0..3)
            .prop_map(|items| Some(json!(items))),
    ]
}

/// A date field's value: absent, or a date or date-time in the forms deals use.
fn date() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        proptest::sample::select(vec![
            "2026-11-27",
            "2026-11-27T00:00:00Z",
            "2026-11-27T23:30:00Z",
            "2026-11-28T08:00:00+09:00",
            "2026-11-28T01:00:00+09:00",
            "2025-01-31",
            "2026-12-24T18:00:00-05:00",
            "2026-11-27 15:30",
            "2026-11-27T19:00:00",
        ])
        .prop_map(|d| Some(d.to_owned())),
    ]
}

/// A value as the deal check gives it to rules (without its rule that empty counts as absent,
/// so both paths also meet empty texts and lists).
fn checked(value: &Value) -> Option<Checked<'_>> {
    Some(match value {
        Value::Bool(b) => Checked::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Checked::Integer(i),
            None => Checked::Number(n.as_f64()?),
        },
        Value::String(s) => Checked::Text(s),
        Value::Array(items) => Checked::List(items),
        _ => return None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Wherever the native path decides, Rhai decides the same (true, false, or missing with
    /// the same fields); where Rhai fails, the native path leaves the decision to it.
    #[test]
    fn native_results_are_rhai_results(source in expression(), values in proptest::collection::vec(value(), 6), date in date()) {
        let fields: crate::support::ids::IdIndex = FIELDS.iter().enumerate().map(|(i, f)| (f.to_string(), i)).collect();
        let activities: crate::support::ids::IdIndex = [("call".to_owned(), 0)].into_iter().collect();
        let cards: crate::support::ids::IdIndex = [("lead".to_owned(), 0)].into_iter().collect();
        let stages: crate::support::ids::IdIndex = [("open".to_owned(), 0)].into_iter().collect();
        // No field kinds: fields type as unknown, so ill-typed expressions still compile and both
        // paths are compared on them.
        let names = Names { fields: &fields, activities: &activities, cards: &cards, stages: &stages, kinds: &[], bands: &[] };
        let sandbox = Sandbox::new(Limits::default(), &[]);
        let Ok(script) = sandbox.compile(&source, &names) else {
            return Ok(());
        };
        let at = crate::support::time::parse_time("2026-11-27T10:00:00Z").unwrap();
        let since = crate::support::time::parse_time("2026-10-02").unwrap();
        // Not UTC: both paths must read zone-less dates in the playbook's time zone.
        let zone = crate::support::time::zone("America/New_York").unwrap();
        set_context(Context {
            done: ["call".to_owned()].into(),
            scores: [("lead".to_owned(), (42, Some("mql".to_owned())))].into(),
            active: vec!["open".to_owned()],
            at: Some(at),
            stage_since: Some(since),
            zone: zone.clone(),
        });
        let dates: Vec<Option<(jiff::Timestamp, String)>> = vec![date.map(|d| (crate::support::time::read_time(&d, &zone).unwrap(), d))];
        let mut values: Vec<Option<Checked<'_>>> = values.iter().map(|v| v.as_ref().and_then(checked)).collect();
        // `d` is a date field: its value is the instant, as the deal check gives it.
        values.push(dates[0].as_ref().map(|(at, text)| Checked::Date(*at, text)));
        let facts = Facts {
            values: &values,
            done: &[true],
            active: &[0],
            scores: &[Some((42, Some("mql")))],
            at: Some(at),
            stage_since: Some(since),
            zone: &zone,
        };
        let mut scope = Bindings::new(FIELDS.iter().copied().zip(values.iter().map(Option::as_ref)));
        if let Some(native) = decide(&sandbox, &script, &facts, &mut scope, Path::Native) {
            let rhai = decide(&sandbox, &script, &facts, &mut scope, Path::Rhai);
            prop_assert_eq!(rhai, Some(native), "{}", source);
        }
    }
}

#[test]
fn the_usual_rules_are_native() {
    let fields: crate::support::ids::IdIndex =
        [("budget", 0), ("decision_maker", 1), ("stakeholders", 2)]
            .iter()
            .map(|(f, i)| (f.to_string(), *i))
            .collect();
    let empty = crate::support::ids::IdIndex::default();
    let cards: crate::support::ids::IdIndex = [("lead".to_owned(), 0)].into_iter().collect();
    let names = Names {
        fields: &fields,
        activities: &empty,
        cards: &cards,
        stages: &empty,
        kinds: &[],
        bands: &[],
    };
    let sandbox = Sandbox::new(Limits::default(), &[]);
    for source in [
        "budget >= 50_000",
        "decision_maker in [\"CEO\", \"CFO\"]",
        "!(budget < 10) && decision_maker != \"\" || budget * 2 > 3.5",
        "\"CFO\" in stakeholders",
        "score(\"lead\") >= 70 && budget <= 30",
        "stakeholders.len() >= 2",
        "decision_maker.len() > 0",
        "days_since(decision_maker) <= 14 && days_in_stage() > 3",
        "has(budget) && (budget ?? 0) > 10",
        "days_until(decision_maker) < 30 && decision_maker > today()",
    ] {
        let script = sandbox.compile(source, &names).unwrap();
        assert!(script.whole.native.is_some(), "{source} is not native");
    }
}
