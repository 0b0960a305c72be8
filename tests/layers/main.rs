//! Every Rust crate of the repository is layered: no import circle between its modules and, in a
//! crate with layers, no module importing a layer above its own (src/README.md explains the root
//! crate's layers).
//!
//! The module graph is read from the source (`mod` lines, `use` trees, paths in code), with no
//! compiler and no tool outside the repository; `graph.rs` says how.

mod graph;
mod rules;
mod scan;
mod tokens;

#[cfg(test)]
mod rules_tests;

use std::path::Path;

use graph::{graph, read_crate};
use rules::{problems, Crate};

/// The root crate's layers, from the bottom.
const ROOT_LAYERS: &[&str] = &[
    "support",
    "deal",
    "script",
    "model",
    "fit",
    "load",
    "engine",
    "analytics",
    "testing",
    "registry",
    "import",
    "contract",
    "cli",
];

/// Every Rust crate of the repository, by its source folder; a new crate is one line here.
const CRATES: &[Crate] = &[
    Crate::layered("src", ROOT_LAYERS),
    Crate::unlayered("bindings/python/src"),
    Crate::unlayered("bindings/js/src"),
    Crate::unlayered("fuzz/src"),
    Crate::unlayered("server/src"),
    Crate::unlayered("benches/load/src"),
];

#[test]
fn every_crate_is_layered_without_circles() {
    let failures = failures(Path::new(env!("CARGO_MANIFEST_DIR")), CRATES);
    assert!(
        failures.is_empty(),
        "the crates' layers are broken:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_crate_that_is_not_there_fails() {
    let crates = [
        Crate::unlayered("src"),
        Crate::unlayered("no-such-crate/src"),
    ];
    let failures = failures(Path::new(env!("CARGO_MANIFEST_DIR")), &crates);
    let expected = "`no-such-crate/src` is no folder: every crate of CRATES in tests/layers/main.rs must exist";
    assert_eq!(failures, [expected]);
}

#[test]
fn the_source_map_lists_the_root_crates_layers() {
    let map = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/README.md"))
        .expect("src/README.md is readable");
    let rows = map
        .lines()
        .skip_while(|line| !line.starts_with("| layer |"))
        .skip(2);
    let table = rows.map_while(|row| row.strip_prefix("| ")?.split(" |").next());
    assert_eq!(
        table.collect::<Vec<_>>(),
        ROOT_LAYERS,
        "src/README.md's layer table, from the bottom"
    );
}

/// Every rule the crates under `root` break, a line each, under a line for the crate; prints a
/// summary line for each crate.
fn failures(root: &Path, crates: &[Crate]) -> Vec<String> {
    let mut failures = vec![];
    for krate in crates {
        let folder = root.join(krate.folder);
        if !folder.is_dir() {
            failures.push(format!(
                "`{}` is no folder: every crate of CRATES in tests/layers/main.rs must exist",
                krate.folder
            ));
            continue;
        }
        let files = match read_crate(&folder) {
            Ok(files) => files,
            Err(error) => {
                failures.push(format!("`{}`: {error}", krate.folder));
                continue;
            }
        };
        let graph = graph(&files);
        let problems = problems(&graph, krate.layers);
        let noun = if problems.len() == 1 {
            "problem"
        } else {
            "problems"
        };
        let summary = format!(
            "`{}`: {} modules, {} imports, {} {noun}",
            krate.folder,
            graph.modules.len(),
            graph.imports.len(),
            problems.len(),
        );
        println!("{summary}");
        if !problems.is_empty() {
            failures.push(summary);
            failures.extend(problems.iter().map(|problem| format!("  {problem}")));
        }
    }
    failures
}
