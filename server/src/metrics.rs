//! What the server counts, for `GET /metrics` (Prometheus' text format, by `prometheus-client`).

use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;

/// The server's counters and histograms.
pub struct Metrics {
    registry: Registry,
}

impl Metrics {
    /// Every metric at zero.
    pub fn new() -> Metrics {
        Metrics {
            registry: Registry::default(),
        }
    }

    /// The metrics in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        if encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}
