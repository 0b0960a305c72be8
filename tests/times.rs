//! Times: a playbook's `timezone:`, every accepted form read to the second, nothing cut, and the
//! engine writing RFC 3339 in UTC.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;

use assert_cmd::Command;
use common::stagegate;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use stagegate::analytics::MetricsBook;
use stagegate::{Deal, Engine, Move, Options, Playbook, Timestamp};

/// A small playbook in `zone` (none: UTC), with a date field and a rule reading `today()`.
fn playbook(zone: Option<&str>) -> Playbook {
    let zone = zone.map_or(String::new(), |z| format!("timezone: {z}\n"));
    let text = format!(
        "stagegate: 1\nid: t\nversion: 1\n{zone}\
         fields: {{ last_touch: {{ type: date }} }}\n\
         stages:\n  - id: open\n    exit: [{{ id: touched_today, when: \"last_touch >= today()\" }}]\n\
         \x20 - {{ id: won, outcome: won }}\n\
         transitions: [{{ from: open, to: won }}]\n"
    );
    Playbook::from_yaml(&text, "t.yaml").unwrap()
}

fn utc(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn zone_less_times_are_read_in_the_playbook_zone_to_the_second() {
    let seoul = playbook(Some("Asia/Seoul"));
    assert_eq!(seoul.time_zone(), "Asia/Seoul");
    let read = |text: &str| seoul.read_time(text).unwrap().to_string();
    assert_eq!(read("2026-11-27"), "2026-11-26T15:00:00Z");
    assert_eq!(read("2026-11-27 15:30"), "2026-11-27T06:30:00Z");
    assert_eq!(read("2026-11-27T15:30:00"), "2026-11-27T06:30:00Z");
    assert_eq!(read("2026-11-27T10"), "2026-11-27T01:00:00Z");
    assert_eq!(read("2026-11-27T15:30:09Z"), "2026-11-27T15:30:09Z");
    assert_eq!(read("2026-11-27T15:30:09-05:00"), "2026-11-27T20:30:09Z");
    // With no `timezone:`, UTC; and never midnight for a date-time.
    let plain = playbook(None);
    assert_eq!(plain.time_zone(), "UTC");
    assert_eq!(
        plain.read_time("2026-11-27 15:30").unwrap(),
        utc("2026-11-27T15:30:00Z")
    );
    assert_eq!(
        stagegate::parse_time("2026-11-27T10").unwrap(),
        utc("2026-11-27T10:00:00Z")
    );
}

#[test]
fn today_begins_at_midnight_in_the_playbook_zone() {
    // 16:00 UTC on the 27th is 01:00 on the 28th in Seoul.
    let at = utc("2026-11-27T16:00:00Z");
    let deal: Deal =
        serde_json::from_str(r#"{"id": "D", "fields": {"last_touch": "2026-11-27"}}"#).unwrap();
    let allowed = |playbook: Playbook| {
        let evaluation = Engine::new(playbook)
            .evaluate(&deal, at, &Options::new())
            .unwrap();
        evaluation.transitions[0].allowed
    };
    assert!(allowed(playbook(None)), "in UTC, the 27th is today");
    assert!(
        !allowed(playbook(Some("Asia/Seoul"))),
        "in Seoul, today is the 28th"
    );
}

#[test]
fn a_zone_less_history_time_is_not_cut_so_its_disorder_shows() {
    let playbook = playbook(None);
    let deal: Deal = serde_yaml::from_str(
        "id: D\nstage: won\nhistory:\n  - { at: 2026-11-27T10:00:00, to: open }\n  \
         - { at: 2026-11-27T09:00:00Z, from: open, to: won, kind: advance }\n",
    )
    .unwrap();
    let mut book = MetricsBook::new(&playbook, utc("2026-11-28T00:00:00Z"), None);
    book.add(&deal, "D").unwrap();
    let metrics = book.finish();
    assert_eq!(metrics.anomalies.len(), 1, "{:?}", metrics.anomalies);
    // Cut to midnight, 10:00 came before 09:00Z; read to the second, the close comes first.
    assert_eq!(
        metrics.anomalies[0].problem,
        "closed before its first entry"
    );
}

#[test]
fn a_bad_time_names_every_form_accepted() {
    let message = playbook(None).read_time("27/11/2026").unwrap_err();
    for form in [
        "2026-11-27",
        "2026-11-27 15:30",
        "2026-11-27T15:30:00+09:00",
    ] {
        assert!(message.contains(form), "{message}");
    }
}

/// The deal file and playbook of a `stagegate move`, in a folder of their own.
fn move_at(zone: Option<&str>, at: &str) -> (i32, String, String) {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("stagegate-times-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zone = zone.map_or(String::new(), |z| format!("timezone: {z}\n"));
    let book = dir.join("p.yaml");
    std::fs::write(
        &book,
        format!(
            "stagegate: 1\nid: t\nversion: 1\n{zone}stages: [{{id: open}}, {{id: won, outcome: won}}]\n\
             transitions: [{{from: open, to: won}}]\n"
        ),
    )
    .unwrap();
    let deal = dir.join("d.yaml");
    std::fs::File::create(&deal)
        .unwrap()
        .write_all(b"id: D\nstage: open\n")
        .unwrap();
    let output = Command::cargo_bin("stagegate")
        .unwrap()
        .args([
            "move",
            book.to_str().unwrap(),
            deal.to_str().unwrap(),
            "--to",
            "won",
        ])
        .args(["--at", at])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn move_writes_the_time_given_in_utc_with_seconds_never_midnight() {
    for (zone, at, written) in [
        (None, "2026-11-27 15:30", "2026-11-27T15:30:00Z"),
        (None, "2026-11-27T10:00:00", "2026-11-27T10:00:00Z"),
        (None, "2026-11-27T10", "2026-11-27T10:00:00Z"),
        (None, "2026-11-27", "2026-11-27T00:00:00Z"),
        (
            Some("Asia/Seoul"),
            "2026-11-27 15:30",
            "2026-11-27T06:30:00Z",
        ),
        (Some("Asia/Seoul"), "2026-11-27", "2026-11-26T15:00:00Z"),
        (
            Some("America/New_York"),
            "2026-11-27T15:30:00+09:00",
            "2026-11-27T06:30:00Z",
        ),
    ] {
        let (code, stdout, stderr) = move_at(zone, at);
        assert_eq!(code, 0, "{at}: {stderr}");
        assert!(
            stdout.contains(&format!("- at: {written}\n")),
            "{zone:?} {at}: {stdout}"
        );
    }
}

#[test]
fn move_refuses_a_time_it_cannot_read_exactly() {
    let (code, stdout, stderr) = move_at(None, "27.11.2026 15:30");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: --at: `27.11.2026 15:30` is not a date or time"),
        "{stderr}"
    );
    // A zone-less time a clock change makes ambiguous is refused, with the offsets to choose.
    let (code, _, stderr) = move_at(Some("America/New_York"), "2026-11-01 01:30");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("happened twice in America/New_York"),
        "{stderr}"
    );
    assert!(stderr.contains("2026-11-01 01:30-04"), "{stderr}");
}

const ZONES: &[&str] = &[
    "UTC",
    "Asia/Seoul",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/Santiago",
];

/// The forms a time may be written in, for `instant` seen in `zone`.
fn forms(instant: Timestamp, zone: &TimeZone) -> Vec<String> {
    let civil = zone.to_datetime(instant);
    let zoned = instant.to_zoned_datetime(zone.clone());
    vec![
        instant.to_string(),
        zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        civil.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        civil.strftime("%Y-%m-%d %H:%M:%S").to_string(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any time, in any accepted form, in any zone: read, written by a move, and read back, it
    /// is the same instant to the second; what the engine writes is RFC 3339 in UTC.
    #[test]
    fn every_form_round_trips_to_the_same_instant(
        second in 946_684_800_i64..2_208_988_800,
        zone in proptest::sample::select(ZONES),
        other in proptest::sample::select(ZONES),
        json in any::<bool>(),
    ) {
        let instant = Timestamp::from_second(second).unwrap();
        let playbook = playbook(Some(zone));
        let tz = jiff::tz::db().get(zone).unwrap();
        let engine = Engine::new(playbook);
        for (i, text) in forms(instant, &tz).into_iter().enumerate() {
            let read = match engine.playbook().read_time(&text) {
                Ok(read) => read,
                // Only a zone-less form in a clock change may be refused, and it says why.
                Err(message) => {
                    prop_assert!(i >= 2, "{text} in {zone}: {message}");
                    prop_assert!(message.contains("happened twice") || message.contains("does not exist"), "{message}");
                    continue;
                }
            };
            prop_assert_eq!(read, instant, "{} in {}", text, zone);
            // Forms with `Z` or an offset mean the same instant in any playbook.
            if i < 2 {
                prop_assert_eq!(playbook_in(other).read_time(&text).unwrap(), instant);
            }
            let deal: Deal = serde_json::from_str(r#"{"id": "D", "stage": "open", "fields": {"last_touch": "2026-11-27"}}"#).unwrap();
            let moved = engine.apply(&deal, &Move::to("won").forced("round trip"), read).unwrap().deal;
            let stored = if json {
                serde_json::to_string(&moved).unwrap()
            } else {
                moved.to_yaml().unwrap()
            };
            let back: Deal = if json { serde_json::from_str(&stored).unwrap() } else { serde_yaml::from_str(&stored).unwrap() };
            let written = &back.history.last().unwrap().at;
            prop_assert!(written.ends_with('Z') && written.len() == 20, "{}", written);
            prop_assert_eq!(engine.playbook().read_time(written).unwrap(), instant);
            prop_assert_eq!(playbook_in(other).read_time(written).unwrap(), instant);
        }
        // A date is the start of that day in the zone.
        let day = tz.to_datetime(instant).date().to_string();
        let start = engine.playbook().read_time(&day).unwrap();
        prop_assert_eq!(tz.to_datetime(start).date().to_string(), day);
        prop_assert!(start <= instant);
    }
}

fn playbook_in(zone: &str) -> Playbook {
    playbook(Some(zone))
}

#[test]
fn text_shows_times_on_the_playbooks_clocks_and_json_keeps_utc() {
    let dir = std::env::temp_dir().join(format!("stagegate-shown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let playbook = "stagegate: 1\nid: t\nversion: 1\ntimezone: Asia/Seoul\nstages:\n  - id: open\n  - id: work\n    activities: [ { id: call, required: true } ]\n    on_enter: [ { task: { activity: call, due_days: 2 } } ]\n  - { id: won, outcome: won }\ntransitions: [ { from: open, to: work }, { from: work, to: won } ]\n";
    std::fs::write(path("seoul.yaml"), playbook).unwrap();
    std::fs::write(
        path("utc.yaml"),
        playbook.replace("timezone: Asia/Seoul\n", ""),
    )
    .unwrap();
    std::fs::write(path("deal.yaml"), "id: D-1\nowner: lee\n").unwrap();
    let (seoul, utc) = (path("seoul.yaml"), path("utc.yaml"));

    // `move`: the deal as data, in UTC; the task it opens, for people, on Seoul's clocks.
    let (code, moved, said) = stagegate(&[
        "move",
        &seoul,
        &path("deal.yaml"),
        "--to",
        "work",
        "--at",
        "2026-11-27 09:00",
    ]);
    assert_eq!(code, 0, "{said}");
    assert!(moved.contains("due: 2026-11-29T00:00:00Z"), "{moved}");
    assert!(moved.contains("- at: 2026-11-27T00:00:00Z"), "{moved}");
    assert_eq!(
        said,
        "task: call → lee, due 2026-11-29 09:00 +09:00 (entering work)\n"
    );
    std::fs::write(path("moved.yaml"), &moved).unwrap();
    let moved = path("moved.yaml");
    let at = ["--at", "2026-11-30 10:30"];

    // `eval` and `due` in text: Seoul's clocks, the offset shown.
    let (code, text, _) = stagegate(&[&["eval", &seoul, &moved][..], &at].concat());
    assert_eq!(code, 0);
    assert!(
        text.starts_with("D-1  work  t@1 · 2026-11-30 10:30 +09:00\n"),
        "{text}"
    );
    assert!(
        text.contains("! overdue by 2 days: call (due 2026-11-29 09:00 +09:00)\n"),
        "{text}"
    );
    assert!(
        text.contains("□ call (due 2026-11-29 09:00 +09:00, 2 days overdue)\n"),
        "{text}"
    );
    let (code, text, _) = stagegate(&[&["due", &seoul, &moved][..], &at].concat());
    assert_eq!(code, 0);
    assert_eq!(
        text,
        "lee\n  2026-11-29 09:00 +09:00  D-1  call (work)  2 days overdue\n"
    );

    // JSON: RFC 3339 in UTC, as before.
    let json = |command: &str| {
        let (code, out, _) = stagegate(
            &[
                &[command, seoul.as_str(), &moved][..],
                &at,
                &["--format", "jsonl"],
            ]
            .concat(),
        );
        assert_eq!(code, 0);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let evaluation = json("eval");
    assert_eq!(evaluation["at"], "2026-11-30T01:30:00Z");
    assert_eq!(evaluation["warnings"][0]["due"], "2026-11-29T00:00:00Z");
    assert_eq!(
        evaluation["next_steps"][0]["activities"][0]["due"],
        "2026-11-29T00:00:00Z"
    );
    assert_eq!(json("due")["due"], "2026-11-29T00:00:00Z");

    // Without `timezone:`, the text is as it always was: UTC, as the engine writes times.
    let (_, text, _) = stagegate(&[&["eval", &utc, &moved][..], &at].concat());
    assert!(
        text.starts_with("D-1  work  t@1 · 2026-11-30T10:30:00Z\n"),
        "{text}"
    );
    assert!(
        text.contains("(due 2026-11-29T00:00:00Z, 2 days overdue)"),
        "{text}"
    );
    let (_, text, _) = stagegate(&[&["due", &utc, &moved][..], &at].concat());
    assert_eq!(
        text,
        "lee\n  2026-11-29T00:00:00Z  D-1  call (work)  2 days overdue\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refusals_on_the_command_line_name_their_times_on_the_playbooks_clocks() {
    let dir = std::env::temp_dir().join(format!("stagegate-refusals-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    std::fs::write(
        path("p.yaml"),
        "stagegate: 1\nid: a\nversion: 1\ntimezone: Asia/Seoul\nroles: { finance: {} }\n\
         stages:\n  - id: open\n    exit: [ { id: signed_off, approval: { role: finance } } ]\n\
         \x20 - { id: won, outcome: won }\ntransitions: [ { from: open, to: won } ]\n\
         tests:\n  - name: approved twice\n    at: 2026-11-28 09:00\n    deal: { owner: lee }\n    approve:\n\
         \x20     - { criterion: signed_off, by: { id: han, roles: [finance] } }\n\
         \x20     - { criterion: signed_off, by: { id: kim, roles: [finance] } }\n",
    )
    .unwrap();
    std::fs::write(path("deal.yaml"), "id: A-1\nowner: lee\n").unwrap();
    let approve = |deal: &str, by: &str, at: &str| {
        let args = [
            "approve",
            &path("p.yaml"),
            deal,
            "--criterion",
            "signed_off",
        ];
        stagegate(&[&args[..], &["--as", by, "--role", "finance", "--at", at]].concat())
    };
    let (code, approved, err) = approve(&path("deal.yaml"), "han", "2026-11-27 09:00");
    assert_eq!(code, 0, "{err}");
    assert!(approved.contains("at: 2026-11-27T00:00:00Z"), "{approved}");
    std::fs::write(path("approved.yaml"), &approved).unwrap();

    let (code, _, err) = approve(&path("approved.yaml"), "kim", "2026-11-28 09:00");
    assert_eq!(code, 3);
    assert_eq!(
        err,
        "refused: deal `A-1`: `signed_off` is already approved by han at 2026-11-27 09:00 +09:00\n"
    );
    let (_, _, err) = approve(&path("approved.yaml"), "kim", "2026-11-26");
    assert_eq!(
        err,
        "refused: deal `A-1`: the approval's time 2026-11-26 00:00 +09:00 is before the deal's last \
         history entry (2026-11-27 09:00 +09:00); a history only goes forward\n"
    );
    let (code, _, err) = stagegate(&[
        "move",
        &path("p.yaml"),
        &path("approved.yaml"),
        "--to",
        "won",
        "--as",
        "han",
        "--role",
        "finance",
        "--at",
        "2026-11-26",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: deal `A-1`: the move's time 2026-11-26 00:00 +09:00 is before the deal's last \
         history entry (2026-11-27 09:00 +09:00); a history only goes forward\n"
    );
    let (code, out, _) = stagegate(&["test", &path("p.yaml"), "--color", "never"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("FAIL approved twice (")
            && out.contains(
                "got: `signed_off` is already approved by han at 2026-11-28 09:00 +09:00\n"
            ),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
