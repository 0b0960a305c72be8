//! One cell of a CRM export as a value of its field's type: numbers, booleans, dates and texts.

use jiff::civil::{Date, DateTime};
use serde_json::Value;

use super::mapping;
use super::numbers::Separators;
use crate::model::{Field, FieldType};

/// How a column's cells are read, with the mapping's defaults applied.
#[derive(Clone, Copy, Debug)]
pub(super) struct Reading<'a> {
    /// How its numbers are written.
    pub separators: Separators,
    /// The strftime format of its dates, if not ISO 8601.
    pub format: Option<&'a str>,
}

/// A cell as a value of the field's type.
pub(super) fn typed(
    cell: &str,
    kind: FieldType,
    column: &mapping::FieldColumn,
    reading: Reading<'_>,
) -> Result<Value, String> {
    let separator = column.separator.as_deref().unwrap_or(";");
    read(cell, kind, separator, reading, true)
}

/// A value written as text (on a command line, in a form) as a value of `field`'s type, read as
/// an export's cell is read: numbers with a point before the decimals, `true` or `false` (also
/// `yes`/`no`, `1`/`0`), dates and date-times in ISO 8601 (a date-time without its zone stays
/// without one, for the playbook's time zone), lists split at `separator`, texts and enum values
/// as written (the playbook checks an enum's value when the deal is changed).
///
/// # Errors
///
/// What the text is not, naming the text and the type: "`abc` is not a number".
///
/// # Example
///
/// ```
/// use stagegate::{import::field_value, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let budget = playbook.fields().iter().find(|f| f.id == "budget").unwrap();
/// assert_eq!(field_value("80000", budget, ","), Ok(serde_json::json!(80000)));
/// assert_eq!(field_value("12.5", budget, ","), Ok(serde_json::json!(12.5)));
/// assert_eq!(field_value("lots", budget, ",").unwrap_err(), "`lots` is not a number");
/// ```
pub fn field_value(text: &str, field: &Field, separator: &str) -> Result<Value, String> {
    // A number written as JSON writes it is kept as written: `19` stays a whole number.
    if field.kind == FieldType::Number {
        if let Ok(number) = serde_json::from_str::<serde_json::Number>(text.trim()) {
            return Ok(Value::Number(number));
        }
    }
    let reading = Reading {
        separators: Separators::default(),
        format: None,
    };
    read(text.trim(), field.kind, separator, reading, false)
}

/// `cell` as a value of `kind`; `mapping`: a cell of an export, whose problems say what to add to
/// the mapping.
fn read(
    cell: &str,
    kind: FieldType,
    separator: &str,
    reading: Reading<'_>,
    mapping: bool,
) -> Result<Value, String> {
    let wrong = |what: &str| format!("`{cell}` is not {what}");
    // A number that would read with other separators says which to give.
    let not_a = |what: &str, reads: fn(&str) -> bool| match reading
        .separators
        .hint(cell, reads)
        .filter(|_| mapping)
    {
        Some(hint) => format!("{}; {hint}", wrong(what)),
        None => wrong(what),
    };
    let plain = || reading.separators.plain(cell);
    Ok(match kind {
        FieldType::Text | FieldType::Enum => Value::from(cell),
        FieldType::Number => {
            let number: f64 = plain()
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| not_a("a number", |p| p.parse::<f64>().is_ok()))?;
            serde_json::Number::from_f64(number)
                .map(Value::Number)
                .ok_or_else(|| wrong("a finite number"))?
        }
        FieldType::Integer => match plain().as_deref().map(whole) {
            Some(Some(n)) => Value::from(n),
            _ => return Err(not_a("a whole number", |p| whole(p).is_some())),
        },
        FieldType::Bool => match cell.to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Value::Bool(true),
            "false" | "no" | "n" | "0" => Value::Bool(false),
            _ if mapping => return Err(wrong("true or false (map it with `values:`)")),
            _ => return Err(wrong("true or false")),
        },
        FieldType::Date if mapping => Value::from(date(cell, reading.format)?),
        FieldType::Date => Value::from(date(cell, None).map_err(|_| {
            wrong("a date (2026-11-02) or date-time (2026-11-02T10:00:00, 2026-11-02T10:00:00Z)")
        })?),
        FieldType::List => Value::from(
            cell.split(separator)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Value::from)
                .collect::<Vec<_>>(),
        ),
    })
}

/// A plain number as a whole number: `12`, also `12.0`.
fn whole(plain: &str) -> Option<i64> {
    match plain.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => match plain.parse::<f64>() {
            Ok(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(n as i64),
            _ => None,
        },
    }
}

/// A date cell as a deal holds it: `2026-11-02`; a date-time with its offset in UTC
/// (`2026-11-02T10:00:00Z`); a date-time the export writes without a zone stays without one
/// (`2026-11-02T10:00:00`), so the engine reads it in the playbook's time zone, to the second.
pub(super) fn date(cell: &str, format: Option<&str>) -> Result<String, String> {
    let bad = || match format {
        Some(format) => format!("`{cell}` does not match the date format `{format}`"),
        None => {
            format!(
                "`{cell}` is not a date (2026-11-02) or date-time (2026-11-02 10:00); give the \
                 column, or the whole mapping, a `format:` such as \"%d/%m/%Y\""
            )
        }
    };
    match format {
        Some(format) => {
            // A format without a time reads a date; one with a time, a date-time.
            let timed = ["%H", "%M", "%S", "%T", "%R", "%I", "%k", "%l", "%p", "%s"]
                .iter()
                .any(|directive| format.contains(directive));
            let zoned = ["%z", "%:z", "%::z", "%Z", "%Q", "%:Q"]
                .iter()
                .any(|directive| format.contains(directive));
            if zoned {
                jiff::Timestamp::strptime(format, cell)
                    .map(|at| at.to_string())
                    .map_err(|_| bad())
            } else if timed {
                DateTime::strptime(format, cell)
                    .map(|at| at.strftime("%Y-%m-%dT%H:%M:%S").to_string())
                    .map_err(|_| bad())
            } else {
                Date::strptime(format, cell)
                    .map(|d| d.to_string())
                    .map_err(|_| bad())
            }
        }
        None => {
            // A time (and an offset) is kept: only a bare date is read as a date.
            if let Ok(at) = cell.parse::<jiff::Timestamp>() {
                return Ok(at.to_string());
            }
            if let Ok(day) = cell.parse::<Date>() {
                if cell.len() <= 10 {
                    return Ok(day.to_string());
                }
            }
            cell.parse::<DateTime>()
                .map(|at| at.strftime("%Y-%m-%dT%H:%M:%S").to_string())
                .map_err(|_| bad())
        }
    }
}
