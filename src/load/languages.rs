//! The languages of a playbook's texts: a text written in a language the playbook does not list
//! (`kr:` for `ko:`) is not what readers of its languages get, so it is a warning at its key.

use serde_json::Value;

use super::builder::Builder;
use crate::support::lang::closest_language;

/// The keys whose values are texts people read, in one or several languages.
const TEXT_KEYS: &[&str] = &["title", "journey", "message", "description", "guidance"];

/// Warns of every language key of a text that the playbook's `languages` (default `[en]`) does
/// not list.
pub(super) fn check_texts(b: &mut Builder<'_>, tree: &Value) {
    let listed: Vec<String> = match tree.get("languages") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    walk(b, tree, "", &or_default(listed));
}

/// The languages a playbook lists, or `[en]` when it lists none.
pub(super) fn or_default(mut languages: Vec<String>) -> Vec<String> {
    if languages.is_empty() {
        languages.push("en".to_owned());
    }
    languages
}

fn walk(b: &mut Builder<'_>, value: &Value, path: &str, languages: &[String]) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let inner_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match inner {
                    Value::Object(text) if TEXT_KEYS.contains(&key.as_str()) && is_text(text) => {
                        check_text(b, text, &inner_path, languages);
                    }
                    _ => walk(b, inner, &inner_path, languages),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(b, item, &format!("{path}[{i}]"), languages);
            }
        }
        _ => {}
    }
}

/// A text in several languages: a map of strings.
fn is_text(map: &serde_json::Map<String, Value>) -> bool {
    map.values().all(Value::is_string)
}

fn check_text(
    b: &mut Builder<'_>,
    text: &serde_json::Map<String, Value>,
    path: &str,
    languages: &[String],
) {
    for lang in text.keys() {
        if languages.iter().any(|l| l == lang) {
            continue;
        }
        let help = match closest_language(lang, languages) {
            Some(meant) => format!("did you mean `{meant}`?"),
            None => format!(
                "add `{lang}` to `languages:`, or write the text in {}",
                crate::support::suggest::list(languages)
            ),
        };
        b.warning_key(
            "unknown-language",
            &format!("{path}.{lang}"),
            format!(
                "`{lang}` is not one of the playbook's languages ({})",
                crate::support::suggest::list_all(languages)
            ),
            Some(help),
        );
    }
}
