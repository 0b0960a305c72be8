//! A connection's deadlines between its requests: `--idle-timeout` from an answer to the next
//! request's first byte, then `--head-timeout` to the end of that request's head (a new connection
//! starts with the head's deadline). Past either, the connection is closed without an answer.
//!
//! Why not hyper's `header_read_timeout` alone: since hyper 1.6 (hyperium/hyper#3828) its timer
//! starts as soon as a kept-alive connection falls idle, so it bounds the idle wait and the next
//! head together and one value cannot be 60 s for the first and 10 s for the second. Hyper's timer
//! stays on, set to their sum, as the outer bound; the split is kept here: the connection's service
//! says when a request's head has arrived (hyper calls it once the head is parsed) and when its
//! answer is done (the answer's body is dropped), and the connection's reads apply the deadline
//! of the phase in between. No byte is parsed here.
//!
//! Writes have a deadline too: a client that stops reading (its socket's buffers full) for
//! `--request-timeout` while an answer waits to be sent is dropped, so that a long answer (a live
//! stream above all) to a client that went away holds neither memory nor a slot for ever.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// Where a connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for the next request's first byte until the deadline.
    Idle(Instant),
    /// Reading a request's head until the deadline.
    Head(Instant),
    /// Answering the connection's request number `n`: the request timeout applies, not these.
    Busy(u64),
}

/// A connection's phase, shared by its reads and its service.
pub struct Watch {
    head: Duration,
    idle: Duration,
    stall: Duration,
    state: Mutex<(Phase, u64)>,
}

impl Watch {
    /// A new connection's: it has `head` to send its first request's head, and its writes may
    /// wait at most `stall` for the client to read.
    pub fn new(head: Duration, idle: Duration, stall: Duration) -> Arc<Watch> {
        Arc::new(Watch {
            head,
            idle,
            stall,
            state: Mutex::new((Phase::Head(Instant::now() + head), 0)),
        })
    }

    /// A request's head has arrived: no deadline of ours until it is answered. Returns the
    /// request's number on the connection.
    pub fn begin(&self) -> u64 {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.1 += 1;
        state.0 = Phase::Busy(state.1);
        state.1
    }

    /// Request `number` is answered: the connection is idle (unless a later request began).
    fn end(&self, number: u64) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.0 == Phase::Busy(number) {
            state.0 = Phase::Idle(Instant::now() + self.idle);
        }
    }

    /// The deadline reads have now; `read_some` says bytes just arrived, which on an idle
    /// connection start a head.
    fn deadline(&self, read_some: bool) -> Option<Instant> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match state.0 {
            Phase::Idle(_) if read_some => {
                let deadline = Instant::now() + self.head;
                state.0 = Phase::Head(deadline);
                Some(deadline)
            }
            Phase::Idle(deadline) | Phase::Head(deadline) => Some(deadline),
            Phase::Busy(_) => None,
        }
    }
}

/// A connection's socket whose reads fail with `TimedOut` past the deadline of its phase.
pub struct Deadlines<S> {
    io: S,
    watch: Arc<Watch>,
    sleep: Pin<Box<Sleep>>,
    /// Since when writes wait for the client to read, and until when they may.
    write_stall: Option<Pin<Box<Sleep>>>,
}

impl<S> Deadlines<S> {
    /// `io` under `watch`'s deadlines.
    pub fn new(io: S, watch: Arc<Watch>) -> Deadlines<S> {
        let sleep = Box::pin(tokio::time::sleep_until(Instant::now() + watch.head));
        Deadlines {
            io,
            watch,
            sleep,
            write_stall: None,
        }
    }

    /// A write's outcome under the write deadline: progress clears it; waiting starts it (or
    /// goes on waiting); past it, `TimedOut`.
    fn stalled<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if polled.is_ready() {
            self.write_stall = None;
            return polled;
        }
        let stall = self.watch.stall;
        let sleep = self
            .write_stall
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the answer (--request-timeout)",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Deadlines<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.io).poll_read(cx, buf);
        let read_some = matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before;
        let Some(deadline) = this.watch.deadline(read_some) else {
            return polled;
        };
        if polled.is_ready() {
            return polled;
        }
        if this.sleep.deadline() != deadline {
            this.sleep.as_mut().reset(deadline);
        }
        match this.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "no request head in time (--idle-timeout, --head-timeout)",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Deadlines<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_write(cx, buf);
        this.stalled(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.stalled(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_flush(cx);
        this.stalled(cx, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// An answer's body that tells the connection's watch when it is done (sent or dropped).
pub struct Answer {
    body: Body,
    _done: Done,
}

impl Answer {
    /// `body`, the answer to request `number` under `watch`.
    pub fn new(body: Body, watch: Arc<Watch>, number: u64) -> Answer {
        Answer {
            body,
            _done: Done { watch, number },
        }
    }
}

/// Ends the request when dropped.
struct Done {
    watch: Arc<Watch>,
    number: u64,
}

impl Drop for Done {
    fn drop(&mut self) {
        self.watch.end(self.number);
    }
}

impl http_body::Body for Answer {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
