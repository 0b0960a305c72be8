//! Moves on a book of deals (`move --deal`, `--in-place`) and plain words for wrong input: no
//! deals, a CSV export, a playbook and deals swapped, a `--format` a command does not print.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use common::{at, deal, engine};
use stagegate::{DealBook, DealProblem, DealReader, Move, MoveError, Playbook};

const PLAYBOOK: &str = "tests/fixtures/playbook.yaml";

/// Runs `stagegate` in the crate's folder without colour, with `input` on standard input: exit
/// code, standard output and standard error.
fn run(args: &[&str], input: &str) -> (i32, String, String) {
    let output = Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap();
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).unwrap();
    (
        output.status.code().unwrap(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "`{part}` is not in:\n{text}");
}

/// A fresh folder of its own for one test.
fn folder(name: &str) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("book-{name}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Three fixture deals as JSON Lines: F-ADVANCE, F-SKIP-OK, F-MANY.
fn jsonl_book() -> String {
    ["advance-allowed", "skip-allowed", "every-reason-listed"]
        .iter()
        .map(|name| serde_json::to_string(&deal(name)).unwrap() + "\n")
        .collect()
}

/// The same deals as their fixture files, one YAML document each, comments and all.
fn yaml_book() -> String {
    ["advance-allowed", "skip-allowed", "every-reason-listed"]
        .iter()
        .map(|name| {
            std::fs::read_to_string(common::fixture(&format!("deals/{name}.yaml"))).unwrap()
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Writes `text` as `name` in a folder of its own; returns its path.
fn book(test: &str, name: &str, text: &str) -> String {
    let path = folder(test).join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn at_args() -> [&'static str; 2] {
    ["--at", "2026-11-27"]
}

#[test]
fn move_finds_the_deal_in_a_file_of_many_and_prints_it() {
    let path = book("find", "book.jsonl", &jsonl_book());
    let args = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "F-SKIP-OK",
        "--to",
        "close",
    ];
    let (code, out, err) = run(&[&args[..], &at_args()].concat(), "");
    assert_eq!(code, 0, "{err}");
    let expected = engine()
        .apply(&deal("skip-allowed"), &Move::to("close"), at())
        .unwrap()
        .deal;
    let printed = DealReader::new(out.as_bytes(), "out")
        .next()
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(printed, expected);
    // Without --in-place the file is not touched.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), jsonl_book());
    // --format jsonl: the moved deal on one line.
    let (code, out, _) = run(
        &[&args[..], &at_args(), &["--format", "jsonl"]].concat(),
        "",
    );
    assert_eq!(code, 0);
    assert_eq!(out, serde_json::to_string(&expected).unwrap() + "\n");
    // A deal with no id, by its position.
    let (code, out, err) = run(
        &[
            &["move", PLAYBOOK, &path, "--deal", "#1", "--to", "qualify"][..],
            &at_args(),
        ]
        .concat(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "id: F-ADVANCE\nstages:\n- qualify\n");
}

#[test]
fn a_file_of_many_without_deal_lists_the_ids_and_says_to_pass_deal() {
    let path = book("several", "book.jsonl", &jsonl_book());
    let (code, out, err) = run(&["move", PLAYBOOK, &path, "--to", "close"], "");
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert_has(
        &err,
        "holds 3 deals (`F-ADVANCE`, `F-SKIP-OK` and `F-MANY`); name the one you mean",
    );
    assert_has(&err, "help: pass --deal <id>");
    // An id not in the file: the ids it has, and the likely one.
    let (code, _, err) = run(
        &[
            "move", PLAYBOOK, &path, "--deal", "F-SKP-OK", "--to", "close",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert_has(&err, "deal `F-SKP-OK`: no deal has this id in the file; it holds `F-ADVANCE`, `F-SKIP-OK` and `F-MANY` (did you mean `F-SKIP-OK`?)");
}

#[test]
fn eval_and_graph_pick_one_deal_of_a_file_as_move_does() {
    let path = book("pick", "book.jsonl", &jsonl_book());
    let alone = "tests/fixtures/deals/every-reason-listed.yaml";
    // `eval --deal`: the deal's evaluation, as for a file holding it alone, in every format.
    for format in ["text", "json", "jsonl"] {
        let picked = run(
            &[
                "eval",
                PLAYBOOK,
                &path,
                "--deal",
                "F-MANY",
                "--format",
                format,
                "--at",
                "2026-11-27",
            ],
            "",
        );
        let whole = run(
            &[
                "eval",
                PLAYBOOK,
                alone,
                "--format",
                format,
                "--at",
                "2026-11-27",
            ],
            "",
        );
        assert_eq!(picked.0, 0, "{}", picked.2);
        assert_eq!(picked, whole, "{format}");
    }
    // `graph --deal <file> --id <id>`: the diagram of a file holding that deal alone.
    let picked = run(
        &[
            "graph",
            PLAYBOOK,
            "--deal",
            &path,
            "--id",
            "F-MANY",
            "--at",
            "2026-11-27",
        ],
        "",
    );
    let whole = run(
        &["graph", PLAYBOOK, "--deal", alone, "--at", "2026-11-27"],
        "",
    );
    assert_eq!(picked.0, 0, "{}", picked.2);
    assert_eq!(picked, whole);
    assert_has(&picked.1, "class qualify active");

    // The same errors as `move --deal`: an id not in the file, with the likely one...
    let not_found = "deal `F-SKP-OK`: no deal has this id in the file; it holds `F-ADVANCE`, `F-SKIP-OK` and `F-MANY` (did you mean `F-SKIP-OK`?)";
    let (code, out, err) = run(&["eval", PLAYBOOK, &path, "--deal", "F-SKP-OK"], "");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_has(&err, not_found);
    let (code, out, err) = run(
        &["graph", PLAYBOOK, "--deal", &path, "--id", "F-SKP-OK"],
        "",
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert_has(&err, not_found);
    // ...an id found twice...
    let again = serde_json::to_string(&deal("skip-allowed")).unwrap();
    let twice = book(
        "pick-twice",
        "book.jsonl",
        &format!("{}{again}\n", jsonl_book()),
    );
    let found_twice = "deal `F-SKIP-OK`: two deals have this id, at lines 2 and 4";
    let (code, _, err) = run(&["eval", PLAYBOOK, &twice, "--deal", "F-SKIP-OK"], "");
    assert_eq!(code, 2);
    assert_has(&err, found_twice);
    let (code, _, err) = run(
        &["graph", PLAYBOOK, "--deal", &twice, "--id", "F-SKIP-OK"],
        "",
    );
    assert_eq!(code, 2);
    assert_has(&err, found_twice);
    // ...and several deals where the diagram marks one: how to pick it.
    let (code, out, err) = run(&["graph", PLAYBOOK, "--deal", &path], "");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_has(
        &err,
        "holds 3 deals (`F-ADVANCE`, `F-SKIP-OK` and `F-MANY`); name the one you mean",
    );
    assert_has(&err, "help: pass --id <id> to pick one");
    // `eval --deal` picks in one file; `graph --id` needs the file.
    let (code, _, err) = run(&["eval", PLAYBOOK, &path, &path, "--deal", "F-MANY"], "");
    assert_eq!(code, 2);
    assert_has(&err, "--deal picks a deal in one file; give one deals file");
    let (code, _, err) = run(&["graph", PLAYBOOK, "--id", "F-MANY"], "");
    assert_eq!(code, 2);
    assert_has(&err, "--deal <DEALS>");
}

#[test]
fn a_move_several_stages_could_make_says_to_name_the_source_with_from() {
    let deal = "tests/fixtures/deals/join-two-stages.yaml";
    let args = ["move", PLAYBOOK, deal, "--to", "lost", "--at", "2026-11-27"];
    let (code, out, err) = run(&args, "");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: deal `F-JOIN`: the deal could move to `lost` from `qualify` or `propose`; name the source stage\n\
         help: name the source stage with --from <stage>\n"
    );
    // The library's message says nothing of the command line.
    let error = engine()
        .apply(&common::deal("join-two-stages"), &Move::to("lost"), at())
        .unwrap_err();
    assert!(matches!(error, MoveError::Ambiguous { .. }));
    assert!(!error.to_string().contains("--from"), "{error}");
    // Named, the move is made.
    let (code, out, err) = run(&[&args[..], &["--from", "qualify"]].concat(), "");
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "- propose\n- lost\n");
}

#[test]
fn an_id_found_twice_names_both_lines() {
    let again = serde_json::to_string(&deal("skip-allowed")).unwrap();
    let text = format!("{}{again}\n", jsonl_book());
    let path = book("twice", "book.jsonl", &text);
    let (code, _, err) = run(
        &[
            "move",
            PLAYBOOK,
            &path,
            "--deal",
            "F-SKIP-OK",
            "--to",
            "close",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert_has(
        &err,
        "deal `F-SKIP-OK`: two deals have this id, at lines 2 and 4",
    );
}

#[test]
fn in_place_rewrites_one_json_line_and_keeps_every_other_byte() {
    let before = jsonl_book();
    let path = book("jsonl", "book.jsonl", &before);
    let args = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "F-SKIP-OK",
        "--to",
        "close",
        "--in-place",
    ];
    let (code, out, err) = run(&[&args[..], &at_args()].concat(), "");
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "nothing on standard output: {out}");
    assert_eq!(
        err,
        format!("moved: deal `F-SKIP-OK` from `qualify` to `close` (skip); `{path}` written\n")
    );
    let after = std::fs::read_to_string(&path).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(new.len(), 3);
    assert_eq!(
        (new[0], new[2]),
        (old[0], old[2]),
        "other deals unchanged byte for byte"
    );
    let expected = engine()
        .apply(&deal("skip-allowed"), &Move::to("close"), at())
        .unwrap()
        .deal;
    assert_eq!(new[1], serde_json::to_string(&expected).unwrap());
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(folder_of(&path)).unwrap().collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

fn folder_of(path: &str) -> PathBuf {
    PathBuf::from(path).parent().unwrap().to_path_buf()
}

#[test]
fn in_place_rewrites_one_yaml_document_and_keeps_the_others_with_their_comments() {
    let before = yaml_book();
    let path = book("yaml", "book.yaml", &before);
    let args = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "F-SKIP-OK",
        "--to",
        "close",
        "--in-place",
    ];
    let (code, _, err) = run(&[&args[..], &at_args()].concat(), "");
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&path).unwrap();
    let old: Vec<&str> = before.split("---\n").collect();
    let new: Vec<&str> = after.split("---\n").collect();
    assert_eq!(new.len(), 3);
    assert_eq!(
        (new[0], new[2]),
        (old[0], old[2]),
        "other documents unchanged"
    );
    // The moved document keeps the comment above it; its deal is the moved one.
    assert!(new[1].starts_with("# A hot deal"), "{}", new[1]);
    let moved = DealReader::new(new[1].as_bytes(), "doc")
        .next()
        .unwrap()
        .unwrap()
        .0;
    let expected = engine()
        .apply(&deal("skip-allowed"), &Move::to("close"), at())
        .unwrap()
        .deal;
    assert_eq!(moved, expected);
}

#[test]
fn in_place_in_a_json_array_keeps_the_other_deals_bytes() {
    let deals: Vec<String> = ["advance-allowed", "skip-allowed"]
        .iter()
        .map(|name| serde_json::to_string(&deal(name)).unwrap())
        .collect();
    let before = format!("[\n  {},\n  {}\n]\n", deals[0], deals[1]);
    let path = book("array", "book.json", &before);
    let args = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "F-ADVANCE",
        "--to",
        "qualify",
        "--in-place",
    ];
    let (code, _, err) = run(&[&args[..], &at_args()].concat(), "");
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with("[\n  {\"id\":\"F-ADVANCE\",\"stages\":[\"qualify\"]"),
        "{after}"
    );
    assert!(
        after.ends_with(&format!(",\n  {}\n]\n", deals[1])),
        "{after}"
    );
}

#[test]
fn a_refused_move_leaves_the_file_untouched() {
    let before = jsonl_book();
    let path = book("refused", "book.jsonl", &before);
    let blocked = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "F-MANY",
        "--to",
        "propose",
        "--in-place",
    ];
    let (code, out, err) = run(&[&blocked[..], &at_args()].concat(), "");
    assert_eq!(code, 3, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    let undeclared = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "F-ADVANCE",
        "--to",
        "close",
        "--in-place",
    ];
    let (code, _, err) = run(&[&undeclared[..], &at_args()].concat(), "");
    assert_eq!(code, 2);
    // A move with no declared transition lists the moves there are.
    assert_has(
        &err,
        "deal `F-ADVANCE`: There is no way from Prospect to Closed won: from Prospect a deal moves to Qualify or Lost.",
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(folder_of(&path)).unwrap().collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn in_place_needs_a_file() {
    let (code, out, err) = run(
        &["move", PLAYBOOK, "-", "--to", "qualify", "--in-place"],
        &jsonl_book(),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_has(&err, "--in-place");
    assert_has(&err, "standard input");
}

#[test]
fn a_yaml_list_is_not_rewritten_in_part() {
    let text = "- id: A\n- id: B\n";
    let path = book("list", "book.yaml", text);
    let args = [
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "B",
        "--to",
        "qualify",
        "--in-place",
        "--force",
        "--reason",
        "r",
    ];
    let (code, _, err) = run(&[&args[..], &at_args()].concat(), "");
    assert_eq!(code, 2);
    assert_has(
        &err,
        "deal `B`: cannot be written back in place: it is an item of a YAML list",
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn the_library_finds_and_replaces_one_deal() {
    let book = DealBook::new(yaml_book(), "book.yaml");
    assert_eq!(book.len(), 3);
    let (found, origin) = book.find("F-MANY").unwrap();
    assert_eq!(found, deal("every-reason-listed"));
    assert_eq!(origin.index, 3);
    let error = book.only().unwrap_err();
    assert!(matches!(
        &error.problems[0],
        DealProblem::SeveralDeals { count: 3, .. }
    ));
    let moved = engine()
        .apply(&found, &Move::to("lost"), at())
        .unwrap()
        .deal;
    let written = book.replaced(&origin, &moved).unwrap();
    let reread = DealBook::new(written, "book.yaml");
    assert_eq!(reread.find("F-MANY").unwrap().0, moved);
    assert_eq!(reread.find("F-ADVANCE").unwrap().0, deal("advance-allowed"));
    // An empty file holds no deals.
    let empty = DealBook::new("# nothing yet\n".to_owned(), "empty.yaml");
    assert_eq!(
        empty.only().unwrap_err().to_string(),
        "no deals in `empty.yaml`"
    );
}

#[test]
fn the_library_lists_the_moves_that_exist() {
    let error = engine()
        .apply(&deal("skip-allowed"), &Move::to("account"), at())
        .unwrap_err();
    assert!(
        matches!(&error, MoveError::NotDeclared { moves, .. }
        if moves == "from Qualify a deal moves to Propose, Closed won or Lost"),
        "{error}"
    );
}

#[test]
fn no_deals_is_said_for_every_batch_command() {
    let empty = book("empty", "empty.jsonl", "");
    let commands: Vec<Vec<&str>> = vec![
        vec!["eval", PLAYBOOK, &empty],
        vec!["score", PLAYBOOK, &empty],
        vec!["metrics", PLAYBOOK, &empty],
        vec!["impact", PLAYBOOK, PLAYBOOK, &empty],
    ];
    for args in commands {
        let (code, out, err) = run(&args, "");
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(err, format!("error: no deals in `{empty}`\n"), "{args:?}");
        if args[0] == "metrics" {
            assert!(out.is_empty(), "no figures of no deals: {out}");
        }
    }
    // Standard input too.
    let (code, out, err) = run(&["eval", PLAYBOOK, "-"], "");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err, "error: no deals in `<stdin>`\n");
    let (code, _, err) = run(&["move", PLAYBOOK, "-", "--to", "qualify"], "\n# nothing\n");
    assert_eq!(code, 2);
    assert_eq!(err, "error: no deals in `<stdin>`\n");
}

#[test]
fn a_csv_given_as_deals_points_to_import() {
    let csv = "tests/fixtures/import/opportunities.csv";
    let said = format!(
        "`{csv}` looks like a CSV export; turn it into deals with `stagegate import <mapping> {csv}`"
    );
    for args in [vec!["eval", PLAYBOOK, csv], vec!["metrics", PLAYBOOK, csv]] {
        let (code, _, err) = run(&args, "");
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(err, format!("error: {said}\n"), "{args:?}");
    }
    // A header line is enough, whatever the name.
    let (code, _, err) = run(
        &["eval", PLAYBOOK, "-"],
        "Deal ID,Deal Stage,Amount\nD-1,Qualify,10\n",
    );
    assert_eq!(code, 2);
    assert_has(&err, "`<stdin>` looks like a CSV export");
    // In the library.
    let text = std::fs::read_to_string(csv).unwrap();
    let error = DealReader::new(text.as_bytes(), csv)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(error.problems, [DealProblem::CsvExport(csv.to_owned())]);
    assert_eq!(error.to_string(), said);
}

#[test]
fn a_playbook_given_as_deals_says_so() {
    let (code, _, err) = run(&["eval", PLAYBOOK, PLAYBOOK], "");
    assert_eq!(code, 2);
    assert_has(
        &err,
        "error: `tests/fixtures/playbook.yaml` is a playbook, not deals: the playbook comes first, then the deals\n",
    );
    assert_has(
        &err,
        "Usage: stagegate eval [OPTIONS] <PLAYBOOK> <DEALS>...",
    );
    let text = std::fs::read_to_string(PLAYBOOK).unwrap();
    let error = DealReader::new(text.as_bytes(), "pb.yaml")
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error.problems,
        [DealProblem::Playbook("pb.yaml".to_owned())]
    );
}

#[test]
fn deals_given_as_the_playbook_say_the_arguments_look_swapped() {
    let one = "tests/fixtures/deals/skip-allowed.yaml";
    let (code, out, err) = run(&["eval", one, PLAYBOOK], "");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_has(
        &err,
        &format!("error[not-a-playbook]: `{one}` holds deals, not a playbook"),
    );
    assert_has(
        &err,
        "the arguments look swapped: the playbook comes first, then the deals",
    );
    assert_has(
        &err,
        "Usage: stagegate eval [OPTIONS] <PLAYBOOK> <DEALS>...",
    );
    // Several documents (the error was "deserializing from YAML containing more than one document
    // is not supported").
    let many = book("swapped", "book.yaml", &yaml_book());
    let (code, _, err) = run(&["metrics", &many, PLAYBOOK], "");
    assert_eq!(code, 2);
    assert_has(
        &err,
        "holds 3 YAML documents, as a deals file does; a playbook is one document",
    );
    assert!(
        !err.contains("more than one document is not supported"),
        "{err}"
    );
    // JSON Lines, and in the library.
    for text in [jsonl_book(), yaml_book()] {
        let error = Playbook::from_yaml(&text, "deals").unwrap_err();
        assert_eq!(error.diagnostics.len(), 1);
        assert_eq!(error.diagnostics[0].code, "not-a-playbook");
    }
}

#[test]
fn a_format_a_command_does_not_print_is_refused_with_those_it_does() {
    let one = "tests/fixtures/deals/skip-allowed.yaml";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["move", PLAYBOOK, one, "--to", "close", "--format", "text"],
            "[possible values: yaml, json, jsonl]",
        ),
        (
            vec!["eval", PLAYBOOK, one, "--format", "yaml"],
            "[possible values: text, json, jsonl]",
        ),
        (
            vec!["score", PLAYBOOK, one, "--format", "yaml"],
            "[possible values: text, json, jsonl]",
        ),
        (
            vec!["metrics", PLAYBOOK, one, "--format", "yaml"],
            "[possible values: text, json, jsonl]",
        ),
        (
            vec!["impact", PLAYBOOK, PLAYBOOK, one, "--format", "yaml"],
            "[possible values: text, json, jsonl]",
        ),
        (
            vec!["check", PLAYBOOK, "--format", "yaml"],
            "[possible values: text, json]",
        ),
        (
            vec!["migrate", PLAYBOOK, PLAYBOOK, one, "--format", "text"],
            "[possible values: yaml, json, jsonl]",
        ),
    ];
    for (args, listed) in cases {
        let (code, out, err) = run(&args, "");
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_has(&err, "invalid value");
        assert_has(&err, listed);
    }
}
