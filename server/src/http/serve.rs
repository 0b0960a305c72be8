//! The accept loop: each connection served by hyper on its own task, with deadlines between its
//! requests (`deadlines.rs`: a client that stalls is dropped and holds no slot another needs; a
//! stalled connection costs a task and a descriptor, never a thread), and a graceful shutdown: on
//! the signal, no new connection is taken, idle ones are closed and the requests in flight finish.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use super::deadlines::{Answer, Deadlines, Watch};
use super::Limits;

/// How long the requests in flight have to finish after the shutdown signal.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (at most `DRAIN`).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, most often: wait for some to close.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        spawn_connection(stream, router.clone(), limits, &graceful);
    }
    drop(listener);
    tracing::info!("shutting down: finishing the requests in flight");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(DRAIN) => tracing::warn!("requests still in flight after {DRAIN:?}; stopping"),
    }
}

/// Serves one connection on its own task, HTTP/1.1 by hyper: keep-alive, and hyper's head timer
/// set to the idle and head deadlines together (the outer bound; `deadlines.rs` keeps each
/// apart).
/// The most bytes a request's head may take (431 past it): more than a request target's limit
/// (65,534 bytes, 414 past it) with room for its headers.
const MAX_HEAD: usize = 128 * 1024;

fn spawn_connection(
    stream: TcpStream,
    router: Router,
    limits: Limits,
    graceful: &GracefulShutdown,
) {
    let _ = stream.set_nodelay(true);
    let watch = Watch::new(limits.head, limits.idle, limits.request);
    let io = TokioIo::new(Deadlines::new(stream, watch.clone()));
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let number = watch.begin();
        let watch = watch.clone();
        let answered = router.clone().oneshot(request.map(Body::new));
        async move {
            let response: Response<Body> = match answered.await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            Ok::<_, Infallible>(response.map(|body| Answer::new(body, Arc::clone(&watch), number)))
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head + limits.idle)
        // A request's head may take at most this much of the connection's read buffer (431 past
        // it). Left to hyper's default (about 400 KB) the limit depended on how the bytes arrived:
        // one read could take a whole 500 KB head at once and serve it.
        .max_buf_size(MAX_HEAD)
        .keep_alive(true)
        .serve_connection(io, service);
    let connection = graceful.watch(connection);
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "connection closed");
        }
    });
}
