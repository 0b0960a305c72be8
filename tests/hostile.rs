//! Hostile inputs: huge, extreme, deep, repeated or malicious deals, playbooks and rules must be
//! refused with a clear error (or still work), never panic and never hang. There are no timing
//! assertions: a test that returns has shown the input did not hang the engine.
//!
//! Also replays every input the fuzzer kept (`fuzz/corpus/*`, `fuzz/regressions/*`) through the
//! fuzz targets' own checks, so CI covers them without running the fuzzer.
// Tests fail loudly by design: the helpers and the fuzz bodies included below unwrap and expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use stagegate::{
    Blocker, Deal, DealError, DealProblem, DealReader, Engine, Evaluation, Limits, LoadError, Move,
    Options, Playbook, Reason, Score, Timestamp,
};

/// The fuzz targets' bodies and checks, shared with `cargo fuzz`.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod oracle;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bundled() -> &'static Engine {
    oracle::engine()
}

fn at() -> Timestamp {
    oracle::at()
}

/// Every item of a deals text.
fn read_all(text: &str) -> Vec<Result<Deal, DealError>> {
    DealReader::new(text.as_bytes(), "hostile")
        .take(1000)
        .map(|item| item.map(|(deal, _)| deal))
        .collect()
}

/// The one item of a deals text.
fn read_one(text: &str) -> Result<Deal, DealError> {
    let mut all = read_all(text);
    assert_eq!(all.len(), 1, "one item");
    all.remove(0)
}

/// The one unreadable-deal message of a deals text, with its line.
fn unreadable(text: &str) -> (usize, String) {
    let error = read_one(text).expect_err("refused");
    assert_eq!(error.file.as_deref(), Some("hostile"));
    match error.problems.as_slice() {
        [DealProblem::Unreadable(message)] => (error.line.expect("a line"), message.clone()),
        other => panic!("expected one unreadable problem, got {other:?}"),
    }
}

fn deal(value: Value) -> Deal {
    serde_json::from_value(value).expect("a deal")
}

fn only_move<'a>(evaluation: &'a Evaluation, from: &str, to: &str) -> &'a stagegate::MoveCheck {
    evaluation
        .transitions
        .iter()
        .find(|t| t.from == from && t.to == to)
        .unwrap_or_else(|| panic!("the move {from} -> {to} is evaluated"))
}

fn criteria(blockers: &[Blocker]) -> Vec<&str> {
    blockers.iter().flat_map(Blocker::names).collect()
}

// ---------------------------------------------------------------------------------------------
// Huge values.

#[test]
fn a_ten_megabyte_text_value_is_read_and_evaluated() {
    let big = "x".repeat(10 << 20);
    let as_json =
        format!(r#"{{"id": "D-big", "stage": "qualification", "fields": {{"need": "{big}"}}}}"#);
    let as_yaml = format!("id: D-big\nstage: qualification\nfields:\n  need: {big}\n");
    for text in [as_json, as_yaml] {
        let deal = read_one(&text).expect("a big text is still a deal");
        assert_eq!(deal.fields["need"].as_str().map(str::len), Some(10 << 20));
        let evaluation = bundled()
            .evaluate(&deal, at(), &Options::new())
            .expect("valid");
        oracle::check_evaluation(&evaluation);
        let next = only_move(&evaluation, "qualification", "needs_analysis");
        let names = criteria(&next.blockers);
        assert!(
            !names.contains(&"bant_need"),
            "the need is present: {names:?}"
        );
        assert!(
            names.contains(&"bant_authority"),
            "other gates still checked"
        );
    }
}

#[test]
fn a_ten_megabyte_value_of_the_wrong_type_gets_a_short_message() {
    let big = "y".repeat(10 << 20);
    let hostile = json!({"fields": {
        "employees": big, "amount": big, "champion": big, "stakeholders": [1, big],
    }});
    let error = bundled()
        .evaluate(&deal(hostile), at(), &Options::new())
        .expect_err("refused");
    assert_eq!(error.problems.len(), 4);
    for problem in &error.problems {
        assert!(
            matches!(problem, DealProblem::WrongValue { .. }),
            "{problem:?}"
        );
        let text = problem.to_string();
        assert!(
            text.len() < 300,
            "the message cuts the value: {} bytes",
            text.len()
        );
        assert!(text.contains("expected"), "{text:.200}");
    }
}

#[test]
fn a_ten_megabyte_enum_or_date_value_gets_a_short_message() {
    let big = "y".repeat(10 << 20);
    let hostile = json!({"fields": {"industry": big, "last_touch": big}});
    let error = bundled()
        .evaluate(&deal(hostile), at(), &Options::new())
        .expect_err("refused");
    assert_eq!(error.problems.len(), 2);
    for problem in &error.problems {
        let text = problem.to_string();
        assert!(
            text.len() < 300,
            "the message cuts the value: {} bytes",
            text.len()
        );
    }
}

#[test]
fn a_ten_megabyte_text_in_a_rule_is_decided_or_an_error() {
    let playbook = small_playbook("need.len() > 0", Limits::default()).expect("loads");
    let engine = Engine::new(playbook);
    let hostile = deal(json!({"fields": {"need": "z".repeat(10 << 20), "n": 5}}));
    let evaluation = engine
        .evaluate(&hostile, at(), &Options::new())
        .expect("valid");
    let blockers = &only_move(&evaluation, "open", "won").blockers;
    // Reading a text larger than the string limit either works or is an `error`, never a crash.
    if let Some(found) = blockers
        .iter()
        .find(|b| b.criterion.as_deref() == Some("hostile"))
    {
        assert_eq!(found.reason, Reason::Error, "{found:?}");
    }
    assert_rest_intact(&evaluation, true);
}

// ---------------------------------------------------------------------------------------------
// Extreme numbers and dates.

#[test]
fn extreme_numbers_in_number_fields_are_numbers() {
    for raw in [
        "1e308",
        "-1e308",
        "9223372036854775807",
        "-9223372036854775808",
    ] {
        let text = format!(
            r#"{{"stage": "proposal_negotiation", "fields": {{"amount": {raw}, "budget": {raw}}}}}"#
        );
        let deal = read_one(&text).unwrap_or_else(|e| panic!("{raw}: {e}"));
        let evaluation = bundled().evaluate(&deal, at(), &Options::new()).expect(raw);
        oracle::check_evaluation(&evaluation);
        let close = only_move(&evaluation, "proposal_negotiation", "closing");
        let names = criteria(&close.blockers);
        // budget >= amount holds for equal values, however large.
        assert!(!names.contains(&"within_budget"), "{raw}: {names:?}");
        let budget_rule = &evaluation.scores["lead"].rules[0];
        assert_eq!(budget_rule.id, "budget_confirmed");
        assert_eq!(budget_rule.matched, !raw.starts_with('-'), "{raw}");
    }
}

#[test]
fn numbers_too_large_for_json_are_refused_with_a_position() {
    for field in ["amount", "employees"] {
        let error =
            read_one(&format!("\n{{\"fields\": {{\"{field}\": 1e999}}}}")).expect_err(field);
        assert_eq!(error.line, Some(2), "the line of the deal");
        assert_eq!(
            error.problems[..],
            [DealProblem::WrongValue {
                field: field.to_owned(),
                problem:
                    "`1e999` is beyond the largest number a JSON deal may hold (about 1.8e308)"
                        .to_owned()
            }]
        );
    }
}

#[test]
fn whole_numbers_beyond_64_bits_in_number_fields_are_refused_not_rounded() {
    for raw in [
        "18446744073709551616",
        "-9223372036854775809",
        "12345678901234567890123",
    ] {
        let text = format!(r#"{{"id": "D-9", "fields": {{"amount": {raw}}}}}"#);
        let error = read_one(&text).expect_err(raw);
        assert_eq!(error.deal, "D-9", "{raw}");
        let message = error.to_string();
        assert!(message.contains("field `amount`"), "{message}");
        assert!(
            message.contains(&format!(
                "`{raw}` is a whole number beyond the largest one a JSON deal may hold"
            )),
            "{message}"
        );
    }
}

#[test]
fn integers_beyond_64_bits_are_refused_naming_the_field() {
    for raw in [
        "9223372036854775808",
        "18446744073709551616",
        "-9223372036854775809",
        "1e308",
        "-1e308",
        "1.5",
    ] {
        let problems = match read_one(&format!(r#"{{"fields": {{"employees": {raw}}}}}"#)) {
            Ok(deal) => {
                bundled()
                    .evaluate(&deal, at(), &Options::new())
                    .expect_err(raw)
                    .problems
            }
            // YAML and JSON readers may refuse the number already.
            Err(error) => error.problems,
        };
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 1, "{raw}: {text:?}");
        assert!(text[0].contains("employees"), "{raw}: {text:?}");
        assert!(text[0].contains("whole number"), "{raw}: {text:?}");
    }
    // The largest 64-bit integer itself is fine, and rules computing with it fail cleanly.
    let max = read_one(r#"{"fields": {"employees": 9223372036854775807}}"#).unwrap();
    let evaluation = bundled()
        .evaluate(&max, at(), &Options::new())
        .expect("i64::MAX is a whole number");
    let rules = &evaluation.scores["lead"].rules;
    assert!(rules.iter().any(|r| r.id == "mid_market" && r.matched));
    let playbook = small_playbook("n * 2 > 0", Limits::default()).expect("loads");
    let evaluation = Engine::new(playbook)
        .evaluate(
            &deal(json!({"fields": {"n": i64::MAX, "need": "x"}})),
            at(),
            &Options::new(),
        )
        .expect("valid");
    let hostile = hostile_blocker(&evaluation);
    assert_eq!(hostile.reason, Reason::Error);
    assert!(
        hostile.error.as_deref().unwrap().contains("overflow"),
        "{hostile:?}"
    );
}

#[test]
fn impossible_dates_are_refused_naming_each_place() {
    for date in [
        "0000-00-00",
        "9999-99-99",
        "2026-02-30",
        "2026-13-01",
        "2026-11-02T25:00:00Z",
    ] {
        let hostile = deal(json!({
            "stage": "qualification",
            "fields": {"last_touch": date},
            "activities": {"discovery_call": date},
            "history": [{"at": date, "to": "qualification"}],
        }));
        let error = bundled()
            .evaluate(&hostile, at(), &Options::new())
            .expect_err(date);
        let text: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{date}: {text:?}");
        for (problem, place) in
            text.iter()
                .zip(["last_touch", "activities.discovery_call", "history[0].at"])
        {
            assert!(problem.contains(place), "{date}: {problem}");
            assert!(problem.contains(date), "{date}: {problem}");
        }
    }
}

#[test]
fn far_dates_that_exist_are_dates() {
    // ISO 8601 expanded years before the common era are dates; day counts stay whole numbers.
    for date in [
        "-000001-01-01",
        "0000-01-01",
        "0001-01-01T00:00:00Z",
        "9999-01-01",
    ] {
        let hostile = deal(json!({
            "stage": "qualification",
            "fields": {"last_touch": date},
            "activities": {"discovery_call": date},
            "history": [{"at": date, "to": "qualification"}],
        }));
        let evaluation = bundled()
            .evaluate(&hostile, at(), &Options::new())
            .expect(date);
        oracle::check_evaluation(&evaluation);
        let recent = &evaluation.scores["lead"].rules;
        let recent = recent.iter().find(|r| r.id == "recent_touch").unwrap();
        assert!(recent.error.is_none(), "{date}: {recent:?}");
        assert_eq!(
            recent.matched,
            date.starts_with("9999"),
            "{date}: days_since"
        );
        let stalled = evaluation
            .warnings
            .iter()
            .find(|w| w.stage == "qualification");
        assert_eq!(stalled.is_some(), !date.starts_with("9999"), "{date}");
    }
}

#[test]
fn the_last_day_of_year_9999_is_a_date() {
    // CRMs export 9999-12-31 as "no end"; it is a valid ISO 8601 date and RFC 3339 date-time.
    for date in ["9999-12-31", "9999-12-31T23:59:59Z"] {
        let hostile = deal(json!({
            "stage": "onboarding",
            "fields": {"renewal_date": date},
            "activities": {"early_value_measurement": date},
        }));
        let evaluation = bundled().evaluate(&hostile, at(), &Options::new());
        assert!(
            evaluation.is_ok(),
            "{date}: {:?}",
            evaluation.err().map(|e| e.to_string())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Many fields, a long history, deep nesting, alias bombs.

#[test]
fn a_deal_with_100_000_fields_is_refused_naming_them() {
    // Two-letter names: no "did you mean" work per field (see the next test for that), so the
    // test stays quick in debug builds.
    let name = |i: u32| -> String {
        let letter = |n: u32| char::from_u32(0xAC00 + n).unwrap();
        [letter(i / 400), letter(i % 400)].iter().collect()
    };
    let fields: Vec<String> = (0..100_000)
        .map(|i| format!(r#""{}": {i}"#, name(i)))
        .collect();
    let text = format!(r#"{{"id": "D-wide", "fields": {{{}}}}}"#, fields.join(", "));
    let deal = read_one(&text).expect("readable");
    assert_eq!(deal.fields.len(), 100_000);
    let error = bundled()
        .evaluate(&deal, at(), &Options::new())
        .expect_err("undeclared fields");
    assert_eq!(error.deal, "D-wide");
    assert_eq!(error.problems.len(), 100_000, "every field is named");
    assert!(error
        .problems
        .iter()
        .all(|p| matches!(p, DealProblem::UndeclaredField { help: None, .. })));
    assert_eq!(
        error.problems[0].to_string(),
        format!("field `{}` is not declared in the playbook", name(0))
    );
}

#[test]
fn a_deal_with_thousands_of_misspelt_fields_gets_a_hint_for_each() {
    let fields: Vec<String> = (0..3_000)
        .map(|i| format!(r#""budgte_{i:04}": {i}, "amuont{i:04}": 1"#))
        .collect();
    let text = format!(r#"{{"fields": {{{}, "budgte": 5}}}}"#, fields.join(", "));
    let deal = read_one(&text).expect("readable");
    let error = bundled()
        .evaluate(&deal, at(), &Options::new())
        .expect_err("undeclared fields");
    assert_eq!(error.problems.len(), 6_001);
    let hinted: Vec<_> = error
        .problems
        .iter()
        .filter_map(|p| match p {
            DealProblem::UndeclaredField { field, help } => Some((field, help)),
            _ => None,
        })
        .filter(|(field, _)| field.as_str() == "budgte")
        .collect();
    assert_eq!(hinted.len(), 1);
    assert_eq!(hinted[0].1.as_deref(), Some("did you mean `budget`?"));
}

#[test]
fn a_history_of_200_000_entries_is_read_evaluated_and_extended() {
    let entries: Vec<String> = (0..200_000)
        .map(|i| {
            let day = 1 + i % 28;
            format!(r#"  {{"at": "2026-10-{day:02}T00:00:00Z", "from": "lead_generation", "to": "qualification", "kind": "advance"}}"#)
        })
        .collect();
    let text = format!(
        r#"{{"id": "D-long", "stage": "qualification", "history": [{}]}}"#,
        entries.join(",\n")
    );
    let deal = read_one(&text).expect("readable");
    assert_eq!(deal.history.len(), 200_000);
    let evaluation = bundled()
        .evaluate(&deal, at(), &Options::new())
        .expect("valid");
    oracle::check_evaluation(&evaluation);
    // The last entry into qualification counts: 1 + 199_999 % 28 = 24, so 2026-10-24.
    let stalled = evaluation
        .warnings
        .iter()
        .find(|w| w.stage == "qualification");
    assert_eq!(stalled.map(|w| w.days), Some(34));
    let check = only_move(&evaluation, "qualification", "lost");
    assert!(check.allowed);
    let moved = bundled()
        .apply(&deal, &Move::to("lost").by(oracle::mover()), at())
        .expect("allowed")
        .deal;
    oracle::check_moved(&deal, &moved, check, &evaluation);
    assert_eq!(moved.history.len(), 200_001);
}

/// Reads every deal of `text`: (line, deal id or the error's message).
fn read_lines(text: &str, file: &str) -> Vec<(usize, String)> {
    stagegate::DealReader::new(text.as_bytes(), file)
        .map(|read| match read {
            Ok((deal, origin)) => (origin.line, deal.id.unwrap_or_default()),
            Err(error) => (error.line.unwrap_or(0), error.to_string()),
        })
        .collect()
}

#[test]
fn a_deal_over_the_size_limit_is_reported_and_reading_goes_on() {
    let huge = "x".repeat(stagegate::MAX_DEAL_BYTES);
    let lines = format!(
        "{{\"id\": \"D-1\"}}\n{{\"id\": \"D-2\", \"fields\": {{\"need\": \"{huge}\"}}}}\n{{\"id\": \"D-3\"}}\n"
    );
    let read = read_lines(&lines, "book.jsonl");
    let size = lines.lines().nth(1).map_or(0, str::len);
    let message = format!(
        "book.jsonl:2: deal `#2`: the deal is {size} bytes; deals are limited to {}",
        stagegate::MAX_DEAL_BYTES
    );
    assert_eq!(
        read,
        [(1, "D-1".to_owned()), (2, message), (3, "D-3".to_owned())]
    );

    // YAML: one document too big, one line of it longer than the limit by itself.
    let documents = format!("id: D-1\n---\nid: D-2\nfields:\n  need: {huge}x\n---\nid: D-3\n");
    let read = read_lines(&documents, "book.yaml");
    assert_eq!(read.len(), 3);
    assert_eq!(read[0], (1, "D-1".to_owned()));
    assert_eq!(read[1].0, 3);
    assert!(
        read[1]
            .1
            .starts_with("book.yaml:3: deal `#2`: the deal is "),
        "{}",
        read[1].1
    );
    assert_eq!(read[2], (7, "D-3".to_owned()));
}

fn nested(depth: usize) -> Value {
    let mut value = json!("x");
    for _ in 0..depth {
        value = Value::Array(vec![value]);
    }
    value
}

#[test]
fn values_nested_10_000_deep_are_refused() {
    let open = "[".repeat(10_000);
    let close = "]".repeat(10_000);
    let (line, message) = unreadable(&format!("{{\"fields\": {{\"need\": {open}1{close}}}}}"));
    assert_eq!(line, 1);
    assert!(message.contains("recursion limit"), "{message}");
    let (line, message) = unreadable(&format!("id: D-1\nfields:\n  need: {open}1{close}\n"));
    assert!((1..=3).contains(&line), "{line}");
    assert!(message.contains("recursion limit"), "{message}");

    // A host may build such a value itself, past any parser's limit.
    let mut fields = BTreeMap::new();
    fields.insert("need".to_owned(), nested(10_000));
    fields.insert("stakeholders".to_owned(), nested(10_000));
    let hostile = Deal {
        fields,
        ..Deal::default()
    };
    let error = bundled()
        .evaluate(&hostile, at(), &Options::new())
        .expect_err("wrong kinds");
    let text: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "field `need`: expected a text, got a list",
            "field `stakeholders`: expected a list of texts, got a list"
        ]
    );
    let refused = bundled().apply(
        &hostile,
        &Move::to("qualification").by(oracle::mover()),
        at(),
    );
    assert!(matches!(refused, Err(stagegate::MoveError::Deal(_))));
}

const ALIAS_BOMB_FIELDS: &str = "\
fields:
  a: &a [x, x, x, x, x, x, x, x, x]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  stakeholders: *h
";

#[test]
fn a_yaml_alias_bomb_as_a_deal_is_refused() {
    let (line, message) = unreadable(ALIAS_BOMB_FIELDS);
    assert!(line >= 1);
    assert!(message.contains("repetition limit"), "{message}");
    // The same bomb as the second document of a stream: the first deal is still read.
    let items = read_all(&format!("id: D-1\n---\n{ALIAS_BOMB_FIELDS}---\nid: D-3\n"));
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("D-1"));
    let error = items[1].as_ref().expect_err("the bomb");
    assert_eq!(error.line, Some(3));
    assert_eq!(items[2].as_ref().unwrap().id.as_deref(), Some("D-3"));
    // And the checked-in fixture.
    let fixture =
        std::fs::read_to_string(root().join("tests/fixtures/hostile/alias-bomb-deal.yaml"))
            .expect("fixture");
    let (_, message) = unreadable(&fixture);
    assert!(message.contains("repetition limit"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Deal streams that never end.

#[test]
fn json_objects_separated_by_commas_are_read_around_the_comma() {
    let items: Vec<_> = DealReader::new(&br#"{"id": "a"},{"id": "b"}"#[..], "hostile")
        .take(10)
        .collect();
    assert_eq!(items.len(), 3, "a, the comma, b: {items:?}");
    assert_eq!(items[0].as_ref().unwrap().0.id.as_deref(), Some("a"));
    let error = items[1].as_ref().expect_err("the comma is not a deal");
    assert_eq!(error.line, Some(1));
    assert_eq!(items[2].as_ref().unwrap().0.id.as_deref(), Some("b"));
}

#[test]
fn json_objects_followed_by_a_stray_separator_end() {
    for name in ["stray-comma.jsonl", "stray-bracket.json"] {
        let text = std::fs::read(root().join("tests/fixtures/hostile").join(name)).unwrap();
        let items: Vec<_> = DealReader::new(&text[..], name).take(50).collect();
        assert!(
            items.len() < 10,
            "{name}: the reader stops ({} items and counting)",
            items.len()
        );
        let ids: Vec<_> = items
            .iter()
            .filter_map(|item| item.as_ref().ok())
            .filter_map(|(deal, _)| deal.id.clone())
            .collect();
        assert!(ids.contains(&"D-1".to_owned()), "{name}: {ids:?}");
        assert!(
            items.iter().any(Result::is_err),
            "{name}: the separator is reported"
        );
    }
}

#[test]
fn a_json_deal_with_a_nested_object_at_the_start_of_a_line_is_one_deal() {
    let name = "nested-object-at-line-start.json";
    let text = std::fs::read(root().join("tests/fixtures/hostile").join(name)).unwrap();
    assert!(serde_json::from_slice::<Value>(&text).is_ok(), "valid JSON");
    let items: Vec<_> = DealReader::new(&text[..], name).take(10).collect();
    assert_eq!(items.len(), 1, "one deal: {items:?}");
    let (deal, _) = items[0].as_ref().expect("readable");
    assert_eq!(deal.id.as_deref(), Some("D-1"));
    assert_eq!(deal.history.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Hostile playbooks and the Rhai limits.

/// A playbook whose `open -> won` move needs the rule under test (`hostile`), a sane rule
/// (`sane: n >= 0`) and, on entry to `won`, the field `need`; a scorecard `s` runs the rule
/// too (5 points) beside a sane rule (`n > 0`, 7 points).
fn small_playbook(rule: &str, limits: Limits) -> Result<Playbook, LoadError> {
    let text = format!(
        "stagegate: 1
id: hostile
version: 1
fields:
  need: {{ type: text }}
  tags: {{ type: list }}
  n: {{ type: integer }}
scorecards:
  s:
    rules:
      - id: hostile_rule
        points: 5
        when: |-
          {rule}
      - {{ id: sane_rule, when: \"n > 0\", points: 7 }}
stages:
  - id: open
    exit:
      - id: hostile
        when: |-
          {rule}
      - {{ id: sane, when: \"n >= 0\" }}
  - id: won
    outcome: won
    entry: [ {{ id: has_need, fields: [need] }} ]
transitions: [ {{ from: open, to: won }} ]
"
    );
    Playbook::from_yaml_with_limits(&text, "hostile.yaml", limits)
}

/// The lines of the rule in `small_playbook`: the scorecard rule's and the criterion's.
const RULE_LINES: [usize; 2] = [14, 21];

/// The base deal of the limit tests: `n` = 5, `need` present.
fn base_fields() -> serde_json::Map<String, Value> {
    let mut fields = serde_json::Map::new();
    fields.insert("n".to_owned(), json!(5));
    fields.insert("need".to_owned(), json!("x"));
    fields
}

fn evaluate_small(rule: &str, limits: Limits, extra: Value) -> Evaluation {
    let playbook = small_playbook(rule, limits).unwrap_or_else(|e| panic!("{rule:.80}: {e}"));
    let mut fields = base_fields();
    if let Value::Object(extra) = extra {
        fields.extend(extra);
    }
    Engine::new(playbook)
        .evaluate(&deal(json!({ "fields": fields })), at(), &Options::new())
        .expect("valid deal")
}

fn hostile_blocker(evaluation: &Evaluation) -> &Blocker {
    let check = only_move(evaluation, "open", "won");
    check
        .blockers
        .iter()
        .find(|b| b.criterion.as_deref() == Some("hostile"))
        .unwrap_or_else(|| panic!("the hostile rule blocks: {check:?}"))
}

/// Everything but the hostile rule was evaluated as usual.
fn assert_rest_intact(evaluation: &Evaluation, need_present: bool) {
    let check = only_move(evaluation, "open", "won");
    let names = criteria(&check.blockers);
    assert!(!names.contains(&"sane"), "the sane rule holds: {names:?}");
    assert_eq!(names.contains(&"has_need"), !need_present, "{names:?}");
    let score: &Score = &evaluation.scores["s"];
    let sane = score.rules.iter().find(|r| r.id == "sane_rule").unwrap();
    assert!(sane.matched && sane.points == 7, "{sane:?}");
    let hostile = score.rules.iter().find(|r| r.id == "hostile_rule").unwrap();
    assert_eq!(score.total, 7 + hostile.points);
    assert_eq!(check.allowed, check.blockers.is_empty());
}

/// The rule blocks with reason `error` saying `what`, in the gate and in the scorecard, and
/// nothing else is disturbed.
fn assert_limit_hit(evaluation: &Evaluation, what: &str) {
    let blocker = hostile_blocker(evaluation);
    assert_eq!(blocker.reason, Reason::Error, "{blocker:?}");
    let error = blocker.error.as_deref().expect("an error message");
    assert!(error.contains(what), "`{error}` mentions `{what}`");
    let rule = evaluation.scores["s"]
        .rules
        .iter()
        .find(|r| r.id == "hostile_rule")
        .unwrap();
    assert!(!rule.matched && rule.points == 0, "{rule:?}");
    assert!(
        rule.error.as_deref().is_some_and(|e| e.contains(what)),
        "{rule:?}"
    );
    assert_rest_intact(evaluation, true);
}

/// The rule holds: neither a blocker nor a scorecard error.
fn assert_holds(evaluation: &Evaluation) {
    let check = only_move(evaluation, "open", "won");
    assert!(check.allowed, "{check:?}");
    let rule = evaluation.scores["s"]
        .rules
        .iter()
        .find(|r| r.id == "hostile_rule")
        .unwrap();
    assert!(rule.matched && rule.error.is_none(), "{rule:?}");
    assert_rest_intact(evaluation, true);
}

fn load_error_at_rule(result: Result<Playbook, LoadError>, what: &str) {
    let error = result.expect_err("refused at load");
    let found: Vec<_> = error.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(!found.is_empty());
    for d in found {
        assert_eq!(d.code, "rhai-syntax", "{d}");
        assert!(d.message.contains(what), "{d}");
        assert!(RULE_LINES.contains(&d.line), "{d}");
        assert!(d.column >= 1, "{d}");
    }
}

#[test]
fn the_small_playbook_works_with_an_ordinary_rule() {
    assert_holds(&evaluate_small("n + 1 > 0", Limits::default(), json!({})));
    let evaluation = evaluate_small("n > 100", Limits::default(), json!({}));
    assert_eq!(hostile_blocker(&evaluation).reason, Reason::Failed);
    assert_rest_intact(&evaluation, true);
}

#[test]
fn operations_limit() {
    // No loops in rules; one interpolation step per `${}` adds up past the default 100,000.
    let rule = format!("`{}`.len() == 0", "${need.sub_string(0, 0)}".repeat(30_000));
    assert_limit_hit(
        &evaluate_small(&rule, Limits::default(), json!({})),
        "operation limit",
    );
    let generous = Limits {
        operations: 10_000_000,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(&rule, generous, json!({})));
    // A tighter limit turns an ordinary rule into an error.
    let rule = r#"tags.contains("b") && need.len() > 0"#;
    let tags = json!({"tags": ["a", "b", "c"]});
    assert_holds(&evaluate_small(rule, Limits::default(), tags.clone()));
    let tight = Limits {
        operations: 1,
        ..Limits::default()
    };
    assert_limit_hit(&evaluate_small(rule, tight, tags), "operation limit");
}

#[test]
fn call_levels_limit_is_not_reachable_from_a_rule() {
    // Rules cannot define or call script functions (no `fn`, no closures), and Rhai counts only
    // those against the call depth: nested built-in calls never hit it, even with a limit of 1.
    // Nesting is bounded by the expression depth instead, at load.
    let rule = "abs(abs(abs(abs(abs(abs(abs(abs(n)))))))) > 0";
    let one = Limits {
        call_levels: 1,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(rule, one, json!({})));
    assert!(small_playbook("fn f(x) { f(x) } f(n)", Limits::default()).is_err());
    assert!(small_playbook("|| n > 0", Limits::default()).is_err());
    let deep = format!("{}n{} > 0", "abs(".repeat(100), ")".repeat(100));
    load_error_at_rule(small_playbook(&deep, Limits::default()), "complexity");
}

#[test]
fn expression_depth_limit_is_enforced_at_load() {
    let deep = format!("{}n{} > 0", "(".repeat(100), ")".repeat(100));
    load_error_at_rule(small_playbook(&deep, Limits::default()), "complexity");
    let deeper_allowed = Limits {
        expression_depth: 1_000,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(&deep, deeper_allowed, json!({})));
    // A tighter limit refuses what the default accepts.
    let modest = format!("{}n{} > 0", "(".repeat(20), ")".repeat(20));
    assert_holds(&evaluate_small(&modest, Limits::default(), json!({})));
    let tight = Limits {
        expression_depth: 8,
        ..Limits::default()
    };
    load_error_at_rule(small_playbook(&modest, tight), "complexity");
}

#[test]
fn a_chain_of_thousands_of_conditions_is_refused_at_load() {
    for terms in [1_000, 20_000] {
        let chain = vec!["n > 0"; terms].join(" && ");
        load_error_at_rule(small_playbook(&chain, Limits::default()), "complexity");
    }
    let chain = vec!["n > 0"; 30].join(" && ");
    assert_holds(&evaluate_small(&chain, Limits::default(), json!({})));
}

#[test]
fn string_size_limit() {
    let rule = "(need + need).len() > 0";
    let long = json!({"need": "w".repeat(40_000)});
    assert_limit_hit(
        &evaluate_small(rule, Limits::default(), long.clone()),
        "length of string",
    );
    let generous = Limits {
        string_size: 1 << 20,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(rule, generous, long));
    // A rule that builds a huge text by itself.
    for rule in [
        r#""x".pad(100000000, "x") == """#,
        r#"need.pad(70000, "x").len() > 0"#,
    ] {
        assert_limit_hit(
            &evaluate_small(rule, Limits::default(), json!({})),
            "length of string",
        );
    }
    let tight = Limits {
        string_size: 8,
        ..Limits::default()
    };
    let ten = json!({"need": "0123456789"});
    assert_holds(&evaluate_small(
        r#"(need + "!").len() == 11"#,
        Limits::default(),
        ten.clone(),
    ));
    assert_limit_hit(
        &evaluate_small(r#"(need + "!").len() == 11"#, tight, ten),
        "length of string",
    );
}

#[test]
fn text_times_a_number_is_an_error_not_a_100_megabyte_text() {
    // Refused at load by the rule types, at the rule's line.
    let error =
        small_playbook(r#""x" * 100000000 == """#, Limits::default()).expect_err("refused at load");
    for d in error.diagnostics.iter().filter(|d| d.is_error()) {
        assert_eq!(d.code, "rule-type", "{d}");
        assert!(RULE_LINES.contains(&d.line), "{d}");
    }
    // Where the checker cannot see the types (a value read through indexing), it is a run-time
    // error that blocks only its own criterion.
    let evaluation = evaluate_small(
        r#"[need][0] * 100000000 == """#,
        Limits::default(),
        json!({}),
    );
    let blocker = hostile_blocker(&evaluation);
    assert_eq!(blocker.reason, Reason::Error, "{blocker:?}");
    assert_rest_intact(&evaluation, true);
}

#[test]
fn array_size_limit() {
    let rule = "(tags + tags).len() > 0";
    let many = json!({"tags": vec!["t"; 6_000]});
    assert_limit_hit(
        &evaluate_small(rule, Limits::default(), many.clone()),
        "size of array",
    );
    let generous = Limits {
        array_size: 100_000,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(rule, generous, many));
    assert_limit_hit(
        &evaluate_small("[].pad(100000, 0).len() > 0", Limits::default(), json!({})),
        "size of array",
    );
    // A literal over the limit is refused at load.
    let tight = Limits {
        array_size: 2,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(
        "[1, 2, 3].len() == 3",
        Limits::default(),
        json!({}),
    ));
    load_error_at_rule(
        small_playbook("[1, 2, 3].len() == 3", tight),
        "array literal",
    );
    let three = json!({"tags": ["a", "b", "c"]});
    assert_limit_hit(
        &evaluate_small("(tags + tags).len() == 6", tight, three),
        "size of array",
    );
}

#[test]
fn map_size_limit() {
    let half = |prefix: &str| {
        let entries: Vec<String> = (0..5_001).map(|i| format!("{prefix}{i}: 1")).collect();
        format!("#{{{}}}", entries.join(", "))
    };
    let rule = format!("({} + {}).len() > 0", half("a"), half("b"));
    assert_limit_hit(
        &evaluate_small(&rule, Limits::default(), json!({})),
        "object map",
    );
    let generous = Limits {
        map_size: 100_000,
        ..Limits::default()
    };
    assert_holds(&evaluate_small(&rule, generous, json!({})));
    let tight = Limits {
        map_size: 1,
        ..Limits::default()
    };
    let merge = "(#{a: 1} + #{b: 2}).len() == 2";
    assert_holds(&evaluate_small(merge, Limits::default(), json!({})));
    assert_limit_hit(&evaluate_small(merge, tight, json!({})), "object map");
    load_error_at_rule(
        small_playbook("#{a: 1, b: 2}.len() == 2", tight),
        "object map literal",
    );
}

#[test]
fn a_playbook_over_the_size_limit_is_refused_as_a_whole() {
    let mut text = String::from("stagegate: 1\nid: big\nversion: 1\nstages: [{id: open}]\n");
    text.push_str(&"# padding\n".repeat(stagegate::MAX_PLAYBOOK_BYTES / 10 + 1));
    let found = Playbook::check(&text, "big.yaml");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "too-large");
    assert_eq!(
        (found[0].line, found[0].column),
        (0, 0),
        "about the whole file"
    );
    assert!(Playbook::from_yaml(&text, "big.yaml").is_err());
}

#[test]
fn checked_in_hostile_playbooks_are_refused_with_diagnostics() {
    let dir = root().join("tests/fixtures/hostile");
    let mut seen = 0;
    for path in files_in(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(code) = name
            .strip_prefix("playbook-")
            .and_then(|n| n.split('.').next())
        else {
            continue;
        };
        seen += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let found = Playbook::check(&text, &name);
        assert!(
            found
                .iter()
                .any(|d| d.is_error() && code.starts_with(d.code)),
            "{name}: {found:?}"
        );
        oracle::load_playbook(text.as_bytes());
    }
    assert!(seen >= 2, "fixtures found: {seen}");
}

// ---------------------------------------------------------------------------------------------
// The fuzzer's corpus and regressions, replayed.

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A fuzz target's body.
type Target = fn(&[u8]);

/// Every kept input of every target through the function that checks it, except files named
/// `open-bug-*`: inputs of a bug still open, which has its own ignored test.
fn replay() -> usize {
    let targets: [(&str, Target); 3] = [
        ("load_playbook", oracle::load_playbook),
        ("read_deals", oracle::read_deals),
        ("evaluate", oracle::evaluate),
    ];
    let mut count = 0;
    for (target, run) in targets {
        for kind in ["corpus", "regressions"] {
            for path in files_in(&root().join("fuzz").join(kind).join(target)) {
                let name = path.file_name().unwrap().to_string_lossy();
                if name.starts_with("open-bug-") {
                    continue;
                }
                let data = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| run(&data));
                assert!(
                    outcome.is_ok(),
                    "{target}: {} fails its checks",
                    path.display()
                );
                count += 1;
            }
        }
    }
    count
}

#[test]
fn fuzz_corpus_and_regressions_replay() {
    let count = replay();
    assert!(
        count >= 100,
        "the seed corpora and regressions are there: {count} inputs"
    );
}
