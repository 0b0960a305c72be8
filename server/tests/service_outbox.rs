//! The server's change feed, over HTTP: every change writes its event and a move its effects,
//! once, in the change's own transaction, with the deal's new revision; a refused move writes none; of two racing moves on one revision exactly one set
//! of effects is written; a restart loses none; `/events` pages in order; `/tasks` lists open
//! tasks by assignee; a deal's answer carries its next steps.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service};

/// (kind, revision) of every event, changes and effects.
fn kinds(answer: &Value) -> Vec<(String, i64)> {
    answer["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["revision"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// (deal, kind, activity or role) of each effect.
fn events(answer: &Value) -> Vec<(String, String, String)> {
    answer["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["effect"].is_null())
        .map(|e| {
            let effect = &e["effect"];
            let what = effect["activity"]
                .as_str()
                .or(effect["role"].as_str())
                .unwrap_or_default();
            (
                e["deal"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
                what.to_owned(),
            )
        })
        .collect()
}

#[test]
fn effects_are_written_once_with_their_move_and_read_in_order() {
    let dir = workspace("service-outbox");
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    let admin = add_user(&dir, "ada", &["admin"], None);
    let rep = add_user(&dir, "rita", &["rep"], Some(&admin));
    service.token = rep.clone();
    let lead = json!({
        "id": "OUT-1", "stage": "lead_generation",
        "fields": { "industry": "saas", "employees": 120, "amount": 150000 },
        "activities": { "inbound_marketing": "2026-11-02" }
    });
    let (status, created) = service.call("POST", "/deals?at=2026-11-27", Some(lead));
    assert_eq!(status, 201, "{created}");
    let (_, created) = service.call("GET", "/events", None);
    assert_eq!(kinds(&created), [("created".to_owned(), 1)]);
    assert_eq!(created["events"][0]["change"]["created"]["owner"], "rita");
    assert_eq!(events(&created), [], "creating a deal fires no effect");

    // A refused move writes no effect.
    let (status, refused) = service.call(
        "POST",
        "/deals/OUT-1/moves?at=2026-11-27",
        Some(json!({ "to": "needs_analysis" })),
    );
    assert_eq!(
        (status, &refused["error"], &refused["code"]),
        (409, &json!("refused"), &json!("not-declared")),
        "no such transition"
    );
    let (_, after_refusal) = service.call("GET", "/events", None);
    assert_eq!(after_refusal, created, "a refused move writes nothing");

    // Two racing moves on one revision: one lands, with one set of effects.
    let results: Vec<u16> = std::thread::scope(|threads| {
        let racers: Vec<_> = (0..2)
            .map(|_| {
                let service = &service;
                threads.spawn(move || {
                    service
                        .call(
                            "POST",
                            "/deals/OUT-1/moves?at=2026-11-28T09:00:00Z",
                            Some(json!({ "to": "qualification", "revision": 1 })),
                        )
                        .0
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut statuses = results.clone();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let (_, page) = service.call("GET", "/events", None);
    let expected = [
        (
            "OUT-1".to_owned(),
            "task".to_owned(),
            "discovery_call".to_owned(),
        ),
        (
            "OUT-1".to_owned(),
            "notify".to_owned(),
            "marketing".to_owned(),
        ),
    ];
    assert_eq!(events(&page), expected, "{page}");
    let kinds_now: Vec<(String, i64)> = [("created", 1), ("moved", 2), ("task", 2), ("notify", 2)]
        .iter()
        .map(|(k, r)| ((*k).to_owned(), *r))
        .collect();
    assert_eq!(
        kinds(&page),
        kinds_now,
        "one set of events, of the move that won"
    );
    assert_eq!(page["events"][2]["effect"]["due"], "2026-12-05T09:00:00Z");
    assert_eq!(page["events"][2]["effect"]["assignee"], "rita");

    // The deal's answer carries its next steps; /tasks lists the open task.
    let (_, deal) = service.call("GET", "/deals/OUT-1?at=2026-12-06", None);
    let steps = &deal["evaluation"]["next_steps"][0];
    assert_eq!(steps["stage"], "qualification");
    assert!(
        steps["guidance"].as_str().unwrap().contains("BANT"),
        "{steps}"
    );
    assert_eq!(steps["activities"][0]["activity"], "discovery_call");
    assert_eq!(steps["activities"][0]["overdue_days"], 1);
    let (_, tasks) = service.call("GET", "/tasks?assignee=rita&due_before=2026-12-31", None);
    assert_eq!(tasks["tasks"][0]["activity"], "discovery_call");
    let (_, nobody) = service.call("GET", "/tasks?assignee=kim", None);
    assert_eq!(nobody["tasks"], json!([]));
    let (status, _) = service.call("GET", "/tasks?due_before=soon", None);
    assert_eq!(status, 400);

    // A second move: its effects come after the first ones; pages of one read them in order.
    let (status, lost) = service.call(
        "POST",
        "/deals/OUT-1/moves?at=2026-11-29",
        Some(json!({ "to": "lost" })),
    );
    assert_eq!(status, 200, "{lost}");
    let mut after = 0;
    let mut paged = Vec::new();
    let mut pages = 0;
    loop {
        let (status, page) = service.call("GET", &format!("/events?after={after}&limit=1"), None);
        assert_eq!(status, 200);
        if page["events"].as_array().unwrap().is_empty() {
            assert_eq!(page["next"], after, "an empty page keeps the cursor");
            break;
        }
        pages += 1;
        paged.extend(events(&page));
        after = page["next"].as_i64().unwrap();
    }
    assert_eq!(
        pages, 6,
        "created, moved and its 2 effects, moved and its effect"
    );
    assert_eq!(paged.len(), 3, "{paged:?}");
    assert_eq!(paged[..2], expected);
    assert_eq!(paged[2].1, "notify");
    assert_eq!(paged[2].2, "manager");
    let (status, _) = service.call("GET", "/events?limit=0", None);
    assert_eq!(status, 400);

    // A restart loses none.
    service.stop();
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = rep;
    let (_, again) = service.call("GET", "/events?limit=1000", None);
    assert_eq!(events(&again), paged);
    assert_eq!(kinds(&again).len(), 6);
}
