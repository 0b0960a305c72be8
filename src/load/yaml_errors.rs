//! A YAML parser's error as a diagnostic: its code, its message in our words, and a "did you
//! mean" for a misspelt key or value.

use crate::support::diagnostic::Diagnostic;
use crate::support::suggest;
use crate::support::yaml;

/// A serde_yaml error as a diagnostic, with "did you mean" for a misspelt key.
pub(super) fn diagnostic(file: &str, text: &str, error: yaml::YamlError) -> Diagnostic {
    let line_text = text
        .lines()
        .nth(error.line.saturating_sub(1))
        .unwrap_or_default();
    let message = error.message;
    let (code, message, help) = if let Some(at) = message.find("unknown field `") {
        let rest = &message[at + "unknown field `".len()..];
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = suggest::did_you_mean(name, expected.iter().copied()).or_else(|| {
            (!expected.is_empty()).then(|| format!("allowed keys: {}", expected.join(", ")))
        });
        let place = message[..at].trim_end_matches([' ', ':']);
        let place = if place.is_empty() {
            String::new()
        } else {
            format!("{place}: ")
        };
        ("unknown-key", format!("{place}unknown key `{name}`"), help)
    } else if let Some(at) = message.find("unknown value `") {
        let rest = &message[at + "unknown value `".len()..];
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = suggest::did_you_mean(name, expected.iter().copied());
        ("unknown-value", message.clone(), help)
    } else if message.contains("missing field") {
        (
            "missing-key",
            message.replace("missing field", "missing key"),
            None,
        )
    } else if message.contains("invalid type") || message.contains("invalid value") {
        ("wrong-type", message, None)
    } else if message.contains("recursion limit") {
        (
            "hostile-yaml",
            "the file nests too deep".to_owned(),
            Some("playbooks nest a few levels; look for runaway brackets".to_owned()),
        )
    } else if message.contains("repetition limit") {
        (
            "hostile-yaml",
            "an alias is repeated too often (an alias bomb)".to_owned(),
            Some("write the values out instead of repeating `*alias` references".to_owned()),
        )
    } else {
        let help = line_text.starts_with('\t').then(|| {
            format!(
                "line {} starts with a tab: YAML indents with spaces only",
                error.line
            )
        });
        ("yaml-syntax", message, help)
    };
    // Without a place, the problem is the whole file.
    Diagnostic::error(code, message)
        .in_file(file)
        .at(error.line.max(1), error.column.max(1))
        .help_if(help)
}
