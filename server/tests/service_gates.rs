//! Every way around a gate, tried over HTTP by a rep and refused by the engine with every reason
//! and nothing stored: a deal created straight into a late stage, or with a history of its own
//! (backdated or in the future), another rep's deal edited or given away, a field only Finance
//! changes, someone else's deal archived, a manager forcing past Finance's discount approval, an
//! archived deal moved. Then what is allowed: a manager's import, the owner's edit (one audit
//! entry per change with before and after), an edit voiding Finance's approval, archiving,
//! unarchiving and moving again.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::{add_user, workspace, Service, BUNDLED};

/// The evaluation time of every call: the server takes it from the request.
const AT: &str = "at=2026-11-27";

/// The users of a test: an admin, two reps, a manager and Finance.
struct Team {
    rita: String,
    rob: String,
    kim: String,
    fiona: String,
}

fn started(name: &str, playbook: Option<&str>) -> (std::path::PathBuf, Service, Team) {
    let dir = workspace(name);
    if let Some(playbook) = playbook {
        std::fs::write(dir.join("playbooks/b2b-sales.yaml"), playbook).unwrap();
    }
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    let admin = add_user(&dir, "ada", &["admin"], None);
    service.token = admin.clone();
    let team = Team {
        rita: add_user(&dir, "rita", &["rep"], Some(&admin)),
        rob: add_user(&dir, "rob", &["rep"], Some(&admin)),
        kim: add_user(&dir, "kim", &["manager"], Some(&admin)),
        fiona: add_user(&dir, "fiona", &["finance"], Some(&admin)),
    };
    (dir, service, team)
}

/// Every event of the change feed: (deal, kind).
fn feed(service: &Service) -> Vec<(String, String)> {
    let (status, events) = service.call("GET", "/events?limit=1000", None);
    assert_eq!(status, 200, "{events}");
    events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["deal"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A refusal's kind, code, and every reason's (code, place).
fn refusal(answer: &Value) -> (String, String, Vec<(String, String)>) {
    let details = answer["details"]
        .as_array()
        .map(|details| {
            details
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_owned(),
                        d["field"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (
        answer["error"].as_str().unwrap().to_owned(),
        answer["code"].as_str().unwrap().to_owned(),
        details,
    )
}

fn reasons(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(code, place)| ((*code).to_owned(), (*place).to_owned()))
        .collect()
}

/// The deal `id` as stored: its revision, and how many audit rows it has (`None`: not stored).
fn stored(service: &Service, id: &str) -> Option<(i64, usize)> {
    let (status, deal) = service.call("GET", &format!("/deals/{id}"), None);
    if status == 404 {
        return None;
    }
    assert_eq!(status, 200, "{deal}");
    let (status, audit) = service.call("GET", &format!("/deals/{id}/audit"), None);
    assert_eq!(status, 200, "{audit}");
    Some((
        deal["revision"].as_i64().unwrap(),
        audit["audit"].as_array().unwrap().len(),
    ))
}

/// The deal of the bundled example with a 30% discount in proposal & negotiation, without owner
/// and history (the importer gives them).
fn discounted(id: &str) -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/deals/11-discount-approval.yaml"),
    )
    .unwrap();
    let mut deal: Value = serde_yaml::from_str(&text).unwrap();
    let object = deal.as_object_mut().unwrap();
    object.remove("owner");
    object.remove("history");
    object.remove("playbook");
    deal["id"] = json!(id);
    deal
}

#[test]
fn a_rep_creating_past_the_start_is_refused_and_a_manager_imports() {
    let (_dir, service, team) = started("gates-create", None);

    // Straight into closing: an import, which a rep may not make.
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "G-1", "stage": "closing", "fields": { "amount": 90000 } })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refusal(&refused),
        (
            "forbidden".to_owned(),
            "not-permitted".to_owned(),
            reasons(&[("not-permitted", "stages")])
        )
    );
    assert_eq!(refused["roles"], json!(["manager"]));
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.starts_with("stages: a new deal starts in ")
            && message.contains("Lead Generation")
            && message.contains("only Sales manager may create a deal in another stage or with a history of its own (an import)"),
        "{message}"
    );

    // A backdated history, and one in the future: both imports, both refused, every reason.
    let backdated = json!([
        { "at": "2026-11-01", "to": "lead_generation" },
        { "at": "2026-11-10", "from": "lead_generation", "to": "qualification" }
    ]);
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "G-2", "stage": "qualification", "history": backdated })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refusal(&refused).2,
        reasons(&[("not-permitted", "stages"), ("not-permitted", "history")])
    );
    let future = json!([{ "at": "2026-12-20", "to": "lead_generation" }]);
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "G-3", "history": future })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refusal(&refused).2,
        reasons(&[("not-permitted", "history")])
    );
    // Another owner is not the rep's to give.
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "G-4", "owner": "rob" })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refusal(&refused).2, reasons(&[("not-permitted", "owner")]));
    assert_eq!(refused["roles"], json!(["owner", "manager"]));
    // Nothing of it is stored.
    for id in ["G-1", "G-2", "G-3", "G-4"] {
        assert_eq!(stored(&service, id), None, "{id}");
    }
    assert_eq!(feed(&service), []);

    // The manager imports the backdated deal for Rita: the history is kept, marked imported.
    let (status, imported) = service.call_as(
        &team.kim,
        "POST",
        &format!("/deals?{AT}"),
        Some(
            json!({ "id": "G-2", "stage": "qualification", "owner": "rita", "history": backdated }),
        ),
    );
    assert_eq!(status, 201, "{imported}");
    assert_eq!(imported["owner"], "rita");
    let marks: Vec<(Value, Value, Value)> = imported["deal"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["to"].clone(),
                e["imported"].clone(),
                e["imported_by"].clone(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (json!("lead_generation"), json!(true), json!("kim")),
            (json!("qualification"), json!(true), json!("kim")),
        ]
    );
    let (_, audit) = service.call("GET", "/deals/G-2/audit", None);
    assert_eq!(audit["audit"][0]["actor"], "kim");
    assert_eq!(
        audit["audit"][0]["change"]["created"],
        json!({ "owner": "rita", "stages": ["qualification"], "imported": true })
    );
    // A history in the future is no history, even for a manager; approvals are never imported.
    let (status, refused) = service.call_as(
        &team.kim,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "G-3", "history": future })),
    );
    assert_eq!(status, 409, "{refused}");
    assert_eq!(
        refusal(&refused),
        (
            "refused".to_owned(),
            "future-history".to_owned(),
            reasons(&[("future-history", "history[0].at")])
        )
    );
    let mut approved = discounted("G-5");
    approved["approvals"] = json!({ "discount_approved": { "by": "fiona", "at": "2026-11-20" } });
    let (status, refused) =
        service.call_as(&team.kim, "POST", &format!("/deals?{AT}"), Some(approved));
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refusal(&refused).1, "approvals-imported");
    for id in ["G-3", "G-5"] {
        assert_eq!(stored(&service, id), None, "{id}");
    }
    assert_eq!(feed(&service), [("G-2".to_owned(), "created".to_owned())]);

    // A deal in the start stage is the rep's to open, and hers.
    let (status, opened) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "G-6", "fields": { "amount": 5000 } })),
    );
    assert_eq!(status, 201, "{opened}");
    assert_eq!(opened["deal"]["stages"], json!(["lead_generation"]));
    assert_eq!(opened["deal"]["history"][0]["by"], "rita");
    assert_eq!(opened["owner"], "rita");
}

#[test]
fn edits_are_the_owners_and_recorded_with_before_and_after() {
    let (_dir, service, team) = started("gates-edit", None);
    let (status, _) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "E-1", "fields": { "amount": 5000 } })),
    );
    assert_eq!(status, 201);
    let before = stored(&service, "E-1");
    let events = feed(&service);

    // Rob may not change Rita's deal, nor take it: every change refused, with who may.
    let (status, refused) = service.call_as(
        &team.rob,
        "PATCH",
        &format!("/deals/E-1?{AT}"),
        Some(json!({ "fields": { "amount": 9000, "budget": 10000 }, "owner": "rob" })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refusal(&refused),
        (
            "forbidden".to_owned(),
            "not-permitted".to_owned(),
            reasons(&[
                ("not-permitted", "fields.amount"),
                ("not-permitted", "fields.budget"),
                ("not-permitted", "owner"),
            ])
        )
    );
    assert_eq!(refused["roles"], json!(["owner", "manager"]));
    assert!(
        refused["details"][2]["message"]
            .as_str()
            .unwrap()
            .contains("may give the deal another owner"),
        "{refused}"
    );
    // A value of the wrong type, an unknown field: the deal's shape, 422.
    for (fields, code) in [
        (json!({ "amount": "lots" }), "wrong-value"),
        (json!({ "amout": 1 }), "undeclared-field"),
    ] {
        let (status, refused) = service.call_as(
            &team.rita,
            "PATCH",
            &format!("/deals/E-1?{AT}"),
            Some(json!({ "fields": fields })),
        );
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["error"], "deal");
        assert_eq!(refused["details"][0]["code"], code, "{refused}");
    }
    // A key PATCH does not take names it.
    let (status, refused) = service.call_as(
        &team.rita,
        "PATCH",
        &format!("/deals/E-1?{AT}"),
        Some(json!({ "stage": "closing" })),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .starts_with("`stage` cannot be changed here"));
    assert_eq!(stored(&service, "E-1"), before, "nothing written");
    assert_eq!(feed(&service), events);

    // The owner changes it: one history entry per change, the audit row and the event say
    // what changed from what.
    let (status, edited) = service.call_as(
        &team.rita,
        "PATCH",
        &format!("/deals/E-1?{AT}"),
        Some(json!({ "fields": { "amount": 9000, "budget": 10000 }, "revision": 1 })),
    );
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["revision"], 2);
    assert_eq!(edited["voided"], json!([]));
    let entries: Vec<Value> = edited["deal"]["history"].as_array().unwrap()[1..]
        .iter()
        .map(|e| json!([e["by"], e["edit"]]))
        .collect();
    assert_eq!(
        entries,
        [
            json!(["rita", { "field": "amount", "before": 5000, "after": 9000 }]),
            json!(["rita", { "field": "budget", "after": 10000 }]),
        ]
    );
    let (_, audit) = service.call("GET", "/deals/E-1/audit", None);
    let row = &audit["audit"][1];
    assert_eq!(
        (&row["actor"], &row["revision"]),
        (&json!("rita"), &json!(2))
    );
    assert_eq!(
        row["change"]["edited"],
        json!([
            { "field": "amount", "before": 5000, "after": 9000, "voided": [], "by": "rita", "at": "2026-11-27T00:00:00Z" },
            { "field": "budget", "before": null, "after": 10000, "voided": [], "by": "rita", "at": "2026-11-27T00:00:00Z" },
        ])
    );
    let (_, events) = service.call("GET", "/events?after=1", None);
    assert_eq!(events["events"][0]["kind"], "edited");
    assert_eq!(events["events"][0]["change"], row["change"]);

    // The manager gives the deal to Rob.
    let (status, given) = service.call_as(
        &team.kim,
        "PATCH",
        &format!("/deals/E-1?{AT}"),
        Some(json!({ "owner": "rob" })),
    );
    assert_eq!(status, 200, "{given}");
    assert_eq!(given["owner"], "rob");
    let (_, audit) = service.call("GET", "/deals/E-1/audit", None);
    let change = &audit["audit"][2]["change"]["edited"][0];
    assert_eq!(
        (
            &change["owner"],
            &change["before"],
            &change["after"],
            &change["by"]
        ),
        (&json!(true), &json!("rita"), &json!("rob"), &json!("kim"))
    );
    // An owner who is no user is refused, and a change that changes nothing writes nothing.
    let (status, refused) = service.call_as(
        &team.kim,
        "PATCH",
        &format!("/deals/E-1?{AT}"),
        Some(json!({ "owner": "nobody" })),
    );
    assert_eq!(status, 400, "{refused}");
    let (status, same) = service.call_as(
        &team.rob,
        "PATCH",
        &format!("/deals/E-1?{AT}"),
        Some(json!({ "fields": { "amount": 9000 } })),
    );
    assert_eq!((status, &same["revision"]), (200, &json!(3)), "{same}");
}

#[test]
fn a_field_only_finance_changes() {
    let playbook = BUNDLED.replace(
        "  discount_pct:\n    type: number\n",
        "  discount_pct:\n    type: number\n    edit: [finance]\n",
    );
    assert!(playbook.contains("edit: [finance]"), "the test's playbook");
    let (_dir, service, team) = started("gates-field", Some(&playbook));
    let (status, _) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals?{AT}"),
        Some(json!({ "id": "F-1" })),
    );
    assert_eq!(status, 201);
    // Not the owner, not the manager: Finance.
    for token in [&team.rita, &team.kim] {
        let (status, refused) = service.call_as(
            token,
            "PATCH",
            &format!("/deals/F-1?{AT}"),
            Some(json!({ "fields": { "discount_pct": 25, "amount": 1000 } })),
        );
        assert_eq!(status, 403, "{refused}");
        assert_eq!(
            refusal(&refused).2,
            reasons(&[("not-permitted", "fields.discount_pct")])
        );
        assert_eq!(refused["roles"], json!(["finance"]));
        assert_eq!(
            refused["details"][0]["message"],
            "only Finance may change Discount offered (%)"
        );
    }
    assert_eq!(stored(&service, "F-1"), Some((1, 1)), "nothing written");
    let (status, edited) = service.call_as(
        &team.fiona,
        "PATCH",
        &format!("/deals/F-1?{AT}"),
        Some(json!({ "fields": { "discount_pct": 25 } })),
    );
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["deal"]["fields"]["discount_pct"], 25);
    assert_eq!(edited["deal"]["history"][1]["by"], "fiona");
}

#[test]
fn archived_deals_leave_the_board_and_refuse_moves_until_unarchived() {
    let (_dir, service, team) = started("gates-archive", None);
    // Rita's deal in needs analysis with an open task, imported by the manager.
    let deal = json!({
        "id": "A-1", "stage": "needs_analysis", "owner": "rita", "fields": { "amount": 5000 },
        "tasks": { "stakeholder_mapping": { "stage": "needs_analysis", "due": "2026-12-01T00:00:00Z", "assignee": "rita" } },
    });
    let (status, created) = service.call_as(&team.kim, "POST", &format!("/deals?{AT}"), Some(deal));
    assert_eq!(status, 201, "{created}");
    let board = |service: &Service| {
        let (status, board) =
            service.call_as(&team.rita, "GET", &format!("/board?{AT}&limit=0"), None);
        assert_eq!(status, 200, "{board}");
        let column = board["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "needs_analysis")
            .unwrap()
            .clone();
        (column["count"].clone(), column["sum"].as_f64().unwrap())
    };
    let tasks = |service: &Service| -> Vec<Value> {
        let (status, tasks) = service.call("GET", &format!("/tasks?{AT}"), None);
        assert_eq!(status, 200, "{tasks}");
        tasks["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| json!([t["deal"], t["activity"]]))
            .collect()
    };
    assert_eq!(board(&service), (json!(1), 5000.0));
    assert_eq!(tasks(&service), [json!(["A-1", "stakeholder_mapping"])]);

    // Someone else's deal is not Rob's to archive; a reason is needed.
    let (status, refused) = service.call_as(
        &team.rob,
        "DELETE",
        &format!("/deals/A-1?{AT}&reason=duplicate"),
        None,
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refusal(&refused).2,
        reasons(&[("not-permitted", "archived")])
    );
    assert_eq!(refused["roles"], json!(["owner", "manager"]));
    let (status, refused) =
        service.call_as(&team.rita, "DELETE", &format!("/deals/A-1?{AT}"), None);
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .starts_with("archiving needs a reason"));
    assert_eq!(stored(&service, "A-1"), Some((1, 1)), "nothing written");

    // The owner archives it: recorded; off the board, the tasks and the list.
    let (status, archived) = service.call_as(
        &team.rita,
        "DELETE",
        &format!("/deals/A-1?{AT}"),
        Some(json!({ "reason": "duplicate of A-0", "revision": 1 })),
    );
    assert_eq!(status, 200, "{archived}");
    assert_eq!(
        archived["deal"]["archived"],
        json!({ "at": "2026-11-27T00:00:00Z", "by": "rita", "reason": "duplicate of A-0" })
    );
    assert_eq!(board(&service), (json!(0), 0.0));
    assert_eq!(tasks(&service), Vec::<Value>::new());
    let (_, listed) = service.call("GET", "/deals", None);
    assert_eq!(listed["deals"], json!([]));
    let (_, listed) = service.call("GET", "/deals?archived=true", None);
    assert_eq!(listed["deals"][0]["id"], "A-1");
    assert_eq!(listed["deals"][0]["archived"]["by"], "rita");
    let (status, read) = service.call("GET", "/deals/A-1", None);
    assert_eq!(
        (status, &read["deal"]["archived"]["reason"]),
        (200, &json!("duplicate of A-0"))
    );

    // An archived deal does not move, and is not edited, until unarchived.
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals/A-1/moves?{AT}"),
        Some(json!({ "to": "lost" })),
    );
    assert_eq!(status, 409, "{refused}");
    assert_eq!(
        (&refused["error"], &refused["code"]),
        (&json!("refused"), &json!("archived"))
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("unarchive it first"),
        "{refused}"
    );
    let (status, refused) = service.call_as(
        &team.rita,
        "PATCH",
        &format!("/deals/A-1?{AT}"),
        Some(json!({ "fields": { "amount": 1 } })),
    );
    assert_eq!(
        (status, &refused["code"]),
        (409, &json!("archived")),
        "{refused}"
    );
    assert_eq!(stored(&service, "A-1"), Some((2, 2)), "nothing written");

    let (status, back) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals/A-1/unarchive?{AT}"),
        None,
    );
    assert_eq!(status, 200, "{back}");
    assert!(back["deal"].get("archived").is_none(), "{back}");
    assert_eq!(board(&service), (json!(1), 5000.0));
    assert_eq!(tasks(&service).len(), 1);
    let (status, moved) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals/A-1/moves?{AT}"),
        Some(json!({ "to": "lost" })),
    );
    assert_eq!(status, 200, "{moved}");
    let kinds: Vec<String> = feed(&service)
        .into_iter()
        .map(|(_, kind)| kind)
        .filter(|kind| !["task", "notify"].contains(&kind.as_str()))
        .collect();
    assert_eq!(kinds, ["created", "archived", "unarchived", "moved"]);
    let (_, audit) = service.call("GET", "/deals/A-1/audit", None);
    assert_eq!(
        audit["audit"][1]["change"],
        json!({ "archived": { "reason": "duplicate of A-0" } })
    );
    assert_eq!(audit["audit"][2]["actor"], "rita");
    let history: Vec<(Value, Value)> = moved["deal"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["archived"].clone(), e["unarchived"].clone()))
        .collect();
    assert_eq!(history[1], (json!(true), Value::Null));
    assert_eq!(history[2], (Value::Null, json!(true)));
}

#[test]
fn a_forced_move_does_not_go_past_finances_discount_approval() {
    let (_dir, service, team) = started("gates-force", None);
    let mut deal = discounted("DISC-1");
    deal["owner"] = json!("rita");
    let (status, imported) =
        service.call_as(&team.kim, "POST", &format!("/deals?{AT}"), Some(deal));
    assert_eq!(status, 201, "{imported}");
    let events = feed(&service);

    let (status, blocked) = service.call_as(
        &team.kim,
        "POST",
        &format!("/deals/DISC-1/moves?{AT}"),
        Some(json!({ "to": "closing", "force": "the customer signs today" })),
    );
    assert_eq!(status, 409, "{blocked}");
    assert_eq!(
        (&blocked["error"], &blocked["code"]),
        (&json!("blocked"), &json!("approval-not-forceable"))
    );
    assert!(
        blocked["message"]
            .as_str()
            .unwrap()
            .contains("`discount_approved` (approval by Finance)"),
        "{blocked}"
    );
    let approval = blocked["move"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["criterion"] == "discount_approved")
        .unwrap_or_else(|| panic!("no approval blocker: {blocked}"));
    assert_eq!(approval["roles"], json!(["finance"]));
    assert_eq!(stored(&service, "DISC-1"), Some((1, 1)), "nothing written");
    assert_eq!(feed(&service), events);

    // Finance approves; a changed discount voids the approval, which Finance gives again; then
    // the owner moves.
    let approve = |service: &Service| {
        let (status, approved) = service.call_as(
            &team.fiona,
            "POST",
            &format!("/deals/DISC-1/approvals?{AT}"),
            Some(json!({ "criterion": "discount_approved" })),
        );
        assert_eq!(status, 200, "{approved}");
    };
    approve(&service);
    let (status, edited) = service.call_as(
        &team.rita,
        "PATCH",
        &format!("/deals/DISC-1?{AT}"),
        Some(json!({ "fields": { "discount_pct": 25 } })),
    );
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["voided"], json!(["discount_approved"]));
    assert!(edited["deal"].get("approvals").is_none(), "{edited}");
    let (_, audit) = service.call("GET", "/deals/DISC-1/audit", None);
    let row = &audit["audit"][2]["change"];
    assert_eq!(row["voided"], json!(["discount_approved"]));
    assert_eq!(
        (
            &row["edited"][0]["field"],
            &row["edited"][0]["before"],
            &row["edited"][0]["after"],
            &row["edited"][0]["voided"]
        ),
        (
            &json!("discount_pct"),
            &json!(30),
            &json!(25),
            &json!(["discount_approved"])
        )
    );
    approve(&service);
    let (status, moved) = service.call_as(
        &team.rita,
        "POST",
        &format!("/deals/DISC-1/moves?{AT}"),
        Some(json!({ "to": "closing" })),
    );
    assert_eq!(status, 200, "{moved}");
}
