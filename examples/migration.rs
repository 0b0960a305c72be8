//! Versions and migration: a deal pinned to version 1 carried to version 2, where a stage is renamed.

use std::error::Error;
use std::sync::Arc;

use stagegate::{Deal, Engine, Options, Playbook};

/// A deal in needs analysis, pinned to version 1 of the bundled playbook.
const DEAL: &str = "
id: ACME-7
playbook: b2b-sales@1
stage: needs_analysis
fields: { budget: 80000, decision_maker: CFO, need: Faster quotes, timeline_days: 60 }
activities: { discovery_call: 2026-10-12 }
history:
  - { at: 2026-10-01, to: lead_generation }
  - { at: 2026-10-10, from: lead_generation, to: qualification }
  - { at: 2026-10-20, from: qualification, to: needs_analysis }
";

fn main() -> Result<(), Box<dyn Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let bundled = std::fs::read_to_string(format!("{root}/playbooks/b2b-sales.yaml"))?;
    let v1 = Arc::new(Playbook::from_yaml(&bundled, "b2b-sales.yaml")?);

    // Sales-ops publish version 2: needs analysis is now called discovery, and the migration
    // from version 1 says so.
    let renamed = bundled
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("needs_analysis", "discovery");
    let migrations = "migrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n";
    let v2 = Arc::new(Playbook::from_yaml(
        &format!("{renamed}\n{migrations}"),
        "b2b-sales-v2.yaml",
    )?);
    assert_eq!(v2.pin(), "b2b-sales@2");
    println!("loaded {} and {}", v1.pin(), v2.pin());

    let deal: Deal = serde_yaml::from_str(DEAL)?;
    let at = stagegate::parse_time("2026-11-27")?;

    // An engine refuses a deal pinned to another version: a deal is judged by its own rules.
    assert!(Engine::new(Arc::clone(&v1))
        .evaluate(&deal, at, &Options::new())
        .is_ok());
    let Err(refused) = Engine::new(Arc::clone(&v2)).evaluate(&deal, at, &Options::new()) else {
        return Err("version 2 evaluated a deal pinned to version 1".into());
    };
    println!("version 2 refuses it: {refused}");

    // Carried over explicitly: stages and history renamed, one history entry appended.
    let moved = Engine::new(Arc::clone(&v2)).migrate(&v1, &deal, at, &Options::new())?;
    assert_eq!(moved.playbook.as_deref(), Some("b2b-sales@2"));
    assert_eq!(moved.stages, ["discovery"]);
    let stages: Vec<&str> = moved.history.iter().map(|h| h.to.as_str()).collect();
    assert_eq!(
        stages,
        ["lead_generation", "qualification", "discovery", "discovery"]
    );
    let last = moved.history.last().ok_or("a migration entry")?;
    assert_eq!(last.migrated_from.as_deref(), Some("b2b-sales@1"));
    assert_eq!(last.from, None);
    println!(
        "{} is now on {} in {:?}",
        moved.id.as_deref().unwrap_or("?"),
        moved.playbook.as_deref().unwrap_or("?"),
        moved.stages
    );
    for entry in &moved.history {
        let note = entry
            .migrated_from
            .as_deref()
            .map_or(String::new(), |pin| format!("  (migrated from {pin})"));
        println!("  {}  → {}{note}", entry.at, entry.to);
    }

    // Version 2 serves it now; version 1 no longer takes it.
    let evaluation = Engine::new(v2).evaluate(&moved, at, &Options::new())?;
    assert_eq!(evaluation.playbook, "b2b-sales@2");
    assert!(Engine::new(Arc::clone(&v1))
        .evaluate(&moved, at, &Options::new())
        .is_err());

    // Without the migration, version 2 has no place for needs_analysis: the deal is refused,
    // naming the stage in the way, and stays on version 1.
    let without = Playbook::from_yaml(&renamed, "b2b-sales-v2.yaml")?;
    let Err(refused) = Engine::new(without).migrate(&v1, &deal, at, &Options::new()) else {
        return Err("a deal was migrated to a version with no place for its stage".into());
    };
    assert_eq!(refused.deal, "ACME-7");
    let problem = refused.problems.first().ok_or("a problem")?;
    assert!(
        problem.starts_with("stage `needs_analysis` no longer exists in `b2b-sales@2`"),
        "{problem}"
    );
    println!("without the migration: {problem}");
    Ok(())
}
