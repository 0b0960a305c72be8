//! HTTP/1.1 over TCP, as little as this service needs: a thread per connection (so a browser's
//! idle keep-alive connections never hold up a new one), requests read with a size limit and a
//! `Content-Length` body, keep-alive until the client closes or is idle for `IDLE`.

use stagegate::{Problem, ProblemKind};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A connection with no request for this long is closed.
const IDLE: Duration = Duration::from_secs(60);

/// Connections served at once; one more is answered 503 and closed.
const MAX_CONNECTIONS: usize = 256;

/// The request line and headers may not be longer than this.
const MAX_HEAD: u64 = 64 * 1024;

/// One request: its method, target (path and query), headers and body.
pub struct Request {
    /// Whether the client speaks HTTP/1.0 (whose connections close unless asked to stay open).
    pub old_http: bool,
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// Why a request could not be read: answered with this status and message, then closed.
struct Unreadable(u16, &'static str);

/// Serves every connection of `listener` with `handle`, each on its own thread, forever.
pub fn serve(
    listener: TcpListener,
    handle: Arc<dyn Fn(Request) -> Response + Send + Sync>,
    max_body: u64,
) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::AcqRel);
            let _ = write_response(
                &mut stream,
                &plain(503, "too many connections; try again"),
                true,
            );
            continue;
        }
        let (handle, held) = (Arc::clone(&handle), Arc::clone(&open));
        let spawned = std::thread::Builder::new().spawn(move || {
            connection(stream, handle.as_ref(), max_body);
            held.fetch_sub(1, Ordering::AcqRel);
        });
        if spawned.is_err() {
            // The thread could not start: its connection was dropped with it.
            open.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Requests of one connection, answered in order, until it closes.
fn connection(
    stream: TcpStream,
    handle: &(dyn Fn(Request) -> Response + Send + Sync),
    max_body: u64,
) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer, max_body) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(Unreadable(status, message)) => {
                let _ = write_response(&mut writer, &plain(status, message), true);
                return;
            }
        };
        let connection = request.header("Connection").map(str::to_ascii_lowercase);
        let close = match connection.as_deref() {
            Some(value) if value.contains("close") => true,
            Some(value) if value.contains("keep-alive") => false,
            _ => request.old_http,
        };
        let response = handle(request);
        if write_response(&mut writer, &response, close).is_err() || close {
            return;
        }
    }
}

/// The next request, or `None` when the client closed the connection (or went idle) between
/// requests.
fn read_request(
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
    max_body: u64,
) -> Result<Option<Request>, Unreadable> {
    let mut head = reader.by_ref().take(MAX_HEAD);
    let mut line = String::new();
    // Empty lines before a request are allowed (RFC 9112, 2.2).
    loop {
        line.clear();
        match head.read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) if line.trim().is_empty() => continue,
            Ok(_) => break,
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(Unreadable(
            400,
            "the request line must read `METHOD /path HTTP/1.1`",
        ));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(Unreadable(505, "this service speaks HTTP/1.1"));
    }
    let (method, target, old_http) = (method.to_owned(), target.to_owned(), version == "HTTP/1.0");
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        match head.read_line(&mut header) {
            Ok(0) => return Err(Unreadable(400, "the request ended inside its headers")),
            Err(_) => return Err(Unreadable(400, "the headers could not be read")),
            Ok(_) => {}
        }
        if !header.ends_with('\n') {
            return Err(Unreadable(431, "the request's headers are over 64 KiB"));
        }
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(Unreadable(400, "a header line must read `Name: value`"));
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        old_http,
        method,
        target,
        headers,
        body: Vec::new(),
    };
    if request.header("Transfer-Encoding").is_some() {
        return Err(Unreadable(
            411,
            "send the body with a Content-Length, not in chunks",
        ));
    }
    let length: u64 = match request.header("Content-Length").map(str::parse) {
        None => 0,
        Some(Ok(length)) => length,
        Some(Err(_)) => return Err(Unreadable(400, "Content-Length must be a whole number")),
    };
    if length > max_body {
        return Err(Unreadable(413, "the body is over 1 MiB"));
    }
    if length > 0 {
        if request
            .header("Expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            let _ = writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }
        // `length` is at most `max_body`, which fits in memory.
        let mut body = vec![0; usize::try_from(length).unwrap_or(0)];
        if reader.read_exact(&mut body).is_err() {
            return Err(Unreadable(
                400,
                "the body is shorter than its Content-Length",
            ));
        }
        request.body = body;
    }
    Ok(Some(request))
}

/// The JSON error answer for a request that could not be read, in the contract's one shape.
fn plain(status: u16, message: &str) -> Response {
    let (kind, code) = match status {
        411 => (ProblemKind::Request, "length-required"),
        413 => (ProblemKind::TooLarge, "too-large"),
        431 => (ProblemKind::Request, "headers-too-large"),
        503 => (ProblemKind::Unavailable, "unavailable"),
        505 => (ProblemKind::Request, "http-version"),
        _ => (ProblemKind::Request, "unreadable-request"),
    };
    let body = Problem::new(kind, code, message).to_json();
    Response {
        status,
        headers: vec![("Content-Type", "application/json; charset=utf-8".to_owned())],
        body: format!("{body}\n").into_bytes(),
    }
}

fn write_response(stream: &mut TcpStream, response: &Response, close: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        response.body.len(),
        if close { "close" } else { "keep-alive" }
    ));
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}
