//! Turning library results into text for people.

mod diagnostics;
mod evaluation;
mod next_steps;

pub(crate) use diagnostics::diagnostic;
pub(crate) use evaluation::{blockers, evaluation};
pub(crate) use next_steps::effects;

/// Columns a text takes on a terminal: East Asian wide characters take two.
pub(crate) fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let code = c as u32;
            let wide = (0x1100..=0x115F).contains(&code)
                || (0x2E80..=0xA4CF).contains(&code)
                || (0xAC00..=0xD7A3).contains(&code)
                || (0xF900..=0xFAFF).contains(&code)
                || (0xFE30..=0xFE4F).contains(&code)
                || (0xFF00..=0xFF60).contains(&code)
                || (0xFFE0..=0xFFE6).contains(&code);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}
