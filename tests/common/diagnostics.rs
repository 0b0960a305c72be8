//! A small valid playbook, and checks of the diagnostics of its variants.

use stagegate::{Diagnostic, Playbook, Severity};

/// A small valid playbook; tests change one part of it.
pub const BASE: &str = r#"stagegate: 1
id: t
version: 1
fields: { budget: { type: number }, need: { type: text } }
scorecards:
  lead:
    rules:
      - { id: big, when: "budget >= 100", points: 10 }
    bands: { cold: 0, hot: 10 }
stages:
  - id: open
    activities:
      - { id: call, required: true }
    exit:
      - { id: budget_ok, when: "budget >= 10" }
  - id: won
    outcome: won
  - id: lost
    outcome: lost
transitions:
  - { from: open, to: won }
  - { from: "*", to: lost }
"#;

/// The criterion of the `open` stage's exit gate, as written in BASE.
pub const CRITERION: &str = "{ id: budget_ok, when: \"budget >= 10\" }";

pub fn with(old: &str, new: &str) -> String {
    assert_eq!(BASE.matches(old).count(), 1, "`{old}` is in BASE once");
    BASE.replace(old, new)
}

/// The 1-based line and column (in characters) where `needle` starts in `text`.
pub fn place(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "`{needle}` occurs once");
    let before = &text[..text.find(needle).unwrap()];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

pub fn errors(text: &str) -> Vec<Diagnostic> {
    let all = Playbook::check(text, "p.yaml");
    // `from_yaml` refuses the same text with the same diagnostics.
    let refused = Playbook::from_yaml(text, "p.yaml").expect_err("the playbook has errors");
    assert_eq!(refused.diagnostics, all);
    all.into_iter().filter(Diagnostic::is_error).collect()
}

/// The one error of `text`.
pub fn one_error(text: &str) -> Diagnostic {
    let mut found = errors(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = found.remove(0);
    assert_eq!((d.severity, d.file.as_str()), (Severity::Error, "p.yaml"));
    d
}

/// `text` has one error, at `(line, column)`, shown as `code: message[; help]`.
pub fn expect_at(text: &str, at: (usize, usize), expected: &str) {
    let d = one_error(text);
    let help = d
        .help
        .as_deref()
        .map_or(String::new(), |h| format!("; {h}"));
    assert_eq!((d.line, d.column), at, "{d:#?}");
    assert_eq!(format!("{}: {}{help}", d.code, d.message), expected);
}

/// `text` has one error, where `spot` (which occurs once) starts.
pub fn expect(text: &str, spot: &str, expected: &str) {
    expect_at(text, place(text, spot), expected);
}

pub const UNEXPECTED: &str = "rhai-syntax: rhai syntax error: unexpected ')'";
