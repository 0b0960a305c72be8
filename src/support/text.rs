//! Human-readable texts in one or several languages.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize};

/// A human-readable text: a plain string, or a map from language code to string.
///
/// A reader asks for a language; a text without it falls back to the playbook's default
/// language, then to any language it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// The same text in every language.
    Plain(String),
    /// One text per language code.
    Translated(BTreeMap<String, String>),
}

impl Text {
    /// The text in `lang`, else in `default`, else in any language it has.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Text;
    /// let title = Text::Translated([("ko".into(), "자격 검증".into()), ("en".into(), "Qualification".into())].into());
    /// assert_eq!(title.get("en", "ko"), "Qualification");
    /// assert_eq!(title.get("fr", "ko"), "자격 검증");
    /// ```
    pub fn get<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        match self {
            Text::Plain(text) => text,
            Text::Translated(map) => map
                .get(lang)
                .or_else(|| map.get(default))
                .or_else(|| map.values().next())
                .map_or("", String::as_str),
        }
    }

    /// The language codes this text carries (none for a plain text).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        let keys: Vec<&str> = match self {
            Text::Plain(_) => Vec::new(),
            Text::Translated(map) => map.keys().map(String::as_str).collect(),
        };
        keys.into_iter()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map from language code to text")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
                Ok(Text::Plain(value.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
                let texts = BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Text::Translated(texts))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A text, or a map from language code to text.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "additionalProperties": { "type": "string" } }
            ]
        })
    }
}

/// Cuts a long text for a message.
pub(crate) fn shorten(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}
