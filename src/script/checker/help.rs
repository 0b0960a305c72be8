//! The `help:` lines of the rule checker that are worded from types alone.

use rhai::{Expr, FnCallExpr};

use crate::script::types::Type;

/// `tags == "vip"`: a list compared with a text, where `"vip" in tags` was meant.
pub(super) fn list_holds_help(
    call: &FnCallExpr,
    left: &Type<'_>,
    right: &Type<'_>,
) -> Option<String> {
    let (list, text) = match (left, right) {
        (Type::List, t) if t.is_text() => (call.args.first()?, call.args.get(1)?),
        (t, Type::List) if t.is_text() => (call.args.get(1)?, call.args.first()?),
        _ => return None,
    };
    let list = match list {
        Expr::Variable(variable, _, _) => variable.1.to_string(),
        _ => "the list".to_owned(),
    };
    let text = match text {
        Expr::StringConstant(text, _) => format!("\"{text}\""),
        Expr::Variable(variable, _, _) => variable.1.to_string(),
        _ => "the text".to_owned(),
    };
    let negated = if call.name.as_str() == "!=" { "!(" } else { "" };
    let close = if negated.is_empty() { "" } else { ")" };
    Some(format!(
        "to ask whether the list holds it, write `{negated}{text} in {list}{close}`"
    ))
}

/// What comparing values that can never be equal gives: `!=` always holds, the others never.
pub(super) fn outcome(operator: &str) -> &'static str {
    if operator == "!=" {
        "always holds"
    } else {
        "never holds"
    }
}

/// Help for something used as a condition that is not one.
pub(super) fn condition_help(found: &Type<'_>) -> String {
    if found.is_numeric() {
        "compare it to make a condition: `arr > 0`".to_owned()
    } else if found.is_text() {
        "compare it to make a condition: `name != \"\"`, or ask `has(name)`".to_owned()
    } else {
        "compare it to make a condition, for example `tags.len() > 0`".to_owned()
    }
}

/// A default of the field's own type, written out: `amount ?? 0`.
pub(super) fn default_help(field: &Type<'_>, expr: &Expr) -> String {
    let name = match expr {
        Expr::Variable(variable, _, _) => variable.1.to_string(),
        _ => "value".to_owned(),
    };
    let default = match field {
        Type::Integer | Type::Number => "0",
        Type::Bool => "false",
        Type::List | Type::Items(..) => "[]",
        Type::Date => "today()",
        _ => "\"\"",
    };
    format!("give a default of the field's own type, like `{name} ?? {default}`")
}

/// The text "true" or "false" written in quotes.
pub(super) fn is_bool_text(found: &Type<'_>) -> bool {
    matches!(found, Type::Literal(text, _) if text == "true" || text == "false")
}
