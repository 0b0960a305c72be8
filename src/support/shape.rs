//! Checking a document's shape against its JSON Schema: every unknown key, missing key, wrong type
//! and unknown value at once, each at its path.

use serde_json::{Map, Value};

use super::suggest;

/// One shape problem, at a path of the source map.
#[derive(Debug)]
pub(crate) struct ShapeProblem {
    pub code: &'static str,
    pub path: String,
    /// Point at the key of `path` rather than its value.
    pub at_key: bool,
    pub message: String,
    pub help: Option<String>,
}

/// Every shape problem of `value` against the root `schema`; messages start with the path
/// (`stages[1].max_days: ...`).
pub(crate) fn check(value: &Value, schema: &Value) -> Vec<ShapeProblem> {
    check_named(value, schema, &|path| path.to_owned())
}

/// Every shape problem of `value` against the root `schema`; messages start with what `name`
/// calls the path (`stage `qualify`, `max_days`: ...`).
pub(crate) fn check_named(
    value: &Value,
    schema: &Value,
    name: &dyn Fn(&str) -> String,
) -> Vec<ShapeProblem> {
    let mut walk = Walk {
        root: schema,
        problems: Vec::new(),
        name,
    };
    walk.node(value, schema, "");
    walk.problems
}

struct Walk<'s, 'n> {
    root: &'s Value,
    problems: Vec<ShapeProblem>,
    /// What messages call a path.
    name: &'n dyn Fn(&str) -> String,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The JSON type names a value matches (an integer is also a number).
fn types_of(value: &Value) -> &'static [&'static str] {
    match value {
        Value::Null => &["null"],
        Value::Bool(_) => &["boolean"],
        Value::Number(n) if n.is_i64() || n.is_u64() => &["integer", "number"],
        Value::Number(_) => &["number"],
        Value::String(_) => &["string"],
        Value::Array(_) => &["array"],
        Value::Object(_) => &["object"],
    }
}

fn described(kind: &str) -> &'static str {
    match kind {
        "null" => "nothing",
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a text",
        "array" => "a list",
        _ => "a map",
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("text `{}`", super::text::shorten(s)),
        Value::Number(n) => format!("number `{n}`"),
        Value::Bool(b) => format!("`{b}`"),
        Value::Null => "nothing".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a map".to_owned(),
    }
}

impl<'s> Walk<'s, '_> {
    /// The start of a message about `path`: what it is called, and `: `.
    fn prefix(&self, path: &str) -> String {
        if path.is_empty() {
            String::new()
        } else {
            format!("{}: ", (self.name)(path))
        }
    }

    fn resolve(&self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            let found = self
                .root
                .get("definitions")
                .or_else(|| self.root.get("$defs"))
                .and_then(|defs| defs.get(name));
            match found {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The types a schema accepts, when it says.
    /// A key pushed out of its block by indentation: a sibling whose value (or whose items) take
    /// `key`, as help.
    fn pushed_out(
        &self,
        map: &Map<String, Value>,
        properties: Option<&'s Map<String, Value>>,
        key: &str,
    ) -> Option<String> {
        let sibling = map.keys().find(|sibling| {
            properties
                .and_then(|p| p.get(sibling.as_str()))
                .is_some_and(|schema| self.takes_key(schema, key, 0))
        })?;
        Some(format!(
            "`{key}` is not a key here, but it is one under `{sibling}`: indent it into the \
             `{sibling}` block if it belongs there"
        ))
    }

    /// Whether a value of `schema` (a map, or a list of maps) may hold `key`.
    fn takes_key(&self, schema: &'s Value, key: &str, depth: usize) -> bool {
        if depth > 4 {
            return false;
        }
        let schema = self.resolve(schema);
        if schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key(key))
        {
            return true;
        }
        if let Some(items) = schema.get("items") {
            if self.takes_key(items, key, depth + 1) {
                return true;
            }
        }
        ["anyOf", "oneOf", "allOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| self.takes_key(b, key, depth + 1)))
        })
    }

    fn accepted(&self, schema: &'s Value) -> Vec<&'s str> {
        let schema = self.resolve(schema);
        match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => match schema.get("anyOf").or_else(|| schema.get("oneOf")) {
                Some(Value::Array(branches)) => {
                    branches.iter().flat_map(|b| self.accepted(b)).collect()
                }
                _ => Vec::new(),
            },
        }
    }

    fn node(&mut self, value: &Value, schema: &'s Value, path: &str) {
        let schema = self.resolve(schema);
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            for part in parts {
                self.node(value, part, path);
            }
        }
        if let Some(Value::Array(branches)) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            if let Some(names) = self.constants(branches) {
                if !value.is_null() && !value.as_str().is_some_and(|v| names.contains(&v)) {
                    self.unknown_value(value, &names, path);
                }
                return;
            }
            self.branches(value, branches, path);
            return;
        }
        let accepted = self.accepted(schema);
        let mine = types_of(value);
        if !accepted.is_empty() && !accepted.iter().any(|t| mine.contains(t)) {
            self.wrong_type(value, &accepted, path);
            return;
        }
        if let Some(Value::Array(allowed)) = schema.get("enum") {
            if !allowed.contains(value) {
                let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
                self.unknown_value(value, &names, path);
                return;
            }
        }
        if let Some(constant) = schema.get("const") {
            if constant != value {
                let names: Vec<&str> = constant.as_str().into_iter().collect();
                self.unknown_value(value, &names, path);
                return;
            }
        }
        if let (Some(minimum), Some(number)) = (
            schema.get("minimum").and_then(Value::as_f64),
            value.as_f64(),
        ) {
            if number < minimum {
                self.problems.push(ShapeProblem {
                    code: "out-of-range",
                    path: path.to_owned(),
                    at_key: false,
                    message: format!(
                        "{}`{number}` is below the minimum {minimum}",
                        self.prefix(path)
                    ),
                    help: None,
                });
            }
        }
        match value {
            Value::Object(map) => self.map(map, schema, path),
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    for (i, element) in items.iter().enumerate() {
                        self.node(element, item, &format!("{path}[{i}]"));
                    }
                }
            }
            _ => {}
        }
    }

    fn map(&mut self, map: &Map<String, Value>, schema: &'s Value, path: &str) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let extra = schema.get("additionalProperties");
        for (key, value) in map {
            let here = join(path, key);
            if let Some(property) = properties.and_then(|p| p.get(key)) {
                self.node(value, property, &here);
                continue;
            }
            match extra {
                Some(Value::Bool(false)) => {
                    let known: Vec<&str> = properties
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let help = suggest::did_you_mean(key, known.iter().copied())
                        .or_else(|| self.pushed_out(map, properties, key))
                        .or_else(|| {
                            (!known.is_empty())
                                .then(|| format!("allowed keys: {}", known.join(", ")))
                        });
                    self.problems.push(ShapeProblem {
                        code: "unknown-key",
                        path: here,
                        at_key: true,
                        message: format!("{}unknown key `{key}`", self.prefix(path)),
                        help,
                    });
                }
                Some(other @ Value::Object(_)) => self.node(value, other, &here),
                _ => {}
            }
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(key) {
                    self.problems.push(ShapeProblem {
                        code: "missing-key",
                        path: path.to_owned(),
                        at_key: false,
                        message: format!("{}missing key `{key}`", self.prefix(path)),
                        help: None,
                    });
                }
            }
        }
    }

    /// `anyOf`: fine when one branch fits; else the problems of the branch of the value's type.
    fn branches(&mut self, value: &Value, branches: &'s [Value], path: &str) {
        let mine = types_of(value);
        let mut best: Option<Vec<ShapeProblem>> = None;
        for branch in branches {
            let accepted = self.accepted(branch);
            if !accepted.is_empty() && !accepted.iter().any(|t| mine.contains(t)) {
                continue;
            }
            let mut inner = Walk {
                root: self.root,
                problems: Vec::new(),
                name: self.name,
            };
            inner.node(value, branch, path);
            if inner.problems.is_empty() {
                return;
            }
            if best.is_none() {
                best = Some(inner.problems);
            }
        }
        match best {
            Some(problems) => self.problems.extend(problems),
            None => {
                let accepted: Vec<&str> = branches.iter().flat_map(|b| self.accepted(b)).collect();
                self.wrong_type(value, &accepted, path);
            }
        }
    }

    /// The names of an `anyOf` whose branches are all constants (or null): an enum.
    fn constants(&self, branches: &'s [Value]) -> Option<Vec<&'s str>> {
        let mut names = Vec::new();
        for branch in branches {
            let branch = self.resolve(branch);
            if let Some(Value::Array(inner)) = branch.get("anyOf").or_else(|| branch.get("oneOf")) {
                names.extend(self.constants(inner)?);
            } else if let Some(name) = branch.get("const").and_then(Value::as_str) {
                names.push(name);
            } else if let Some(Value::Array(all)) = branch.get("enum") {
                names.extend(all.iter().filter_map(Value::as_str));
            } else if branch.get("type").and_then(Value::as_str) != Some("null") {
                return None;
            }
        }
        (!names.is_empty()).then_some(names)
    }

    fn unknown_value(&mut self, value: &Value, names: &[&str], path: &str) {
        let given = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        self.problems.push(ShapeProblem {
            code: "unknown-value",
            path: path.to_owned(),
            at_key: false,
            message: format!(
                "{}unknown value `{given}`, expected {}",
                self.prefix(path),
                suggest::list(names)
            ),
            help: suggest::did_you_mean(&given, names.iter().copied()),
        });
    }

    fn wrong_type(&mut self, value: &Value, accepted: &[&str], path: &str) {
        let mut names: Vec<&str> = Vec::new();
        for kind in accepted.iter().filter(|k| **k != "null") {
            let name = described(kind);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if names.contains(&"a number") {
            names.retain(|n| *n != "a whole number");
        }
        self.problems.push(ShapeProblem {
            code: "wrong-type",
            path: path.to_owned(),
            at_key: false,
            message: format!(
                "{}expected {}, got {}",
                self.prefix(path),
                names.join(" or "),
                shown(value)
            ),
            help: None,
        });
    }
}
