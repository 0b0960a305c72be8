//! Loading: YAML text to a checked, compiled [`Playbook`](crate::Playbook): its shape, references,
//! rules, graph and embedded test cases, every problem a diagnostic at its line and column.

mod approvals;
mod build;
mod builder;
mod cases;
mod choices;
mod criteria;
mod declarations;
mod effects;
mod error;
mod graph;
mod headline;
mod languages;
mod loader;
mod migrations;
mod places;
mod playbook;
pub(crate) mod raw;
mod read;
mod roles;
mod schema;
mod swapped;
mod test_cases;
mod transitions;
mod usage;
mod yaml_errors;

pub use error::LoadError;
pub use loader::Loader;
pub use read::MAX_PLAYBOOK_BYTES;
pub use schema::playbook_schema;
pub use test_cases::{check_cases, read_cases};
