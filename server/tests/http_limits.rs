//! The server's limits over raw sockets: the request timeout, request ids, compression, the
//! deadlines between a connection's requests (`--head-timeout`, `--idle-timeout`), and a new
//! client served while a thousand stalled connections are held.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod raw;
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::{workspace, Service};

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

#[test]
fn a_request_past_its_time_is_answered_503_unavailable() {
    let service = Service::start(&workspace("limits-timeout"), &["--request-timeout", "1"]);
    let (mut stream, mut reader) = raw::connect(&service.address);
    // A body that never comes whole.
    stream
        .write_all(b"POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"")
        .unwrap();
    let started = Instant::now();
    let answer = raw::read_answer(&mut reader, false);
    let took = started.elapsed();
    assert_eq!(answer.status, 503);
    let body = answer.json();
    assert_eq!(
        (&body["error"], &body["code"]),
        (&"unavailable".into(), &"timeout".into())
    );
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("--request-timeout"));
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[test]
fn every_answer_carries_a_request_id_and_a_given_one_is_kept() {
    let service = Service::start(&workspace("limits-request-id"), &[]);
    let (first, _) = raw::exchange(&service.address, HEALTH);
    let (second, _) = raw::exchange(&service.address, HEALTH);
    let (first, second) = (
        first.header("x-request-id").unwrap().to_owned(),
        second.header("x-request-id").unwrap().to_owned(),
    );
    assert_eq!(first.len(), 36, "a UUID: {first}");
    assert_ne!(first, second);
    let (answer, _) = raw::exchange(
        &service.address,
        b"GET /nowhere HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-42\r\n\r\n",
    );
    assert_eq!(answer.status, 404);
    assert_eq!(answer.header("x-request-id"), Some("trace-42"));
}

#[test]
fn large_answers_are_gzipped_for_clients_that_take_it_and_small_ones_are_not() {
    let service = Service::start(&workspace("limits-gzip"), &[]);
    for path in ["/health", "/ready", "/nowhere", "/openapi.json"] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        raw::exchange(&service.address, request.as_bytes());
    }
    let gzip = "Host: x\r\nAccept-Encoding: gzip\r\n\r\n";
    let (small, _) = raw::exchange(
        &service.address,
        format!("GET /health HTTP/1.1\r\n{gzip}").as_bytes(),
    );
    assert_eq!(small.status, 200);
    assert_eq!(small.header("content-encoding"), None, "too small to gain");
    assert_eq!(small.json()["ok"], true);
    let (large, _) = raw::exchange(
        &service.address,
        format!("GET /metrics HTTP/1.1\r\n{gzip}").as_bytes(),
    );
    assert_eq!(large.header("content-encoding"), Some("gzip"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&large.body[..])
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.len() > 1024, "{text}");
    assert!(text.contains("stagegate_http_requests_total{"), "{text}");
    // Without Accept-Encoding, as it is.
    let (plain, _) = raw::exchange(
        &service.address,
        b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(plain.header("content-encoding"), None);
    assert!(String::from_utf8(plain.body).unwrap().contains("# TYPE"));
}

/// How long until the server closes `stream` without a byte of answer (at most 10 s).
fn closed_after(stream: &mut TcpStream) -> Duration {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest)),
        Err(error) => assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset),
    }
    started.elapsed()
}

fn around(took: Duration, seconds: f64) -> bool {
    let took = took.as_secs_f64();
    took > seconds - 0.3 && took < seconds + 1.5
}

#[test]
fn a_head_must_come_whole_within_the_head_timeout() {
    let service = Service::start(
        &workspace("limits-head"),
        &["--head-timeout", "1", "--idle-timeout", "30"],
    );
    let connected = Instant::now();
    // A new connection that sends nothing.
    let mut silent = TcpStream::connect(&service.address).unwrap();
    // One that sends half a head, then a byte now and then: the deadline stays.
    let mut slow = TcpStream::connect(&service.address).unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHo").unwrap();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(200));
        if slow.write_all(b"s").is_err() {
            break;
        }
    }
    closed_after(&mut slow);
    assert!(
        around(connected.elapsed(), 1.0),
        "{:?}",
        connected.elapsed()
    );
    closed_after(&mut silent);
    assert!(
        around(connected.elapsed(), 1.0),
        "{:?}",
        connected.elapsed()
    );
}

#[test]
fn a_kept_alive_connection_may_idle_past_the_head_timeout_until_the_idle_timeout() {
    let service = Service::start(
        &workspace("limits-idle"),
        &["--head-timeout", "1", "--idle-timeout", "3"],
    );
    let (mut stream, mut reader) = raw::connect(&service.address);
    stream.write_all(HEALTH).unwrap();
    assert_eq!(raw::read_answer(&mut reader, false).status, 200);
    // Idle for twice the head timeout: still open.
    std::thread::sleep(Duration::from_secs(2));
    stream.write_all(HEALTH).unwrap();
    assert_eq!(raw::read_answer(&mut reader, false).status, 200);
    // Then idle: closed after the idle timeout.
    let took = closed_after(&mut stream);
    assert!(around(took, 3.0), "{took:?}");
    // An idle connection that starts a head has the head timeout from its first byte.
    let (mut stream, mut reader) = raw::connect(&service.address);
    stream.write_all(HEALTH).unwrap();
    assert_eq!(raw::read_answer(&mut reader, false).status, 200);
    std::thread::sleep(Duration::from_millis(1500));
    stream.write_all(b"GET /hea").unwrap();
    let took = closed_after(&mut stream);
    assert!(around(took, 1.0), "{took:?}");
}

#[test]
fn a_new_client_is_served_beside_a_thousand_stalled_connections() {
    const STALLED: usize = 1000;
    // The test holds a thousand sockets too.
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap();
    assert!(limit > 1100, "open files limit {limit}");
    let service = Service::start(&workspace("limits-stalled"), &[]);
    let stalled: Vec<TcpStream> = (0..STALLED)
        .map(|_| {
            let mut stream = TcpStream::connect(&service.address).unwrap();
            stream
                .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Half: ")
                .unwrap();
            stream
        })
        .collect();
    // Let the server take every one of them.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (answer, _) = raw::exchange(&service.address, HEALTH);
    let took = started.elapsed();
    assert_eq!(answer.status, 200);
    assert!(took < Duration::from_secs(1), "{took:?}");
    // The stalled ones are still held (their head timeout is 10 s).
    let mut last = &stalled[STALLED - 1];
    last.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut byte = [0; 1];
    let read = last.read(&mut byte);
    assert!(read.is_err(), "still open, nothing answered: {read:?}");
}
