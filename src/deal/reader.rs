//! Reading deals from YAML (one or many documents) and JSON (one, an array, or JSON Lines),
//! one at a time, so memory does not grow with the number of deals.

use std::io::BufRead;

use super::scan::{object_alone, Scan};
use super::text::{unreadable, Body, DealText};
use super::{Deal, DealError};

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

/// Where a deal was read: the file, its 1-based position in the file and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealOrigin {
    /// The file name, as the caller gave it.
    pub file: String,
    /// 1-based position in the file.
    pub index: usize,
    /// 1-based line where the deal starts.
    pub line: usize,
}

impl DealOrigin {
    /// The deal's name in messages: its id, or its position (`#3`).
    pub fn label(&self, deal: &Deal) -> String {
        self.name(deal.id.as_deref())
    }

    /// The name in messages of the deal found here with this id: the id, or its position (`#3`)
    /// when it has none or a blank one.
    pub fn name(&self, id: Option<&str>) -> String {
        super::name(id, &format!("#{}", self.index))
    }

    /// Adds the file, line and position to an error about this deal.
    pub fn locate(&self, deal: &Deal, mut error: DealError) -> DealError {
        error.file = Some(self.file.clone());
        error.line.get_or_insert(self.line);
        error.deal = self.label(deal);
        error
    }
}

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
    input: R,
    file: String,
    format: Option<DealFormat>,
    line: usize,
    count: usize,
    pending: std::vec::IntoIter<DealText>,
    done: bool,
    array_open: bool,
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

    fn origin(&mut self, line: usize) -> DealOrigin {
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

    /// The text of the next top-level JSON value, with the line it starts on.
    fn next_json_text(&mut self) -> std::io::Result<Option<(String, usize)>> {
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
            let line = memchr::memchr(b'\n', buffer).map(|end| &buffer[..end]);
            if let Some(length) = line.and_then(object_alone) {
                let text = match std::str::from_utf8(&buffer[..length]) {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(&buffer[..length]).into_owned(),
                };
                self.input.consume(length);
                return Ok(Some((text, start)));
            }
        }
        let mut text = Vec::new();
        let mut scan = Scan {
            depth: 0,
            in_string: false,
            escaped: false,
            scalar: first != b'{' && first != b'[',
            stream: self.format == Some(DealFormat::JsonStream),
            last: None,
        };
        // Scan whole buffers at a time: find where the value ends, take that much, go on.
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let (taken, done) = scan.run(buffer, text.last().copied());
            text.extend_from_slice(&buffer[..taken]);
            self.line += memchr::memchr_iter(b'\n', &buffer[..taken]).count();
            self.input.consume(taken);
            if done {
                break;
            }
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
        Ok(Some((text, start)))
    }

    fn next_json(&mut self) -> Option<DealText> {
        match self.next_json_text() {
            Ok(None) => None,
            Ok(Some((text, start))) => Some(DealText {
                origin: self.origin(start),
                body: Body::Json(text),
            }),
            Err(error) => Some(self.failed(format!("cannot read: {error}"))),
        }
    }

    /// The text of the next YAML document, with the line it starts on.
    fn next_yaml_text(&mut self) -> std::io::Result<Option<(String, usize)>> {
        let mut text = String::new();
        let mut start = self.line;
        let mut content = false;
        loop {
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                break;
            }
            self.line += 1;
            if crate::yaml::is_document_separator(&line) {
                if content {
                    break;
                }
                text.clear();
                start = self.line;
                continue;
            }
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                content = true;
            }
            text.push_str(&line);
        }
        Ok(content.then_some((text, start)))
    }

    fn next_yaml(&mut self) -> Option<DealText> {
        let (text, start) = match self.next_yaml_text() {
            Ok(Some(found)) => found,
            Ok(None) => return None,
            Err(error) => return Some(self.failed(format!("cannot read: {error}"))),
        };
        let is_list = text
            .lines()
            .map(str::trim_start)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .is_some_and(|l| l.starts_with('-'));
        if !is_list {
            return Some(DealText {
                origin: self.origin(start),
                body: Body::Yaml(text),
            });
        }
        // A list is read here: how many deals it holds decides the positions of those after it.
        match crate::yaml::from_str::<Vec<Deal>>(&text) {
            Ok(deals) => {
                let lines = item_lines(&text);
                let found: Vec<DealText> = deals
                    .into_iter()
                    .enumerate()
                    .map(|(i, deal)| {
                        let line = start + lines.get(i).copied().unwrap_or(0);
                        DealText {
                            origin: self.origin(line),
                            body: Body::Read(deal),
                        }
                    })
                    .collect();
                self.pending = found.into_iter();
                self.pending.next().or_else(|| self.next_text())
            }
            Err(error) => {
                let origin = self.origin(start + error.line.saturating_sub(1));
                let failed = unreadable(&origin, origin.line, error.message);
                Some(DealText {
                    origin,
                    body: Body::Failed(failed),
                })
            }
        }
    }

    /// A read that failed: reading stops after it.
    fn failed(&mut self, message: String) -> DealText {
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

/// The 0-based line of each item of a top-level YAML list.
fn item_lines(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .find(|l| l.trim_start().starts_with('-'))
        .map_or(0, |l| l.len() - l.trim_start().len());
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('-')
        })
        .map(|(i, _)| i)
        .collect()
}

impl<R: BufRead> Iterator for DealReader<R> {
    type Item = Result<(Deal, DealOrigin), DealError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_text().map(DealText::parse)
    }
}
