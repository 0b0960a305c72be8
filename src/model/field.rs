//! The facts a deal carries: declared fields and their types.

use serde::{Deserialize, Serialize};

use crate::support::text::Text;

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A text; an empty text counts as absent.
    Text,
    /// An ISO 8601 date or RFC 3339 date-time.
    Date,
    /// One of the field's `values`.
    Enum,
    /// A list of texts.
    List,
}

impl FieldType {
    /// How the type reads in a message: "a number", "a date".
    pub(crate) fn described(self) -> &'static str {
        match self {
            FieldType::Bool => "true or false",
            FieldType::Integer => "a whole number",
            FieldType::Number => "a number",
            FieldType::Text => "a text",
            FieldType::Date => "a date",
            FieldType::Enum => "one of the listed values",
            FieldType::List => "a list of texts",
        }
    }
}

/// A declared field.
///
/// # Example
///
/// ```
/// use stagegate::{FieldType, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let budget = playbook.fields().iter().find(|f| f.id == "budget").unwrap();
/// assert_eq!(budget.kind, FieldType::Number);
/// assert_eq!(budget.title.as_ref().map(|t| t.get("en", "ko")), Some("Customer budget (USD)"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's id, which is also its name in rules.
    pub id: String,
    /// Its type.
    pub kind: FieldType,
    /// For `enum`, the allowed values (their ids, as deals hold them).
    pub values: Vec<String>,
    /// For `enum`, each value's label (`{ id, title }`), beside `values`; `None` for a value
    /// written as its id alone.
    pub value_titles: Vec<Option<Text>>,
    /// What people call it.
    pub title: Option<Text>,
    /// Who may change it, instead of `permissions.edit` (`None`: as `permissions.edit`).
    pub edit: Option<Vec<String>>,
}

impl Field {
    /// The field's title in `lang` (falling back to `default`), or its id when it has none.
    pub fn title_in<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        self.title
            .as_ref()
            .map_or(self.id.as_str(), |title| title.get(lang, default))
    }

    /// How the enum value `value` reads in `lang` (falling back to `default`): its label, or the
    /// value itself when it has none (or is not one of the field's values).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::Playbook;
    /// let playbook = Playbook::from_yaml(r#"
    /// stagegate: 1
    /// id: t
    /// version: 1
    /// languages: [en, ko]
    /// fields:
    ///   size: { type: enum, values: [small, { id: 10k_50k, title: { en: "10k–50k", ko: "1만–5만" } }] }
    /// stages: [{ id: open }]
    /// "#, "t.yaml").unwrap();
    /// let size = &playbook.fields()[0];
    /// assert_eq!(size.value_title("10k_50k", "ko", "en"), "1만–5만");
    /// assert_eq!(size.value_title("small", "ko", "en"), "small");
    /// ```
    pub fn value_title<'a>(&'a self, value: &'a str, lang: &str, default: &str) -> &'a str {
        self.values
            .iter()
            .position(|v| v == value)
            .and_then(|i| self.value_titles.get(i))
            .and_then(Option::as_ref)
            .map_or(value, |title| title.get(lang, default))
    }
}
