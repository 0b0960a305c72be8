//! Criteria: the tests of entry and exit gates and of transitions, as data.

use crate::script::Script;
use crate::support::text::Text;

/// A compiled criterion.
#[derive(Debug)]
pub(crate) struct Criterion {
    /// The `id`, or a name derived from the test (`fields:budget,need`).
    pub id: String,
    pub message: Option<Text>,
    pub test: Test,
}

/// What a criterion checks.
#[derive(Debug)]
pub(crate) enum Test {
    When(Box<Script>),
    Fields(Vec<usize>),
    Activities(Vec<usize>),
    Score {
        card: usize,
        min: Option<f64>,
        max: Option<f64>,
    },
    Band {
        card: usize,
        min: Option<usize>,
        max: Option<usize>,
    },
    /// An approval (`approval: { role }`): needed when `when` holds (always without one), and
    /// then given by someone with `role` who is neither the deal's owner nor the one moving.
    Approval {
        role: String,
        when: Option<Box<Script>>,
        /// A forced move may go past it when it is missing (`forceable: true`).
        forceable: bool,
    },
    All(Vec<Criterion>),
    Any(Vec<Criterion>),
    Not(Box<Criterion>),
}
