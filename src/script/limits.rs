//! Limits on what one rule may do, so no playbook can hang or exhaust the engine.

/// Limits on what one expression may do. As in Rhai, 0 turns a limit off (a playbook's own
/// `limits:` must be at least 1).
///
/// # Example
///
/// ```
/// use stagegate::{Limits, Loader};
/// let strict = Limits { operations: 1_000, string_size: 1_024, ..Limits::default() };
/// let playbook = Loader::new().limits(strict).from_yaml(
///     "stagegate: 1\nid: p\nversion: 1\nstages: [{id: open}]\n", "p.yaml").unwrap();
/// assert_eq!(playbook.pin(), "p@1");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Operations one expression may run.
    pub operations: u64,
    /// Depth of nested function calls.
    pub call_levels: usize,
    /// Depth of nested expressions.
    pub expression_depth: usize,
    /// Length of a text, in bytes.
    pub string_size: usize,
    /// Items in a list.
    pub array_size: usize,
    /// Entries in a map.
    pub map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            operations: 100_000,
            call_levels: 16,
            expression_depth: 64,
            string_size: 64 * 1024,
            array_size: 10_000,
            map_size: 10_000,
        }
    }
}

impl Limits {
    /// The most a playbook may ask for, whatever the host allows: rules stay small.
    pub const CEILING: Limits = Limits {
        operations: 10_000_000,
        call_levels: 64,
        expression_depth: 256,
        string_size: 16 * 1024 * 1024,
        array_size: 1_000_000,
        map_size: 1_000_000,
    };
}
