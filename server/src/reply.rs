//! An answer of the API: a status and a JSON body (errors in the contract's one shape), or a file
//! of the pages.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use stagegate::{Problem, ProblemKind};

/// A reply: a status and a JSON body, or a file of the pages.
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body (unless `file`).
    pub body: Value,
    /// A file's bytes and media type, sent instead of `body`.
    pub file: Option<(Vec<u8>, &'static str)>,
}

impl Reply {
    /// 200 with `body`.
    pub fn ok(body: Value) -> Reply {
        Reply {
            status: 200,
            body,
            file: None,
        }
    }

    /// 201 with `body`.
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

    /// 404: no `what`.
    pub fn not_found(what: &str) -> Reply {
        Reply::error(
            ProblemKind::NotFound,
            "not-found",
            format!("no {what}"),
            Value::Null,
        )
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Reply {
        Reply::error(ProblemKind::Request, "request", message, Value::Null)
    }

    /// 500: the server failed.
    pub fn internal(message: impl Into<String>) -> Reply {
        Reply::error(ProblemKind::Internal, "internal", message, Value::Null)
    }
}

impl IntoResponse for Reply {
    /// A file as it is; JSON pretty-printed, with a final newline.
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some((bytes, media_type)) = self.file {
            let mut response = (status, bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            return response;
        }
        let text = serde_json::to_string_pretty(&self.body).unwrap_or_else(|_| "{}".to_owned());
        let mut response = (status, text + "\n").into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        response
    }
}
