//! Where a deal was read, and the error of a deal that cannot be read at all.

use super::{Deal, DealError, DealProblem};

/// Where a deal was read: the file, its 1-based position in the file and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealOrigin {
    /// The file name, as the caller gave it.
    pub file: String,
    /// 1-based position in the file.
    pub index: usize,
    /// 1-based line where the deal starts.
    pub line: usize,
}

impl DealOrigin {
    /// The deal's name in messages: its id, or its position (`#3`).
    pub fn label(&self, deal: &Deal) -> String {
        self.name(deal.id.as_deref())
    }

    /// The name in messages of the deal found here with this id: the id, or its position (`#3`)
    /// when it has none or a blank one.
    pub fn name(&self, id: Option<&str>) -> String {
        super::name(id, &format!("#{}", self.index))
    }

    /// Adds the file, line and position to an error about this deal.
    pub fn locate(&self, deal: &Deal, mut error: DealError) -> DealError {
        error.file = Some(self.file.clone());
        error.line.get_or_insert(self.line);
        error.deal = self.label(deal);
        error
    }
}

/// A deal that cannot be read at all.
pub(super) fn unreadable(origin: &DealOrigin, line: usize, message: String) -> DealError {
    DealError {
        file: Some(origin.file.clone()),
        line: Some(line),
        deal: format!("#{}", origin.index),
        problems: vec![DealProblem::Unreadable(message)],
    }
}
