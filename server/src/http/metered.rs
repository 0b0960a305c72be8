//! Counting for `GET /metrics`: every request by method, route and status with its latency (a
//! middleware), and what the API's answers say happened (moves, forced moves, approvals, refusals),
//! read from the answers so that the handlers count nothing themselves.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use crate::app::App;
use crate::metrics::{Metrics, UNMATCHED};
use crate::reply::Reply;

/// Counts the request under its route's template (never its raw path: no deal id in a label) and
/// its status, and times it to its answer's head.
pub async fn metered(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    app.metrics.answered(
        method.as_str(),
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Counts what an answer of the API says happened: a move made (and whether the request forced
/// it), an approval given, or a refusal by its error code.
pub fn count_answer(metrics: &Metrics, route: &str, reply: &Reply, request_body: &[u8]) {
    match (route, reply.status) {
        ("/deals/{id}/moves", 200) => {
            let forced = serde_json::from_slice::<Value>(request_body)
                .ok()
                .and_then(|body| body.get("force").cloned())
                .is_some_and(|force| !force.is_null());
            metrics.moved(forced);
        }
        ("/deals/{id}/approvals", 200) => metrics.approved(),
        (_, 400..=499) => {
            let code = reply.body.get("code").and_then(Value::as_str);
            metrics.refused(code.unwrap_or("request"));
        }
        _ => {}
    }
}
