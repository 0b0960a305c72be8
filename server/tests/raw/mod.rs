//! What the HTTP tests share: answers read off a raw socket (as a client that sends exactly the
//! bytes a test writes sees them), and a server started with its own environment, whose process
//! the test holds (to signal it, to read its log).
// Each test file uses its own part of these.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, ErrorKind, Read};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One answer as sent: its status, its head's header lines (names lowercase) and its body
/// (de-chunked when it came in chunks).
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&self.body));
        })
    }
}

/// A connection to `address` (reads time out after 10 s) and a reader on it.
pub fn connect(address: &str) -> (TcpStream, BufReader<TcpStream>) {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let reader = BufReader::new(stream.try_clone().unwrap());
    (stream, reader)
}

/// Reads one answer; `to_head` says it answers a HEAD request (no body follows its head).
pub fn read_answer(reader: &mut BufReader<TcpStream>, to_head: bool) -> Answer {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no status line: {status_line:?}"))
        .parse()
        .unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    if to_head {
        return answer;
    }
    if answer.header("transfer-encoding") == Some("chunked") {
        answer.body = chunked(reader);
    } else {
        let length = answer
            .header("content-length")
            .map_or(0, |l| l.parse().unwrap());
        answer.body = vec![0; length];
        reader.read_exact(&mut answer.body).unwrap();
    }
    answer
}

/// A chunked body's bytes.
fn chunked(reader: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

/// Whether the server closed the connection (nothing more to read), waiting at most 10 s.
pub fn closed(reader: &mut BufReader<TcpStream>) -> bool {
    let mut rest = Vec::new();
    match reader.read_to_end(&mut rest) {
        Ok(0) => true,
        Ok(_) => false,
        Err(error) => matches!(
            error.kind(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
        ),
    }
}

/// Sends `request` on a new connection: the answer, and whether the connection was then closed.
pub fn exchange(address: &str, request: &[u8]) -> (Answer, bool) {
    use std::io::Write;
    let (mut stream, mut reader) = connect(address);
    stream.write_all(request).unwrap();
    let answer = read_answer(&mut reader, false);
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let closed = closed(&mut reader);
    (answer, closed)
}

/// A server process the test holds, its log on standard error in `dir/server.log`.
pub struct Server {
    pub child: Child,
    pub address: String,
}

impl Server {
    /// Starts the server in `dir` (with its playbooks) on a free port, with `args` and `env`.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_stagegate-server"))
            .args(["--playbooks", "playbooks", "--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let (_, address) = crate::support::listening(&mut child);
        Server { child, address }
    }

    /// Sends the process SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    /// Also when a test fails: no server outlives its test.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
