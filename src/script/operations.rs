//! Values while a native rule runs, and the engine's operators on them, with exactly the results
//! Rhai gives (property-tested in `native_tests.rs`); whatever they do not model is `None`, left to
//! Rhai.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use rhai::{FLOAT, INT};

use crate::deal::Checked;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Arithmetic {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// A value while evaluating.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'v> {
    Bool(bool),
    Int(INT),
    Float(FLOAT),
    Text(&'v str),
    /// A date field's value, `today()`: an instant.
    Date(Timestamp),
}

/// The instant a date value, or a text that is a date (read in `zone`, the playbook's), means.
pub(super) fn instant(value: Value<'_>, zone: &TimeZone) -> Option<Timestamp> {
    match value {
        Value::Date(at) => Some(at),
        Value::Text(text) => crate::support::time::read_time(text, zone).ok(),
        _ => None,
    }
}

/// A field's value, for the types fields have; lists are left to Rhai (only `in` reads them
/// natively).
pub(super) fn field(value: Checked<'_>) -> Option<Value<'_>> {
    match value {
        Checked::Bool(b) => Some(Value::Bool(b)),
        Checked::Integer(i) => Some(Value::Int(i)),
        Checked::Number(f) => Some(Value::Float(f)),
        Checked::Text(t) => Some(Value::Text(t)),
        Checked::Date(at, _) => Some(Value::Date(at)),
        Checked::List(_) => None,
    }
}

/// Rhai's comparison: numbers with numbers, texts with texts, true-or-false with its like for
/// `==` and `!=`; values of other kinds are left to Rhai.
/// A text compared with a date is read in `zone`, the playbook's time zone.
pub(super) fn compare(op: Compare, a: Value<'_>, b: Value<'_>, zone: &TimeZone) -> Option<bool> {
    let ordering = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(&y),
        (Value::Float(x), Value::Float(y)) => return Some(float_compare(op, x, y)),
        (Value::Int(x), Value::Float(y)) => return Some(float_compare(op, x as FLOAT, y)),
        (Value::Float(x), Value::Int(y)) => return Some(float_compare(op, x, y as FLOAT)),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        // A date with a date, or with a text that is one (else Rhai reports it).
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Date(x), Value::Text(y)) => x.cmp(&crate::support::time::read_time(y, zone).ok()?),
        (Value::Text(x), Value::Date(y)) => crate::support::time::read_time(x, zone).ok()?.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => {
            return match op {
                Compare::Eq => Some(x == y),
                Compare::Ne => Some(x != y),
                _ => None,
            }
        }
        _ => return None,
    };
    use std::cmp::Ordering::*;
    Some(match op {
        Compare::Eq => ordering == Equal,
        Compare::Ne => ordering != Equal,
        Compare::Lt => ordering == Less,
        Compare::Le => ordering != Greater,
        Compare::Gt => ordering == Greater,
        Compare::Ge => ordering != Less,
    })
}

/// Rhai's comparison of numbers when one is a float: relative to the larger magnitude, within
/// `FLOAT::EPSILON` counts as equal (so `0.1 + 0.2 == 0.3` holds), and any comparison with an
/// infinity or NaN that leaves the ratio undefined is false. The formula is Rhai's own.
fn float_compare(op: Compare, x: FLOAT, y: FLOAT) -> bool {
    let max = if x * y == 0.0 {
        1.0
    } else {
        x.abs().max(y.abs())
    };
    let at_zero = max == 0.0;
    match op {
        Compare::Eq => at_zero || (x - y).abs() / max <= FLOAT::EPSILON,
        Compare::Ne => !at_zero && (x - y).abs() / max > FLOAT::EPSILON,
        Compare::Gt => !at_zero && (x - y) / max > FLOAT::EPSILON,
        Compare::Ge => at_zero || (x - y) / max > -FLOAT::EPSILON,
        Compare::Lt => !at_zero && (y - x) / max > FLOAT::EPSILON,
        Compare::Le => at_zero || (y - x) / max > -FLOAT::EPSILON,
    }
}

/// The engine's arithmetic on numbers: checked on integers (an overflow or a division by zero is
/// left to Rhai, which reports it), `/` of integers exact (a decimal when they do not divide
/// evenly), IEEE on floats except that a zero divisor is left to Rhai too, an integer with a float
/// widened to a float.
pub(super) fn arithmetic<'v>(op: Arithmetic, a: Value<'v>, b: Value<'v>) -> Option<Value<'v>> {
    match (a, b) {
        // `/` of whole numbers that do not divide evenly is a decimal (the engine's `/`).
        (Value::Int(x), Value::Int(y)) if matches!(op, Arithmetic::Div) => {
            let quotient = x.checked_div(y)?;
            if x.checked_rem(y)? == 0 {
                Some(Value::Int(quotient))
            } else {
                Some(Value::Float(x as FLOAT / y as FLOAT))
            }
        }
        (Value::Int(x), Value::Int(y)) => Some(Value::Int(match op {
            Arithmetic::Add => x.checked_add(y)?,
            Arithmetic::Sub => x.checked_sub(y)?,
            Arithmetic::Mul => x.checked_mul(y)?,
            Arithmetic::Div => x.checked_div(y)?,
            Arithmetic::Rem => x.checked_rem(y)?,
        })),
        (Value::Int(x), Value::Float(y)) => float(op, x as FLOAT, y),
        (Value::Float(x), Value::Int(y)) => float(op, x, y as FLOAT),
        (Value::Float(x), Value::Float(y)) => float(op, x, y),
        _ => None,
    }
}

fn float(op: Arithmetic, x: FLOAT, y: FLOAT) -> Option<Value<'static>> {
    // Dividing by zero is an error, which Rhai reports.
    if matches!(op, Arithmetic::Div | Arithmetic::Rem) && y == 0.0 {
        return None;
    }
    Some(Value::Float(match op {
        Arithmetic::Add => x + y,
        Arithmetic::Sub => x - y,
        Arithmetic::Mul => x * y,
        Arithmetic::Div => x / y,
        Arithmetic::Rem => x % y,
    }))
}
