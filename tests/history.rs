//! A deal's own record read against its playbook, the same on every surface: a history that moves
//! where the playbook does not allow (`history-off-playbook` in evaluations and `due`, an anomaly
//! in metrics), `max_days` counted from the last activity, and archived deals (a warning, out of
//! `due` and of the pipeline's figures, counted as archived).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use stagegate::analytics::MetricsBook;
use stagegate::contract::Contract;
use stagegate::{Deal, Engine, Options, Playbook, Timestamp, Warning};

const PLAYBOOK: &str = "stagegate: 1
id: history
version: 1
timezone: Asia/Seoul
value: amount
fields:
  amount: { type: number }
stages:
  - id: lead
    title: { en: Lead, ko: 리드 }
    probability: 0.1
    max_days: 30
  - id: qualify
    title: { en: Qualify, ko: 검증 }
    probability: 0.3
    max_days: { days: 14, since: activity }
    activities: [{ id: call, title: { en: Call, ko: 통화 }, required: false }]
  - id: propose
    title: { en: Propose, ko: 제안 }
    probability: 0.6
    max_days: { days: 20, since: entered }
  - id: won
    outcome: won
  - id: lost
    outcome: lost
transitions:
  - { from: lead, to: qualify }
  - { from: qualify, to: propose }
  - { from: propose, to: won }
  - { from: '*', to: lost }
";

fn playbook() -> Playbook {
    Playbook::from_yaml(PLAYBOOK, "history.yaml").unwrap()
}

fn at() -> Timestamp {
    stagegate::parse_time("2026-11-30").unwrap()
}

fn deal(value: Value) -> Deal {
    serde_json::from_value(value).unwrap()
}

fn warnings(engine: &Engine, deal: &Deal) -> Vec<Warning> {
    engine
        .evaluate(deal, at(), &Options::new())
        .unwrap()
        .warnings
}

/// Skips from `lead` to `propose`, which no transition allows, at entry 1.
fn skipped(extra: Value) -> Deal {
    let mut entry =
        json!({"at": "2026-11-02T10:00:00+09:00", "from": "lead", "to": "propose", "by": "kim"});
    for (key, value) in extra.as_object().unwrap() {
        entry[key] = value.clone();
    }
    deal(json!({
        "id": "D-1", "stage": "propose", "fields": {"amount": 1000},
        "history": [{"at": "2026-11-01", "to": "lead"}, entry],
        "tasks": {"call": {"stage": "lead", "due": "2026-11-29"}}
    }))
}

#[test]
fn a_move_the_playbook_does_not_allow_is_a_warning_with_its_entry_stages_and_time() {
    let engine = Engine::new(playbook()).with_language("en");
    let found = warnings(&engine, &skipped(json!({})));
    let off: Vec<&Warning> = found
        .iter()
        .filter(|w| w.kind == "history-off-playbook")
        .collect();
    assert_eq!(off.len(), 1, "{found:#?}");
    let warning = off[0];
    assert_eq!(warning.entry, Some(1));
    assert_eq!(
        (warning.from.as_deref(), warning.stage.as_str()),
        (Some("lead"), "propose")
    );
    assert_eq!(warning.at.as_deref(), Some("2026-11-02T10:00:00+09:00"));
    assert_eq!(warning.by.as_deref(), Some("kim"));
    assert_eq!(warning.days, 27);
    assert_eq!(
        warning.message,
        "history entry 1 moves from Lead to Propose (2026-11-02 10:00 +09:00), which no \
         transition of the playbook allows; it is marked neither forced nor imported"
    );
    let korean = Engine::new(playbook()).with_language("ko");
    let found = warnings(&korean, &skipped(json!({})));
    let warning = found
        .iter()
        .find(|w| w.kind == "history-off-playbook")
        .unwrap();
    assert!(
        warning
            .message
            .starts_with("이력 1번 항목(2026-11-02 10:00 +09:00)은 리드에서 제안(으)로 이동했지만"),
        "{}",
        warning.message
    );
    // The same warning in the JSON every host reads.
    let contract = Contract::load(PLAYBOOK, "history.yaml", Some("en")).unwrap();
    let answer: Value = serde_json::from_str(
        &contract
            .evaluate(
                &serde_json::to_string(&skipped(json!({}))).unwrap(),
                "2026-11-30",
                None,
            )
            .unwrap(),
    )
    .unwrap();
    let kinds: Vec<&str> = answer["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["overdue", "stalled", "history-off-playbook"]);
    assert_eq!(answer["warnings"][2]["entry"], 1);
    assert_eq!(answer["warnings"][2]["from"], "lead");
}

#[test]
fn a_forced_an_imported_and_a_declared_move_are_no_warning() {
    let engine = Engine::new(playbook());
    for allowed in [
        json!({"forced": true, "reason": "CEO referral"}),
        json!({"imported": true, "imported_by": "crm-sync"}),
    ] {
        let found = warnings(&engine, &skipped(allowed.clone()));
        assert!(
            found.iter().all(|w| w.kind != "history-off-playbook"),
            "{allowed}: {found:#?}"
        );
    }
    let declared = deal(json!({"stage": "qualify", "history": [
        {"at": "2026-11-01", "to": "lead"},
        {"at": "2026-11-20", "from": "lead", "to": "qualify"},
        {"at": "2026-11-21", "by": "kim", "edit": {"field": "amount", "after": 5}},
        {"at": "2026-11-22", "by": "lee", "archived": true, "reason": "test"},
        {"at": "2026-11-23", "by": "lee", "unarchived": true}]}));
    assert_eq!(warnings(&engine, &declared), []);
}

#[test]
fn due_tasks_carry_the_deals_history_warnings() {
    let engine = Engine::new(playbook()).with_language("en");
    let due = engine.tasks_due(&skipped(json!({})), at(), None).unwrap();
    assert_eq!(due.len(), 1);
    let kinds: Vec<&str> = due[0].warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, ["history-off-playbook"]);
    assert_eq!(due[0].warnings[0].entry, Some(1));
    let forced = engine
        .tasks_due(&skipped(json!({"forced": true})), at(), None)
        .unwrap();
    assert_eq!(forced.len(), 1);
    assert!(forced[0].warnings.is_empty());
    let json = serde_json::to_value(&forced[0]).unwrap();
    assert!(json.get("warnings").is_none(), "{json}");
}

#[test]
fn metrics_leave_out_exactly_the_deals_evaluations_warn_of() {
    let playbook = playbook();
    let engine = Engine::new(self::playbook());
    let deals = [
        skipped(json!({})),
        skipped(json!({"forced": true})),
        skipped(json!({"imported": true})),
    ];
    let mut book = MetricsBook::new(&playbook, at(), None);
    for (i, deal) in deals.iter().enumerate() {
        book.add(deal, &format!("#{i}")).unwrap();
        let warned = warnings(&engine, deal)
            .iter()
            .any(|w| w.kind == "history-off-playbook");
        assert_eq!(warned, i == 0, "deal {i}");
    }
    let metrics = book.finish();
    assert_eq!((metrics.deals, metrics.anomalous, metrics.open), (3, 1, 2));
    assert_eq!(metrics.anomalies[0].deal, "#0");
    assert_eq!(
        metrics.anomalies[0].problem,
        "history[1] moves from `lead` to `propose`, which the playbook does not declare (and it \
         is neither forced nor imported)"
    );
    // The forced and the imported skips count as the skips they are: `lead` converted.
    let lead = &metrics.stages.0[0].1;
    assert_eq!((lead.entered, lead.conversion), (2, Some(1.0)));
}

/// In `qualify` since 2026-11-01, whose `max_days` (14) counts from the last activity.
fn qualifying(activity: Value, history: Vec<Value>) -> Deal {
    let mut entries = vec![
        json!({"at": "2026-10-20", "to": "lead"}),
        json!({"at": "2026-11-01", "from": "lead", "to": "qualify"}),
    ];
    entries.extend(history);
    deal(json!({"id": "D-2", "stage": "qualify", "activities": activity, "history": entries}))
}

fn stalled(engine: &Engine, deal: &Deal) -> Option<Warning> {
    warnings(engine, deal)
        .into_iter()
        .find(|w| w.kind == "stalled")
}

#[test]
fn max_days_since_activity_counts_from_the_last_move_edit_or_activity_done() {
    let engine = Engine::new(playbook()).with_language("en");
    // Nothing since entering: 29 days without activity.
    let quiet = stalled(&engine, &qualifying(json!({}), vec![])).unwrap();
    assert_eq!(
        (quiet.days, quiet.max_days, quiet.since),
        (29, 14, Some("activity"))
    );
    assert_eq!(
        quiet.message,
        "stalled: no activity for 29 days in Qualify (max 14)"
    );
    // A call done on 11-20 (10 days ago): not stalled; one on 11-10 (20 days): stalled 20.
    let called = qualifying(json!({"call": {"at": "2026-11-20", "by": "kim"}}), vec![]);
    assert_eq!(stalled(&engine, &called), None);
    let long_ago = qualifying(json!({"call": "2026-11-10"}), vec![]);
    assert_eq!(stalled(&engine, &long_ago).unwrap().days, 20);
    // An edit is activity; an approval is not.
    let edited = qualifying(
        json!({}),
        vec![json!({"at": "2026-11-25", "by": "kim", "edit": {"field": "amount", "after": 5}})],
    );
    assert_eq!(stalled(&engine, &edited), None);
    let approved = qualifying(
        json!({}),
        vec![json!({"at": "2026-11-25", "by": "kim", "approved": "x"})],
    );
    assert_eq!(stalled(&engine, &approved).unwrap().days, 29);
    // Read in the playbook's time zone: 2026-11-16 is 00:00 in Seoul, 14 days and 15 hours
    // before 2026-11-30T15:00+09:00 (06:00 UTC), so 14 days: not more than 14.
    let edge = qualifying(json!({"call": "2026-11-16"}), vec![]);
    let seoul_afternoon = stagegate::parse_time("2026-11-30T06:00:00Z").unwrap();
    let evaluation = engine
        .evaluate(&edge, seoul_afternoon, &Options::new())
        .unwrap();
    assert!(
        evaluation.warnings.iter().all(|w| w.kind != "stalled"),
        "{:#?}",
        evaluation.warnings
    );
    // Korean words it too.
    let korean = Engine::new(playbook()).with_language("ko");
    assert_eq!(
        stalled(&korean, &qualifying(json!({}), vec![]))
            .unwrap()
            .message,
        "검증에서 29일째 활동이 없습니다 (기준 14일)"
    );
}

#[test]
fn max_days_since_entered_is_days_in_the_stage_as_before() {
    let engine = Engine::new(playbook()).with_language("en");
    let proposing = deal(
        json!({"stage": "propose", "activities": {"call": "2026-11-29"},
        "history": [{"at": "2026-10-01", "to": "lead"},
                    {"at": "2026-10-02", "from": "lead", "to": "qualify"},
                    {"at": "2026-11-01", "from": "qualify", "to": "propose"}]}),
    );
    let warning = stalled(&engine, &proposing).unwrap();
    assert_eq!(
        (warning.days, warning.max_days, warning.since),
        (29, 20, Some("entered"))
    );
    assert_eq!(warning.message, "stalled: 29 days in Propose (max 20)");
    let playbook = playbook();
    assert_eq!(playbook.stage("lead").unwrap().max_days, Some(30));
    assert_eq!(
        playbook.stage("lead").unwrap().max_days_since,
        stagegate::Since::Entered
    );
}

#[test]
fn metrics_count_stalled_deals_as_evaluations_do() {
    let playbook = playbook();
    let engine = Engine::new(self::playbook());
    let deals = [
        qualifying(json!({}), vec![]),
        qualifying(json!({"call": "2026-11-20"}), vec![]),
        qualifying(json!({"call": "2026-11-10"}), vec![]),
    ];
    let mut book = MetricsBook::new(&playbook, at(), None);
    let mut warned = 0;
    for (i, deal) in deals.iter().enumerate() {
        book.add(deal, &format!("#{i}")).unwrap();
        warned += u64::from(stalled(&engine, deal).is_some());
    }
    let metrics = book.finish();
    let qualify = &metrics.stages.0[1].1;
    assert_eq!((qualify.open, qualify.stalled), (3, 2));
    assert_eq!(warned, 2);
}

fn archived_deal() -> Deal {
    deal(json!({
        "id": "D-3", "stage": "qualify", "fields": {"amount": 5000},
        "history": [{"at": "2026-11-01", "to": "lead"},
                    {"at": "2026-11-02", "from": "lead", "to": "qualify"},
                    {"at": "2026-11-20T09:00:00+09:00", "by": "kang", "archived": true, "reason": "duplicate of D-7"}],
        "tasks": {"call": {"stage": "qualify", "due": "2026-11-25", "assignee": "kim"}},
        "archived": {"at": "2026-11-20T09:00:00+09:00", "by": "kang", "reason": "duplicate of D-7"}
    }))
}

#[test]
fn an_archived_deal_is_a_warning_and_has_no_tasks_due() {
    let engine = Engine::new(playbook()).with_language("en");
    let deal = archived_deal();
    let found = warnings(&engine, &deal);
    assert_eq!(found[0].kind, "archived", "{found:#?}");
    let archived = &found[0];
    assert_eq!(
        (
            archived.by.as_deref(),
            archived.at.as_deref(),
            archived.reason.as_deref()
        ),
        (
            Some("kang"),
            Some("2026-11-20T09:00:00+09:00"),
            Some("duplicate of D-7")
        )
    );
    assert_eq!((archived.stage.as_str(), archived.days), ("qualify", 10));
    assert_eq!(
        archived.message,
        "archived by kang at 2026-11-20 09:00 +09:00: duplicate of D-7"
    );
    assert_eq!(engine.tasks_due(&deal, at(), None).unwrap(), []);
    let mut unarchived = deal.clone();
    unarchived.archived = None;
    assert_eq!(engine.tasks_due(&unarchived, at(), None).unwrap().len(), 1);
    assert!(warnings(&engine, &unarchived)
        .iter()
        .all(|w| w.kind != "archived"));
}

#[test]
fn archived_deals_leave_the_pipeline_and_are_counted_by_stage() {
    let playbook = playbook();
    let open = deal(
        json!({"id": "D-4", "stage": "qualify", "fields": {"amount": 1000},
        "history": [{"at": "2026-11-01", "to": "lead"}, {"at": "2026-11-25", "from": "lead", "to": "qualify"}]}),
    );
    let deals = [archived_deal(), open.clone()];
    let mut book = MetricsBook::new(&playbook, at(), None);
    for deal in &deals {
        book.add(deal, deal.id.as_deref().unwrap()).unwrap();
    }
    let metrics = book.finish();
    assert_eq!(
        (
            metrics.deals,
            metrics.open,
            metrics.archived,
            metrics.anomalous
        ),
        (2, 1, 1, 0)
    );
    // Only the open deal's value is forecast (1000 × 0.3), only it entered and is open.
    assert_eq!(metrics.weighted_forecast, 300.0);
    let qualify = &metrics.stages.0[1].1;
    assert_eq!(
        (
            qualify.entered,
            qualify.open,
            qualify.stalled,
            qualify.archived
        ),
        (1, 1, 0, 1)
    );
    let lead = &metrics.stages.0[0].1;
    assert_eq!((lead.entered, lead.archived, lead.days.count), (1, 0, 1));
    // Partials agree with the whole book, the archived deal in its own part.
    let contract = Contract::load(PLAYBOOK, "history.yaml", None).unwrap();
    let text = |deal: &Deal| serde_json::to_string(deal).unwrap();
    let first = contract
        .metrics_partial(&text(&deals[0]), "2026-11-30", None, 0)
        .unwrap();
    let part: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(part["stagegate_metrics_partial"], 2);
    assert_eq!(part["all"]["archived"], 1);
    let second = contract
        .metrics_partial(&text(&deals[1]), "2026-11-30", None, 1)
        .unwrap();
    let merged = contract
        .metrics_merge(&format!("[{second},{first}]"))
        .unwrap();
    let finished: Value = serde_json::from_str(&contract.metrics_finish(&merged).unwrap()).unwrap();
    assert_eq!(finished, serde_json::to_value(&metrics).unwrap());
    assert_eq!(finished["archived"], 1);
    assert_eq!(finished["stages"]["qualify"]["archived"], 1);
}

/// `stagegate <args>` in `dir`, without colour: (exit code, stdout, stderr).
fn stagegate(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_command_line_reports_them() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("history-cli");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.yaml"), PLAYBOOK).unwrap();
    let deals = [skipped(json!({})), archived_deal()];
    let lines: Vec<String> = deals
        .iter()
        .map(|d| serde_json::to_string(d).unwrap())
        .collect();
    std::fs::write(dir.join("deals.jsonl"), lines.join("\n") + "\n").unwrap();
    let (code, out, err) = stagegate(
        &[
            "due",
            "p.yaml",
            "deals.jsonl",
            "--at",
            "2026-11-30",
            "--lang",
            "en",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("D-1  Call (lead)"), "{out}");
    assert!(
        out.contains("! history entry 1 moves from Lead to Propose"),
        "{out}"
    );
    assert!(
        !out.contains("D-3"),
        "an archived deal has no tasks due: {out}"
    );
    let (code, out, err) = stagegate(
        &[
            "metrics",
            "p.yaml",
            "deals.jsonl",
            "--at",
            "2026-11-30",
            "--lang",
            "en",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("archived 1 (left out of the figures)"),
        "{out}"
    );
    assert!(out.contains("archived deals were in: Qualify 1"), "{out}");
    let (code, out, err) = stagegate(
        &[
            "eval",
            "p.yaml",
            "deals.jsonl",
            "--at",
            "2026-11-30",
            "--lang",
            "en",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("! archived by kang at 2026-11-20 09:00 +09:00: duplicate of D-7"),
        "{out}"
    );
}
