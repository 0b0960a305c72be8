//! The JSON Schema (draft-07) of every JSON answer: the contract's answers and errors, and every
//! JSON the command line prints (`schema/<name>.schema.json`, `stagegate schema <name>`).
//!
//! Each schema is generated from the type that is serialised, with serde's rules for writing
//! (a field skipped when empty is optional, one always written is required), so a schema cannot
//! drift from what is written. Objects are closed (`additionalProperties: false`): a key renamed
//! or added is a validation error, for hosts that check what they are given.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

use super::problem::Detail;
use crate::analytics::{DealImpact, ImpactSummary};
use crate::deal::Deal;
use crate::engine::{Applied, DealScores, DueTask, Evaluation, MoveCheck};
use crate::support::diagnostic::Diagnostic;
use crate::testing::TestReport;

/// The names of every schema, as `stagegate schema <name>` takes them and as the files
/// `schema/<name>.schema.json` are called. `playbook` is the playbook format; every other one is
/// an answer.
pub const SCHEMA_NAMES: &[&str] = &[
    "playbook",
    "deal-input",
    "evaluation",
    "evaluation-list",
    "scores",
    "scores-list",
    "evaluation-batch",
    "scores-batch",
    "diagnostics",
    "applied",
    "edited",
    "deal",
    "deal-list",
    "move-check",
    "error",
    "due-task",
    "due-task-list",
    "metrics",
    "test-report",
    "impact",
    "deal-impact",
    "impact-summary",
    "outline",
];

/// `stagegate impact --format json`: written item by item by the command line, described here.
#[derive(JsonSchema)]
#[allow(dead_code)] // never built: the command line streams this document
struct ImpactDocument {
    /// What changes for each deal, in input order.
    deals: Vec<DealImpact>,
    /// The figures over every deal.
    summary: ImpactSummary,
}

/// One deal's answer in a batch: its answer, or its own error object in its place.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)] // never built: the batch writes each answer's JSON text in its place
enum BatchAnswer<T> {
    /// The deal's answer.
    Answer(T),
    /// The deal's error (a deal without an id is named by its position, `#3`).
    Error(ErrorObject),
}

/// What every error object holds, whatever its kind.
#[derive(JsonSchema)]
#[allow(dead_code)] // never built: a `Problem` writes itself (contract/problem/json.rs)
struct Common {
    /// A stable code, finer than the kind (`undeclared-field`, `not-declared`, `own-deal`).
    code: String,
    /// What is wrong, in one line.
    message: String,
    /// How to fix it, when there is something to suggest.
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    /// The file the problem is in, when it is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    /// The 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    /// The 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

/// What every error object of a kind without data of its own holds.
#[derive(JsonSchema)]
#[allow(dead_code)] // never built: a `Problem` writes itself
struct Plain {
    #[serde(flatten)]
    common: Common,
    /// The deal it is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    deal: Option<String>,
}

/// An error object: `{"error": <kind>, "code", "message", ...}`, each kind with its data; the
/// shape a `Problem` writes (docs/json.md lists the kinds).
#[derive(JsonSchema)]
#[serde(tag = "error", rename_all = "kebab-case")]
#[allow(dead_code)] // never built: a `Problem` writes itself
enum ErrorObject {
    /// The request is not what the call takes.
    Request {
        #[serde(flatten)]
        plain: Plain,
    },
    /// The caller is not known.
    Unauthorized {
        #[serde(flatten)]
        plain: Plain,
    },
    /// The caller may not make or force the move, or give the approval, or use the route.
    Forbidden {
        #[serde(flatten)]
        common: Common,
        /// The deal it is about, when it is about one.
        #[serde(skip_serializing_if = "Option::is_none")]
        deal: Option<String>,
        /// The move, with every blocker, when a move was refused.
        #[serde(rename = "move", skip_serializing_if = "Option::is_none")]
        check: Option<MoveCheck>,
        /// The roles that may.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        roles: Vec<String>,
        /// For a change (create, import, edit, archive): every change refused, one line each.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        problems: Vec<String>,
        /// Each of `problems` for programs: its code, and the place in the deal (`field`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        details: Vec<Detail>,
    },
    /// What the request names does not exist.
    NotFound {
        #[serde(flatten)]
        plain: Plain,
    },
    /// The request conflicts with what is stored.
    Conflict {
        #[serde(flatten)]
        plain: Plain,
    },
    /// A move blocked by its gates.
    Blocked {
        #[serde(flatten)]
        common: Common,
        /// The deal it is about, when it is about one.
        #[serde(skip_serializing_if = "Option::is_none")]
        deal: Option<String>,
        /// The move, with every blocker.
        #[serde(rename = "move")]
        check: MoveCheck,
    },
    /// Any other refusal of a move, an approval, a migration or a change.
    Refused {
        #[serde(flatten)]
        plain: Plain,
        /// For a change (create, import, edit, archive): every reason, one line each.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        problems: Vec<String>,
        /// Each of `problems` for programs: its code, and the place in the deal (`field`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        details: Vec<Detail>,
    },
    /// The request is larger than the limit.
    TooLarge {
        #[serde(flatten)]
        plain: Plain,
    },
    /// The playbook does not load.
    Load {
        #[serde(flatten)]
        common: Common,
        /// Every diagnostic, as `check --format json` prints them.
        diagnostics: Vec<Diagnostic>,
    },
    /// A deal does not fit the playbook, or cannot be read, imported or migrated.
    Deal {
        #[serde(flatten)]
        common: Common,
        /// The deal's id, or its position (`#3`) when it has none.
        deal: String,
        /// Every problem, one line each.
        problems: Vec<String>,
        /// Each problem for programs: its code, and the field it is about.
        details: Vec<Detail>,
    },
    /// The engine failed: a defect of stagegate.
    Internal {
        #[serde(flatten)]
        plain: Plain,
    },
    /// A store or service the answer needs does not answer now.
    Unavailable {
        #[serde(flatten)]
        plain: Plain,
    },
}

/// The last line of `stagegate impact --format jsonl`.
#[derive(JsonSchema)]
#[allow(dead_code)] // never built: the command line writes this line itself
struct ImpactSummaryLine {
    /// The figures over every deal.
    summary: ImpactSummary,
}

/// The JSON Schema called `name` (one of [`SCHEMA_NAMES`]), or `None` for any other name.
///
/// # Example
///
/// ```
/// let schema = stagegate::contract::response_schema("evaluation").unwrap();
/// assert_eq!(schema["title"], "stagegate evaluation");
/// assert_eq!(schema["additionalProperties"], false);
/// assert!(schema["required"].as_array().unwrap().contains(&"transitions".into()));
/// assert!(stagegate::contract::response_schema("evaluatoin").is_none());
/// ```
pub fn response_schema(name: &str) -> Option<Value> {
    let (schema, about) = match name {
        "playbook" => return Some(crate::load::playbook_schema()),
        "deal-input" => (
            Deal::schema().clone(),
            "A deal as the engine reads it (a request's `deal`, deal files): `stage` is short for one active stage, an id may be a number.",
        ),
        "evaluation" => (
            root::<Evaluation>(),
            "One deal's evaluation: the contract's `evaluate`, one line of `eval --format jsonl`, one element of `eval --format json`.",
        ),
        "evaluation-list" => (
            root::<Vec<Evaluation>>(),
            "`eval --format json`: every deal's evaluation, in input order.",
        ),
        "scores" => (
            root::<DealScores>(),
            "One deal's scores: the contract's `score`, one line of `score --format jsonl`.",
        ),
        "scores-list" => (
            root::<Vec<DealScores>>(),
            "`score --format json`: every deal's scores, in input order.",
        ),
        "evaluation-batch" => (
            root::<Vec<BatchAnswer<Evaluation>>>(),
            "The contract's `evaluate_batch`: each deal's evaluation, or its error object, in input order.",
        ),
        "scores-batch" => (
            root::<Vec<BatchAnswer<DealScores>>>(),
            "The contract's `score_batch`: each deal's scores, or its error object, in input order.",
        ),
        "diagnostics" => (
            root::<Vec<Diagnostic>>(),
            "Every problem of the playbooks checked: `check --format json`, the contract's `check`, the `diagnostics` of a `load` error.",
        ),
        "applied" => (
            root::<Applied>(),
            "A move made (the contract's `apply` answer: the moved deal and what the move sets in motion) or an approval asked for (`request_approval`: the deal with the request in its history and the notification to the approving role).",
        ),
        "edited" => (
            root::<crate::deal::Edited>(),
            "An edit made: the contract's `edit` answer, the edited deal (one history entry per change) and the approvals it voided.",
        ),
        "deal" => (
            root::<Deal>(),
            "A deal as the engine writes it: the contract's `approve`, `apply`'s `deal`, `move` and `approve --format json` or `jsonl`, a line of `migrate --format jsonl` and of `import`.",
        ),
        "deal-list" => (
            root::<Vec<Deal>>(),
            "`migrate --format json`: every migrated deal, in input order.",
        ),
        "move-check" => (
            root::<MoveCheck>(),
            "A move and every blocker: `move --format json` or `jsonl` when the move is blocked (exit code 3), the `move` of a `blocked` or `forbidden` error.",
        ),
        "error" => (
            root::<ErrorObject>(),
            "An error object: `{\"error\": <kind>, \"code\", \"message\", ...}`, with each kind's data; the contract, the command line's JSON errors and the bindings' errors all give it.",
        ),
        "due-task" => (
            root::<DueTask>(),
            "An open task due soon or overdue: one line of `due --format jsonl`.",
        ),
        "due-task-list" => (
            root::<Vec<DueTask>>(),
            "`due --format json`: every open task due soon or overdue.",
        ),
        "metrics" => (
            root::<crate::analytics::Metrics>(),
            "Pipeline metrics over a book of deals: `metrics --format json` (or `jsonl`, on one line).",
        ),
        "test-report" => (
            root::<TestReport>(),
            "A run of a playbook's test cases: `test --format json`.",
        ),
        "impact" => (
            root::<ImpactDocument>(),
            "What a playbook change does to each deal and in sum: `impact --format json`.",
        ),
        "deal-impact" => (
            root::<DealImpact>(),
            "What a playbook change does to one deal: each line but the last of `impact --format jsonl`.",
        ),
        "impact-summary" => (
            root::<ImpactSummaryLine>(),
            "The last line of `impact --format jsonl`: the figures over every deal.",
        ),
        "outline" => (
            root::<super::Outline>(),
            "A playbook as a page shows it, in one language: stages in main-path order, fields with their values, activities, roles, scorecards, approvals: the contract's `outline`.",
        ),
        _ => return None,
    };
    Some(titled(schema, name, about))
}

/// The schema of what `T` writes, draft-07, its objects closed and its texts for readers.
fn root<T: JsonSchema>() -> Value {
    let mut schema = SchemaSettings::draft07()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    tidy(&mut schema);
    schema
}

/// `schema` with its title and description.
fn titled(mut schema: Value, name: &str, about: &str) -> Value {
    if let Some(root) = schema.as_object_mut() {
        root.insert("title".into(), format!("stagegate {name}").into());
        root.insert("description".into(), about.into());
    }
    schema
}

/// Closes every object, drops the Rust number formats (`int64`, `uint`: validators of other
/// languages do not know them), describes the tags of tagged enums, and cuts the descriptions
/// taken from the documentation to their prose.
fn tidy(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            describe_tag(name, property);
            tidy(property);
        }
        object
            .entry("additionalProperties")
            .or_insert(Value::Bool(false));
    }
    let numeric = |t: &Value| matches!(t.as_str(), Some("integer" | "number"));
    let is_number = match object.get("type") {
        Some(Value::Array(types)) => types.iter().any(numeric),
        Some(t) => numeric(t),
        None => false,
    };
    if is_number {
        object.remove("format");
    }
    if let Some(Value::String(text)) = object.get_mut("description") {
        *text = prose(text);
    }
    for key in ["additionalProperties", "items", "not"] {
        if let Some(sub) = object.get_mut(key) {
            tidy(sub);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(subs)) = object.get_mut(key) {
            subs.iter_mut().for_each(tidy);
        }
    }
    if let Some(Value::Object(definitions)) = object.get_mut("definitions") {
        definitions.values_mut().for_each(tidy);
    }
}

/// The tag of an internally tagged enum (`error`, `change`) has no documentation of its own.
fn describe_tag(name: &str, property: &mut Value) {
    let about = match name {
        "error" => "The kind of error.",
        "change" => "The kind of change.",
        _ => return,
    };
    if let Some(property) = property.as_object_mut() {
        if property.contains_key("const") || property.contains_key("enum") {
            property
                .entry("description")
                .or_insert_with(|| about.into());
        }
    }
}

/// A documentation comment as a description: up to its `# Example`, without rustdoc's link
/// brackets.
fn prose(doc: &str) -> String {
    let text = doc.split("# Example").next().unwrap_or(doc).trim_end();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        match rest[start..].find("`]") {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str(&rest[start + 1..start + end + 1]);
                rest = &rest[start + end + 2..];
                // A link target after it, `[`X`](path)`, is dropped too.
                if rest.starts_with('(') {
                    if let Some(close) = rest.find(')') {
                        rest = &rest[close + 1..];
                    }
                }
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}
