//! The server's HTTP: keep-alive, HTTP/1.0, a burst of connections while others sit idle (a
//! browser's), heads hyper cannot read (its bare answers), and requests the routes cannot take
//! answered with a JSON error.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod raw;
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

/// Heads hyper cannot read it answers itself, before any route or layer sees them: a bare status
/// (no JSON body: nothing of the request is known to answer in), then it closes the connection.
/// A head that is not HTTP/1.x is 400 (hyper sends no 505), a head past its size or header count
/// 431, a request target over 65,534 bytes 414.
#[test]
fn unreadable_heads_are_answered_by_hyper_and_their_connection_closed() {
    let service = Service::start(&workspace("http-unreadable"), &[]);
    let many_headers: String = (0..120).map(|i| format!("X-{i}: a\r\n")).collect();
    let cases = [
        ("NONSENSE\r\n\r\n".to_owned(), 400),
        ("GET /health HTTP/2.0\r\n\r\n".to_owned(), 400),
        (
            "GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n".to_owned(),
            400,
        ),
        (
            format!(
                "GET /health HTTP/1.1\r\nX-Big: {}\r\n\r\n",
                "a".repeat(500_000)
            ),
            431,
        ),
        (format!("GET /health HTTP/1.1\r\n{many_headers}\r\n"), 431),
        (format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(70_000)), 414),
    ];
    for (request, status) in cases {
        let (answer, closed) = raw::exchange(&service.address, request.as_bytes());
        let shown = &request[..request.len().min(40)];
        assert_eq!(answer.status, status, "{shown:?}");
        assert!(answer.body.is_empty(), "{shown:?}");
        assert_eq!(answer.header("connection"), Some("close"), "{shown:?}");
        assert!(closed, "{shown:?}: the connection is closed");
    }
}

/// What the routes refuse comes in the contract's JSON shape, layers' refusals included.
#[test]
fn requests_it_cannot_take_are_answered_with_a_json_error() {
    let service = Service::start(&workspace("http-refused"), &["--max-body", "1000"]);
    // Told by Content-Length: refused before the body is read, and the connection closed.
    let (answer, closed) = raw::exchange(
        &service.address,
        b"POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n",
    );
    assert_eq!(answer.status, 413);
    let body = answer.json();
    assert_eq!(
        (&body["error"], &body["code"]),
        (&"too-large".into(), &"too-large".into())
    );
    assert!(closed);
    // Found while reading a chunked body.
    let chunk = "a".repeat(1500);
    let request = format!(
        "POST /deals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let (answer, _) = raw::exchange(&service.address, request.as_bytes());
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["code"], "too-large");
    // A chunked body within the limit is read.
    let (answer, _) = raw::exchange(
        &service.address,
        b"POST /deals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    );
    assert_eq!(answer.status, 401, "read, then refused: it has no token");
    assert_eq!(answer.json()["error"], "unauthorized");
    // No route, and a route without the method.
    let (answer, _) = raw::exchange(
        &service.address,
        b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(
        (answer.status, answer.json()["error"].clone()),
        (404, "not-found".into())
    );
    let (answer, _) = raw::exchange(
        &service.address,
        b"DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(
        (answer.status, answer.json()["code"].clone()),
        (405, "method-not-allowed".into())
    );
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
