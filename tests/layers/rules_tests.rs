//! The checker on small crates held in memory: it finds what it is for, and nothing else.

use crate::graph::{graph, Graph, SourceFile};
use crate::rules::{names_taken, problems};

/// Two layers: `low` below `high`.
const LAYERS: &[&str] = &["low", "high"];

/// The module graph of a crate of these files (path under the source folder, text).
fn graph_of(files: &[(&str, &str)]) -> Graph {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        })
        .collect();
    graph(&files)
}

/// The problems of a crate of these files.
fn check(files: &[(&str, &str)], layers: &[&str]) -> Vec<String> {
    let problems = problems(&graph_of(files), layers);
    problems.iter().map(ToString::to_string).collect()
}

/// The imports of a crate of these files, as `from -> to: names`.
fn imports(files: &[(&str, &str)]) -> Vec<String> {
    let imports = graph_of(files).imports;
    let import = |((from, to), names): (&(String, String), &_)| {
        format!("{from} -> {to}: {}", names_taken(names))
    };
    imports.iter().map(import).collect()
}

const LIB: &str = "mod low;\npub mod high;\npub use low::Low;\n";

#[test]
fn a_clean_crate_passes() {
    let files = [
        ("lib.rs", LIB),
        ("low/mod.rs", "mod money;\npub use money::Low;\n"),
        ("low/money.rs", "pub struct Low;\n"),
        (
            "high.rs",
            "use crate::{low::{self, Low}, Low as Same};\npub fn f() -> Low { low::Low }\n",
        ),
    ];
    assert_eq!(check(&files, LAYERS), Vec::<String>::new());
    assert_eq!(imports(&files), ["high -> low::money: Low"]);
}

#[test]
fn an_import_circle_is_found() {
    let files = [
        ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
        ("a.rs", "use crate::b::B;\npub struct A;\n"),
        ("b.rs", "pub struct B;\npub fn f() { super::c::g() }\n"),
        ("c.rs", "pub fn g() { let _ = crate::a::A; }\n"),
    ];
    assert_eq!(
        check(&files, &[]),
        ["import circle: a, b, c\n      a -> b: B\n      b -> c: g\n      c -> a: A"]
    );
}

#[test]
fn an_import_up_a_layer_is_found() {
    let files = [
        ("lib.rs", LIB),
        (
            "low/mod.rs",
            "pub struct Low;\nfn f() { crate::high::g(); }\n",
        ),
        ("high.rs", "pub fn g() {}\n"),
    ];
    assert_eq!(
        check(&files, LAYERS),
        ["`low` (layer low) imports `high` (layer high), a layer above its own: g"]
    );
    assert_eq!(
        check(&files, &[]),
        Vec::<String>::new(),
        "without layers, no rule is broken"
    );
    // The crate's root is above every layer.
    let files = [
        ("lib.rs", "mod low;\npub const LIMIT: u8 = 3;\n"),
        ("low.rs", "use crate::LIMIT;\n"),
    ];
    assert_eq!(
        check(&files, LAYERS),
        ["`low` (layer low) imports `crate` (layer crate root), a layer above its own: LIMIT"]
    );
}

#[test]
fn imports_are_found_however_they_are_written() {
    let high = "pub mod x { pub fn f() {} }\npub struct H;\n";
    let lib = "mod low;\npub mod high;\npub use high::H as Reexported;\n";
    let found = |low: &str| {
        let files = [("lib.rs", lib), ("low.rs", low), ("high.rs", high)];
        let problems = check(&files, LAYERS);
        assert_eq!(problems.len(), 1, "{low}: {problems:?}");
        problems[0]
            .rsplit_once(": ")
            .map(|(_, names)| names.to_string())
    };
    let names = |text: &str| Some(text.to_string());
    assert_eq!(found("use crate::{high::{self}};"), names("(module)"));
    assert_eq!(found("use crate::high::{x::{self, f}, H};"), names("H, x"));
    assert_eq!(found("pub(crate) use super::high::*;"), names("*"));
    assert_eq!(
        found("use crate::high as up;\nfn g() { up::H; }"),
        names("H")
    );
    assert_eq!(
        found("fn g() { let _ = crate::Reexported; }"),
        names("Reexported")
    );
    assert_eq!(
        found("#[cfg(test)]\nmod tests {\n    use super::super::high::H;\n}"),
        names("H")
    );
}

#[test]
fn what_is_no_import_is_not_reported() {
    let low = "// use crate::high::H;\n/* crate::high::H */\nconst S: &str = \"crate::high::H\";\nfn f() { x.high::H(); }\n";
    let files = [
        ("lib.rs", LIB),
        ("low.rs", low),
        ("high.rs", "pub struct H;\n"),
    ];
    assert_eq!(check(&files, LAYERS), Vec::<String>::new());
    // The crate root and a module calling its own children: containment, not imports.
    let files = [
        ("lib.rs", "mod low;\npub use low::inner::I;\n"),
        ("low/mod.rs", "pub mod inner;\nuse self::inner::I;\n"),
        ("low/inner.rs", "pub struct I;\n"),
    ];
    assert_eq!(imports(&files), Vec::<String>::new());
}

#[test]
fn a_path_attribute_moves_a_file_and_a_module_without_layer_is_reported() {
    let files = [
        ("lib.rs", "mod low;\nmod extra;\n"),
        ("low.rs", "#[path = \"low_tests.rs\"]\nmod tests;\n"),
        ("low_tests.rs", "use crate::extra::E;\n"),
        ("extra.rs", "pub struct E;\n"),
    ];
    assert_eq!(
        check(&files, LAYERS),
        ["module `extra` is in no layer: add `extra` to the crate's layers in tests/layers/main.rs"]
    );
    assert_eq!(imports(&files), ["low::tests -> extra: E"]);
}
