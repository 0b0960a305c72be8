//! A deal's values: as written (a JSON scalar, borrowed) and as checked against their field's
//! type, ready for rules.

use serde_json::Value;

/// A checked field value, ready for rules, borrowed from the deal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Checked<'a> {
    Bool(bool),
    Integer(i64),
    Number(f64),
    Text(&'a str),
    /// A date or date-time: the instant it means, and the text as written.
    Date(jiff::Timestamp, &'a str),
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
            Checked::Text(text) | Checked::Date(_, text) => text.into(),
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
    pub(crate) fn of(value: &'a Value) -> Option<Scalar<'a>> {
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
