//! Four-eyes approvals: an approval criterion needed only when its `when` holds, given by the
//! approving role, never by the deal's owner nor by the person moving, tied to the values it was
//! given for, cleared when the deal leaves the stage; `stagegate approve`; test cases with
//! actors and approvals.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use stagegate::{
    Actor, ApproveError, Deal, Engine, Gate, Move, MoveError, Options, Playbook, Reason,
};
use stagegate::{DealProblem, Timestamp};

const APPROVING: &str = "stagegate: 1
id: approving
version: 1
languages: [en, ko]
roles:
  rep: { title: { en: Sales rep, ko: 영업 담당자 } }
  manager: { title: { en: Sales manager, ko: 영업 관리자 } }
  finance: { title: { en: Finance, ko: 재무 } }
permissions:
  move: [owner, manager]
  force: [manager]
fields:
  discount_pct: { type: number }
stages:
  - id: proposal
    exit:
      - id: discount_approved
        when: 'discount_pct > 20'
        approval: { role: finance }
  - id: closing
  - { id: won, outcome: won }
  - { id: lost, outcome: lost }
transitions:
  - { from: proposal, to: closing }
  - { from: proposal, to: won, fork: true }
  - { from: closing, to: proposal }
  - { from: closing, to: won }
  - { from: [proposal, closing], to: lost }
";

fn engine() -> Engine {
    Engine::new(Playbook::from_yaml(APPROVING, "p.yaml").unwrap()).with_language("en")
}

fn at() -> Timestamp {
    stagegate::parse_time("2026-11-27").unwrap()
}

fn deal(discount: serde_json::Value) -> Deal {
    let mut fields = serde_json::Map::new();
    if !discount.is_null() {
        fields.insert("discount_pct".to_owned(), discount);
    }
    serde_json::from_value(serde_json::json!({
        "id": "A-1", "owner": "lee", "stage": "proposal", "fields": fields
    }))
    .unwrap()
}

fn owner() -> Actor {
    Actor::new("lee", ["rep"])
}

fn finance(id: &str) -> Actor {
    Actor::new(id, ["finance"])
}

/// The blockers of the move to `to`, as `actor` sees them (or without an actor).
fn blockers(
    engine: &Engine,
    deal: &Deal,
    to: &str,
    actor: Option<&Actor>,
) -> Vec<stagegate::Blocker> {
    let evaluation = match actor {
        Some(actor) => engine
            .evaluate(deal, at(), &Options::new().as_actor(actor))
            .unwrap(),
        None => engine.evaluate(deal, at(), &Options::new()).unwrap(),
    };
    let blockers = evaluation.moves_to(to).next().unwrap().blockers.clone();
    blockers
}

#[test]
fn the_approval_is_needed_only_when_its_when_holds() {
    let engine = engine();
    assert!(blockers(&engine, &deal(15.into()), "closing", Some(&owner())).is_empty());
    let needed = blockers(&engine, &deal(25.into()), "closing", Some(&owner()));
    assert_eq!(needed.len(), 1);
    let blocker = &needed[0];
    assert_eq!(
        (blocker.gate, blocker.reason),
        (Gate::Exit, Reason::ApprovalMissing)
    );
    assert_eq!(blocker.criterion.as_deref(), Some("discount_approved"));
    assert_eq!(blocker.roles, ["finance"]);
    assert_eq!(
        blocker.message.as_deref(),
        Some("needs approval by Finance")
    );
    assert_eq!(blocker.values["discount_pct"], 25);
    // Not knowing the discount, the approval may be needed: the missing field is named.
    let unknown = blockers(&engine, &deal(serde_json::Value::Null), "closing", None);
    assert_eq!(unknown[0].reason, Reason::ApprovalMissing);
    assert_eq!(unknown[0].fields, ["discount_pct"]);
    // In Korean, with the role's Korean title.
    let korean = Engine::new(Playbook::from_yaml(APPROVING, "p.yaml").unwrap()).with_language("ko");
    let blocker = &blockers(&korean, &deal(25.into()), "closing", None)[0];
    assert_eq!(blocker.message.as_deref(), Some("재무의 승인이 필요합니다"));
}

#[test]
fn four_eyes_the_owner_may_not_approve_and_the_approver_may_not_move() {
    let engine = engine();
    let deal = deal(25.into());
    // The owner, even holding the approving role, is refused.
    let own = engine.approve(
        &deal,
        "discount_approved",
        &Actor::new("lee", ["finance", "rep"]),
        at(),
    );
    assert!(
        matches!(own, Err(ApproveError::OwnDeal { ref by, .. }) if by == "lee"),
        "{own:?}"
    );
    // Someone without the role is refused, the role named by its title.
    let rep = engine.approve(
        &deal,
        "discount_approved",
        &Actor::new("choi", ["rep"]),
        at(),
    );
    assert_eq!(
        rep.unwrap_err().to_string(),
        "only Finance may approve `discount_approved`"
    );
    // A finance approver who is also a manager approves, then tries to make the move themselves.
    let both = Actor::new("park", ["finance", "manager"]);
    let approved = engine
        .approve(&deal, "discount_approved", &both, at())
        .unwrap();
    let seen = blockers(&engine, &approved, "closing", Some(&both));
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].reason, Reason::ApprovalMissing);
    assert_eq!(
        seen[0].message.as_deref(),
        Some("approved by park, who is making the move: needs approval by someone else with the role Finance")
    );
    assert!(matches!(
        engine.apply(&approved, &Move::to("closing").by(both), at()),
        Err(MoveError::Blocked { .. })
    ));
    // The owner moves it.
    let moved = engine
        .apply(&approved, &Move::to("closing").by(owner()), at())
        .unwrap()
        .deal;
    assert_eq!(moved.stages, ["closing"]);
    // An owner's approval written into the deal by hand does not count either.
    let mut forged = deal.clone();
    forged.approvals.insert(
        "discount_approved".to_owned(),
        stagegate::Approval::new("lee", "2026-11-27T00:00:00Z", None, Default::default()),
    );
    let seen = blockers(&engine, &forged, "closing", None);
    assert!(seen[0]
        .message
        .as_deref()
        .unwrap()
        .starts_with("approved by the deal's owner (lee)"));
}

#[test]
fn an_approval_is_recorded_in_the_deal_and_its_history() {
    let engine = engine();
    let approved = engine
        .approve(
            &deal(25.into()),
            "discount_approved",
            &finance("park"),
            stagegate::parse_time("2026-11-27T09:30:00+09:00").unwrap(),
        )
        .unwrap();
    let approval = &approved.approvals["discount_approved"];
    assert_eq!(approval.by, "park");
    assert_eq!(approval.at, "2026-11-27T00:30:00Z");
    assert_eq!(approval.role.as_deref(), Some("finance"));
    assert_eq!(approval.values.as_ref().unwrap()["discount_pct"], 25);
    let entry = approved.history.last().unwrap();
    assert_eq!(entry.approved.as_deref(), Some("discount_approved"));
    assert_eq!(entry.by.as_deref(), Some("park"));
    assert!(entry.to.is_empty() && entry.from.is_none() && !entry.forced);
    let json = serde_json::to_value(entry).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"at": "2026-11-27T00:30:00Z", "by": "park", "approved": "discount_approved"})
    );
    // The same approval twice is refused while the first counts.
    let later = stagegate::parse_time("2026-11-28").unwrap();
    let again = engine.approve(&approved, "discount_approved", &finance("jung"), later);
    assert!(matches!(again, Err(ApproveError::AlreadyApproved { ref by, .. }) if by == "park"));
    // The approved deal reads back and evaluates: the approval entry is no move.
    let text = serde_json::to_string(&approved).unwrap();
    let back: Deal = serde_json::from_str(&text).unwrap();
    assert!(blockers(&engine, &back, "closing", Some(&owner())).is_empty());
}

#[test]
fn an_approval_holds_only_for_the_values_it_was_given_for() {
    let engine = engine();
    let approved = engine
        .approve(
            &deal(25.into()),
            "discount_approved",
            &finance("park"),
            at(),
        )
        .unwrap();
    // Written as 25.0 it is the same number.
    let mut same = approved.clone();
    same.fields
        .insert("discount_pct".to_owned(), serde_json::json!(25.0));
    assert!(blockers(&engine, &same, "closing", Some(&owner())).is_empty());
    // Raised after the approval: the approval no longer counts, and says why.
    let mut raised = approved.clone();
    raised
        .fields
        .insert("discount_pct".to_owned(), serde_json::json!(40));
    let seen = blockers(&engine, &raised, "closing", Some(&owner()));
    assert_eq!(seen[0].reason, Reason::ApprovalMissing);
    assert_eq!(
        seen[0].message.as_deref(),
        Some("approved when discount_pct was 25; it is now 40: needs approval by Finance again")
    );
    // Then it may be approved again, for the new value.
    let again = engine
        .approve(&raised, "discount_approved", &finance("jung"), at())
        .unwrap();
    assert_eq!(again.approvals["discount_approved"].by, "jung");
    assert!(blockers(&engine, &again, "closing", Some(&owner())).is_empty());
}

#[test]
fn leaving_the_stage_clears_the_approval_and_coming_back_needs_a_new_one() {
    let engine = engine();
    let approved = engine
        .approve(
            &deal(25.into()),
            "discount_approved",
            &finance("park"),
            at(),
        )
        .unwrap();
    // A fork keeps the stage active: the approval stays.
    let forked = engine
        .apply(&approved, &Move::to("won").by(owner()), at())
        .unwrap()
        .deal;
    assert!(forked.approvals.contains_key("discount_approved"));
    let moved = engine
        .apply(&approved, &Move::to("closing").by(owner()), at())
        .unwrap()
        .deal;
    assert!(moved.approvals.is_empty());
    assert!(moved
        .history
        .iter()
        .any(|e| e.approved.as_deref() == Some("discount_approved")));
    let back = engine
        .apply(&moved, &Move::to("proposal").by(owner()), at())
        .unwrap()
        .deal;
    let seen = blockers(&engine, &back, "closing", Some(&owner()));
    assert_eq!(
        seen[0].message.as_deref(),
        Some("needs approval by Finance")
    );
    // Not in the stage that asks for it: refused, naming both.
    let refused = engine.approve(&moved, "discount_approved", &finance("park"), at());
    assert_eq!(
        refused.unwrap_err().to_string(),
        "`discount_approved` is asked for in `proposal`, and the deal is in `closing`: it can be approved only there"
    );
}

#[test]
fn a_forced_move_never_goes_past_a_missing_approval_not_even_a_manager_s() {
    let engine = engine();
    let deal = deal(30.into());
    let by_rep = engine.apply(
        &deal,
        &Move::to("closing").by(owner()).forced("customer deadline"),
        at(),
    );
    assert!(
        matches!(by_rep, Err(MoveError::Forbidden { .. })),
        "{by_rep:?}"
    );
    let kim = Actor::new("kim", ["manager"]);
    let forced = engine.apply(
        &deal,
        &Move::to("closing").by(kim).forced("customer deadline"),
        at(),
    );
    let Err(MoveError::ApprovalNotForceable {
        approvals, check, ..
    }) = forced
    else {
        panic!("{forced:?}");
    };
    assert_eq!(approvals, ["discount_approved"]);
    assert!(check
        .blockers
        .iter()
        .any(|b| b.criterion.as_deref() == Some("discount_approved")));
}

#[test]
fn deals_naming_unknown_approvals_or_history_entries_without_a_stage_are_refused() {
    let engine = engine();
    let mut wrong = deal(25.into());
    wrong.approvals.insert(
        "discount_aproved".to_owned(),
        stagegate::Approval::new("park", "2026-11-27", None, Default::default()),
    );
    let error = engine.evaluate(&wrong, at(), &Options::new()).unwrap_err();
    assert!(
        matches!(
            &error.problems[0],
            DealProblem::UnknownApproval { criterion, help: Some(help) } if criterion == "discount_aproved" && help.contains("discount_approved")
        ),
        "{error}"
    );
    let blank: Deal =
        serde_json::from_str(r#"{"id": "A-2", "history": [{"at": "2026-11-01"}]}"#).unwrap();
    let error = engine.evaluate(&blank, at(), &Options::new()).unwrap_err();
    assert_eq!(error.problems, [DealProblem::NoStage(0)]);
    assert!(error.to_string().contains("an entry needs `to`"), "{error}");
    let unknown = engine.approve(&deal(25.into()), "discount", &finance("park"), at());
    assert!(matches!(
        unknown,
        Err(ApproveError::UnknownCriterion { .. })
    ));
}

#[test]
fn metrics_do_not_count_an_approval_as_a_move() {
    let dir = tempdir();
    let playbook = dir.join("p.yaml");
    std::fs::write(&playbook, APPROVING).unwrap();
    let approved = engine()
        .approve(
            &deal(25.into()),
            "discount_approved",
            &finance("park"),
            at(),
        )
        .unwrap();
    let mut approved = approved;
    approved.history.insert(
        0,
        serde_json::from_str(r#"{"at": "2026-11-01", "to": "proposal"}"#).unwrap(),
    );
    let deals = dir.join("deals.jsonl");
    std::fs::write(&deals, serde_json::to_string(&approved).unwrap() + "\n").unwrap();
    let out = Command::cargo_bin("stagegate")
        .unwrap()
        .args([
            "metrics",
            playbook.to_str().unwrap(),
            deals.to_str().unwrap(),
            "--format",
            "json",
            "--at",
            "2026-11-28",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metrics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = metrics.to_string();
    assert_eq!(metrics["anomalous"], 0, "{text}");
    assert_eq!(metrics["open"], 1, "{text}");
    assert_eq!(metrics["stages"]["proposal"]["entered"], 1, "{text}");
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("approvals-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stagegate(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("stagegate")
        .unwrap()
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
fn the_command_line_approves_in_place_with_four_eyes() {
    let dir = tempdir().join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    let playbook = dir.join("p.yaml");
    std::fs::write(&playbook, APPROVING).unwrap();
    let deals = dir.join("deals.jsonl");
    let other = r#"{"id":"A-0","owner":"choi","stage":"proposal"}"#;
    std::fs::write(
        &deals,
        format!(
            "{other}\n{}\n",
            serde_json::to_string(&deal(25.into())).unwrap()
        ),
    )
    .unwrap();
    let (p, d) = (playbook.to_str().unwrap(), deals.to_str().unwrap());
    let approve = |who: &str, role: &str| {
        stagegate(&[
            "approve",
            p,
            d,
            "--deal",
            "A-1",
            "--criterion",
            "discount_approved",
            "--as",
            who,
            "--role",
            role,
            "--in-place",
            "--at",
            "2026-11-27",
        ])
    };
    let (code, _, err) = approve("lee", "finance");
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("lee owns the deal and may not approve it (four eyes)"),
        "{err}"
    );
    let (code, _, err) = approve("choi", "rep");
    assert_eq!(code, 3);
    assert!(
        err.contains("only Finance may approve `discount_approved`"),
        "{err}"
    );
    let before = std::fs::read_to_string(&deals).unwrap();
    let (code, _, err) = approve("park", "finance");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("approved: `discount_approved` on deal `A-1` by park"),
        "{err}"
    );
    let after = std::fs::read_to_string(&deals).unwrap();
    assert_ne!(before, after);
    assert!(
        after.starts_with(&format!("{other}\n")),
        "the other deal is kept byte for byte"
    );
    // The owner's move is now allowed; the approver's own move as manager is not.
    let (code, out, err) = stagegate(&[
        "move",
        p,
        d,
        "--deal",
        "A-1",
        "--to",
        "closing",
        "--as",
        "lee",
        "--role",
        "rep",
        "--at",
        "2026-11-28",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let moved: Deal = serde_json::from_str(&out).unwrap();
    assert!(moved.approvals.is_empty());
    let (code, _, err) = stagegate(&[
        "move",
        p,
        d,
        "--deal",
        "A-1",
        "--to",
        "closing",
        "--as",
        "park",
        "--role",
        "manager",
        "--at",
        "2026-11-28",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("who is making the move"), "{err}");
    // A typo in the criterion gets the likely intended one.
    let (code, _, err) = stagegate(&[
        "approve",
        p,
        d,
        "--deal",
        "A-1",
        "--criterion",
        "discount_aproved",
        "--as",
        "park",
        "--role",
        "finance",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `discount_approved`"), "{err}");
}

#[test]
fn test_cases_give_actors_and_approvals() {
    let dir = tempdir().join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    let playbook = dir.join("p.yaml");
    std::fs::write(&playbook, APPROVING).unwrap();
    let cases = dir.join("cases.yaml");
    std::fs::write(
        &cases,
        "- name: finance approves, the owner moves
  at: 2026-11-27
  deal: { id: T1, owner: lee, stage: proposal, fields: { discount_pct: 30 } }
  approve: [ { criterion: discount_approved, by: { id: park, roles: [finance] } } ]
  actor: { id: lee, roles: [rep] }
  move: closing
  expect: { stages: [closing] }
- name: the owner may not approve
  at: 2026-11-27
  deal: { id: T2, owner: lee, stage: proposal, fields: { discount_pct: 30 } }
  approve: [ { criterion: discount_approved, by: { id: lee, roles: [finance] }, refused: true } ]
  actor: { id: lee, roles: [rep] }
  expect: { blocked: { closing: [discount_approved] } }
- name: another rep may not move the deal
  at: 2026-11-27
  deal: { id: T3, owner: lee, stage: closing }
  actor: { id: choi, roles: [rep] }
  expect: { blocked: { won: [permission] } }
- name: a rep may not force (this case is wrong on purpose)
  at: 2026-11-27
  deal: { id: T4, owner: lee, stage: closing }
  actor: { id: choi, roles: [rep] }
  expect: { allowed: [won] }
",
    )
    .unwrap();
    let (code, out, err) =
        stagegate(&["test", playbook.to_str().unwrap(), cases.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("3 passed, 1 failed"), "{out}");
    assert!(
        out.contains("a rep may not force (this case is wrong on purpose)"),
        "{out}"
    );
    assert!(out.contains("blocked by `permission`"), "{out}");
}

/// The approval steps of a test case, each refused for the reason it names (or any), run with
/// the playbook's own cases: the failures of each case, by name.
fn run_approval_cases(cases: &str) -> Vec<(String, Vec<String>)> {
    let playbook = Playbook::from_yaml(APPROVING, "p.yaml").unwrap();
    let cases = stagegate::testing::read_cases(cases, "cases.yaml").unwrap();
    let cases: Vec<_> = cases
        .into_iter()
        .map(|c| ("cases.yaml".to_owned(), c))
        .collect();
    let report = Engine::new(playbook)
        .with_language("en")
        .run_tests(&cases, at());
    report
        .cases
        .into_iter()
        .map(|c| (c.name, c.failures))
        .collect()
}

#[test]
fn an_approval_step_names_the_refusal_it_expects_as_the_contract_names_its_error() {
    let one = |by: &str, refused: &str| {
        format!("{{ criterion: discount_approved, by: {{ id: {by}, roles: [finance] }}, refused: {refused} }}")
    };
    let step = |by: &str, refused: &str| format!("[ {} ]", one(by, refused));
    let given = one("park", "false");
    let cases = format!(
        "- {{ name: the owner is forbidden, deal: {{ owner: lee, stage: proposal, fields: {{ discount_pct: 30 }} }}, approve: {} }}
- {{ name: a second approval is refused, deal: {{ owner: lee, stage: proposal, fields: {{ discount_pct: 30 }} }}, approve: [ {given}, {} ] }}
- {{ name: any refusal, deal: {{ owner: lee, stage: proposal, fields: {{ discount_pct: 30 }} }}, approve: {} }}
- {{ name: the owner is not refused for being late, deal: {{ owner: lee, stage: proposal, fields: {{ discount_pct: 30 }} }}, approve: {} }}
- {{ name: a forbidden approval that is given, deal: {{ owner: lee, stage: proposal, fields: {{ discount_pct: 30 }} }}, approve: {} }}
",
        step("lee", "forbidden"),
        one("choi", "refused"),
        step("lee", "true"),
        step("lee", "refused"),
        step("park", "forbidden"),
    );
    let results = run_approval_cases(&cases);
    let failures = |name: &str| {
        results
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.join("; "))
            .unwrap()
    };
    assert_eq!(failures("the owner is forbidden"), "");
    assert_eq!(failures("a second approval is refused"), "");
    assert_eq!(failures("any refusal"), "");
    let other = failures("the owner is not refused for being late");
    assert!(
        other.starts_with("expected the approval of `discount_approved` by lee to be refused as `refused`, got it refused as `forbidden`: "),
        "{other}"
    );
    assert_eq!(
        failures("a forbidden approval that is given"),
        "expected the approval of `discount_approved` by park to be refused as `forbidden`, got it given"
    );

    // The names are the contract's error kinds for the same refusals.
    let contract = stagegate::contract::Contract::load(APPROVING, "p.yaml", Some("en")).unwrap();
    let request = |by: &str, deal: &Deal| {
        serde_json::json!({ "deal": deal, "criterion": "discount_approved",
            "actor": { "id": by, "roles": ["finance"] }, "at": "2026-11-27" })
        .to_string()
    };
    let kind = |answer: Result<String, String>| {
        let error: serde_json::Value = serde_json::from_str(&answer.unwrap_err()).unwrap();
        error["error"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        kind(contract.approve(&request("lee", &deal(30.into())))),
        "forbidden"
    );
    let approved = engine()
        .approve(
            &deal(30.into()),
            "discount_approved",
            &finance("park"),
            at(),
        )
        .unwrap();
    assert_eq!(
        kind(contract.approve(&request("choi", &approved))),
        "refused"
    );

    // Any other name is refused where it is written, in a case file and in a playbook.
    let wrong = format!(
        "- {{ name: blocked, deal: {{ owner: lee, stage: proposal }}, approve: {} }}\n",
        step("lee", "blocked")
    );
    let error = stagegate::testing::read_cases(&wrong, "cases.yaml").unwrap_err();
    let message = &error.diagnostics[0].message;
    assert!(
        message.contains(
            "unknown value `blocked` of `refused`, expected `true`, `forbidden` or `refused`"
        ),
        "{message}"
    );
    let embedded = format!("{APPROVING}tests:\n{}", wrong.replace("- {", "  - {"));
    let found = Playbook::check(&embedded, "p.yaml");
    let unknown = found.iter().find(|d| d.code == "unknown-value").unwrap();
    assert_eq!(unknown.line, APPROVING.lines().count() + 2, "{found:#?}");
    assert!(
        unknown.message.contains("`forbidden` or `refused`"),
        "{found:#?}"
    );
}

#[test]
fn a_migration_keeps_the_approvals_the_new_version_still_asks_for_and_records_who_migrated() {
    let v1 = Playbook::from_yaml(APPROVING, "v1.yaml").unwrap();
    let keeps =
        Playbook::from_yaml(&APPROVING.replace("version: 1", "version: 2"), "v2.yaml").unwrap();
    let renames = Playbook::from_yaml(
        &APPROVING
            .replace("version: 1", "version: 3")
            .replace("id: discount_approved", "id: discount_ok"),
        "v3.yaml",
    )
    .unwrap();
    let mut deal = deal(25.into());
    deal.playbook = Some("approving@1".to_owned());
    let approved = Engine::new(v1)
        .approve(&deal, "discount_approved", &finance("park"), at())
        .unwrap();
    let v1 = Playbook::from_yaml(APPROVING, "v1.yaml").unwrap();
    let ops = Actor::new("ops", ["manager"]);
    let kept = Engine::new(keeps)
        .migrate(&v1, &approved, at(), &Options::new().as_actor(&ops))
        .unwrap();
    assert_eq!(kept.approvals["discount_approved"].by, "park");
    assert_eq!(kept.history.last().unwrap().by.as_deref(), Some("ops"));
    // A renamed field: the approval's values follow it, and the approval still counts.
    let renamed_field = Playbook::from_yaml(
        &format!(
            "{}migrations: [ {{ from: 1, fields: {{ discount_pct: discount }} }} ]\n",
            APPROVING
                .replace("version: 1", "version: 4")
                .replace("discount_pct", "discount")
        ),
        "v4.yaml",
    )
    .unwrap();
    let v4 = Engine::new(renamed_field).with_language("en");
    let carried = v4.migrate(&v1, &approved, at(), &Options::new()).unwrap();
    assert_eq!(
        carried.approvals["discount_approved"]
            .values
            .as_ref()
            .unwrap()["discount"],
        25
    );
    let seen = v4
        .evaluate(&carried, at(), &Options::new().as_actor(&owner()))
        .unwrap();
    assert!(
        seen.moves_to("closing").next().unwrap().allowed,
        "{:?}",
        seen.transitions
    );
    let lapsed = Engine::new(renames)
        .migrate(&v1, &approved, at(), &Options::new())
        .unwrap();
    assert!(
        lapsed.approvals.is_empty(),
        "an approval of a gate v3 lacks lapses"
    );
    assert!(lapsed
        .history
        .iter()
        .any(|e| e.approved.as_deref() == Some("discount_approved")));
    assert_eq!(lapsed.history.last().unwrap().by, None);
}

#[test]
fn nobody_opens_a_gate_by_writing_the_deal_or_naming_a_role() {
    let engine = engine();
    // `owner` comes from the deal's `owner:` only: naming it among one's roles grants nothing.
    let impostor = Actor::new("bob", ["owner"]);
    let seen = blockers(&engine, &deal(15.into()), "closing", Some(&impostor));
    assert_eq!(seen[0].reason, Reason::Forbidden, "{seen:?}");
    // A hand-written approval as another role, or without the values it was given for, does not
    // count; nor one by a blank id.
    let hand = |role: Option<&str>, values: bool, by: &str| {
        let mut d = deal(30.into());
        let mut approval = stagegate::Approval::new(
            by,
            "2026-11-20T00:00:00Z",
            role.map(str::to_owned),
            [("discount_pct".to_owned(), serde_json::json!(30))]
                .into_iter()
                .collect(),
        );
        if !values {
            approval.values = None;
        }
        d.approvals.insert("discount_approved".to_owned(), approval);
        blockers(&engine, &d, "closing", Some(&owner()))
    };
    assert!(
        hand(Some("finance"), true, "park").is_empty(),
        "a proper one counts"
    );
    assert_eq!(
        hand(Some("rep"), true, "park")[0].message.as_deref(),
        Some("approved by park as `rep`: needs approval by Finance")
    );
    assert_eq!(
        hand(Some("finance"), false, "park")[0].message.as_deref(),
        Some(
            "approved by park without the values it was given for: needs approval by Finance again"
        )
    );
    assert_eq!(
        hand(Some("finance"), true, " ")[0].reason,
        Reason::ApprovalMissing
    );
    // Values the rule does not read are not compared; a text is not a number.
    let mut extra = deal(30.into());
    extra.approvals.insert(
        "discount_approved".to_owned(),
        stagegate::Approval::new(
            "park",
            "2026-11-20",
            Some("finance".to_owned()),
            [
                ("discount_pct".to_owned(), serde_json::json!("30")),
                ("seats".to_owned(), serde_json::json!(99)),
            ]
            .into_iter()
            .collect(),
        ),
    );
    assert_eq!(
        blockers(&engine, &extra, "closing", Some(&owner()))[0]
            .message
            .as_deref(),
        Some(
            "approved when discount_pct was \"30\"; it is now 30: needs approval by Finance again"
        )
    );
    // An approval for a stage the deal is not in is refused with the deal.
    let mut elsewhere = deal(30.into());
    elsewhere.stages = vec!["closing".to_owned()];
    elsewhere.approvals.insert(
        "discount_approved".to_owned(),
        stagegate::Approval::new("park", "2026-11-20", None, Default::default()),
    );
    let error = engine
        .evaluate(&elsewhere, at(), &Options::new())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`discount_approved` is asked for in `proposal`, and the deal is not there"),
        "{error}"
    );
    // A history entry that is both a move and an approval is refused.
    let both: Deal = serde_json::from_str(
        r#"{"id": "A-3", "history": [{"at": "2026-11-01", "to": "proposal", "approved": "discount_approved"}]}"#,
    )
    .unwrap();
    assert_eq!(
        engine
            .evaluate(&both, at(), &Options::new())
            .unwrap_err()
            .problems,
        [DealProblem::MoveAndApproval(0)]
    );
    // A move or an approval dated before the last history entry is refused.
    let moved = engine
        .apply(
            &deal(15.into()),
            &Move::to("closing").by(owner()),
            stagegate::parse_time("2026-11-28").unwrap(),
        )
        .unwrap()
        .deal;
    let back = engine.apply(&moved, &Move::to("proposal").by(owner()), at());
    assert!(
        matches!(back, Err(MoveError::BeforeHistory { .. })),
        "{back:?}"
    );
    // A blank actor names nobody.
    let blank = engine.apply(
        &deal(15.into()),
        &Move::to("closing").by(Actor::new(" ", ["manager"])),
        at(),
    );
    assert_eq!(blank, Err(MoveError::NoActor));
}

#[test]
fn a_playbook_with_approvals_needs_an_actor_for_every_move() {
    let open = Playbook::from_yaml(
        &APPROVING.replace(
            "permissions:\n  move: [owner, manager]\n  force: [manager]\n",
            "",
        ),
        "p.yaml",
    )
    .unwrap();
    assert!(
        open.permissions().moves.is_none(),
        "no permissions in this one"
    );
    assert!(
        open.requires_actor(),
        "the approver may not be the mover: moves say who makes them"
    );
    let engine = Engine::new(open);
    assert_eq!(
        engine.apply(&deal(15.into()), &Move::to("closing"), at()),
        Err(MoveError::NoActor)
    );
}

#[test]
fn the_command_line_refuses_roles_the_playbook_does_not_have() {
    let dir = tempdir().join("roles");
    std::fs::create_dir_all(&dir).unwrap();
    let playbook = dir.join("p.yaml");
    std::fs::write(&playbook, APPROVING).unwrap();
    let deals = dir.join("d.json");
    std::fs::write(&deals, serde_json::to_string(&deal(15.into())).unwrap()).unwrap();
    let (p, d) = (playbook.to_str().unwrap(), deals.to_str().unwrap());
    for (role, says) in [
        ("owner", "`owner` is not a role one holds"),
        (
            "manger",
            "role `manger` is not declared in the playbook (did you mean `manager`?)",
        ),
        (
            "rep,manager",
            "names several roles: give each on its own (repeat --role)",
        ),
    ] {
        let (code, _, err) =
            stagegate(&["move", p, d, "--to", "lost", "--as", "bob", "--role", role]);
        assert_eq!(code, 2, "{role}: {err}");
        assert!(err.contains(says), "{role}: {err}");
        let (code, _, err) = stagegate(&[
            "approve",
            p,
            d,
            "--criterion",
            "discount_approved",
            "--as",
            "bob",
            "--role",
            role,
        ]);
        assert_eq!(code, 2, "{role}: {err}");
        assert!(err.contains(says), "{role}: {err}");
    }
}
