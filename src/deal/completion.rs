//! `Completion`: when an activity was done, and by whom when it is known.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// When an activity was done: a date or date-time, just `true`, or `{ at, by }` naming who did
/// it. `false` means not done.
///
/// # Example
///
/// ```
/// use stagegate::{Completion, Deal};
/// let deal: Deal = serde_json::from_str(r#"{"activities": {"demo": "2026-11-03", "call": true,
///     "visit": false, "review": {"at": "2026-11-04T09:00:00Z", "by": "yoon"}}}"#).unwrap();
/// assert_eq!(deal.activities["demo"], Completion::At("2026-11-03".to_owned()));
/// assert!(deal.activities["call"].is_done());
/// assert!(!deal.activities["visit"].is_done());
/// assert_eq!(deal.activities["review"].by(), Some("yoon"));
/// assert_eq!(deal.activities["review"].at(), Some("2026-11-04T09:00:00Z"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    /// Done (`true`) or not (`false`), with no date.
    Flag(bool),
    /// Done at this date or date-time.
    At(String),
    /// Done at `at` by `by` (an actor's id): how the engine records a ticked activity.
    By {
        /// When (RFC 3339, or a date).
        at: String,
        /// Who did it.
        by: String,
    },
}

impl Completion {
    /// `true` unless written `false`.
    pub fn is_done(&self) -> bool {
        !matches!(self, Completion::Flag(false))
    }

    /// When it was done, when that is known.
    pub fn at(&self) -> Option<&str> {
        match self {
            Completion::Flag(_) => None,
            Completion::At(at) | Completion::By { at, .. } => Some(at),
        }
    }

    /// Who did it, when that is known.
    pub fn by(&self) -> Option<&str> {
        match self {
            Completion::By { by, .. } => Some(by),
            _ => None,
        }
    }
}

impl Serialize for Completion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Completion::Flag(flag) => serializer.serialize_bool(*flag),
            Completion::At(at) => serializer.serialize_str(at),
            Completion::By { at, by } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("at", at)?;
                map.serialize_entry("by", by)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Completion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Record {
            at: String,
            by: String,
        }
        struct CompletionVisitor;
        impl<'de> Visitor<'de> for CompletionVisitor {
            type Value = Completion;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date, a date-time, true, or { at, by }")
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Completion, E> {
                Ok(Completion::Flag(value))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Completion, E> {
                Ok(Completion::At(value.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Completion, A::Error> {
                let record = Record::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Completion::By {
                    at: record.at,
                    by: record.by,
                })
            }
        }
        deserializer.deserialize_any(CompletionVisitor)
    }
}

impl schemars::JsonSchema for Completion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Completion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "When the activity was done: a date, a date-time, true (false: not done), or who did it and when.",
            "anyOf": [
                { "type": "boolean" },
                { "type": "string" },
                {
                    "type": "object",
                    "properties": {
                        "at": { "type": "string", "description": "When (RFC 3339, or a date)." },
                        "by": { "type": "string", "description": "Who did it (an actor's id)." }
                    },
                    "required": ["at", "by"],
                    "additionalProperties": false
                }
            ]
        })
    }
}
