//! The server decides moves, forces and approvals by the playbook's permissions, with
//! the authenticated user as the actor, over HTTP: a rep moving another rep's deal refused (403
//! with every blocker and the roles that may), the owner's move recorded with `by`, a body naming
//! an actor refused, an owner's approval refused (four eyes), Finance approving and the owner
//! then moving, the audit log naming who changed what.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service, BUNDLED};

/// The bundled playbook, with moves kept to the deal's owner and managers.
fn guarded() -> String {
    BUNDLED.replace(
        "permissions:\n  force: [manager]\n",
        "permissions:\n  move: [owner, manager]\n  force: [manager]\n",
    )
}

fn reasons(answer: &Value) -> Vec<(String, String)> {
    answer["move"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["reason"].as_str().unwrap().to_owned(),
                b["criterion"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_playbook_decides_who_moves_forces_and_approves() {
    let dir = workspace("service-actors");
    let playbook = guarded();
    assert!(
        playbook.contains("move: [owner, manager]"),
        "the test's playbook is guarded"
    );
    std::fs::write(dir.join("playbooks/b2b-sales.yaml"), playbook).unwrap();
    let mut service = Service::start(&dir, &[]);
    let admin = add_user(&dir, "ada", &["admin"], None);
    service.token = admin.clone();
    let rita = add_user(&dir, "rita", &["rep"], Some(&admin));
    let rob = add_user(&dir, "rob", &["rep"], Some(&admin));
    let fiona = add_user(&dir, "fiona", &["finance"], Some(&admin));
    let felix = add_user(&dir, "felix", &["finance", "rep"], Some(&admin));
    let kim = add_user(&dir, "kim", &["manager"], Some(&admin));

    // A deal with a 30% discount in proposal & negotiation: imported by a manager, for Rita.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/deals/11-discount-approval.yaml"),
    )
    .unwrap();
    let mut deal: Value = serde_yaml::from_str(&text).unwrap();
    deal["owner"] = json!("rita");
    deal.as_object_mut().unwrap().remove("history");
    deal["id"] = json!("DISC-1");
    let (status, refused) = service.call_as(&rita, "POST", "/deals", Some(deal.clone()));
    assert_eq!(status, 403, "a rep does not import: {refused}");
    let (status, created) = service.call_as(&kim, "POST", "/deals", Some(deal));
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["deal"]["owner"], "rita");

    // Rob, another rep, may not move Rita's deal: 403 with every blocker and who may.
    let (status, refused) = service.call_as(
        &rob,
        "POST",
        "/deals/DISC-1/moves",
        Some(json!({ "to": "lost" })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["error"], "forbidden");
    assert_eq!(
        reasons(&refused),
        [("forbidden".to_owned(), "permission".to_owned())]
    );
    assert_eq!(refused["by"], json!(["owner", "manager"]));
    assert_eq!(
        refused["move"]["blockers"][0]["message"],
        "only the deal's owner or Sales manager may make this move"
    );
    // Rob sees the moves as he may make them.
    let (_, seen) = service.call_as(&rob, "GET", "/deals/DISC-1", None);
    let lost = seen["evaluation"]["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["to"] == "lost")
        .unwrap();
    assert_eq!(lost["allowed"], false);

    // Nobody names the actor in a body.
    let (status, refused) = service.call_as(
        &rob,
        "POST",
        "/deals/DISC-1/moves",
        Some(json!({ "to": "closing", "by": "rita" })),
    );
    assert_eq!(status, 400, "{refused}");
    let (status, _) = service.call_as(
        &rob,
        "POST",
        "/deals/DISC-1/moves",
        Some(json!({ "to": "closing", "actor": { "id": "rita", "roles": ["manager"] } })),
    );
    assert_eq!(status, 400);

    // Rita's own move to closing waits for Finance's approval of the discount.
    let (status, blocked) = service.call_as(
        &rita,
        "POST",
        "/deals/DISC-1/moves",
        Some(json!({ "to": "closing" })),
    );
    assert_eq!(status, 409, "{blocked}");
    assert_eq!(
        reasons(&blocked),
        [(
            "approval_missing".to_owned(),
            "discount_approved".to_owned()
        )]
    );
    assert_eq!(blocked["move"]["blockers"][0]["roles"], json!(["finance"]));

    // Approvals: a rep without the role and the owner are refused; Finance approves.
    let approve = json!({ "criterion": "discount_approved" });
    let (status, refused) = service.call_as(
        &rob,
        "POST",
        "/deals/DISC-1/approvals",
        Some(approve.clone()),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refused["message"],
        "only Finance may approve `discount_approved`"
    );
    // Felix holds Finance, but the deal is given to him: the owner may not approve.
    let (status, _) = service.call_as(
        &admin,
        "PATCH",
        "/deals/DISC-1",
        Some(json!({ "owner": "felix" })),
    );
    assert_eq!(status, 403, "only the owner or a manager changes the owner");
    let (status, patched) = service.call_as(
        &kim,
        "PATCH",
        "/deals/DISC-1",
        Some(json!({ "owner": "felix" })),
    );
    assert_eq!(status, 200, "{patched}");
    let (status, refused) = service.call_as(
        &felix,
        "POST",
        "/deals/DISC-1/approvals",
        Some(approve.clone()),
    );
    assert_eq!(status, 403, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("four eyes"),
        "{refused}"
    );
    let (status, _) = service.call_as(
        &kim,
        "PATCH",
        "/deals/DISC-1",
        Some(json!({ "owner": "rita" })),
    );
    assert_eq!(status, 200);
    let (status, approved) = service.call_as(
        &fiona,
        "POST",
        "/deals/DISC-1/approvals",
        Some(approve.clone()),
    );
    assert_eq!(status, 200, "{approved}");
    assert_eq!(
        approved["deal"]["approvals"]["discount_approved"]["by"],
        "fiona"
    );
    let (status, again) = service.call_as(&felix, "POST", "/deals/DISC-1/approvals", Some(approve));
    assert_eq!(status, 409, "already approved: {again}");

    // Then the owner moves it; the history says who did what.
    let (status, moved) = service.call_as(
        &rita,
        "POST",
        "/deals/DISC-1/moves",
        Some(json!({ "to": "closing" })),
    );
    assert_eq!(status, 200, "{moved}");
    let history = moved["deal"]["history"].as_array().unwrap();
    let last_two: Vec<(Value, Value)> = history[history.len() - 2..]
        .iter()
        .map(|e| {
            (
                e["by"].clone(),
                e.get("approved").or(e.get("to")).cloned().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        last_two,
        [
            (json!("fiona"), json!("discount_approved")),
            (json!("rita"), json!("closing"))
        ]
    );
    assert!(
        moved["deal"].get("approvals").is_none(),
        "cleared on leaving the stage"
    );

    // The audit log: one row per change, with the authenticated user.
    let (status, audit) = service.call_as(&kim, "GET", "/deals/DISC-1/audit", None);
    assert_eq!(status, 200);
    let rows: Vec<(Value, Value)> = audit["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let kinds = ["created", "edited", "approved", "moved", "migrated"];
            let kind = kinds
                .iter()
                .find(|k| r["change"].get(**k).is_some())
                .unwrap();
            (r["actor"].clone(), json!(kind))
        })
        .collect();
    assert_eq!(
        rows,
        [
            (json!("kim"), json!("created")),
            (json!("kim"), json!("edited")),
            (json!("kim"), json!("edited")),
            (json!("fiona"), json!("approved")),
            (json!("rita"), json!("moved")),
        ]
    );
    // A PATCH with a key it does not take says so.
    let (status, refused) = service.call_as(
        &rita,
        "PATCH",
        "/deals/DISC-1",
        Some(json!({ "stage": "won" })),
    );
    assert_eq!(status, 400, "{refused}");
    // Nobody gets the owner's rights by a role; a rep brings no history of their own (an import).
    let (ok, _, stderr) =
        support::command(&dir, &["add-user", "olaf", "--role", "owner"], Some(&admin));
    assert!(
        !ok && stderr.contains("`owner` is not a role one holds"),
        "{stderr}"
    );
    let (status, refused) = service.call_as(
        &rob,
        "POST",
        "/deals",
        Some(json!({ "id": "DISC-2", "history": [{ "at": "2026-11-01", "to": "lead_generation", "by": "rita" }] })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["details"][0]["field"], "history", "{refused}");
    let (status, _) = service.call_as(&kim, "GET", "/deals/DISC-2", None);
    assert_eq!(status, 404, "nothing stored");
    // No token or digest in any answer.
    let answers = service.answers.lock().unwrap().clone();
    for token in [&admin, &rita, &rob, &fiona, &felix, &kim] {
        assert!(!answers.contains(token.as_str()), "a token in an answer");
    }
}
