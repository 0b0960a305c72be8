//! The registry: each deal served by its pinned version, new deals by the newest, replacements
//! swapped in atomically while evaluations run, broken replacements refused.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use stagegate::registry::{Registry, RegistryError};
use stagegate::{Deal, Loader, Move, Options, Reason};

/// A small playbook `id@version` whose one gate needs `budget >= min`.
fn playbook(id: &str, version: u64, min: i64) -> String {
    format!(
        "stagegate: 1\nid: {id}\nversion: {version}\nfields: {{ budget: {{ type: number }} }}\nstages:\n  - {{ id: open, exit: [ {{ id: budget_{min}, when: \"budget >= {min}\" }} ] }}\n  - {{ id: won, outcome: won }}\ntransitions: [ {{ from: open, to: won }} ]\n"
    )
}

fn deal(json: &str) -> Deal {
    serde_json::from_str(json).unwrap()
}

fn at() -> stagegate::Timestamp {
    stagegate::parse_time("2026-11-27").unwrap()
}

#[test]
fn each_deal_is_served_by_the_version_it_is_pinned_to() {
    let registry = Registry::new(Loader::new());
    registry
        .load_yaml(&playbook("p", 1, 100), "p1.yaml")
        .unwrap();
    registry
        .load_yaml(&playbook("p", 2, 500), "p2.yaml")
        .unwrap();
    assert_eq!(registry.pins(), ["p@1", "p@2"]);
    let budget_300 = |pin: &str| {
        deal(&format!(
            r#"{{"id": "D", "playbook": "{pin}", "fields": {{"budget": 300}}}}"#
        ))
    };
    let allowed = |pin: &str| {
        registry
            .evaluate(&budget_300(pin), at(), &Options::new())
            .unwrap()
            .transitions[0]
            .allowed
    };
    assert!(allowed("p@1"), "version 1 needs 100");
    assert!(!allowed("p@2"), "version 2 needs 500");
    assert!(!allowed("p"), "a bare id means the newest");
    let unpinned = deal(r#"{"fields": {"budget": 300}}"#);
    assert_eq!(
        registry
            .evaluate(&unpinned, at(), &Options::new())
            .unwrap()
            .playbook,
        "p@2"
    );

    let mut new = deal(r#"{"id": "N"}"#);
    registry.pin_new(&mut new).unwrap();
    assert_eq!(new.playbook.as_deref(), Some("p@2"));

    match registry.evaluate(&budget_300("p@3"), at(), &Options::new()) {
        Err(RegistryError::NotLoaded { pin, known }) => {
            assert_eq!(pin, "p@3");
            assert_eq!(known, ["p@1", "p@2"]);
        }
        other => panic!("expected NotLoaded, got {other:?}"),
    }
    registry.load_yaml(&playbook("q", 1, 0), "q.yaml").unwrap();
    let error = registry
        .evaluate(&unpinned, at(), &Options::new())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the deal names no playbook and several are loaded (p, q); pin it (`playbook: id@version`)"
    );
    let registry = registry.with_default("q");
    assert_eq!(
        registry
            .evaluate(&unpinned, at(), &Options::new())
            .unwrap()
            .playbook,
        "q@1"
    );
}

#[test]
fn a_broken_replacement_is_refused_and_the_old_version_keeps_serving() {
    let registry = Registry::new(Loader::new());
    registry
        .load_yaml(&playbook("p", 1, 100), "p1.yaml")
        .unwrap();
    let broken = playbook("p", 1, 100).replace("budget >= 100", "budgt >= 100");
    let refused = registry.load_yaml(&broken, "p1.yaml").unwrap_err();
    assert_eq!(refused.diagnostics[0].code, "unknown-name");
    assert_eq!(
        (refused.diagnostics[0].line, refused.diagnostics[0].column),
        (6, 50)
    );
    let d = deal(r#"{"playbook": "p@1", "fields": {"budget": 300}}"#);
    assert!(
        registry
            .evaluate(&d, at(), &Options::new())
            .unwrap()
            .transitions[0]
            .allowed
    );

    // A directory loads all or nothing.
    let dir = std::env::temp_dir().join(format!("stagegate-registry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p2.yaml"), playbook("p", 2, 500)).unwrap();
    std::fs::write(
        dir.join("p3.yaml"),
        broken.replace("version: 1", "version: 3"),
    )
    .unwrap();
    let failed = registry.load_dir(&dir).unwrap_err();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].0.ends_with("p3.yaml"));
    assert_eq!(
        registry.pins(),
        ["p@1"],
        "nothing of a failed directory is loaded"
    );
    std::fs::remove_file(dir.join("p3.yaml")).unwrap();
    assert_eq!(registry.load_dir(&dir).unwrap(), ["p@2"]);
    assert_eq!(registry.pins(), ["p@1", "p@2"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_replacement_swaps_in_atomically_while_evaluations_run() {
    let registry = Arc::new(Registry::new(Loader::new()));
    registry
        .load_yaml(&playbook("p", 1, 100), "p.yaml")
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (registry, stop) = (Arc::clone(&registry), Arc::clone(&stop));
            std::thread::spawn(move || {
                let d = deal(r#"{"playbook": "p@1", "fields": {"budget": 300}}"#);
                let mut seen = [0usize; 2];
                while !stop.load(Ordering::Relaxed) {
                    let evaluation = registry.evaluate(&d, at(), &Options::new()).unwrap();
                    let check = &evaluation.transitions[0];
                    // Every evaluation is wholly one version or the other, never a mix.
                    match check.blockers.as_slice() {
                        [] => seen[0] += 1,
                        [blocker] => {
                            assert_eq!(blocker.criterion.as_deref(), Some("budget_500"));
                            assert_eq!(blocker.reason, Reason::Failed);
                            seen[1] += 1;
                        }
                        other => panic!("a mixed evaluation: {other:?}"),
                    }
                }
                seen
            })
        })
        .collect();
    for round in 0..200 {
        let min = if round % 2 == 0 { 500 } else { 100 };
        registry
            .load_yaml(&playbook("p", 1, min), "p.yaml")
            .unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let total: usize = readers
        .into_iter()
        .map(|r| r.join().unwrap().iter().sum::<usize>())
        .sum();
    assert!(total > 0);
    // After the last swap (min 100) every evaluation allows the move.
    let d = deal(r#"{"playbook": "p@1", "fields": {"budget": 300}}"#);
    assert!(
        registry
            .evaluate(&d, at(), &Options::new())
            .unwrap()
            .transitions[0]
            .allowed
    );
}

#[test]
fn moves_and_migrations_go_through_the_pinned_version() {
    let registry = Registry::new(Loader::new());
    let v1 = playbook("p", 1, 100)
        .replace("id: open", "id: draft")
        .replace("from: open", "from: draft");
    registry.load_yaml(&v1, "p1.yaml").unwrap();
    // Version 2 renames `draft` to `open`; version 3 declares only its migration from 2.
    let v2 = format!(
        "{}migrations: [ {{ from: 1, stages: {{ draft: open }} }} ]\n",
        playbook("p", 2, 100)
    );
    registry.load_yaml(&v2, "p2.yaml").unwrap();
    let v3 = format!("{}migrations: [ {{ from: 2 }} ]\n", playbook("p", 3, 100));
    registry.load_yaml(&v3, "p3.yaml").unwrap();

    let d = deal(r#"{"id": "D", "playbook": "p@1", "stage": "draft", "fields": {"budget": 50}}"#);
    match registry.apply(&d, &Move::to("won"), at()) {
        Err(RegistryError::Move(stagegate::MoveError::Blocked { check })) => {
            assert_eq!(check.blockers[0].criterion.as_deref(), Some("budget_100"));
        }
        other => panic!("expected a blocked move, got {other:?}"),
    }
    let moved = registry.migrate(&d, "p", at(), &Options::new()).unwrap();
    assert_eq!(moved.playbook.as_deref(), Some("p@3"));
    assert_eq!(moved.stages, ["open"]);
    let steps: Vec<&str> = moved
        .history
        .iter()
        .filter_map(|h| h.migrated_from.as_deref())
        .collect();
    assert_eq!(
        steps,
        ["p@1", "p@2"],
        "through version 2, which knows the rename"
    );
    assert_eq!(
        registry
            .migrate(&moved, "p@3", at(), &Options::new())
            .unwrap(),
        moved,
        "already there"
    );
    assert!(
        registry
            .migrate(&moved, "p@1", at(), &Options::new())
            .is_err(),
        "never backwards"
    );
}
