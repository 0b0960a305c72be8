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

impl Checked<'_> {
    /// The value as JSON.
    pub(crate) fn to_value(self) -> Value {
        match self {
            Checked::Bool(flag) => Value::Bool(flag),
            Checked::Integer(whole) => whole.into(),
            Checked::Number(number) => number.into(),
            Checked::Text(text) => text.into(),
            Checked::List(items) => Value::Array(items.to_vec()),
        }
    }
}

/// A JSON scalar as written in a deal, borrowed: what a field value is before it is checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    /// A number written without a fraction or exponent that fits an `i64`.
    Integer(i64),
    /// Any other number.
    Number(f64),
    Text(&'a str),
}

impl<'a> Scalar<'a> {
    /// The value as a scalar, or `None` for a list or a map.
    fn of(value: &'a Value) -> Option<Scalar<'a>> {
        Some(match value {
            Value::Null => Scalar::Null,
            Value::Bool(flag) => Scalar::Bool(*flag),
            Value::Number(number) => match number.as_i64() {
                Some(whole) => Scalar::Integer(whole),
                None => Scalar::Number(number.as_f64()?),
            },
            Value::String(text) => Scalar::Text(text),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }
}

/// Why a value does not fit its field: the wrong type, or a message of its own.
pub(crate) enum Misfit {
    Type,
    Message(String),
}

impl Field {
    /// Checks one value of a deal: `Ok(None)` when it counts as absent.
    pub(crate) fn check<'a>(&self, value: &'a Value) -> Result<Option<Checked<'a>>, String> {
        let checked = match (Scalar::of(value), value) {
            (Some(scalar), _) => self.check_scalar(scalar),
            (None, Value::Array(items))
                if self.kind == FieldType::List && items.iter().all(Value::is_string) =>
            {
                Ok(Some(Checked::List(items)).filter(|_| !items.is_empty()))
            }
            (None, _) => Err(Misfit::Type),
        };
        checked.map_err(|misfit| match misfit {
            Misfit::Type => format!(
                "expected {}, got {}",
                self.kind.described(),
                describe_value(value)
            ),
            Misfit::Message(message) => message,
        })
    }

    /// Checks one scalar value of a deal: `Ok(None)` when it counts as absent.
    pub(crate) fn check_scalar<'a>(
        &self,
        value: Scalar<'a>,
    ) -> Result<Option<Checked<'a>>, Misfit> {
        let checked = match (self.kind, value) {
            (_, Scalar::Null) => return Ok(None),
            (FieldType::Bool, Scalar::Bool(flag)) => Checked::Bool(flag),
            (FieldType::Integer, Scalar::Integer(whole)) => Checked::Integer(whole),
            // A whole number, also when written `60.0`.
            (FieldType::Integer, Scalar::Number(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                Checked::Integer(n as i64)
            }
            (FieldType::Number, Scalar::Integer(whole)) => Checked::Number(whole as f64),
            (FieldType::Number, Scalar::Number(n)) if n.is_finite() => Checked::Number(n),
            (FieldType::Text, Scalar::Text(text)) => Checked::Text(text),
            (FieldType::Date, Scalar::Text(text)) => {
                if !text.is_empty() && crate::time::parse_time(text).is_err() {
                    return Err(Misfit::Message(format!(
                        "`{}` is not a date (2026-11-02) or a date-time (2026-11-02T10:00:00Z)",
                        shorten(text)
                    )));
                }
                Checked::Text(text)
            }
            (FieldType::Enum, Scalar::Text(text)) => {
                if !text.is_empty() && !self.values.iter().any(|v| v == text) {
                    return Err(Misfit::Message(format!(
                        "`{}` is not one of {}",
                        shorten(text),
                        crate::suggest::list(&self.values)
                    )));
                }
                Checked::Text(text)
            }
            _ => return Err(Misfit::Type),
        };
        Ok(Some(checked).filter(|c| *c != Checked::Text("")))
    }
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
