//! The playbook as plain data: fields, stages, transitions, criteria, scorecards, migrations and
//! test cases. Nothing here evaluates a deal; the engine interprets these types.

mod approval;
mod criterion;
mod effect;
mod field;
mod migration;
mod people;
mod playbook;
mod refusal;
mod role;
mod scorecard;
mod stage;
mod test_case;
mod transition;

pub(crate) use approval::ApprovalGate;
pub(crate) use criterion::{Criterion, Test};
pub(crate) use effect::EffectRule;
pub use field::{Field, FieldType};
pub use migration::Migration;
pub use playbook::Playbook;
pub use refusal::{ExpectedRefusal, RefusalKind};
pub use role::{Permissions, Role, OWNER};
pub(crate) use scorecard::{Rule, Scorecard};
pub use stage::{Activity, Metric, Outcome, Since, Stage};
pub use test_case::{ApproveStep, CaseActor, Expect, ExpectedScore, TestCase};
pub use transition::Transition;
