//! Who acts: roles, `permissions`, a transition's `by:`, the deal's owner, forced moves only by
//! those allowed to force, and `by` in the history.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use stagegate::{Actor, Deal, Engine, Gate, Move, MoveError, Options, Playbook, Reason, Timestamp};

const GUARDED: &str = "stagegate: 1
id: guarded
version: 1
languages: [en, ko]
roles:
  rep: { title: { en: Sales rep, ko: 영업 담당자 } }
  manager: { title: { en: Sales manager, ko: 영업 관리자 } }
permissions:
  move: [owner, manager]
  force: [manager]
fields:
  budget: { type: number }
stages:
  - id: closing
    exit: [ { id: funded, when: \"budget >= 1000\" } ]
  - id: onboarding
    exit: [ { id: kicked_off, when: \"budget > 0\" } ]
  - { id: lost, outcome: lost }
transitions:
  - { from: closing, to: onboarding, by: [manager] }
  - { from: closing, to: lost }
  - { from: onboarding, to: lost }
";

fn engine(text: &str) -> Engine {
    Engine::new(Playbook::from_yaml(text, "p.yaml").unwrap())
}

fn at() -> Timestamp {
    stagegate::parse_time("2026-11-27").unwrap()
}

fn deal(budget: i64) -> Deal {
    serde_json::from_value(serde_json::json!({
        "id": "R-1", "owner": "lee", "stage": "closing", "fields": { "budget": budget }
    }))
    .unwrap()
}

fn rep(id: &str) -> Actor {
    Actor::new(id, ["rep"])
}

fn manager() -> Actor {
    Actor::new("kim", ["manager"])
}

#[test]
fn a_playbook_without_permissions_moves_as_before_and_records_the_actor_when_given() {
    let open = engine(
        "stagegate: 1\nid: open\nversion: 1\nstages: [{id: a}, {id: b}]\ntransitions: [{from: a, to: b}]\n",
    );
    let deal: Deal = serde_json::from_str(r#"{"id": "D"}"#).unwrap();
    let moved = open.apply(&deal, &Move::to("b"), at()).unwrap().deal;
    assert_eq!(moved.history[0].by, None);
    assert!(open
        .evaluate(&deal, at(), &Options::new())
        .unwrap()
        .transitions[0]
        .by
        .is_empty());
    let moved = open
        .apply(&deal, &Move::to("b").by(rep("lee")), at())
        .unwrap()
        .deal;
    assert_eq!(moved.history[0].by.as_deref(), Some("lee"));
    assert!(!open.playbook().requires_actor());
}

#[test]
fn a_move_without_an_actor_is_refused_when_the_playbook_says_who_may() {
    let guarded = engine(GUARDED);
    assert!(guarded.playbook().requires_actor());
    assert_eq!(
        guarded.apply(&deal(5000), &Move::to("lost"), at()),
        Err(MoveError::NoActor)
    );
}

#[test]
fn the_owner_and_managers_may_move_others_may_not() {
    let guarded = engine(GUARDED);
    // The owner (a rep) may exit to lost; another rep may not.
    let moved = guarded
        .apply(&deal(5000), &Move::to("lost").by(rep("lee")), at())
        .unwrap()
        .deal;
    assert_eq!(moved.history[0].by.as_deref(), Some("lee"));
    let refused = guarded.apply(&deal(5000), &Move::to("lost").by(rep("park")), at());
    let Err(MoveError::Blocked { check }) = refused else {
        panic!("{refused:?}")
    };
    let blocker = &check.blockers[0];
    assert_eq!(
        (blocker.gate, blocker.reason),
        (Gate::Permission, Reason::Forbidden)
    );
    assert_eq!(
        blocker.message.as_deref(),
        Some("only the deal's owner or Sales manager may make this move")
    );
    // A manager may, and is recorded.
    let moved = guarded
        .apply(&deal(5000), &Move::to("lost").by(manager()), at())
        .unwrap()
        .deal;
    assert_eq!(moved.history[0].by.as_deref(), Some("kim"));
}

#[test]
fn a_transitions_by_needs_its_role_even_from_the_owner() {
    let guarded = engine(GUARDED);
    let seen = guarded
        .evaluate(&deal(5000), at(), &Options::new().as_actor(&rep("lee")))
        .unwrap();
    let onboarding = seen
        .transitions
        .iter()
        .find(|t| t.to == "onboarding")
        .unwrap();
    assert!(!onboarding.allowed);
    assert_eq!(onboarding.blockers.len(), 1);
    assert_eq!(
        onboarding.blockers[0].message.as_deref(),
        Some("only Sales manager may make this move")
    );
    // In Korean, by the role's Korean title.
    let korean = Engine::new(Playbook::from_yaml(GUARDED, "p.yaml").unwrap()).with_language("ko");
    let seen = korean
        .evaluate(&deal(5000), at(), &Options::new().as_actor(&rep("lee")))
        .unwrap();
    assert_eq!(
        seen.transitions[0].blockers[0].message.as_deref(),
        Some("이 이동은 영업 관리자만 할 수 있습니다")
    );
    // Without an actor the evaluation is as before, and says who may.
    let plain = guarded
        .evaluate(&deal(5000), at(), &Options::new())
        .unwrap();
    assert!(plain.transitions[0].allowed);
    assert_eq!(plain.transitions[0].by, ["manager"]);
    assert_eq!(plain.transitions[1].by, ["owner", "manager"]);
    assert!(guarded
        .apply(&deal(5000), &Move::to("onboarding").by(manager()), at())
        .is_ok());
}

#[test]
fn only_those_allowed_to_force_may_force_and_the_bypass_is_recorded() {
    let guarded = engine(GUARDED);
    let blocked = deal(10);
    let wanted = Move::to("onboarding").forced("CEO referral");
    let refused = guarded.apply(&blocked, &wanted.clone().by(rep("lee")), at());
    let Err(MoveError::Forbidden { message, check }) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(message, "only Sales manager may force a move");
    assert!(check
        .blockers
        .iter()
        .any(|b| b.criterion.as_deref() == Some("funded")));
    let moved = guarded
        .apply(&blocked, &wanted.by(manager()), at())
        .unwrap()
        .deal;
    let entry = &moved.history[0];
    assert!(entry.forced);
    assert_eq!(entry.by.as_deref(), Some("kim"));
    assert_eq!(entry.reason.as_deref(), Some("CEO referral"));
    assert_eq!(entry.overridden, ["funded"]);
}

#[test]
fn check_names_unknown_roles_at_their_line() {
    let text = GUARDED
        .replace("force: [manager]", "force: [manger]")
        .replace("by: [manager]", "by: [finance]");
    let found = Playbook::check(&text, "p.yaml");
    let unknown: Vec<(usize, &str, Option<&str>)> = found
        .iter()
        .filter(|d| d.code == "unknown-role")
        .map(|d| (d.line, d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        unknown,
        [
            (
                10,
                "role `manger` is not declared under `roles:`",
                Some("did you mean `manager`?")
            ),
            (20, "role `finance` is not declared under `roles:`", None),
        ]
    );
    let owner = GUARDED.replace("  rep: {", "  owner: { title: { en: Owner } }\n  rep: {");
    assert!(Playbook::check(&owner, "p.yaml")
        .iter()
        .any(|d| d.code == "bad-id" && d.message.contains("built in")));
}

#[test]
fn the_command_line_acts_as_the_person_given() {
    let dir = std::env::temp_dir().join(format!("stagegate-actors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.yaml"), GUARDED).unwrap();
    std::fs::write(
        dir.join("d.yaml"),
        "id: R-1\nowner: lee\nstage: closing\nfields: { budget: 5000 }\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let output = Command::cargo_bin("stagegate")
            .unwrap()
            .current_dir(&dir)
            .args(args)
            .args(["--at", "2026-11-27", "--color", "never", "--lang", "en"])
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, _, stderr) = run(&["move", "p.yaml", "d.yaml", "--to", "onboarding"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--as <id> --role <role>"), "{stderr}");
    let (code, _, stderr) = run(&[
        "move",
        "p.yaml",
        "d.yaml",
        "--to",
        "onboarding",
        "--as",
        "lee",
        "--role",
        "rep",
    ]);
    assert_eq!(code, 3);
    assert!(
        stderr.contains("only Sales manager may make this move"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&[
        "move",
        "p.yaml",
        "d.yaml",
        "--to",
        "onboarding",
        "--as",
        "kim",
        "--role",
        "manager",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("  by: kim\n"), "{stdout}");
    let (code, stdout, _) = run(&["eval", "p.yaml", "d.yaml", "--as", "lee", "--role", "rep"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("✗ → onboarding (advance) · by manager"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
