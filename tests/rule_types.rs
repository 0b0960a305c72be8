//! Types of rules: rules that can never hold are refused at load (tests/fixtures/diagnostics has
//! one fixture per kind, with places and snapshots); rules that work are never refused.

use stagegate::{HostFunction, Loader, Playbook};

/// A playbook with every field type, a scorecard with bands, and `rule` as a gate.
fn playbook_with(rule: &str) -> String {
    format!(
        r#"stagegate: 1
id: types
version: 1
fields:
  arr: {{ type: number }}
  seats: {{ type: integer }}
  name: {{ type: text }}
  industry: {{ type: enum, values: [fintech, retail] }}
  champion: {{ type: bool }}
  close_date: {{ type: date }}
  tags: {{ type: list }}
scorecards:
  lead:
    rules: [ {{ id: big, when: "arr >= 1000", points: 10 }} ]
    bands: {{ cold: 0, hot: 10 }}
activities: []
stages:
  - id: open
    activities: [ {{ id: demo }} ]
    exit:
      - id: rule
        when: '{rule}'
  - {{ id: won, outcome: won }}
transitions: [ {{ from: open, to: won }} ]
"#
    )
    .replace("activities: []\n", "")
}

fn codes(rule: &str) -> Vec<&'static str> {
    let loader = Loader::new().function(HostFunction::new("territory", 1, |_| Ok("emea".into())));
    match loader.from_yaml(&playbook_with(rule), "types.yaml") {
        Ok(_) => Vec::new(),
        Err(error) => error
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect(),
    }
}

#[test]
fn rules_that_work_are_never_refused() {
    for rule in [
        "arr >= 50000",
        "arr >= 50000.5 && seats > 2.5",
        "seats * 2 >= 10 && arr / seats > 100",
        "seats % 2 == 0 || -arr < 0",
        r#"industry in ["fintech", "retail"]"#,
        r#"industry == "retail" || industry != name"#,
        r#"band("lead") == "hot" && score("lead") >= 10"#,
        r#"close_date < "2026-12-01" && close_date >= "2026-01-01T09:00:00Z""#,
        "days_since(close_date) > 3 && days_in_stage() < 30",
        r#""vip" in tags && tags.len() > 0 && len(name) > 2"#,
        r#""acme" in name && (name + "!").len() > 1"#,
        r#"champion && !champion || done("demo") && in_stage("open")"#,
        r#"name != "" || name != "x""#,
        r#"(name ?? "x") == "y" && (arr ?? 0) > 1.5 && (industry ?? "retail") != "fintech""#,
        r#"!has(champion) || champion && days_until(close_date) < 30 && close_date > today()"#,
        r#"(close_date ?? today()) >= "2026-01-01""#,
        // `band` is empty below every band; a text that is not empty is not missing.
        r#"band("lead") == "" || band("lead") in ["cold", ""]"#,
        r#"name != "" && tags.len() != 0 && seats == 2.0"#,
        // A default that is no value of the enum is one more value the rule may meet.
        r#"(industry ?? "none") == "none" || (industry ?? "Fintech") == "retail""#,
        // What the checker does not model is left to run time.
        r#"territory(name) == "emea" && territory(arr) > 3"#,
        "tags[0] == \"a\"",
    ] {
        assert_eq!(codes(rule), Vec::<&str>::new(), "{rule}");
    }
}

#[test]
fn rules_that_never_hold_are_refused() {
    for rule in [
        r#"arr >= "50000""#,
        r#"industry in ["fintec", "retail"]"#,
        r#"industry == "Retail""#,
        "champion > 5",
        "seats * 2",
        r#"band("lead") == "hotx""#,
        r#"close_date < "soon""#,
        "arr.len() > 1",
        "name * 2 == 4",
        "!arr",
        "champion && seats",
        r#"name > "m""#,
        r#"5 in name"#,
        r#"(arr ?? "0") > 1"#,
        r#"(industry ?? "none") == "Retail""#,
        "today() == 5",
        "days_until(seats) > 1",
        "champion && seats",
        r#"name == """#,
        "tags.len() == 0",
        "0 == len(tags)",
        "tags == []",
        "seats == 2.5",
        r#"industry == """#,
        "seats > 1 || name",
        "!name",
        r#"tags == "vip""#,
        r#"seats in ["a"]"#,
        r#"5 in seats"#,
        r#"industry in [1]"#,
        r#"name == [1]"#,
    ] {
        assert_eq!(codes(rule), ["rule-type"], "{rule}");
        // Each says what to write instead.
        let found = Playbook::check(&playbook_with(rule), "types.yaml");
        for error in found.iter().filter(|d| d.is_error()) {
            assert!(error.help.is_some(), "{rule}: {error} has no help");
        }
    }
}

#[test]
fn values_that_can_never_be_equal_are_never_equal_and_always_unequal() {
    let message = |rule: &str| {
        let found = Playbook::check(&playbook_with(rule), "types.yaml");
        found
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.message.clone())
            .unwrap()
    };
    assert_eq!(
        message(r#"arr == "5""#),
        "`==` compares a number with the text \"5\", so it never holds"
    );
    assert_eq!(
        message(r#"arr != "5""#),
        "`!=` compares a number with the text \"5\", so it always holds"
    );
}

#[test]
fn every_problem_of_a_rule_is_reported() {
    let found = codes(r#"arr == "1" && industry == "Fintech" && champion > 1"#);
    assert_eq!(found, ["rule-type", "rule-type", "rule-type"]);
    // Unknown names too, with the types of the rest.
    let found = codes(r#"arrr > 1 && nam == "x" && lenght(name) > 0 && industry == "Fintech""#);
    assert_eq!(
        found,
        [
            "unknown-name",
            "unknown-name",
            "unknown-function",
            "rule-type"
        ]
    );
    // A syntax error after an unknown name may be the name's doing: only the name is reported.
    assert_eq!(codes("not arr > 1"), ["unknown-name"]);
    assert_eq!(codes("close date > 1"), ["unknown-name"]);
}

#[test]
fn the_bundled_playbook_is_well_typed() {
    let bundled = concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml");
    let playbook = Playbook::load(bundled).expect("loads");
    assert!(playbook.warnings().is_empty());
}

#[test]
fn the_syntax_mistakes_people_make_get_a_hint() {
    for (rule, code, help) in [
        (
            "arr = 100",
            "rhai-syntax",
            "to compare, write `==` (`=` would assign)",
        ),
        (
            r#"arr > 1 and name == "x""#,
            "rhai-syntax",
            "write `&&` for \"and\"",
        ),
        (
            r#"arr > 1 or name == "x""#,
            "rhai-syntax",
            "write `||` for \"or\"",
        ),
        (
            "not arr > 1",
            "unknown-name",
            "write `!` for \"not\": `!(budget > 1)`",
        ),
        ("arr <> 1", "rhai-syntax", "write `!=` for \"not equal\""),
        (
            "close date > 1",
            "unknown-name",
            "a field name has no spaces: write `close_date`",
        ),
        ("예산 > 1", "rhai-syntax", "a rule names fields by their id"),
        ("arrr > 1", "unknown-name", "did you mean `arr`?"),
        (r#"nam in tags"#, "unknown-name", "did you mean `name`?"),
        ("arr =< 5", "rhai-syntax", "write `<=`"),
        ("arr => 5", "rhai-syntax", "write `>=`"),
        ("arr > 1 AND arr < 9", "rhai-syntax", "write `&&`"),
        ("NOT arr > 1", "unknown-name", "write `!`"),
        ("arr === 5", "rhai-syntax", "write `==`"),
        ("name == null", "rhai-syntax", "there is no null"),
        ("name is null", "rhai-syntax", "there is no null"),
        (
            "arr >= 50,000",
            "rhai-syntax",
            "a number has no `,`: write `50_000`",
        ),
        ("arr <= 20%", "rhai-syntax", "write the number without `%`"),
        (
            "industry == retail",
            "unknown-name",
            "`retail` is a value of `industry`",
        ),
        (
            "champion == True",
            "unknown-name",
            "write `true` in lower case",
        ),
        (
            "close_date == today",
            "unknown-name",
            "`today` is a function: write `today()`",
        ),
        (
            r#"tags == "vip""#,
            "rule-type",
            r#"to ask whether the list holds it, write `"vip" in tags`"#,
        ),
        (
            r#"tags != "vip""#,
            "rule-type",
            r#"to ask whether the list holds it, write `!("vip" in tags)`"#,
        ),
        (
            "close_date < 2026-12-01",
            "rule-type",
            "count days with `days_since(date)` or `days_until(date)`, or write a date in quotes",
        ),
        (
            "zzqqxw(name)",
            "unknown-function",
            "the engine's functions are `done`, `score`",
        ),
    ] {
        let found = Playbook::check(&playbook_with(rule), "types.yaml");
        let error = found
            .iter()
            .find(|d| d.is_error())
            .unwrap_or_else(|| panic!("{rule}: no error"));
        assert_eq!(error.code, code, "{rule}: {error}");
        let given = error.help.as_deref().unwrap_or_default();
        assert!(given.starts_with(help), "{rule}: help `{given}`");
    }
}
