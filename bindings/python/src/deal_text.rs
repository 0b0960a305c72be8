//! Deals given as Python dicts written as JSON text in Rust, as `json.dumps(deal,
//! default=...)` writes them but without its per-call cost. Whatever this writer cannot take
//! exactly as `json.dumps` would (a key that is not a str, a float that is not finite, an int
//! beyond 64 bits, a mapping that is not a dict, a str that is not UTF-8, deep nesting) is handed
//! whole to the Python fallback, so every deal reads the same whichever path wrote it.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Nesting deeper than this is left to `json.dumps`, which knows cycles.
const DEEPEST: usize = 64;

/// Why a value is left to the Python fallback.
enum Unwritten {
    /// Not something this writer takes exactly: the fallback writes the whole deal.
    Fallback,
    /// An error raised by `default`, as `json.dumps` would raise it.
    Raised(PyErr),
}

impl From<PyErr> for Unwritten {
    fn from(error: PyErr) -> Self {
        Unwritten::Raised(error)
    }
}

/// Each deal's JSON text: a str as it is, a dict written here, anything else (and any dict this
/// writer cannot take exactly) by `fallback(deal)`, which raises for what is not a deal.
/// `default(value)` is asked for a value JSON has no form for (a date), as `json.dumps` asks it.
///
/// # Errors
///
/// What `default` or `fallback` raise.
pub fn deal_texts(
    deals: &Bound<'_, PyAny>,
    default: &Bound<'_, PyAny>,
    fallback: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    let mut texts = Vec::new();
    for deal in deals.try_iter()? {
        let deal = deal?;
        texts.push(deal_text(&deal, default, fallback)?);
    }
    Ok(texts)
}

fn deal_text(
    deal: &Bound<'_, PyAny>,
    default: &Bound<'_, PyAny>,
    fallback: &Bound<'_, PyAny>,
) -> PyResult<String> {
    if let Ok(text) = deal.downcast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    if deal.is_instance_of::<PyDict>() {
        let mut out = Vec::with_capacity(512);
        match write(&mut out, deal, default, 0) {
            Ok(()) => {
                return String::from_utf8(out).map_err(|e| PyTypeError::new_err(e.to_string()))
            }
            Err(Unwritten::Raised(error)) => return Err(error),
            Err(Unwritten::Fallback) => {}
        }
    }
    fallback.call1((deal,))?.extract()
}

fn write(
    out: &mut Vec<u8>,
    value: &Bound<'_, PyAny>,
    default: &Bound<'_, PyAny>,
    depth: usize,
) -> Result<(), Unwritten> {
    if depth > DEEPEST {
        return Err(Unwritten::Fallback);
    }
    if let Ok(text) = value.downcast::<PyString>() {
        let text = text.to_cow().map_err(|_| Unwritten::Fallback)?;
        return string(out, &text);
    }
    if value.is_none() {
        out.extend_from_slice(b"null");
    } else if let Ok(flag) = value.downcast::<PyBool>() {
        out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
    } else if value.is_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(number) => out.extend_from_slice(number.to_string().as_bytes()),
            Err(_) => return Err(Unwritten::Fallback),
        }
    } else if let Ok(number) = value.downcast::<PyFloat>() {
        let number = serde_json::Number::from_f64(number.value()).ok_or(Unwritten::Fallback)?;
        out.extend_from_slice(number.to_string().as_bytes());
    } else if let Ok(dict) = value.downcast::<PyDict>() {
        out.push(b'{');
        for (n, (key, item)) in dict.iter().enumerate() {
            let key = key
                .downcast::<PyString>()
                .map_err(|_| Unwritten::Fallback)?;
            if n > 0 {
                out.push(b',');
            }
            string(out, &key.to_cow().map_err(|_| Unwritten::Fallback)?)?;
            out.push(b':');
            write(out, &item, default, depth + 1)?;
        }
        out.push(b'}');
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        out.push(b'[');
        for (n, item) in value.try_iter()?.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            write(out, &item?, default, depth + 1)?;
        }
        out.push(b']');
    } else {
        let written = default.call1((value,))?;
        write(out, &written, default, depth + 1)?;
    }
    Ok(())
}

fn string(out: &mut Vec<u8>, text: &str) -> Result<(), Unwritten> {
    serde_json::to_writer(&mut *out, text).map_err(|_| Unwritten::Fallback)
}
