//! One deal's text as a reader found it, parsed when (and on whichever thread) the caller wants.

use super::numbers::{self, Format};
use super::origin::{unreadable, DealOrigin};
use super::{Deal, DealError, DealProblem};

/// One deal's text as found in a file, with where it was found, not yet parsed.
///
/// # Example
///
/// ```
/// use stagegate::DealReader;
/// let lines = "{\"id\": \"D-1\"}\n{\"id\": \"D-2\"}\n";
/// let mut reader = DealReader::new(lines.as_bytes(), "book.jsonl");
/// let mut texts = Vec::new();
/// while let Some(text) = reader.next_text() {   // quick: one thread splits...
///     texts.push(text);
/// }
/// assert_eq!(texts[1].origin().line, 2);
/// let ids: Vec<String> = std::thread::scope(|threads| {       // ...any thread parses
///     let parsed: Vec<_> = texts.into_iter().map(|t| threads.spawn(move || t.parse())).collect();
///     parsed.into_iter().map(|p| p.join().unwrap().unwrap().0.id.unwrap()).collect()
/// });
/// assert_eq!(ids, ["D-1", "D-2"]);
/// ```
#[derive(Debug)]
pub struct DealText {
    pub(super) origin: DealOrigin,
    pub(super) body: Body,
}

/// What was found: a text to parse, a deal already read, or a failure.
#[derive(Debug)]
pub(super) enum Body {
    Json(String),
    Yaml(String),
    /// Already read (an item of a YAML list).
    Read(Deal),
    /// The file could not be read here, or a YAML list did not read.
    Failed(DealError),
}

impl DealText {
    /// One deal's JSON text handed over whole (by a host, not read from a file), found at
    /// `origin`: [`DealText::parse`] reads it exactly as a line of a `.jsonl` book.
    pub fn from_json(text: String, origin: DealOrigin) -> DealText {
        DealText {
            origin,
            body: Body::Json(text),
        }
    }

    /// Where the deal was found.
    pub fn origin(&self) -> &DealOrigin {
        &self.origin
    }

    /// The size in bytes of the text it holds (0 for a deal already read, or a failure).
    pub fn size(&self) -> usize {
        match &self.body {
            Body::Json(text) | Body::Yaml(text) => text.len(),
            Body::Read(_) | Body::Failed(_) => 0,
        }
    }

    /// The deal's text, when it was read from JSON.
    pub fn json(&self) -> Option<&str> {
        match &self.body {
            Body::Json(text) => Some(text),
            _ => None,
        }
    }

    /// Where the deal was found, keeping only that.
    pub fn into_origin(self) -> DealOrigin {
        self.origin
    }

    /// The deal, or every problem that keeps its text from reading as one.
    ///
    /// # Errors
    ///
    /// A [`DealError`] with the file, line and position, and each shape problem with its key.
    pub fn parse(self) -> Result<(Deal, DealOrigin), DealError> {
        let origin = self.origin;
        match self.body {
            Body::Read(deal) => Ok((deal, origin)),
            Body::Failed(error) => Err(error),
            Body::Json(text) => {
                // Told as what it is, unless the text is something else than deals (a CSV
                // export, a playbook).
                if let Some(message) = not_an_object(&text) {
                    return Err(explain(&origin, origin.line, message, &text, None));
                }
                match serde_json::from_str::<Deal>(&text) {
                    Ok(deal) => {
                        numbers::check(&deal, &origin, &text, Format::Json).map(|()| (deal, origin))
                    }
                    Err(error) => {
                        let line = origin.line + error.line().saturating_sub(1);
                        let message = crate::support::yaml::without_position(&error.to_string());
                        let tree = serde_json::from_str::<serde_json::Value>(&text).ok();
                        if message.starts_with("number out of range") {
                            // A number beyond `f64`: say which, and name the deal by reading it
                            // with that number left out.
                            if let Some(literal) =
                                numbers::literal_at(&text, error.line(), error.column())
                            {
                                let message = numbers::beyond_float(&literal, Format::Json);
                                let (tree, field) = numbers::without(&text, &literal, |t| {
                                    serde_json::from_str(t).ok()
                                });
                                return Err(oversized(
                                    &origin,
                                    line,
                                    message,
                                    field,
                                    tree.as_ref(),
                                ));
                            }
                        }
                        Err(explain(&origin, line, message, &text, tree.as_ref()))
                    }
                }
            }
            Body::Yaml(text) => match crate::support::yaml::from_str::<Deal>(&text) {
                Ok(deal) => {
                    numbers::check(&deal, &origin, &text, Format::Yaml).map(|()| (deal, origin))
                }
                Err(error) => {
                    let line = origin.line + error.line.saturating_sub(1);
                    let message = error.message;
                    // serde's words for a whole number beyond 64 bits, even in YAML.
                    if let Some(literal) =
                        numbers::out_of_range_in_yaml(&message, &text, error.line)
                    {
                        let message = numbers::too_big(&literal, Format::Yaml);
                        let (tree, field) = numbers::without(&text, &literal, |t| {
                            crate::support::yaml::from_str(t).ok()
                        });
                        return Err(oversized(&origin, line, message, field, tree.as_ref()));
                    }
                    let tree = crate::support::yaml::from_str::<serde_json::Value>(&text).ok();
                    Err(explain(&origin, line, message, &text, tree.as_ref()))
                }
            },
        }
    }
}

/// What is wrong with a deal's JSON text that is not an object, or `None` for an object. serde
/// would read a JSON array as a deal's fields in order (`[1]`: a deal whose id is 1), so anything
/// but an object is refused as what it is.
pub(crate) fn not_an_object(text: &str) -> Option<String> {
    (!text.trim_start().starts_with('{')).then(|| {
        format!(
            "expected a deal (a JSON object `{{...}}`), found `{}`",
            crate::support::text::shorten(text.trim())
        )
    })
}

/// A deal holding a number no parser reads: the problem at its field when a field holds it,
/// the deal named by its id.
fn oversized(
    origin: &DealOrigin,
    line: usize,
    message: String,
    field: Option<String>,
    tree: Option<&serde_json::Value>,
) -> DealError {
    let mut error = unreadable(origin, line, message.clone());
    if let Some(field) = field {
        error.problems = vec![DealProblem::WrongValue {
            field,
            problem: message,
        }];
    }
    name_by_id(&mut error, tree);
    error
}

/// Names the deal of `error` by the id `tree` holds, when it holds a readable one.
fn name_by_id(error: &mut DealError, tree: Option<&serde_json::Value>) {
    match tree.and_then(|tree| tree.get("id")) {
        Some(serde_json::Value::String(id)) if !id.trim().is_empty() => error.deal = id.clone(),
        Some(serde_json::Value::Number(id)) => error.deal = id.to_string(),
        _ => {}
    }
}

/// A deal that does not read as one: every shape problem with its key (checked against the deal
/// schema), named by its id when it has a readable one; or, when the file is something else than
/// deals (a CSV export, a playbook), that.
fn explain(
    origin: &DealOrigin,
    line: usize,
    message: String,
    text: &str,
    tree: Option<&serde_json::Value>,
) -> DealError {
    if let Some(problem) = super::misplaced::misplaced(&origin.file, origin.index, text, tree) {
        let mut error = unreadable(origin, origin.line, String::new());
        error.problems = vec![problem];
        return error;
    }
    let mut error = unreadable(origin, line, message);
    let Some(tree) = tree else {
        return error;
    };
    let found: Vec<DealProblem> = crate::support::shape::check(tree, Deal::schema())
        .into_iter()
        .map(|problem| match problem.help {
            Some(help) => DealProblem::Unreadable(format!("{} ({help})", problem.message)),
            None => DealProblem::Unreadable(problem.message),
        })
        .collect();
    if !found.is_empty() {
        error.problems = found;
    }
    name_by_id(&mut error, Some(tree));
    error
}
