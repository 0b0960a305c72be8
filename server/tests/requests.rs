//! Requests the server cannot take, over HTTP: a PATCH of a shape it cannot take is 422 and
//! writes nothing; a PATCH that changes nothing writes no revision; a blank, padded or otherwise
//! unreachable id is refused and nothing is stored; a body that is not a JSON object is a clear
//! 4xx on every route; an id with `/`, `?`, `#` or `%` reaches its routes percent-encoded. Every
//! error fits the contract's error schema.
// Tests fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};

use serde_json::{json, Value};
use support::{add_user, workspace, Service};

/// A started service whose token is a manager's and an admin's.
fn started(name: &str) -> Service {
    let dir = workspace(name);
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    service
}

/// The deal's revision, its audit rows and the feed's events: what a write would change.
fn written(service: &Service, id: &str) -> (Value, usize, usize) {
    let path = format!("/deals/{}", encoded(id));
    let (status, deal) = service.call("GET", &path, None);
    assert_eq!(status, 200, "{deal}");
    let (status, audit) = service.call("GET", &format!("{path}/audit"), None);
    assert_eq!(status, 200, "{audit}");
    let (status, events) = service.call("GET", "/events?limit=1000", None);
    assert_eq!(status, 200, "{events}");
    (
        deal["revision"].clone(),
        audit["audit"].as_array().unwrap().len(),
        events["events"].as_array().unwrap().len(),
    )
}

/// `error` is one of the contract's error objects, of `kind`, answered with its status.
fn refused(status: u16, error: &Value, kind: &str, code: Option<&str>, what: &str) {
    let schema = stagegate::contract::response_schema("error").unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(error)
        .map(|e| e.to_string())
        .collect();
    assert!(problems.is_empty(), "{what}: {problems:?} in {error}");
    assert_eq!(error["error"], kind, "{what}: {error}");
    let expected = stagegate::ProblemKind::from_name(kind).unwrap().status();
    assert_eq!(status, expected, "{what}: {error}");
    if let Some(code) = code {
        assert_eq!(error["code"], code, "{what}: {error}");
    }
    let message = error["message"].as_str().unwrap();
    assert!(
        !message.is_empty() && message.lines().count() == 1,
        "{what}: {message}"
    );
}

/// Every byte but the unreserved ones percent-encoded.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A request with this raw body text: status and JSON answer.
fn raw(service: &Service, method: &str, path: &str, body: &str) -> (u16, Value) {
    let mut stream = std::net::TcpStream::connect(&service.address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        service.token,
        body.len()
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8(answer).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap())
}

fn a_deal(id: &str) -> Value {
    json!({
        "id": id,
        "stage": "qualification",
        "fields": { "amount": 1000, "budget": 50000 },
        "activities": { "discovery_call": "2026-11-20" },
    })
}

#[test]
fn a_patch_of_a_shape_it_cannot_take_is_422_and_writes_nothing() {
    let service = started("requests-patch");
    let (status, created) = service.call("POST", "/deals", Some(a_deal("P-1")));
    assert_eq!(status, 201, "{created}");
    let before = written(&service, "P-1");
    assert_eq!(before, (json!(1), 1, 1));
    let bodies = [
        (json!([1, 2]), "unreadable"),
        (json!(42), "unreadable"),
        (json!("x"), "unreadable"),
        (json!(null), "unreadable"),
        (json!(true), "unreadable"),
        (json!({ "fields": "x" }), "unreadable"),
        (json!({ "fields": [1] }), "unreadable"),
        (json!({ "activities": [1] }), "unreadable"),
        (
            json!({ "activities": { "discovery_call": 5 } }),
            "unreadable",
        ),
        (
            json!({ "activities": { "initial_contact": "not a date" } }),
            "bad-time",
        ),
        (
            json!({ "fields": { "amount": "not a number" } }),
            "wrong-value",
        ),
        (json!({ "fields": { "amuont": 5 } }), "undeclared-field"),
    ];
    for (body, code) in bodies {
        let (status, error) = service.call("PATCH", "/deals/P-1", Some(body.clone()));
        refused(status, &error, "deal", Some(code), &body.to_string());
        assert_eq!(error["deal"], "P-1", "{error}");
        assert_eq!(written(&service, "P-1"), before, "{body} wrote something");
    }
    // A key PATCH does not take, and a revision that is no number: 400, nothing written.
    for body in [json!({ "stage": "won" }), json!({ "revision": "1" })] {
        let (status, error) = service.call("PATCH", "/deals/P-1", Some(body.clone()));
        refused(status, &error, "request", None, &body.to_string());
        assert_eq!(written(&service, "P-1"), before, "{body} wrote something");
    }
    // A body that is not JSON.
    let (status, error) = raw(&service, "PATCH", "/deals/P-1", "{\"fields\":");
    refused(status, &error, "request", None, "half a body");
    assert_eq!(written(&service, "P-1"), before);
}

#[test]
fn a_patch_that_changes_nothing_writes_no_revision() {
    let service = started("requests-same");
    let (status, created) = service.call("POST", "/deals", Some(a_deal("S-1")));
    assert_eq!(status, 201, "{created}");
    let before = written(&service, "S-1");
    for body in [
        json!({}),
        json!({ "fields": {} }),
        json!({ "fields": { "amount": 1000 } }),
        json!({ "fields": { "amount": 1000, "need": null } }),
        json!({ "activities": { "discovery_call": "2026-11-20" } }),
        json!({ "owner": "ada", "revision": 1 }),
    ] {
        let (status, answer) = service.call("PATCH", "/deals/S-1", Some(body.clone()));
        assert_eq!(status, 200, "{body}: {answer}");
        assert_eq!(answer["revision"], 1, "{body}: {answer}");
        assert_eq!(answer["deal"]["fields"]["amount"], 1000);
        assert_eq!(written(&service, "S-1"), before, "{body} wrote something");
    }
    // The time a request gives (`--clock-from-requests`) is no change either (a time after the
    // deal's history: an edit is never dated before it).
    let (status, answer) = service.call(
        "PATCH",
        "/deals/S-1",
        Some(json!({ "at": "2100-01-01", "fields": { "amount": 1000 } })),
    );
    assert_eq!((status, &answer["revision"]), (200, &json!(1)), "{answer}");
    // An empty body is `{}`.
    let (status, answer) = raw(&service, "PATCH", "/deals/S-1", "");
    assert_eq!((status, &answer["revision"]), (200, &json!(1)), "{answer}");
    // A change that changes something is written once.
    let (status, answer) = service.call(
        "PATCH",
        "/deals/S-1",
        Some(json!({ "fields": { "amount": 2000 } })),
    );
    assert_eq!((status, &answer["revision"]), (200, &json!(2)), "{answer}");
    assert_eq!(written(&service, "S-1"), (json!(2), 2, 2));
    let (_, audit) = service.call("GET", "/deals/S-1/audit", None);
    let change = &audit["audit"][1]["change"];
    let edits = change["edited"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{change}");
    assert_eq!(
        (
            &edits[0]["field"],
            &edits[0]["before"],
            &edits[0]["after"],
            &edits[0]["by"]
        ),
        (&json!("amount"), &json!(1000), &json!(2000), &json!("ada")),
        "the audit row says what changed, from what: {change}"
    );
    assert_eq!(edits[0]["at"], answer["deal"]["history"][1]["at"]);
}

#[test]
fn an_id_no_route_could_reach_is_refused_and_nothing_is_stored() {
    let service = started("requests-ids");
    for id in [
        "", " ", "   ", "\t", " X-1", "X-1 ", "X-1\n", "X\n1", "X\u{7}1", "X\u{0}1", ".", "..",
    ] {
        let (status, error) = service.call("POST", "/deals", Some(a_deal(id)));
        refused(status, &error, "deal", Some("bad-id"), &format!("{id:?}"));
        assert_eq!(error["deal"], id);
        assert_eq!(error["details"][0]["code"], "bad-id");
    }
    let long = "L".repeat(201);
    let (status, error) = service.call("POST", "/deals", Some(a_deal(&long)));
    refused(status, &error, "deal", Some("bad-id"), "201 characters");
    let (_, deals) = service.call("GET", "/deals", None);
    assert_eq!(deals["deals"], json!([]), "nothing stored");
    let longest = "L".repeat(200);
    let (status, created) = service.call("POST", "/deals", Some(a_deal(&longest)));
    assert_eq!(status, 201, "{created}");
    let (_, events) = service.call("GET", "/events", None);
    assert_eq!(
        events["events"].as_array().unwrap().len(),
        1,
        "one event: the longest id's"
    );
}

#[test]
fn an_id_with_a_slash_a_question_mark_a_hash_or_a_percent_reaches_its_routes() {
    let service = started("requests-odd-ids");
    for id in [
        "a/b", "a?b=1", "a#b", "a%b", "a%2Fb", "a b", "a+b", "ü-1", "a&b", "a\\b", "...",
    ] {
        let (status, created) = service.call("POST", "/deals", Some(a_deal(id)));
        assert_eq!(status, 201, "{id:?}: {created}");
        let path = format!("/deals/{}", encoded(id));
        let (status, read) = service.call("GET", &path, None);
        assert_eq!(status, 200, "{id:?} at {path}: {read}");
        assert_eq!(read["deal"]["id"], id);
        let (status, changed) = service.call(
            "PATCH",
            &path,
            Some(json!({ "fields": { "amount": 5 }, "revision": 1 })),
        );
        assert_eq!(
            (status, &changed["revision"]),
            (200, &json!(2)),
            "{id:?}: {changed}"
        );
        let (status, audit) = service.call("GET", &format!("{path}/audit"), None);
        assert_eq!(status, 200, "{id:?}: {audit}");
        assert_eq!(audit["audit"].as_array().unwrap().len(), 2);
    }
    // A number is an id too, as its text.
    let (status, created) = service.call("POST", "/deals", Some(a_deal("x")));
    assert_eq!(status, 201, "{created}");
    let mut numbered = a_deal("x");
    numbered["id"] = json!(42);
    let (status, created) = service.call("POST", "/deals", Some(numbered));
    assert_eq!(status, 201, "{created}");
    let (status, read) = service.call("GET", "/deals/42", None);
    assert_eq!((status, &read["deal"]["id"]), (200, &json!("42")), "{read}");
}

#[test]
fn a_body_that_is_not_an_object_is_a_clear_4xx_on_every_route() {
    let service = started("requests-bodies");
    let (status, created) = service.call("POST", "/deals", Some(a_deal("B-1")));
    assert_eq!(status, 201, "{created}");
    let before = written(&service, "B-1");
    let shapes = [json!([1]), json!("x"), json!(42), json!(null), json!(false)];
    for body in &shapes {
        // A new deal that cannot be read as one: 422 `deal`, as a change to a deal.
        let (status, error) = service.call("POST", "/deals", Some(body.clone()));
        refused(
            status,
            &error,
            "deal",
            Some("unreadable"),
            &format!("POST /deals {body}"),
        );
        assert!(
            error["message"].as_str().unwrap().contains("JSON object"),
            "{error}"
        );
        // Any other body: 400 `request`.
        for path in [
            "/deals/B-1/moves",
            "/deals/B-1/approvals",
            "/deals/B-1/migrate",
            "/playbooks/reload",
        ] {
            let (status, error) = service.call("POST", path, Some(body.clone()));
            refused(
                status,
                &error,
                "request",
                None,
                &format!("POST {path} {body}"),
            );
            assert!(
                error["message"].as_str().unwrap().contains("JSON object"),
                "{error}"
            );
        }
    }
    // Parts of the wrong shape.
    for (path, body) in [
        ("/deals/B-1/moves", json!({ "to": 5 })),
        (
            "/deals/B-1/moves",
            json!({ "to": "needs_analysis", "revision": "x" }),
        ),
        ("/deals/B-1/approvals", json!({ "criterion": [] })),
        (
            "/deals/B-1/moves",
            json!({ "to": "needs_analysis", "from": 1 }),
        ),
        ("/deals/B-1/migrate", json!({ "revision": 1.5 })),
        ("/deals/B-1/migrate", json!({ "to": 2 })),
        ("/playbooks/reload", json!({ "files": "x" })),
        ("/playbooks/reload", json!({ "files": { "a.yaml": 5 } })),
    ] {
        let (status, error) = service.call("POST", path, Some(body.clone()));
        refused(
            status,
            &error,
            "request",
            None,
            &format!("POST {path} {body}"),
        );
    }
    let (_, deals) = service.call("GET", "/deals", None);
    assert_eq!(
        deals["deals"].as_array().unwrap().len(),
        1,
        "nothing stored"
    );
    assert_eq!(written(&service, "B-1"), before, "nothing written");
}
