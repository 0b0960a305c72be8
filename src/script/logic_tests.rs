//! Three-valued logic: every connective with true, false and missing on each side, decided by
//! the native path and by Rhai alike; and the functions for missing facts.

use serde_json::{json, Value};

use super::Truth;
use crate::deal::Checked;
use crate::script::{set_context, Bindings, Context, Facts, Limits, Names, Part, Sandbox, Script};
use crate::support::ids::IdIndex;

/// Which path decides a part.
#[derive(Clone, Copy, Debug)]
pub(in crate::script) enum Path {
    /// Natively; `decide` gives `None` when a part is beyond the native path.
    Native,
    Rhai,
}

/// Decides `script` on one path, as the engine does (the whole first, then part by part).
pub(in crate::script) fn decide(
    sandbox: &Sandbox,
    script: &Script,
    facts: &Facts<'_>,
    bindings: &mut Bindings,
    path: Path,
) -> Option<Truth> {
    let mut beyond_native = false;
    let truth = script.decide(&mut |part: &Part| {
        let missing = part.missing(|f| facts.values[f].is_some());
        if !missing.is_empty() {
            return Truth::Missing(missing);
        }
        match path {
            Path::Native => Sandbox::run_native(part, facts).map_or_else(
                || {
                    beyond_native = true;
                    Truth::Failed("beyond the native path".to_owned())
                },
                Truth::Holds,
            ),
            Path::Rhai => match sandbox.run_rhai(part, bindings) {
                Ok(held) => Truth::Holds(held),
                Err(error) => Truth::Failed(error),
            },
        }
    });
    (!beyond_native).then_some(truth)
}

const FIELDS: [&str; 4] = ["a", "b", "amount", "close_date"];

/// Decides `source` with the given values (`None`: the deal lacks the field) on both paths,
/// asserting they agree, and gives the truth.
fn truth(source: &str, values: &[Option<Value>; 4]) -> Truth {
    let fields: IdIndex = FIELDS
        .iter()
        .enumerate()
        .map(|(i, f)| (f.to_string(), i))
        .collect();
    let empty = IdIndex::default();
    let names = Names {
        fields: &fields,
        activities: &empty,
        cards: &empty,
        stages: &empty,
        kinds: &[],
        bands: &[],
    };
    let sandbox = Sandbox::new(Limits::default(), &[]);
    let script = sandbox.compile(source, &names).unwrap();
    let at = crate::support::time::parse_time("2026-11-27T10:00:00Z").unwrap();
    set_context(Context {
        at: Some(at),
        ..Context::default()
    });
    let checked: Vec<Option<Checked<'_>>> = values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            // `close_date` is a date field: the deal check gives rules its instant.
            Some(Value::String(s)) if FIELDS[i] == "close_date" => Some(Checked::Date(
                crate::support::time::parse_time(s).unwrap(),
                s,
            )),
            Some(Value::Bool(b)) => Some(Checked::Bool(*b)),
            Some(Value::Number(n)) => Some(Checked::Integer(n.as_i64().unwrap())),
            Some(Value::String(s)) => Some(Checked::Text(s)),
            _ => None,
        })
        .collect();
    let facts = Facts {
        values: &checked,
        done: &[],
        active: &[],
        scores: &[],
        at: Some(at),
        stage_since: None,
        zone: &jiff::tz::TimeZone::UTC,
    };
    let mut bindings = Bindings::new(
        FIELDS
            .iter()
            .copied()
            .zip(checked.iter().map(Option::as_ref)),
    );
    let rhai = decide(&sandbox, &script, &facts, &mut bindings, Path::Rhai).unwrap();
    match decide(&sandbox, &script, &facts, &mut bindings, Path::Native) {
        Some(native) => assert_eq!(native, rhai, "`{source}` with {values:?}"),
        // The native path leaves failures to Rhai.
        None if matches!(rhai, Truth::Failed(_)) => {}
        None => panic!("`{source}` is beyond the native path"),
    }
    rhai
}

/// A truth value of the table, as a field value.
fn value(t: Option<bool>) -> Option<Value> {
    t.map(Value::Bool)
}

fn expected(t: Option<bool>, missing: Vec<usize>) -> Truth {
    match t {
        Some(b) => Truth::Holds(b),
        None => Truth::Missing(missing),
    }
}

const VALUES: [Option<bool>; 3] = [Some(true), Some(false), None];

/// Kleene's `&&` and `||`, and the fields named when the result is missing.
#[test]
fn each_connective_with_true_false_and_missing_on_both_sides() {
    for a in VALUES {
        for b in VALUES {
            let both_missing: Vec<usize> =
                [a.map_or(Some(0), |_| None), b.map_or(Some(1), |_| None)]
                    .into_iter()
                    .flatten()
                    .collect();
            let and = match (a, b) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            let or = match (a, b) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
            let values = [value(a), value(b), None, None];
            assert_eq!(
                truth("a && b", &values),
                expected(and, both_missing.clone()),
                "{a:?} && {b:?}"
            );
            assert_eq!(
                truth("a || b", &values),
                expected(or, both_missing.clone()),
                "{a:?} || {b:?}"
            );
            // The same through comparisons, which are parts of their own.
            assert_eq!(
                truth("a == true && b == true", &values),
                expected(and, both_missing.clone()),
                "(a == true) && (b == true) with {a:?}, {b:?}"
            );
            // Rhai's `|` and `&` join conditions the same way.
            assert_eq!(
                truth("a | b", &values),
                expected(or, both_missing.clone()),
                "{a:?} | {b:?}"
            );
            assert_eq!(
                truth("a & b", &values),
                expected(and, both_missing.clone()),
                "{a:?} & {b:?}"
            );
            assert_eq!(
                truth("!(a != true || b != true)", &values),
                expected(and, both_missing),
                "!(a != true || b != true) with {a:?}, {b:?}"
            );
        }
        assert_eq!(
            truth("!a", &[value(a), None, None, None]),
            expected(a.map(|a| !a), vec![0]),
            "!{a:?}"
        );
    }
}

#[test]
fn only_the_fields_that_leave_a_rule_undecided_are_named() {
    let values = [Some(json!(false)), None, None, None];
    // `a` is false, so only the right-hand side of `||` is undecided.
    assert_eq!(
        truth("a || b || amount > 5", &values),
        Truth::Missing(vec![1, 2])
    );
    assert_eq!(
        truth("(a && amount > 5) || b", &values),
        Truth::Missing(vec![1])
    );
    // The issue's example: a 10% discount opens the gate without `budget_approved`.
    let values = [None, Some(json!(10)), Some(json!(10)), None];
    assert_eq!(truth("b <= 20 || a", &values), Truth::Holds(true));
    assert_eq!(truth("b <= 20 | a", &values), Truth::Holds(true));
    assert_eq!(
        truth("amount + b > 100 || a", &values),
        Truth::Missing(vec![0])
    );
}

#[test]
fn has_and_a_default_never_miss() {
    let lacking = [None, None, None, None];
    assert_eq!(truth("has(amount)", &lacking), Truth::Holds(false));
    assert_eq!(
        truth("!has(amount) || amount > 5", &lacking),
        Truth::Holds(true)
    );
    assert_eq!(truth("(amount ?? 0) > 5", &lacking), Truth::Holds(false));
    assert_eq!(truth("(amount ?? 10) > 5", &lacking), Truth::Holds(true));
    let holding = [None, None, Some(json!(7)), None];
    assert_eq!(
        truth("has(amount) && amount > 5", &holding),
        Truth::Holds(true)
    );
    assert_eq!(truth("(amount ?? 0) > 5", &holding), Truth::Holds(true));
    // A default that reads a field needs it.
    assert_eq!(
        truth("(amount ?? b) > 5", &lacking),
        Truth::Missing(vec![1])
    );
}

#[test]
fn today_and_days_until_read_the_evaluation_time() {
    let values = [None, None, None, Some(json!("2026-12-01"))];
    assert_eq!(
        truth("today() == \"2026-11-27\"", &values),
        Truth::Holds(true)
    );
    assert_eq!(truth("close_date > today()", &values), Truth::Holds(true));
    // 2026-11-27T10:00Z to 2026-12-01T00:00Z: three days and 14 hours, so the 4th day ahead;
    // `days_until` is always the opposite of `days_since`.
    assert_eq!(
        truth("days_until(close_date) == 4", &values),
        Truth::Holds(true)
    );
    assert_eq!(
        truth("days_until(close_date) == -days_since(close_date)", &values),
        Truth::Holds(true)
    );
    // On the day itself it is 0 all day, as `close_date >= today()` holds all day.
    assert_eq!(
        truth(
            "days_until(\"2026-11-27\") == 0 && \"2026-11-27\" >= today()",
            &values
        ),
        Truth::Holds(true)
    );
    assert_eq!(
        truth("days_until(\"2026-11-26\") == -1", &values),
        Truth::Holds(true)
    );
    assert_eq!(
        truth("days_until(close_date) < 7", &[None, None, None, None]),
        Truth::Missing(vec![3])
    );
}

/// Rhai compares a float within a relative epsilon, and the native path does as Rhai does.
#[test]
fn floats_compare_as_rhai_compares_them() {
    let none = [None, None, None, None];
    assert_eq!(truth("0.1 + 0.2 == 0.3", &none), Truth::Holds(true));
    assert_eq!(truth("0.1 + 0.2 > 0.3", &none), Truth::Holds(false));
    assert_eq!(truth("300 > -1e308 * 10.0", &none), Truth::Holds(false));
    assert_eq!(truth("300 >= 299.9", &none), Truth::Holds(true));
}

/// `/` as rules mean it: exact for whole numbers, and never infinity.
#[test]
fn division_is_exact_and_never_infinite() {
    let values = [None, Some(json!(3)), Some(json!(0)), None];
    assert_eq!(truth("b / 4 == 0.75", &values), Truth::Holds(true));
    assert_eq!(truth("b / 4 >= 0.5", &values), Truth::Holds(true));
    assert_eq!(
        truth("12 / 4 == 3 && 12 / 4 / 3 == 1", &values),
        Truth::Holds(true)
    );
    assert_eq!(
        truth("7 % 4 == 3 && 7.5 % 2 == 1.5", &values),
        Truth::Holds(true)
    );
    for rule in [
        "b / amount > 1",
        "500.0 / amount >= 100",
        "b / 0.0 < 1",
        "2.5 % amount == 1",
    ] {
        match truth(rule, &values) {
            Truth::Failed(error) => {
                assert!(error.starts_with("division by zero: "), "{rule}: {error}")
            }
            other => panic!("{rule}: {other:?}"),
        }
    }
}

/// Dates compare as the instants they mean, whatever their offset or form.
#[test]
fn dates_compare_as_instants() {
    let at = |date: &str| [None, None, None, Some(json!(date))];
    let utc = at("2026-11-27T23:30:00Z");
    // 2026-11-28T08:00+09:00 is 2026-11-27T23:00Z, before 23:30Z (as texts, it sorts after).
    assert_eq!(
        truth(r#"close_date >= "2026-11-28T08:00:00+09:00""#, &utc),
        Truth::Holds(true)
    );
    let seoul = at("2026-11-28T01:00:00+09:00");
    // 2026-11-27T16:00Z: before midnight of the 28th.
    assert_eq!(
        truth(r#"close_date >= "2026-11-28""#, &seoul),
        Truth::Holds(false)
    );
    assert_eq!(
        truth(r#"close_date < "2026-11-28""#, &seoul),
        Truth::Holds(true)
    );
    let midnight = at("2026-11-27T00:00:00Z");
    assert_eq!(
        truth(r#"close_date == "2026-11-27""#, &midnight),
        Truth::Holds(true)
    );
    assert_eq!(
        truth("close_date == today()", &midnight),
        Truth::Holds(true)
    );
    assert_eq!(
        truth(r#"today() == "2026-11-27T00:00:00Z""#, &midnight),
        Truth::Holds(true)
    );
    assert_eq!(
        truth(r#"close_date in ["2026-11-27"]"#, &midnight),
        Truth::Holds(true)
    );
}
