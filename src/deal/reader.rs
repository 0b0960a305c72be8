//! Reading deals from YAML (one or many documents) and JSON (one, an array, or JSON Lines),
//! one at a time, so memory does not grow with the number of deals.

use std::io::BufRead;

use super::origin::{unreadable, DealOrigin};
use super::scan::{object_alone, Scan};
use super::text::{Body, DealText};
use super::{Deal, DealError, MAX_DEAL_BYTES};

/// The shape of a deals file, found from its first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealFormat {
    /// YAML, one deal per document (or a list of deals in one document).
    Yaml,
    /// JSON objects one after another (JSON Lines, or one object).
    JsonStream,
    /// A JSON array of objects.
    JsonArray,
}

/// A deal's text, or its size in bytes when it is over [`MAX_DEAL_BYTES`].
pub(super) type Kept = Result<String, usize>;

/// Deals read one at a time from a file or stream.
///
/// # Example
///
/// ```
/// use stagegate::DealReader;
/// let text = "id: D-1\nstages: [qualification]\n---\nid: D-2\n";
/// let ids: Vec<String> = DealReader::new(text.as_bytes(), "deals.yaml")
///     .map(|read| read.unwrap().0.id.unwrap())
///     .collect();
/// assert_eq!(ids, ["D-1", "D-2"]);
/// ```
pub struct DealReader<R> {
    pub(super) input: R,
    pub(super) file: String,
    pub(super) format: Option<DealFormat>,
    pub(super) line: usize,
    pub(super) count: usize,
    pub(super) pending: std::vec::IntoIter<DealText>,
    pub(super) done: bool,
    pub(super) array_open: bool,
}

impl<R: BufRead> DealReader<R> {
    /// Reads deals from `input`; `file` names it in messages.
    pub fn new(input: R, file: &str) -> DealReader<R> {
        DealReader {
            input,
            file: file.to_owned(),
            format: None,
            line: 1,
            count: 0,
            pending: Vec::new().into_iter(),
            done: false,
            array_open: false,
        }
    }

    pub(super) fn origin(&mut self, line: usize) -> DealOrigin {
        self.count += 1;
        DealOrigin {
            file: self.file.clone(),
            index: self.count,
            line,
        }
    }

    /// Skips white space and returns the next byte without consuming it.
    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            let buffer = self.input.fill_buf()?;
            let Some(&byte) = buffer.first() else {
                return Ok(None);
            };
            if byte.is_ascii_whitespace() || (byte == 0xEF || byte == 0xBB || byte == 0xBF) {
                if byte == b'\n' {
                    self.line += 1;
                }
                self.input.consume(1);
            } else {
                return Ok(Some(byte));
            }
        }
    }

    fn detect(&mut self) -> std::io::Result<DealFormat> {
        let format = match self.peek()? {
            Some(b'[') => {
                self.input.consume(1);
                self.array_open = true;
                DealFormat::JsonArray
            }
            Some(b'{') => DealFormat::JsonStream,
            _ => DealFormat::Yaml,
        };
        self.format = Some(format);
        Ok(format)
    }

    /// The text of the next top-level JSON value (or its size, when it is over
    /// [`MAX_DEAL_BYTES`]), with the line it starts on.
    fn next_json_text(&mut self) -> std::io::Result<Option<(Kept, usize)>> {
        if self.format == Some(DealFormat::JsonArray) {
            match self.peek()? {
                Some(b',') if !self.array_open => {
                    self.input.consume(1);
                }
                Some(b']') => {
                    self.input.consume(1);
                    return Ok(None);
                }
                None => return Ok(None),
                _ => {}
            }
            self.array_open = false;
        }
        let Some(first) = self.peek()? else {
            return Ok(None);
        };
        let start = self.line;
        if first == b'{' {
            // Most deals are JSON Lines: one object alone on its line. Taken whole, it needs no
            // scan across buffers (and gives what that scan would).
            let buffer = self.input.fill_buf()?;
            let line = memchr::memchr(b'\n', buffer)
                .filter(|&end| end <= MAX_DEAL_BYTES)
                .map(|end| &buffer[..end]);
            if let Some(length) = line.and_then(object_alone) {
                let text = match std::str::from_utf8(&buffer[..length]) {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(&buffer[..length]).into_owned(),
                };
                self.input.consume(length);
                return Ok(Some((Ok(text), start)));
            }
        }
        let mut text = Vec::new();
        let (mut size, mut last) = (0, None);
        let mut scan = Scan {
            depth: 0,
            in_string: false,
            escaped: false,
            scalar: first != b'{' && first != b'[',
            // A stray `,` or `]` is taken alone (below), so what follows it on the line is read.
            to_line_end: self.format == Some(DealFormat::JsonStream)
                && !matches!(first, b'{' | b'[' | b',' | b']'),
            stream: self.format == Some(DealFormat::JsonStream),
            last: None,
        };
        // Scan whole buffers at a time: find where the value ends, take that much, go on.
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let (taken, done) = scan.run(buffer, last);
            size += taken;
            // A deal over the limit is still scanned to its end, but no longer kept.
            if size <= MAX_DEAL_BYTES {
                text.extend_from_slice(&buffer[..taken]);
            } else {
                text = Vec::new();
            }
            last = buffer[..taken].last().copied().or(last);
            self.line += memchr::memchr_iter(b'\n', &buffer[..taken]).count();
            self.input.consume(taken);
            if done {
                break;
            }
        }
        if size > MAX_DEAL_BYTES {
            return Ok(Some((Err(size), start)));
        }
        if text.is_empty() {
            // A stray `,` or `]` starts no value: take it alone, so it is reported and reading
            // goes on after it.
            if let Some(&byte) = self.input.fill_buf()?.first() {
                self.input.consume(1);
                text.push(byte);
            }
        }
        let text = String::from_utf8(text)
            .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned());
        Ok(Some((Ok(text), start)))
    }

    fn next_json(&mut self) -> Option<DealText> {
        match self.next_json_text() {
            Ok(None) => None,
            Ok(Some((text, start))) => Some(self.found(text, start, Body::Json)),
            Err(error) => Some(self.failed(format!("cannot read: {error}"))),
        }
    }

    /// A deal's text found at line `start`, or an error for a deal over the limit (reading goes on
    /// after it).
    pub(super) fn found(&mut self, text: Kept, start: usize, body: fn(String) -> Body) -> DealText {
        let origin = self.origin(start);
        let body = match text {
            Ok(text) => body(text),
            Err(size) => Body::Failed(unreadable(
                &origin,
                start,
                format!("the deal is {size} bytes; deals are limited to {MAX_DEAL_BYTES}"),
            )),
        };
        DealText { origin, body }
    }

    /// A read that failed: reading stops after it.
    pub(super) fn failed(&mut self, message: String) -> DealText {
        self.done = true;
        let origin = self.origin(self.line);
        let error = unreadable(&origin, origin.line, message);
        DealText {
            origin,
            body: Body::Failed(error),
        }
    }

    /// The next deal's text, not yet parsed; `None` at the end.
    ///
    /// Splitting a file into deals is quick; parsing ([`DealText::parse`]) is the costly part,
    /// so a host reading a big file can split on one thread and parse on many. Positions and
    /// lines are those the iterator would give.
    pub fn next_text(&mut self) -> Option<DealText> {
        if let Some(found) = self.pending.next() {
            return Some(found);
        }
        if self.done {
            return None;
        }
        let format = match self.format {
            Some(format) => format,
            None => match self.detect() {
                Ok(format) => format,
                Err(error) => {
                    self.done = true;
                    return Some(self.failed(format!("cannot read: {error}")));
                }
            },
        };
        let next = match format {
            DealFormat::Yaml => self.next_yaml(),
            DealFormat::JsonStream | DealFormat::JsonArray => self.next_json(),
        };
        if next.is_none() {
            self.done = true;
        }
        next
    }
}

impl<R: BufRead> Iterator for DealReader<R> {
    type Item = Result<(Deal, DealOrigin), DealError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_text().map(DealText::parse)
    }
}
