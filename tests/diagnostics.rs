//! `stagegate check` on one small broken playbook per diagnostic code
//! (tests/fixtures/diagnostics/<code>[__variant].yaml, whose first line is `# expect: <codes>`):
//! the rendered text and the JSON, the exit code, and the place of every diagnostic.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use stagegate::{Diagnostic, Playbook, Severity};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture's path relative to the crate root, as the command is given it.
fn relative(path: &Path) -> String {
    let rel = path
        .strip_prefix(root())
        .expect("fixture under the crate root");
    rel.to_str().unwrap().replace('\\', "/")
}

fn stagegate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stagegate"));
    command.current_dir(root()).env_remove("NO_COLOR");
    command
}

/// Runs `stagegate check <file> <extra>... --color never`: (exit code, stdout, stderr).
fn check(file: &str, extra: &[&str]) -> (i32, String, String) {
    let output = stagegate()
        .args(["check", file])
        .args(extra)
        .args(["--color", "never"])
        .output()
        .unwrap();
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The codes the fixture's first line promises, sorted.
fn expected_codes(text: &str) -> Vec<String> {
    let first = text.lines().next().unwrap_or_default();
    let list = first
        .strip_prefix("# expect:")
        .expect("first line `# expect: <codes>`");
    let mut codes: Vec<String> = list.split_whitespace().map(str::to_owned).collect();
    codes.sort();
    codes
}

/// The code a fixture is named after: `rhai-syntax__block.yaml` -> `rhai-syntax`.
fn named_code(path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    stem.split("__").next().unwrap().to_owned()
}

fn json_diagnostics(stdout: &str) -> Vec<Value> {
    let value: Value = serde_json::from_str(stdout).expect("check --format json prints JSON");
    value.as_array().expect("a JSON array").clone()
}

/// Display width as the terminal shows it: Hangul and other wide characters take two columns.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn check_text_output() {
    insta::glob!("fixtures/diagnostics/*.yaml", |path| {
        let file = relative(path);
        let source = std::fs::read_to_string(path).unwrap();
        let found = Playbook::check(&source, &file);
        let (code, stdout, stderr) = check(&file, &[]);
        assert!(stderr.is_empty(), "{file}: nothing on stderr, got {stderr}");
        let errors = found.iter().any(Diagnostic::is_error);
        assert_eq!(
            code,
            if errors { 1 } else { 0 },
            "{file}: exit code\n{stdout}"
        );
        let named = named_code(path);
        if named != "several" {
            assert!(
                stdout.contains(&format!("[{named}]: ")),
                "{file}: {named} in\n{stdout}"
            );
        }
        let verdict = if errors { "invalid" } else { "ok" };
        let last = stdout.lines().last().unwrap_or_default();
        assert!(
            last.starts_with(&format!("{file}: {verdict} (")),
            "{file}: {last}"
        );

        // Each block: the header, the source line, a caret under the column, then `help:`.
        let lines: Vec<&str> = stdout.lines().collect();
        let source_lines: Vec<&str> = source.lines().collect();
        for d in &found {
            let severity = if d.is_error() { "error" } else { "warning" };
            let header = format!(
                "{}:{}:{}: {severity}[{}]: {}",
                d.file, d.line, d.column, d.code, d.message
            );
            let at = lines.iter().position(|l| *l == header);
            let at = at.unwrap_or_else(|| panic!("{file}: `{header}` in\n{stdout}"));
            if d.line == 0 {
                continue;
            }
            let number = d.line.to_string();
            let shown = source_lines[d.line - 1].trim_end();
            assert_eq!(
                lines[at + 1],
                format!(" {number} | {shown}"),
                "{file}: source line"
            );
            let before: String = shown.chars().take(d.column - 1).collect();
            let pad = " ".repeat(number.len());
            let caret = format!(" {pad} | {}^", " ".repeat(width(&before)));
            assert_eq!(lines[at + 2], caret, "{file}: caret of {header}");
            if let Some(help) = &d.help {
                assert_eq!(lines[at + 3], format!(" help: {help}"), "{file}: help");
            }
        }
        insta::assert_snapshot!(stdout);
    });
}

#[test]
fn check_json_output() {
    insta::glob!("fixtures/diagnostics/*.yaml", |path| {
        let file = relative(path);
        let source = std::fs::read_to_string(path).unwrap();
        let (code, stdout, _) = check(&file, &["--format", "json"]);
        let json = json_diagnostics(&stdout);
        let library = Playbook::check(&source, &file);
        assert_eq!(
            json.len(),
            library.len(),
            "{file}: as many as the library finds"
        );
        for (d, lib) in json.iter().zip(&library) {
            for key in [
                "severity", "code", "message", "file", "line", "column", "help",
            ] {
                assert!(d.get(key).is_some(), "{file}: `{key}` in {d}");
            }
            assert_eq!(d["file"], file.as_str());
            assert_eq!(d["code"], lib.code);
            assert_eq!(d["message"], lib.message.as_str());
            assert_eq!(d["line"], lib.line);
            assert_eq!(d["column"], lib.column);
            let severity = if lib.is_error() { "error" } else { "warning" };
            assert_eq!(d["severity"], severity);
            assert_eq!(d.get("help").and_then(Value::as_str), lib.help.as_deref());
        }
        let mut codes: Vec<String> = json
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect();
        codes.sort();
        assert_eq!(
            codes,
            expected_codes(&source),
            "{file}: every code, and no other"
        );
        let errors = json.iter().any(|d| d["severity"] == "error");
        assert_eq!(code, if errors { 1 } else { 0 }, "{file}: exit code");
        insta::assert_snapshot!(stdout);
    });
}

/// Every fixture's diagnostics in file order: (line, column, the text that starts there), counted
/// by hand in the fixture. The alias bomb is missing: the parser does not say where it blows up.
/// (line, column, text) of each diagnostic of one fixture.
type Places = &'static [(usize, usize, &'static str)];

const PLACES: &[(&str, Places)] = &[
    (
        "approval",
        &[
            (12, 35, "{ role: finance }"),
            (14, 48, "{ role: finance }"),
            (15, 32, "[discount_pct]"),
            (17, 37, "{ role: finance }"),
        ],
    ),
    ("bad-id", &[(7, 9, "\"closed won\"")]),
    ("effect", &[(11, 58, "{ role: manager"), (12, 9, "{}")]),
    ("empty-roles", &[(8, 9, "[]")]),
    ("empty-roles__by", &[(8, 10, "[]"), (14, 32, "[]")]),
    (
        "empty-expect",
        &[(14, 13, "{}"), (15, 5, "name: nothing named")],
    ),
    ("key-fields", &[(14, 33, "f]")]),
    ("bad-timezone", &[(6, 11, "Asia/Seol")]),
    ("bad-currency", &[(7, 11, "usd")]),
    ("bad-currency__word", &[(7, 11, "dollars")]),
    (
        "duplicate-id__enum-labels",
        &[(12, 15, "small,"), (13, 9, "10k_50k")],
    ),
    (
        "unknown-field__card-keys",
        &[(6, 12, "compnay"), (7, 17, "close_dat")],
    ),
    ("unknown-key__enum-label", &[(11, 22, "label")]),
    (
        "field-type__card-keys",
        &[(7, 12, "amount"), (8, 17, "company")],
    ),
    ("bad-version", &[(4, 10, "0")]),
    ("bands-order", &[(14, 13, "40")]),
    ("criterion-test", &[(11, 9, "{ id: bant,")]),
    ("dead-end", &[(7, 9, "proposal")]),
    ("duplicate-key", &[(8, 5, "title: Opened")]),
    ("duplicate-id__activity", &[(12, 15, "call,")]),
    ("duplicate-id__criterion", &[(14, 15, "budget_ok,")]),
    (
        "duplicate-id__others",
        &[
            (5, 21, "en]"),
            (8, 50, "saas]"),
            (13, 15, "big,"),
            (18, 15, "win_rate"),
        ],
    ),
    ("duplicate-id__stage", &[(9, 9, "open")]),
    (
        "duplicate-criterion",
        &[
            (12, 9, "{ id: funded"),
            (13, 58, "{ fields: [need] } ]"),
            (19, 15, "needed,"),
            (21, 52, "{ when:"),
        ],
    ),
    ("duplicate-transition", &[(11, 5, "{ from: [open]")]),
    ("enum-values", &[(6, 13, "{ type: enum }")]),
    ("fork-to-terminal", &[(13, 35, "true }")]),
    ("format-version", &[(2, 12, "2")]),
    ("hostile-yaml__deep-nesting", &[(5, 136, "[[")]),
    ("missing-key", &[(10, 5, "{ from: open }")]),
    ("no-stages", &[(5, 9, "[]")]),
    ("no-way-to-win", &[(7, 9, "nurture")]),
    ("out-of-range", &[(7, 18, "1.5")]),
    ("rhai-call", &[(12, 44, "done(need)")]),
    ("rhai-call__has", &[(11, 32, "has(\"budget\")")]),
    ("rhai-syntax__block", &[(15, 26, "* 2")]),
    ("rhai-syntax__escapes", &[(11, 65, "&& budget")]),
    ("rhai-syntax__multiline-plain", &[(14, 11, "> 5")]),
    ("rhai-syntax__plain", &[(11, 29, "&& need")]),
    // A missing `)`: at the end of the expression, the closing quote.
    ("rhai-syntax__quoted", &[(10, 66, "', points")]),
    ("scorecard-cycle", &[(13, 5, "rules:")]),
    ("self-transition", &[(11, 19, "open]")]),
    (
        "several__semantic",
        &[
            (11, 38, "nede]"),
            (12, 37, "= 10"),
            (15, 45, "ned =="),
            (24, 23, "lsot"),
            (25, 13, "lost"),
        ],
    ),
    (
        "several__shape-and-semantic",
        &[(9, 5, "titel"), (11, 10, "budgte"), (15, 23, "wonn")],
    ),
    (
        "several__unknown-keys",
        &[(5, 1, "langauges"), (9, 31, "titel"), (13, 28, "forks")],
    ),
    ("terminal-exit", &[(14, 13, "lost,")]),
    ("unknown-activity", &[(12, 36, "discovery_cal]")]),
    ("unknown-band", &[(15, 43, "warm }")]),
    ("unknown-field", &[(11, 38, "nede]")]),
    ("unknown-function", &[(12, 30, "days_sinse(")]),
    ("unknown-id", &[(15, 30, "done(\"discovery_cal\")")]),
    (
        "rule-type__never-holds",
        &[
            (16, 37, "seats * 2"),
            (20, 35, ">= \"50000\""),
            (21, 52, "\"fintec\""),
            (21, 62, "\"Retail\""),
            (22, 46, "\"Inbound\""),
            (23, 45, "> 5"),
        ],
    ),
    (
        "rule-type__operators",
        &[
            (16, 34, "> \"m\""),
            (21, 43, "\"hotx\""),
            (22, 41, "\"next week\""),
            (23, 32, "len()"),
            (24, 36, "- 1"),
            (25, 31, "!arr"),
            (26, 42, "arr'"),
        ],
    ),
    (
        "rule-type__missing-facts",
        &[
            (16, 40, "\"none\""),
            (17, 54, "\"Retail\""),
            (18, 28, "days_until(amount)"),
            (19, 37, "> 5"),
            (20, 44, "\"someday\""),
        ],
    ),
    ("unknown-key", &[(7, 5, "titel")]),
    (
        "unknown-key__pushed-out",
        &[(13, 5, "when:"), (16, 1, "max_days:")],
    ),
    ("yaml-syntax__between-blocks", &[(11, 6, "message:")]),
    ("yaml-syntax__quotes-in-quotes", &[(12, 28, "smb")]),
    ("yaml-syntax__under-a-value", &[(9, 15, ": 5")]),
    (
        "unknown-language",
        &[(8, 10, "kr:"), (11, 22, "english:"), (15, 59, "ja:")],
    ),
    ("unknown-name", &[(10, 47, "budgte")]),
    (
        "unknown-name__several",
        &[
            (14, 25, "budgt"),
            (14, 38, "nede"),
            (14, 52, "lenght"),
            (14, 72, "done(\"discovery\")"),
        ],
    ),
    ("unknown-name__korean", &[(13, 64, "budgte")]),
    (
        "unknown-role__approval",
        &[(12, 43, "owner }"), (13, 73, "finanse }")],
    ),
    ("unknown-scorecard", &[(14, 32, "laed,")]),
    ("unknown-stage", &[(13, 20, "wno]")]),
    ("unknown-value", &[(8, 14, "wonn")]),
    (
        "unknown-value__max-days-since",
        &[
            (7, 34, "activty"),
            (9, 15, "{ dayz"),
            (9, 17, "dayz"),
            (12, 15, "fourteen"),
        ],
    ),
    ("unreachable-stage", &[(7, 9, "proposal")]),
    ("unused-activity", &[(9, 15, "networking,")]),
    ("wrong-type", &[(7, 15, "soon")]),
    ("yaml-syntax", &[(8, 4, "probability")]),
    (
        "test-deal",
        &[
            (12, 9, "2026-13-01"),
            (13, 21, "[opn]"),
            (13, 38, "budgt"),
            (13, 56, "\"x\""),
            (13, 77, "cal:"),
            (14, 11, "wonn"),
            (15, 42, "wn:"),
        ],
    ),
];

/// The text at a 1-based line and column (in characters).
fn text_at(source: &str, line: usize, column: usize) -> String {
    let text = source.lines().nth(line - 1).unwrap_or_default();
    text.chars().skip(column - 1).collect()
}

#[test]
fn every_diagnostic_points_at_the_offending_spot() {
    let dir = root().join("tests/fixtures/diagnostics");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    for path in fixtures {
        let name = path.file_stem().unwrap().to_str().unwrap();
        if name == "hostile-yaml__alias-bomb" {
            continue;
        }
        let places = PLACES.iter().find(|(n, _)| *n == name);
        let (_, places) = places.unwrap_or_else(|| panic!("{name}: add its places to PLACES"));
        let source = std::fs::read_to_string(&path).unwrap();
        let found = Playbook::check(&source, name);
        let got: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        let want: Vec<(usize, usize)> = places.iter().map(|&(l, c, _)| (l, c)).collect();
        assert_eq!(got, want, "{name}: places of {found:#?}");
        for &(line, column, token) in *places {
            let there = text_at(&source, line, column);
            assert!(
                there.starts_with(token),
                "{name}:{line}:{column}: `{token}`, got `{there}`"
            );
        }
    }
}

#[test]
fn hostile_files_are_refused_without_hanging() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("stagegate-hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let head = "stagegate: 1\nid: hostile\nversion: 1\n";
    let deep = format!(
        "{head}stages: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let deep_maps = format!(
        "{head}title: {}1{}\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    );
    let unclosed = format!("{head}stages: {}\n", "[".repeat(10_000));
    let huge = format!(
        "{head}stages: [{{ id: open }}]\ndescription: \"{}\"\n",
        "x".repeat(stagegate::MAX_PLAYBOOK_BYTES)
    );
    let bomb = std::fs::read_to_string(
        root().join("tests/fixtures/diagnostics/hostile-yaml__alias-bomb.yaml"),
    )
    .unwrap();
    let cases = [
        ("deep.yaml", deep, "hostile-yaml"),
        ("deep-maps.yaml", deep_maps, "hostile-yaml"),
        ("unclosed.yaml", unclosed, "hostile-yaml"),
        ("huge.yaml", huge, "too-large"),
        ("bomb.yaml", bomb, "hostile-yaml"),
    ];
    for (name, text, want) in cases {
        let found = Playbook::check(&text, name);
        assert_eq!(found.len(), 1, "{name}: one diagnostic, got {found:?}");
        assert_eq!(
            (found[0].code, found[0].severity),
            (want, Severity::Error),
            "{name}"
        );
        assert!(Playbook::from_yaml(&text, name).is_err(), "{name}: refused");
        let path = dir.join(name);
        std::fs::write(&path, &text).unwrap();
        let (code, stdout, _) = check(path.to_str().unwrap(), &["--format", "json"]);
        assert_eq!(code, 1, "{name}: exit code");
        let json = json_diagnostics(&stdout);
        assert_eq!(json.len(), 1, "{name}: {stdout}");
        assert_eq!(json[0]["code"], want, "{name}");
    }
}

#[test]
fn a_missing_file_is_unreadable_with_exit_code_2() {
    let (code, stdout, _) = check(
        "tests/fixtures/diagnostics/no-such-file.yaml",
        &["--format", "json"],
    );
    assert_eq!(code, 2);
    let json = json_diagnostics(&stdout);
    assert_eq!(json.len(), 1, "{stdout}");
    assert_eq!(json[0]["code"], "unreadable");
    assert!(
        json[0]["message"]
            .as_str()
            .unwrap()
            .contains("no such file"),
        "{stdout}"
    );
}

// ----- engine bugs: each expects the correct behaviour -----

fn bug_fixture(name: &str) -> (String, Vec<Diagnostic>) {
    let path = root().join("tests/fixtures/diagnostics/bugs").join(name);
    let source = std::fs::read_to_string(path).unwrap();
    let found = Playbook::check(&source, name);
    (source, found)
}

fn places(found: &[Diagnostic]) -> Vec<(&str, usize, usize)> {
    found.iter().map(|d| (d.code, d.line, d.column)).collect()
}

#[test]
fn rhai_error_in_a_folded_block_scalar() {
    let (source, found) = bug_fixture("folded-block.yaml");
    assert_eq!(places(&found), [("rhai-syntax", 15, 14)], "{found:#?}");
    assert!(text_at(&source, 15, 14).starts_with("&& need"));
}

#[test]
fn rhai_error_in_a_block_scalar_with_an_indentation_indicator() {
    let (source, found) = bug_fixture("block-indent-indicator.yaml");
    assert_eq!(places(&found), [("unknown-name", 13, 27)], "{found:#?}");
    assert!(text_at(&source, 13, 27).starts_with("budegt"));
}

#[test]
fn repeated_keys_are_errors() {
    let (source, found) = bug_fixture("duplicate-keys.yaml");
    for (line, column, key) in [(9, 3, "budget:"), (13, 32, "cold:"), (17, 5, "title:")] {
        assert!(text_at(&source, line, column).starts_with(key), "{key}");
    }
    let errors: Vec<(usize, usize)> = found
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(errors, [(9, 3), (13, 32), (17, 5)], "{found:#?}");
}

#[test]
fn a_misspelt_key_raises_no_follow_on_diagnostic() {
    let (_, found) = bug_fixture("misspelt-required.yaml");
    assert_eq!(places(&found), [("unknown-key", 9, 31)], "{found:#?}");
    let (_, found) = bug_fixture("misspelt-when.yaml");
    assert_eq!(places(&found), [("unknown-key", 11, 26)], "{found:#?}");
}

#[test]
fn an_oversized_file_is_too_large() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("stagegate-hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("oversized.yaml");
    let text = format!("# {}\n", "x".repeat(stagegate::MAX_PLAYBOOK_BYTES));
    std::fs::write(&path, text).unwrap();
    let error = Playbook::load(&path).unwrap_err();
    assert_eq!(
        error.diagnostics[0].code, "too-large",
        "{:?}",
        error.diagnostics
    );
}
