//! `refused:` on a test case's approval step: the approval must be given, refused for any reason,
//! or refused for one reason, named as the JSON contract names its error kinds.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why an approval may be refused, by the kind of the JSON contract's error object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefusalKind {
    /// `forbidden`: the person does not hold the approving role, or owns the deal.
    Forbidden,
    /// `refused`: any other refusal: the deal is not in the stage that asks for the approval,
    /// it already holds one that counts, or the approval is dated before its history.
    Refused,
}

impl RefusalKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [RefusalKind; 2] = [RefusalKind::Forbidden, RefusalKind::Refused];

    /// The kind's name, as the contract's `error` key and a test case write it.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalKind::Forbidden => "forbidden",
            RefusalKind::Refused => "refused",
        }
    }
}

/// What an approval step expects: `refused: false` (or no `refused`), `true`, or a kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpectedRefusal {
    /// The approval must be given.
    #[default]
    Given,
    /// The approval must be refused, for any reason (`refused: true`).
    Any,
    /// The approval must be refused for this reason (`refused: forbidden`).
    Kind(RefusalKind),
}

impl ExpectedRefusal {
    /// `true` when the approval must be given.
    pub fn is_given(&self) -> bool {
        *self == ExpectedRefusal::Given
    }
}

impl Serialize for ExpectedRefusal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ExpectedRefusal::Given => serializer.serialize_bool(false),
            ExpectedRefusal::Any => serializer.serialize_bool(true),
            ExpectedRefusal::Kind(kind) => serializer.serialize_str(kind.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for ExpectedRefusal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefusalVisitor;
        impl Visitor<'_> for RefusalVisitor {
            type Value = ExpectedRefusal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`true`, `false`, or the kind of refusal: `forbidden` or `refused`")
            }
            fn visit_bool<E: de::Error>(self, refused: bool) -> Result<ExpectedRefusal, E> {
                Ok(if refused {
                    ExpectedRefusal::Any
                } else {
                    ExpectedRefusal::Given
                })
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<ExpectedRefusal, E> {
                match RefusalKind::ALL.into_iter().find(|k| k.as_str() == name) {
                    Some(kind) => Ok(ExpectedRefusal::Kind(kind)),
                    None => Err(E::custom(format!(
                        "unknown value `{}` of `refused`, expected `true`, `forbidden` or `refused`",
                        crate::support::text::shorten(name)
                    ))),
                }
            }
        }
        deserializer.deserialize_any(RefusalVisitor)
    }
}

impl schemars::JsonSchema for ExpectedRefusal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExpectedRefusal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let kinds: Vec<&str> = RefusalKind::ALL.iter().map(|k| k.as_str()).collect();
        schemars::json_schema!({
            "description": "The approval must be refused: `true` for any reason, or the reason, named as the JSON contract's error kinds: `forbidden` (not in the approving role, or the deal's owner) or `refused` (not in its stage, already approved, dated before the history).",
            "anyOf": [ { "type": "boolean" }, { "type": "string", "enum": kinds } ]
        })
    }
}
