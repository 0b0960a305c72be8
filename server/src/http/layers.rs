//! The tower-http layers around the router, outermost first:
//!
//! 1. request ids: `x-request-id` from the request, else a new UUID, sent back on the answer;
//! 2. a tracing span per request (method, route template, path, request id), closed with the
//!    status and latency;
//! 3. the metrics middleware (`metered.rs`);
//! 4. gzip of answers larger than `COMPRESS_ABOVE` bytes when the client takes it;
//! 5. any bare error answer of a layer made the contract's JSON problem;
//! 6. the body limit (`--max-body`): 413 `too-large`, at once when `Content-Length` says so,
//!    else when reading the body passes it;
//! 7. the request timeout (`--request-timeout`, reading the body included): 503 `unavailable`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::Value;
use stagegate::ProblemKind;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::{metered, Limits};
use crate::app::App;
use crate::metrics::UNMATCHED;
use crate::reply::Reply;

/// Answers smaller than this many bytes are sent as they are: gzip would save little.
const COMPRESS_ABOVE: u16 = 1024;

/// The header that carries a request's id.
const REQUEST_ID: &str = "x-request-id";

/// `router` inside the server's layers.
pub fn around(router: Router, app: Arc<App>, limits: &Limits) -> Router {
    let request_id = HeaderName::from_static(REQUEST_ID);
    let compress_when = SizeAbove::new(COMPRESS_ABOVE)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE);
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(span)
                    .on_response(answered),
            )
            .layer(axum::middleware::from_fn_with_state(app, metered::metered))
            .layer(
                CompressionLayer::new()
                    .gzip(true)
                    .no_br()
                    .no_deflate()
                    .no_zstd()
                    .compress_when(compress_when),
            )
            .layer(axum::middleware::map_response(problems))
            .layer(RequestBodyLimitLayer::new(limits.max_body))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                limits.request,
            )),
    )
}

/// A request's span: its method, route template, path (never its query or headers: a token
/// travels in a header) and id; `status` and `latency_ms` are recorded when it is answered.
fn span(request: &Request) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str);
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        route,
        path = request.uri().path(),
        request_id = id,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// Logs the answer's status and latency, in the request's span.
fn answered<B>(response: &Response<B>, latency: Duration, span: &Span) {
    span.record("status", response.status().as_u16());
    // Milliseconds to the microsecond.
    span.record("latency_ms", (latency.as_secs_f64() * 1e6).round() / 1e3);
    tracing::info!("answered");
}

/// An error answer without a JSON body (a layer's: the body limit's 413, the timeout's 503)
/// becomes the contract's problem, with the same status; every other answer passes as it is.
async fn problems<B>(response: Response<B>) -> Response
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|kind| kind.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response.map(Body::new);
    }
    let mut reply = problem_of(status);
    reply.status = status.as_u16();
    reply.into_response()
}

/// The contract's problem for an error status a layer answered.
fn problem_of(status: StatusCode) -> Reply {
    let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => super::too_large(),
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => Reply::error(
            ProblemKind::Unavailable,
            "timeout",
            "the request took longer than the server allows (--request-timeout); a change it asked for may still have been made: read it again before repeating it",
            Value::Null,
        ),
        _ if status.is_client_error() => Reply::error(
            ProblemKind::Request,
            "request",
            format!("the request was refused: {reason}"),
            Value::Null,
        ),
        _ => Reply::internal(format!("the server failed: {reason}")),
    }
}

/// Whether reading a body failed because it passed `--max-body`.
pub fn over_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}
