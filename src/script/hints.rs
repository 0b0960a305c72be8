//! Help for the syntax mistakes people make in rules, added under Rhai's own message: `=` for `==`,
//! `and`/`or`/`not` for `&&`/`||`/`!`, `<>` for `!=`, a field written with spaces or in Korean.

use super::Names;

/// Help for a syntax error, from Rhai's message (`unexpected '='`) and the rule's text.
pub(super) fn syntax(message: &str, source: &str) -> Option<String> {
    let unexpected = message
        .strip_prefix("unexpected '")
        .and_then(|rest| rest.strip_suffix('\''));
    if message.contains("'===' is not a valid operator") {
        return Some("write `==` to compare".to_owned());
    }
    if message.contains("'!==' is not a valid operator") {
        return Some("write `!=` for \"not equal\"".to_owned());
    }
    if message.contains("'null' is a reserved keyword") {
        return Some(missing_help());
    }
    if message == "script is incomplete" && source.trim_end().ends_with('%') {
        return Some(
            "write the number without `%`: a percentage field holds 20 for 20%".to_owned(),
        );
    }
    match unexpected {
        Some("=") if source.contains("=<") => Some("write `<=` for \"at most\"".to_owned()),
        Some("=") => Some("to compare, write `==` (`=` would assign)".to_owned()),
        Some("=>") => Some("write `>=` for \"at least\"".to_owned()),
        Some("and" | "AND" | "And") => Some("write `&&` for \"and\"".to_owned()),
        Some("or" | "OR" | "Or") => Some("write `||` for \"or\"".to_owned()),
        Some("is") => Some(missing_help()),
        Some(",") => Some(
            "a number has no `,`: write `50_000` or `50000` (a `,` separates the items of a list)"
                .to_owned(),
        ),
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
    if name.eq_ignore_ascii_case("not") {
        return Some("write `!` for \"not\": `!(budget > 1)`".to_owned());
    }
    if matches!(name, "True" | "TRUE" | "False" | "FALSE") {
        return Some(format!("write `{}` in lower case", name.to_lowercase()));
    }
    if matches!(name, "nil" | "None" | "NULL" | "Null" | "undefined") {
        return Some(missing_help());
    }
    if let Some((function, 0)) = super::ENGINE_FUNCTIONS.iter().find(|(f, _)| *f == name) {
        return Some(format!("`{function}` is a function: write `{function}()`"));
    }
    // `segment == smb`: a value of an enum, written without quotes.
    let enum_field = names
        .kinds
        .iter()
        .enumerate()
        .find_map(|(i, kind)| match kind {
            super::FieldKind::Enum(values) if values.iter().any(|v| v == name) => names
                .fields
                .iter()
                .find(|(_, &f)| f == i)
                .map(|(id, _)| id.clone()),
            _ => None,
        });
    if let Some(field) = enum_field {
        return Some(format!(
            "`{name}` is a value of `{field}`: write it in quotes, \"{name}\""
        ));
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

/// A field the deal lacks is missing, which `has` asks about.
fn missing_help() -> String {
    "there is no null: a field the deal lacks is missing; ask `!has(owner)` (or `has(owner)`)"
        .to_owned()
}
