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
        let help = if line_text.starts_with('\t') {
            Some(format!(
                "line {} starts with a tab: YAML indents with spaces only",
                error.line
            ))
        } else {
            quotes_help(line_text)
                .or_else(|| indentation_help(text, error.line, error.column, &message))
        };
        ("yaml-syntax", message, help)
    };
    // Without a place, the problem is the whole file.
    Diagnostic::error(code, message)
        .in_file(file)
        .at(error.line.max(1), error.column.max(1))
        .help_if(help)
}

/// A line of the file as indentation reads it.
struct Line<'t> {
    number: usize,
    /// Column (1-based) of the key, after any `- `.
    key_column: usize,
    key: &'t str,
    /// The line starts a list item (`- `).
    item: bool,
    /// The key has a value on the same line.
    has_value: bool,
}

fn read_line(number: usize, text: &str) -> Option<Line<'_>> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[indent..];
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let (item, body, key_column) = match rest.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let spaces = after.len() - after.trim_start_matches(' ').len();
            (true, after.trim_start_matches(' '), indent + 2 + spaces)
        }
        _ => (false, rest, indent + 1),
    };
    let (key, value) = body.split_once(':').unwrap_or((body, ""));
    Some(Line {
        number,
        key_column,
        key: key.trim(),
        item,
        has_value: !value.trim().is_empty(),
    })
}

/// Help for a key indented where YAML cannot place it: which block it may belong to.
fn indentation_help(text: &str, line: usize, column: usize, message: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let here = read_line(line, lines.get(line.checked_sub(1)?)?)?;
    let above: Vec<Line<'_>> = (1..line)
        .rev()
        .filter_map(|n| read_line(n, lines[n - 1]))
        .collect();
    let key = here.key;
    if message.starts_with("did not find expected '-' indicator") {
        let item = above
            .iter()
            .find(|l| l.item && l.key_column > here.key_column)?;
        return Some(format!(
            "`{key}` is inside a list but is not an item: start a new item with `- `, or indent \
             it to column {} to put it in the item of line {} (`{}`)",
            item.key_column, item.number, item.key
        ));
    }
    if message.starts_with("did not find expected key") {
        // The nearest block key above on each side of the column: deeper and shallower.
        let deeper = above
            .iter()
            .filter(|l| l.key_column > here.key_column)
            .min_by_key(|l| (l.key_column, usize::MAX - l.number));
        let shallower = above.iter().find(|l| l.key_column < here.key_column);
        let choices: Vec<String> = deeper
            .into_iter()
            .chain(shallower)
            .map(|l| format!("column {} (`{}`, line {})", l.key_column, l.key, l.number))
            .collect();
        return (!choices.is_empty()).then(|| {
            format!(
                "`{key}` at column {} lines up with no key above it: keys of one block start in \
                 the same column; it may belong at {}",
                here.key_column,
                choices.join(" or ")
            )
        });
    }
    if message.starts_with("mapping values are not allowed") {
        let first_colon = lines[line - 1].find(':').map(|c| c + 1);
        if first_colon.is_some_and(|c| c < column) {
            return Some("a value holding `: ` must be in quotes: `key: \"a: b\"`".to_owned());
        }
        let parent = above.first()?;
        if parent.has_value && here.key_column > parent.key_column {
            return Some(format!(
                "`{key}` is indented deeper than `{}` (line {}), which already has a value: line \
                 it up with `{}` at column {}",
                parent.key, parent.number, parent.key, parent.key_column
            ));
        }
    }
    None
}

/// `when: "segment == "smb""`: a double-quoted value with double quotes inside ends early.
fn quotes_help(line: &str) -> Option<String> {
    let start = line.find(": \"")?;
    let key = line[..start]
        .rsplit(['{', ',', ' ', '-'])
        .next()
        .unwrap_or_default();
    let value = &line[start + 2..];
    if value.matches('"').count() < 3 {
        return None;
    }
    let last = value.rfind('"')?;
    let inner = value.get(1..last)?;
    Some(format!(
        "`{key}` is in double quotes and holds double quotes, so it ends early: wrap it in \
         single quotes instead: `{key}: '{inner}'`"
    ))
}
