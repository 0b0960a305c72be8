//! `metrics` over a hand-built book (tests/fixtures/metrics): every figure is worked out by hand
//! in tests/fixtures/metrics/README.md and asserted exactly here.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use common::stagegate as run;
use serde_json::{json, Value};
use stagegate::analytics::{Metrics, MetricsBook};
use stagegate::{Deal, DealReader, Playbook, Timestamp};

const PLAYBOOK: &str = "tests/fixtures/metrics/playbook.yaml";
const BOOK: &str = "tests/fixtures/metrics/book.yaml";

fn at() -> Timestamp {
    stagegate::parse_time("2026-07-01").unwrap()
}

fn playbook() -> Playbook {
    Playbook::load(Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAYBOOK)).unwrap()
}

/// The book's metrics through the library, as the CLI collects them.
fn book_metrics(by: Option<&str>) -> Metrics {
    let playbook = playbook();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BOOK);
    let mut book = MetricsBook::new(&playbook, at(), by);
    for read in DealReader::new(BufReader::new(File::open(path).unwrap()), BOOK) {
        let (deal, origin) = read.expect("every fixture deal is readable");
        // A4 and A5 do not fit the playbook: refused, listed among the anomalies.
        let _ = book.add(&deal, &origin.label(&deal));
    }
    book.finish()
}

/// The book's two deals that do not fit the playbook are reported on standard error with their
/// file and line, after which the command exits 2 (having written every figure).
fn assert_refused_reported(code: i32, stderr: &str) {
    assert_eq!(code, 2, "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "error: {BOOK}:145: deal `A4`: history[2].to: unknown stage"
        )),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with(&format!("error: {BOOK}:153: deal `A5`: history[1].at:")),
        "{stderr}"
    );
}

fn days(mean: f64, median: f64, count: u64) -> Value {
    json!({ "mean": mean, "median": median, "count": count })
}

fn no_days() -> Value {
    json!({ "mean": null, "median": null, "count": 0 })
}

#[test]
fn headline_figures() {
    let m = book_metrics(None);
    assert_eq!(
        (m.deals, m.open, m.won, m.lost, m.churned, m.anomalous),
        (21, 7, 6, 2, 1, 6)
    );
    assert_eq!(m.win_rate, Some(0.75));
    let won = &m.cycle_days.won;
    assert_eq!(
        (won.mean, won.median, won.count),
        (Some(40.0), Some(47.5), 6)
    );
    let lost = &m.cycle_days.lost;
    assert_eq!(
        (lost.mean, lost.median, lost.count),
        (Some(42.5), Some(42.5), 2)
    );
    assert_eq!(
        (m.won_value.total, m.won_value.mean),
        (165000.0, Some(27500.0))
    );
    assert_eq!(m.pipeline_velocity_per_day, Some(3609.38));
    assert_eq!(m.weighted_forecast, 85200.0);
    assert!(m.by.is_none());
}

#[test]
fn every_stage_figure() {
    let m = book_metrics(None);
    let ids: Vec<&str> = m.stages.0.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "lead",
            "qualify",
            "propose",
            "won",
            "onboarding",
            "lost",
            "churned"
        ]
    );
    let expected = json!({
        "lead": { "entered": 14, "open": 3, "conversion": 0.7857, "days": days(9.0, 10.0, 11), "stalled": 0, "overdue": 0, "archived": 0 },
        "qualify": { "entered": 12, "open": 3, "conversion": 0.75, "days": days(17.17, 18.0, 12), "stalled": 1, "overdue": 0, "archived": 0 },
        "propose": { "entered": 8, "open": 3, "conversion": 0.5, "days": days(19.14, 20.0, 7), "stalled": 0, "overdue": 0, "archived": 0 },
        "won": { "entered": 6, "open": 3, "conversion": 0.5, "days": days(11.67, 11.0, 3), "stalled": 0, "overdue": 0, "archived": 0 },
        "onboarding": { "entered": 3, "open": 2, "conversion": null, "days": days(86.0, 86.0, 1), "stalled": 0, "overdue": 0, "archived": 0 },
        "lost": { "entered": 2, "open": 2, "conversion": null, "days": no_days(), "stalled": 0, "overdue": 0, "archived": 0 },
        "churned": { "entered": 1, "open": 1, "conversion": null, "days": no_days(), "stalled": 0, "overdue": 0, "archived": 0 },
    });
    assert_eq!(serde_json::to_value(&m.stages).unwrap(), expected);
}

#[test]
fn one_anomaly_of_each_kind_in_input_order() {
    let m = book_metrics(None);
    let listed: Vec<(&str, &str)> = m
        .anomalies
        .iter()
        .map(|a| (a.deal.as_str(), a.problem.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("A1", "closed before its first entry"),
            ("A2", "history out of order at entry 3"),
            (
                "A3",
                "history[1] moves from `lead` to `won`, which the playbook does not declare (and it is neither forced nor imported)"
            ),
            (
                "A4",
                "does not fit the playbook: history[2].to: unknown stage `negotiation`"
            ),
            (
                "A5",
                "does not fit the playbook: history[1].at: `last tuesday` is not a date or \
                 time: write a date (2026-11-27), a date-time in the playbook's time zone \
                 (2026-11-27 15:30) or one with its offset (2026-11-27T15:30:00+09:00, \
                 2026-11-27T06:30:00Z)"
            ),
            ("A6", "history entry 2 has no `from`"),
        ]
    );
}

#[test]
fn add_anomaly_counts_a_deal_without_touching_the_figures() {
    let playbook = playbook();
    let mut book = MetricsBook::new(&playbook, at(), None);
    let deal: Deal = serde_json::from_str(r#"{"id": "X", "fields": {"amount": 500}}"#).unwrap();
    book.add(&deal, "X").unwrap();
    book.add_anomaly("#2", "unreadable".to_owned());
    let m = book.finish();
    assert_eq!((m.deals, m.open, m.anomalous), (2, 1, 1));
    assert_eq!(m.weighted_forecast, 50.0);
    assert_eq!(m.anomalies[0].deal, "#2");
    assert_eq!(m.stages.0[0].1.entered, 1);
}

#[test]
fn by_segment_groups() {
    let m = book_metrics(Some("segment"));
    let by = m.by.as_ref().expect("a breakdown");
    assert_eq!(by.field, "segment");
    let names: Vec<&str> = by.groups.keys().map(String::as_str).collect();
    assert_eq!(names, ["(none)", "enterprise", "smb"]);
    let summary = |g: &Metrics| {
        json!({
            "counts": [g.deals, g.open, g.won, g.lost, g.churned, g.anomalous],
            "win_rate": g.win_rate,
            "cycle_days": g.cycle_days,
            "won_value": g.won_value,
            "velocity": g.pipeline_velocity_per_day,
            "forecast": g.weighted_forecast,
        })
    };
    let smb = &by.groups["smb"];
    assert_eq!(
        summary(smb),
        json!({ "counts": [9, 3, 3, 1, 0, 2], "win_rate": 0.75,
                "cycle_days": { "won": days(37.0, 45.0, 3), "lost": days(40.0, 40.0, 1) },
                "won_value": { "total": 45000.0, "mean": 15000.0 },
                "velocity": 912.16, "forecast": 10500.0 })
    );
    assert_eq!(
        summary(&by.groups["enterprise"]),
        json!({ "counts": [8, 2, 3, 1, 1, 2], "win_rate": 0.75,
                "cycle_days": { "won": days(43.0, 50.0, 3), "lost": days(45.0, 45.0, 1) },
                "won_value": { "total": 120000.0, "mean": 40000.0 },
                "velocity": 1395.35, "forecast": 61200.0 })
    );
    assert_eq!(
        summary(&by.groups["(none)"]),
        json!({ "counts": [4, 2, 0, 0, 0, 2], "win_rate": null,
                "cycle_days": { "won": no_days(), "lost": no_days() },
                "won_value": { "total": 0.0, "mean": null },
                "velocity": null, "forecast": 13500.0 })
    );
    // smb's funnel: lead D01 D03 D05 D07 D14 D15 (4 left forward), qualify D01 D03 D05 D09 D14
    // (3 forward), propose D01 D05 D15 (2 forward), won D01 D05 D14 (all still there).
    let funnel: Vec<(u64, u64, Option<f64>)> = smb.stages.0[..4]
        .iter()
        .map(|(_, s)| (s.entered, s.open, s.conversion))
        .collect();
    assert_eq!(
        funnel,
        [
            (6, 2, Some(0.6667)),
            (5, 1, Some(0.6)),
            (3, 1, Some(0.6667)),
            (3, 3, Some(0.0))
        ]
    );
    // Groups add up to the whole book.
    let total: u64 = by.groups.values().map(|g| g.deals).sum();
    assert_eq!(total, m.deals);
    assert_eq!(m.weighted_forecast, 85200.0);
}

#[test]
fn cli_json_is_the_library_figures() {
    let (code, stdout, stderr) = run(&[
        "metrics",
        PLAYBOOK,
        BOOK,
        "--at",
        "2026-07-01",
        "--format",
        "json",
    ]);
    assert_refused_reported(code, &stderr);
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed, serde_json::to_value(book_metrics(None)).unwrap());
    assert_eq!(printed["pipeline_velocity_per_day"], 3609.38);
    assert_eq!(printed["anomalies"].as_array().unwrap().len(), 6);
    insta::assert_snapshot!("metrics_json", stdout);
}

#[test]
fn cli_text_snapshot() {
    let (code, stdout, stderr) = run(&[
        "metrics",
        PLAYBOOK,
        BOOK,
        "--at",
        "2026-07-01",
        "--color",
        "never",
        "--lang",
        "en",
    ]);
    assert_refused_reported(code, &stderr);
    assert!(stdout.starts_with("deals 21  ·  open 7  ·  won 6  ·  lost 2  ·  churned 1"));
    assert!(stdout.contains("pipeline velocity per day 3,609.38  ·  weighted forecast 85,200"));
    insta::assert_snapshot!("metrics_text", stdout);
}

#[test]
fn cli_text_by_segment_snapshot() {
    let (code, stdout, _) = run(&[
        "metrics",
        PLAYBOOK,
        BOOK,
        "--at",
        "2026-07-01",
        "--color",
        "never",
        "--lang",
        "en",
        "--by",
        "segment",
    ]);
    assert_eq!(code, 2, "A4 and A5 do not fit the playbook");
    let headings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("segment = "))
        .collect();
    assert_eq!(
        headings,
        ["segment = (none)", "segment = enterprise", "segment = smb"]
    );
    insta::assert_snapshot!("metrics_text_by_segment", stdout);
}

#[test]
fn by_an_unknown_field_is_bad_usage() {
    let (code, stdout, stderr) = run(&["metrics", PLAYBOOK, BOOK, "--by", "region"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("`region` is not a field of this playbook; it has amount, segment"));
}

/// Every `<tag>` is closed in order; returns the tags opened, in order.
fn balanced_tags(svg: &str) -> Vec<String> {
    let (mut stack, mut seen) = (Vec::new(), Vec::new());
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("every `<` is closed by `>`") + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name),
                "</{name}> closes another tag"
            );
        } else {
            let name: String = tag.chars().take_while(|c| c.is_alphanumeric()).collect();
            seen.push(name.clone());
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    seen
}

#[test]
fn svg_funnel_is_well_formed_and_names_the_path() {
    let dir = std::env::temp_dir().join(format!("stagegate-metrics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("funnel.svg");
    let (code, stdout, _) = run(&[
        "metrics",
        PLAYBOOK,
        BOOK,
        "--at",
        "2026-07-01",
        "--svg",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "A4 and A5 do not fit the playbook");
    assert!(stdout.starts_with("deals 21"), "the text is still printed");
    let svg = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(balanced_tags(&svg)[0], "svg");
    for title in [
        "Lead",
        "Qualify",
        "Proposal &amp; pricing",
        "Closed won",
        "Onboarding",
    ] {
        assert!(
            svg.contains(&format!(">{title}")),
            "no `{title}` in the SVG"
        );
    }
    assert!(!svg.contains("Proposal & pricing"), "text is escaped");
    // Lost and churned are outcomes, not steps of the funnel.
    assert!(!svg.contains(">Lost") && !svg.contains(">Churned"));
    // The same through the library, in Korean.
    let ko = stagegate::analytics::funnel_svg(&book_metrics(None), &playbook(), "ko");
    balanced_tags(&ko);
    assert!(ko.contains(">자격 검증") && ko.contains(">온보딩"));
}

#[test]
fn an_unreadable_deal_is_listed_and_the_rest_still_count() {
    let file = "tests/fixtures/metrics/unreadable.yaml";
    let (code, stdout, _) = run(&[
        "metrics",
        PLAYBOOK,
        file,
        "--at",
        "2026-07-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let m: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (&m["deals"], &m["open"], &m["anomalous"]),
        (&json!(3), &json!(2), &json!(1))
    );
    // U1 in qualify: 1000 × 0.25; U3 in propose: 4000 × 0.6.
    assert_eq!(m["weighted_forecast"], 2650.0);
    assert_eq!(
        m["anomalies"],
        json!([{ "deal": "U2",
                 "problem": "unreadable (tests/fixtures/metrics/unreadable.yaml:10): \
                             unknown key `stagez` (did you mean `stage`?)" }])
    );
}

#[test]
fn an_unreadable_deal_falls_in_the_none_group() {
    let file = "tests/fixtures/metrics/unreadable.yaml";
    let (_, stdout, _) = run(&[
        "metrics",
        PLAYBOOK,
        file,
        "--at",
        "2026-07-01",
        "--format",
        "json",
        "--by",
        "segment",
    ]);
    let m: Value = serde_json::from_str(&stdout).unwrap();
    let groups = &m["by"]["groups"];
    assert_eq!(
        (&groups["smb"]["deals"], &groups["smb"]["anomalous"]),
        (&json!(2), &json!(0))
    );
    // The groups add up to the 3 deals; U2 has no readable segment (was a bug, fixed in 689b464).
    assert_eq!(
        (&groups["(none)"]["deals"], &groups["(none)"]["anomalous"]),
        (&json!(1), &json!(1))
    );
}

#[test]
fn a_deal_in_a_won_stage_without_history_is_won() {
    let playbook = playbook();
    let mut book = MetricsBook::new(&playbook, at(), None);
    for text in [
        r#"{"id": "W", "stages": ["won"], "fields": {"amount": 4000}}"#,
        r#"{"id": "L", "stages": ["lost"], "fields": {"amount": 1000}}"#,
    ] {
        let deal: Deal = serde_json::from_str(text).unwrap();
        book.add(&deal, deal.id.as_deref().unwrap()).unwrap();
    }
    let m = book.finish();
    // Both stages count them as entered...
    assert_eq!((m.stages.0[3].1.entered, m.stages.0[5].1.entered), (1, 1));
    // ...so the deals are won and lost (spec: "won when it has entered a stage with outcome won"),
    // not open, and a won deal's value is not forecast.
    assert_eq!((m.won, m.lost, m.open), (1, 1, 0));
    assert_eq!(m.won_value.total, 4000.0);
    assert_eq!(m.weighted_forecast, 0.0);
    assert_eq!(m.cycle_days.won.count, 0, "no history, no cycle");
}
