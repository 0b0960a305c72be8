//! Checking one value of a deal against its field's type and values.

use jiff::tz::TimeZone;
use serde_json::Value;

use crate::deal::{Checked, Scalar};
use crate::model::{Field, FieldType};

/// Why a value does not fit its field: the wrong type, or a message of its own.
pub(crate) enum Misfit {
    Type,
    Message(String),
}

impl Field {
    /// Checks one value of a deal: `Ok(None)` when it counts as absent.
    pub(crate) fn check<'a>(
        &self,
        value: &'a Value,
        zone: &TimeZone,
    ) -> Result<Option<Checked<'a>>, String> {
        let checked = match (Scalar::of(value), value) {
            (Some(scalar), _) => self.check_scalar(scalar, zone),
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

    /// Checks one scalar value of a deal: `Ok(None)` when it counts as absent. A date is read in
    /// `zone`, the playbook's time zone.
    pub(crate) fn check_scalar<'a>(
        &self,
        value: Scalar<'a>,
        zone: &TimeZone,
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
            // YAML reads a number beyond `f64` (`1e400`) as a text: say what it is.
            (FieldType::Number | FieldType::Integer, Scalar::Text(text))
                if text.parse::<f64>().is_ok_and(f64::is_infinite) =>
            {
                return Err(Misfit::Message(format!(
                    "`{}` is beyond the largest number a deal may hold (about 1.8e308)",
                    crate::support::text::shorten(text)
                )))
            }
            (FieldType::Date, Scalar::Text("")) => Checked::Text(""),
            (FieldType::Date, Scalar::Text(text)) => {
                match crate::support::time::read_time(text, zone) {
                    // Rules compare the instant, not the text: `2026-11-28T08:00:00+09:00` is
                    // before `2026-11-27T23:30:00Z`.
                    Ok(at) => Checked::Date(at, text),
                    Err(problem) => return Err(Misfit::Message(problem)),
                }
            }
            (FieldType::Enum, Scalar::Text(text)) => {
                if !text.is_empty() && !self.values.iter().any(|v| v == text) {
                    return Err(Misfit::Message(format!(
                        "`{}` is not one of {}",
                        crate::support::text::shorten(text),
                        crate::support::suggest::list(&self.values)
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
    let shown = crate::support::text::shorten(&value.to_string());
    match value {
        Value::Null => "nothing".to_owned(),
        Value::Bool(_) => format!("`{shown}`"),
        Value::Number(_) => format!("number `{shown}`"),
        Value::String(text) => format!("text `{}`", crate::support::text::shorten(text)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a map".to_owned(),
    }
}
