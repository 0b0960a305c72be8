#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

// Layers, from the bottom; a module imports only modules of its own layer or below
// (src/README.md has the map):
// support → deal → script → model → fit → load → engine → analytics → testing → registry → import.
mod deal;
mod engine;
mod fit;
mod load;
mod model;
mod script;
mod support;

pub mod analytics;
pub mod contract;
pub mod import;
pub mod registry;
pub mod testing;

/// The guide for host developers: loading, evaluating, moving, storing history, versions, hot
/// reload, host functions, limits, threads and errors (also in `docs/embedding.md`).
#[doc = include_str!("../docs/embedding.md")]
pub mod guide {}

pub use contract::{Problem, ProblemKind};
pub use deal::{
    Approval, Archive, Changes, Completion, Deal, DealBook, DealError, DealFormat, DealOrigin,
    DealProblem, DealReader, DealText, Edit, Edited, HistoryEntry, MoveKind, Task, MAX_DEAL_BYTES,
};
pub use engine::{
    Actor, Applied, ApprovalRequest, ApproveError, Assessment, Blocker, ChangeError, ChangeProblem,
    DealScores, DueTask, Effect, EffectKind, Engine, Evaluation, Gate, MigrationError, Move,
    MoveCheck, MoveError, NextSteps, Options, Reason, RuleResult, Score, StageTime, StepActivity,
    StepApproval, Trigger, WaitingApproval, Warning,
};
pub use jiff::Timestamp;
pub use load::{LoadError, Loader, MAX_PLAYBOOK_BYTES};
pub use model::{
    Activity, Field, FieldType, Metric, Migration, Outcome, Permissions, Playbook, Role, Since,
    Stage, Transition,
};
pub use script::{Gives, HostFn, HostFunction, Limits};
pub use support::diagnostic::{Diagnostic, Severity};
pub use support::io::cannot_read;
pub use support::lang::MessageLanguage;
pub use support::text::Text;
pub use support::time::parse_time;

/// The 0.1 paths of items that now live in [`analytics`], [`testing`], [`import`] and
/// [`registry`], or became methods; kept so code written against 0.1 builds, and to be removed in
/// 0.3. See CHANGELOG.md.
#[doc(hidden)]
pub use crate::compat::*;

mod compat {
    pub use crate::analytics::{
        funnel_svg, impact, render_diagram, Anomaly, Breakdown, Change, CycleDays, DayStats,
        DealImpact, DiagramFormat, ImpactBook, ImpactLine, ImpactSummary, Metrics, MetricsBook,
        StageMetrics, StageTable, WonValue,
    };
    pub use crate::engine::migrate;
    pub use crate::import::{ImportError, Importer};
    pub use crate::load::playbook_schema;
    pub use crate::registry::{Registry, RegistryError};
    pub use crate::testing::{
        read_cases, run_tests, CaseResult, Coverage, CriterionCoverage, Expect, ExpectedScore,
        TestCase, TestReport,
    };
}
