//! `stagegate graph` and `render_diagram`: Mermaid and DOT for the bundled playbook in English and
//! Korean, with and without a deal, plus a playbook whose ids and titles need escaping.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use assert_cmd::Command;
use stagegate::analytics::{render_diagram, DiagramFormat};
use stagegate::{parse_time, Deal, Engine, Evaluation, Options, Playbook};

const BUNDLED: &str = "playbooks/b2b-sales.yaml";
const BLOCKED_DEAL: &str = "examples/deals/02-blocked-bant.yaml";
const AWKWARD: &str = "tests/fixtures/diagram/awkward.yaml";
const AWKWARD_DEAL: &str = "tests/fixtures/diagram/deal.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Playbook {
    Playbook::load(root().join(path)).unwrap()
}

/// `stagegate graph <args>`: its output, after checking that it succeeded quietly.
fn graph(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_stagegate"))
        .current_dir(root())
        .arg("graph")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "{args:?}: {stderr}"
    );
    String::from_utf8(output.stdout).unwrap()
}

fn evaluate(playbook: Playbook, deal: &str) -> Evaluation {
    let text = std::fs::read_to_string(root().join(deal)).unwrap();
    let deal: Deal = serde_yaml::from_str(&text).unwrap();
    let engine = Engine::new(playbook);
    engine
        .evaluate(&deal, parse_time("2026-11-27").unwrap(), &Options::new())
        .unwrap()
}

/// The Mermaid lines of each edge: `from --> to` with an optional ` : label`.
fn mermaid_edges(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.strip_prefix("    ")?;
            let (from, rest) = line.split_once(" --> ")?;
            let (to, label) = rest.split_once(" : ").unwrap_or((rest, ""));
            (from != "[*]").then(|| (from.to_owned(), to.to_owned(), label.to_owned()))
        })
        .collect()
}

/// Checks Mermaid's shape: header, one state per stage (in playbook order, each with a Mermaid id
/// made only of letters, digits and `_`), one edge per transition.
fn check_mermaid(playbook: &Playbook, text: &str) {
    assert!(text.starts_with("stateDiagram-v2\n"), "{text}");
    let ids: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("state \""))
        .filter_map(|l| l.rsplit_once("\" as ").map(|(_, id)| id))
        .collect();
    assert_eq!(
        ids.len(),
        playbook.stages().len(),
        "one state line per stage"
    );
    for (stage, id) in playbook.stages().iter().zip(&ids) {
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "`{id}` (for `{}`) is not a Mermaid id",
            stage.id
        );
        if stage
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            assert_eq!(*id, stage.id, "a plain id is kept as it is");
        }
    }
    let id_of = |stage: &str| {
        let at = playbook
            .stages()
            .iter()
            .position(|s| s.id == stage)
            .unwrap();
        ids[at].to_owned()
    };
    let first = &playbook.stages()[0].id;
    assert!(text.contains(&format!("\n    [*] --> {}\n", id_of(first))));
    let edges: Vec<(String, String)> = mermaid_edges(text)
        .into_iter()
        .map(|(from, to, _)| (from, to))
        .collect();
    let declared: Vec<(String, String)> = playbook
        .transitions()
        .iter()
        .map(|t| (id_of(&t.from), id_of(&t.to)))
        .collect();
    assert_eq!(edges, declared, "every transition, in playbook order");
    for (_, _, label) in mermaid_edges(text) {
        assert!(
            !label.contains([':', ';', '"']),
            "label ends early: {label}"
        );
    }
}

/// Splits a DOT line into its parts outside quoted strings, checking the quotes close.
fn outside_quotes(line: &str) -> String {
    let (mut out, mut quoted, mut escaped) = (String::new(), false, false);
    for c in line.chars() {
        match (quoted, escaped, c) {
            (true, false, '\\') => escaped = true,
            (true, true, _) => escaped = false,
            (_, false, '"') => {
                quoted = !quoted;
                out.push('"');
            }
            (false, _, c) => out.push(c),
            _ => {}
        }
    }
    assert!(!quoted, "a quoted string left open: {line}");
    out
}

/// Checks DOT's shape: balanced braces and brackets, one node per stage, every edge `"a" -> "b"`.
fn check_dot(playbook: &Playbook, text: &str) {
    let name = format!("digraph \"{}\" {{\n", playbook.pin());
    assert!(text.starts_with(&name) && text.ends_with("}\n"), "{text}");
    let mut depth = 0i32;
    for line in text.lines() {
        let bare = outside_quotes(line);
        for c in bare.chars() {
            depth += match c {
                '{' | '[' => 1,
                '}' | ']' => -1,
                _ => 0,
            };
            assert!(depth >= 0, "closes more than it opens: {line}");
        }
    }
    assert_eq!(depth, 0, "braces and brackets balance");
    for stage in playbook.stages() {
        let node = format!("  \"{}\" [label=", stage.id);
        assert_eq!(
            text.matches(&node).count(),
            1,
            "one node for `{}`",
            stage.id
        );
    }
    let edges: Vec<(String, String)> = text
        .lines()
        .filter(|l| l.contains(" -> "))
        .map(|line| {
            assert!(
                line.starts_with("  \"") && line.ends_with("];"),
                "edge line: {line}"
            );
            let (from, rest) = line[3..].split_once("\" -> \"").expect("`\"a\" -> \"b\"`");
            let (to, _) = rest.split_once("\" [").expect("attributes");
            (from.to_owned(), to.to_owned())
        })
        .collect();
    let declared: Vec<(String, String)> = playbook
        .transitions()
        .iter()
        .map(|t| (t.from.clone(), t.to.clone()))
        .collect();
    assert_eq!(edges, declared, "every transition, in playbook order");
}

/// Graphviz, when installed, renders the DOT to SVG without complaint.
fn graphviz_accepts(dot: &str) {
    let Ok(mut child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("graphviz `dot` is not installed: skipping the SVG check");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.trim().is_empty(),
        "dot: {stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
}

#[test]
fn bundled_playbook_diagrams() {
    let playbook = load(BUNDLED);
    for (format, flag) in [
        (DiagramFormat::Mermaid, "mermaid"),
        (DiagramFormat::Dot, "dot"),
    ] {
        for lang in ["en", "ko"] {
            let text = render_diagram(&playbook, format, lang, None);
            assert_eq!(
                text,
                render_diagram(&playbook, format, lang, None),
                "stable"
            );
            let cli = graph(&[BUNDLED, "--format", flag, "--lang", lang]);
            assert_eq!(cli, text, "the command prints what the library renders");
            assert_eq!(
                graph(&[BUNDLED, "--format", flag, "--lang", lang]),
                cli,
                "stable"
            );
            match format {
                DiagramFormat::Mermaid => check_mermaid(&playbook, &text),
                DiagramFormat::Dot => {
                    check_dot(&playbook, &text);
                    graphviz_accepts(&text);
                }
            }
            // Titles in the asked language; Korean is the playbook's default.
            let title = if lang == "en" {
                "Qualification"
            } else {
                "자격 검증"
            };
            assert!(text.contains(&format!("\"{title}\"")), "{lang}: {title}");
            assert!(!text.contains("BLOCKED") && !text.contains("allowed"));
            insta::assert_snapshot!(format!("bundled_{flag}_{lang}"), text);
        }
    }
    assert_eq!(
        graph(&[BUNDLED]),
        graph(&[BUNDLED, "--format", "mermaid"]),
        "Mermaid by default"
    );
}

#[test]
fn bundled_playbook_diagrams_with_a_blocked_deal() {
    let evaluation = evaluate(load(BUNDLED), BLOCKED_DEAL);
    assert_eq!(evaluation.stages, ["qualification"]);
    let playbook = load(BUNDLED);
    let args = ["--deal", BLOCKED_DEAL, "--at", "2026-11-27", "--lang", "en"];
    for (format, flag) in [
        (DiagramFormat::Mermaid, "mermaid"),
        (DiagramFormat::Dot, "dot"),
    ] {
        let text = render_diagram(&playbook, format, "en", Some(&evaluation));
        assert_eq!(
            text,
            render_diagram(&playbook, format, "en", Some(&evaluation))
        );
        let cli = graph(&[&[BUNDLED, "--format", flag][..], &args[..]].concat());
        assert_eq!(cli, text, "the command prints what the library renders");
        // Every move out of the active stage is marked, blocked or allowed; no other move is.
        let marked = |from: &str, to: &str| -> Option<bool> {
            let line = match format {
                DiagramFormat::Mermaid => text
                    .lines()
                    .find(|l| l.starts_with(&format!("    {from} --> {to}")))?,
                DiagramFormat::Dot => text
                    .lines()
                    .find(|l| l.starts_with(&format!("  \"{from}\" -> \"{to}\"")))?,
            };
            match (line.contains("BLOCKED by"), line.contains("allowed")) {
                (true, false) => Some(false),
                (false, true) => Some(true),
                (false, false) => None,
                (true, true) => panic!("both blocked and allowed: {line}"),
            }
        };
        for t in playbook.transitions() {
            let check = evaluation
                .transitions
                .iter()
                .find(|c| c.from == t.from && c.to == t.to);
            assert_eq!(
                marked(&t.from, &t.to),
                check.map(|c| c.allowed),
                "{}>{}",
                t.from,
                t.to
            );
        }
        let blocked = "BLOCKED by discovery_call, bant_budget, bant_authority, bant_need, \
                       bant_timeline, lead_mql";
        match format {
            DiagramFormat::Mermaid => {
                check_mermaid(&playbook, &text);
                assert!(text.contains("\n    class qualification active\n"));
                assert_eq!(text.matches(" active\n").count(), 1, "one active stage");
                let edge = format!("    qualification --> needs_analysis : ✗ {blocked}\n");
                assert!(text.contains(&edge), "{text}");
            }
            DiagramFormat::Dot => {
                check_dot(&playbook, &text);
                graphviz_accepts(&text);
                let node = "  \"qualification\" [label=\"Qualification\", fillcolor=\"#fff3cd\", \
                            penwidth=3];\n";
                assert!(text.contains(node), "{text}");
                assert_eq!(text.matches("penwidth=3").count(), 1, "one active stage");
                let edge =
                    format!("  \"qualification\" -> \"needs_analysis\" [label=\"{blocked}\"");
                assert!(text.contains(&edge), "{text}");
            }
        }
        insta::assert_snapshot!(format!("bundled_{flag}_blocked_deal"), text);
    }
}

#[test]
fn awkward_ids_and_titles_are_escaped() {
    let playbook = load(AWKWARD);
    let evaluation = evaluate(load(AWKWARD), AWKWARD_DEAL);
    for deal in [None, Some(&evaluation)] {
        let dot = render_diagram(&playbook, DiagramFormat::Dot, "en", deal);
        check_dot(&playbook, &dot);
        graphviz_accepts(&dot);
        assert!(
            dot.contains(r#"[label="New \"hot\" lead: inbound; outbound""#),
            "{dot}"
        );
        assert!(
            dot.contains(r#"[label="Proposal {v2} \\ review\nsecond line"]"#),
            "{dot}"
        );
        let mermaid = render_diagram(&playbook, DiagramFormat::Mermaid, "en", deal);
        check_mermaid(&playbook, &mermaid);
        assert!(mermaid.contains("    state \"New 'hot' lead  inbound  outbound\" as new_lead\n"));
        assert!(
            !mermaid.contains("review\nsecond"),
            "a title stays on its line"
        );
    }
    let ko = graph(&[AWKWARD, "--lang", "ko", "--format", "dot"]);
    assert!(
        ko.contains("[label=\"신규 리드: 인바운드\""),
        "Korean where there is Korean"
    );
    assert!(
        ko.contains("[label=\"Won: signed\""),
        "the default language otherwise"
    );
}

/// Mermaid's state diagram lexer reads an id in an edge as `[^:\n\s\-{]+`: no `-`.
#[test]
fn mermaid_ids_are_valid_for_mermaid() {
    let mermaid = render_diagram(&load(AWKWARD), DiagramFormat::Mermaid, "en", None);
    for (from, to, _) in mermaid_edges(&mermaid) {
        for id in [from, to] {
            assert!(
                !id.contains(['-', ':', '{']) && !id.is_empty(),
                "id `{id}` in\n{mermaid}"
            );
        }
    }
}
