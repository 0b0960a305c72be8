//! The `idle` scenario: K connections each send half a request head (a request line and one header,
//! never the blank line that ends the head) and stall; then a new client, on a fresh connection
//! each time, asks `GET /health` several times and its latencies are measured (connect, request
//! and whole answer).
//!
//! A server that gives each connection a thread, or caps its connections, shows it here: the new
//! client waits, or is refused. Each idle connection is watched: one the server answers or closes
//! before the end is counted, with the status it was answered, so the figures say how many were
//! really held open.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hyper::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::client::{Connection, Target};
use crate::report::Outcome;

/// Connections opened at once while the idle ones are set up.
const CONNECTING_AT_ONCE: usize = 128;

/// Pause between two probes of the new client.
const BETWEEN_PROBES: Duration = Duration::from_millis(100);

/// How the idle scenario runs.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Idle connections to open.
    pub idle: usize,
    /// `GET /health` requests of the new client.
    pub probes: usize,
    /// Time between the last idle connection and the first probe.
    pub settle: Duration,
}

/// What happened to the idle connections, shared by their watchers.
#[derive(Default)]
struct Tally {
    /// Connections the server answered (with the first line of its answer) or closed.
    ended: AtomicU64,
    /// The status lines of the answers to idle connections, counted.
    answers: Mutex<std::collections::BTreeMap<String, u64>>,
}

/// Opens the idle connections, probes, and reports the probes' latencies with notes on the idle
/// connections.
pub async fn run(target: &Target, plan: Plan) -> Outcome {
    let tally = Arc::new(Tally::default());
    let mut held = JoinSet::new();
    let opening = Instant::now();
    let opened = open_all(target, plan.idle, &tally, &mut held).await;
    let open_time = opening.elapsed();
    tokio::time::sleep(plan.settle).await;
    let mut outcome = probe(target, plan.probes).await;
    outcome
        .notes
        .splice(0..0, describe(&opened, plan.idle, open_time, &tally));
    // Dropping the watchers closes the idle connections (with a reset: SO_LINGER 0).
    held.shutdown().await;
    outcome
}

/// The new client: `probes` times `GET /health`, each on a fresh connection, one after the other.
async fn probe(target: &Target, probes: usize) -> Outcome {
    let mut outcome = Outcome::default();
    let mut unanswered: Vec<Duration> = Vec::new();
    for probe in 0..probes {
        if probe > 0 {
            tokio::time::sleep(BETWEEN_PROBES).await;
        }
        let sent = Instant::now();
        let answer = async {
            let mut connection = Connection::open(target).await?;
            connection.send(Method::GET, "/health", None).await
        };
        match answer.await {
            Ok(answer) => outcome.answered(answer.status.as_u16(), sent.elapsed()),
            Err(error) => {
                unanswered.push(sent.elapsed());
                outcome.failed(error);
            }
        }
    }
    if let (Some(first), Some(last)) = (unanswered.iter().min(), unanswered.iter().max()) {
        outcome.notes.push(format!(
            "probes with no answer: {}, each failing after {:.2} to {:.2} ms",
            unanswered.len(),
            first.as_secs_f64() * 1000.0,
            last.as_secs_f64() * 1000.0
        ));
    }
    outcome
}

/// What happened to the idle connections, in notes.
fn describe(opened: &Opened, wanted: usize, open_time: Duration, tally: &Tally) -> Vec<String> {
    let ended = tally.ended.load(Ordering::Relaxed);
    let mut note = format!(
        "{} of {wanted} idle connections still open at the end ({} opened in {:.1} s",
        opened.count.saturating_sub(ended),
        opened.count,
        open_time.as_secs_f64()
    );
    if opened.failed > 0 {
        note.push_str(&format!(", {} could not connect", opened.failed));
    }
    if ended > 0 {
        note.push_str(&format!(", {ended} answered or closed by the server"));
    }
    note.push(')');
    let mut notes = vec![note];
    if let Ok(answers) = tally.answers.lock() {
        for (line, count) in answers.iter() {
            notes.push(format!("idle connections answered `{line}`: {count}"));
        }
    }
    if let Some(error) = &opened.first_error {
        notes.push(format!("first idle connection error: {error}"));
    }
    notes
}

/// How the opening of the idle connections went.
#[derive(Default)]
struct Opened {
    /// Connections opened, with half a request head sent.
    count: u64,
    /// Connections that could not be opened (or written to).
    failed: u64,
    /// Why the first of those failed.
    first_error: Option<String>,
}

impl Opened {
    /// Counts one connection attempt, and leaves a watcher on the connection when it opened.
    fn count(
        &mut self,
        done: Result<Result<TcpStream, String>, tokio::task::JoinError>,
        tally: &Arc<Tally>,
        held: &mut JoinSet<()>,
    ) {
        match done
            .map_err(|error| error.to_string())
            .and_then(|open| open)
        {
            Ok(stream) => {
                self.count += 1;
                held.spawn(watch(stream, Arc::clone(tally)));
            }
            Err(error) => {
                self.failed += 1;
                self.first_error.get_or_insert(error);
            }
        }
    }
}

/// Opens `count` idle connections, at most [`CONNECTING_AT_ONCE`] at a time, each left with a
/// watcher in `held`.
async fn open_all(
    target: &Target,
    count: usize,
    tally: &Arc<Tally>,
    held: &mut JoinSet<()>,
) -> Opened {
    let mut opened = Opened::default();
    let mut connecting = JoinSet::new();
    for _ in 0..count {
        if connecting.len() >= CONNECTING_AT_ONCE {
            if let Some(done) = connecting.join_next().await {
                opened.count(done, tally, held);
            }
        }
        let target = target.clone();
        connecting.spawn(async move { stall(&target).await });
    }
    while let Some(done) = connecting.join_next().await {
        opened.count(done, tally, held);
    }
    opened
}

/// Connects and sends half a request head; the connection closes with a reset when dropped.
async fn stall(target: &Target) -> Result<TcpStream, String> {
    let connect = TcpStream::connect(target.addr);
    let mut stream = tokio::time::timeout(target.timeout, connect)
        .await
        .map_err(|_| format!("connect: no connection within {:?}", target.timeout))?
        .map_err(|error| format!("connect: {error}"))?;
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .map_err(|error| format!("SO_LINGER: {error}"))?;
    // Deliberately unfinished: no blank line ends this head, so the server waits for the rest.
    let half_head = format!("GET /health HTTP/1.1\r\nHost: {}\r\n", target.authority);
    stream
        .write_all(half_head.as_bytes())
        .await
        .map_err(|error| format!("write: {error}"))?;
    Ok(stream)
}

/// Waits on an idle connection until it is dropped, counting it when the server answers or closes
/// it first.
async fn watch(mut stream: TcpStream, tally: Arc<Tally>) {
    let mut buffer = [0_u8; 512];
    let first_line = match stream.read(&mut buffer).await {
        Ok(0) => "(closed without an answer)".to_owned(),
        Ok(read) => String::from_utf8_lossy(&buffer[..read])
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
        Err(error) => format!("(error: {})", error.kind()),
    };
    tally.ended.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut answers) = tally.answers.lock() {
        *answers.entry(first_line).or_default() += 1;
    }
}
