//! `GET /openapi.json`: an OpenAPI 3.1 document whose every reference resolves and every schema is
//! a JSON Schema 2020-12; every route it lists is served by the router (none answers the router's
//! `no route`), and every answer a route gives has its status listed and fits the schema listed
//! for it. `docs/api.md` is rendered from the document: the test fails when the committed file
//! differs; `STAGEGATE_UPDATE_DOCS=1 cargo test -p stagegate-server --test openapi` rewrites it.
// Tests fail loudly by design.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_docs;
mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service};

/// The document, as served without a token.
fn served(service: &Service) -> Value {
    let (status, head, body) = service.fetch("/openapi.json");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("application/json"), "{head}");
    serde_json::from_slice(&body).unwrap()
}

/// Every `$ref` in `value`, with where it is.
fn references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match (key.as_str(), inner.as_str()) {
                    ("$ref", Some(target)) => found.push((at.to_owned(), target.to_owned())),
                    _ => references(inner, &format!("{at}/{key}"), found),
                }
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                references(item, &format!("{at}/{n}"), found);
            }
        }
        _ => {}
    }
}

/// A validator of `schema`, its references resolved in the document's components.
fn validator(document: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = schema.clone();
    root["components"] = document["components"].clone();
    jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{e}: {schema}"))
}

/// The operation `method path` (a template, `/deals/{id}`) of the document.
fn operation<'d>(document: &'d Value, method: &str, template: &str) -> &'d Value {
    let operation = &document["paths"][template][method.to_ascii_lowercase()];
    assert!(operation.is_object(), "{method} {template} is not listed");
    operation
}

/// Checks that `status` is listed for `method template` and that `body` fits its schema.
fn fits(document: &Value, method: &str, template: &str, status: u16, body: &Value) {
    let response = &operation(document, method, template)["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {template} answered {status}, which the document does not list: {body}"
    );
    let schema = &response["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {template} {status}: no JSON schema listed"
    );
    let problems: Vec<String> = validator(document, schema)
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{method} {template} {status}: {problems:#?}\n{body}"
    );
}

#[test]
fn the_document_is_openapi_3_1_and_the_router_serves_exactly_its_routes() {
    let dir = workspace("openapi");
    let mut service = Service::start(&dir, &[]);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    let document = served(&service);

    // Its structure.
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        document["openapi"]
    );
    assert!(document["info"]["title"].is_string() && document["info"]["version"].is_string());
    let mut found = Vec::new();
    references(&document, "#", &mut found);
    assert!(found.len() > 50, "{} references", found.len());
    for (at, target) in &found {
        let pointer = target.strip_prefix('#').unwrap_or_else(|| {
            panic!("{at}: `{target}` points outside the document");
        });
        assert!(
            document.pointer(pointer).is_some(),
            "{at}: `{target}` resolves to nothing"
        );
    }
    for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
        assert!(
            jsonschema::draft202012::meta::is_valid(schema),
            "components/schemas/{name} is no JSON Schema 2020-12"
        );
        validator(&document, schema);
    }
    // The schemas do refuse what they do not describe.
    let view = validator(
        &document,
        &json!({ "$ref": "#/components/schemas/DealView" }),
    );
    assert!(!view.is_valid(&json!({ "deal": {}, "revision": 1 })));
    let errors = validator(&document, &json!({ "$ref": "#/components/schemas/Error" }));
    assert!(!errors.is_valid(&json!({ "error": "no-such-kind", "code": "x", "message": "x" })));
    assert!(errors.is_valid(&json!({ "error": "not-found", "code": "x", "message": "x" })));
    let mut ids = std::collections::BTreeSet::new();
    let paths = document["paths"].as_object().unwrap();
    for (path, operations) in paths {
        assert!(path.starts_with('/'), "{path}");
        let in_path: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, operation) in operations.as_object().unwrap() {
            assert!(
                ["get", "post", "patch", "delete"].contains(&method.as_str()),
                "{method} {path}"
            );
            assert!(ids.insert(operation["operationId"].as_str().unwrap().to_owned()));
            assert!(operation["summary"].is_string());
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .map(|params| {
                    params
                        .iter()
                        .filter(|p| p["in"] == "path")
                        .inspect(|p| assert_eq!(p["required"], true, "{method} {path}"))
                        .map(|p| p["name"].as_str().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, in_path, "{method} {path}: its path parameters");
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path}: no answer"
            );
            let token = operation["security"].as_array().unwrap().len() == 1;
            assert_eq!(
                responses.contains_key("401"),
                token,
                "{method} {path}: 401 listed exactly when a token is needed"
            );
            for status in responses.keys() {
                let status: u16 = status.parse().unwrap();
                assert!((200..600).contains(&status), "{method} {path}: {status}");
            }
        }
    }

    // Every route of the document is served: none answers the router's `no route`, and each
    // answer's status is listed, its body fitting the schema listed for it.
    let (status, created) = service.call("POST", "/deals", Some(json!({ "id": "OPEN-1" })));
    assert_eq!(status, 201, "{created}");
    let pin = created["deal"]["playbook"].as_str().unwrap().to_owned();
    for (template, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let method = method.to_ascii_uppercase();
            let path = template
                .replace("{id}", "OPEN-1")
                .replace("{pin}", &pin)
                .replace("{file}", "board.js");
            // A live stream answers for as long as the client listens: asked from a position
            // that is no event id, it answers at once (400, in the contract's shape).
            let path = if template == "/events/stream" {
                format!("{path}?after=soon")
            } else {
                path
            };
            let token = operation["security"].as_array().unwrap().len() == 1;
            let (status, body) = if token {
                let body = (method != "GET").then(|| json!({}));
                service.call(&method, &path, body)
            } else {
                let (status, head, body) = service.fetch(&path);
                if !head.contains("application/json") {
                    assert_eq!(status, 200, "{method} {path}: {head}");
                    continue;
                }
                (status, serde_json::from_slice(&body).unwrap())
            };
            let message = body["message"].as_str().unwrap_or_default();
            assert!(
                !message.starts_with("no route"),
                "{method} {path}: the router does not serve it: {body}"
            );
            assert_ne!(status, 405, "{method} {path}: {body}");
            fits(&document, &method, template, status, &body);
        }
    }
    // And nothing else is.
    for (method, path) in [("GET", "/deals/OPEN-1/nothing"), ("GET", "/nothing")] {
        let (status, body) = service.call(method, path, None);
        assert_eq!(status, 404, "{method} {path}: {body}");
        assert!(body["message"].as_str().unwrap().starts_with("no route"));
    }
    let (status, body) = service.call("PUT", "/deals/OPEN-1", None);
    assert_eq!(status, 405, "{body}");

    // The answers of a deal's life fit their schemas too.
    let deal = json!({
        "id": "OPEN-2",
        "stage": "qualification",
        "fields": { "budget": 50000 },
        "activities": { "discovery_call": "2026-11-20" },
    });
    let checks: [(&str, &str, &str, Option<Value>); 10] = [
        ("POST", "/deals", "/deals", Some(deal)),
        ("POST", "/deals", "/deals", Some(json!({ "id": "OPEN-2" }))),
        (
            "POST",
            "/deals/OPEN-2/moves",
            "/deals/{id}/moves",
            Some(json!({ "to": "needs_analysis" })),
        ),
        (
            "POST",
            "/deals/OPEN-2/moves",
            "/deals/{id}/moves",
            Some(json!({ "to": "needs_analysis", "force": "the customer asked", "revision": 1 })),
        ),
        (
            "POST",
            "/deals/OPEN-2/moves",
            "/deals/{id}/moves",
            Some(json!({ "to": "needs_analysis", "revision": 1 })),
        ),
        (
            "PATCH",
            "/deals/OPEN-2",
            "/deals/{id}",
            Some(json!({ "fields": { "budgett": 1 } })),
        ),
        ("GET", "/deals/OPEN-2/audit", "/deals/{id}/audit", None),
        ("GET", "/events?after=0", "/events", None),
        ("GET", "/deals?stalled=true", "/deals", None),
        (
            "POST",
            "/playbooks/reload",
            "/playbooks/reload",
            Some(json!({ "files": { "broken.yaml": "stagegate: 1\n" } })),
        ),
    ];
    let mut statuses = Vec::new();
    for (method, path, template, body) in checks {
        let (status, answer) = service.call(method, path, body);
        fits(&document, method, template, status, &answer);
        statuses.push(status);
    }
    assert_eq!(statuses, [201, 409, 409, 200, 409, 422, 200, 200, 200, 422]);
    let (status, answer) = service.call_with(None, "GET", "/deals", None);
    fits(&document, "GET", "/deals", status, &answer);
    assert_eq!(status, 401);

    // docs/api.md is the document, rendered.
    let rendered = api_docs::render(&document);
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api.md");
    if std::env::var_os("STAGEGATE_UPDATE_DOCS").is_some() {
        std::fs::write(&file, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/api.md differs from GET /openapi.json: write it again with `STAGEGATE_UPDATE_DOCS=1 cargo test -p stagegate-server --test openapi` and read the diff"
    );
}
