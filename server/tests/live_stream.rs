//! `GET /events/stream`: the change feed live, as Server-Sent Events. A move made by one person
//! arrives on another's stream within a second, as `GET /events` lists it; `Last-Event-ID`
//! resumes after the last event a client saw; no token (or a token in the URL) is refused; past
//! `--max-streams` a stream is refused with 503 and `Retry-After`; a shutdown ends the streams;
//! on PostgreSQL, an event written through a second instance arrives on the first's stream.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{add_user, postgres_or_skip, workspace, Service};

/// A stream's client: the raw socket and everything read so far.
struct Listener {
    socket: TcpStream,
    head: String,
    text: String,
}

/// One event as the stream sent it: its `id:`, `event:` and `data:` lines.
#[derive(Debug, PartialEq)]
struct Sent {
    id: i64,
    event: String,
    data: Value,
}

impl Listener {
    /// Opens `GET <path>` with `token` (if any) and `Last-Event-ID` (if any): the answer's status.
    fn open(address: &str, token: Option<&str>, path: &str, last: Option<&str>) -> (u16, Listener) {
        let mut socket = TcpStream::connect(address).unwrap();
        let token = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let last = last
            .map(|id| format!("Last-Event-ID: {id}\r\n"))
            .unwrap_or_default();
        write!(
            socket,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n{token}{last}\r\n"
        )
        .unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let mut listener = Listener {
            socket,
            head: String::new(),
            text: String::new(),
        };
        let started = Instant::now();
        while !listener.text.contains("\r\n\r\n") {
            assert!(
                listener.read_some(),
                "the stream closed before its head: {}",
                listener.text
            );
            assert!(started.elapsed() < Duration::from_secs(5), "no head in 5 s");
        }
        let (head, rest) = listener.text.split_once("\r\n\r\n").unwrap();
        let (head, rest) = (head.to_owned(), rest.to_owned());
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        listener.head = head;
        listener.text = rest;
        (status, listener)
    }

    /// Reads what has arrived; `false` once the server closed the connection.
    fn read_some(&mut self) -> bool {
        let mut buffer = [0u8; 16384];
        match self.socket.read(&mut buffer) {
            Ok(0) => false,
            Ok(n) => {
                self.text.push_str(&String::from_utf8_lossy(&buffer[..n]));
                true
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => true,
            Err(_) => false,
        }
    }

    /// The events sent so far (the chunks' framing skipped).
    fn events(&self) -> Vec<Sent> {
        let mut events = Vec::new();
        let (mut id, mut event) = (None, None);
        for line in self.text.split('\n') {
            if let Some(value) = line.strip_prefix("id: ") {
                id = Some(value.parse().unwrap());
            } else if let Some(value) = line.strip_prefix("event: ") {
                event = Some(value.to_owned());
            } else if let Some(value) = line.strip_prefix("data: ") {
                events.push(Sent {
                    id: id.take().expect("an id before the data"),
                    event: event.take().expect("an event name before the data"),
                    data: serde_json::from_str(value).unwrap(),
                });
            }
        }
        events
    }

    /// Reads until `count` events have arrived or `within` has passed: the events and how long
    /// the wait took.
    fn wait_for(&mut self, count: usize, within: Duration) -> (Vec<Sent>, Duration) {
        let started = Instant::now();
        while self.events().len() < count && started.elapsed() < within {
            if !self.read_some() {
                break;
            }
        }
        (self.events(), started.elapsed())
    }

    /// Whether the server ends the stream (closes the connection) within `within`.
    fn ends_within(&mut self, within: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < within {
            if !self.read_some() {
                return true;
            }
        }
        false
    }
}

/// A service with a manager (`ada`, also an admin) and two reps (`rex`, `kim`); rex's deal `L-1`
/// in lead generation. The reps' tokens.
fn started(name: &str, more: &[&str]) -> (std::path::PathBuf, Service, String, String) {
    let dir = workspace(name);
    let mut args = vec!["--clock-from-requests"];
    args.extend(more);
    let mut service = Service::start(&dir, &args);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    let rex = add_user(&dir, "rex", &["rep"], Some(&service.token));
    let kim = add_user(&dir, "kim", &["rep"], Some(&service.token));
    let (status, body) = service.call_as(&rex, "POST", "/deals?at=2026-11-27", Some(lead("L-1")));
    assert_eq!(status, 201, "{body}");
    (dir, service, rex, kim)
}

fn lead(id: &str) -> Value {
    json!({
        "id": id, "stage": "lead_generation",
        "fields": { "industry": "saas", "employees": 120, "amount": 150000 },
        "activities": { "inbound_marketing": "2026-11-02" }
    })
}

/// The feed as `GET /events` lists it, after `after`.
fn listed(service: &Service, after: i64) -> Vec<Value> {
    let (status, page) = service.call("GET", &format!("/events?after={after}&limit=1000"), None);
    assert_eq!(status, 200, "{page}");
    page["events"].as_array().unwrap().clone()
}

fn move_to_qualification(service: &Service, token: &str, id: &str) {
    let (status, body) = service.call_as(
        token,
        "POST",
        &format!("/deals/{id}/moves?at=2026-11-28T09:00:00Z"),
        Some(json!({ "to": "qualification" })),
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_move_by_one_person_arrives_on_anothers_stream_within_a_second() {
    let (_dir, service, rex, kim) = started("live-move", &[]);
    // Kim watches from now on: the deal's creation is not sent again.
    let (status, mut kims) = Listener::open(&service.address, Some(&kim), "/events/stream", None);
    assert_eq!(status, 200, "{}", kims.head);
    assert!(
        kims.head
            .to_lowercase()
            .contains("content-type: text/event-stream"),
        "{}",
        kims.head
    );
    let before = listed(&service, 0).len() as i64;

    let moved = Instant::now();
    move_to_qualification(&service, &rex, "L-1");
    let (events, _) = kims.wait_for(1, Duration::from_secs(1));
    let took = moved.elapsed();
    assert!(
        !events.is_empty(),
        "nothing arrived within a second: {:?}",
        kims.text
    );
    assert!(took < Duration::from_secs(1), "arrived after {took:?}");

    // Every event the move wrote (the move and its effects), each as GET /events lists it.
    let feed = listed(&service, before);
    let (events, _) = kims.wait_for(feed.len(), Duration::from_secs(1));
    let expected: Vec<Sent> = feed
        .iter()
        .map(|event| Sent {
            id: event["id"].as_i64().unwrap(),
            event: "change".to_owned(),
            data: event.clone(),
        })
        .collect();
    assert_eq!(events, expected);
    assert_eq!(events[0].data["kind"], "moved");
    assert_eq!(events[0].data["deal"], "L-1");
    assert_eq!(events[0].data["change"]["moved"]["to"], "qualification");

    // Rex's own stream, opened from the start of the feed, has the creation too.
    let (status, mut rexs) =
        Listener::open(&service.address, Some(&rex), "/events/stream?after=0", None);
    assert_eq!(status, 200);
    let all = listed(&service, 0);
    let (events, _) = rexs.wait_for(all.len(), Duration::from_secs(2));
    assert_eq!(events.len(), all.len());
    assert_eq!(events[0].data["kind"], "created");
}

#[test]
fn last_event_id_resumes_after_the_last_event_seen() {
    let (_dir, service, rex, kim) = started("live-resume", &[]);
    let (status, body) = service.call_as(&rex, "POST", "/deals?at=2026-11-27", Some(lead("L-2")));
    assert_eq!(status, 201, "{body}");
    move_to_qualification(&service, &rex, "L-1");
    let all = listed(&service, 0);
    assert!(all.len() >= 3, "{all:?}");
    let seen = all[0]["id"].as_i64().unwrap();

    // A reconnecting client sends the last id it saw; the header wins over the URL's `after`.
    let (status, mut resumed) = Listener::open(
        &service.address,
        Some(&kim),
        "/events/stream?after=0",
        Some(&seen.to_string()),
    );
    assert_eq!(status, 200, "{}", resumed.head);
    let (events, _) = resumed.wait_for(all.len() - 1, Duration::from_secs(2));
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let expected: Vec<i64> = all[1..].iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, expected, "every event after {seen}, once, in order");

    // `after` alone starts there too.
    let (status, mut from) = Listener::open(
        &service.address,
        Some(&kim),
        &format!("/events/stream?after={seen}"),
        None,
    );
    assert_eq!(status, 200);
    let (events, _) = from.wait_for(all.len() - 1, Duration::from_secs(2));
    assert_eq!(events.iter().map(|e| e.id).collect::<Vec<_>>(), expected);

    // A position that is not an event id is refused, naming it.
    let (status, body) = service.call_as(&kim, "GET", "/events/stream?after=soon", None);
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().contains("after"),
        "{body}"
    );
}

#[test]
fn a_stream_needs_a_token_in_the_header_never_in_the_url() {
    let (_dir, service, rex, _) = started("live-auth", &[]);
    let (status, body) = service.call_with(None, "GET", "/events/stream", None);
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "unauthorized");
    let (status, body) = service.call_with(Some("Bearer sgt_nope"), "GET", "/events/stream", None);
    assert_eq!(status, 401, "{body}");
    // A token in the URL is not read: the parameter is refused, and without the header it is 401.
    let (status, body) =
        service.call_with(None, "GET", &format!("/events/stream?token={rex}"), None);
    assert_eq!(status, 401, "{body}");
    assert!(
        !body.to_string().contains(&rex),
        "the token is never repeated"
    );
    let (status, body) = service.call_as(&rex, "GET", &format!("/events/stream?token={rex}"), None);
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("`token` is not a parameter"),
        "{body}"
    );
}

#[test]
fn past_the_cap_a_stream_is_refused_with_retry_after_and_a_freed_slot_is_taken_again() {
    let (_dir, service, rex, kim) = started("live-cap", &["--max-streams", "2"]);
    let (first_status, first) =
        Listener::open(&service.address, Some(&rex), "/events/stream", None);
    let (second_status, _second) =
        Listener::open(&service.address, Some(&kim), "/events/stream", None);
    assert_eq!((first_status, second_status), (200, 200));
    let (_, _, metrics) = service.fetch("/metrics");
    let metrics = String::from_utf8(metrics).unwrap();
    assert!(metrics.contains("stagegate_live_streams 2"), "{metrics}");

    let (status, third) = Listener::open(&service.address, Some(&kim), "/events/stream", None);
    assert_eq!(status, 503, "{}", third.head);
    assert!(
        third.head.to_lowercase().contains("retry-after: 5"),
        "{}",
        third.head
    );
    let (_, body) = service.call_as(&kim, "GET", "/events/stream", None);
    assert_eq!(body["code"], "too-many-streams");
    assert!(
        body["message"].as_str().unwrap().contains("--max-streams"),
        "{body}"
    );
    // Other routes still answer.
    let (status, _) = service.call_as(&kim, "GET", "/board", None);
    assert_eq!(status, 200);

    // A client that leaves frees its slot: the server sees the connection close.
    drop(first);
    let started = Instant::now();
    loop {
        let (status, _listener) =
            Listener::open(&service.address, Some(&rex), "/events/stream", None);
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the slot of a closed stream was not freed within 5 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_shutdown_ends_the_streams_and_the_server_exits() {
    let (_dir, mut service, rex, _) = started("live-shutdown", &[]);
    let (status, mut listener) =
        Listener::open(&service.address, Some(&rex), "/events/stream", None);
    assert_eq!(status, 200);
    let stopped = Instant::now();
    service.terminate();
    assert!(
        listener.ends_within(Duration::from_secs(5)),
        "the stream stayed open after SIGTERM"
    );
    assert!(
        service.exits_within(Duration::from_secs(10)),
        "the server did not exit"
    );
    assert!(stopped.elapsed() < Duration::from_secs(10));
}

#[test]
fn on_postgresql_an_event_written_through_another_instance_arrives_within_a_second() {
    let Some(_) = postgres_or_skip(
        "on_postgresql_an_event_written_through_another_instance_arrives_within_a_second",
    ) else {
        return;
    };
    let (dir, first, rex, kim) = started("live-pg", &[]);
    let mut second = Service::start(&dir, &["--clock-from-requests"]);
    second.token = first.token.clone();
    let (status, mut kims) = Listener::open(&first.address, Some(&kim), "/events/stream", None);
    assert_eq!(status, 200);
    for round in 0..3 {
        let id = format!("PG-{round}");
        let (status, body) = second.call_as(&rex, "POST", "/deals?at=2026-11-27", Some(lead(&id)));
        assert_eq!(status, 201, "{body}");
        // Committed when the answer came: on the first instance's stream within a second.
        let (events, took) = kims.wait_for(round + 1, Duration::from_secs(1));
        assert_eq!(
            events.len(),
            round + 1,
            "nothing within a second: {:?}",
            kims.text
        );
        assert!(took < Duration::from_secs(1), "{took:?}");
        assert_eq!(events[round].data["deal"], id);
        assert_eq!(events[round].data["kind"], "created");
        // The first instance's board, which keeps its deals between requests, has it too.
        let (status, board) =
            first.call_as(&kim, "GET", &format!("/board?limit=0&card={id}"), None);
        assert_eq!(status, 200, "{board}");
        assert_eq!(board["cards"][0]["id"], id, "{board}");
        assert_eq!(
            board["columns"][0]["count"],
            round + 2,
            "L-1 and the PG deals so far"
        );
    }
}
