//! Where one deal ends in a JSON stream or array: the quick case of a deal alone on its line,
//! and the general scan across buffers.

/// The length of the object `line` starts with, when it ends where the line does (but for white
/// space): the line is one deal of JSON Lines. `None` otherwise (also when it is not valid JSON,
/// which [`Scan`] then finds the end of).
pub(super) fn object_alone(line: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = line.get(i) {
        i += 1;
        match byte {
            b'"' => loop {
                // Through the text, escapes and all, to its closing quote.
                let next = *line.get(i)?;
                i += 1;
                if next == b'"' {
                    break;
                }
                if next == b'\\' {
                    i += 1;
                }
            },
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return line[i..].iter().all(u8::is_ascii_whitespace).then_some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where one top-level JSON value ends, tracked across buffers.
pub(super) struct Scan {
    pub(super) depth: usize,
    pub(super) in_string: bool,
    pub(super) escaped: bool,
    /// The value is a scalar (it ends at a comma, a bracket or white space).
    pub(super) scalar: bool,
    /// The value runs to the end of its line: in JSON Lines, a line that starts with something
    /// other than an object or a list is one bad deal, however many words it has.
    pub(super) to_line_end: bool,
    /// JSON Lines (or objects one after another), not an array.
    pub(super) stream: bool,
    /// The last byte read that is not white space.
    pub(super) last: Option<u8>,
}

impl Scan {
    /// How many bytes of `buffer` belong to the value, and whether the value ends there.
    /// `before` is the byte read just before `buffer`.
    pub(super) fn run(&mut self, buffer: &[u8], mut before: Option<u8>) -> (usize, bool) {
        if self.to_line_end {
            return match memchr::memchr(b'\n', buffer) {
                Some(end) => (end, true),
                None => (buffer.len(), false),
            };
        }
        let mut i = 0;
        while i < buffer.len() {
            if self.in_string && !self.escaped && before != Some(b'\n') {
                // Most of a deal is inside strings: jump to the next byte that matters there
                // (a quote, an escape, or a line end, after which a new deal may start).
                let rest = &buffer[i..];
                let skip = memchr::memchr3(b'"', b'\\', b'\n', rest).unwrap_or(rest.len());
                if skip > 0 {
                    before = Some(rest[skip - 1]);
                    if let Some(&seen) = rest[..skip].iter().rfind(|b| !b.is_ascii_whitespace()) {
                        self.last = Some(seen);
                    }
                    i += skip;
                    continue;
                }
            }
            let byte = buffer[i];
            i += 1;
            // In JSON Lines, an object opening at the start of a line while another is still open,
            // after a line that did not leave a value to come (`[`, `,`, `:` or `{`), means that
            // one was never closed: end it here, so the next deal is read.
            if self.stream
                && self.depth > 0
                && byte == b'{'
                && before == Some(b'\n')
                && !matches!(self.last, Some(b'[' | b',' | b':' | b'{'))
            {
                return (i - 1, true);
            }
            if !byte.is_ascii_whitespace() {
                self.last = Some(byte);
            }
            if self.scalar
                && self.depth == 0
                && !self.in_string
                && (byte == b',' || byte == b']' || byte.is_ascii_whitespace())
            {
                return (i - 1, true);
            }
            before = Some(byte);
            if self.in_string {
                match (self.escaped, byte) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return (i, true);
                    }
                }
                _ => {}
            }
        }
        (buffer.len(), false)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{object_alone, Scan};

    /// What the general scan takes of `line` (one line, then a line end) as one value.
    fn scanned(line: &[u8]) -> (usize, bool) {
        let mut scan = Scan {
            depth: 0,
            in_string: false,
            escaped: false,
            scalar: false,
            to_line_end: false,
            stream: true,
            last: None,
        };
        let mut text = line.to_vec();
        text.push(b'\n');
        scan.run(&text, None)
    }

    /// Lines made of JSON's pieces, right and wrong.
    fn line() -> impl Strategy<Value = Vec<u8>> {
        let piece = proptest::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\\",
            "\\\"",
            "\"a\"",
            ":",
            ",",
            " ",
            "1",
            "\"{\"",
            "\"}\"",
            "\r",
            "é",
            "\"x\\\"}\"",
        ]);
        proptest::collection::vec(piece, 0..16).prop_map(|pieces| {
            let mut line = String::from("{");
            line.extend(pieces);
            line.into_bytes()
        })
    }

    proptest! {
        #[test]
        fn a_line_taken_whole_is_what_the_scan_takes(line in line()) {
            if let Some(length) = object_alone(&line) {
                prop_assert_eq!(scanned(&line), (length, true));
            }
        }
    }

    #[test]
    fn takes_a_deal_alone_on_its_line_only() {
        let deal = br#"{"id": "D-1", "fields": {"a": "}{\"["}}"#;
        assert_eq!(object_alone(deal), Some(deal.len()));
        assert_eq!(object_alone(b"{\"id\": 1}  \r"), Some(9));
        assert_eq!(object_alone(b"{\"id\": 1},"), None);
        assert_eq!(object_alone(b"{\"id\": 1} {\"id\": 2}"), None);
        assert_eq!(object_alone(b"{\"id\": {"), None);
        assert_eq!(object_alone(b"{\"id\": \"1}"), None);
    }
}
