//! `import`: a made-up CRM export (tests/fixtures/import) turned into deals by a mapping.
//!
//! opportunities.csv, by line: 2 O-1 won (every typed field, three history entries, an activity);
//! 3 O-2 (integer `10.0`, `Nein` → false, `N/A` → none); 4 O-3 (empty stage → default lead, `?` →
//! none); 5 O-4 bad number; 6 empty id; 7 O-6 bad date; 8-9 O-7 (a quoted cell over two lines; its
//! `@stage` entry repeats qualify and is skipped); 10 O-8 `2.5` seats; 11 O-9 (raw stage id, an
//! account missing from accounts.csv).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};
use stagegate::analytics::MetricsBook;
use stagegate::import::{ImportError, Importer};
use stagegate::{Deal, Engine, Options, Playbook};

const DIR: &str = "tests/fixtures/import";

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(name)
}

fn importer(mapping: &str) -> Importer {
    let text = std::fs::read_to_string(path(mapping)).unwrap();
    let mut importer = Importer::from_yaml(&text, mapping).unwrap();
    for join in importer
        .joins()
        .iter()
        .map(|j| j.to_string())
        .collect::<Vec<_>>()
    {
        importer
            .join(File::open(path(&join)).unwrap(), &join)
            .unwrap();
    }
    importer
}

/// Every row of `csv` through the fixture mapping: deals and errors, in file order.
fn rows(importer: &Importer, csv: &str) -> Vec<Result<Deal, ImportError>> {
    let file = File::open(path(csv)).unwrap();
    importer.rows(file, csv).unwrap().collect()
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

fn good(rows: &[Result<Deal, ImportError>]) -> Vec<Value> {
    rows.iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|d| serde_json::to_value(d).unwrap())
        .collect()
}

#[test]
fn good_rows_come_out_typed() {
    let importer = importer("mapping.yaml");
    let mut deals = good(&rows(&importer, "opportunities.csv"));
    let ids: Vec<&str> = deals.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["O-1", "O-2", "O-3", "O-7", "O-9"]);
    // The close date's day is right (its exact spelling: see `a_date_format_gives_a_date`).
    let close = deals[0]["fields"]
        .as_object_mut()
        .unwrap()
        .remove("close_date");
    let close = close.unwrap();
    assert_eq!(
        stagegate::parse_time(close.as_str().unwrap()).unwrap(),
        stagegate::parse_time("2026-03-31").unwrap()
    );
    let pin = "import-fixture@1";
    assert_eq!(
        deals,
        [
            json!({ "id": "O-1", "playbook": pin, "stages": ["won"],
                "fields": { "amount": 12500.5, "champion": true, "employees": 120,
                            "industry": "saas", "products": ["CRM", "Analytics"],
                            "region": "EMEA", "seats": 25 },
                "activities": { "discovery": "2026-01-18" },
                "history": [ { "at": "2026-01-05", "to": "lead" },
                             { "at": "2026-01-20", "from": "lead", "to": "qualify" },
                             { "at": "2026-03-01T14:30:00", "from": "qualify", "to": "won" } ] }),
            json!({ "id": "O-2", "playbook": pin, "stages": ["lead"],
                "fields": { "amount": 8000.0, "champion": false, "employees": 5000,
                            "industry": "finance", "products": ["CRM"], "seats": 10 },
                "history": [ { "at": "2026-02-01", "to": "lead" } ] }),
            json!({ "id": "O-3", "playbook": pin, "stages": ["lead"],
                "fields": { "amount": 5000.0, "employees": 40, "industry": "retail",
                            "region": "APAC", "seats": 5 },
                "history": [ { "at": "2026-03-01", "to": "lead" } ] }),
            json!({ "id": "O-7", "playbook": pin, "stages": ["qualify"],
                "fields": { "amount": 7000.0, "champion": true, "employees": 40,
                            "industry": "retail", "products": ["CRM", "Billing"],
                            "region": "North\nAmerica", "seats": 7 },
                "activities": { "discovery": "2026-03-11" },
                "history": [ { "at": "2026-03-05", "to": "lead" },
                             { "at": "2026-03-12", "from": "lead", "to": "qualify" } ] }),
            json!({ "id": "O-9", "playbook": pin, "stages": ["qualify"],
                "fields": { "amount": 6000.0, "champion": false, "seats": 6 },
                "history": [ { "at": "2026-03-07", "to": "lead" },
                             { "at": "2026-03-08", "from": "lead", "to": "qualify" } ] }),
        ]
    );
}

#[test]
fn bad_rows_name_their_line_and_deal() {
    let importer = importer("mapping.yaml");
    let errors: Vec<(Option<u64>, Option<String>, String)> = rows(&importer, "opportunities.csv")
        .into_iter()
        .filter_map(Result::err)
        .map(|e| {
            assert_eq!(e.file, "opportunities.csv");
            (e.line, e.deal, e.message)
        })
        .collect();
    let some = |id: &str| Some(id.to_owned());
    assert_eq!(
        errors,
        [
            (
                Some(5),
                some("O-4"),
                "column `Amount` (amount): `abc` is not a number".to_owned()
            ),
            (
                Some(6),
                None,
                "column `Opportunity ID` (the deal id) is empty".to_owned()
            ),
            (
                Some(7),
                some("O-6"),
                "column `Close Date` (close_date): `31-04-2026` does not match the date format \
                 `%d/%m/%Y`"
                    .to_owned()
            ),
            (
                Some(10),
                some("O-8"),
                "column `Seats` (seats): `2.5` is not a whole number".to_owned()
            ),
        ]
    );
}

#[test]
fn cli_writes_good_rows_and_reports_bad_ones_with_exit_2() {
    let (code, stdout, stderr) = run(&[
        "import",
        "mapping.yaml",
        "opportunities.csv",
        "accounts.csv",
    ]);
    assert_eq!(code, 2);
    let printed: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let importer = importer("mapping.yaml");
    assert_eq!(printed, good(&rows(&importer, "opportunities.csv")));
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "error: opportunities.csv:5: deal `O-4`: column `Amount` (amount): `abc` is not a number",
            "error: opportunities.csv:6: column `Opportunity ID` (the deal id) is empty",
            "error: opportunities.csv:7: deal `O-6`: column `Close Date` (close_date): \
             `31-04-2026` does not match the date format `%d/%m/%Y`",
            "error: opportunities.csv:10: deal `O-8`: column `Seats` (seats): `2.5` is not a whole \
             number",
            "warning: the deals were not checked against a playbook: stages, fields and values \
             were written as the export has them; give `--playbook <file>` to check every deal",
            // O-9's account A-9 is not in accounts.csv.
            "note: 1 row found no match in `accounts.csv`; their columns from it are left empty",
        ]
    );
}

#[test]
fn imported_deals_evaluate_and_replay_cleanly() {
    let engine = Engine::new(Playbook::load(path("playbook.yaml")).unwrap());
    let importer = importer("mapping.yaml");
    let deals: Vec<Deal> = rows(&importer, "opportunities.csv")
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let at = stagegate::parse_time("2026-07-01").unwrap();
    let mut book = MetricsBook::new(engine.playbook(), at, None);
    for deal in &deals {
        let evaluation = engine.evaluate(deal, at, &Options::new());
        assert!(evaluation.is_ok(), "{:?}: {:?}", deal.id, evaluation.err());
        book.add(deal, deal.id.as_deref().unwrap()).unwrap();
    }
    let metrics = book.finish();
    assert!(metrics.anomalies.is_empty(), "{:?}", metrics.anomalies);
    // O-1 won (2026-01-05 → 2026-03-01T14:30: 55 whole days); the four others are open.
    assert_eq!((metrics.deals, metrics.won, metrics.open), (5, 1, 4));
    assert_eq!(metrics.cycle_days.won.median, Some(55.0));
    assert_eq!(metrics.won_value.total, 12500.5);
    // O-7 did its discovery call, so it may move on; O-9 did not.
    let qualify_out = |deal: &Deal| {
        let evaluation = engine.evaluate(deal, at, &Options::new()).unwrap();
        evaluation
            .transitions
            .iter()
            .any(|t| t.to == "propose" && t.allowed)
    };
    assert!(qualify_out(&deals[3]) && !qualify_out(&deals[4]));
}

#[test]
fn a_header_without_a_mapped_column_stops_that_file_only() {
    let importer = importer("mapping.yaml");
    let file = File::open(path("missing-column.csv")).unwrap();
    let error = importer.rows(file, "missing-column.csv").err().unwrap();
    assert_eq!(
        (error.file.as_str(), error.line),
        ("missing-column.csv", Some(1))
    );
    assert!(error.message.starts_with("the header has no column "));
    let (code, stdout, stderr) = run(&[
        "import",
        "mapping.yaml",
        "missing-column.csv",
        "opportunities.csv",
        "accounts.csv",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: missing-column.csv:1: the header has no column"));
    assert_eq!(stdout.lines().count(), 5, "the next file is still imported");
}

#[test]
fn a_missing_column_is_named_as_the_mapping_spells_it() {
    let importer = importer("mapping.yaml");
    let file = File::open(path("missing-column.csv")).unwrap();
    let error = importer.rows(file, "missing-column.csv").err().unwrap();
    assert_eq!(
        error.message,
        "the header has no column `Seats` and `Discovery Done`"
    );
}

#[test]
fn a_date_format_gives_a_date() {
    let importer = importer("mapping.yaml");
    let deals = good(&rows(&importer, "opportunities.csv"));
    assert_eq!(deals[0]["fields"]["close_date"], "2026-03-31");
}

#[test]
fn a_mapping_with_an_unknown_key_is_refused_where_it_is() {
    let text = std::fs::read_to_string(path("bad-mapping.yaml")).unwrap();
    let error = Importer::from_yaml(&text, "bad-mapping.yaml")
        .err()
        .unwrap();
    assert_eq!(error.diagnostics.len(), 1);
    let d = &error.diagnostics[0];
    assert_eq!(
        (d.code, d.file.as_str(), d.line, d.column),
        ("unknown-key", "bad-mapping.yaml", 5, 45)
    );
    assert!(
        d.message.contains("unknown key `sepparator`"),
        "{}",
        d.message
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `separator`?"));
    let (code, stdout, stderr) = run(&["import", "bad-mapping.yaml", "opportunities.csv"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("bad-mapping.yaml:5:45: error[unknown-key]"),
        "{stderr}"
    );
}

#[test]
fn a_join_file_not_given_is_bad_usage() {
    let (code, stdout, stderr) = run(&["import", "mapping.yaml", "opportunities.csv"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: the mapping joins `accounts.csv`; give it among the CSV files\n"
    );
}

/// A mapping whose `values` give an integer field a text: `ten` → "10".
fn seats(csv: &str) -> Vec<Value> {
    let mapping = "id: id\nfields:\n  seats: { column: seats, type: integer, values: { ten: \"10\", none: ~ } }\n";
    let importer = Importer::from_yaml(mapping, "m.yaml").unwrap();
    importer
        .rows(csv.as_bytes(), "x.csv")
        .unwrap()
        .map(|r| serde_json::to_value(r.unwrap()).unwrap())
        .collect()
}

#[test]
fn a_value_mapped_to_none_leaves_the_field_out() {
    let deals = seats("id,seats\nX-1,none\nX-2,3\nX-3,\n");
    assert_eq!(deals[0], json!({ "id": "X-1" }));
    assert_eq!(deals[1], json!({ "id": "X-2", "fields": { "seats": 3 } }));
    assert_eq!(deals[2], json!({ "id": "X-3" }));
}

#[test]
fn values_map_cells_before_the_type_is_applied() {
    // docs/analytics.md: "`values:` maps a cell to the value written, before the type is applied".
    let deals = seats("id,seats\nX-1,ten\n");
    assert_eq!(deals[0], json!({ "id": "X-1", "fields": { "seats": 10 } }));
}
