//! `path:line:column: error[code]: message`, the source line, a caret, and help.

use stagegate::{Diagnostic, Severity};

use super::width;
use crate::cli::Style;

/// One diagnostic as a block of text; `lines` are the file's lines (empty if unknown).
pub(crate) fn diagnostic(d: &Diagnostic, lines: &[&str], style: Style) -> String {
    let severity = match d.severity {
        Severity::Error => style.red("error"),
        Severity::Warning => style.yellow("warning"),
    };
    let mut out = format!(
        "{}: {severity}[{}]: {}",
        style.bold(&if d.line == 0 {
            d.file.clone()
        } else {
            format!("{}:{}:{}", d.file, d.line, d.column)
        }),
        d.code,
        style.bold(&d.message)
    );
    if d.line > 0 {
        if let Some(text) = lines.get(d.line - 1) {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let before: String = text.chars().take(d.column.saturating_sub(1)).collect();
            let caret_at = width(&before);
            out.push_str(&format!("\n {} | {}", style.dim(&number), text.trim_end()));
            out.push_str(&format!(
                "\n {pad} | {}{}",
                " ".repeat(caret_at),
                style.red("^")
            ));
        }
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("\n {} {help}", style.cyan("help:")));
    }
    out
}
