//! Help for the syntax mistakes people make in rules, added under Rhai's own message: `=` for `==`,
//! `and`/`or`/`not` for `&&`/`||`/`!`, `<>` for `!=`, a field written with spaces or in Korean.

use super::Names;

/// Help for a syntax error, from Rhai's message (`unexpected '='`) and the rule's text.
pub(super) fn syntax(message: &str, source: &str) -> Option<String> {
    let unexpected = message
        .strip_prefix("unexpected '")
        .and_then(|rest| rest.strip_suffix('\''));
    match unexpected {
        Some("=") => Some("to compare, write `==` (`=` would assign)".to_owned()),
        Some("and") => Some("write `&&` for \"and\"".to_owned()),
        Some("or") => Some("write `||` for \"or\"".to_owned()),
        Some(">") if source.contains("<>") => Some("write `!=` for \"not equal\"".to_owned()),
        Some(token) if !token.is_ascii() => Some(
            "a rule names fields by their id: letters, digits and `_` (`budget`); the field's title \
             carries its name in Korean or any language"
                .to_owned(),
        ),
        _ => None,
    }
}

/// Help for a name that is not a field, found at `line` and `column` (1-based) of the rule: `not`
/// for `!`, or a field written with a space.
pub(super) fn undefined(
    name: &str,
    names: &Names<'_>,
    source: &str,
    (line, column): (usize, usize),
) -> Option<String> {
    if name == "not" {
        return Some("write `!` for \"not\": `!(budget > 1)`".to_owned());
    }
    // `deal size > 1`: the words after the name, joined with `_`, may be a field.
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let mut from_name = text.chars().skip(column.checked_sub(1)?);
    if !from_name
        .by_ref()
        .take(name.chars().count())
        .eq(name.chars())
    {
        return None;
    }
    let after: String = from_name.collect();
    let next: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let operator = matches!(
        next.as_str(),
        "in" | "and" | "or" | "not" | "is" | "contains"
    );
    if !after.starts_with(char::is_whitespace) || next.is_empty() || operator {
        return None;
    }
    let joined = format!("{name}_{next}");
    if names.fields.contains_key(joined.as_str()) {
        Some(format!("a field name has no spaces: write `{joined}`"))
    } else {
        Some(format!(
            "a field name has no spaces; declare it as `{joined}` under `fields:` and write it so"
        ))
    }
}
