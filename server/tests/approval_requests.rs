//! Asking for an approval over HTTP, and Finance's queue: a rep asks, Finance sees the deal in
//! `GET /approvals` (oldest request first) and approves, and it leaves the queue; an owner who
//! also holds the approving role never sees their own deal; a request on an archived deal, for
//! an unknown criterion or by someone who may not edit the deal is refused, nothing written; the
//! change feed carries the request and its notification.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::{add_user, workspace, Service};

/// The users of a test: two reps, a manager, Finance, and a rep who is also in Finance.
struct Team {
    rita: String,
    rob: String,
    kim: String,
    fiona: String,
    olga: String,
}

fn started(name: &str) -> (std::path::PathBuf, Service, Team) {
    let dir = workspace(name);
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    let admin = add_user(&dir, "ada", &["admin"], None);
    service.token = admin.clone();
    let team = Team {
        rita: add_user(&dir, "rita", &["rep"], Some(&admin)),
        rob: add_user(&dir, "rob", &["rep"], Some(&admin)),
        kim: add_user(&dir, "kim", &["manager"], Some(&admin)),
        fiona: add_user(&dir, "fiona", &["finance"], Some(&admin)),
        olga: add_user(&dir, "olga", &["rep", "finance"], Some(&admin)),
    };
    (dir, service, team)
}

/// The bundled example with a 30% discount in proposal & negotiation, owned by `owner`.
fn discounted(id: &str, owner: &str) -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/deals/11-discount-approval.yaml"),
    )
    .unwrap();
    let mut deal: Value = serde_yaml::from_str(&text).unwrap();
    let object = deal.as_object_mut().unwrap();
    object.remove("history");
    object.remove("playbook");
    deal["id"] = json!(id);
    deal["owner"] = json!(owner);
    deal
}

/// The caller's queue: (deal, owner, requested by, note).
fn queue(service: &Service, token: &str) -> Vec<(String, String, Value, Value)> {
    let (status, answer) = service.call_as(token, "GET", "/approvals?at=2026-11-28", None);
    assert_eq!(status, 200, "{answer}");
    answer["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["deal"].as_str().unwrap().to_owned(),
                a["owner"].as_str().unwrap().to_owned(),
                a["requested"]["by"].clone(),
                a["requested"]["note"].clone(),
            )
        })
        .collect()
}

fn row(deal: &str, owner: &str, by: Value, note: Value) -> (String, String, Value, Value) {
    (deal.to_owned(), owner.to_owned(), by, note)
}

/// The deal's revision and how many history entries it has.
fn stored(service: &Service, id: &str) -> (i64, usize) {
    let (status, read) = service.call("GET", &format!("/deals/{id}?at=2026-11-28"), None);
    assert_eq!(status, 200, "{read}");
    (
        read["revision"].as_i64().unwrap(),
        read["deal"]["history"].as_array().unwrap().len(),
    )
}

#[test]
fn a_rep_asks_finance_sees_it_approves_and_it_leaves_the_queue() {
    let (_dir, service, team) = started("approval-requests");
    for (id, owner) in [("DISC-1", "rita"), ("DISC-2", "olga")] {
        let (status, imported) = service.call_as(
            &team.kim,
            "POST",
            "/deals?at=2026-11-26",
            Some(discounted(id, owner)),
        );
        assert_eq!(status, 201, "{imported}");
    }
    let (status, early) = service.call_as(
        &team.rita,
        "POST",
        "/deals?at=2026-11-26",
        Some(json!({ "id": "LEAD-1" })),
    );
    assert_eq!(status, 201, "{early}");

    // Before anyone asks: both discounts wait for Finance, by deal id; the deal in its first
    // stage waits for nothing. A rep has no approvals to give.
    let none = Value::Null;
    assert_eq!(
        queue(&service, &team.fiona),
        [
            row("DISC-1", "rita", none.clone(), none.clone()),
            row("DISC-2", "olga", none.clone(), none.clone())
        ]
    );
    assert_eq!(queue(&service, &team.rita), []);

    // Rob may not ask on Rita's deal: who may edit a deal may ask.
    let (status, refused) = service.call_as(
        &team.rob,
        "POST",
        "/deals/DISC-1/approval-requests?at=2026-11-27T08:00:00Z",
        Some(json!({ "criterion": "discount_approved" })),
    );
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        (&refused["code"], &refused["roles"]),
        (&json!("not-permitted"), &json!(["owner", "manager"]))
    );
    assert_eq!(stored(&service, "DISC-1"), (1, 1), "nothing written");

    // Olga asks first, Rita an hour later.
    let (status, asked) = service.call_as(
        &team.olga,
        "POST",
        "/deals/DISC-2/approval-requests?at=2026-11-27T09:00:00Z",
        Some(json!({ "criterion": "discount_approved", "note": "renewal at risk" })),
    );
    assert_eq!(status, 201, "{asked}");
    let (status, asked) = service.call_as(
        &team.rita,
        "POST",
        "/deals/DISC-1/approval-requests?at=2026-11-27T10:00:00Z",
        Some(json!({ "criterion": "discount_approved", "note": "signs Friday", "revision": 1 })),
    );
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["revision"], 2);
    assert_eq!(
        asked["deal"]["history"][1],
        json!({ "at": "2026-11-27T10:00:00Z", "by": "rita",
                "approval_requested": "discount_approved", "note": "signs Friday" })
    );
    let notify = &asked["effects"][0];
    assert_eq!(
        (
            &notify["kind"],
            &notify["on"],
            &notify["role"],
            &notify["criterion"]
        ),
        (
            &json!("notify"),
            &json!("request"),
            &json!("finance"),
            &json!("discount_approved")
        )
    );
    assert_eq!(
        notify["message"],
        "rita asks Finance for an approval on DISC-1: `discount_approved` (note: signs Friday)"
    );
    assert!(asked["evaluation"]["transitions"].is_array(), "{asked}");

    // Finance's queue: the oldest request first, each as a person reads it.
    assert_eq!(
        queue(&service, &team.fiona),
        [
            row("DISC-2", "olga", json!("olga"), json!("renewal at risk")),
            row("DISC-1", "rita", json!("rita"), json!("signs Friday")),
        ]
    );
    let (_, answer) = service.call_as(&team.fiona, "GET", "/approvals?at=2026-11-28", None);
    assert_eq!(
        answer["approvals"][1],
        json!({
            "deal": "DISC-1", "playbook": "b2b-sales@1", "owner": "rita",
            "stage": "proposal_negotiation", "criterion": "discount_approved", "role": "finance",
            "message": "needs approval by Finance", "value": 180000,
            "requested": { "at": "2026-11-27T10:00:00Z", "by": "rita", "note": "signs Friday" },
        })
    );
    // Olga holds Finance too, but never sees her own deal (four eyes).
    assert_eq!(
        queue(&service, &team.olga),
        [row("DISC-1", "rita", json!("rita"), json!("signs Friday"))]
    );

    // The change feed and the audit log say who asked, with the notification to Finance.
    let (_, events) = service.call("GET", "/events?limit=1000", None);
    let requested: Vec<&Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["deal"] == "DISC-1" && e["revision"] == 2)
        .collect();
    let kinds: Vec<&Value> = requested.iter().map(|e| &e["kind"]).collect();
    assert_eq!(kinds, [&json!("approval_requested"), &json!("notify")]);
    assert_eq!(
        requested[0]["change"]["approval_requested"],
        json!({ "criterion": "discount_approved", "note": "signs Friday" })
    );
    assert_eq!(requested[1]["effect"], *notify);
    let (_, audit) = service.call("GET", "/deals/DISC-1/audit", None);
    assert_eq!(audit["audit"][1]["actor"], "rita");
    assert_eq!(
        audit["audit"][1]["change"]["approval_requested"]["criterion"],
        "discount_approved"
    );

    // Fiona approves: the deal leaves her queue (and Olga's).
    let (status, approved) = service.call_as(
        &team.fiona,
        "POST",
        "/deals/DISC-1/approvals?at=2026-11-28T09:00:00Z",
        Some(json!({ "criterion": "discount_approved" })),
    );
    assert_eq!(status, 200, "{approved}");
    assert_eq!(
        queue(&service, &team.fiona),
        [row(
            "DISC-2",
            "olga",
            json!("olga"),
            json!("renewal at risk")
        )]
    );
    assert_eq!(queue(&service, &team.olga), []);
    // Asking again for what counts is refused.
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        "/deals/DISC-1/approval-requests?at=2026-11-28T10:00:00Z",
        Some(json!({ "criterion": "discount_approved" })),
    );
    assert_eq!(
        (status, &refused["code"]),
        (409, &json!("already-approved")),
        "{refused}"
    );
}

#[test]
fn requests_refused_with_every_reason_write_nothing() {
    let (_dir, service, team) = started("approval-requests-refused");
    let (status, imported) = service.call_as(
        &team.kim,
        "POST",
        "/deals?at=2026-11-26",
        Some(discounted("DISC-3", "rita")),
    );
    assert_eq!(status, 201, "{imported}");

    // A typo: 409 with the likely intended criterion.
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        "/deals/DISC-3/approval-requests?at=2026-11-27",
        Some(json!({ "criterion": "discount_aproved" })),
    );
    assert_eq!(status, 409, "{refused}");
    assert_eq!(
        (&refused["error"], &refused["code"]),
        (&json!("refused"), &json!("unknown-criterion"))
    );
    assert_eq!(
        refused["details"][0],
        json!({ "code": "unknown-criterion", "field": "criterion",
                "message": "`discount_aproved` is not an approval criterion of this playbook (did you mean `discount_approved`?)" })
    );
    // Bodies the route does not take.
    for body in [
        json!({}),
        json!({ "criterion": " " }),
        json!({ "criterion": 7 }),
        json!({ "criterion": "discount_approved", "note": 1 }),
        json!({ "criterion": "discount_approved", "role": "finance" }),
    ] {
        let (status, refused) = service.call_as(
            &team.rita,
            "POST",
            "/deals/DISC-3/approval-requests?at=2026-11-27",
            Some(body.clone()),
        );
        assert_eq!(
            (status, &refused["error"]),
            (400, &json!("request")),
            "{body}: {refused}"
        );
    }
    let (status, missing) = service.call_as(
        &team.rita,
        "POST",
        "/deals/NOPE/approval-requests?at=2026-11-27",
        Some(json!({ "criterion": "discount_approved" })),
    );
    assert_eq!(status, 404, "{missing}");
    assert_eq!(stored(&service, "DISC-3"), (1, 1), "nothing written");

    // Archived: refused, and off Finance's queue.
    assert_eq!(queue(&service, &team.fiona).len(), 1);
    let (status, archived) = service.call_as(
        &team.rita,
        "DELETE",
        "/deals/DISC-3?at=2026-11-27&reason=duplicate",
        None,
    );
    assert_eq!(status, 200, "{archived}");
    assert_eq!(queue(&service, &team.fiona), []);
    let (status, refused) = service.call_as(
        &team.rita,
        "POST",
        "/deals/DISC-3/approval-requests?at=2026-11-28",
        Some(json!({ "criterion": "discount_approved" })),
    );
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["code"], "archived");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("unarchive it first"),
        "{refused}"
    );
    assert_eq!(stored(&service, "DISC-3"), (2, 2), "nothing written");
}
