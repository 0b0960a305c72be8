//! `docs/api.md` rendered from the OpenAPI document: authentication, the error kinds with their
//! statuses, every route with its parameters, body, answers and errors, and the server's own
//! schemas.

use serde_json::Value;

/// `docs/api.md`: the document in words.
pub fn render(document: &Value) -> String {
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut out = String::new();
    out.push_str("# The server's API\n\n");
    out.push_str("<!-- Rendered from `GET /openapi.json` by server/tests/openapi.rs: do not edit by hand; `STAGEGATE_UPDATE_DOCS=1 cargo test -p stagegate-server --test openapi` writes it again. -->\n\n");
    out.push_str(&format!(
        "{}\n\nThe document itself: `GET /openapi.json` (OpenAPI {}, version {} of the server).\n\n",
        document["info"]["description"].as_str().unwrap(),
        document["openapi"].as_str().unwrap(),
        document["info"]["version"].as_str().unwrap()
    ));
    out.push_str("## Authentication\n\n");
    out.push_str(
        document["components"]["securitySchemes"]["bearer"]["description"]
            .as_str()
            .unwrap(),
    );
    out.push_str("\n\n## Errors\n\nEvery error is one JSON object of the schema `Error` (`schema/error.schema.json`): its kind in `error`, a stable `code`, a one-line `message`, and the kind's data. The HTTP status follows from the kind:\n\n| kind | status | means |\n|---|---|---|\n");
    for reference in schemas["Error"]["oneOf"].as_array().unwrap() {
        let name = name_of(reference);
        let branch = &schemas[&name];
        let kind = branch["properties"]["error"]["const"].as_str().unwrap();
        let status = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|ops| ops.as_object().unwrap().values())
            .flat_map(|op| op["responses"].as_object().unwrap().iter())
            .find(|(_, response)| {
                let text = response["content"]["application/json"]["schema"].to_string();
                text.contains(&format!("/{name}\""))
            })
            .map_or("-".to_owned(), |(status, _)| status.clone());
        out.push_str(&format!(
            "| `{kind}` | {status} | {} |\n",
            cell(branch["description"].as_str().unwrap_or_default())
        ));
    }
    out.push_str("\n## Routes\n\n| route | token | does |\n|---|---|---|\n");
    let operations: Vec<(String, &str, &Value)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .iter()
                .map(move |(method, op)| (method.to_ascii_uppercase(), path.as_str(), op))
        })
        .collect();
    for (method, path, op) in &operations {
        let token = if op["security"].as_array().unwrap().is_empty() {
            "no"
        } else {
            "yes"
        };
        out.push_str(&format!(
            "| [`{method} {path}`](#{}) | {token} | {} |\n",
            op["operationId"].as_str().unwrap().replace('_', "-"),
            cell(op["summary"].as_str().unwrap())
        ));
    }
    let mut used = Vec::new();
    for (method, path, op) in &operations {
        out.push_str(&format!(
            "\n### {method} {path}\n\n<a id=\"{}\"></a>{}\n\n",
            op["operationId"].as_str().unwrap().replace('_', "-"),
            op["summary"].as_str().unwrap()
        ));
        if let Some(params) = op["parameters"].as_array() {
            out.push_str("| parameter | in | type | required | means |\n|---|---|---|---|---|\n");
            for p in params {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} |\n",
                    p["name"].as_str().unwrap(),
                    p["in"].as_str().unwrap(),
                    p["schema"]["type"].as_str().unwrap(),
                    if p["required"] == true { "yes" } else { "no" },
                    cell(p["description"].as_str().unwrap())
                ));
            }
            out.push('\n');
        }
        if let Some(body) = op.get("requestBody") {
            let schema = &body["content"]["application/json"]["schema"];
            used.push(name_of(schema));
            out.push_str(&format!(
                "Body ({}): {}.\n\n",
                if body["required"] == true {
                    "required"
                } else {
                    "optional"
                },
                link(schema)
            ));
        }
        out.push_str("| status | answer | when |\n|---|---|---|\n");
        for (status, response) in op["responses"].as_object().unwrap() {
            let content = response["content"].as_object().unwrap();
            let (media, body) = content.iter().next().unwrap();
            let answer = if media == "application/json" {
                let schema = &body["schema"];
                if schema.get("$ref").is_some() && status.starts_with('2') {
                    used.push(name_of(schema));
                    link(schema)
                } else {
                    type_of(schema)
                }
            } else {
                format!("`{media}`")
            };
            out.push_str(&format!(
                "| {status} | {} | {} |\n",
                cell(&answer),
                cell(response["description"].as_str().unwrap())
            ));
        }
    }
    out.push_str("\n## Bodies and answers\n\nThe server's own schemas; the contract's (`Deal`, `Evaluation`, `Outline`, ...) are those of `schema/` and `docs/json.md`, under `components/schemas` of the document.\n");
    let mut shown = std::collections::BTreeSet::new();
    // The answers, then the server's own schemas they refer to (a board's columns and cards).
    let mut queue: std::collections::VecDeque<String> = used.into_iter().collect();
    while let Some(name) = queue.pop_front() {
        if !shown.insert(name.clone()) {
            continue;
        }
        let schema = &schemas[&name];
        if schema["title"].is_null() {
            for inner in schema["properties"]
                .as_object()
                .into_iter()
                .flat_map(|p| p.values())
            {
                let target = if inner["items"].is_object() {
                    &inner["items"]
                } else {
                    inner
                };
                if target.get("$ref").is_some() {
                    let referred = name_of(target);
                    if schemas[&referred]["title"].is_null() {
                        queue.push_back(referred);
                    }
                }
            }
        }
        let title = schema["title"].as_str();
        out.push_str(&format!("\n### {name}\n\n"));
        if let Some(title) = title {
            let file = title.trim_start_matches("stagegate ");
            out.push_str(&format!(
                "The contract's `{file}` (`schema/{file}.schema.json`): {}\n",
                schema["description"].as_str().unwrap_or_default()
            ));
            continue;
        }
        out.push_str(schema["description"].as_str().unwrap_or_default());
        out.push('\n');
        if schema["properties"].is_object() {
            out.push_str("\n| key | type | required | means |\n|---|---|---|---|\n");
            rows(schema, "", &mut out);
        }
    }
    out
}

/// A row per key of an object's schema, and of the objects inside it (`deals[].id`).
fn rows(schema: &Value, prefix: &str, out: &mut String) {
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (key, property) in properties {
        let name = format!("{prefix}{key}");
        out.push_str(&format!(
            "| `{name}` | {} | {} | {} |\n",
            cell(&type_of(property)),
            if required.contains(&key.as_str()) {
                "yes"
            } else {
                "no"
            },
            cell(property["description"].as_str().unwrap_or_default())
        ));
        rows(property, &format!("{name}."), out);
        rows(&property["items"], &format!("{name}[]."), out);
    }
}

/// A link to the section of the schema a `$ref` names.
fn link(schema: &Value) -> String {
    let name = name_of(schema);
    format!("[`{name}`](#{})", name.to_ascii_lowercase())
}

/// The component a `$ref` names (`DealView`), or `""`.
fn name_of(schema: &Value) -> String {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}

/// A schema's type in a few words: `` `Deal` ``, `list of string`, `` `A` or `B` ``.
fn type_of(schema: &Value) -> String {
    if schema.get("$ref").is_some() {
        return format!("`{}`", name_of(schema));
    }
    if let Some(value) = schema.get("const") {
        return format!("`{value}`");
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[key].as_array() {
            let parts: Vec<String> = parts.iter().map(type_of).collect();
            return parts.join(" or ");
        }
    }
    match &schema["type"] {
        Value::String(t) if t == "array" => format!("list of {}", type_of(&schema["items"])),
        Value::String(t) => t.clone(),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_owned(),
    }
}

/// Text for a table cell: one line, no bar.
fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}
