//! HTTP from the ecosystem: axum's router over the route table, tower-http's layers around it
//! (`layers.rs`), hyper serving each connection with deadlines between requests (`serve.rs`,
//! `deadlines.rs`), and every request answered by the blocking API (`api::answer`) on tokio's
//! blocking pool.

mod deadlines;
mod layers;
mod metered;
mod serve;

pub use serve::serve;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{MatchedPath, Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method};
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use serde_json::Value;
use stagegate::ProblemKind;

use crate::api;
use crate::app::App;
use crate::reply::Reply;
use crate::routes::ROUTES;

/// The server's limits (flags of `stagegate-server`; `--help` gives the defaults).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// How long a client has to send a request's head, from the connection's start or from the
    /// first byte of its next request.
    pub head: Duration,
    /// How long a request may take, from its head to its answer.
    pub request: Duration,
    /// How long a kept-alive connection may wait after an answer for the next request's first
    /// byte.
    pub idle: Duration,
}

/// The API's router: every route of the table, and the problem answers for the rest.
pub fn router(app: Arc<App>, limits: &Limits) -> Router {
    let mut by_path: BTreeMap<&str, MethodRouter<Arc<App>>> = BTreeMap::new();
    for route in ROUTES {
        let filter = match route.method {
            "POST" => MethodFilter::POST,
            "PATCH" => MethodFilter::PATCH,
            "DELETE" => MethodFilter::DELETE,
            _ => MethodFilter::GET,
        };
        let methods = by_path.remove(route.path).unwrap_or_default();
        // The live stream answers for as long as its client listens: served beside the API.
        let methods = if route.path == "/events/stream" {
            methods.on(filter, crate::live::stream)
        } else {
            methods.on(filter, dispatch)
        };
        by_path.insert(route.path, methods);
    }
    let mut router = Router::new();
    for (path, methods) in by_path {
        router = router.route(path, methods.fallback(method_not_allowed));
    }
    let router = router.fallback(no_route).with_state(app.clone());
    layers::around(router, app, limits)
}

/// One request of a route of the table, answered on the blocking pool.
async fn dispatch(
    State(app): State<Arc<App>>,
    matched: MatchedPath,
    params: Result<Path<Vec<(String, String)>>, PathRejection>,
    RawQuery(query): RawQuery,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let params = match params {
        Ok(Path(params)) => params,
        Err(rejection) => return Reply::bad_request(format!("the path: {rejection}")),
    };
    let path = segments(matched.as_str(), &params);
    let query: Vec<(String, String)> = query
        .map(|query| {
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().unwrap_or("").to_owned());
    // The body as far as `--max-body` allows (tower-http's limit stops it there).
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) if layers::over_limit(&error) => return too_large(),
        Err(error) => return Reply::bad_request(format!("the body could not be read: {error}")),
    };
    let route = matched.as_str().to_owned();
    let answered = tokio::task::spawn_blocking(move || {
        let reply = api::answer(
            &app,
            method.as_str(),
            &path,
            &query,
            authorization.as_deref(),
            &body,
        );
        // Counted here, where the change is made: also when the request timed out meanwhile.
        metered::count_answer(&app.metrics, &route, &reply, &body);
        // A change written here reaches the live streams without waiting for the next poll.
        if method != Method::GET && (200..300).contains(&reply.status) {
            app.live.written();
        }
        reply
    })
    .await;
    answered.unwrap_or_else(|_| Reply::internal("the request's handler failed"))
}

/// The path's segments, each parameter's decoded value in its place (`{*file}` split at `/`).
fn segments(template: &str, params: &[(String, String)]) -> Vec<String> {
    let value = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let mut path = Vec::new();
    for segment in template.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(rest) if rest.starts_with('*') => {
                path.extend(value(&rest[1..]).split('/').map(str::to_owned));
            }
            Some(name) => path.push(value(name)),
            None => path.push(segment.to_owned()),
        }
    }
    path
}

/// 413 in the contract's shape.
pub(crate) fn too_large() -> Reply {
    Reply::error(
        ProblemKind::TooLarge,
        "too-large",
        "the request's body is larger than the server takes (--max-body)",
        Value::Null,
    )
}

async fn no_route(method: Method, uri: axum::http::Uri) -> Reply {
    Reply::not_found(&format!("route {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Reply {
    let mut reply = Reply::error(
        ProblemKind::Request,
        "method-not-allowed",
        format!("{} does not take {method}", uri.path()),
        Value::Null,
    );
    reply.status = 405;
    reply
}
