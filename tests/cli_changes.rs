//! The command line's changes that are no moves, on the bundled playbook: `edit` (by the owner,
//! refused for another rep with every reason, voiding an approval, a value that does not read),
//! `archive` and `archive --undo` (an archived deal refuses moves), and `import --as` (every entry
//! marked imported by whom; refused without `--as` where the playbook says who may).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::{json, Value};

const PLAYBOOK: &str = "playbooks/b2b-sales.yaml";

/// Runs `stagegate` in the crate's folder without colour: exit code, standard output and
/// standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
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

/// `deals` as a JSON Lines file in a fresh folder of its own; its path.
fn book(test: &str, deals: &[Value]) -> String {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-changes-{test}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("deals.jsonl");
    let text: String = deals.iter().map(|d| format!("{d}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The deals of a JSON Lines file.
fn read(path: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Yoon's deal in qualification, and another one beside it.
fn qualification_book(test: &str) -> String {
    book(
        test,
        &[
            json!({"id": "D-0", "owner": "choi", "stage": "qualification"}),
            json!({"id": "D-1", "owner": "yoon", "stage": "qualification",
                   "fields": {"budget": 8000},
                   "history": [{"at": "2026-11-02T09:00:00Z", "to": "qualification", "by": "yoon"}]}),
        ],
    )
}

#[test]
fn the_owner_edits_a_field_and_ticks_an_activity_in_place_recorded_in_the_history() {
    let path = qualification_book("owner");
    let (code, stdout, stderr) = run(&[
        "edit",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--set",
        "budget=80000",
        "--tick",
        "discovery_call",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27T09:00:00Z",
        "--in-place",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_has(&stdout, "changed: field `budget`: 8000 → 80000");
    assert_has(
        &stdout,
        "changed: activity `discovery_call`: not done → done",
    );
    assert_has(&stdout, "by yoon");
    assert_has(&stderr, "edited: deal `D-1`, 2 changes;");
    let deals = read(&path);
    assert_eq!(
        deals[0],
        json!({"id": "D-0", "owner": "choi", "stage": "qualification"})
    );
    let edited = &deals[1];
    assert_eq!(edited["fields"]["budget"], json!(80000));
    assert_eq!(
        edited["activities"]["discovery_call"],
        json!({"at": "2026-11-27T09:00:00Z", "by": "yoon"})
    );
    let history = edited["history"].as_array().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(
        history[1],
        json!({"at": "2026-11-27T09:00:00Z", "by": "yoon",
               "edit": {"field": "budget", "before": 8000, "after": 80000}})
    );
    assert_eq!(history[2]["edit"]["activity"], "discovery_call");
}

#[test]
fn edit_prints_the_deal_in_json_and_a_value_that_does_not_read_names_field_value_and_type() {
    let path = qualification_book("json");
    let (code, stdout, stderr) = run(&[
        "edit",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--set",
        "budget=12000",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let deal: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(deal["fields"]["budget"], json!(12000));
    assert_eq!(deal["history"][1]["edit"]["before"], json!(8000));

    let (code, stdout, stderr) = run(&[
        "edit",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--set",
        "budget=lots",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--lang",
        "en",
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr.trim_end(),
        "error: --set budget=lots: field `budget` holds a number: `lots` is not a number"
    );
    // The file is as it was.
    assert_eq!(read(&path)[1]["fields"]["budget"], json!(8000));
}

#[test]
fn another_rep_is_refused_with_every_reason_and_exit_3() {
    let path = qualification_book("refused");
    let before = std::fs::read_to_string(&path).unwrap();
    let args = [
        "edit",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--set",
        "budget=90000",
        "--owner",
        "kim",
        "--as",
        "kim",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--in-place",
        "--lang",
        "en",
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!((code, stdout.as_str()), (3, ""), "{stderr}");
    assert_has(&stderr, "refused: deal `D-1`: 2 reasons:");
    assert_has(&stderr, "fields.budget: only");
    assert_has(&stderr, "may change Customer budget (USD)");
    assert_has(&stderr, "owner: only");
    assert_has(&stderr, "may give the deal another owner");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);

    // For programs: the contract's `forbidden` object, every reason and the roles that may.
    let mut json_args = args.to_vec();
    json_args.retain(|a| *a != "--in-place");
    json_args.extend(["--format", "json"]);
    let (code, stdout, stderr) = run(&json_args);
    assert_eq!((code, stdout.as_str()), (3, ""));
    let problem: Value = serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
    assert_eq!(problem["error"], "forbidden");
    assert_eq!(problem["deal"], "D-1");
    assert_eq!(problem["roles"], json!(["owner", "manager"]));
    assert_eq!(problem["code"], "not-permitted");
    assert_eq!(
        problem["message"],
        "only the deal's owner or Sales manager may change Customer budget (USD); \
         only the deal's owner or Sales manager may give the deal another owner"
    );
    assert_eq!(
        problem["help"],
        "ask someone in one of those roles, or the deal's owner where `owner` is named"
    );
}

#[test]
fn an_edit_of_the_approved_discount_voids_the_approval() {
    let path = book(
        "voids",
        &[
            json!({"id": "D-5", "owner": "yoon", "stage": "proposal_negotiation",
                 "fields": {"discount_pct": 35}}),
        ],
    );
    let (code, _, stderr) = run(&[
        "approve",
        PLAYBOOK,
        &path,
        "--criterion",
        "discount_approved",
        "--as",
        "han",
        "--role",
        "finance",
        "--at",
        "2026-11-26",
        "--in-place",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(&path)[0]["approvals"]["discount_approved"].is_object());

    let (code, stdout, stderr) = run(&[
        "edit",
        PLAYBOOK,
        &path,
        "--set",
        "discount_pct=19",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--in-place",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_has(
        &stdout,
        "changed: field `discount_pct`: 35 → 19  (voids discount_approved)",
    );
    assert_has(&stdout, "voided: approvals voided");
    assert_has(&stderr, "approvals voided: discount_approved;");
    let deal = &read(&path)[0];
    assert_eq!(deal.get("approvals"), None, "{deal}");
    let last = deal["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["edit"]["voided"], json!(["discount_approved"]));
}

#[test]
fn archive_refuses_moves_until_undone() {
    let path = qualification_book("archive");
    let (code, _, stderr) = run(&[
        "archive",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--reason",
        "duplicate of D-0",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--in-place",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_has(&stderr, "archived: deal `D-1` (duplicate of D-0);");
    let deal = read(&path)[1].clone();
    assert_eq!(
        deal["archived"],
        json!({"at": "2026-11-27T00:00:00Z", "by": "yoon", "reason": "duplicate of D-0"})
    );
    assert_eq!(deal["history"][1]["archived"], true);

    // A manager may not move it, even by force; nor may anyone edit it.
    let (code, _, stderr) = run(&[
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--to",
        "needs_analysis",
        "--as",
        "kang",
        "--role",
        "manager",
        "--force",
        "--reason",
        "call booked",
        "--at",
        "2026-11-28",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_has(&stderr, "the deal was archived by yoon");
    assert_has(&stderr, "unarchive it first");
    let (code, _, stderr) = run(&[
        "edit",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--set",
        "budget=1",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-28",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_has(
        &stderr,
        "refused: deal `D-1`: archived: the deal was archived by yoon",
    );

    // Another rep may not bring it back; its owner may.
    let (code, _, stderr) = run(&[
        "archive",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--undo",
        "--as",
        "kim",
        "--role",
        "rep",
        "--at",
        "2026-11-28",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 3, "{stderr}");
    assert_has(&stderr, "may archive or unarchive the deal");
    let (code, _, stderr) = run(&[
        "archive",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--undo",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-28",
        "--in-place",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_has(&stderr, "unarchived: deal `D-1`;");
    let deal = read(&path)[1].clone();
    assert_eq!(deal.get("archived"), None);
    assert_eq!(
        deal["history"][2],
        json!({"at": "2026-11-28T00:00:00Z", "by": "yoon", "unarchived": true})
    );
    let (code, _, stderr) = run(&[
        "move",
        PLAYBOOK,
        &path,
        "--deal",
        "D-1",
        "--to",
        "lost",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-28",
    ]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn archive_needs_a_reason_unless_undone() {
    let path = qualification_book("reason");
    let (code, _, stderr) = run(&[
        "archive", PLAYBOOK, &path, "--deal", "D-1", "--as", "yoon", "--role", "rep",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_has(&stderr, "--reason <TEXT>");
}

/// A mapping and an export for the bundled playbook, in a folder of their own.
fn export(test: &str) -> (String, String) {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-import-{test}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let mapping = folder.join("mapping.yaml");
    std::fs::write(
        &mapping,
        "id: Opportunity\nstage: { column: Stage, values: { Qualify: qualification, Propose: proposal_negotiation } }\n\
         fields: { budget: { column: Budget, type: number } }\n\
         history:\n  - { column: Created, stage: lead_generation }\n  - { column: Changed, stage: \"@stage\" }\n",
    )
    .unwrap();
    let csv = folder.join("export.csv");
    std::fs::write(
        &csv,
        "Opportunity,Stage,Budget,Created,Changed\nO-1,Qualify,50000,2026-10-01,2026-10-20\nO-2,Propose,,2026-09-01,2026-11-02\n",
    )
    .unwrap();
    (mapping.display().to_string(), csv.display().to_string())
}

#[test]
fn import_by_a_manager_marks_every_entry_imported_by_them() {
    let (mapping, csv) = export("manager");
    let (code, stdout, stderr) = run(&[
        "import",
        &mapping,
        &csv,
        "--playbook",
        PLAYBOOK,
        "--as",
        "kang",
        "--role",
        "manager",
        "--at",
        "2026-11-27",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let deals: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = deals.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["O-1", "O-2"]);
    for deal in &deals {
        assert_eq!(deal["owner"], "kang", "{deal}");
        let history = deal["history"].as_array().unwrap();
        assert_eq!(history.len(), 2, "{deal}");
        for entry in history {
            assert_eq!(
                (&entry["imported"], &entry["imported_by"]),
                (&json!(true), &json!("kang")),
                "{deal}"
            );
        }
    }
    assert_eq!(deals[0]["history"][1]["to"], "qualification");
}

#[test]
fn import_into_the_bundled_playbook_says_who_must_import() {
    let (mapping, csv) = export("nobody");
    let (code, stdout, stderr) = run(&[
        "import",
        &mapping,
        &csv,
        "--playbook",
        PLAYBOOK,
        "--at",
        "2026-11-27",
        "--lang",
        "en",
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "refused: deal `O-1`: this playbook says who may change deals: the change must say who makes it (an actor with an id and roles)",
            "help: say who makes the change: --as <id> --role <role>",
        ]
    );

    // A rep may not import (the playbook gives it to the roles that may force a move).
    let (code, stdout, stderr) = run(&[
        "import",
        &mapping,
        &csv,
        "--playbook",
        PLAYBOOK,
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--lang",
        "en",
    ]);
    assert_eq!((code, stdout.as_str()), (3, ""));
    assert_has(&stderr, "refused: deal `O-1`: only");
    assert_has(&stderr, "(an import)");
    assert_eq!(stderr.matches("refused:").count(), 1, "{stderr}");

    // Without a playbook, nobody to import into.
    let (code, _, stderr) = run(&[
        "import", &mapping, &csv, "--as", "kang", "--role", "manager",
    ]);
    assert_eq!(code, 2);
    assert_has(&stderr, "give `--playbook <file>` too");
}

#[test]
fn request_approval_records_the_request_and_tells_who_is_notified() {
    let deal = json!({
        "id": "D-7", "owner": "yoon", "stage": "proposal_negotiation",
        "fields": { "amount": 50000, "discount_pct": 30 },
        "history": [{ "at": "2026-11-01", "to": "proposal_negotiation", "by": "yoon" }]
    });
    let path = book("request-approval", &[deal]);
    let (code, _, stderr) = run(&[
        "request-approval",
        PLAYBOOK,
        &path,
        "--criterion",
        "discount_approved",
        "--note",
        "signs Friday",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-27",
        "--lang",
        "en",
        "--in-place",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_has(
        &stderr,
        "approval asked for: deal `D-7` (`discount_approved`);",
    );
    assert_has(
        &stderr,
        "notify: role finance: yoon asks Finance for an approval on D-7: `discount_approved` (note: signs Friday) (approval asked for in proposal_negotiation)",
    );
    assert_eq!(
        read(&path)[0]["history"][1],
        json!({"at": "2026-11-27T00:00:00Z", "by": "yoon",
               "approval_requested": "discount_approved", "note": "signs Friday"})
    );
    // A typo is refused with the likely criterion, and nothing is written.
    let (code, _, stderr) = run(&[
        "request-approval",
        PLAYBOOK,
        &path,
        "--criterion",
        "discount_aproved",
        "--as",
        "yoon",
        "--role",
        "rep",
        "--at",
        "2026-11-28",
        "--lang",
        "en",
        "--in-place",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_has(&stderr, "did you mean `discount_approved`?");
    assert_eq!(read(&path)[0]["history"].as_array().unwrap().len(), 2);
}
