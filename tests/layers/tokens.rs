//! A Rust file as tokens: identifiers, numbers and punctuation, without spaces or comments.
//!
//! Not a full lexer: just enough that a comment or a literal never reads as code. A string or
//! character literal is one token, `"` or `'` followed by its text (`"plain_tests.rs`, for a
//! `#[path]`); a raw string is the token `"` alone. It reads bytes, as plainly as it can: it runs,
//! unoptimized, in every `cargo test`.

use std::ops::Range;

/// The tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let (len, token) = match rest[0] {
            b' ' | b'\n' | b'\t' | b'\r' | 0x0b | 0x0c => (spaces(rest), None),
            b'/' if rest.get(1) == Some(&b'/') => (line_end(rest), None),
            b'/' if rest.get(1) == Some(&b'*') => (block_comment_end(rest), None),
            b'b' | b'c' | b'r' | b'"' | b'\'' if literal(rest).is_some() => {
                let (token, len) = literal(rest).unwrap_or_default();
                (len, Some(token))
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' => {
                let (start, len) = word(rest);
                (len, Some(start..len))
            }
            b':' if rest.get(1) == Some(&b':') => (2, Some(0..2)),
            0x80.. => {
                let c = text[pos..].chars().next().unwrap_or_default();
                (
                    c.len_utf8(),
                    (!c.is_whitespace()).then_some(0..c.len_utf8()),
                )
            }
            _ => (1, Some(0..1)),
        };
        if let Some(token) = token {
            out.push(&text[pos + token.start..pos + token.end]);
        }
        pos += len;
    }
    out
}

/// The length of the run of spaces `rest` opens with.
fn spaces(rest: &[u8]) -> usize {
    let mut len = 1;
    while len < rest.len() && matches!(rest[len], b' ' | b'\n' | b'\t' | b'\r' | 0x0b | 0x0c) {
        len += 1;
    }
    len
}

/// The length of the line comment `rest` opens with, its line end left out.
fn line_end(rest: &[u8]) -> usize {
    memchr::memchr(b'\n', rest).unwrap_or(rest.len())
}

/// The length of the block comment `rest` opens with; block comments nest.
fn block_comment_end(rest: &[u8]) -> usize {
    let (mut depth, mut len) = (1, 2);
    while depth > 0 && len < rest.len() {
        if rest[len..].starts_with(b"/*") {
            (depth, len) = (depth + 1, len + 2);
        } else if rest[len..].starts_with(b"*/") {
            (depth, len) = (depth - 1, len + 2);
        } else {
            len += 1;
        }
    }
    len.min(rest.len())
}

/// The literal `rest` opens with, if any: its token (its opening quote and text; a raw string's
/// opening quote alone) and its whole length.
fn literal(rest: &[u8]) -> Option<(Range<usize>, usize)> {
    if let Some((quote, len)) = raw_string(rest) {
        return Some((quote..quote + 1, len));
    }
    let (quote, len) = string(rest).or_else(|| character(rest))?;
    Some((quote..len - 1, len))
}

/// The raw string literal (`r"…"`, `br#"…"#`, `cr"…"`) that `rest` opens with: where its opening
/// `"` stands and its whole length.
fn raw_string(rest: &[u8]) -> Option<(usize, usize)> {
    let mut len = usize::from(matches!(rest.first(), Some(b'b' | b'c')));
    if rest.get(len) != Some(&b'r') {
        return None;
    }
    len += 1;
    let hashes = rest[len..].iter().take_while(|&&b| b == b'#').count();
    len += hashes;
    if rest.get(len) != Some(&b'"') {
        return None;
    }
    let (quote, closing) = (len, &rest[len - hashes..len]); // as many `#` as opened it
    len += 1;
    while len < rest.len() {
        if rest[len] == b'"' && rest[len + 1..].starts_with(closing) {
            return Some((quote, len + 1 + hashes));
        }
        len += 1;
    }
    Some((quote, rest.len()))
}

/// The string literal (`"…"`, `b"…"`, `c"…"`) that `rest` opens with: where its `"` stands and
/// its whole length.
fn string(rest: &[u8]) -> Option<(usize, usize)> {
    let start = usize::from(matches!(rest.first(), Some(b'b' | b'c')));
    if rest.get(start) != Some(&b'"') {
        return None;
    }
    let mut len = start + 1;
    while len < rest.len() {
        match rest[len] {
            b'\\' if len + 1 < rest.len() => len += 2,
            b'\\' => return None,
            b'"' => return Some((start, len + 1)),
            _ => len += 1,
        }
    }
    None
}

/// The character literal (`'x'`, `b'\n'`, `'\u{1F600}'`) that `rest` opens with, not a lifetime:
/// where its `'` stands and its whole length.
fn character(rest: &[u8]) -> Option<(usize, usize)> {
    let start = usize::from(rest.first() == Some(&b'b'));
    if rest.get(start) != Some(&b'\'') {
        return None;
    }
    let body = &rest[start + 1..];
    let closed = |len: usize| (body.get(len) == Some(&b'\'')).then_some((start, start + len + 2));
    let first = *body.first()?;
    if first != b'\\' {
        return match first {
            b'\'' | b'\n' => None,
            _ => closed(utf8_len(first)),
        };
    }
    let hex = |at: usize| body.get(at).is_some_and(u8::is_ascii_hexdigit);
    let byte = (body.get(1) == Some(&b'x') && hex(2) && hex(3)).then_some(4);
    let unicode = body.starts_with(b"\\u{").then(|| {
        let digits = body[3..]
            .iter()
            .take_while(|&&b| b.is_ascii_hexdigit() || b == b'_');
        let digits = digits.count();
        (body.get(3 + digits) == Some(&b'}')).then_some(4 + digits)
    });
    let any = body.get(1).map(|&b| 1 + utf8_len(b));
    byte.and_then(closed)
        .or_else(|| unicode.flatten().and_then(closed))
        .or_else(|| any.and_then(closed))
}

/// The length of the UTF-8 character that opens with this byte.
fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The identifier (its `r#` left out) or number that `rest` opens with: where it starts and ends.
/// `rest` opens with a letter, a digit or `_`.
fn word(rest: &[u8]) -> (usize, usize) {
    let raw = rest.len() > 2 && rest[0] == b'r' && rest[1] == b'#';
    let start = if raw && matches!(rest[2], b'a'..=b'z' | b'A'..=b'Z' | b'_') {
        2
    } else {
        0
    };
    let mut len = start + 1;
    while len < rest.len() {
        let b = rest[len];
        if matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
            len += 1;
        } else if b >= 0x80 && word_char(&rest[len..]) {
            len += utf8_len(b);
        } else {
            break;
        }
    }
    (start, len)
}

/// Whether the non-ASCII character `rest` opens with may stand in a name.
fn word_char(rest: &[u8]) -> bool {
    let len = utf8_len(rest[0]).min(rest.len());
    std::str::from_utf8(&rest[..len])
        .ok()
        .and_then(|c| c.chars().next())
        .is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn comments_and_literals_are_not_code() {
        let text = r####"
            // use crate::cli;
            /* outer /* nested */ use crate::cli; */
            let a = "crate::cli::run()";
            let b = r#"use crate::cli; "quoted" "#;
            let c = b'\'';
            let d = '\u{1F600}';
            fn f<'a>(x: &'a str) {}
            let r#type = crate::deal::X;
        "####;
        let toks = tokens(text);
        let cli = toks.iter().filter(|t| **t == "cli").count();
        assert_eq!(cli, 0, "{toks:?}");
        assert!(toks.contains(&"\"crate::cli::run()"), "{toks:?}");
        assert!(toks.contains(&"type"), "{toks:?}");
        assert!(
            toks.windows(2).any(|w| w == ["'", "a"]),
            "a lifetime: {toks:?}"
        );
        let end = ["crate", "::", "deal", "::", "X", ";"];
        assert!(toks.ends_with(&end), "{toks:?}");
    }
}
