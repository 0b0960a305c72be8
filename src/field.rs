//! The facts a deal carries: declared fields, their types, and checking a deal's values.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::text::Text;

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A text; an empty text counts as absent.
    Text,
    /// An ISO 8601 date or RFC 3339 date-time.
    Date,
    /// One of the field's `values`.
    Enum,
    /// A list of texts.
    List,
}

impl FieldType {
    /// How the type reads in a message: "a number", "a date".
    pub(crate) fn described(self) -> &'static str {
        match self {
            FieldType::Bool => "true or false",
            FieldType::Integer => "a whole number",
            FieldType::Number => "a number",
            FieldType::Text => "a text",
            FieldType::Date => "a date",
            FieldType::Enum => "one of the listed values",
            FieldType::List => "a list of texts",
        }
    }
}

/// A declared field.
///
/// # Example
///
/// ```
/// use stagegate::{FieldType, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let budget = playbook.fields().iter().find(|f| f.id == "budget").unwrap();
/// assert_eq!(budget.kind, FieldType::Number);
/// assert_eq!(budget.title.as_ref().map(|t| t.get("en", "ko")), Some("Customer budget (USD)"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's id, which is also its name in rules.
    pub id: String,
    /// Its type.
    pub kind: FieldType,
    /// For `enum`, the allowed values.
    pub values: Vec<String>,
    /// What people call it.
    pub title: Option<Text>,
}

/// A checked field value, ready for rules, borrowed from the deal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Checked<'a> {
    Bool(bool),
    Integer(i64),
    Number(f64),
    Text(&'a str),
    /// A list whose items are all texts.
    List(&'a [Value]),
}

impl Field {
    /// Checks one value of a deal: `Ok(None)` when it counts as absent.
    pub(crate) fn check<'a>(&self, value: &'a Value) -> Result<Option<Checked<'a>>, String> {
        if value.is_null() {
            return Ok(None);
        }
        let wrong = || {
            format!(
                "expected {}, got {}",
                self.kind.described(),
                describe_value(value)
            )
        };
        let checked = match self.kind {
            FieldType::Bool => Checked::Bool(value.as_bool().ok_or_else(wrong)?),
            FieldType::Integer => Checked::Integer(as_integer(value).ok_or_else(wrong)?),
            FieldType::Number => {
                let number = value.as_f64().filter(|n| n.is_finite()).ok_or_else(wrong)?;
                Checked::Number(number)
            }
            FieldType::Text => Checked::Text(value.as_str().ok_or_else(wrong)?),
            FieldType::Date => {
                let text = value.as_str().ok_or_else(wrong)?;
                if !text.is_empty() {
                    crate::time::parse_time(text).map_err(|_| {
                        format!(
                            "`{}` is not a date (2026-11-02) or a date-time (2026-11-02T10:00:00Z)",
                            shorten(text)
                        )
                    })?;
                }
                Checked::Text(text)
            }
            FieldType::Enum => {
                let text = value.as_str().ok_or_else(wrong)?;
                if !text.is_empty() && !self.values.iter().any(|v| v == text) {
                    return Err(format!(
                        "`{}` is not one of {}",
                        shorten(text),
                        crate::suggest::list(&self.values)
                    ));
                }
                Checked::Text(text)
            }
            FieldType::List => {
                let items = value.as_array().ok_or_else(wrong)?;
                if !items.iter().all(Value::is_string) {
                    return Err(wrong());
                }
                Checked::List(items)
            }
        };
        Ok(match checked {
            Checked::Text("") => None,
            Checked::List([]) => None,
            _ => Some(checked),
        })
    }
}

/// A whole number, also when written `60.0`.
fn as_integer(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
            .map(|n| n as i64)
    })
}

/// A value as a message shows it: `text "abc"`, `number 12`.
pub(crate) fn describe_value(value: &Value) -> String {
    let shown = shorten(&value.to_string());
    match value {
        Value::Null => "nothing".to_owned(),
        Value::Bool(_) => format!("`{shown}`"),
        Value::Number(_) => format!("number `{shown}`"),
        Value::String(text) => format!("text `{}`", shorten(text)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a map".to_owned(),
    }
}

/// Cuts a long text for a message.
pub(crate) fn shorten(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}
