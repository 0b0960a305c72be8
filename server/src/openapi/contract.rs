//! The contract's JSON Schemas (`stagegate::contract::response_schema`, the files of `schema/`)
//! as components of the document: each schema's `definitions` lifted beside it, its references
//! pointed there, and the error object split into one schema per kind.

use serde_json::{json, Map, Value};
use stagegate::ProblemKind;

/// The contract's schemas the API uses: each one's name in the contract and in the document.
const USED: [(&str, &str); 6] = [
    ("deal", "Deal"),
    ("deal-input", "DealInput"),
    ("evaluation", "Evaluation"),
    ("outline", "Outline"),
    ("due-task", "DueTask"),
    ("applied", "Applied"),
];

/// Where the document keeps its schemas.
const COMPONENTS: &str = "#/components/schemas/";

/// Adds the contract's schemas the API uses, and the error object with a schema per kind
/// (`RequestError`, `NotFoundError`, ...), to `schemas`. A definition two schemas share is
/// lifted once; two definitions of one name that differ are told apart by the schema's name
/// (`DealInput_Completion`).
pub fn add(schemas: &mut Map<String, Value>) -> Result<(), String> {
    for (name, component) in USED {
        let schema = stagegate::contract::response_schema(name)
            .ok_or_else(|| format!("the contract has no schema `{name}`"))?;
        let root = lift(schema, component, schemas);
        if schemas.get(component).is_some_and(|taken| *taken != root) {
            return Err(format!("two schemas are called `{component}`"));
        }
        schemas.insert(component.to_owned(), root);
    }
    let errors = stagegate::contract::response_schema("error")
        .ok_or("the contract has no schema `error`")?;
    let mut errors = lift(errors, "Error", schemas);
    let branches = match errors.get_mut("oneOf").map(Value::take) {
        Some(Value::Array(branches)) => branches,
        _ => return Err("the error schema is not one of its kinds".to_owned()),
    };
    let mut refs = Vec::new();
    for branch in branches {
        let kind = branch
            .pointer("/properties/error/const")
            .and_then(Value::as_str)
            .and_then(ProblemKind::from_name)
            .ok_or("an error schema's branch names no kind")?;
        let name = error_schema(kind);
        refs.push(reference(&name));
        schemas.insert(name, with_server_keys(kind, branch));
    }
    errors["oneOf"] = Value::Array(refs);
    schemas.insert("Error".to_owned(), errors);
    for kind in ProblemKind::ALL {
        if !schemas.contains_key(&error_schema(kind)) {
            return Err(format!("the error schema has no branch for `{kind}`"));
        }
    }
    Ok(())
}

/// The keys the server adds to the contract's error object of `kind`: the revision now of a
/// conflict, the roles that may make a move, the playbooks that keep serving, and every reason of
/// a refused create, edit or archive (`problems`, `details`).
fn with_server_keys(kind: ProblemKind, mut branch: Value) -> Value {
    let mut more = match kind {
        ProblemKind::Conflict => {
            json!({ "revision": { "type": "integer", "description": "The deal's revision now (`stale-revision`): read it again." } })
        }
        ProblemKind::Forbidden => {
            json!({ "by": { "type": "array", "items": { "type": "string" }, "description": "For a move: the roles that may make it." } })
        }
        ProblemKind::Refused => json!({}),
        ProblemKind::Load => {
            json!({ "playbooks": { "type": "array", "items": { "type": "string" }, "description": "The playbook versions that keep serving." } })
        }
        _ => return branch,
    };
    if matches!(kind, ProblemKind::Forbidden | ProblemKind::Refused) {
        more["problems"] = json!({ "type": "array", "items": { "type": "string" }, "description": "A refused create, edit, archive or unarchive: every reason, one line each." });
        more["details"] = json!({
            "type": "array",
            "description": "Each of `problems`, for programs: its code (`not-permitted`, `future-history`, ...) and where (`field`: `stages`, `history`, `fields.discount_pct`, `owner`, ...).",
            "items": {
                "type": "object",
                "properties": {
                    "code": { "type": "string" },
                    "message": { "type": "string" },
                    "field": { "type": "string" },
                },
                "required": ["code", "message"],
                "additionalProperties": false,
            },
        });
    }
    if let (Some(Value::Object(properties)), Value::Object(more)) =
        (branch.get_mut("properties"), more)
    {
        properties.extend(more);
    }
    branch
}

/// The name of the schema of one kind's error object: `NotFoundError` for `not-found`.
pub fn error_schema(kind: ProblemKind) -> String {
    let mut name: String = kind
        .as_str()
        .split('-')
        .map(|word| {
            let mut letters = word.chars();
            letters.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + letters.as_str()
            })
        })
        .collect();
    name.push_str("Error");
    name
}

/// `{"$ref": "#/components/schemas/<name>"}`.
pub fn reference(name: &str) -> Value {
    Value::from_iter([(
        "$ref".to_owned(),
        Value::from(format!("{COMPONENTS}{name}")),
    )])
}

/// `schema` without its `definitions` (lifted into `schemas`, under names that do not clash)
/// and its draft-07 `$schema`, every reference pointing at the lifted definitions.
fn lift(mut schema: Value, owner: &str, schemas: &mut Map<String, Value>) -> Value {
    let Some(object) = schema.as_object_mut() else {
        return schema;
    };
    object.remove("$schema");
    let definitions = match object.remove("definitions") {
        Some(Value::Object(definitions)) => definitions,
        _ => Map::new(),
    };
    // A definition keeps its name unless another schema lifted a different one under it (then
    // `<owner>_<name>`, `<owner>_<name>_2`, ...); the names decide the references, which decide
    // the contents: settle them together. Each round renames at least one definition further, and
    // only so many names are taken.
    let mut tries: Map<String, Value> = Map::new();
    let name_of =
        |name: &str, tries: &Map<String, Value>| match tries.get(name).and_then(Value::as_u64) {
            None | Some(0) => name.to_owned(),
            Some(1) => format!("{owner}_{name}"),
            Some(n) => format!("{owner}_{name}_{n}"),
        };
    let names = loop {
        let names: Map<String, Value> = definitions
            .keys()
            .map(|name| (name.clone(), Value::from(name_of(name, &tries))))
            .collect();
        let mut renamed = false;
        for (name, definition) in &definitions {
            let mut lifted = definition.clone();
            point(&mut lifted, &names);
            let target = name_of(name, &tries);
            if schemas.get(&target).is_some_and(|taken| *taken != lifted) {
                let next = tries.get(name).and_then(Value::as_u64).unwrap_or(0) + 1;
                tries.insert(name.clone(), Value::from(next));
                renamed = true;
            }
        }
        if !renamed {
            break names;
        }
    };
    for (name, mut definition) in definitions {
        point(&mut definition, &names);
        let target = names
            .get(&name)
            .and_then(Value::as_str)
            .unwrap_or(&name)
            .to_owned();
        schemas.insert(target, definition);
    }
    point(&mut schema, &names);
    schema
}

/// Points every `#/definitions/<name>` reference in `schema` at the definition's component.
fn point(schema: &mut Value, names: &Map<String, Value>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match (key.as_str(), value.as_str()) {
                    ("$ref", Some(target)) => {
                        if let Some(name) = target.strip_prefix("#/definitions/") {
                            let name = names.get(name).and_then(Value::as_str).unwrap_or(name);
                            *value = Value::from(format!("{COMPONENTS}{name}"));
                        }
                    }
                    _ => point(value, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| point(item, names)),
        _ => {}
    }
}
