//! `metrics` over a book split into parts: a partial per part, partials merged, the merged one
//! finished into exactly the JSON of `metrics --format json` over the whole book.

use serde_json::Value;

use super::errors::{deal_error, request_error};
use super::Contract;
use crate::analytics::{MetricsBook, MetricsPartial, PartialError, PARTIAL_VERSION};
use crate::deal::DealReader;

impl Contract {
    /// The metrics partial of some deals of a book: `deals` as a deals file holds them (a JSON
    /// array, JSON Lines, or YAML), `at` as `metrics --at` takes it, broken down by the field
    /// `by` as `--by`; `first_index` is the index (0-based) in the whole book of the first deal
    /// given, the others following it. A deal without an id is named `#<index + 1>` in the
    /// anomalies, as the command line names the n-th deal of a file.
    ///
    /// # Errors
    ///
    /// `request` for a bad time or an unknown field; `deal` for a deal that cannot be read at all
    /// (the command line lists such a deal among the anomalies with its file and line, which a
    /// partial does not know: read or drop it before). A deal that does not fit the playbook is
    /// no error: it is an anomaly, as on the command line.
    pub fn metrics_partial(
        &self,
        deals: &str,
        at: &str,
        by: Option<&str>,
        first_index: u64,
    ) -> Result<String, String> {
        let playbook = self.engine.playbook();
        let at = self.time(at)?;
        if let Some(field) = by {
            if !playbook.fields().iter().any(|f| f.id == field) {
                let known: Vec<&str> = playbook.fields().iter().map(|f| f.id.as_str()).collect();
                return Err(request_error(&format!(
                    "by: `{field}` is not a field of this playbook; it has {}",
                    known.join(", ")
                )));
            }
        }
        let mut book = MetricsBook::new(playbook, at, by);
        book.at_index(first_index);
        for (local, read) in DealReader::new(deals.as_bytes(), "deals").enumerate() {
            match read {
                Ok((deal, origin)) => {
                    let index = first_index.saturating_add(origin.index as u64);
                    // Refused deals are anomalies, listed in the partial.
                    let _ = book.add(&deal, &deal.label(&format!("#{index}")));
                }
                Err(mut error) => {
                    // Named by its place in this text when it has no id: by its place in the book.
                    if error.deal == format!("#{}", local + 1) {
                        let index = first_index.saturating_add(local as u64 + 1);
                        error.deal = format!("#{index}");
                    }
                    error.file = None;
                    error.line = None;
                    return Err(deal_error(&error));
                }
            }
        }
        Ok(super::json(&book.partial()))
    }

    /// Merges a JSON array of metrics partials (at least one) of this playbook, with the same
    /// `at` and `by`, into one; in any order, the same partial.
    ///
    /// # Errors
    ///
    /// `request`: not an array of partials, an empty one, a partial of another version of the
    /// form, of another playbook or version of it, another `at` or `by`, or one deal in two.
    pub fn metrics_merge(&self, partials: &str) -> Result<String, String> {
        let list: Vec<Value> = serde_json::from_str(partials)
            .map_err(|e| request_error(&format!("an array of metrics partials: {e}")))?;
        let mut merged: Option<MetricsPartial> = None;
        for (i, value) in list.into_iter().enumerate() {
            let partial = self.partial_value(value, &format!("partials[{i}]"))?;
            merged = Some(match merged {
                None => partial,
                Some(kept) => kept
                    .merge(partial)
                    .map_err(|e| partial_error(&format!("partials[{i}]"), &e))?,
            });
        }
        let merged = merged.ok_or_else(|| request_error("no metrics partial to merge"))?;
        Ok(super::json(&merged))
    }

    /// A metrics partial's figures: exactly the JSON `metrics --format json` prints over the same
    /// deals (pretty-printed, without the final newline).
    ///
    /// # Errors
    ///
    /// `request`: not a partial, or a partial of another form version or playbook.
    pub fn metrics_finish(&self, partial: &str) -> Result<String, String> {
        let value: Value = serde_json::from_str(partial)
            .map_err(|e| request_error(&format!("a metrics partial: {e}")))?;
        let partial = self.partial_value(value, "the partial")?;
        let metrics = partial
            .finish(self.engine.playbook())
            .map_err(|e| partial_error("the partial", &e))?;
        serde_json::to_string_pretty(&metrics)
            .map_err(|e| request_error(&format!("the figures cannot be written: {e}")))
    }

    /// A partial read and checked against this playbook; its version first, so that a newer
    /// form is named as such rather than as unknown keys.
    fn partial_value(&self, value: Value, name: &str) -> Result<MetricsPartial, String> {
        match value.get("stagegate_metrics_partial").map(Value::as_u64) {
            Some(Some(version)) if version == u64::from(PARTIAL_VERSION) => {}
            Some(Some(version)) => {
                return Err(request_error(&format!(
                    "{name}: a metrics partial of version {version}; this stagegate reads version {PARTIAL_VERSION}"
                )))
            }
            _ => {
                return Err(request_error(&format!(
                    "{name}: not a metrics partial (no `stagegate_metrics_partial` version)"
                )))
            }
        }
        let partial: MetricsPartial = serde_json::from_value(value)
            .map_err(|e| request_error(&format!("{name}: a metrics partial: {e}")))?;
        partial
            .check(self.engine.playbook())
            .map_err(|e| partial_error(name, &e))?;
        Ok(partial)
    }
}

/// A partial refused: a `request` error, its code naming why, its message naming the partial.
fn partial_error(name: &str, error: &PartialError) -> String {
    let mut problem = super::problem::Problem::from(error);
    problem.message = format!("{name}: {}", problem.message);
    problem.to_json()
}
