//! A server on PostgreSQL killed (`SIGKILL`) in the middle of a load of moves: after a restart,
//! every move it acknowledged is stored, and the change feed holds each change's events once.
//! Skipped, and saying so, without `STAGEGATE_TEST_POSTGRES`.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;
use support::{add_user, postgres_or_skip, try_call, workspace, Service};

const DEALS: usize = 240;
const MOVERS: usize = 6;

#[test]
fn a_kill_in_the_middle_of_moves_loses_no_acknowledged_move_and_duplicates_no_event() {
    let Some(_) = postgres_or_skip(
        "a_kill_in_the_middle_of_moves_loses_no_acknowledged_move_and_duplicates_no_event",
    ) else {
        return;
    };
    let dir = workspace("pg-kill");
    let admin = add_user(&dir, "ada", &["admin"], None);
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = admin.clone();
    std::thread::scope(|threads| {
        for mover in 0..MOVERS {
            let service = &service;
            threads.spawn(move || {
                for n in (mover..DEALS).step_by(MOVERS) {
                    let lead = json!({
                        "id": format!("K-{n}"), "stage": "lead_generation",
                        "fields": { "industry": "saas", "employees": 120, "amount": 150000 },
                        "activities": { "inbound_marketing": "2026-11-02" }
                    });
                    let (status, body) = service.call("POST", "/deals?at=2026-11-27", Some(lead));
                    assert_eq!(status, 201, "{body}");
                }
            });
        }
    });

    // The load: every deal moved once, by several clients at once; the server is killed after a
    // third of the moves are acknowledged.
    let acknowledged = Mutex::new(BTreeSet::new());
    let answered = AtomicUsize::new(0);
    let address = service.address.clone();
    std::thread::scope(|threads| {
        for mover in 0..MOVERS {
            let (acknowledged, answered, address, admin) =
                (&acknowledged, &answered, &address, &admin);
            threads.spawn(move || {
                for n in (mover..DEALS).step_by(MOVERS) {
                    let path = format!("/deals/K-{n}/moves?at=2026-11-28T09:00:00Z");
                    let body = json!({ "to": "qualification", "revision": 1 });
                    match try_call(address, admin, "POST", &path, Some(body)) {
                        Some((200, _)) => {
                            acknowledged.lock().unwrap().insert(n);
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Some((status, body)) => panic!("K-{n}: {status} {body}"),
                        None => return, // killed
                    }
                }
            });
        }
        while answered.load(Ordering::SeqCst) < DEALS / 3 {
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(service); // SIGKILL
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(
        acknowledged.len() < DEALS,
        "the kill came before the load ended ({} of {DEALS} acknowledged)",
        acknowledged.len()
    );

    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = admin;
    let (_, listed) = service.call("GET", "/deals", None);
    let revisions: BTreeMap<String, i64> = listed["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let id = d["id"].as_str().unwrap().to_owned();
            (id, d["revision"].as_i64().unwrap_or(0))
        })
        .collect();
    assert_eq!(revisions.len(), DEALS, "{listed}");
    for n in &acknowledged {
        let (_, deal) = service.call("GET", &format!("/deals/K-{n}"), None);
        assert_eq!(
            deal["revision"], 2,
            "an acknowledged move is stored: {deal}"
        );
        assert_eq!(deal["deal"]["stages"], json!(["qualification"]), "{deal}");
    }
    let mut events = Vec::new();
    loop {
        let after = events
            .last()
            .map_or(0, |e: &serde_json::Value| e["id"].as_i64().unwrap());
        let (_, page) = service.call("GET", &format!("/events?after={after}&limit=1000"), None);
        let page = page["events"].as_array().unwrap().clone();
        if page.is_empty() {
            break;
        }
        events.extend(page);
    }
    let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "no event twice: {ids:?}"
    );
    // Each deal: its creation, and for a stored move exactly one set of its events.
    let mut per_deal: BTreeMap<&str, Vec<(&str, i64)>> = BTreeMap::new();
    for event in &events {
        per_deal
            .entry(event["deal"].as_str().unwrap())
            .or_default()
            .push((
                event["kind"].as_str().unwrap(),
                event["revision"].as_i64().unwrap(),
            ));
    }
    let mut moved = 0;
    for n in 0..DEALS {
        let id = format!("K-{n}");
        let (_, deal) = service.call("GET", &format!("/deals/{id}"), None);
        let expected: Vec<(&str, i64)> = if deal["revision"] == 2 {
            moved += 1;
            vec![("created", 1), ("moved", 2), ("task", 2), ("notify", 2)]
        } else {
            vec![("created", 1)]
        };
        assert_eq!(per_deal.get(id.as_str()), Some(&expected), "{id}: {deal}");
    }
    assert!(moved >= acknowledged.len());
    println!(
        "killed after {} acknowledged moves; {moved} stored (a move committed as the kill came may be stored unacknowledged)",
        acknowledged.len()
    );
}
