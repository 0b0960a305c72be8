//! The contract's answers (JSON texts) built straight into Python objects: dicts, lists, strs,
//! ints, floats, bools and `None`, as `json.loads` builds them, without a second pass over the
//! text in Python. Keys repeat in every answer of a batch (`"rules"`, `"points"`, a rule's id),
//! so each distinct key and each short text is made once per batch and shared.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Texts up to this many bytes are shared across the batch (keys always are): rule ids, bands,
/// stage names, verdicts. Longer ones (deal ids, messages) are rarely repeated.
const SHARED_TEXT: usize = 24;

/// The Python strs made so far in one batch, by their text.
#[derive(Default)]
pub struct Texts {
    made: RefCell<HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>>,
}

/// FNV-1a: the texts looked up are short and come from the engine, not from an adversary, and
/// the default SipHash was a tenth of the time spent building a batch's answers.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Texts {
    fn get<'py>(&self, py: Python<'py>, text: &str) -> Bound<'py, PyString> {
        if let Some(found) = self.made.borrow().get(text) {
            return found.bind(py).clone();
        }
        let made = PyString::new(py, text);
        self.made
            .borrow_mut()
            .insert(text.into(), made.clone().unbind());
        made
    }
}

/// Each answer as a Python object, in order.
///
/// # Errors
///
/// A `ValueError` for a text that is not JSON (the contract never answers one).
pub fn build_all(py: Python<'_>, answers: &[String]) -> PyResult<Vec<PyObject>> {
    let texts = Texts::default();
    answers
        .iter()
        .map(|answer| build(py, &texts, answer).map(Bound::unbind))
        .collect()
}

/// One JSON text as a Python object.
///
/// # Errors
///
/// A `ValueError` for a text that is not JSON.
pub fn build<'py>(py: Python<'py>, texts: &Texts, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = Build { py, texts }
        .deserialize(&mut reader)
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|e| PyValueError::new_err(format!("an answer is not JSON: {e}")))?;
    Ok(value)
}

/// Builds one JSON value as a Python object.
#[derive(Clone, Copy)]
struct Build<'a, 'py> {
    py: Python<'py>,
    texts: &'a Texts,
}

fn python_error<E: de::Error>(error: PyErr) -> E {
    E::custom(error)
}

impl<'de, 'py> DeserializeSeed<'de> for Build<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for Build<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_error)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_error)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_error)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_error)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(if value.len() <= SHARED_TEXT {
            self.texts.get(self.py, value).into_any()
        } else {
            PyString::new(self.py, value).into_any()
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.py);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(python_error)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some(key) = map.next_key_seed(Key(self))? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(python_error)?;
        }
        Ok(dict.into_any())
    }
}

/// Builds an object's key, always shared.
struct Key<'a, 'py>(Build<'a, 'py>);

impl<'de, 'py> DeserializeSeed<'de> for Key<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for Key<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(self.0.texts.get(self.0.py, value))
    }
}
