//! Playbook versions: `migrations:` checked at load, deals carried to a newer version by the
//! library and by `stagegate migrate`, and refused when something has no place in it.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use stagegate::{migrate, Deal, Options, Playbook};

const BUNDLED: &str = include_str!("../playbooks/b2b-sales.yaml");

/// Version 2 of the bundled playbook: `needs_analysis` renamed `discovery`, with `migrations`
/// appended as given.
fn version_2(migrations: &str) -> String {
    let text = BUNDLED
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("needs_analysis", "discovery");
    format!("{text}\n{migrations}")
}

const RENAME: &str = "migrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n";

fn at() -> stagegate::Timestamp {
    stagegate::parse_time("2026-11-27").unwrap()
}

fn deal(yaml: &str) -> Deal {
    serde_yaml::from_str(yaml).unwrap()
}

const IN_ANALYSIS: &str = "
id: ACME-7
playbook: b2b-sales@1
stage: needs_analysis
fields: { budget: 80000 }
activities: { discovery_call: 2026-10-12 }
history:
  - { at: 2026-10-01, to: lead_generation }
  - { at: 2026-10-10, from: lead_generation, to: qualification }
  - { at: 2026-10-20, from: qualification, to: needs_analysis }
";

#[test]
fn a_renamed_stage_is_carried_with_its_history_and_a_migration_entry() {
    let v1 = Playbook::from_yaml(BUNDLED, "v1.yaml").unwrap();
    let v2 = Playbook::from_yaml(&version_2(RENAME), "v2.yaml").unwrap();
    assert_eq!(
        v2.migration_from(1).unwrap().stages,
        [("needs_analysis".to_owned(), "discovery".to_owned())]
    );
    let moved = migrate(&v1, &v2, &deal(IN_ANALYSIS), at()).unwrap();
    assert_eq!(moved.playbook.as_deref(), Some("b2b-sales@2"));
    assert_eq!(moved.stages, ["discovery"]);
    let tos: Vec<&str> = moved.history.iter().map(|h| h.to.as_str()).collect();
    assert_eq!(
        tos,
        ["lead_generation", "qualification", "discovery", "discovery"]
    );
    let last = moved.history.last().unwrap();
    assert_eq!(last.migrated_from.as_deref(), Some("b2b-sales@1"));
    assert_eq!(last.from, None);
    // The deal is served by version 2 now, and the migration is not a move: days in the stage
    // still count from when it entered it.
    let evaluation = stagegate::Engine::new(v2)
        .evaluate(&moved, at(), &Options::new())
        .unwrap();
    assert_eq!(evaluation.playbook, "b2b-sales@2");
    assert_eq!(evaluation.stages, ["discovery"]);
    // Version 1 no longer takes it.
    assert!(stagegate::Engine::new(v1)
        .evaluate(&moved, at(), &Options::new())
        .is_err());
}

#[test]
fn a_stage_with_no_place_in_the_new_version_is_refused_by_name() {
    let v1 = Playbook::from_yaml(BUNDLED, "v1.yaml").unwrap();
    let v2 = Playbook::from_yaml(&version_2(""), "v2.yaml").unwrap();
    let refused = migrate(&v1, &v2, &deal(IN_ANALYSIS), at()).unwrap_err();
    assert_eq!(refused.deal, "ACME-7");
    assert_eq!(refused.problems.len(), 1, "{refused}");
    assert!(
        refused.problems[0].contains("stage `needs_analysis` no longer exists in `b2b-sales@2`"),
        "{refused}"
    );
    // A deal that never was in the renamed stage needs no mapping.
    let early = deal("id: E-1\nplaybook: b2b-sales@1\nstage: qualification\n");
    assert_eq!(
        migrate(&v1, &v2, &early, at()).unwrap().stages,
        ["qualification"]
    );
}

#[test]
fn activities_and_fields_can_be_dropped() {
    let v1 = Playbook::from_yaml(BUNDLED, "v1.yaml").unwrap();
    let migrations = "migrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n    activities: { discovery_call: null }\n    fields: { champion: null }\n";
    let v2 = Playbook::from_yaml(&version_2(migrations), "v2.yaml").unwrap();
    let with_champion = deal(&format!("{IN_ANALYSIS}\n").replace(
        "fields: { budget: 80000 }",
        "fields: { budget: 80000, champion: true }",
    ));
    let moved = migrate(&v1, &v2, &with_champion, at()).unwrap();
    assert!(!moved.activities.contains_key("discovery_call"));
    assert!(!moved.fields.contains_key("champion"));
    assert_eq!(moved.fields["budget"], 80000);
}

#[test]
fn deals_pinned_elsewhere_or_not_fitting_the_old_version_are_refused() {
    let v1 = Playbook::from_yaml(BUNDLED, "v1.yaml").unwrap();
    let v2 = Playbook::from_yaml(&version_2(RENAME), "v2.yaml").unwrap();
    let pinned_to_2 = deal("id: X\nplaybook: b2b-sales@2\nstage: discovery\n");
    let refused = migrate(&v1, &v2, &pinned_to_2, at()).unwrap_err();
    assert!(
        refused.to_string().contains("pinned to `b2b-sales@2`"),
        "{refused}"
    );
    let backwards = migrate(&v2, &v1, &pinned_to_2, at()).unwrap_err();
    assert!(
        backwards.to_string().contains("is not a newer version"),
        "{backwards}"
    );
}

#[test]
fn broken_migrations_are_errors_at_their_line() {
    let cases = [
        (
            "migrations:\n  - from: 1\n    stages: { needs_analysis: discovry }\n",
            "unknown-stage",
            "`discovry` is not a stage of this version",
            Some("did you mean `discovery`?"),
        ),
        (
            "migrations:\n  - from: 2\n",
            "bad-migration",
            "a migration comes from an older version; this playbook is version 2",
            None,
        ),
        (
            "migrations:\n  - from: 1\n  - from: 1\n",
            "bad-migration",
            "a second migration from version 1",
            Some("give one migration per older version"),
        ),
        (
            "migrations:\n  - from: 1\n    activities: { old_call: discovery_cal }\n",
            "unknown-activity",
            "`discovery_cal` is not an activity of this version",
            Some("did you mean `discovery_call`?"),
        ),
        (
            "migrations:\n  - from: 1\n    stagez: {}\n",
            "unknown-key",
            "",
            None,
        ),
    ];
    for (migrations, code, message, help) in cases {
        let text = version_2(migrations);
        let error = Playbook::from_yaml(&text, "v2.yaml").unwrap_err();
        let found = &error.diagnostics[0];
        assert_eq!(found.code, code, "{migrations}: {error}");
        if !message.is_empty() {
            assert_eq!(found.message, message);
            assert_eq!(found.help.as_deref(), help);
        }
        let line = text.lines().count() - migrations.lines().count() + 2;
        assert!(
            found.line >= line,
            "{migrations}: at line {} (migrations start at {line})",
            found.line
        );
    }
}

#[test]
fn the_migrate_command_writes_migrated_deals_and_names_refused_ones() {
    let dir = std::env::temp_dir().join(format!("stagegate-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("v1.yaml"), BUNDLED).unwrap();
    std::fs::write(dir.join("v2.yaml"), version_2(RENAME)).unwrap();
    std::fs::write(dir.join("v2-bare.yaml"), version_2("")).unwrap();
    std::fs::write(
        dir.join("deals.yaml"),
        format!("{IN_ANALYSIS}---\nid: E-1\nplaybook: b2b-sales@1\nstage: qualification\n"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let output = Command::cargo_bin("stagegate")
            .unwrap()
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, out, err) = run(&[
        "migrate",
        "v1.yaml",
        "v2.yaml",
        "deals.yaml",
        "--at",
        "2026-11-27",
        "--format",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    let moved: Vec<Deal> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(moved.len(), 2);
    assert_eq!(moved[0].stages, ["discovery"]);
    assert_eq!(moved[1].playbook.as_deref(), Some("b2b-sales@2"));

    let (code, out, err) = run(&[
        "migrate",
        "v1.yaml",
        "v2-bare.yaml",
        "deals.yaml",
        "--at",
        "2026-11-27",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("id: E-1") && !out.contains("ACME-7"), "{out}");
    assert!(err.contains("deals.yaml:2: deal `ACME-7`: cannot migrate to `b2b-sales@2`: stage `needs_analysis` no longer exists"), "{err}");

    let (code, _, err) = run(&["migrate", "v2.yaml", "v1.yaml", "deals.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a newer version"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_migration_entry_is_not_a_move_for_metrics_or_time_in_stage() {
    let v1 = Playbook::from_yaml(BUNDLED, "v1.yaml").unwrap();
    let v2 = Playbook::from_yaml(&version_2(RENAME), "v2.yaml").unwrap();
    let moved = migrate(&v1, &v2, &deal(IN_ANALYSIS), at()).unwrap();
    let mut book = stagegate::analytics::MetricsBook::new(&v2, at(), None);
    book.add(&moved, "ACME-7").unwrap();
    let metrics = book.finish();
    assert_eq!((metrics.deals, metrics.open, metrics.anomalous), (1, 1, 0));
    let discovery = &metrics
        .stages
        .0
        .iter()
        .find(|(id, _)| id == "discovery")
        .unwrap()
        .1;
    assert_eq!(
        (discovery.entered, discovery.open),
        (1, 1),
        "entered once, by the move of 2026-10-20"
    );
    // Time in the stage counts from the real entry (2026-10-20), not from the migration
    // (2026-11-27): on 2026-12-10 that is 51 days, over the stage's 45.
    let later = stagegate::parse_time("2026-12-10").unwrap();
    let evaluation = stagegate::Engine::new(v2)
        .evaluate(&moved, later, &Options::new())
        .unwrap();
    assert_eq!(evaluation.warnings.len(), 1);
    assert_eq!(
        (evaluation.warnings[0].days, evaluation.warnings[0].max_days),
        (51, 45)
    );
}

#[test]
fn a_deal_without_stages_stays_in_the_old_first_stage() {
    let v1 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}, {id: won, outcome: won}]\ntransitions: [{from: open, to: won}]\n", "v1.yaml").unwrap();
    let v2 = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 2\nstages: [{id: intake}, {id: open}, {id: won, outcome: won}]\ntransitions: [{from: intake, to: open}, {from: open, to: won}]\n", "v2.yaml").unwrap();
    let moved = migrate(&v1, &v2, &deal("id: D\n"), at()).unwrap();
    assert_eq!(moved.stages, ["open"], "not version 2's new first stage");
    assert_eq!(moved.history.last().unwrap().to, "open");
}
