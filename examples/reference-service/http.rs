//! The little HTTP this service needs: JSON in, JSON out, status codes.

use serde_json::{json, Value};

use stagegate::{Problem, ProblemKind};

use crate::server::{Request, Response};

/// Bodies larger than this are refused (a deal is a few kilobytes).
pub const MAX_BODY: u64 = 1 << 20;

/// A reply: a status and a JSON body, or a file of the pages.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// A file's bytes and media type, sent instead of `body`.
    pub file: Option<(Vec<u8>, &'static str)>,
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply {
            status: 200,
            body,
            file: None,
        }
    }

    pub fn created(body: Value) -> Reply {
        Reply {
            status: 201,
            body,
            file: None,
        }
    }

    /// A file of the pages.
    pub fn file(bytes: Vec<u8>, media_type: &'static str) -> Reply {
        Reply {
            status: 200,
            body: Value::Null,
            file: Some((bytes, media_type)),
        }
    }

    /// An error in the contract's one shape (`{"error": kind, "code", "message"}`) plus any
    /// `more` keys, with the kind's HTTP status.
    pub fn error(kind: ProblemKind, code: &str, message: impl Into<String>, more: Value) -> Reply {
        Reply::problem(&Problem::new(kind, code, message), more)
    }

    /// A library's problem as its error object, with the kind's HTTP status, plus any `more`
    /// keys.
    pub fn problem(problem: &Problem, more: Value) -> Reply {
        let mut body = serde_json::to_value(problem).unwrap_or_else(
            |_| json!({ "error": "internal", "code": "internal", "message": problem.message }),
        );
        if let (Some(body), Value::Object(more)) = (body.as_object_mut(), more) {
            body.extend(more);
        }
        Reply {
            status: problem.kind.status(),
            body,
            file: None,
        }
    }

    pub fn not_found(what: &str) -> Reply {
        Reply::error(
            ProblemKind::NotFound,
            "not-found",
            format!("no {what}"),
            Value::Null,
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Reply {
        Reply::error(ProblemKind::Request, "request", message, Value::Null)
    }

    pub fn internal(message: impl Into<String>) -> Reply {
        Reply::error(ProblemKind::Internal, "internal", message, Value::Null)
    }
}

/// The request's JSON body (an empty body reads as `{}`).
pub fn body(request: &Request) -> Result<Value, Reply> {
    let Ok(text) = std::str::from_utf8(&request.body) else {
        return Err(Reply::bad_request("the body is not UTF-8 text"));
    };
    if text.trim().is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_str(text).map_err(|e| Reply::bad_request(format!("the body is not JSON: {e}")))
}

/// A reply as the bytes sent: a file as it is, JSON pretty-printed.
pub fn response(reply: Reply) -> Response {
    if let Some((bytes, media_type)) = reply.file {
        return Response {
            status: reply.status,
            headers: vec![
                ("Content-Type", media_type.to_owned()),
                ("X-Content-Type-Options", "nosniff".to_owned()),
                ("Cache-Control", "no-cache".to_owned()),
            ],
            body: bytes,
        };
    }
    let text = serde_json::to_string_pretty(&reply.body).unwrap_or_else(|_| "{}".to_owned());
    Response {
        status: reply.status,
        headers: vec![("Content-Type", "application/json; charset=utf-8".to_owned())],
        body: (text + "\n").into_bytes(),
    }
}

/// The path's segments and its query parameters.
pub fn route(url: &str) -> (Vec<String>, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect();
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect();
    (segments, query)
}

/// Percent-decoding (`%20`, `+` left as is).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
