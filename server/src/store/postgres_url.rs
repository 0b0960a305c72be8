//! A PostgreSQL URL as the server shows it: never with its password. Logs, error messages and
//! answers name the database through `redact`, and every error text of the PostgreSQL store goes
//! through `Secret::scrub`, which removes the password wherever it appears.

/// What stands for a password.
const MASK: &str = "***";

/// Whether `db` names a PostgreSQL server (`postgres://` or `postgresql://`, in any case).
pub fn is_postgres(db: &str) -> bool {
    let lower = db.get(..13).unwrap_or(db).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// `url` with its password replaced by `***`: the password of the user part
/// (`postgres://user:secret@host`) and the value of any `password=` parameter.
pub fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut shown = match base.split_once("://") {
        // The user part ends at the last `@` (a password may hold an unescaped `@` or `/`).
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((user, host)) => match user.split_once(':') {
                Some((name, _)) => format!("{scheme}://{name}:{MASK}@{host}"),
                None => base.to_owned(),
            },
            None => base.to_owned(),
        },
        None => base.to_owned(),
    };
    if let Some(query) = query {
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}={MASK}"),
                _ => parameter.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&parameters.join("&"));
    }
    shown
}

/// The password of a URL, in every form it may be written, to remove from texts.
#[derive(Default)]
pub struct Secret {
    forms: Vec<String>,
}

impl std::fmt::Debug for Secret {
    /// Never the password itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    /// The password of `url` as written, and as the driver decoded it (`password`).
    pub fn of(url: &str, password: Option<&[u8]>) -> Secret {
        let mut forms = Vec::new();
        let base = url.split_once('?').map_or(url, |(base, _)| base);
        if let Some((_, rest)) = base.split_once("://") {
            if let Some((user, _)) = rest.rsplit_once('@') {
                if let Some((_, written)) = user.split_once(':') {
                    forms.push(written.to_owned());
                }
            }
        }
        if let Some(query) = url.split_once('?').map(|(_, query)| query) {
            for parameter in query.split('&') {
                if let Some((key, value)) = parameter.split_once('=') {
                    if key.eq_ignore_ascii_case("password") {
                        forms.push(value.to_owned());
                    }
                }
            }
        }
        if let Some(password) = password {
            forms.push(String::from_utf8_lossy(password).into_owned());
        }
        forms.retain(|form| !form.is_empty());
        // The longest first, so that a form inside another is not left half-masked.
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        Secret { forms }
    }

    /// `text` with every form of the password replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for form in &self.forms {
            text = text.replace(form.as_str(), MASK);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            redact("postgres://sales:s3cret@db.example:5432/deals"),
            "postgres://sales:***@db.example:5432/deals"
        );
        assert_eq!(
            redact("postgresql://sales:p@ss/w0rd@db/deals?sslmode=disable&password=other"),
            "postgresql://sales:***@db/deals?sslmode=disable&password=***"
        );
        // Nothing to hide: the URL as it is.
        assert_eq!(
            redact("postgres://sales@db/deals?application_name=x"),
            "postgres://sales@db/deals?application_name=x"
        );
        assert_eq!(redact("deals.sqlite3"), "deals.sqlite3");
    }

    #[test]
    fn every_form_of_the_password_is_scrubbed_from_a_text() {
        let url = "postgres://sales:s%40cret@db/deals?password=again";
        let secret = Secret::of(url, Some(b"s@cret"));
        let text = format!("cannot connect to {url}: s@cret, s%40cret or again refused");
        let scrubbed = secret.scrub(&text);
        for form in ["s@cret", "s%40cret", "again"] {
            assert!(!scrubbed.contains(form), "{scrubbed}");
        }
        assert!(
            scrubbed.contains("postgres://sales:***@db/deals"),
            "{scrubbed}"
        );
    }

    #[test]
    fn postgres_urls_are_told_from_files() {
        assert!(is_postgres("postgres://h/d"));
        assert!(is_postgres("PostgreSQL://h/d"));
        assert!(!is_postgres("postgres.sqlite3"));
        assert!(!is_postgres("./postgres://x"));
    }
}
