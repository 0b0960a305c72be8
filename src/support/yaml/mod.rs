//! The one place that reads YAML, so the parser can be replaced.

mod source_map;
mod tree;

pub(crate) use source_map::{Place, SourceMap};

use serde::de::DeserializeOwned;

/// A YAML error: the message without its position, and the 1-based line and column.
#[derive(Debug, Clone)]
pub(crate) struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Reads one YAML document into `T`.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((0, 0), |place| (place.line(), place.column()));
        YamlError {
            message: without_position(&error.to_string()),
            line,
            column,
        }
    })
}

/// Reads one YAML document into a JSON tree; the flag says whether some map has a key twice.
pub(crate) fn tree_from_str(text: &str) -> Result<(serde_json::Value, bool), YamlError> {
    use serde::de::DeserializeSeed;
    let repeated = std::cell::Cell::new(false);
    let deserializer = serde_yaml::Deserializer::from_str(text);
    tree::Tree {
        repeated: &repeated,
    }
    .deserialize(deserializer)
    .map(|tree| (tree, repeated.get()))
    .map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((0, 0), |place| (place.line(), place.column()));
        YamlError {
            message: without_position(&error.to_string()),
            line,
            column,
        }
    })
}

/// serde appends " at line L column C" to its messages; the position is reported apart.
pub(crate) fn without_position(message: &str) -> String {
    // Every " at line L column C" goes: the place is reported apart.
    let mut out = String::new();
    let mut rest = message;
    while let Some(cut) = rest.find(" at line ") {
        out.push_str(&rest[..cut]);
        let after = &rest[cut + " at line ".len()..];
        let digits = |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let line_end = digits(after);
        match after[line_end..].strip_prefix(" column ") {
            Some(column) => rest = &column[digits(column)..],
            None => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    plain_words(out.trim())
}

/// serde's words for types, as a playbook author would say them.
fn plain_words(message: &str) -> String {
    let mut out = message.to_owned();
    for (from, to) in [
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected a sequence", "expected a list"),
        ("invalid type: sequence", "invalid type: list"),
        ("invalid type: string", "invalid type: text"),
        ("invalid type: floating point", "invalid type: number"),
        ("invalid type: integer", "invalid type: number"),
        ("invalid type: unit value", "invalid type: nothing"),
        ("invalid type: boolean", "invalid type: true/false"),
        ("unknown variant", "unknown value"),
    ] {
        out = out.replace(from, to);
    }
    // `expected struct RawStage`, `expected struct Deal`: a map with keys.
    while let Some(at) = out.find("struct ") {
        let end = out[at + 7..]
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .map_or(out.len(), |e| at + 7 + e);
        out.replace_range(at..end, "a map");
    }
    out.replace("Rust ", "")
}

/// `true` when a line of a multi-document stream separates two documents.
pub(crate) fn is_document_separator(line: &str) -> bool {
    let line = line.trim_end();
    line == "---" || line.starts_with("--- ") || line == "..."
}

/// Writes a value as YAML.
pub(crate) fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}
