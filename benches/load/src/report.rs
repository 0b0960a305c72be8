//! What a scenario measured, and how it is printed: a text summary, or one row of the markdown table
//! that `benches/load.sh` prints.

use std::collections::BTreeMap;
use std::time::Duration;

/// The measurements of one scenario (or of one of its workers, merged afterwards).
#[derive(Default)]
pub struct Outcome {
    /// The latency of every answered request, in microseconds.
    pub latencies: Vec<u64>,
    /// How many answers had each status.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests that got no answer (connection errors, timeouts).
    pub errors: u64,
    /// The first error met, to show what went wrong.
    pub first_error: Option<String>,
    /// Remarks printed with the figures (setup, limits, what the server did).
    pub notes: Vec<String>,
}

impl Outcome {
    /// Records an answered request.
    pub fn answered(&mut self, status: u16, latency: Duration) {
        self.latencies
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
        *self.statuses.entry(status).or_default() += 1;
    }

    /// Records a request that got no answer.
    pub fn failed(&mut self, error: String) {
        self.errors += 1;
        self.first_error.get_or_insert(error);
    }

    /// Adds what another worker measured.
    pub fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        for (status, count) in other.statuses {
            *self.statuses.entry(status).or_default() += count;
        }
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.notes.extend(other.notes);
    }

    /// Answers whose status is not 2xx.
    pub fn non_2xx(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| !(200..300).contains(*status))
            .map(|(_, count)| count)
            .sum()
    }

    /// Each status with its count, e.g. `200×5120, 503×3`.
    fn status_counts(&self) -> String {
        let counts: Vec<String> = self
            .statuses
            .iter()
            .map(|(status, count)| format!("{status}×{count}"))
            .collect();
        counts.join(", ")
    }
}

/// One scenario's result, ready to print.
pub struct Figures {
    /// The server's name in the table (`old`, `new (sqlite)`, ...).
    pub server: String,
    /// `read`, `move` or `idle`.
    pub scenario: String,
    /// Connections: the keep-alive ones of a timed scenario, the idle ones of `idle`.
    pub connections: usize,
    /// Answered requests per second over the measured time, when that means something.
    pub rate: Option<f64>,
    /// What was measured.
    pub outcome: Outcome,
}

/// The `q` quantile (0 < q ≤ 1) of sorted latencies, in milliseconds: the smallest latency that
/// at least `q` of the requests did not exceed.
fn quantile(sorted: &[u64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    // The rank is at most the number of requests, which fits in an f64 exactly.
    let rank = (q * sorted.len() as f64).ceil() as usize;
    let micros = sorted[rank.saturating_sub(1).min(last)];
    Some(micros as f64 / 1000.0)
}

/// Milliseconds with two decimals, or `-` when nothing was measured.
fn millis(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |ms| format!("{ms:.2}"))
}

impl Figures {
    /// p50, p90, p99 and the maximum, in milliseconds.
    fn percentiles(&self) -> [Option<f64>; 4] {
        let mut sorted = self.outcome.latencies.clone();
        sorted.sort_unstable();
        [0.5, 0.9, 0.99, 1.0].map(|q| quantile(&sorted, q))
    }

    /// The remarks of the last column: statuses when some were not 2xx, the first error, notes.
    fn remarks(&self) -> Vec<String> {
        let mut remarks = self.outcome.notes.clone();
        if self.outcome.non_2xx() > 0 {
            remarks.push(format!("statuses: {}", self.outcome.status_counts()));
        }
        if let Some(error) = &self.outcome.first_error {
            remarks.push(format!("first error: {error}"));
        }
        remarks
    }

    /// A readable summary, several lines.
    pub fn text(&self) -> String {
        let [p50, p90, p99, max] = self.percentiles().map(millis);
        let rate = self
            .rate
            .map_or_else(|| "-".to_owned(), |rate| format!("{rate:.0}"));
        let mut text = format!(
            "{} {} over {} connections: {} answered, {rate} requests/s\n\
             latency ms: p50 {p50}, p90 {p90}, p99 {p99}, max {max}\n\
             non-2xx: {}, errors (no answer): {}; statuses: {}\n",
            self.server,
            self.scenario,
            self.connections,
            self.outcome.latencies.len(),
            self.outcome.non_2xx(),
            self.outcome.errors,
            self.outcome.status_counts(),
        );
        for remark in self.remarks() {
            text.push_str(&format!("note: {remark}\n"));
        }
        text
    }

    /// The header of the markdown table [`Figures::row`] writes rows of.
    pub fn header() -> &'static str {
        "| server | scenario | connections | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | notes |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    }

    /// One row of the markdown table.
    pub fn row(&self) -> String {
        let [p50, p90, p99, max] = self.percentiles().map(millis);
        let rate = self
            .rate
            .map_or_else(|| "-".to_owned(), |rate| format!("{rate:.0}"));
        let remarks = self.remarks().join("; ").replace('|', "/");
        format!(
            "| {} | {} | {} | {rate} | {p50} | {p90} | {p99} | {max} | {} | {} | {remarks} |",
            self.server,
            self.scenario,
            self.connections,
            self.outcome.non_2xx(),
            self.outcome.errors,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_are_the_nearest_rank() {
        let sorted: Vec<u64> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(quantile(&sorted, 0.5), Some(50.0));
        assert_eq!(quantile(&sorted, 0.99), Some(99.0));
        assert_eq!(quantile(&sorted, 1.0), Some(100.0));
        assert_eq!(quantile(&[7000], 0.5), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
