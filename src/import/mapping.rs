//! The mapping file: how the columns of a CRM export become deals.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::model::FieldType;
use crate::support::ordered::Ordered;

/// Which column gives what; see the import section of the format reference.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Mapping {
    /// The column holding the deal id.
    pub id: String,
    /// A pin written into every deal (`id@version`).
    #[serde(default)]
    pub playbook: Option<String>,
    /// The column holding the deal's current stage, with the stage id each value stands for.
    #[serde(default)]
    pub stage: Option<StageColumn>,
    /// Deal fields by id, each from a column.
    #[serde(default)]
    pub fields: Ordered<FieldColumn>,
    /// Dates that mark stage entries, in the order the deal lives them.
    #[serde(default)]
    pub history: Vec<EntryColumn>,
    /// Activities by id, each done at the date in a column.
    #[serde(default)]
    pub activities: Ordered<DateColumn>,
    /// Other CSV files whose rows join the main one's by a shared column.
    #[serde(default)]
    pub join: Vec<Join>,
    /// The field separator (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// The strftime format of every date column that gives none of its own (default ISO 8601).
    #[serde(default)]
    pub format: Option<String>,
    /// The character that groups thousands in numbers (`,` in `12,000`); default none.
    #[serde(default)]
    pub thousands: Option<char>,
    /// The character before the decimals of numbers (`,` in `12,5`); default `.`.
    #[serde(default)]
    pub decimal: Option<char>,
}

/// The current stage.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StageColumn {
    /// The column.
    pub column: String,
    /// Cell value → stage id; a value not listed is taken as the stage id itself (with a playbook,
    /// it must be one of its stages).
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// The stage when the cell is empty.
    #[serde(default)]
    pub default: Option<String>,
}

/// A field from a column.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldColumn {
    /// The column.
    pub column: String,
    /// The field's type (default text).
    #[serde(default, rename = "type")]
    pub kind: Option<FieldType>,
    /// Cell value → the value to write (`~` for none), before the type is applied.
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
    /// For dates: the strftime format of the cell (default: the mapping's `format`, else ISO
    /// 8601).
    #[serde(default)]
    pub format: Option<String>,
    /// For lists: the separator between items (default `;`).
    #[serde(default)]
    pub separator: Option<String>,
    /// For numbers: the thousands separator of this column (default: the mapping's).
    #[serde(default)]
    pub thousands: Option<char>,
    /// For numbers: the decimal separator of this column (default: the mapping's).
    #[serde(default)]
    pub decimal: Option<char>,
}

/// A stage entered at the date in a column.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryColumn {
    /// The column holding the date.
    pub column: String,
    /// The stage entered; `@stage` is the deal's current stage (from `stage:`).
    pub stage: String,
    /// The strftime format of the cell (default: the mapping's `format`, else ISO 8601).
    #[serde(default)]
    pub format: Option<String>,
}

/// A date in a column.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateColumn {
    /// The column.
    pub column: String,
    /// The strftime format of the cell (default: the mapping's `format`, else ISO 8601).
    #[serde(default)]
    pub format: Option<String>,
}

/// Another file joined to the main one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Join {
    /// The file's name, as given on the command line (its last path part is enough).
    pub file: String,
    /// The column both files share.
    pub on: String,
}
