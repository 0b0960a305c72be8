//! Turning library results into text for people.

mod diagnostics;
mod edits;
mod evaluation;
mod next_steps;

pub(crate) use diagnostics::diagnostic;
pub(crate) use edits::edits;
pub(crate) use evaluation::{blockers, evaluation};
pub(crate) use next_steps::effects;

/// A time the library wrote (RFC 3339 in UTC) as people read it, on the clocks of `playbook`'s
/// time zone with the offset (`2026-11-27 09:00 +09:00`); as written in UTC, or when it is no time.
pub(crate) fn time(playbook: &stagegate::Playbook, written: &str) -> String {
    stagegate::parse_time(written).map_or_else(|_| written.to_owned(), |at| playbook.local_time(at))
}

/// A library message with the times it names (RFC 3339 in UTC, as the engine writes them:
/// `2026-11-27T00:00:00Z`) shown as [`time`] shows them.
pub(crate) fn times_in(playbook: &stagegate::Playbook, message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.')))
            .unwrap_or(from.len());
        let (word, after) = from.split_at(end);
        // A sentence's full stop is no part of the time.
        let stamp = word.trim_end_matches('.');
        out.push_str(before);
        if stamp.get(10..11) == Some("T") && stamp.ends_with('Z') {
            out.push_str(&time(playbook, stamp));
            out.push_str(&word[stamp.len()..]);
        } else {
            out.push_str(word);
        }
        rest = after;
    }
    out.push_str(rest);
    out
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
