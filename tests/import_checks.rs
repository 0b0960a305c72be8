//! `import` checks what it writes: every deal against the playbook (`--playbook`,
//! `Importer::check_with`), every bad cell of a row, numbers with thousands separators and decimal
//! commas, a default date format, and "did you mean" for headers.
//!
//! checked.csv, by line: 2 C-1 good (`12,000`, every date read by the mapping's `format:` but
//! `Stage Changed`, which has its own); 3 C-2 stage `closedwon`, in neither the value map nor the
//! playbook; 4 C-3 four bad cells (`12,5`, `2.5` seats, `tech` not an industry, a date in another
//! format); 5 C-4 good (the raw stage id `qualify`).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};
use stagegate::import::{ImportError, Importer};
use stagegate::Playbook;

const DIR: &str = "tests/fixtures/import";

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(name)
}

fn importer(mapping: &str) -> Importer {
    let text = std::fs::read_to_string(path(mapping)).unwrap();
    Importer::from_yaml(&text, mapping).unwrap()
}

fn checked(mapping: &str) -> Importer {
    let mut importer = importer(mapping);
    importer
        .check_with(Playbook::load(path("playbook.yaml")).unwrap())
        .unwrap();
    importer
}

fn rows(importer: &Importer, csv: &str) -> Vec<Result<Value, ImportError>> {
    let file = File::open(path(csv)).unwrap();
    importer
        .rows(file, csv)
        .unwrap()
        .map(|r| r.map(|deal| serde_json::to_value(deal).unwrap()))
        .collect()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR))
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

fn c1() -> Value {
    json!({ "id": "C-1", "playbook": "import-fixture@1", "stages": ["won"],
        "fields": { "amount": 12000.0, "close_date": "2026-03-31", "industry": "saas", "seats": 1 },
        "activities": { "discovery": "2026-01-18" },
        "history": [ { "at": "2026-01-05", "to": "lead" },
                     { "at": "2026-03-01T14:30:00", "from": "lead", "to": "won" } ] })
}

fn c4() -> Value {
    json!({ "id": "C-4", "playbook": "import-fixture@1", "stages": ["qualify"],
        "fields": { "amount": 7000.0, "industry": "finance", "seats": 3 },
        "history": [ { "at": "2026-01-08", "to": "lead" } ] })
}

/// `deal` as `import --playbook` writes it: each history entry marked `imported`.
fn imported(mut deal: Value) -> Value {
    for entry in deal["history"].as_array_mut().unwrap() {
        entry["imported"] = json!(true);
    }
    deal
}

const CLOSEDWON: &str = "checked.csv:3: deal `C-2`: column `Stage` (the stage): `closedwon` is \
    not a stage of `import-fixture@1` nor a value listed under `stage: values:`; did you mean \
    `Closed Won`?";

/// C-3's problems as the command prints them, without the playbook's (`tech`).
const C3: [&str; 3] = [
    "checked.csv:4: deal `C-3`: column `Amount` (amount): `12,5` is not a number; the mapping \
     says `,` groups thousands in threes and `.` marks the decimals",
    "checked.csv:4: deal `C-3`: column `Seats` (seats): `2.5` is not a whole number",
    "checked.csv:4: deal `C-3`: column `Close Date` (close_date): `31-03-2026` does not match the \
     date format `%d/%m/%Y`",
];

const TECH: &str = "checked.csv:4: deal `C-3`: column `Industry` (industry): `tech` is not one \
    of `saas`, `retail` or `finance`";

#[test]
fn a_checked_import_refuses_what_the_playbook_refuses_and_names_every_bad_cell() {
    let rows = rows(&checked("checked-mapping.yaml"), "checked.csv");
    let good: Vec<&Value> = rows.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(good, [&c1(), &c4()]);
    let bad: Vec<&ImportError> = rows.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].lines(), [CLOSEDWON]);
    assert_eq!(
        (bad[0].line, bad[0].deal.as_deref()),
        (Some(3), Some("C-2"))
    );
    let mut c3: Vec<String> = C3.iter().map(|l| l.to_string()).collect();
    c3.push(TECH.to_owned());
    assert_eq!(bad[1].lines(), c3);
    let cells: Vec<(Option<&str>, Option<&str>)> = bad[1]
        .problems
        .iter()
        .map(|p| (p.column.as_deref(), p.field.as_deref()))
        .collect();
    assert_eq!(
        cells,
        [
            (Some("Amount"), Some("amount")),
            (Some("Seats"), Some("seats")),
            (Some("Close Date"), Some("close_date")),
            (Some("Industry"), Some("industry")),
        ]
    );
    // `message` holds them all, as `Display` shows it.
    let all: Vec<&str> = bad[1].problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(bad[1].message, all.join("; "));
    assert!(bad[1]
        .to_string()
        .ends_with("`tech` is not one of `saas`, `retail` or `finance`"));
}

#[test]
fn cli_with_a_playbook_writes_the_deals_that_fit_and_reports_the_rest_with_exit_2() {
    let (code, stdout, stderr) = run(&[
        "import",
        "checked-mapping.yaml",
        "checked.csv",
        "--playbook",
        "playbook.yaml",
    ]);
    assert_eq!(code, 2);
    let written: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Imported into the playbook: every history entry marked so (nobody named: by nobody).
    assert_eq!(written, [imported(c1()), imported(c4())]);
    let mut expected = vec![format!("error: {CLOSEDWON}")];
    expected.extend(C3.iter().map(|l| format!("error: {l}")));
    expected.push(format!("error: {TECH}"));
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn cli_without_a_playbook_writes_the_stage_as_read_and_warns_once() {
    let (code, stdout, stderr) = run(&["import", "checked-mapping.yaml", "checked.csv"]);
    assert_eq!(code, 2);
    let written: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = written.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["C-1", "C-2", "C-4"]);
    assert_eq!(written[1]["stages"], json!(["closedwon"]));
    let mut expected: Vec<String> = C3.iter().map(|l| format!("error: {l}")).collect();
    expected.push(
        "warning: the deals were not checked against a playbook: stages, fields and values were \
         written as the export has them; give `--playbook <file>` to check every deal"
            .to_owned(),
    );
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn a_mapping_that_does_not_fit_the_playbook_is_refused_before_any_row() {
    let mut importer = importer("checked-bad-mapping.yaml");
    let playbook = Playbook::load(path("playbook.yaml")).unwrap();
    let error = importer.check_with(playbook).unwrap_err();
    let found: Vec<(&str, usize, usize, &str, Option<&str>)> = error
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.file, "checked-bad-mapping.yaml");
            (
                d.code,
                d.line,
                d.column,
                d.message.as_str(),
                d.help.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "wrong-playbook",
                3,
                11,
                "the mapping is for `import-fixture@2`, but the playbook is `import-fixture@1`",
                Some(
                    "give the playbook the mapping is for, or change the mapping to \
                     `playbook: import-fixture@1`"
                )
            ),
            (
                "unknown-stage",
                6,
                44,
                "`Closed Won` maps to `wonn`, which is not a stage of `import-fixture@1`",
                Some("did you mean `won`?")
            ),
            (
                "unknown-field",
                8,
                3,
                "field `amout` is not declared in `import-fixture@1`",
                Some("did you mean `amount`?")
            ),
            (
                "wrong-type",
                9,
                3,
                "the mapping reads `seats` as a text, but `import-fixture@1` declares it a whole \
                 number",
                Some("give it `type: integer`")
            ),
            (
                "unknown-stage",
                11,
                31,
                "column `Created` enters `leed`, which is not a stage of `import-fixture@1`",
                Some("did you mean `lead`?")
            ),
            (
                "unknown-activity",
                13,
                3,
                "activity `discovery_call` is not in `import-fixture@1`",
                Some("did you mean `discovery`?")
            ),
        ]
    );
    assert!(!importer.is_checked());
    let (code, stdout, stderr) = run(&[
        "import",
        "checked-bad-mapping.yaml",
        "checked.csv",
        "--playbook",
        "playbook.yaml",
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("checked-bad-mapping.yaml:3:11: error[wrong-playbook]"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), 6, "{stderr}");
}

/// The deals of `csv` through the mapping `mapping` (both given as text), or the first error.
fn import(mapping: &str, csv: &str) -> Result<Vec<Value>, String> {
    let importer = Importer::from_yaml(mapping, "m.yaml").unwrap();
    importer
        .rows(csv.as_bytes(), "x.csv")
        .unwrap()
        .map(|r| {
            r.map(|d| serde_json::to_value(d).unwrap())
                .map_err(|e| e.to_string())
        })
        .collect()
}

#[test]
fn thousands_without_a_separator_say_which_to_add() {
    let mapping = "id: id\nfields:\n  amount: { column: amount, type: number }\n";
    let error = import(mapping, "id,amount\nX-1,\"12,000\"\n").unwrap_err();
    assert_eq!(
        error,
        "x.csv:2: deal `X-1`: column `amount` (amount): `12,000` is not a number; if `,` groups \
         thousands, add `thousands: \",\"` to the mapping; if `,` marks the decimals, add \
         `decimal: \",\"` to the mapping"
    );
    let mapping = format!("thousands: \",\"\n{mapping}");
    let deals = import(
        &mapping,
        "id,amount\nX-1,\"12,000\"\nX-2,\"-1,234,567.5\"\n",
    )
    .unwrap();
    assert_eq!(deals[0]["fields"]["amount"], 12000.0);
    assert_eq!(deals[1]["fields"]["amount"], -1234567.5);
}

#[test]
fn european_numbers_read_with_decimal_commas_and_a_column_may_differ() {
    let mapping = "id: id\ndelimiter: \";\"\nthousands: \".\"\ndecimal: \",\"\nfields:\n  \
                   amount: { column: amount, type: number }\n  \
                   seats: { column: seats, type: integer }\n  \
                   usd: { column: usd, type: number, thousands: \",\", decimal: \".\" }\n";
    let deals = import(mapping, "id;amount;seats;usd\nE-1;1.234,5;1.200;1,234.5\n").unwrap();
    assert_eq!(
        deals[0]["fields"],
        json!({ "amount": 1234.5, "seats": 1200, "usd": 1234.5 })
    );
    // A point where `,` marks the decimals is not read as one.
    let error = import(mapping, "id;amount;seats;usd\nE-2;1.5;1;1\n").unwrap_err();
    assert_eq!(
        error,
        "x.csv:2: deal `E-2`: column `amount` (amount): `1.5` is not a number; the mapping says \
         `.` groups thousands in threes and `,` marks the decimals"
    );
}

#[test]
fn one_character_for_thousands_and_decimals_is_refused_where_it_is_written() {
    let text = std::fs::read_to_string(path("thousands-twice.yaml")).unwrap();
    let error = Importer::from_yaml(&text, "thousands-twice.yaml")
        .err()
        .unwrap();
    let d = &error.diagnostics[0];
    assert_eq!(error.diagnostics.len(), 1);
    assert_eq!(
        (d.code, d.line, d.column, d.message.as_str()),
        (
            "bad-separator",
            3,
            12,
            "`.` is both the thousands and the decimal separator (`decimal:` is `.` unless given)"
        )
    );
    let (code, stdout, stderr) = run(&["import", "thousands-twice.yaml", "checked.csv"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("thousands-twice.yaml:3:12: error[bad-separator]"),
        "{stderr}"
    );
}

#[test]
fn a_mapping_format_is_every_date_columns_default() {
    let mapping = "id: id\nformat: \"%d.%m.%Y\"\nfields:\n  \
                   signed: { column: signed, type: date }\n  \
                   sent: { column: sent, type: date, format: \"%Y/%m/%d\" }\n\
                   activities:\n  demo: { column: demo }\n\
                   history:\n  - { column: created, stage: lead }\n";
    let deals = import(
        mapping,
        "id,signed,sent,demo,created\nX-1,02.11.2026,2026/11/03,04.11.2026,01.11.2026\n",
    )
    .unwrap();
    assert_eq!(
        deals[0],
        json!({ "id": "X-1", "stages": ["lead"],
            "fields": { "sent": "2026-11-03", "signed": "2026-11-02" },
            "activities": { "demo": "2026-11-04" },
            "history": [ { "at": "2026-11-01", "to": "lead" } ] })
    );
}

#[test]
fn a_misspelt_header_gets_the_nearest_one() {
    let importer = importer("misspelt-header.yaml");
    let error = importer
        .rows(File::open(path("checked.csv")).unwrap(), "checked.csv")
        .err()
        .unwrap();
    let message =
        "the header has no column `Amout` (did you mean `Amount`?), `seats` (did you mean \
                   `Seats`?) and `Territory`";
    assert_eq!((error.line, error.message.as_str()), (Some(1), message));
    let (code, stdout, stderr) = run(&["import", "misspelt-header.yaml", "checked.csv"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    // Nothing was written, so there is nothing to warn about.
    assert_eq!(stderr, format!("error: checked.csv:1: {message}\n"));
}

#[test]
fn a_zone_less_export_time_stays_zone_less_for_the_playbook_zone_and_an_offset_is_kept() {
    // A zone-less cell keeps no zone, so the engine reads it in the playbook's `timezone:`.
    let importer = Importer::from_yaml(
        "id: ID\nhistory:\n  - { column: At, stage: lead, format: \"%d/%m/%Y %H:%M\" }\n  \
         - { column: Then, stage: won, format: \"%d/%m/%Y %H:%M %z\" }\n",
        "m.yaml",
    )
    .unwrap();
    let csv = "ID,At,Then\nZ-1,01/03/2026 14:30,02/03/2026 09:00 +0900\n";
    let written = importer
        .rows(csv.as_bytes(), "e.csv")
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(written.history[0].at, "2026-03-01T14:30:00");
    assert_eq!(written.history[1].at, "2026-03-02T00:00:00Z");
    let seoul = Playbook::from_yaml(
        "stagegate: 1\nid: p\nversion: 1\ntimezone: Asia/Seoul\nstages: [{id: lead}, {id: won, outcome: won}]\n\
         transitions: [{from: lead, to: won}]\n",
        "p.yaml",
    )
    .unwrap();
    assert_eq!(
        seoul.read_time(&written.history[0].at).unwrap().to_string(),
        "2026-03-01T05:30:00Z"
    );
}
