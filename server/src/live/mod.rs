//! Live changes: `GET /events/stream` sends the change feed as Server-Sent Events (`stream.rs`).
//!
//! One task per server process follows the store (`follow`): it asks for the feed's newest event
//! every `POLL` (at once when this instance has just written), so that a change made through any
//! instance on the same store is seen within a second, and publishes that id in a `watch`
//! channel. Every open stream waits on the channel and, woken, reads the events after its own
//! position from the store, a page at a time and only as fast as its client reads them. Streams
//! are capped (`--max-streams`: past it 503 with `Retry-After`), counted in `GET /metrics`, and
//! ended when the server shuts down.

mod hub;
mod stream;

pub use hub::Hub;
pub use stream::stream;

use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::app::App;

/// How often the store is asked for the feed's newest event.
pub const POLL: Duration = Duration::from_millis(250);

/// Starts the task that follows the store's change feed for `app`'s streams; it ends when the hub
/// closes or the app is gone.
pub fn follow(app: &Arc<App>) {
    let app = Arc::downgrade(app);
    tokio::spawn(watch_store(app));
}

async fn watch_store(app: Weak<App>) {
    let mut failing = false;
    loop {
        let Some(strong) = app.upgrade() else { return };
        if strong.live.closed() {
            return;
        }
        let asking = Arc::clone(&strong);
        let newest = tokio::task::spawn_blocking(move || asking.store.newest_event()).await;
        match newest {
            Ok(Ok(id)) => {
                failing = false;
                strong.live.newest.send_if_modified(|seen| match seen {
                    Some(seen) if *seen < id => {
                        *seen = id;
                        true
                    }
                    _ => false,
                });
            }
            Ok(Err(error)) => {
                if !failing {
                    tracing::warn!(%error, "live changes: cannot ask the store for the newest event");
                }
                failing = true;
            }
            Err(error) => tracing::warn!(%error, "live changes: the store's question failed"),
        }
        let waiting = Arc::clone(&strong);
        drop(strong);
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            () = waiting.live.written.notified() => {}
        }
    }
}
