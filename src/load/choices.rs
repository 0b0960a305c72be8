//! An enum field's `values:` as written: each a plain id, or `{ id, title }` with a label people
//! read (a plain text or one per language); both forms may mix in one list.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

use crate::support::text::Text;

/// One value of an enum field.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawChoice {
    /// The value's id, and nothing else.
    Id(String),
    /// The value's id with its label.
    Labelled(RawLabelled),
}

/// `{ id: 10k_50k, title: { en: "10k–50k" } }`.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLabelled {
    /// The value as a deal holds it and rules compare it.
    pub id: String,
    /// How the value reads: a text, or a map from language code to text.
    #[serde(default)]
    pub title: Option<Text>,
}

impl RawChoice {
    /// The value as a deal holds it.
    pub(crate) fn id(&self) -> &str {
        match self {
            RawChoice::Id(id) => id,
            RawChoice::Labelled(labelled) => &labelled.id,
        }
    }

    /// Its label, when written.
    pub(crate) fn title(&self) -> Option<&Text> {
        match self {
            RawChoice::Id(_) => None,
            RawChoice::Labelled(labelled) => labelled.title.as_ref(),
        }
    }
}

impl JsonSchema for RawChoice {
    fn schema_name() -> Cow<'static, str> {
        "Choice".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Each branch says its type, so that a shape problem is reported against the branch of
        // the value's type (a map's unknown key, not "expected a text").
        let labelled = generator.subschema_for::<RawLabelled>();
        json_schema!({
            "description": "One value of an enum field: its id, or `{ id, title }` with the label people read.",
            "anyOf": [
                { "type": "string", "description": "The value's id (it reads as itself)." },
                labelled
            ]
        })
    }
}
