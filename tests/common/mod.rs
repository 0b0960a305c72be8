//! Helpers shared by the integration tests: the fixture playbook, deals and a fixed time.
// Tests fail loudly by design: these helpers unwrap and expect like the tests they serve.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

pub mod diagnostics;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use stagegate::{
    Blocker, Deal, DealReader, Engine, Evaluation, MoveCheck, Options, Playbook, Timestamp,
};

/// A path under `tests/fixtures`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// An engine for the fixture playbook, in its default language (English).
pub fn engine() -> Engine {
    Engine::new(Playbook::load(fixture("playbook.yaml")).expect("the fixture playbook loads"))
}

/// The fixed evaluation time of every test.
pub fn at() -> Timestamp {
    stagegate::parse_time("2026-11-27").unwrap()
}

/// The one deal of a file.
pub fn read_deal(path: &Path) -> Deal {
    let file = BufReader::new(File::open(path).unwrap());
    let mut reader = DealReader::new(file, &path.display().to_string());
    let (deal, _) = reader.next().expect("one deal").expect("a readable deal");
    assert!(reader.next().is_none(), "one deal per fixture file");
    deal
}

/// The fixture deal `tests/fixtures/deals/<name>.yaml`.
pub fn deal(name: &str) -> Deal {
    read_deal(&fixture(&format!("deals/{name}.yaml")))
}

/// The fixture deal evaluated at the fixed time.
pub fn evaluate(name: &str) -> Evaluation {
    engine()
        .evaluate(&deal(name), at(), &Options::new())
        .unwrap()
}

/// The one evaluated move `from` -> `to`.
pub fn only_move<'a>(evaluation: &'a Evaluation, from: &str, to: &str) -> &'a MoveCheck {
    let mut found = evaluation
        .transitions
        .iter()
        .filter(|t| t.from == from && t.to == to);
    let check = found.next().expect("the move is evaluated");
    assert!(found.next().is_none(), "one move {from} -> {to}");
    check
}

/// A unit enum as it is serialized (`missing_field`, `exit`, `advance`).
pub fn name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// `gate reason criterion-or-activity` for each blocker of the move, in order.
pub fn blockers(evaluation: &Evaluation, from: &str, to: &str) -> Vec<String> {
    let check = only_move(evaluation, from, to);
    assert_eq!(check.allowed, check.blockers.is_empty());
    check.blockers.iter().map(line).collect()
}

/// `gate reason criterion-or-activity` of one blocker.
pub fn line(b: &Blocker) -> String {
    let what = b
        .criterion
        .as_deref()
        .or(b.activity.as_deref())
        .unwrap_or("?");
    format!("{} {} {what}", name(b.gate), name(b.reason))
}

/// `from>to kind[ fork] allowed|blocked` for every move, in order.
pub fn moves(evaluation: &Evaluation) -> Vec<String> {
    let show = |t: &MoveCheck| {
        let fork = if t.fork { " fork" } else { "" };
        let allowed = if t.allowed { "allowed" } else { "blocked" };
        format!("{}>{} {}{fork} {allowed}", t.from, t.to, name(t.kind))
    };
    evaluation.transitions.iter().map(show).collect()
}

/// `stagegate <args>` in the crate's folder, without colour: (exit code, stdout, stderr).
pub fn stagegate(args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}
