//! Turning library results into text for people.

mod diagnostics;
mod evaluation;
mod next_steps;

pub(crate) use diagnostics::diagnostic;
pub(crate) use evaluation::{blockers, evaluation};
pub(crate) use next_steps::effects;

/// A time the library wrote (RFC 3339 in UTC) as people read it, on the clocks of `playbook`'s
/// time zone with the offset (`2026-11-27 09:00 +09:00`); as written in UTC, or when it is no time.
pub(crate) fn time(playbook: &stagegate::Playbook, written: &str) -> String {
    stagegate::parse_time(written).map_or_else(|_| written.to_owned(), |at| playbook.local_time(at))
}

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
