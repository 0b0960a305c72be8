#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod chart;
mod criterion;
mod deal;
mod diagnostic;
mod diagram;
mod engine;
mod error;
mod evaluation;
mod field;
mod host;
mod ids;
mod impact;
mod import;
mod json_line;
mod loader;
mod messages;
mod metrics;
mod migration;
mod ordered;
mod playbook;
mod registry;
mod scorecard;
mod script;
mod shape;
mod stage;
mod suggest;
mod test_case;
mod testing;
mod text;
mod time;
mod transition;
mod yaml;

/// The guide for host developers: loading, evaluating, moving, storing history, versions, hot
/// reload, host functions, limits, threads and errors (also in `docs/embedding.md`).
#[doc = include_str!("../docs/embedding.md")]
pub mod guide {}

pub use chart::funnel_svg;
pub use deal::{
    Completion, Deal, DealError, DealFormat, DealOrigin, DealProblem, DealReader, DealText,
    HistoryEntry, MAX_DEAL_BYTES,
};
pub use diagnostic::{Diagnostic, Severity};
pub use diagram::{render_diagram, DiagramFormat};
pub use engine::{Engine, Move};
pub use error::{LoadError, MoveError};
pub use evaluation::{
    Blocker, DealScores, Evaluation, Gate, MoveCheck, Reason, RuleResult, Score, Warning,
};
pub use field::{Field, FieldType};
pub use host::{HostFn, HostFunction};
pub use impact::{impact, Change, DealImpact, ImpactBook, ImpactLine, ImpactSummary};
pub use import::{ImportError, Importer};
pub use jiff::Timestamp;
pub use loader::Loader;
pub use metrics::{
    Anomaly, Breakdown, CycleDays, DayStats, Metrics, MetricsBook, StageMetrics, StageTable,
    WonValue,
};
pub use migration::{migrate, Migration, MigrationError};
pub use playbook::{playbook_schema, Playbook, MAX_PLAYBOOK_BYTES};
pub use registry::{Registry, RegistryError};
pub use script::Limits;
pub use stage::{Activity, Metric, Outcome, Stage};
pub use test_case::{read_cases, Expect, ExpectedScore, TestCase};
pub use testing::{run_tests, CaseResult, Coverage, CriterionCoverage, TestReport};
pub use text::Text;
pub use time::parse_time;
pub use transition::{MoveKind, Transition};

/// An I/O error as a lowercase message without Rust's wording.
pub(crate) fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string().to_lowercase(),
    }
}
