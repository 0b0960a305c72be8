//! Colour for people on a terminal, and nothing otherwise.

use std::io::IsTerminal;

use clap::ValueEnum;

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Paints text when colour is on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    color: bool,
    /// Standard error speaks to programs: one JSON object per line (`--format json`/`jsonl`).
    json: bool,
}

impl Style {
    /// Colour for standard output (`stderr: false`) or standard error.
    pub(crate) fn new(choice: ColorChoice, stderr: bool) -> Style {
        let terminal = if stderr {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Style { color, json: false }
    }

    /// No colour at all.
    pub(crate) fn plain() -> Style {
        Style {
            color: false,
            json: false,
        }
    }

    /// The same style, speaking to programs on standard error (one JSON object per line) when
    /// `json` is true: for `--format json` and `jsonl`.
    pub(crate) fn for_programs(self, json: bool) -> Style {
        Style { json, ..self }
    }

    /// `true` when standard error speaks to programs: one JSON object per line.
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub(crate) fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub(crate) fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub(crate) fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub(crate) fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub(crate) fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub(crate) fn cyan(&self, text: &str) -> String {
        self.paint("36", text)
    }
}
