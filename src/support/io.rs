//! Files that cannot be read, worded once for the library and the command line.

/// An I/O error as a lowercase message without Rust's wording.
pub(crate) fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string().to_lowercase(),
    }
}

/// How every message of the library and the command line says that a file cannot be read:
/// "cannot read `deals.yaml`: no such file".
///
/// # Example
///
/// ```
/// let missing = std::fs::read("no-such-deals.yaml").unwrap_err();
/// assert_eq!(stagegate::cannot_read("no-such-deals.yaml", &missing), "cannot read `no-such-deals.yaml`: no such file");
/// ```
pub fn cannot_read(name: &str, error: &std::io::Error) -> String {
    format!("cannot read `{name}`: {}", io_message(error))
}
