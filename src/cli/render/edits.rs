//! What an edit changed, for people: one line per change, before → after, and the approvals it
//! voided.

use std::fmt::Write;

use serde_json::Value;
use stagegate::{HistoryEntry, Playbook};

use crate::cli::Style;

/// The edit entries `made` (the history entries an edit added), one line each, then the
/// approvals `voided`.
pub(crate) fn edits(
    made: &[HistoryEntry],
    voided: &[String],
    playbook: &Playbook,
    style: Style,
) -> String {
    let mut out = String::new();
    for entry in made {
        let Some(edit) = &entry.edit else { continue };
        let what = match (&edit.field, &edit.activity) {
            (Some(field), _) => format!("field `{field}`"),
            (None, Some(activity)) => format!("activity `{activity}`"),
            (None, None) => "owner".to_owned(),
        };
        let before = shown(edit.before.as_ref(), edit.activity.is_some(), playbook);
        let after = shown(edit.after.as_ref(), edit.activity.is_some(), playbook);
        let _ = write!(
            out,
            "{} {what}: {before} → {after}",
            style.green("changed:")
        );
        if !edit.voided.is_empty() {
            let _ = write!(out, "  (voids {})", edit.voided.join(", "));
        }
        out.push('\n');
    }
    if !voided.is_empty() {
        let _ = writeln!(
            out,
            "{} approvals voided (given on a value that changed; to be given again): {}",
            style.yellow("voided:"),
            voided.join(", ")
        );
    }
    out
}

/// A value before or after a change: `(none)`, a text as written, anything else as JSON; an
/// activity's completion as "done 2026-11-27 09:00 +09:00 by lee" or "not done".
fn shown(value: Option<&Value>, activity: bool, playbook: &Playbook) -> String {
    match value {
        None if activity => "not done".to_owned(),
        None => "(none)".to_owned(),
        Some(Value::Object(done)) if activity => {
            let at = done
                .get("at")
                .and_then(Value::as_str)
                .map(|at| super::time(playbook, at));
            let by = done.get("by").and_then(Value::as_str);
            match (at, by) {
                (Some(at), Some(by)) => format!("done {at} by {by}"),
                (Some(at), None) => format!("done {at}"),
                _ => "done".to_owned(),
            }
        }
        Some(Value::String(text)) if activity => format!("done {}", super::time(playbook, text)),
        Some(_) if activity => "done".to_owned(),
        Some(Value::String(text)) => format!("\"{text}\""),
        Some(value) => value.to_string(),
    }
}
