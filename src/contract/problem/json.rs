//! A problem as its JSON error object: `{"error": <kind>, "code", "message", ...}`, the `error`
//! key first so that a host tells an error from an answer without parsing it.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{Problem, ProblemKind};

impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("error", &self.kind)?;
        map.serialize_entry("code", &self.code)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(help) = &self.help {
            map.serialize_entry("help", help)?;
        }
        if let Some(place) = &self.place {
            if let Some(file) = &place.file {
                map.serialize_entry("file", file)?;
            }
            if let Some(line) = place.line {
                map.serialize_entry("line", &line)?;
            }
            if let Some(column) = place.column {
                map.serialize_entry("column", &column)?;
            }
        }
        match self.kind {
            // A deal's problem always names the deal (by its position when it has no id).
            ProblemKind::Deal => {
                map.serialize_entry("deal", self.deal.as_deref().unwrap_or_default())?;
                map.serialize_entry("problems", &self.problems)?;
                map.serialize_entry("details", &self.details)?;
            }
            ProblemKind::Load => {
                map.serialize_entry("diagnostics", &self.diagnostics)?;
            }
            _ => {
                if let Some(deal) = &self.deal {
                    map.serialize_entry("deal", deal)?;
                }
                // A refused change lists every reason, as a deal's problems are listed.
                if !self.details.is_empty() {
                    map.serialize_entry("problems", &self.problems)?;
                    map.serialize_entry("details", &self.details)?;
                }
            }
        }
        if let Some(check) = &self.check {
            map.serialize_entry("move", check)?;
        }
        if !self.roles.is_empty() || (self.kind == ProblemKind::Forbidden && self.check.is_none()) {
            map.serialize_entry("roles", &self.roles)?;
        }
        map.end()
    }
}

impl Problem {
    /// The problem's JSON error object, on one line.
    pub fn to_json(&self) -> String {
        match serde_json::to_string(self) {
            Ok(json) => json,
            // Nothing in a problem fails to serialise; should it ever, the host still gets an
            // error object.
            Err(error) => format!(
                r#"{{"error":"internal","code":"internal","message":{}}}"#,
                serde_json::Value::String(error.to_string())
            ),
        }
    }
}
