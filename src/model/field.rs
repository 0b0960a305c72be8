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
    /// For `enum`, the allowed values.
    pub values: Vec<String>,
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
}
