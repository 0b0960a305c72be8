//! A move a deal should make: its target, its source, and a reason when it is forced.

/// A move a deal should make.
///
/// # Example
///
/// ```
/// use stagegate::Move;
/// let wanted = Move::to("closing").from("proposal_negotiation").forced("CEO approved the discount");
/// assert_eq!(wanted.to, "closing");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// The target stage.
    pub to: String,
    /// The source stage, when the deal is in several that could make the move.
    pub from: Option<String>,
    /// Make the move even if blocked, for this reason (recorded in the history).
    pub force: Option<String>,
    /// Who makes it (recorded in the history as `by`); a playbook with `permissions`, a
    /// transition's `by:` or an approval refuses a move without one.
    pub by: Option<super::Actor>,
}

impl Move {
    /// A move to `stage`.
    pub fn to(stage: impl Into<String>) -> Move {
        Move {
            to: stage.into(),
            from: None,
            force: None,
            by: None,
        }
    }

    /// From `stage`.
    #[must_use]
    pub fn from(mut self, stage: impl Into<String>) -> Move {
        self.from = Some(stage.into());
        self
    }

    /// Made by `actor`.
    #[must_use]
    pub fn by(mut self, actor: super::Actor) -> Move {
        self.by = Some(actor);
        self
    }

    /// Even if blocked, for `reason`.
    #[must_use]
    pub fn forced(mut self, reason: impl Into<String>) -> Move {
        self.force = Some(reason.into());
        self
    }
}
