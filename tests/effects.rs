//! What happens next: stage guidance and key fields, effects of entering and leaving stages
//! (tasks and notifications) in order for every kind of move, tasks on the deal, next steps and
//! overdue tasks; `move` printing effects, `eval` next steps, `due`, `metrics` overdue.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use stagegate::{Deal, EffectKind, Engine, Move, Options, Playbook, Timestamp, Trigger};

const FLOW: &str = "stagegate: 1
id: flow
version: 1
languages: [en, ko]
timezone: Europe/Berlin
roles:
  manager: { title: { en: Sales manager, ko: 영업 관리자 } }
  marketing: {}
fields:
  amount: { type: number }
  budget: { type: number, title: { en: Budget, ko: 예산 } }
stages:
  - id: lead
    on_exit:
      - notify: { role: marketing, message: { en: Lead left lead generation, ko: 리드가 발굴 단계를 떠났습니다 } }
  - id: qualify
    guidance: { en: Confirm the budget on the call., ko: 통화에서 예산을 확인하세요. }
    key_fields: [budget, amount]
    activities:
      - { id: call, title: { en: Discovery call, ko: 디스커버리 콜 }, required: true }
      - { id: memo, required: false }
    on_enter:
      - task: { activity: call, due_days: 2 }
      - task: { activity: memo, due_days: 3, assignee: manager }
      - notify: { role: manager, when: 'amount >= 100000', message: { en: Large deal, ko: 대형 딜 } }
    on_exit:
      - notify: { role: owner, message: { en: Left qualification, ko: 자격 검증을 떠났습니다 } }
  - id: propose
    on_enter:
      - notify: { role: manager, message: { en: Entered proposal, ko: 제안 단계 진입 } }
  - id: expand
    on_enter:
      - notify: { role: marketing, message: { en: Expansion started, ko: 확장 시작 } }
  - { id: won, outcome: won }
  - { id: lost, outcome: lost }
transitions:
  - { from: lead, to: qualify }
  - { from: lead, to: propose }
  - { from: qualify, to: propose }
  - { from: propose, to: qualify }
  - { from: propose, to: expand, fork: true }
  - { from: [propose, expand], to: won }
  - { from: [lead, qualify, propose], to: lost }
";

fn engine() -> Engine {
    Engine::new(Playbook::from_yaml(FLOW, "flow.yaml").unwrap()).with_language("en")
}

fn time(text: &str) -> Timestamp {
    stagegate::parse_time(text).unwrap()
}

fn deal(json: serde_json::Value) -> Deal {
    serde_json::from_value(json).unwrap()
}

/// (kind, trigger, stage, who) of each effect, in order.
fn summary(effects: &[stagegate::Effect]) -> Vec<(EffectKind, Trigger, String, String)> {
    effects
        .iter()
        .map(|e| {
            let who = e.assignee.clone().or(e.role.clone()).unwrap_or_default();
            (e.kind, e.on, e.stage.clone(), who)
        })
        .collect()
}

#[test]
fn an_advance_fires_the_exit_effects_of_the_stage_left_then_the_entry_effects_in_order() {
    let deal = deal(
        serde_json::json!({"id": "F-1", "owner": "yoon", "stage": "lead", "fields": {"amount": 150000}}),
    );
    // 09:00 in Berlin on the Saturday before the clocks change (2026-03-29).
    let applied = engine()
        .apply(
            &deal,
            &Move::to("qualify"),
            time("2026-03-28T09:00:00+01:00"),
        )
        .unwrap();
    use EffectKind::{Notify, Task};
    use Trigger::{Enter, Exit};
    assert_eq!(
        summary(&applied.effects),
        [
            (Notify, Exit, "lead".to_owned(), "marketing".to_owned()),
            (Task, Enter, "qualify".to_owned(), "yoon".to_owned()),
            (Task, Enter, "qualify".to_owned(), "manager".to_owned()),
            (Notify, Enter, "qualify".to_owned(), "manager".to_owned()),
        ]
    );
    // Due at the same wall-clock time two days on: 09:00 summer time (UTC+2) is 07:00 UTC.
    assert_eq!(
        applied.effects[1].due.as_deref(),
        Some("2026-03-30T07:00:00Z")
    );
    assert_eq!(
        applied.effects[1].message.as_deref(),
        Some("Discovery call")
    );
    assert_eq!(applied.effects[3].message.as_deref(), Some("Large deal"));
    assert!(applied
        .effects
        .iter()
        .all(|e| !e.forced && e.deal.as_deref() == Some("F-1")));
    // The tasks are on the deal, for the owner and for the role.
    let call = &applied.deal.tasks["call"];
    assert_eq!(
        (call.stage.as_str(), call.due.as_str()),
        ("qualify", "2026-03-30T07:00:00Z")
    );
    assert_eq!(call.assignee.as_deref(), Some("yoon"));
    assert_eq!(applied.deal.tasks["memo"].role.as_deref(), Some("manager"));
    // `apply` gives the same deal.
    let moved = engine()
        .apply(
            &deal,
            &Move::to("qualify"),
            time("2026-03-28T09:00:00+01:00"),
        )
        .unwrap()
        .deal;
    assert_eq!(moved, applied.deal);
}

#[test]
fn a_guarded_notification_is_sent_only_when_its_rule_holds() {
    let at = time("2026-11-27");
    for (amount, sent) in [
        (serde_json::json!(150000), true),
        (serde_json::json!(5000), false),
        (serde_json::Value::Null, false),
    ] {
        let mut fields = serde_json::Map::new();
        if !amount.is_null() {
            fields.insert("amount".to_owned(), amount.clone());
        }
        let deal = deal(serde_json::json!({"id": "F-2", "stage": "lead", "fields": fields}));
        let applied = engine().apply(&deal, &Move::to("qualify"), at).unwrap();
        let large = applied
            .effects
            .iter()
            .any(|e| e.message.as_deref() == Some("Large deal"));
        assert_eq!(large, sent, "amount {amount}");
        // Without an owner, the owner's task goes to the role `owner`.
        assert_eq!(applied.effects[1].role.as_deref(), Some("owner"));
    }
}

#[test]
fn skips_returns_forks_and_forced_moves_fire_effects_and_a_migration_none() {
    let at = time("2026-11-27");
    let engine = engine();
    // A skip from lead straight to propose: leaving lead, entering propose.
    let skipped = engine
        .apply(
            &deal(serde_json::json!({"stage": "lead"})),
            &Move::to("propose"),
            at,
        )
        .unwrap();
    let stages: Vec<(Trigger, &str)> = skipped
        .effects
        .iter()
        .map(|e| (e.on, e.stage.as_str()))
        .collect();
    assert_eq!(
        stages,
        [(Trigger::Exit, "lead"), (Trigger::Enter, "propose")]
    );
    // A return to qualify: its entry effects again.
    let returned = engine
        .apply(
            &deal(serde_json::json!({"owner": "yoon", "stage": "propose"})),
            &Move::to("qualify"),
            at,
        )
        .unwrap();
    assert_eq!(returned.effects[0].activity.as_deref(), Some("call"));
    // A fork keeps propose: no exit effects, the entry effects of expand.
    let forked = engine
        .apply(
            &deal(serde_json::json!({"stage": "propose"})),
            &Move::to("expand"),
            at,
        )
        .unwrap();
    assert_eq!(
        summary(&forked.effects),
        [(
            EffectKind::Notify,
            Trigger::Enter,
            "expand".to_owned(),
            "marketing".to_owned()
        )]
    );
    // A forced move past the required call fires the exit effects too, marked forced.
    let blocked = deal(serde_json::json!({"owner": "yoon", "stage": "qualify"}));
    let forced = engine
        .apply(
            &blocked,
            &Move::to("propose").forced("customer in a hurry"),
            at,
        )
        .unwrap();
    assert_eq!(forced.effects.len(), 2);
    assert!(forced.effects.iter().all(|e| e.forced));
    assert_eq!(
        forced.effects[0].assignee.as_deref(),
        Some("yoon"),
        "owner resolved"
    );
    // A migration records no move and fires nothing.
    let v1 = Playbook::from_yaml(FLOW, "v1.yaml").unwrap();
    let v2 = Playbook::from_yaml(&FLOW.replace("version: 1", "version: 2"), "v2.yaml").unwrap();
    let pinned = deal(serde_json::json!({"playbook": "flow@1", "stage": "lead"}));
    let migrated = Engine::new(v2)
        .migrate(&v1, &pinned, at, &Options::new())
        .unwrap();
    assert!(migrated.tasks.is_empty());
}

#[test]
fn doing_the_activity_closes_the_task_and_an_activity_already_done_opens_none() {
    let at = time("2026-11-27");
    let engine = engine();
    let done = deal(serde_json::json!({"stage": "lead", "activities": {"call": "2026-11-20"}}));
    let applied = engine.apply(&done, &Move::to("qualify"), at).unwrap();
    assert!(!applied.deal.tasks.contains_key("call"), "already done");
    assert!(applied.deal.tasks.contains_key("memo"));
    // The memo written later: the task no longer shows, and the next move drops it.
    let mut later = applied.deal.clone();
    later.activities.insert(
        "memo".to_owned(),
        stagegate::Completion::At("2026-11-28".to_owned()),
    );
    let evaluation = engine
        .evaluate(&later, time("2026-12-10"), &Options::new())
        .unwrap();
    assert!(
        evaluation.warnings.iter().all(|w| w.kind != "overdue"),
        "{:?}",
        evaluation.warnings
    );
    let moved = engine
        .apply(&later, &Move::to("lost"), time("2026-12-10"))
        .unwrap()
        .deal;
    assert!(moved.tasks.is_empty());
}

#[test]
fn next_steps_and_overdue_tasks_at_chosen_times() {
    let engine = engine();
    let deal = deal(
        serde_json::json!({"id": "F-3", "owner": "yoon", "stage": "lead", "fields": {"amount": 900}}),
    );
    let moved = engine
        .apply(
            &deal,
            &Move::to("qualify"),
            time("2026-11-27T10:00:00+01:00"),
        )
        .unwrap()
        .deal;
    // The next day: nothing overdue; the guidance, the empty key field, both activities.
    let soon = engine
        .evaluate(&moved, time("2026-11-28"), &Options::new())
        .unwrap();
    assert!(soon.warnings.is_empty());
    let next = &soon.next_steps[0];
    assert_eq!(next.stage, "qualify");
    assert_eq!(
        next.guidance.as_deref(),
        Some("Confirm the budget on the call.")
    );
    assert_eq!(next.key_fields, ["budget"], "amount is filled");
    let activities: Vec<(&str, Option<&str>, Option<i64>)> = next
        .activities
        .iter()
        .map(|a| (a.activity.as_str(), a.due.as_deref(), a.overdue_days))
        .collect();
    assert_eq!(
        activities,
        [
            ("call", Some("2026-11-29T09:00:00Z"), None),
            ("memo", Some("2026-11-30T09:00:00Z"), None)
        ]
    );
    // Four days on: the call is two days overdue (a part day counts), the memo one; most first.
    let late = engine
        .evaluate(&moved, time("2026-12-01T12:00:00+01:00"), &Options::new())
        .unwrap();
    let overdue: Vec<(&str, i64)> = late
        .warnings
        .iter()
        .map(|w| (w.activity.as_deref().unwrap(), w.days))
        .collect();
    assert_eq!(overdue, [("call", 3), ("memo", 2)]);
    assert_eq!(late.warnings[0].kind, "overdue");
    assert_eq!(late.next_steps[0].activities[0].overdue_days, Some(3));
    // In Korean.
    let korean = Engine::new(Playbook::from_yaml(FLOW, "flow.yaml").unwrap()).with_language("ko");
    let next = &korean
        .evaluate(&moved, time("2026-11-28"), &Options::new())
        .unwrap()
        .next_steps[0];
    assert_eq!(
        next.guidance.as_deref(),
        Some("통화에서 예산을 확인하세요.")
    );
    assert_eq!(next.activities[0].title, "디스커버리 콜");
    let applied = korean
        .apply(&deal, &Move::to("qualify"), time("2026-11-27"))
        .unwrap();
    assert_eq!(
        applied.effects[0].message.as_deref(),
        Some("리드가 발굴 단계를 떠났습니다")
    );
}

#[test]
fn check_names_bad_effects_and_key_fields_at_their_line() {
    let bad = FLOW
        .replace(
            "key_fields: [budget, amount]",
            "key_fields: [budget, amount, budgte, a, b, c]",
        )
        .replace(
            "activity: memo, due_days: 3, assignee: manager",
            "activity: mem, due_days: 3, assignee: manger",
        )
        .replace(
            "role: marketing, message: { en: Lead left",
            "role: marketting, message: { en: Lead left",
        )
        .replace("when: 'amount >= 100000'", "when: 'amount >= \"big\"'");
    let found = Playbook::check(&bad, "flow.yaml");
    let codes: Vec<(&str, usize)> = found.iter().map(|d| (d.code, d.line)).collect();
    for expected in [
        ("unknown-role", 15),
        ("key-fields", 18),
        ("unknown-field", 18),
        ("unknown-activity", 24),
        ("unknown-role", 24),
        ("rule-type", 25),
    ] {
        assert!(codes.contains(&expected), "{expected:?} in {found:#?}");
    }
    let helps: Vec<&str> = found.iter().filter_map(|d| d.help.as_deref()).collect();
    assert!(helps.contains(&"did you mean `memo`?"), "{helps:?}");
    assert!(helps.contains(&"did you mean `manager`?"), "{helps:?}");
}

fn stagegate(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::cargo_bin("stagegate")
        .unwrap()
        .current_dir(dir)
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
fn the_command_line_prints_effects_next_steps_due_tasks_and_overdue_figures() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("effects-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("flow.yaml"), FLOW).unwrap();
    std::fs::write(
        dir.join("deal.yaml"),
        "id: F-9\nowner: yoon\nstage: lead\nfields: { amount: 150000 }\n",
    )
    .unwrap();
    let (code, moved, err) = stagegate(
        &[
            "move",
            "flow.yaml",
            "deal.yaml",
            "--to",
            "qualify",
            "--at",
            "2026-11-27 10:00",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    assert!(moved.contains("tasks:"), "{moved}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with("notify: role marketing: Lead left lead generation (leaving lead)"),
        "{err}"
    );
    assert!(
        lines[1].starts_with(
            "task: Discovery call → yoon, due 2026-11-29 10:00 +01:00 (entering qualify)"
        ),
        "{err}"
    );
    assert!(lines[3].contains("Large deal"), "{err}");
    std::fs::write(dir.join("moved.yaml"), &moved).unwrap();
    let (code, out, err) = stagegate(
        &["eval", "flow.yaml", "moved.yaml", "--at", "2026-12-01"],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    let overdue = out
        .find("! overdue by 2 days: Discovery call (due 2026-11-29 10:00 +01:00)")
        .expect(&out);
    let steps = out.find("next steps qualify").expect(&out);
    assert!(overdue < steps, "{out}");
    assert!(out.contains("fill in: Budget"), "{out}");
    assert!(
        out.contains("□ Discovery call (due 2026-11-29 10:00 +01:00, 2 days overdue)"),
        "{out}"
    );
    let (code, out, _) = stagegate(
        &[
            "due",
            "flow.yaml",
            "moved.yaml",
            "--at",
            "2026-11-28",
            "--within",
            "2d",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "yoon\n  2026-11-29 10:00 +01:00  F-9  Discovery call (qualify)\n"
    );
    let (code, out, _) = stagegate(
        &[
            "due",
            "flow.yaml",
            "moved.yaml",
            "--at",
            "2026-12-01",
            "--format",
            "jsonl",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let tasks: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(tasks.len(), 2);
    assert_eq!(
        (&tasks[0]["activity"], &tasks[0]["overdue_days"]),
        (&serde_json::json!("call"), &serde_json::json!(2))
    );
    assert_eq!(tasks[1]["role"], "manager");
    let (code, out, _) = stagegate(
        &[
            "metrics",
            "flow.yaml",
            "moved.yaml",
            "--at",
            "2026-12-01",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let metrics: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(metrics["stages"]["qualify"]["overdue"], 1);
    assert_eq!(metrics["stages"]["lead"]["overdue"], 0);
    // A deal whose task names an activity the playbook lacks is refused, named.
    std::fs::write(
        dir.join("bad.yaml"),
        "id: F-8\nstage: qualify\ntasks: { cal: { stage: qualify, due: 2026-12-01 } }\n",
    )
    .unwrap();
    let (code, _, err) = stagegate(&["due", "flow.yaml", "bad.yaml"], &dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("F-8") && err.contains("tasks: unknown activity `cal` (did you mean `call`?)"),
        "{err}"
    );
}
