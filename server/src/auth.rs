//! Bearer tokens: made from the operating system's random source (`getrandom`), shown once, stored
//! only as their SHA-256 digest (`sha2`), compared in constant time (`subtle`).

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Random bytes in a token (256 bits).
const TOKEN_BYTES: usize = 32;

/// What every token starts with, so a leaked one is easy to recognize (and to scan for).
const PREFIX: &str = "sgt_";

/// A user as the service knows them: their id and roles, and the language they read this
/// request's answers in.
#[derive(Clone, Debug)]
pub struct User {
    /// Their id.
    pub id: String,
    /// Their roles.
    pub roles: Vec<String>,
    /// `?lang=` of the request; none: the service's language (`--lang`), else each playbook's.
    pub lang: Option<String>,
}

impl User {
    /// Whether they hold `role`.
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// A new token: `sgt_` and 64 hex digits from the operating system's random source.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("cannot read the operating system's random source: {e}"))?;
    Ok(format!("{PREFIX}{}", hex(&bytes)))
}

/// The digest stored for a token (the token itself is never stored).
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Two digests equal, in time that does not depend on where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// A role name: lowercase letters, digits, `_` and `-`.
pub fn valid_role(role: &str) -> bool {
    !role.is_empty()
        && role
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Lowercase hexadecimal digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_digests_are_sha256() {
        let cases = [
            (
                "",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                "abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(hex(&digest(input)), expected, "{input:?}");
        }
    }

    #[test]
    fn tokens_are_long_random_and_compared_whole() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), PREFIX.len() + 2 * TOKEN_BYTES);
        assert!(same(&digest(&a), &digest(&a)));
        assert!(!same(&digest(&a), &digest(&b)));
        assert!(!same(b"ab", b"abc"));
        assert_eq!(bearer("Bearer  sgt_x "), Some("sgt_x"));
        assert_eq!(bearer("Basic sgt_x"), None);
        assert_eq!(bearer("Bearer"), None);
    }
}
