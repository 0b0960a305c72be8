//! Where each value of a YAML file stands, by its path (`stages[1].exit[0].when`).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How a scalar was written, which decides how a position inside it maps to the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Block,
    Other,
}

/// A place in the file: 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: usize,
    pub column: usize,
    pub style: ScalarStyle,
}

/// Positions of values and keys by path.
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    values: HashMap<String, Place>,
    keys: HashMap<String, Place>,
    duplicates: Vec<(String, Place)>,
    lines: Vec<String>,
}

impl SourceMap {
    /// Builds the map of `text`; a file the event parser refuses gives an empty map (serde_yaml
    /// reports the syntax error itself).
    pub(crate) fn build(text: &str) -> SourceMap {
        let mut builder = Builder {
            lines: text.lines().collect(),
            ..Builder::default()
        };
        let mut parser = Parser::new_from_str(text);
        // A refused file keeps what was read so far.
        let _ = parser.load(&mut builder, false);
        SourceMap {
            values: builder.values,
            keys: builder.keys,
            duplicates: builder.duplicates,
            lines: text.lines().map(str::to_owned).collect(),
        }
    }

    /// Where the value at `path` starts, or the nearest enclosing value that has a place.
    pub(crate) fn value(&self, path: &str) -> Option<Place> {
        let mut path = path;
        loop {
            if let Some(place) = self.values.get(path) {
                return Some(*place);
            }
            path = parent(path)?;
        }
    }

    /// Keys written twice in the same map: the path and the place of the second.
    pub(crate) fn duplicates(&self) -> &[(String, Place)] {
        &self.duplicates
    }

    /// Where the key of the map entry at `path` stands, else where its value starts.
    pub(crate) fn key(&self, path: &str) -> Option<Place> {
        self.keys.get(path).copied().or_else(|| self.value(path))
    }

    /// The place of a position (1-based line and column) inside the Rhai expression at `path`.
    pub(crate) fn inside(&self, path: &str, line: usize, column: usize) -> Option<Place> {
        let start = self.values.get(path)?;
        let line = line.max(1);
        let column = column.max(1);
        match start.style {
            ScalarStyle::Block => {
                // The expression starts on the line after the `|` or `>` indicator, indented.
                let indicator = self.block_indicator(start.line)?;
                let header = self.lines.get(indicator - 1)?;
                let code = header.split(" #").next().unwrap_or(header).trim_end();
                let flags: String = code
                    .chars()
                    .rev()
                    .take_while(|c| !matches!(c, '|' | '>'))
                    .collect();
                let folded = code[..code.len() - flags.len()].ends_with('>');
                // The indentation is given (`|2`: the parent's plus 2) or that of the first line
                // with text.
                let given = flags
                    .chars()
                    .find_map(|c| c.to_digit(10))
                    .map(|d| d as usize);
                let indent = match given {
                    Some(extra) => {
                        let parent = self
                            .keys
                            .get(path)
                            .map_or(header.len() - header.trim_start().len(), |k| k.column - 1);
                        parent + extra
                    }
                    None => self
                        .lines
                        .iter()
                        .skip(indicator)
                        .find(|text| !text.trim().is_empty())
                        .map_or(0, |text| text.len() - text.trim_start().len()),
                };
                if folded {
                    // `>` joins the lines with spaces: walk it like a plain scalar.
                    let first = Place {
                        line: indicator + 1,
                        column: indent + 1,
                        style: ScalarStyle::Plain,
                    };
                    return self.walk_flow_scalar(first, column - 1);
                }
                Some(Place {
                    line: indicator + line,
                    column: indent + column,
                    style: start.style,
                })
            }
            ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                self.walk_flow_scalar(*start, column - 1)
            }
            ScalarStyle::Other => Some(*start),
        }
    }

    /// The place of the `skip`-th character of a plain or quoted scalar's text: escapes (`\\"`,
    /// `''`) take more than one character in the file, and a line break folds into one space.
    fn walk_flow_scalar(&self, start: Place, skip: usize) -> Option<Place> {
        let at = |line: usize, column: usize| Place {
            line,
            column,
            style: start.style,
        };
        let mut line = start.line;
        let mut column = start.column;
        if start.style != ScalarStyle::Plain {
            column += 1; // the opening quote
        }
        let mut chars: Vec<char> = self.lines.get(line - 1)?.chars().collect();
        let mut left = skip;
        loop {
            let rest = chars.get(column - 1..).unwrap_or_default();
            if rest.iter().all(|c| c.is_whitespace()) {
                // Fold onto the next line: the break and the indentation read as one space.
                let Some(next) = self.lines.get(line) else {
                    return Some(at(line, column));
                };
                chars = next.chars().collect();
                line += 1;
                column = chars.iter().take_while(|c| c.is_whitespace()).count() + 1;
                if left == 0 {
                    return Some(at(line, column));
                }
                left -= 1;
                continue;
            }
            if left == 0 {
                return Some(at(line, column));
            }
            column += match (start.style, rest) {
                (ScalarStyle::DoubleQuoted, ['\\', 'x', ..]) => 4,
                (ScalarStyle::DoubleQuoted, ['\\', 'u', ..]) => 6,
                (ScalarStyle::DoubleQuoted, ['\\', 'U', ..]) => 10,
                (ScalarStyle::DoubleQuoted, ['\\', ..]) => 2,
                (ScalarStyle::SingleQuoted, ['\'', '\'', ..]) => 2,
                _ => 1,
            };
            left -= 1;
        }
    }
}

impl SourceMap {
    /// The line of the `|` or `>` that opens the block scalar marked at `line` (the parser
    /// marks a block scalar where it ends, so look back from there).
    fn block_indicator(&self, line: usize) -> Option<usize> {
        (1..=line.min(self.lines.len()))
            .rev()
            .find(|&n| self.lines.get(n - 1).is_some_and(|text| opens_block(text)))
    }
}

/// `key: |`, `- >-`, `|2`: a line that ends with a block scalar indicator.
fn opens_block(line: &str) -> bool {
    let code = line.split(" #").next().unwrap_or(line).trim_end();
    let tail = code.trim_end_matches(['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    let Some(before) = tail.strip_suffix(['|', '>']) else {
        return false;
    };
    let before = before.trim_end();
    before.is_empty() || before.ends_with(':') || before.ends_with('-')
}

/// The path one level up: `a.b[2]` → `a.b`, `a.b` → `a`, `a` → ``.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        /// A block mapping is placed at its first key (the parser marks it at the key's colon).
        place_at_first_key: bool,
        /// Keys met so far, to find one written twice.
        seen: Vec<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

#[derive(Default)]
struct Builder<'t> {
    lines: Vec<&'t str>,
    stack: Vec<Frame>,
    values: HashMap<String, Place>,
    keys: HashMap<String, Place>,
    duplicates: Vec<(String, Place)>,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn place(mark: Marker, style: ScalarStyle) -> Place {
    Place {
        line: mark.line(),
        column: mark.col() + 1,
        style,
    }
}

impl Builder<'_> {
    /// The character at a mark, if any.
    fn char_at(&self, mark: Marker) -> Option<char> {
        self.lines
            .get(mark.line().checked_sub(1)?)?
            .chars()
            .nth(mark.col())
    }

    /// The path of the node that starts now, or `None` when it is a map key (recorded here).
    fn next_path(&mut self, key_text: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let here = format!("{path}[{index}]");
                *index += 1;
                Some(here)
            }
            Some(Frame::Map {
                path,
                key,
                place_at_first_key,
                seen,
            }) => match key.take() {
                Some(key) => Some(join(path, &key)),
                None => {
                    let name = key_text.unwrap_or("?").to_owned();
                    let here = place(mark, ScalarStyle::Other);
                    if seen.contains(&name) {
                        self.duplicates.push((join(path, &name), here));
                    } else {
                        seen.push(name.clone());
                        self.keys.insert(join(path, &name), here);
                    }
                    if *place_at_first_key {
                        *place_at_first_key = false;
                        self.values.insert(path.clone(), here);
                    }
                    *key = Some(name);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, style, ..) => {
                if let Some(path) = self.next_path(Some(&text), mark) {
                    let style = match style {
                        TScalarStyle::Plain => ScalarStyle::Plain,
                        TScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                        TScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                        TScalarStyle::Literal | TScalarStyle::Folded => ScalarStyle::Block,
                    };
                    self.values.insert(path, place(mark, style));
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.next_path(None, mark) {
                    self.values.insert(path, place(mark, ScalarStyle::Other));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.next_path(None, mark).unwrap_or_default();
                self.values
                    .insert(path.clone(), place(mark, ScalarStyle::Other));
                let frame = if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        key: None,
                        place_at_first_key: self.char_at(mark) != Some('{'),
                        seen: Vec::new(),
                    }
                } else {
                    Frame::Seq { path, index: 0 }
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}
