//! The live streams' shared state: the newest event id seen in the store (a `watch` channel the
//! streams wait on), the slots of the streams that may be open, and whether the server is closing.

use std::sync::Arc;

use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};

/// The streams' shared state: the newest event seen, the slots, and whether the server is
/// closing.
pub struct Hub {
    /// The newest event id seen in the store; `None` once the server shuts down.
    pub(super) newest: watch::Sender<Option<i64>>,
    /// Rings when this instance has written: the store is asked at once.
    pub(super) written: Notify,
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
    pub(super) fn slot(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }

    /// A receiver of the newest event id (`None`: the server is shutting down).
    pub(super) fn subscribe(&self) -> watch::Receiver<Option<i64>> {
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
    pub(super) fn closed(&self) -> bool {
        self.newest.borrow().is_none()
    }
}
