//! What the server counts, for `GET /metrics` (Prometheus' text format, by `prometheus-client`):
//! requests by route and status with their latency (counted by the HTTP layer's middleware), the
//! moves, forced moves, approvals and refusals the API answered (read from its answers), and the
//! change feed's size and the age of its newest event (read from the store at each scrape).
//!
//! Labels hold only bounded values: a route is its template (`/deals/{id}`, never a deal's id), a
//! method outside the known ones is `other`, a refusal's reason is its error `code`.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use stagegate::Timestamp;

use crate::store::Store;

/// A request's route and method.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    method: &'static str,
    route: String,
}

/// A request's route, method and the status it was answered with.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Answered {
    method: &'static str,
    route: String,
    status: u16,
}

/// Why the API refused a request: the answer's error `code`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: String,
}

/// The latency buckets, in seconds: 1 ms to 10 s.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// The server's counters, histograms and gauges.
pub struct Metrics {
    registry: Registry,
    requests: Family<Answered, Counter>,
    latency: Family<Route, Histogram, fn() -> Histogram>,
    moves: Counter,
    forced: Counter,
    approvals: Counter,
    refusals: Family<Reason, Counter>,
    outbox_events: Gauge,
    outbox_age: Gauge<f64, AtomicU64>,
    streams: Gauge,
}

/// The route label of a request no route of the table matched.
pub const UNMATCHED: &str = "unmatched";

impl Metrics {
    /// Every metric at zero.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("stagegate");
        let requests = Family::<Answered, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route (its template) and status",
            requests.clone(),
        );
        let latency: Family<Route, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's head to its answer's head, by method and route",
            Unit::Seconds,
            latency.clone(),
        );
        let moves = Counter::default();
        registry.register(
            "moves",
            "Moves made (POST /deals/{id}/moves answered 200), forced ones included",
            moves.clone(),
        );
        let forced = Counter::default();
        registry.register("forced_moves", "Moves made with `force`", forced.clone());
        let approvals = Counter::default();
        registry.register(
            "approvals",
            "Approvals given (POST /deals/{id}/approvals answered 200)",
            approvals.clone(),
        );
        let refusals = Family::<Reason, Counter>::default();
        registry.register(
            "refusals",
            "Requests the API refused (4xx), by the error's code",
            refusals.clone(),
        );
        let outbox_events = Gauge::default();
        registry.register(
            "outbox_events",
            "Events in the change feed (GET /events)",
            outbox_events.clone(),
        );
        let outbox_age = Gauge::<f64, AtomicU64>::default();
        registry.register_with_unit(
            "outbox_newest_age",
            "Age of the change feed's newest event (0 when the feed is empty)",
            Unit::Seconds,
            outbox_age.clone(),
        );
        let streams = Gauge::default();
        registry.register(
            "live_streams",
            "Live streams open (GET /events/stream)",
            streams.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            moves,
            forced,
            approvals,
            refusals,
            outbox_events,
            outbox_age,
            streams,
        }
    }

    /// Counts one answered request: `route` is the matched template (or `UNMATCHED`).
    pub fn answered(&self, method: &str, route: &str, status: u16, took: Duration) {
        let method = method_label(method);
        self.requests
            .get_or_create(&Answered {
                method,
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&Route {
                method,
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// The gauge of open live streams: a stream adds one while it is open.
    pub fn streams(&self) -> Gauge {
        self.streams.clone()
    }

    /// Counts a move made, and whether it was forced.
    pub fn moved(&self, forced: bool) {
        self.moves.inc();
        if forced {
            self.forced.inc();
        }
    }

    /// Counts an approval given.
    pub fn approved(&self) {
        self.approvals.inc();
    }

    /// Counts a refusal by its error code.
    pub fn refused(&self, code: &str) {
        self.refusals
            .get_or_create(&Reason {
                reason: code.to_owned(),
            })
            .inc();
    }

    /// The metrics in Prometheus' text format, the change feed's figures read from `store` now
    /// (left as they were, with a warning in the log, when the store does not answer).
    pub fn render(&self, store: &dyn Store) -> String {
        match store.feed_stats() {
            Ok(stats) => {
                self.outbox_events.set(stats.events);
                let age = stats
                    .newest
                    .and_then(|at| stagegate::parse_time(&at).ok())
                    .map_or(0.0, |at| {
                        Timestamp::now().duration_since(at).as_secs_f64().max(0.0)
                    });
                self.outbox_age.set(age);
            }
            Err(error) => tracing::warn!(%error, "metrics: cannot read the change feed's size"),
        }
        let mut text = String::new();
        if encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}

/// A method as a label: the ones the API knows, else `other` (a label never holds what a client
/// made up).
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}
