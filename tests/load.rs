//! Loading playbooks: every diagnostic with its code, message and exact place in the YAML file.

mod common;

use std::path::Path;

use common::diagnostics::{errors, expect, expect_at, one_error, with, BASE, CRITERION};
use stagegate::{Deal, Engine, Limits, Options, Playbook, Reason, Severity};

#[test]
fn the_base_playbook_is_clean() {
    assert_eq!(Playbook::check(BASE, "p.yaml"), []);
    assert_eq!(Playbook::from_yaml(BASE, "p.yaml").unwrap().pin(), "t@1");
}

#[test]
fn unknown_key_with_did_you_mean() {
    let text = with("  - id: won\n", "  - id: won\n    titel: Won\n");
    expect(
        &text,
        "titel",
        "unknown-key: stage `won`: unknown key `titel`; did you mean `title`?",
    );
    let text = with("version: 1\n", "version: 1\nlanguage: [en]\n");
    expect(
        &text,
        "language",
        "unknown-key: unknown key `language`; did you mean `languages`?",
    );
}

#[test]
fn unknown_stages_in_transitions() {
    let text = with("{ from: open, to: won }", "{ from: open, to: wonn }");
    expect(
        &text,
        "wonn",
        "unknown-stage: `wonn` is not a stage of this playbook; did you mean `won`?",
    );
    let text = with("{ from: open, to: won }", "{ from: [open, opn], to: won }");
    expect(
        &text,
        "opn",
        "unknown-stage: `opn` is not a stage of this playbook; did you mean `open`?",
    );
}

#[test]
fn terminal_stage_with_an_outgoing_transition() {
    let text = with(
        "  - { from: open, to: won }\n",
        "  - { from: open, to: won }\n  - { from: lost, to: open }\n",
    );
    let expected =
        "terminal-exit: `lost` is a terminal stage and cannot have outgoing transitions; \
                    lost and churned stages end the deal; remove this source";
    expect(&text, "lost, to", expected);
}

#[test]
fn duplicate_ids() {
    let text = with("    outcome: lost\n", "    outcome: lost\n  - id: won\n");
    let d = &errors(&text)[0];
    assert_eq!((d.code, d.line, d.column), ("duplicate-id", 20, 9));
    assert_eq!(
        d.message,
        "stage `won` is declared twice (first at line 16)"
    );

    let text = with(
        "    outcome: won\n",
        "    outcome: won\n    entry: [ { id: budget_ok, fields: [need] } ]\n",
    );
    let expected = "duplicate-id: criterion `budget_ok` is declared twice (first at line 15); \
                    criterion ids are unique across the playbook";
    expect_at(&text, (18, 20), expected);

    let text = with(
        "    outcome: won\n",
        "    outcome: won\n    activities: [ { id: call } ]\n",
    );
    let expected = "duplicate-id: activity `call` is declared twice (first at line 13); \
                    activity ids are unique across the playbook";
    expect_at(&text, (18, 25), expected);
}

#[test]
fn format_version() {
    let text = with("stagegate: 1", "stagegate: 2");
    let expected = "format-version: unsupported format version `2`; this engine reads version 1; \
                    write `stagegate: 1`";
    expect_at(&text, (1, 12), expected);
}

#[test]
fn scorecard_cycle() {
    let text = BASE
        .replace("\"budget >= 100\"", "'score(\"fit\") >= 1'")
        .replace(
        "  lead:\n",
        "  fit:\n    rules: [ { id: hot, when: 'score(\"lead\") >= 1', points: 1 } ]\n  lead:\n",
    );
    let d = one_error(&text);
    assert_eq!(d.code, "scorecard-cycle");
    let message = &d.message;
    assert!(
        message.ends_with("depends on its own score through its rules"),
        "{message}"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("a rule may read other scorecards, but not in a circle")
    );
    assert!((6..=9).contains(&d.line), "{d:?}");
}

#[test]
fn a_block_mapping_diagnostic_points_at_the_mapping() {
    let text = with(
        CRITERION,
        "id: two\n        when: \"budget >= 10\"\n        fields: [need]",
    );
    let expected = "criterion-test: a criterion has one test; this one has `when` and `fields`; \
                    split it into several criteria, or combine them under `all:`";
    expect(&text, "id: two", expected);
}

#[test]
fn typed_criteria_name_known_ids() {
    let cases = [
        (
            "{ fields: [need, budjet] }",
            "budjet",
            "unknown-field: `budjet` is not a field of this playbook",
        ),
        (
            "{ score: leed, min: 1 }",
            "leed",
            "unknown-scorecard: `leed` is not a scorecard of this playbook",
        ),
        (
            "{ band: lead, min: hott }",
            "hott",
            "unknown-band: `hott` is not a band of scorecard `lead`",
        ),
        (
            "{ band: lead, min: mql }",
            "mql",
            "unknown-band: `mql` is not a band of scorecard `lead`",
        ),
    ];
    let helps = ["budget", "lead", "hot"].map(|h| format!("; did you mean `{h}`?"));
    let helps = helps
        .iter()
        .map(String::as_str)
        .chain(["; its bands are `cold` or `hot`"]);
    for ((criterion, spot, expected), help) in cases.into_iter().zip(helps) {
        expect(
            &with(CRITERION, criterion),
            spot,
            &format!("{expected}{help}"),
        );
    }
}

#[test]
fn an_unknown_activity_in_a_criterion() {
    let text = with(CRITERION, "{ activities: [cal] }");
    expect(
        &text,
        "cal]",
        "unknown-activity: `cal` is not an activity of this playbook; did you mean `call`?",
    );
}

#[test]
fn every_problem_is_collected_in_file_order() {
    let text = with("{ from: open, to: won }", "{ from: open, to: wonn }")
        .replace("budget >= 10\"", "budgt >= 10\"")
        .replace("stagegate: 1", "stagegate: 9");
    let found: Vec<(&str, usize)> = errors(&text).iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        found,
        [
            ("format-version", 1),
            ("unknown-name", 15),
            ("unknown-stage", 21)
        ]
    );
    let error = Playbook::from_yaml(&text, "p.yaml").unwrap_err();
    let first = "p.yaml:1:12: error[format-version]: unsupported format version `9`; this engine reads version 1";
    assert_eq!(error.to_string(), format!("{first} (and 2 more errors)"));
}

#[test]
fn hostile_yaml_is_refused() {
    // Anything goes in a test deal's fields, so the parser's own limits must hold there.
    let in_a_test = |value: &str| {
        let case =
            format!("tests:\n  - name: hostile\n    deal:\n      fields:\n{value}transitions:\n");
        with("transitions:\n", &case)
    };
    let mut anchors = String::from("        a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (name, previous) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
    ] {
        let items = vec![format!("*{previous}"); 9].join(", ");
        anchors.push_str(&format!("        {name}: &{name} [{items}]\n"));
    }
    let d = one_error(&in_a_test(&anchors));
    assert_eq!(d.code, "hostile-yaml", "{d:?}");
    assert!(
        ["alias", "repetition"]
            .iter()
            .any(|w| d.message.contains(w)),
        "{}",
        d.message
    );
    let deep = format!("        a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let d = one_error(&in_a_test(&deep));
    assert_eq!(d.code, "hostile-yaml", "{d:?}");
    assert!(
        ["nest", "recursion"].iter().any(|w| d.message.contains(w)),
        "{}",
        d.message
    );
}

#[test]
fn warnings_do_not_stop_loading() {
    let text = with("  - id: lost\n", "  - id: orphan\n  - id: lost\n");
    let playbook = Playbook::from_yaml(&text, "p.yaml").expect("warnings only");
    let warnings: Vec<(Severity, &str, usize)> = playbook
        .warnings()
        .iter()
        .map(|d| (d.severity, d.code, d.line))
        .collect();
    // `from: "*"` gives orphan a way out, to lost, but not to won.
    let warning = Severity::Warning;
    assert_eq!(
        warnings,
        [
            (warning, "unreachable-stage", 18),
            (warning, "no-way-to-win", 18)
        ]
    );
    let message = &playbook.warnings()[0].message;
    assert_eq!(
        message,
        "stage `orphan` cannot be reached from the first stage `open`"
    );
    // A stage with no way out, and a terminal stage no transition leads to.
    let text = with("  - id: lost\n", "  - id: stuck\n  - id: lost\n")
        .replace("{ from: \"*\", to: lost }", "{ from: open, to: stuck }");
    let found: Vec<(&str, usize)> = Playbook::check(&text, "p.yaml")
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(found, [("dead-end", 18), ("unreachable-stage", 19)]);
}

#[test]
fn an_activity_never_required_is_a_warning() {
    let text = with(
        "      - { id: call, required: true }\n",
        "      - { id: call, required: true }\n      - { id: demo }\n",
    );
    let warnings = Playbook::check(&text, "p.yaml");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(
        (warnings[0].severity, warnings[0].line, warnings[0].column),
        (Severity::Warning, 14, 15)
    );
    assert!(
        warnings[0].message.contains("demo"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn a_missing_file_is_unreadable() {
    let error = Playbook::load("/nonexistent/stagegate/p.yaml").unwrap_err();
    assert_eq!(error.diagnostics.len(), 1);
    let d = &error.diagnostics[0];
    assert_eq!((d.code, d.line, d.column), ("unreadable", 0, 0));
    assert_eq!(
        d.message,
        "cannot read `/nonexistent/stagegate/p.yaml`: no such file"
    );
}

#[test]
fn stages_after_a_won_one_are_no_stages_without_a_way_to_win() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/b2b-sales.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let warnings = |text: &str| -> Vec<String> {
        Playbook::check(text, "b2b-sales.yaml")
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    };
    assert_eq!(warnings(&text), Vec::<String>::new());
    // Without the expansion fork, onboarding and retention lead to no won stage again: they come
    // after `closing` (won), so a deal there has been won, and nothing is said.
    let fork = text
        .find("  - from: retention_expansion\n    to: needs_analysis")
        .unwrap();
    let exits = text.find("  # 종료 / Exits").unwrap();
    let without_fork = format!("{}{}", &text[..fork], &text[exits..]);
    assert!(!without_fork.contains("fork: true"));
    assert_eq!(warnings(&without_fork), Vec::<String>::new());
    // A stage before the won one that cannot reach it is still one.
    let nurture = without_fork
        .replace(
            "  - id: lost\n",
            "  - id: nurture\n    title: Nurture\n  - id: lost\n",
        )
        .replace(
            "  # 종료 / Exits\n",
            "  # 종료 / Exits\n  - { from: qualification, to: nurture }\n  - { from: nurture, to: lost }\n",
        );
    assert_eq!(
        warnings(&nurture),
        ["no-way-to-win: no `won` stage can be reached from stage `nurture`"]
    );
}

#[test]
fn the_bundled_playbook_loads_and_its_tests_parse() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/b2b-sales.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(Playbook::check(&text, "b2b-sales.yaml")
        .iter()
        .all(|d| !d.is_error()));
    let playbook = Playbook::load(&path).unwrap();
    assert_eq!(
        (playbook.id(), playbook.languages()),
        ("b2b-sales", &["ko".to_owned(), "en".to_owned()][..])
    );
    assert_eq!(playbook.stages().len(), 9);
    let tests = playbook.tests().to_vec();
    assert!(tests.len() >= 25, "{} embedded tests", tests.len());
    let engine = Engine::new(playbook);
    for case in &tests {
        assert!(!case.name.trim().is_empty());
        let at = stagegate::parse_time(case.at.as_deref().unwrap_or("2026-11-27")).unwrap();
        engine
            .evaluate(&case.deal, at, &Options::new())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
}

#[test]
fn a_limit_hit_is_an_error_reason_not_a_hang() {
    let text = with("\"budget >= 10\"", "\"need + need + need != \\\"\\\"\"");
    let limits = Limits {
        string_size: 8,
        ..Limits::default()
    };
    let engine = Engine::new(Playbook::from_yaml_with_limits(&text, "p.yaml", limits).unwrap());
    let deal: Deal =
        serde_json::from_str(r#"{"fields": {"need": "abcdef"}, "activities": {"call": true}}"#)
            .unwrap();
    let evaluation = engine
        .evaluate(
            &deal,
            stagegate::parse_time("2026-11-27").unwrap(),
            &Options::new(),
        )
        .unwrap();
    let blocker = &evaluation.transitions[0].blockers[0];
    assert_eq!(
        (blocker.criterion.as_deref(), blocker.reason),
        (Some("budget_ok"), Reason::Error)
    );
    let error = blocker.error.as_deref().unwrap();
    assert!(error.contains("limit"), "{error}");
    // The default limits let the same expression run.
    let engine = Engine::new(Playbook::from_yaml(&text, "p.yaml").unwrap());
    assert!(
        engine
            .evaluate(
                &deal,
                stagegate::parse_time("2026-11-27").unwrap(),
                &Options::new()
            )
            .unwrap()
            .transitions[0]
            .allowed
    );
}

#[test]
fn every_stage_means_every_stage_without_an_outcome() {
    let playbook = Playbook::from_yaml(
        "stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}, {id: signed, outcome: won}, {id: live}, {id: lost, outcome: lost}]\n\
         transitions: [{from: open, to: signed}, {from: signed, to: live}, {from: \"*\", to: lost}]\n",
        "p.yaml",
    )
    .unwrap();
    let into_lost: Vec<&str> = playbook
        .transitions()
        .iter()
        .filter(|t| t.to == "lost")
        .map(|t| t.from.as_str())
        .collect();
    // The won stage is left out: a move out of it is declared by naming it.
    assert_eq!(into_lost, ["open", "live"]);
}

#[test]
fn a_probability_written_as_a_percentage_gets_a_hint() {
    let found = Playbook::check(
        "stagegate: 1\nid: p\nversion: 1\nstages: [{id: open, probability: 50}]\n",
        "p.yaml",
    );
    let error = found.iter().find(|d| d.code == "out-of-range").unwrap();
    assert_eq!(error.help.as_deref(), Some("write 0.5 for 50%"));
}

#[test]
fn a_tab_at_the_start_of_a_line_is_named() {
    let found = Playbook::check(
        "stagegate: 1\nid: t\nversion: 1\nstages:\n\t- id: open\n",
        "t.yaml",
    );
    assert_eq!((found[0].code, found[0].line), ("yaml-syntax", 5));
    assert_eq!(
        found[0].help.as_deref(),
        Some("line 5 starts with a tab: YAML indents with spaces only")
    );
}
