//! The top-level keys that say what a deal's card shows: which field holds its money value
//! (`value:`) and in which currency (`currency:`), its name (`deal_name:`) and its expected close
//! date (`expected_close:`). Each must name a declared field of the right type.

use super::builder::Builder;
use crate::model::{Field, FieldType};
use crate::support::ids::IdIndex;
use crate::support::suggest;

/// The keys as written.
pub(super) struct Keys<'r> {
    /// `value:`.
    pub value: Option<&'r String>,
    /// `currency:`.
    pub currency: Option<&'r String>,
    /// `deal_name:`.
    pub deal_name: Option<&'r String>,
    /// `expected_close:`.
    pub expected_close: Option<&'r String>,
}

/// Checks `value:`, `currency:`, `deal_name:` and `expected_close:` against the declared fields.
pub(super) fn check(b: &mut Builder<'_>, raw: &Keys<'_>, fields: &[Field], index: &IdIndex) {
    if let Some(value) = raw.value {
        match index.get(value).map(|&i| fields[i].kind) {
            Some(FieldType::Number | FieldType::Integer) => {}
            Some(_) => b.error(
                "wrong-type",
                "value",
                format!("`value` must name a number field; `{value}` is not one"),
                None,
            ),
            None => unknown(b, "value", value, index),
        }
    }
    if let Some(code) = raw.currency {
        currency(b, code);
    }
    let named = [
        ("deal_name", raw.deal_name, FieldType::Text),
        ("expected_close", raw.expected_close, FieldType::Date),
    ];
    for (key, name, wanted) in named {
        let Some(name) = name else { continue };
        match index.get(name).map(|&i| &fields[i]) {
            Some(field) if field.kind == wanted => {}
            Some(field) => {
                let fitting: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.kind == wanted)
                    .map(|f| f.id.as_str())
                    .collect();
                let kind = type_name(wanted);
                b.error(
                    "field-type",
                    key,
                    format!(
                        "`{key}` must name a {kind} field; `{name}` is a {} field",
                        type_name(field.kind)
                    ),
                    Some(match fitting.as_slice() {
                        [] => format!("declare a field of `type: {kind}` and name it here"),
                        [one] => format!("the one {kind} field is `{one}`"),
                        _ => format!("name one of the {kind} fields: {}", suggest::list(&fitting)),
                    }),
                );
            }
            None => unknown(b, key, name, index),
        }
    }
}

/// `key` names a field that is not declared.
fn unknown(b: &mut Builder<'_>, key: &str, name: &str, index: &IdIndex) {
    b.error(
        "unknown-field",
        key,
        format!("`{name}` is not a declared field"),
        suggest::did_you_mean(name, index.keys().map(String::as_str)),
    );
}

/// `currency:` must be three capital letters (an ISO 4217 code).
fn currency(b: &mut Builder<'_>, code: &str) {
    let is_code = |text: &str| text.len() == 3 && text.bytes().all(|c| c.is_ascii_uppercase());
    if is_code(code) {
        return;
    }
    let upper = code.trim().to_ascii_uppercase();
    let help = if is_code(&upper) {
        format!("did you mean `{upper}`?")
    } else {
        "write the ISO 4217 code of the currency, such as `USD`, `EUR` or `KRW`".to_owned()
    };
    b.error(
        "bad-currency",
        "currency",
        format!(
            "`currency` must be an ISO 4217 currency code (three capital letters); `{}` is not one",
            crate::support::text::shorten(code)
        ),
        Some(help),
    );
}

/// The type as the playbook writes it.
fn type_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Bool => "bool",
        FieldType::Integer => "integer",
        FieldType::Number => "number",
        FieldType::Text => "text",
        FieldType::Date => "date",
        FieldType::Enum => "enum",
        FieldType::List => "list",
    }
}
