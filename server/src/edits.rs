//! A `PATCH /deals/{id}` body read as the engine's `Changes`, and the edits it made as the audit
//! log and the change feed record them (one per change: what, before, after, by, at).

use serde_json::{json, Map, Value};
use stagegate::{Changes, Completion, Deal};

use crate::deals::unreadable;
use crate::reply::Reply;

/// The keys a `PATCH` body takes.
const TAKEN: [&str; 5] = ["fields", "activities", "owner", "revision", "at"];

/// The changes `body` asks of deal `id`: 400 naming a key PATCH does not take or an owner that
/// is not a text; 422 `deal` (`unreadable`) for `fields` or `activities` that are not objects,
/// or an activity's value that is not when it was done.
pub fn read(id: &str, body: &Value) -> Result<Changes, Reply> {
    let empty = Map::new();
    let object = body.as_object().unwrap_or(&empty);
    if let Some(key) = object.keys().find(|k| !TAKEN.contains(&k.as_str())) {
        return Err(Reply::bad_request(format!(
            "`{key}` cannot be changed here: PATCH takes `fields`, `activities` and `owner` (with `revision`); moves, approvals and archiving have their own routes"
        )));
    }
    let mut changes = Changes::new();
    for (name, value) in part(id, object, "fields")?.into_iter().flatten() {
        changes
            .fields
            .insert(name.clone(), (!value.is_null()).then(|| value.clone()));
    }
    for (name, value) in part(id, object, "activities")?.into_iter().flatten() {
        let done = match value {
            Value::Null => None,
            value => match serde_json::from_value::<Completion>(value.clone()) {
                Ok(done) => Some(done),
                Err(_) => {
                    return Err(unreadable(
                        id,
                        format!("activities.{name}: `{value}` is not when the activity was done; give a date, a date-time, true, or false (or null) to untick it"),
                    ))
                }
            },
        };
        changes.activities.insert(name.clone(), done);
    }
    match object.get("owner") {
        None => {}
        Some(Value::String(owner)) => changes.owner = Some(owner.clone()),
        Some(other) => {
            return Err(Reply::bad_request(format!(
                "owner: `{other}` is not a user id; give the new owner's id, as a string"
            )))
        }
    }
    Ok(changes)
}

/// `fields` or `activities` of the body, by name (`None` when left out).
fn part<'b>(
    id: &str,
    body: &'b Map<String, Value>,
    key: &str,
) -> Result<Option<&'b Map<String, Value>>, Reply> {
    match body.get(key) {
        None => Ok(None),
        Some(Value::Object(part)) => Ok(Some(part)),
        Some(other) => {
            let example = format!(r#"{{"{key}": {{"<name>": …}}}}"#);
            Err(unreadable(
                id,
                format!("{key}: `{other}` is not an object; give {key} by name, such as {example}"),
            ))
        }
    }
}

/// The edits `after` gained over `before`, one per change, from its new history entries:
/// `{"field" | "activity" | "owner": ..., "before", "after", "voided", "by", "at"}` (`before` or
/// `after` null: the value was not set, or was removed).
pub fn rows(before: &Deal, after: &Deal) -> Vec<Value> {
    after
        .history
        .iter()
        .skip(before.history.len())
        .filter_map(|entry| {
            let edit = entry.edit.as_ref()?;
            let mut row = json!({});
            match (&edit.field, &edit.activity) {
                (Some(field), _) => row["field"] = json!(field),
                (None, Some(activity)) => row["activity"] = json!(activity),
                (None, None) => row["owner"] = json!(true),
            }
            row["before"] = edit.before.clone().unwrap_or(Value::Null);
            row["after"] = edit.after.clone().unwrap_or(Value::Null);
            row["voided"] = json!(edit.voided);
            row["by"] = json!(entry.by);
            row["at"] = json!(entry.at);
            Some(row)
        })
        .collect()
}
