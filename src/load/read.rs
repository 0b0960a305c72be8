//! Reading a playbook file, refusing one too large before parsing it.

use std::path::Path;

use super::LoadError;
use crate::support::diagnostic::Diagnostic;

/// Playbook files larger than this are refused before parsing.
pub const MAX_PLAYBOOK_BYTES: usize = 8 * 1024 * 1024;

/// Reads a playbook file, turning a failure into a diagnostic.
pub(crate) fn read_text(path: &Path, name: &str) -> Result<String, LoadError> {
    let size = std::fs::metadata(path)
        .map_err(|e| LoadError::unreadable(name, &e))?
        .len();
    if size > MAX_PLAYBOOK_BYTES as u64 {
        let message =
            format!("`{name}` is {size} bytes; playbooks are limited to {MAX_PLAYBOOK_BYTES}");
        return Err(Diagnostic::error("too-large", message).in_file(name).into());
    }
    std::fs::read_to_string(path).map_err(|e| LoadError::unreadable(name, &e))
}
