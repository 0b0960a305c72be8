//! Two server instances on one PostgreSQL database: racing moves of one deal through both (exactly
//! one wins, one set of events is written); the change feed read while both write (every event once,
//! in order); a publish through one served by the other within seconds; the database's password in
//! no log line, error or answer. Skipped, and saying so, without `STAGEGATE_TEST_POSTGRES`.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{add_user, postgres_or_skip, try_call, workspace, Service, BUNDLED};

/// Two instances on one fresh database, with an admin's token.
fn two_instances(name: &str) -> (std::path::PathBuf, Service, Service) {
    let dir = workspace(name);
    let admin = add_user(&dir, "ada", &["admin"], None);
    let mut first = Service::start(&dir, &["--clock-from-requests"]);
    let mut second = Service::start(&dir, &["--clock-from-requests"]);
    first.token = admin.clone();
    second.token = admin;
    (dir, first, second)
}

fn lead(id: &str) -> Value {
    json!({
        "id": id, "stage": "lead_generation",
        "fields": { "industry": "saas", "employees": 120, "amount": 150000 },
        "activities": { "inbound_marketing": "2026-11-02" }
    })
}

/// Every event of the feed, read in pages of `limit` from `after` 0.
fn all_events(service: &Service, limit: usize) -> Vec<Value> {
    let mut after = 0;
    let mut events = Vec::new();
    loop {
        let (status, page) =
            service.call("GET", &format!("/events?after={after}&limit={limit}"), None);
        assert_eq!(status, 200, "{page}");
        let page_events = page["events"].as_array().unwrap().clone();
        if page_events.is_empty() {
            return events;
        }
        after = page["next"].as_i64().unwrap();
        events.extend(page_events);
    }
}

#[test]
fn racing_moves_through_two_instances_land_once() {
    let Some(_) = postgres_or_skip("racing_moves_through_two_instances_land_once") else {
        return;
    };
    let (_dir, first, second) = two_instances("pg-race");
    for round in 0..5 {
        let id = format!("RACE-{round}");
        let (status, created) = first.call("POST", "/deals?at=2026-11-27", Some(lead(&id)));
        assert_eq!(status, 201, "{created}");
        let results: Vec<(u16, Value)> = std::thread::scope(|threads| {
            let racers: Vec<_> = [&first, &second]
                .into_iter()
                .map(|service| {
                    let id = id.clone();
                    threads.spawn(move || {
                        service.call(
                            "POST",
                            &format!("/deals/{id}/moves?at=2026-11-28T09:00:00Z"),
                            Some(json!({ "to": "qualification", "revision": 1 })),
                        )
                    })
                })
                .collect();
            racers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let mut statuses: Vec<u16> = results.iter().map(|(status, _)| *status).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{results:?}");
        let (_, deal) = second.call("GET", &format!("/deals/{id}"), None);
        assert_eq!(deal["revision"], 2, "{deal}");
    }
    let events = all_events(&second, 100);
    for round in 0..5 {
        let id = format!("RACE-{round}");
        let of_deal: Vec<(&str, i64)> = events
            .iter()
            .filter(|e| e["deal"] == id.as_str())
            .map(|e| (e["kind"].as_str().unwrap(), e["revision"].as_i64().unwrap()))
            .collect();
        assert_eq!(
            of_deal,
            [("created", 1), ("moved", 2), ("task", 2), ("notify", 2)],
            "one set of events, of the move that won"
        );
    }
}

#[test]
fn the_feed_read_while_two_instances_write_has_every_event_once_in_order() {
    let Some(_) =
        postgres_or_skip("the_feed_read_while_two_instances_write_has_every_event_once_in_order")
    else {
        return;
    };
    let (_dir, first, second) = two_instances("pg-feed");
    let writing = AtomicBool::new(true);
    let per_writer = 40;
    let read: Vec<Value> = std::thread::scope(|threads| {
        let writers: Vec<_> = [(&first, "A"), (&second, "B"), (&first, "C"), (&second, "D")]
            .into_iter()
            .map(|(service, tag)| {
                threads.spawn(move || {
                    for n in 0..per_writer {
                        let (status, body) = service.call(
                            "POST",
                            "/deals?at=2026-11-27",
                            Some(lead(&format!("{tag}-{n}"))),
                        );
                        assert_eq!(status, 201, "{body}");
                    }
                })
            })
            .collect();
        // A reader follows the feed through the second instance while both write.
        let reader = threads.spawn(|| {
            let mut after = 0;
            let mut read = Vec::new();
            let mut drained = false;
            loop {
                let done = !writing.load(Ordering::SeqCst);
                let (_, page) = second.call("GET", &format!("/events?after={after}&limit=7"), None);
                let events = page["events"].as_array().unwrap().clone();
                if events.is_empty() {
                    if drained {
                        return read;
                    }
                    drained = done;
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                }
                after = page["next"].as_i64().unwrap();
                read.extend(events);
            }
        });
        for writer in writers {
            writer.join().unwrap();
        }
        writing.store(false, Ordering::SeqCst);
        reader.join().unwrap()
    });
    let ids: Vec<i64> = read.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "read in order, each once: {ids:?}"
    );
    assert_eq!(ids.len(), 4 * per_writer, "every event read, none skipped");
    let stored: Vec<i64> = all_events(&first, 1000)
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, stored, "what the follower read is the whole feed");
}

#[test]
fn a_publish_through_one_instance_is_served_by_the_other() {
    let Some(_) = postgres_or_skip("a_publish_through_one_instance_is_served_by_the_other") else {
        return;
    };
    let (dir, first, second) = two_instances("pg-publish");
    let next = BUNDLED.replacen("version: 1", "version: 2", 1);
    let (status, published) = first.call(
        "POST",
        "/playbooks/reload",
        Some(json!({ "files": { "b2b-sales-v2.yaml": next } })),
    );
    assert_eq!(status, 200, "{published}");
    assert_eq!(
        published["playbooks"],
        json!(["b2b-sales@1", "b2b-sales@2"])
    );
    let started = Instant::now();
    loop {
        let (_, served) = second.call("GET", "/playbooks", None);
        if served["playbooks"] == json!(["b2b-sales@1", "b2b-sales@2"]) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the other instance still serves {served}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("served by the other instance after {:?}", started.elapsed());
    // The other's sources are the store's; the directory only seeded it.
    let (_, sources) = second.call("GET", "/playbooks/sources", None);
    let names: Vec<&str> = sources["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["b2b-sales-v2.yaml", "b2b-sales.yaml"]);
    assert!(!dir.join("playbooks/b2b-sales-v2.yaml").exists());
    // A new deal on the other instance is pinned to the new version.
    let (status, created) = second.call(
        "POST",
        "/deals?at=2026-12-01",
        Some(json!({ "id": "NEW-1" })),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["deal"]["playbook"], "b2b-sales@2");
}

#[test]
fn the_databases_password_is_never_shown() {
    let Some(server) = postgres_or_skip("the_databases_password_is_never_shown") else {
        return;
    };
    let password = "pw-never-shown-7fq2";
    let dir = workspace("pg-password");
    // The tests' server trusts local connections: any password is taken, and must stay hidden.
    let url = support::db(&dir).replacen("://postgres@", &format!("://postgres:{password}@"), 1);
    assert!(url.contains(password), "{url}");
    std::fs::write(dir.join("postgres-url"), &url).unwrap();
    let admin = add_user(&dir, "ada", &["admin"], None);
    let mut service = Service::start(&dir, &[]);
    service.token = admin;
    let (status, _) = service.call("GET", "/ready", None);
    assert_eq!(status, 200);
    let (status, _) = service.call("GET", "/deals/NOPE", None);
    assert_eq!(status, 404);
    let answers = service.answers.lock().unwrap().clone();
    drop(service);

    // A server that does not answer: the error names the database without its password.
    let closed = support::pg_port_closed(&server);
    let unreachable = closed.replacen("://postgres@", &format!("://postgres:{password}@"), 1);
    let output = std::process::Command::new(support::binary())
        .args(["--db", &unreachable, "--addr", "127.0.0.1:0", "--playbooks"])
        .arg(dir.join("playbooks"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("postgres:***@"), "{stderr}");
    let log = std::fs::read_to_string(dir.join("service.log")).unwrap();
    for (what, text) in [
        ("log", log.as_str()),
        ("answers", &answers),
        ("error", &stderr),
    ] {
        assert!(
            !text.contains(password),
            "the password in the {what}: {text}"
        );
    }
}

#[test]
fn ended_connections_are_replaced_by_the_pool() {
    // The pool hands a new connection when PostgreSQL ends one (here: every connection of the
    // database is terminated between two requests).
    let Some(server) = postgres_or_skip("ended_connections_are_replaced_by_the_pool") else {
        return;
    };
    let (dir, first, _second) = two_instances("pg-terminated");
    let (status, _) = first.call("POST", "/deals?at=2026-11-27", Some(lead("T-1")));
    assert_eq!(status, 201);
    let database = support::db(&dir).rsplit('/').next().unwrap().to_owned();
    support::pg_terminate(&server, &database);
    // The first request after may meet a dead connection; the next one is served.
    let answered = (0..3).find_map(|_| {
        try_call(&first.address, &first.token, "GET", "/deals/T-1", None)
            .filter(|(status, _)| *status == 200)
    });
    assert!(
        answered.is_some(),
        "served again after the connections were ended"
    );
}

#[test]
fn instances_starting_together_migrate_and_seed_once() {
    let Some(_) = postgres_or_skip("instances_starting_together_migrate_and_seed_once") else {
        return;
    };
    let dir = workspace("pg-together");
    let services: Vec<Service> = std::thread::scope(|threads| {
        let starting: Vec<_> = (0..3)
            .map(|_| threads.spawn(|| Service::start(&dir, &[])))
            .collect();
        starting.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let admin = add_user(&dir, "ada", &["admin"], None);
    for service in &services {
        let (status, served) = service.call_as(&admin, "GET", "/playbooks", None);
        assert_eq!(
            (status, &served["playbooks"]),
            (200, &json!(["b2b-sales@1"]))
        );
    }
    let url = support::db(&dir);
    assert_eq!(
        support::pg_rows(&url, "SELECT version::text FROM schema_migrations"),
        ["1"],
        "each version applied once"
    );
    assert_eq!(
        support::pg_rows(
            &url,
            "SELECT value::text FROM counters WHERE name = 'playbooks'"
        ),
        ["1"],
        "the playbooks seeded once"
    );
}

#[test]
fn deals_created_without_ids_through_two_instances_get_distinct_numbers() {
    let Some(_) =
        postgres_or_skip("deals_created_without_ids_through_two_instances_get_distinct_numbers")
    else {
        return;
    };
    let (_dir, first, second) = two_instances("pg-ids");
    let per_client = 15;
    let mut ids: Vec<String> = std::thread::scope(|threads| {
        let clients: Vec<_> = [&first, &second, &first, &second]
            .into_iter()
            .map(|service| {
                threads.spawn(move || {
                    (0..per_client)
                        .map(|_| {
                            let (status, created) = service.call(
                                "POST",
                                "/deals?at=2026-11-27",
                                Some(json!({ "stage": "lead_generation" })),
                            );
                            assert_eq!(status, 201, "{created}");
                            created["deal"]["id"].as_str().unwrap().to_owned()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    ids.sort();
    let expected: Vec<String> = (1..=4 * per_client).map(|n| format!("D-{n:06}")).collect();
    assert_eq!(ids, expected, "each number once, none skipped");
}
