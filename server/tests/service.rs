//! The server (`stagegate-server`), driven over HTTP end to end: a deal
//! created, blocked and explained, updated, moved, forced; concurrent moves on one deal; stalled
//! deals; a broken playbook reload refused; an upgrade with migration; a restart that loses
//! nothing. Tokens: 401 without, with a wrong or a revoked one; roles; the server's clock; no token
//! or digest in any answer, log or database page.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service, BUNDLED};

fn criteria(blocked: &Value) -> Vec<&str> {
    blocked["move"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["criterion"].as_str())
        .collect()
}

#[test]
fn a_deal_lives_through_moves_an_upgrade_and_a_restart() {
    let dir = workspace("service");
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    assert!(
        support::store_created(&dir),
        "the database is created on first start"
    );
    let log = std::fs::read_to_string(dir.join("service.log")).unwrap();
    assert!(
        log.contains("no users yet") && log.contains("add-user <id> --role admin"),
        "the first start says how to add a user: {log}"
    );
    service.token = add_user(&dir, "ada", &["admin"], None);
    let manager = add_user(&dir, "kang", &["manager"], Some(&service.token));

    // Imported by a manager with its history, for Ada: pinned to the newest version.
    let (status, created) = service.call_as(
        &manager,
        "POST",
        "/deals?at=2026-11-27",
        Some(json!({
            "id": "ACME-1",
            "owner": "ada",
            "stage": "qualification",
            "fields": { "budget": 50000 },
            "activities": { "discovery_call": "2026-11-20" },
            "history": [
                { "at": "2026-11-01", "to": "lead_generation" },
                { "at": "2026-11-10", "from": "lead_generation", "to": "qualification" }
            ]
        })),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["deal"]["playbook"], "b2b-sales@1");
    assert_eq!(created["revision"], 1);
    assert_eq!(created["owner"], "ada", "the importer names the owner");
    // Another, in needs analysis, never edited: the one carried to version 2 below.
    let (status, other) = service.call_as(
        &manager,
        "POST",
        "/deals?at=2026-11-27",
        Some(json!({
            "id": "ACME-2",
            "owner": "ada",
            "stage": "needs_analysis",
            "history": [
                { "at": "2026-11-01", "to": "lead_generation" },
                { "at": "2026-11-10", "from": "lead_generation", "to": "qualification" },
                { "at": "2026-11-20", "from": "qualification", "to": "needs_analysis" }
            ]
        })),
    );
    assert_eq!(status, 201, "{other}");
    let (status, _) = service.call("POST", "/deals", Some(json!({ "id": "ACME-1" })));
    assert_eq!(status, 409, "an id is taken once");
    let (status, refused) = service.call(
        "POST",
        "/deals",
        Some(json!({ "id": "X", "fields": { "budgett": 1 } })),
    );
    assert_eq!(status, 422);
    assert!(
        refused["problems"][0]
            .as_str()
            .unwrap()
            .contains("did you mean `budget`?"),
        "{refused}"
    );

    // Blocked, and explained down to the criterion.
    let (status, blocked) = service.call(
        "POST",
        "/deals/ACME-1/moves?at=2026-11-27",
        Some(json!({ "to": "needs_analysis" })),
    );
    assert_eq!(status, 409);
    assert_eq!(blocked["error"], "blocked");
    assert_eq!(
        criteria(&blocked),
        ["bant_authority", "bant_need", "bant_timeline", "lead_mql"]
    );
    assert_eq!(
        blocked["move"]["blockers"][0]["fields"],
        json!(["decision_maker"])
    );

    // The facts come in; the move is made and recorded.
    let (status, updated) = service.call(
        "PATCH",
        "/deals/ACME-1?at=2026-11-27",
        Some(json!({
            "revision": 1,
            "fields": { "decision_maker": "CFO", "need": "Faster quotes", "timeline_days": 60 }
        })),
    );
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["revision"], 2);
    let (status, moved) = service.call(
        "POST",
        "/deals/ACME-1/moves?at=2026-11-27",
        Some(json!({ "to": "needs_analysis", "revision": 2 })),
    );
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["deal"]["stages"], json!(["needs_analysis"]));
    // Two imported entries, one per field set, the move.
    assert_eq!(moved["deal"]["history"].as_array().unwrap().len(), 6);
    assert_eq!(moved["logged_history"], 6);

    // Forced moves need a reason, and record it.
    let (status, refused) = service.call(
        "POST",
        "/deals/ACME-1/moves?at=2026-11-28",
        Some(json!({ "to": "closing", "force": " " })),
    );
    assert_eq!(
        (status, &refused["error"], &refused["code"]),
        (400, &json!("request"), &json!("missing-reason")),
        "a blank reason does not force a blocked move: {refused}"
    );
    assert_eq!(refused["message"], "a forced move needs a reason");

    // Two writers on one revision: one wins, the other gets a conflict, nothing is lost.
    let revision = moved["revision"].as_i64().unwrap();
    let results: Vec<(u16, Value)> = std::thread::scope(|threads| {
        let racers: Vec<_> = (0..2)
            .map(|_| {
                let service = &service;
                threads.spawn(move || {
                    service.call(
                        "POST",
                        "/deals/ACME-1/moves?at=2026-11-29",
                        Some(json!({ "to": "qualification", "revision": revision })),
                    )
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{results:?}");
    let (_, loser) = results.iter().find(|(s, _)| *s == 409).unwrap();
    assert_eq!(loser["error"], "conflict");
    assert_eq!(loser["revision"], revision + 1);
    let (_, after_race) = service.call("GET", "/deals/ACME-1?at=2026-11-30", None);
    assert_eq!(after_race["revision"], revision + 1);
    assert_eq!(
        after_race["deal"]["history"].as_array().unwrap().len(),
        7,
        "exactly one move landed"
    );
    assert_eq!(after_race["logged_history"], 7);

    // Only a sales manager may force a blocked move (the bundled playbook's `force: [manager]`):
    // the owner, an admin, is refused with every blocker.
    let (status, refused) = service.call(
        "POST",
        "/deals/ACME-1/moves?at=2026-11-30",
        Some(json!({ "to": "proposal_negotiation", "force": "CEO referral" })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["message"], "only Sales manager may force a move");
    assert_eq!(
        criteria(&refused),
        ["deal_amount_set", "fast_track"],
        "every blocker"
    );
    // A manager forces it: made and recorded with who, why and what it overrode.
    let (status, forced) = service.call_as(
        &manager,
        "POST",
        "/deals/ACME-1/moves?at=2026-11-30",
        Some(json!({ "to": "proposal_negotiation", "force": "CEO referral" })),
    );
    assert_eq!(status, 200, "{forced}");
    let entry = &forced["deal"]["history"][7];
    assert_eq!(
        (entry["forced"].clone(), entry["reason"].clone()),
        (json!(true), json!("CEO referral"))
    );
    assert_eq!(entry["by"], "kang");
    assert_eq!(
        entry["overridden"],
        json!(["deal_amount_set", "fast_track"])
    );

    // Stalled deals: needs analysis and qualification allow 30 days at most.
    let (_, none) = service.call("GET", "/deals?stalled=true&at=2026-12-01", None);
    assert_eq!(none["deals"], json!([]));
    let (_, stalled) = service.call("GET", "/deals?stalled=true&at=2027-06-01", None);
    assert_eq!(stalled["deals"][0]["id"], "ACME-1");
    assert_eq!(stalled["deals"][0]["stalled"][0]["kind"], "stalled");

    // A broken version 2 is refused with its line; version 1 keeps serving.
    let version_2 = BUNDLED
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("needs_analysis", "discovery");
    support::write_playbook(
        &dir,
        "b2b-sales-v2.yaml",
        &format!(
            "{version_2}\nmigrations:\n  - from: 1\n    stages: {{ needs_analysis: discovry }}\n"
        ),
    );
    let (status, refused) = service.call("POST", "/playbooks/reload", None);
    assert_eq!(status, 422);
    assert_eq!(refused["diagnostics"][0]["code"], "unknown-stage");
    assert!(refused["diagnostics"][0]["line"].as_u64().unwrap() > 1000);
    assert_eq!(refused["playbooks"], json!(["b2b-sales@1"]));
    let (status, _) = service.call("GET", "/deals/ACME-1", None);
    assert_eq!(status, 200);

    // Fixed: both versions serve; new deals get version 2; the old deal is carried over.
    support::write_playbook(
        &dir,
        "b2b-sales-v2.yaml",
        &format!(
            "{version_2}\nmigrations:\n  - from: 1\n    stages: {{ needs_analysis: discovery }}\n"
        ),
    );
    let (status, reloaded) = service.call("POST", "/playbooks/reload", None);
    assert_eq!(status, 200, "{reloaded}");
    assert_eq!(reloaded["playbooks"], json!(["b2b-sales@1", "b2b-sales@2"]));
    let (_, fresh) = service.call(
        "POST",
        "/deals?at=2026-12-01",
        Some(json!({ "id": "NEW-1" })),
    );
    assert_eq!(fresh["deal"]["playbook"], "b2b-sales@2");
    let (status, unnamed) = service.call(
        "POST",
        "/deals?at=2026-12-01",
        Some(json!({ "stage": "lead_generation" })),
    );
    assert_eq!(status, 201);
    assert_eq!(
        unnamed["deal"]["id"], "D-000004",
        "a deal without an id gets the next free one"
    );
    let (_, old) = service.call("GET", "/deals/ACME-1", None);
    assert_eq!(
        old["evaluation"]["playbook"], "b2b-sales@1",
        "a pinned deal keeps its version"
    );

    let (status, carried) = service.call(
        "POST",
        "/deals/ACME-2/migrate?at=2026-12-01",
        Some(json!({})),
    );
    assert_eq!(status, 200, "{carried}");
    assert_eq!(carried["deal"]["playbook"], "b2b-sales@2");
    let history = carried["deal"]["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["migrated_from"], "b2b-sales@1");
    assert_eq!(carried["deal"]["stages"], json!(["discovery"]));
    assert!(
        !carried["deal"].to_string().contains("needs_analysis"),
        "renamed everywhere in the deal"
    );
    assert_eq!(
        carried["logged_history"], 4,
        "the log keeps the entries as first recorded, plus the migration"
    );

    // A restart loses nothing.
    let before: Vec<Value> = ["ACME-1", "NEW-1"]
        .iter()
        .map(|id| {
            service
                .call("GET", &format!("/deals/{id}?at=2026-12-01"), None)
                .1
        })
        .collect();
    let token = service.token.clone();
    service.stop();
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = token;
    let after: Vec<Value> = ["ACME-1", "NEW-1"]
        .iter()
        .map(|id| {
            service
                .call("GET", &format!("/deals/{id}?at=2026-12-01"), None)
                .1
        })
        .collect();
    assert_eq!(before, after);
    service.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_edited_deal_is_carried_to_a_new_version() {
    let dir = workspace("service-edited-migration");
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = add_user(&dir, "ada", &["admin"], None);
    let (status, created) = service.call(
        "POST",
        "/deals?at=2026-11-27",
        Some(json!({ "id": "ED-1" })),
    );
    assert_eq!(status, 201, "{created}");
    let (status, edited) = service.call(
        "PATCH",
        "/deals/ED-1?at=2026-11-27",
        Some(json!({ "fields": { "budget": 50000 } })),
    );
    assert_eq!(status, 200, "{edited}");
    let version_2 = BUNDLED.replace("\nversion: 1\n", "\nversion: 2\n");
    support::write_playbook(&dir, "b2b-sales-v2.yaml", &version_2);
    let (status, reloaded) = service.call("POST", "/playbooks/reload", None);
    assert_eq!(status, 200, "{reloaded}");
    let (status, carried) =
        service.call("POST", "/deals/ED-1/migrate?at=2026-12-01", Some(json!({})));
    assert_eq!(status, 200, "{carried}");
    assert_eq!(carried["deal"]["playbook"], "b2b-sales@2");
    assert_eq!(carried["deal"]["history"][1]["edit"]["field"], "budget");
}
