//! The JSON Schema of the playbook format, generated from the types that read it.

use std::sync::OnceLock;

use serde_json::Value;

use super::raw::RawPlaybook;

/// The JSON Schema (draft-07) of the playbook format, for editors with a YAML language server.
///
/// # Example
///
/// ```
/// let schema = stagegate::Playbook::json_schema();
/// assert_eq!(schema["title"], "stagegate playbook");
/// assert!(schema["properties"]["stages"].is_object());
/// ```
pub fn playbook_schema() -> Value {
    schema().clone()
}

/// The schema, generated once.
pub(crate) fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = schemars::generate::SchemaSettings::draft07().into_generator();
        let mut schema = generator.into_root_schema_for::<RawPlaybook>().to_value();
        if let Some(root) = schema.as_object_mut() {
            root.insert("title".into(), "stagegate playbook".into());
            root.insert(
                "description".into(),
                "A stage-gate playbook for B2B sales (format version 1).".into(),
            );
        }
        schema
    })
}
