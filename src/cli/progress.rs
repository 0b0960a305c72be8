//! A progress line on standard error for long runs, shown only on a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Counts deals and redraws `N deals…` at most a few times a second.
pub(crate) struct Progress {
    shown: bool,
    count: u64,
    started: Instant,
    last: Instant,
}

impl Progress {
    /// A progress line, drawn only when standard error is a terminal.
    pub(crate) fn new() -> Progress {
        let now = Instant::now();
        Progress {
            shown: std::io::stderr().is_terminal(),
            count: 0,
            started: now,
            last: now,
        }
    }

    /// One more deal done.
    pub(crate) fn tick(&mut self) {
        self.count += 1;
        if !self.shown || self.count % 256 != 0 {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.started) < Duration::from_secs(1)
            || now.duration_since(self.last) < Duration::from_millis(200)
        {
            return;
        }
        self.last = now;
        let rate = self.count as f64 / now.duration_since(self.started).as_secs_f64();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{} deals ({:.0}/s)…", self.count, rate);
        let _ = err.flush();
    }

    /// Clears the line.
    pub(crate) fn done(&self) {
        if self.shown && self.started.elapsed() >= Duration::from_secs(1) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
