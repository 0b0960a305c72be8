//! Live changes: `GET /events/stream` sends the change feed as Server-Sent Events (`stream.rs`).
//!
//! One task per server process follows the store (`follow`): it asks for the feed's newest event
//! every `POLL` (at once when this instance has just written), so that a change made through any
//! instance on the same store is seen within a second, and publishes that id in a `watch`
//! channel. Every open stream waits on the channel and, woken, reads the events after its own
//! position from the store, a page at a time and only as fast as its client reads them. Streams
//! are capped (`--max-streams`: past it 503 with `Retry-After`), counted in `GET /metrics`, and
//! ended when the server shuts down.

mod stream;

pub use stream::stream;

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};

use crate::app::App;

/// How often the store is asked for the feed's newest event.
pub const POLL: Duration = Duration::from_millis(250);

/// The streams' shared state: the newest event seen, the slots, and whether the server is
/// closing.
pub struct Hub {
    /// The newest event id seen in the store; `None` once the server shuts down.
    newest: watch::Sender<Option<i64>>,
    /// Rings when this instance has written: the store is asked at once.
    written: Notify,
    /// One permit per stream that may be open.
    slots: Arc<Semaphore>,
    /// How many streams may be open at once.
    max: usize,
}

impl Hub {
    /// A hub for at most `max` open streams, none open.
    pub fn new(max: usize) -> Hub {
        Hub {
            newest: watch::Sender::new(Some(0)),
            written: Notify::new(),
            slots: Arc::new(Semaphore::new(max)),
            max,
        }
    }

    /// How many streams may be open at once.
    pub fn max(&self) -> usize {
        self.max
    }

    /// A slot for one more stream, or `None` when every slot is taken.
    fn slot(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }

    /// A receiver of the newest event id (`None`: the server is shutting down).
    fn subscribe(&self) -> watch::Receiver<Option<i64>> {
        self.newest.subscribe()
    }

    /// This instance has written a change: the store is asked for it at once, not at the next
    /// poll.
    pub fn written(&self) {
        self.written.notify_one();
    }

    /// The server is shutting down: every stream ends (its answer completes) and the follower
    /// stops.
    pub fn close(&self) {
        self.newest.send_replace(None);
        self.written.notify_one();
    }

    /// Whether the server is shutting down.
    fn closed(&self) -> bool {
        self.newest.borrow().is_none()
    }
}

/// Starts the task that follows the store's change feed for `app`'s streams; it ends when the hub
/// closes or the app is gone.
pub fn follow(app: &Arc<App>) {
    let app = Arc::downgrade(app);
    tokio::spawn(async move { watch_store(app).await });
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
