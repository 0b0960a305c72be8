//! The timed scenarios, `read` and `move`: N workers, each with its own keep-alive connection,
//! send one request after another (a closed loop) for the warm-up and then for the measured time.
//!
//! A request is measured when it starts inside the measured time; its latency runs from just
//! before it is sent to the last byte of its answer. A closed loop waits for each answer before the
//! next request, so when the server stalls fewer requests are sent: tail latencies are those of
//! the requests made, not of a steady arrival rate.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::Method;
use serde_json::json;

use crate::client::{Connection, Target};
use crate::deals;
use crate::report::Outcome;

/// What each request of a timed scenario does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// `GET /deals/{id}`, over every created deal in turn.
    Read,
    /// `POST /deals/{id}/moves`: each worker moves its own deals between qualification and needs
    /// analysis, in turn, so that every move is allowed.
    Move,
}

/// How long and how wide a timed scenario runs.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Concurrent connections (one worker each).
    pub connections: usize,
    /// Time before the measurement starts, not measured.
    pub warmup: Duration,
    /// Time measured.
    pub duration: Duration,
}

/// Runs `work` over the created `deals`, and returns what was measured and how long the
/// measurement took (from its start to the last worker's end).
pub async fn run(
    target: &Target,
    work: Work,
    deals: Vec<String>,
    plan: Plan,
) -> Result<(Outcome, Duration), String> {
    let start = Instant::now() + Duration::from_millis(200);
    let measured_from = start + plan.warmup;
    let until = measured_from + plan.duration;
    let deals = Arc::new(deals);
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..plan.connections {
        let (target, deals) = (target.clone(), Arc::clone(&deals));
        let connection = Connection::open(&target).await?;
        workers.spawn(async move {
            let mine = match work {
                // Readers share every deal, each starting at its own place.
                Work::Read => {
                    let offset = worker * deals.len() / plan.connections;
                    deals
                        .iter()
                        .cycle()
                        .skip(offset)
                        .take(deals.len())
                        .cloned()
                        .collect()
                }
                // Movers own their deals: no two move one deal at once.
                Work::Move => deals
                    .iter()
                    .skip(worker)
                    .step_by(plan.connections)
                    .cloned()
                    .collect(),
            };
            tokio::time::sleep_until(start.into()).await;
            let mut worker = Worker {
                target,
                connection: Some(connection),
                outcome: Outcome::default(),
                unread_stages: 0,
            };
            worker.run(work, mine, measured_from, until).await;
            (worker.outcome, worker.unread_stages)
        });
    }
    let (mut outcome, mut unread_stages) = (Outcome::default(), 0);
    while let Some(done) = workers.join_next().await {
        let (measured, unread) = done.map_err(|error| format!("a worker failed: {error}"))?;
        outcome.merge(measured);
        unread_stages += unread;
    }
    if unread_stages > 0 {
        outcome.notes.push(format!(
            "after {unread_stages} failed moves the deal's stage could not be read again"
        ));
    }
    Ok((outcome, measured_from.elapsed()))
}

/// One worker: its connection (reopened after an error) and its measurements.
struct Worker {
    target: Target,
    connection: Option<Connection>,
    outcome: Outcome,
    /// Failed moves after which the deal's stage could not be read again.
    unread_stages: u64,
}

impl Worker {
    /// Sends requests over `deals` until `until`, measuring those started from `measured_from`.
    async fn run(
        &mut self,
        work: Work,
        deals: Vec<String>,
        measured_from: Instant,
        until: Instant,
    ) {
        if deals.is_empty() {
            self.outcome
                .notes
                .push("a worker had no deal: create more deals".to_owned());
            return;
        }
        // Every created deal starts in qualification.
        let mut stages: Vec<String> = vec![deals::QUALIFICATION.to_owned(); deals.len()];
        let mut turn = 0;
        while Instant::now() < until {
            let index = turn % deals.len();
            turn += 1;
            let id = &deals[index];
            let (method, path, body) = match work {
                Work::Read => (Method::GET, deals::path(id), None),
                Work::Move => {
                    let to = deals::next_stage(&stages[index]);
                    (
                        Method::POST,
                        format!("{}/moves", deals::path(id)),
                        Some(json!({ "to": to })),
                    )
                }
            };
            let Some(connection) = self.connection().await else {
                continue;
            };
            let sent = Instant::now();
            let result = connection.send(method, &path, body.as_ref()).await;
            let latency = sent.elapsed();
            let measured = sent >= measured_from;
            match result {
                Ok(answer) => {
                    let status = answer.status.as_u16();
                    if measured {
                        self.outcome.answered(status, latency);
                    }
                    if work == Work::Move {
                        if answer.status.is_success() {
                            stages[index] = deals::next_stage(&stages[index]).to_owned();
                        } else {
                            self.learn_stage(id, &mut stages[index]).await;
                        }
                    }
                }
                Err(error) => {
                    if measured {
                        self.outcome.failed(error);
                    }
                    // The connection's state is unknown after an error: a new one for the next.
                    self.connection = None;
                    if work == Work::Move {
                        self.learn_stage(id, &mut stages[index]).await;
                    }
                }
            }
        }
    }

    /// The open connection, reopened when the server closed it; `None` (the error counted) when it
    /// cannot be reopened, after a short pause.
    async fn connection(&mut self) -> Option<&mut Connection> {
        if self.connection.as_ref().is_none_or(Connection::is_closed) {
            match Connection::open(&self.target).await {
                Ok(connection) => self.connection = Some(connection),
                Err(error) => {
                    self.outcome.failed(error);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    return None;
                }
            }
        }
        self.connection.as_mut()
    }

    /// After a failed move, reads the deal's stage again (not measured), so the next move of the
    /// deal is one it may make.
    async fn learn_stage(&mut self, id: &str, stage: &mut String) {
        let Some(connection) = self.connection().await else {
            return;
        };
        match deals::stage_of(connection, id).await {
            Ok(now) => *stage = now,
            Err(error) => {
                self.connection = None;
                self.outcome
                    .notes
                    .push(format!("could not read the stage of `{id}`: {error}"));
            }
        }
    }
}
