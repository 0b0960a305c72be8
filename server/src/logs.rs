//! Logs through `tracing` on standard error: readable lines (colored on a terminal) or JSON lines
//! (`--log-format json`), filtered by `RUST_LOG` (`info` by default). A request's line carries its
//! span: method, route template, path, request id, status and latency; never a header or a query
//! (a token travels in the `Authorization` header).
//!
//! The password of a `--db` URL (`postgres://user:password@host/db`) is a secret the process knows
//! from its start: every log line, and every message printed on the way out, has it replaced by
//! `***` (as written, percent-decoded or JSON-escaped), whichever module wrote it.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use tracing_subscriber::fmt::MakeWriter;

use crate::options::LogFormat;

/// Starts the logs; `secrets` never appear in them.
pub fn init(format: LogFormat, secrets: Vec<String>) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(Redacting {
            secrets: Arc::new(secrets),
        });
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The secrets of the store's address `db`: the password of a URL, as written, percent-decoded
/// and JSON-escaped; none for a file or a URL without one.
pub fn secrets(db: &str) -> Vec<String> {
    let password = db
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?']).next())
        .and_then(|authority| authority.rsplit_once('@'))
        .and_then(|(credentials, _)| credentials.split_once(':'))
        .map(|(_, password)| password)
        .filter(|password| !password.is_empty());
    let Some(password) = password else {
        return Vec::new();
    };
    let decoded = percent_encoding::percent_decode_str(password)
        .decode_utf8_lossy()
        .into_owned();
    // And as a JSON log line would escape it.
    let escaped = serde_json::to_string(&decoded).unwrap_or_default();
    let escaped = escaped.trim_matches('"').to_owned();
    let mut secrets = vec![password.to_owned(), decoded, escaped];
    secrets.sort();
    secrets.dedup();
    // The longest first: a secret inside another is replaced after it.
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets
}

/// `text` with every secret replaced by `***`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .fold(text.to_owned(), |text, secret| text.replace(secret, "***"))
}

/// Standard error, with the secrets taken out of every line (the formatter writes a whole event
/// at once).
struct Redacting {
    secrets: Arc<Vec<String>>,
}

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = RedactingWriter;

    fn make_writer(&'a self) -> RedactingWriter {
        RedactingWriter {
            secrets: Arc::clone(&self.secrets),
        }
    }
}

/// One event's writer.
struct RedactingWriter {
    secrets: Arc<Vec<String>>,
}

impl Write for RedactingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.secrets.is_empty() {
            return io::stderr().write(buf);
        }
        let text = redact(&String::from_utf8_lossy(buf), &self.secrets);
        io::stderr().write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{redact, secrets};

    #[test]
    fn a_database_password_is_redacted_as_written_and_decoded() {
        let db = "postgres://sales:p%40ss:w0rd@db.example:5432/deals?sslmode=require";
        let text = format!("cannot connect to {db}: password p@ss:w0rd refused");
        assert_eq!(
            redact(&text, &secrets(db)),
            "cannot connect to postgres://sales:***@db.example:5432/deals?sslmode=require: password *** refused"
        );
        // The last `@` ends the credentials.
        assert_eq!(
            redact("x se@cret y", &secrets("postgres://u:se@cret@host/db")),
            "x *** y"
        );
        // In a JSON line.
        let secrets = secrets("postgres://u:a%22b%5Cc@host/db");
        assert_eq!(
            redact(r#"{"message":"a\"b\\c"}"#, &secrets),
            r#"{"message":"***"}"#
        );
    }

    #[test]
    fn without_a_password_nothing_is_redacted() {
        for db in [
            "deals.sqlite3",
            "postgres://sales@host/db",
            "postgres://host/db",
            "postgres://u:@host/db",
        ] {
            assert!(secrets(db).is_empty(), "{db}");
        }
    }
}
