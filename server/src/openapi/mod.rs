//! The API as an OpenAPI 3.1 document, made from the route table (`routes.rs`): every route with
//! its parameters, body, answer and error kinds; the contract's JSON Schemas and the server's own
//! under `components/schemas`.

mod answers;
mod contract;

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use stagegate::ProblemKind;

use crate::routes::{Access, Answer, In, Param, Route, ROUTES};

pub use contract::error_schema;

/// How a caller authenticates, as the document says it.
const AUTHENTICATION: &str = "Every route but `GET /health`, `GET /ready`, `GET /metrics`, `GET /openapi.json` and the pages needs `Authorization: Bearer <token>`; without a valid token the answer is 401 `unauthorized`. `stagegate-server add-user <id> --role <role>` prints a new user's token (once); `add-user <id> --rotate` replaces it, `revoke-user <id>` removes the user.";

/// What every route of the API takes beside its own parameters.
const COMMON: [Param; 2] = [
    Param {
        name: "lang",
        place: In::Query,
        kind: "string",
        about: "Messages, titles and blockers in this language (else the server's `--lang`, else each playbook's default).",
    },
    Param {
        name: "at",
        place: In::Query,
        kind: "string",
        about: "The evaluation time, a date or RFC 3339 time: only a server started with `--clock-from-requests` takes it (400 otherwise); a body's `at` is the same.",
    },
];

/// The OpenAPI document of every route, made once; an error only if the contract's schemas are
/// not what the document expects (a defect, answered as 500).
pub fn document() -> Result<Value, String> {
    static DOCUMENT: OnceLock<Result<Value, String>> = OnceLock::new();
    DOCUMENT.get_or_init(made).clone()
}

/// The document, made from the route table and the schemas.
fn made() -> Result<Value, String> {
    let mut schemas = Map::new();
    contract::add(&mut schemas)?;
    answers::add(&mut schemas);
    let mut paths = Map::new();
    for route in ROUTES {
        let entry = paths
            .entry(route.path.replace("{*", "{"))
            .or_insert_with(|| json!({}));
        entry[route.method.to_ascii_lowercase()] = operation(route);
    }
    Ok(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "stagegate server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("The stagegate server's HTTP JSON API: deals, their moves, approvals and migrations, evaluated by the engine against versioned playbooks. {AUTHENTICATION} Every error is one JSON object, `{{\"error\": <kind>, \"code\", \"message\", ...}}`, its HTTP status given by its kind (`Error`). Every `GET` also answers `HEAD`, without a body; a path no route has is 404 `not-found`, a method its route does not take 405 (kind `request`, code `method-not-allowed`). A body, where a route takes one, is a JSON object (an empty body reads as `{{}}`): any other is 422 `deal` for `POST /deals` and `PATCH /deals/{{id}}`, 400 `request` elsewhere."),
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": AUTHENTICATION },
            },
            "schemas": schemas,
        },
    }))
}

/// The operation of one route.
fn operation(route: &Route) -> Value {
    let mut operation = json!({
        "operationId": operation_id(route),
        "summary": route.summary,
        "security": match route.access {
            Access::Open => json!([]),
            Access::Token => json!([{ "bearer": [] }]),
        },
    });
    let common: &[Param] = if route.is_page() { &[] } else { &COMMON };
    let parameters: Vec<Value> = route.params.iter().chain(common).map(parameter).collect();
    if !parameters.is_empty() {
        operation["parameters"] = Value::Array(parameters);
    }
    if let Some(body) = route.body {
        operation["requestBody"] = json!({
            // Without a body, reloading loads the directory again; archiving takes its reason
            // in the query as well, and unarchiving needs nothing.
            "required": !matches!(body, "Reload" | "Archiving" | "Unarchiving"),
            "content": { "application/json": { "schema": contract::reference(body) } },
        });
    }
    let mut responses = Map::new();
    let (status, content) = match route.answer {
        Answer::Json(status, schema) => (
            status,
            json!({ "application/json": { "schema": contract::reference(schema) } }),
        ),
        Answer::Text(media) => (200, json!({ media: { "schema": { "type": "string" } } })),
        Answer::File => (
            200,
            json!({ "application/octet-stream": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } } }),
        ),
    };
    let done = if status == 201 { "Created." } else { "OK." };
    responses.insert(
        status.to_string(),
        json!({ "description": done, "content": content }),
    );
    for (status, kinds) in by_status(route.errors()) {
        responses.insert(status.to_string(), failure(&kinds));
    }
    operation["responses"] = Value::Object(responses);
    operation
}

/// `get_deals_id_moves` for `GET /deals/{id}/moves`; `get_index` for `/`, `..._dir` for a path
/// ending in `/`.
fn operation_id(route: &Route) -> String {
    let mut id = route.method.to_ascii_lowercase();
    let words: Vec<String> = route
        .path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            segment
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
                .trim_matches('_')
                .to_owned()
        })
        .collect();
    if words.is_empty() {
        id.push_str("_index");
    }
    for word in words {
        id.push('_');
        id.push_str(&word);
    }
    if route.path.len() > 1 && route.path.ends_with('/') {
        id.push_str("_dir");
    }
    id
}

/// A parameter object.
fn parameter(param: &Param) -> Value {
    json!({
        "name": param.name,
        "in": match param.place { In::Path => "path", In::Query => "query" },
        "required": param.place == In::Path,
        "description": param.about,
        "schema": { "type": param.kind },
    })
}

/// Error kinds, each with when it is answered.
type Failures = Vec<(ProblemKind, String)>;

/// The kinds, with when each is answered, grouped by their HTTP status, in order.
fn by_status(kinds: Failures) -> Vec<(u16, Failures)> {
    let mut grouped: Vec<(u16, Failures)> = Vec::new();
    for (kind, when) in kinds {
        match grouped
            .iter_mut()
            .find(|(status, _)| *status == kind.status())
        {
            Some((_, same)) => same.push((kind, when)),
            None => grouped.push((kind.status(), vec![(kind, when)])),
        }
    }
    grouped.sort_by_key(|(status, _)| *status);
    grouped
}

/// The response of one status: an error object of one of `kinds`, each said with when.
fn failure(kinds: &[(ProblemKind, String)]) -> Value {
    let whens: Vec<String> = kinds
        .iter()
        .map(|(kind, when)| format!("`{kind}`: {when}."))
        .collect();
    let refs: Vec<Value> = kinds
        .iter()
        .map(|(kind, _)| contract::reference(&error_schema(*kind)))
        .collect();
    let schema = match <[Value; 1]>::try_from(refs) {
        Ok([one]) => one,
        Err(refs) => json!({ "oneOf": refs }),
    };
    json!({
        "description": whens.join(" "),
        "content": { "application/json": { "schema": schema } },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_document_lists_exactly_the_route_table() {
        let document = document().unwrap();
        let mut listed = Vec::new();
        for (path, operations) in document["paths"].as_object().unwrap() {
            for method in operations.as_object().unwrap().keys() {
                listed.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
        let mut table: Vec<(String, String)> = ROUTES
            .iter()
            .map(|r| (r.method.to_owned(), r.path.replace("{*", "{")))
            .collect();
        listed.sort();
        table.sort();
        assert_eq!(listed, table);
    }

    #[test]
    fn each_route_declares_the_parameters_of_its_path() {
        for route in ROUTES {
            let mut in_path: Vec<&str> = route
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .map(|s| s.trim_start_matches('*'))
                .collect();
            let mut declared: Vec<&str> = route
                .params
                .iter()
                .filter(|p| p.place == In::Path)
                .map(|p| p.name)
                .collect();
            in_path.sort_unstable();
            declared.sort_unstable();
            assert_eq!(in_path, declared, "{} {}", route.method, route.path);
        }
    }
}
