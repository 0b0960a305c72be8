//! `GET /events/stream`: the change feed as Server-Sent Events (axum's `Sse`), from a position
//! (`after`, or the `Last-Event-ID` a reconnecting client sends; else from now) on, each event as
//! `id: <event id>`, `event: change`, `data: <the event as GET /events lists it>`, and a
//! `: keep-alive` comment every 15 s of silence.
//!
//! The stream is read as fast as its client reads: the next page of events is read from the store
//! only once the page before is sent, so a client that stops reading holds at most one page
//! (and the socket's buffers) until the connection's write deadline drops it (`deadlines.rs`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use prometheus_client::metrics::gauge::Gauge;
use serde_json::Value;
use stagegate::ProblemKind;
use tokio::sync::{watch, OwnedSemaphorePermit};

use crate::app::App;
use crate::feeds;
use crate::reply::Reply;

/// Events read from the store at once.
const PAGE: i64 = 100;

/// Silence after which a `: keep-alive` comment is sent.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Seconds a client refused for want of a slot is told to wait (`Retry-After`).
const RETRY_AFTER: &str = "5";

/// `GET /events/stream`: authenticated like every route (`Authorization: Bearer`), then the feed
/// from `after` (or `Last-Event-ID`) on, until the client goes or the server shuts down.
pub async fn stream(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().unwrap_or("").to_owned());
    let last_event = headers
        .get("last-event-id")
        .map(|value| value.to_str().unwrap_or("").to_owned());
    let query: Vec<(String, String)> = query
        .map(|query| {
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let asking = Arc::clone(&app);
    let started = tokio::task::spawn_blocking(move || {
        crate::api::caller(&asking, authorization.as_deref())?;
        let after = position(&query, last_event.as_deref())?;
        match after {
            Some(after) => Ok(after),
            None => asking.store.newest_event().map_err(Reply::internal),
        }
    })
    .await;
    let after = match started {
        Ok(Ok(after)) => after,
        Ok(Err(reply)) => return reply.into_response(),
        Err(_) => return Reply::internal("the stream's start failed").into_response(),
    };
    let Some(slot) = app.live.slot() else {
        return full(app.live.max());
    };
    let newest = app.live.subscribe();
    let app_gauge = app.metrics.streams();
    let follower = Follower {
        app,
        after,
        newest,
        queued: VecDeque::new(),
        _open: Open::new(slot, app_gauge),
    };
    let events = futures_util::stream::unfold(follower, Follower::next);
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
        .into_response();
    // A proxy in front (nginx) passes each event on at once rather than buffering the answer.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// Where the stream starts: `Last-Event-ID` (a reconnecting client's last event), else `after`,
/// else none (from now); a 400 naming the one that is not a whole number, or any other
/// parameter.
fn position(query: &[(String, String)], last_event: Option<&str>) -> Result<Option<i64>, Reply> {
    // `lang`, taken by every route, changes nothing here: the events are the feed's, in no
    // language.
    let query: Vec<&(String, String)> = query.iter().filter(|(k, _)| k != "lang").collect();
    if let Some((key, _)) = query.iter().find(|(k, _)| k != "after") {
        return Err(Reply::bad_request(format!(
            "`{key}` is not a parameter of the stream; it takes `after` (and the `Last-Event-ID` header)"
        )));
    }
    if query.len() > 1 {
        return Err(Reply::bad_request("`after` is given twice"));
    }
    let read = |what: &str, text: &str| {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| {
                Reply::bad_request(format!(
                    "{what}: `{text}` is not an event id (a whole number, 0 or more)"
                ))
            })
    };
    match (last_event, query.first()) {
        (Some(text), _) => read("the Last-Event-ID header", text),
        (None, Some((_, text))) => read("after", text),
        (None, None) => Ok(None),
    }
}

/// 503 when every stream slot is taken, with `Retry-After`.
fn full(max: usize) -> Response {
    let mut response = Reply::error(
        ProblemKind::Unavailable,
        "too-many-streams",
        format!(
            "the server already sends {max} live streams (--max-streams): try again in {RETRY_AFTER} s, or read the changes with GET /events"
        ),
        Value::Null,
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
    response
}

/// One open stream: its slot, counted in `GET /metrics` while it is held.
struct Open {
    _slot: OwnedSemaphorePermit,
    gauge: Gauge,
}

impl Open {
    fn new(slot: OwnedSemaphorePermit, gauge: Gauge) -> Open {
        gauge.inc();
        Open { _slot: slot, gauge }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

/// A stream's state: its position in the feed and the events read but not yet sent.
struct Follower {
    app: Arc<App>,
    after: i64,
    newest: watch::Receiver<Option<i64>>,
    queued: VecDeque<Event>,
    _open: Open,
}

impl Follower {
    /// The next event to send; none when the server shuts down or the store fails (the client
    /// reconnects with `Last-Event-ID`).
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Follower)> {
        loop {
            if let Some(event) = self.queued.pop_front() {
                return Some((Ok(event), self));
            }
            let newest = (*self.newest.borrow_and_update())?;
            if newest > self.after {
                if !self.read().await {
                    return None;
                }
                continue;
            }
            if self.newest.changed().await.is_err() {
                return None;
            }
        }
    }

    /// Reads the next page of events after the stream's position; `false` when the store fails.
    async fn read(&mut self) -> bool {
        let app = Arc::clone(&self.app);
        let after = self.after;
        let read = tokio::task::spawn_blocking(move || app.store.events(after, PAGE)).await;
        let events = match read {
            Ok(Ok(events)) => events,
            Ok(Err(error)) => {
                tracing::warn!(%error, after, "live stream: cannot read the change feed; the stream ends");
                return false;
            }
            Err(_) => return false,
        };
        if events.is_empty() {
            // The newest id is not readable here yet: ask again at the next poll.
            return tokio::select! {
                () = tokio::time::sleep(super::POLL) => true,
                changed = self.newest.changed() => changed.is_ok(),
            };
        }
        for event in events {
            self.after = event.id;
            let id = event.id.to_string();
            let data = feeds::event_json(event).to_string();
            self.queued
                .push_back(Event::default().id(id).event("change").data(data));
        }
        true
    }
}
