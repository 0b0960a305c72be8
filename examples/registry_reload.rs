//! A registry and hot reload: each deal served by its pinned version, a new version published, a broken one refused.

use std::error::Error;
use std::path::{Path, PathBuf};

use stagegate::registry::{Registry, RegistryError};
use stagegate::{Actor, Deal, Loader, Move, Options};

/// A new lead in qualification that passes BANT, with its discovery call done; not yet pinned.
const NEW_DEAL: &str = r#"{
    "id": "ACME-1",
    "stage": "qualification",
    "fields": {
        "budget": 40000, "decision_maker": "COO", "need": "weekly sales reports",
        "timeline_days": 75, "industry": "other", "employees": 420, "champion": false,
        "last_touch": "2026-11-20"
    },
    "activities": { "discovery_call": "2026-11-18", "lead_scoring": "2026-11-18" }
}"#;

fn main() -> Result<(), Box<dyn Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let bundled = std::fs::read_to_string(format!("{root}/playbooks/b2b-sales.yaml"))?;
    let at = stagegate::parse_time("2026-11-27")?;

    // The host's playbook directory, here a scratch copy holding the bundled playbook.
    let dir = Scratch::new()?;
    std::fs::write(dir.path().join("b2b-sales.yaml"), &bundled)?;

    let registry = Registry::new(Loader::new()).with_language("en");
    let loaded = registry.load_dir(dir.path()).map_err(failures)?;
    assert_eq!(loaded, ["b2b-sales@1"]);
    println!("loaded {loaded:?}");

    // New deals are pinned to the newest version, then served by it.
    let mut deal: Deal = serde_json::from_str(NEW_DEAL)?;
    registry.pin_new(&mut deal)?;
    assert_eq!(deal.playbook.as_deref(), Some("b2b-sales@1"));
    let evaluation = registry.evaluate(&deal, at, &Options::new())?;
    assert!(evaluation.moves_to("needs_analysis").any(|m| m.allowed));
    let rep = Actor::new("yoon", ["rep"]);
    let deal = registry
        .apply(&deal, &Move::to("needs_analysis").by(rep), at)?
        .deal;
    assert_eq!(deal.stages, ["needs_analysis"]);
    println!("ACME-1 pinned to b2b-sales@1 and moved to needs_analysis");

    // Sales-ops publish version 2 (needs_analysis renamed discovery) together with a file that
    // does not load. A directory loads all or nothing: nothing of it is loaded.
    let v2 = format!(
        "{}\nmigrations:\n  - from: 1\n    stages: {{ needs_analysis: discovery }}\n",
        bundled
            .replace("\nversion: 1\n", "\nversion: 2\n")
            .replace("needs_analysis", "discovery")
    );
    std::fs::write(dir.path().join("b2b-sales-v2.yaml"), &v2)?;
    let broken = "stagegate: 1\nid: renewals\nversion: 1\nstages: [{ id: open, exit: [{ id: x, when: 'budgt > 0' }] }]\n";
    std::fs::write(dir.path().join("renewals.yaml"), broken)?;
    let Err(failed) = registry.load_dir(dir.path()) else {
        return Err("a directory with a broken file loaded".into());
    };
    assert_eq!(failed.len(), 1);
    assert!(failed
        .iter()
        .all(|(file, _)| file.ends_with("renewals.yaml")));
    assert_eq!(registry.pins(), ["b2b-sales@1"]);
    for (_, error) in &failed {
        for d in &error.diagnostics {
            println!(
                "refused renewals.yaml:{}:{}: {}",
                d.line, d.column, d.message
            );
        }
    }

    // With the broken file gone, the directory loads; both versions serve.
    std::fs::remove_file(dir.path().join("renewals.yaml"))?;
    let loaded = registry.load_dir(dir.path()).map_err(failures)?;
    assert_eq!(registry.pins(), ["b2b-sales@1", "b2b-sales@2"]);
    println!("loaded {loaded:?}");

    // A pinned deal keeps its version; a new deal gets the newest.
    assert_eq!(
        registry.evaluate(&deal, at, &Options::new())?.playbook,
        "b2b-sales@1"
    );
    let mut newer: Deal = serde_json::from_str(NEW_DEAL)?;
    newer.id = Some("ACME-2".to_owned());
    registry.pin_new(&mut newer)?;
    assert_eq!(newer.playbook.as_deref(), Some("b2b-sales@2"));
    println!("ACME-1 stays on b2b-sales@1; the new ACME-2 is pinned to b2b-sales@2");

    // Carried to the newest version through its migration.
    let carried = registry.migrate(&deal, "b2b-sales", at, &Options::new())?;
    assert_eq!(carried.playbook.as_deref(), Some("b2b-sales@2"));
    assert_eq!(carried.stages, ["discovery"]);
    assert_eq!(
        registry.evaluate(&carried, at, &Options::new())?.stages,
        ["discovery"]
    );
    println!(
        "ACME-1 migrated to b2b-sales@2, now in {:?}",
        carried.stages
    );

    // A broken replacement of a loaded version is refused with its diagnostics, and the old
    // one keeps serving.
    let typo = v2.replacen("budget >= 10_000", "budgt >= 10_000", 1);
    let Err(refused) = registry.load_yaml(&typo, "b2b-sales-v2.yaml") else {
        return Err("a broken replacement loaded".into());
    };
    let first = refused.diagnostics.first().ok_or("a diagnostic")?;
    assert_eq!(first.code, "unknown-name");
    println!("replacement refused: {first}");
    assert!(registry.evaluate(&carried, at, &Options::new()).is_ok());

    // A deal pinned to a version that is not loaded is an error listing what is.
    let mut stray = carried.clone();
    stray.playbook = Some("b2b-sales@7".to_owned());
    match registry.evaluate(&stray, at, &Options::new()) {
        Err(RegistryError::NotLoaded { pin, known }) => {
            assert_eq!(pin, "b2b-sales@7");
            assert_eq!(known, ["b2b-sales@1", "b2b-sales@2"]);
            println!("b2b-sales@7: not loaded (loaded: {})", known.join(", "));
        }
        other => return Err(format!("expected NotLoaded, got {other:?}").into()),
    }
    Ok(())
}

/// The files of a directory that did not load, in one error.
fn failures(failed: Vec<(String, stagegate::LoadError)>) -> Box<dyn Error> {
    let files: Vec<String> = failed.into_iter().map(|(file, _)| file).collect();
    format!("did not load: {}", files.join(", ")).into()
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        let path =
            std::env::temp_dir().join(format!("stagegate-registry-example-{}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover scratch directory is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
