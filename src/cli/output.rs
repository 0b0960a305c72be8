//! Writing what commands print: standard output, buffered when it is not a terminal, and JSON
//! arrays written item by item.

use std::io::{BufWriter, IsTerminal, StdoutLock, Write};

/// Writes to standard output (`out!`, `outln!`). When the reader went away (a closed pipe), the
/// command ends here, quietly and with exit code 0, as the batch commands stop when their reader
/// goes; any other failure to write is said on standard error, with exit code 2.
pub(crate) fn print(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_fmt(text).and_then(|()| out.flush()) {
        stopped(&error);
    }
}

/// Writes to standard error (`errln!`); a closed standard error is ignored.
pub(crate) fn print_error(text: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(text);
}

/// One line of standard error for programs (`--format json` or `jsonl`): the object `value` with
/// `"type": kind` first (`error`, `warning`, `effect`, `written`).
pub(crate) fn line_for_programs(kind: &str, value: &impl serde::Serialize) {
    let mut line = serde_json::Map::new();
    line.insert("type".to_owned(), kind.into());
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) {
        line.extend(fields);
    }
    print_error(format_args!("{}\n", serde_json::Value::Object(line)));
}

/// A problem on standard error for programs: `{"type": "error", "error": <kind>, "code", ...}`,
/// the contract's error object.
pub(crate) fn problem(problem: &stagegate::Problem) {
    line_for_programs("error", problem);
}

/// The end of a command whose output cannot be written.
pub(crate) fn stopped(error: &std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(super::exit::OK));
    }
    print_error(format_args!("error: cannot write the output: {error}\n"));
    std::process::exit(i32::from(super::exit::USAGE));
}

/// Standard output: line by line on a terminal (results show as they come), in large blocks
/// otherwise (one write per deal would cost more than scoring it).
pub(crate) enum Output {
    Terminal(StdoutLock<'static>),
    Piped(BufWriter<StdoutLock<'static>>),
}

impl Output {
    pub(crate) fn stdout() -> Output {
        let stdout = std::io::stdout();
        if stdout.is_terminal() {
            Output::Terminal(stdout.lock())
        } else {
            Output::Piped(BufWriter::with_capacity(1 << 16, stdout.lock()))
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Terminal(out) => out.write(buf),
            Output::Piped(out) => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Output::Terminal(out) => out.write_all(buf),
            Output::Piped(out) => out.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Terminal(out) => out.flush(),
            Output::Piped(out) => out.flush(),
        }
    }
}

/// A value as one line of JSON, written into a buffer sized for a deal's answer at once (growing a
/// string from empty costs several copies per deal).
pub(crate) fn to_json(value: &impl serde::Serialize) -> String {
    let mut bytes = Vec::with_capacity(1024);
    if serde_json::to_writer(&mut bytes, value).is_err() {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the items of one JSON array as they come, so memory stays flat.
pub(crate) struct JsonList {
    first: bool,
}

impl JsonList {
    /// Opens the array after `prefix` (for instance `{"deals": `).
    pub(crate) fn open(out: &mut impl std::io::Write, prefix: &str) -> JsonList {
        let _ = write!(out, "{prefix}[");
        JsonList { first: true }
    }

    /// One item.
    pub(crate) fn item(
        &mut self,
        out: &mut impl std::io::Write,
        item: &impl serde::Serialize,
    ) -> std::io::Result<()> {
        let separator = if self.first { "\n" } else { ",\n" };
        self.first = false;
        write!(
            out,
            "{separator}{}",
            serde_json::to_string(item).unwrap_or_default()
        )
    }

    /// One item already written as JSON.
    pub(crate) fn raw(&mut self, out: &mut impl std::io::Write, json: &str) -> std::io::Result<()> {
        let separator = if self.first { "\n" } else { ",\n" };
        self.first = false;
        write!(out, "{separator}{json}")
    }

    /// Closes the array, then writes `suffix`.
    pub(crate) fn close(self, out: &mut impl std::io::Write, suffix: &str) {
        let _ = writeln!(out, "{}]{suffix}", if self.first { "" } else { "\n" });
    }
}
