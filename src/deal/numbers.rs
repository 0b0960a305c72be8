//! Numbers a deal cannot hold exactly: whole numbers beyond `i64` and numbers beyond `f64` are
//! refused with the deal's name and the file's format, never rounded, clamped or read as text.
//!
//! The parsers read a whole number too big for 64 bits as a float (JSON) or refuse it with
//! their own words ("JSON number out of range", also for YAML); a number beyond `f64` is an
//! error in JSON and a text in YAML. The text of the deal is scanned only when one of those
//! happened, so a deal of ordinary numbers costs nothing more.

use serde_json::Value;

use super::{Deal, DealError, DealOrigin, DealProblem};

/// 2^63: a float at least this large may be a whole number written beyond `i64`.
pub(crate) const BEYOND_WHOLE: f64 = 9_223_372_036_854_775_808.0;

/// A whole-number literal written in a deal's text that no `i64` holds, with its line (1-based,
/// within the text).
#[derive(Debug, PartialEq)]
pub(super) struct Literal {
    pub text: String,
    pub line: usize,
}

/// The file formats, as messages name them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Format {
    Json,
    Yaml,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        }
    }
}

/// Why a whole number cannot be read.
pub(super) fn too_big(literal: &str, format: Format) -> String {
    format!(
        "`{literal}` is a whole number beyond the largest one a {} deal may hold \
         (9223372036854775807); write it with a decimal point or an exponent \
         (`{}`) if an approximate number is meant, or quote it if it is a code",
        format.name(),
        approximate(literal)
    )
}

/// Why a number beyond `f64` cannot be read.
pub(super) fn beyond_float(literal: &str, format: Format) -> String {
    format!(
        "`{literal}` is beyond the largest number a {} deal may hold (about 1.8e308)",
        format.name()
    )
}

/// A long whole number as the float nearest to it: `100000000000000000000` as `1e20`.
fn approximate(literal: &str) -> String {
    literal
        .parse::<f64>()
        .map_or_else(|_| literal.to_owned(), |float| format!("{float:e}"))
}

/// A parsed deal, unless a whole number of it is beyond what a deal may hold: then the error
/// names the deal (its id, or its position) and where it was read.
pub(super) fn check(
    deal: &Deal,
    origin: &DealOrigin,
    text: &str,
    format: Format,
) -> Result<(), DealError> {
    let problems = problems(deal, text, format);
    if problems.is_empty() {
        return Ok(());
    }
    let mut error = DealError::new(deal.label(&format!("#{}", origin.index)), problems);
    error.file = Some(origin.file.clone());
    error.line = Some(origin.line);
    Err(error)
}

/// The problems of a parsed deal's numbers: whole numbers beyond `i64` (kept by the parser as
/// unsigned, or turned into a float, which `text`, the deal's text, shows).
pub(crate) fn problems(deal: &Deal, text: &str, format: Format) -> Vec<DealProblem> {
    let mut problems = Vec::new();
    let mut literals: Option<Vec<Literal>> = None;
    for (field, value) in &deal.fields {
        let mut found = Vec::new();
        oversized(value, &mut found);
        for number in found {
            let literal = match number {
                Oversized::Unsigned(whole) => Some(whole.to_string()),
                Oversized::Float(float) => literals
                    .get_or_insert_with(|| whole_literals(text))
                    .iter()
                    .find(|l| l.text.parse::<f64>().is_ok_and(|v| v == float))
                    .map(|l| l.text.clone()),
            };
            if let Some(literal) = literal {
                problems.push(DealProblem::WrongValue {
                    field: field.clone(),
                    problem: too_big(&literal, format),
                });
            }
        }
    }
    problems
}

/// A number that may not be what was written.
enum Oversized {
    Unsigned(u64),
    Float(f64),
}

fn oversized(value: &Value, found: &mut Vec<Oversized>) {
    match value {
        Value::Number(number) => {
            if let Some(whole) = number.as_u64().filter(|w| i64::try_from(*w).is_err()) {
                found.push(Oversized::Unsigned(whole));
            } else if let Some(float) = number.as_f64().filter(|f| f.abs() >= BEYOND_WHOLE) {
                if !number.is_i64() && !number.is_u64() && float.fract() == 0.0 {
                    found.push(Oversized::Float(float));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| oversized(item, found)),
        Value::Object(map) => map.values().for_each(|item| oversized(item, found)),
        _ => {}
    }
}

/// Every whole-number literal of `text`, outside quotes, that no `i64` holds.
pub(super) fn whole_literals(text: &str) -> Vec<Literal> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let (mut line, mut i) = (1, 0);
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let byte = bytes[i];
        match (quote, byte) {
            (_, b'\n') => line += 1,
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), _) if byte == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'#')
                if bytes
                    .get(i.wrapping_sub(1))
                    .is_none_or(u8::is_ascii_whitespace) =>
            {
                // A YAML comment: to the end of the line.
                while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                    i += 1;
                }
            }
            (None, b'0'..=b'9') => {
                let start = if i > 0 && bytes[i - 1] == b'-' {
                    i - 1
                } else {
                    i
                };
                let mut end = i;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                let joined = |b: Option<&u8>| {
                    b.is_some_and(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':')
                    })
                };
                let before = start.checked_sub(1).and_then(|b| bytes.get(b));
                let whole = !joined(bytes.get(end)) && !joined(before);
                let literal = &text[start..end];
                if whole && end - i >= 19 && literal.parse::<i64>().is_err() {
                    found.push(Literal {
                        text: literal.to_owned(),
                        line,
                    });
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// What a number too big to read is replaced with, to read the rest of its deal.
const MARK: &str = "\"stagegate: oversized number\"";

/// The deal's tree with `literal` (a number no parser reads) replaced by a mark, and the field
/// that holds it, if a field does.
pub(super) fn without(
    text: &str,
    literal: &str,
    parse: impl Fn(&str) -> Option<Value>,
) -> (Option<Value>, Option<String>) {
    let Some(tree) = parse(&text.replacen(literal, MARK, 1)) else {
        return (None, None);
    };
    let mark = MARK.trim_matches('"');
    let field = tree
        .get("fields")
        .and_then(Value::as_object)
        .and_then(|fields| fields.iter().find(|(_, v)| v.as_str() == Some(mark)))
        .map(|(name, _)| name.clone());
    (Some(tree), field)
}

/// The whole number beyond `i64` that YAML's "number out of range" (serde's words, `message`)
/// is about: the one on the error's `line` of `text`, else the first in it.
pub(super) fn out_of_range_in_yaml(message: &str, text: &str, line: usize) -> Option<String> {
    if !message.contains("number out of range") {
        return None;
    }
    let found = whole_literals(text);
    let literal = found.iter().find(|l| l.line == line).or(found.first())?;
    Some(literal.text.clone())
}

/// A number literal (as a JSON parser reads it) that ends where `column` (1-based) of `line`
/// points, or starts there.
pub(super) fn literal_at(text: &str, line: usize, column: usize) -> Option<String> {
    let row = text.lines().nth(line.checked_sub(1)?)?;
    let is_number = |c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E');
    let chars: Vec<char> = row.chars().collect();
    let mut end = column.min(chars.len());
    while end > 0 && !chars[end - 1].is_ascii_digit() && end < chars.len() {
        end += 1;
    }
    while end < chars.len() && is_number(chars[end]) {
        end += 1;
    }
    let mut start = end;
    while start > 0 && is_number(chars[start - 1]) {
        start -= 1;
    }
    let literal: String = chars[start..end].iter().collect();
    literal
        .chars()
        .any(|c| c.is_ascii_digit())
        .then_some(literal)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn whole_literals_beyond_i64_are_found_outside_quotes_and_comments() {
        let text = "id: \"12345678901234567890123\"\nfields: { a: 100000000000000000000, \
                    b: 9223372036854775807, c: 1.00000000000000000000e5 }\n# 99999999999999999999\n";
        let found = whole_literals(text);
        assert_eq!(
            found,
            [Literal {
                text: "100000000000000000000".to_owned(),
                line: 2
            }]
        );
        assert_eq!(
            whole_literals("{\"a\": -9223372036854775809}")[0].text,
            "-9223372036854775809"
        );
        assert!(whole_literals("{\"a\": -9223372036854775808}").is_empty());
    }

    #[test]
    fn messages_offer_the_approximate_number() {
        assert!(too_big("100000000000000000000", Format::Yaml).contains("`1e20`"));
        assert!(too_big("-123000000000000000000", Format::Json).contains("`-1.23e20`"));
        assert!(
            too_big("1234567890123456789012345", Format::Json).contains("`1.2345678901234568e24`")
        );
        assert!(too_big("1", Format::Json).contains("a JSON deal"));
    }

    #[test]
    fn the_literal_at_an_error_column_is_found() {
        let text = "{\"id\": \"X\",\n \"fields\": {\"amount\": 1e400}}";
        assert_eq!(literal_at(text, 2, 27).as_deref(), Some("1e400"));
        assert_eq!(literal_at(text, 2, 22).as_deref(), Some("1e400"));
    }
}
