//! Reading YAML deal files: one deal per document, or a list of deals in one document.

use std::io::{BufRead, Read};

use super::numbers;
use super::origin::unreadable;
use super::reader::{DealReader, Kept};
use super::text::{Body, DealText};
use super::{Deal, MAX_DEAL_BYTES};

impl<R: BufRead> DealReader<R> {
    /// The text of the next YAML document (or its size, when it is over [`MAX_DEAL_BYTES`]), with
    /// the line it starts on.
    fn next_yaml_text(&mut self) -> std::io::Result<Option<(Kept, usize)>> {
        let mut text = String::new();
        let (mut size, mut start) = (0, self.line);
        let mut content = false;
        while let Some((line, length)) = self.read_line()? {
            self.line += 1;
            if crate::support::yaml::is_document_separator(&line) {
                if content {
                    break;
                }
                (text, size, start) = (String::new(), 0, self.line);
                continue;
            }
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                content = true;
            }
            size += length;
            // A document over the limit is still read to its end, but no longer kept.
            if size <= MAX_DEAL_BYTES {
                text.push_str(&line);
            } else {
                text = String::new();
            }
        }
        let text = if size > MAX_DEAL_BYTES {
            Err(size)
        } else {
            Ok(text)
        };
        Ok(content.then_some((text, start)))
    }

    /// The next line and its length in bytes; a line longer than [`MAX_DEAL_BYTES`] is read
    /// through but kept only in part, which is enough to tell what it is. `None` at the end.
    fn read_line(&mut self) -> std::io::Result<Option<(String, usize)>> {
        let mut bytes = Vec::new();
        let limit = MAX_DEAL_BYTES as u64 + 1;
        let mut length = (&mut self.input)
            .take(limit)
            .read_until(b'\n', &mut bytes)?;
        if length == 0 {
            return Ok(None);
        }
        if bytes.last() != Some(&b'\n') && length as u64 == limit {
            // Through the rest of the line without keeping it.
            loop {
                let buffer = self.input.fill_buf()?;
                if buffer.is_empty() {
                    break;
                }
                let (taken, ends) = match memchr::memchr(b'\n', buffer) {
                    Some(end) => (end + 1, true),
                    None => (buffer.len(), false),
                };
                self.input.consume(taken);
                length += taken;
                if ends {
                    break;
                }
            }
            return Ok(Some((String::from_utf8_lossy(&bytes).into_owned(), length)));
        }
        match String::from_utf8(bytes) {
            Ok(line) => Ok(Some((line, length))),
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )),
        }
    }

    pub(super) fn next_yaml(&mut self) -> Option<DealText> {
        let (text, start) = match self.next_yaml_text() {
            Ok(Some((Ok(text), start))) => (text, start),
            Ok(Some((too_large, start))) => return Some(self.found(too_large, start, Body::Yaml)),
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
        match crate::support::yaml::from_str::<Vec<Deal>>(&text) {
            Ok(deals) => {
                let lines = item_lines(&text);
                let found: Vec<DealText> = deals
                    .into_iter()
                    .enumerate()
                    .map(|(i, deal)| {
                        let line = start + lines.get(i).copied().unwrap_or(0);
                        let origin = self.origin(line);
                        let body =
                            match numbers::check(&deal, &origin, &text, numbers::Format::Yaml) {
                                Ok(()) => Body::Read(deal),
                                Err(failed) => Body::Failed(failed),
                            };
                        DealText { origin, body }
                    })
                    .collect();
                self.pending = found.into_iter();
                self.pending.next().or_else(|| self.next_text())
            }
            Err(error) => {
                let origin = self.origin(start + error.line.saturating_sub(1));
                let mut message = error.message;
                if let Some(literal) = numbers::out_of_range_in_yaml(&message, &text, error.line) {
                    message = numbers::too_big(&literal, numbers::Format::Yaml);
                }
                let failed = unreadable(&origin, origin.line, message);
                Some(DealText {
                    origin,
                    body: Body::Failed(failed),
                })
            }
        }
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
