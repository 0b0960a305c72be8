//! Deals given where a playbook is expected: the arguments were swapped.

use crate::support::diagnostic::Diagnostic;
use crate::support::yaml::is_document_separator;

/// The code of the diagnostic for a file of deals loaded as a playbook.
pub(crate) const CODE: &str = "not-a-playbook";

/// A file that is not a playbook because it holds deals, read as a tree: a map without
/// `stagegate:` that has a deal's keys, or a list of such maps.
pub(crate) fn deals_in_tree(tree: &serde_json::Value, file: &str) -> Option<Diagnostic> {
    let first = match tree {
        serde_json::Value::Array(items) => items.first()?,
        other => other,
    };
    is_deal(first).then(|| swapped(file, "holds deals, not a playbook"))
}

/// A file that did not read as one YAML document because it holds deals: several documents
/// (one deal each), or JSON objects one per line.
pub(crate) fn deals_in_text(text: &str, file: &str) -> Option<Diagnostic> {
    let documents = documents(text);
    if documents > 1 {
        let what = format!(
            "holds {documents} YAML documents, as a deals file does; a playbook is one document"
        );
        return Some(swapped(file, &what));
    }
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    let tree: serde_json::Value = serde_json::from_str(first.trim()).ok()?;
    is_deal(&tree).then(|| swapped(file, "holds deals (JSON Lines), not a playbook"))
}

fn swapped(file: &str, what: &str) -> Diagnostic {
    Diagnostic::error(CODE, format!("`{file}` {what}"))
        .in_file(file)
        .help("the arguments look swapped: the playbook comes first, then the deals")
}

/// A map with a deal's keys and none of a playbook's.
fn is_deal(tree: &serde_json::Value) -> bool {
    let Some(map) = tree.as_object() else {
        return false;
    };
    if map.contains_key("stagegate") || map.contains_key("version") {
        return false;
    }
    let names_stages = match map.get("stages") {
        Some(serde_json::Value::Array(stages)) => stages.iter().all(serde_json::Value::is_string),
        _ => false,
    };
    names_stages
        || ["stage", "fields", "activities", "history"]
            .iter()
            .any(|key| map.contains_key(*key))
}

/// How many YAML documents with content the text holds.
fn documents(text: &str) -> usize {
    let mut count = 0;
    let mut content = false;
    for line in text.lines() {
        if is_document_separator(line) {
            content = false;
            continue;
        }
        let trimmed = line.trim();
        if !content && !trimmed.is_empty() && !trimmed.starts_with('#') {
            content = true;
            count += 1;
        }
    }
    count
}
