//! `DealBook`: a deals file held whole, so one deal can be picked by id and written back with
//! every other deal's text kept byte for byte.

use std::io::{BufRead, Read};
use std::ops::Range;

use super::origin::DealOrigin;
use super::reader::DealReader;
use super::text::Body;
use super::{Deal, DealError, DealProblem};
use crate::support::suggest;

/// A deals file (YAML, multi-document YAML, JSON, a JSON array, JSON Lines) held whole: every
/// deal with the bytes it was read from.
///
/// # Example
///
/// ```
/// use stagegate::DealBook;
/// let text = "{\"id\": \"D-1\"}\n{\"id\": \"D-2\", \"stage\": \"qualify\"}\n{\"id\": \"D-3\"}\n";
/// let book = DealBook::new(text.to_owned(), "book.jsonl");
/// let (mut deal, origin) = book.find("D-2").unwrap();
/// assert_eq!(origin.line, 2);
/// deal.stages = vec!["propose".to_owned()];
/// let written = book.replaced(&origin, &deal).unwrap();
/// assert_eq!(written, "{\"id\": \"D-1\"}\n{\"id\":\"D-2\",\"stages\":[\"propose\"]}\n{\"id\": \"D-3\"}\n");
/// assert_eq!(book.find("X-9").unwrap_err().to_string(),
///     "book.jsonl: deal `X-9`: no deal has this id in the file; it holds `D-1`, `D-2` and `D-3`");
/// ```
#[derive(Debug)]
pub struct DealBook {
    file: String,
    text: String,
    entries: Vec<Entry>,
}

/// One deal of the book.
#[derive(Debug)]
struct Entry {
    origin: DealOrigin,
    read: Result<Deal, DealError>,
    /// Where its text is, and in which language; `None` for an item of a YAML list or a part of
    /// the file that could not be read.
    span: Option<(Range<usize>, Kind)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Json,
    Yaml,
}

/// The file's bytes as a reader that tells how far it has been read.
struct Counted<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Read for Counted<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = (&self.bytes[self.at..]).read(buffer)?;
        self.at += read;
        Ok(read)
    }
}

impl BufRead for Counted<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.bytes[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.bytes.len());
    }
}

impl DealBook {
    /// Reads every deal of `text`; `file` names it in messages. Deals that cannot be read are
    /// kept as their errors (and their text as it is).
    pub fn new(text: String, file: &str) -> DealBook {
        let mut entries = Vec::new();
        let mut reader = DealReader::new(
            Counted {
                bytes: text.as_bytes(),
                at: 0,
            },
            file,
        );
        while let Some(found) = reader.next_text() {
            let span = span(&text, reader.input.at, &found.body);
            let origin = found.origin().clone();
            let read = found.parse().map(|(deal, _)| deal);
            entries.push(Entry { origin, read, span });
        }
        DealBook {
            file: file.to_owned(),
            text,
            entries,
        }
    }

    /// How many deals (readable or not) the file holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when the file holds no deal.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The one deal of a file that holds exactly one.
    ///
    /// # Errors
    ///
    /// [`DealProblem::NoDeals`] for a file with none, [`DealProblem::SeveralDeals`] (with the
    /// first few ids) for a file with more, the deal's own error when it cannot be read.
    pub fn only(&self) -> Result<(Deal, DealOrigin), DealError> {
        self.not_deals()?;
        match self.entries.as_slice() {
            [] => Err(DealError::of_file(
                &self.file,
                DealProblem::NoDeals(self.file.clone()),
            )),
            [one] => one.read.clone().map(|deal| (deal, one.origin.clone())),
            many => Err(DealError::of_file(
                &self.file,
                DealProblem::SeveralDeals {
                    file: self.file.clone(),
                    count: many.len(),
                    names: self.names(),
                },
            )),
        }
    }

    /// The deal with id `wanted`, or at position `#N` (for a deal without an id).
    ///
    /// # Errors
    ///
    /// [`DealProblem::NotFound`] (with the first few ids and a likely intended one),
    /// [`DealProblem::DuplicateId`] when two deals have the id, the deal's own error when it
    /// cannot be read, and the file's problem when it holds no deals at all.
    pub fn find(&self, wanted: &str) -> Result<(Deal, DealOrigin), DealError> {
        self.not_deals()?;
        if self.entries.is_empty() {
            return self.only();
        }
        let position = wanted
            .strip_prefix('#')
            .and_then(|n| n.parse::<usize>().ok());
        let found: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|entry| match position {
                Some(index) => entry.origin.index == index,
                None => entry.id() == Some(wanted),
            })
            .collect();
        let problem = match found.as_slice() {
            [one] => return one.read.clone().map(|deal| (deal, one.origin.clone())),
            [] => {
                let ids = self.entries.iter().filter_map(Entry::id);
                DealProblem::NotFound {
                    names: self.names(),
                    help: suggest::did_you_mean(wanted, ids),
                }
            }
            [first, second, ..] => DealProblem::DuplicateId {
                first: first.origin.line,
                second: second.origin.line,
            },
        };
        let mut error = DealError::new(wanted.to_owned(), vec![problem]);
        error.file = Some(self.file.clone());
        Err(error)
    }

    /// The file's text with the deal found at `origin` replaced by `deal`; every other byte is
    /// kept. The deal is written as it was: JSON on one line stays on one line, JSON over several
    /// lines is written indented, a YAML document stays a document (the comments and blank lines
    /// around it are kept, those inside it are not).
    ///
    /// # Errors
    ///
    /// When the deal is not one of this book's, or is an item of a YAML list (a list is not
    /// rewritten in part).
    pub fn replaced(&self, origin: &DealOrigin, deal: &Deal) -> Result<String, DealError> {
        let name = origin.label(deal);
        let refuse = |why: &str| {
            let mut error = DealError::new(
                name.clone(),
                vec![DealProblem::NotRewritable(why.to_owned())],
            );
            error.file = Some(self.file.clone());
            error.line = Some(origin.line);
            error
        };
        let Some(entry) = self.entries.iter().find(|e| e.origin == *origin) else {
            return Err(refuse("it is not a deal of this file"));
        };
        let Some((range, kind)) = &entry.span else {
            return Err(refuse(
                "it is an item of a YAML list; write the deals one per document (`---`) or as JSON Lines",
            ));
        };
        let old = &self.text[range.clone()];
        let (range, new) = match kind {
            Kind::Json => {
                let json = if old.contains('\n') {
                    let indent = indent_before(&self.text, range.start);
                    serde_json::to_string_pretty(deal)
                        .map(|json| json.replace('\n', &format!("\n{indent}")))
                } else {
                    serde_json::to_string(deal)
                };
                (range.clone(), json.map_err(|e| refuse(&e.to_string()))?)
            }
            Kind::Yaml => {
                let content = content_of(old);
                let mut yaml = deal.to_yaml().map_err(|e| refuse(&e))?;
                if !old[content.clone()].ends_with('\n') {
                    yaml.truncate(yaml.trim_end().len());
                }
                (range.start + content.start..range.start + content.end, yaml)
            }
        };
        let mut written = String::with_capacity(self.text.len() + new.len());
        written.push_str(&self.text[..range.start]);
        written.push_str(&new);
        written.push_str(&self.text[range.end..]);
        Ok(written)
    }

    /// The error of a file that holds something else than deals (a CSV export, a playbook).
    fn not_deals(&self) -> Result<(), DealError> {
        let about_file = self.entries.iter().find_map(|entry| match &entry.read {
            Err(error) if error.problems.iter().any(DealProblem::is_about_the_file) => Some(error),
            _ => None,
        });
        about_file.map_or(Ok(()), |error| Err(error.clone()))
    }

    /// The first few deals' names, listed.
    fn names(&self) -> String {
        let names: Vec<String> = self
            .entries
            .iter()
            .take(5)
            .map(|entry| entry.origin.name(entry.id()))
            .collect();
        suggest::list_first(&names, self.entries.len())
    }
}

impl Entry {
    /// The deal's id: read, or (for a deal that cannot be read) as its error names it.
    fn id(&self) -> Option<&str> {
        match &self.read {
            Ok(deal) => deal.id.as_deref(),
            Err(error) if !error.deal.starts_with('#') && !error.deal.is_empty() => {
                Some(&error.deal)
            }
            Err(_) => None,
        }
    }
}

/// Where the text of a deal just read lies in `text`: the reader has read up to `at`.
fn span(text: &str, at: usize, body: &Body) -> Option<(Range<usize>, Kind)> {
    let (found, kind) = match body {
        Body::Json(found) => (found, Kind::Json),
        Body::Yaml(found) => (found, Kind::Yaml),
        Body::Read(_) | Body::Failed(_) => return None,
    };
    let mut end = at;
    if kind == Kind::Yaml {
        // A document ends at the separator line after it, which was read too.
        let read = text.get(..at)?;
        let last_start = read.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
        if crate::support::yaml::is_document_separator(&read[last_start..]) {
            end = last_start;
        }
    }
    let start = end.checked_sub(found.len())?;
    (text.get(start..end)? == found.as_str()).then_some((start..end, kind))
}

/// The part of a YAML document from its first line with content through its last: the comments
/// and blank lines around it stay.
fn content_of(document: &str) -> Range<usize> {
    let mut start = None;
    let mut end = 0;
    let mut at = 0;
    for line in document.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            start.get_or_insert(at);
            end = at + line.len();
        }
        at += line.len();
    }
    start.unwrap_or(0)..end
}

/// The white space a line starts with, for the line holding byte `at`.
fn indent_before(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..at];
    &line[..line.len() - line.trim_start().len()]
}
