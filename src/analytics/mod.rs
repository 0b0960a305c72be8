//! Analytics over books of deals: pipeline metrics, the impact of a playbook change, charts, and
//! the playbook as a diagram. Reads deals and evaluations; never changes a deal.

mod chart;
mod diagram;
mod impact;
mod metrics;

pub use chart::funnel_svg;
pub use diagram::{render_diagram, DiagramFormat};
pub use impact::{impact, Change, DealImpact, ImpactBook, ImpactLine, ImpactSummary};
pub use metrics::{
    Anomaly, Breakdown, CycleDays, DayStats, Metrics, MetricsBook, MetricsPartial, PartialError,
    StageMetrics, StageTable, WonValue, PARTIAL_VERSION,
};
