//! The reference service's HTTP: keep-alive, a burst of connections while others sit idle (a
//! browser's), and requests it cannot take answered with a JSON error.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::{workspace, Service};

/// Reads one response (head and a Content-Length body) from a kept-alive connection.
fn one_response(reader: &mut BufReader<TcpStream>) -> (u16, String) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (status, String::from_utf8(body).unwrap())
}

fn connect(service: &Service) -> (TcpStream, BufReader<TcpStream>) {
    let stream = TcpStream::connect(&service.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let reader = BufReader::new(stream.try_clone().unwrap());
    (stream, reader)
}

#[test]
fn requests_on_one_connection_are_answered_in_turn() {
    let service = Service::start(&workspace("http-keep-alive"), &[]);
    let (mut stream, mut reader) = connect(&service);
    for _ in 0..3 {
        write!(stream, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let (status, body) = one_response(&mut reader);
        assert_eq!(status, 200);
        assert!(body.contains("\"ok\": true"), "{body}");
    }
}

#[test]
fn an_http_1_0_request_is_answered_and_its_connection_closed() {
    let service = Service::start(&workspace("http-1-0"), &[]);
    let (mut stream, mut reader) = connect(&service);
    write!(stream, "GET /health HTTP/1.0\r\n\r\n").unwrap();
    let (status, _) = one_response(&mut reader);
    assert_eq!(status, 200);
    let mut rest = Vec::new();
    assert_eq!(reader.read_to_end(&mut rest).unwrap(), 0, "closed");
}

#[test]
fn a_burst_of_connections_is_served_while_others_sit_idle() {
    let service = Service::start(&workspace("http-burst"), &[]);
    // A browser keeps its connections open between requests.
    let idle: Vec<_> = (0..8).map(|_| connect(&service)).collect();
    let started = Instant::now();
    let answered: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|_| {
                scope.spawn(|| {
                    let (mut stream, mut reader) = connect(&service);
                    write!(stream, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                    one_response(&mut reader).0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(answered.iter().all(|&s| s == 200), "{answered:?}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "no connection waits for another to close: {:?}",
        started.elapsed()
    );
    drop(idle);
}

#[test]
fn requests_it_cannot_take_are_answered_with_a_json_error() {
    let service = Service::start(&workspace("http-refused"), &[]);
    // (request, status, kind, code): the kind from the contract's one vocabulary.
    let cases: [(&str, u16, &str, &str); 4] = [
        ("NONSENSE\r\n\r\n", 400, "request", "unreadable-request"),
        (
            "GET /health HTTP/2.0\r\n\r\n",
            505,
            "request",
            "http-version",
        ),
        (
            "POST /deals HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            411,
            "request",
            "length-required",
        ),
        (
            "POST /deals HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n",
            413,
            "too-large",
            "too-large",
        ),
    ];
    for (request, status, kind, code) in cases {
        let (mut stream, mut reader) = connect(&service);
        stream.write_all(request.as_bytes()).unwrap();
        let (got, body) = one_response(&mut reader);
        assert_eq!(got, status, "{request:?}: {body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (&body["error"], &body["code"]),
            (&kind.into(), &code.into()),
            "{request:?}"
        );
        // The connection is closed after such an answer.
        let mut rest = Vec::new();
        assert_eq!(reader.read_to_end(&mut rest).unwrap(), 0);
    }
    // A client that waits for 100 Continue (curl with a large body) gets it.
    let (mut stream, mut reader) = connect(&service);
    write!(
        stream,
        "POST /deals HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
    reader.read_line(&mut line).unwrap();
    stream.write_all(b"{}").unwrap();
    let (status, _) = one_response(&mut reader);
    assert_eq!(
        status, 401,
        "then the request is answered (here: it has no token)"
    );
}
