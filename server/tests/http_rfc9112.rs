//! RFC 9112's framing rules, each over a raw socket: what a proxy in front could read differently
//! from the server (request smuggling) is refused, and a kept-alive connection stays in step.
//! Hyper (httparse) does the reading; these tests pin what it does.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod raw;
mod support;

use std::io::Write;

use support::{workspace, Service};

/// A refusal by hyper: a bare 400 (no body) and the connection closed.
fn assert_refused(service: &Service, request: &str) {
    let (answer, closed) = raw::exchange(&service.address, request.as_bytes());
    assert_eq!(answer.status, 400, "{request:?}");
    assert!(answer.body.is_empty(), "{request:?}");
    assert!(closed, "{request:?}: the connection is closed");
}

#[test]
fn two_differing_content_lengths_are_refused() {
    let service = Service::start(&workspace("rfc-two-lengths"), &[]);
    assert_refused(
        &service,
        "POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 24\r\n\r\n{}",
    );
    // Also as one header with a list.
    assert_refused(
        &service,
        "POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 24\r\n\r\n{}",
    );
}

#[test]
fn identical_content_lengths_are_merged_into_one() {
    let service = Service::start(&workspace("rfc-same-lengths"), &[]);
    let (mut stream, mut reader) = raw::connect(&service.address);
    stream
        .write_all(
            b"POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
        )
        .unwrap();
    let answer = raw::read_answer(&mut reader, false);
    assert_eq!(
        answer.status, 401,
        "read as one body: then refused, no token"
    );
    assert_eq!(answer.json()["error"], "unauthorized");
    // The body was two bytes: the connection is in step for the next request.
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let answer = raw::read_answer(&mut reader, false);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["ok"], true);
}

#[test]
fn a_signed_content_length_is_refused() {
    let service = Service::start(&workspace("rfc-signed"), &[]);
    let body = "{\"id\": \"D-1\", \"x\": 1234}";
    assert_eq!(body.len(), 24);
    assert_refused(
        &service,
        &format!("POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: +24\r\n\r\n{body}"),
    );
    assert_refused(
        &service,
        &format!("POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length: -24\r\n\r\n{body}"),
    );
}

#[test]
fn whitespace_before_a_colon_is_refused() {
    let service = Service::start(&workspace("rfc-colon"), &[]);
    assert_refused(
        &service,
        "POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length : 2\r\n\r\n{}",
    );
    assert_refused(
        &service,
        "POST /deals HTTP/1.1\r\nHost: x\r\nContent-Length\t: 2\r\n\r\n{}",
    );
}

#[test]
fn head_is_answered_without_a_body_and_the_connection_stays_in_step() {
    let service = Service::start(&workspace("rfc-head"), &[]);
    let (mut stream, mut reader) = raw::connect(&service.address);
    // Both requests at once: if HEAD's answer carried a body, the next answer would be misread.
    stream
        .write_all(
            b"HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    let head = raw::read_answer(&mut reader, true);
    assert_eq!(head.status, 200);
    let length: usize = head.header("content-length").unwrap().parse().unwrap();
    assert!(length > 0, "HEAD tells the length GET would send");
    let get = raw::read_answer(&mut reader, false);
    assert_eq!(get.status, 200);
    assert_eq!(get.body.len(), length);
    assert_eq!(get.json()["ok"], true);
    // And once more after a pause, on the same connection.
    stream
        .write_all(b"HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert_eq!(raw::read_answer(&mut reader, true).status, 200);
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert_eq!(raw::read_answer(&mut reader, false).json()["ok"], true);
}

#[test]
fn a_garbage_request_line_is_refused() {
    let service = Service::start(&workspace("rfc-garbage"), &[]);
    assert_refused(&service, "\x01\x02 garbage\r\n\r\n");
    assert_refused(&service, "GET\r\n\r\n");
    assert_refused(&service, "GET /health HTTP/1.1 extra\r\nHost: x\r\n\r\n");
}

/// RFC 9112 6.3: with both, `Transfer-Encoding` wins and the connection is closed after the
/// answer (hyper's choice among the two the RFC allows; the other is refusing).
#[test]
fn chunked_bodies_are_read_and_a_content_length_beside_them_ignored() {
    let service = Service::start(&workspace("rfc-chunked"), &[]);
    let (answer, closed) = raw::exchange(
        &service.address,
        b"POST /deals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n",
    );
    assert_eq!(answer.status, 401, "read, then refused: it has no token");
    assert!(!closed, "kept alive");
    let (answer, closed) = raw::exchange(
        &service.address,
        b"POST /deals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    );
    assert_eq!(answer.status, 401);
    assert!(closed);
}
