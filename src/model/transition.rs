//! Declared moves between stages, and their derived kinds.

use std::sync::Arc;

use super::Criterion;
use crate::deal::MoveKind;

/// One declared edge of the playbook graph (a `from` list is one transition per source).
///
/// # Example
///
/// ```
/// use stagegate::{MoveKind, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let kinds: Vec<(&str, MoveKind)> = playbook
///     .transitions()
///     .iter()
///     .filter(|t| t.from == "qualification")
///     .map(|t| (t.to.as_str(), t.kind))
///     .collect();
/// assert!(kinds.contains(&("needs_analysis", MoveKind::Advance)));
/// assert!(kinds.contains(&("proposal_negotiation", MoveKind::Skip)));
/// assert!(kinds.contains(&("lost", MoveKind::Exit)));
/// ```
#[derive(Debug)]
pub struct Transition {
    /// Source stage id.
    pub from: String,
    /// Target stage id.
    pub to: String,
    /// Derived kind.
    pub kind: MoveKind,
    /// The source stays active.
    pub fork: bool,
    /// The roles one of which a person needs to make this move (`by:`); empty: anyone the
    /// playbook's `permissions` let move.
    pub by: Vec<String>,
    pub(crate) from_index: usize,
    pub(crate) to_index: usize,
    pub(crate) when: Arc<[Criterion]>,
}
