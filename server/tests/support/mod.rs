//! What the tests of the server share: starting it, calling it over HTTP with a token, adding
//! users, and the store each test gets: a fresh PostgreSQL database when `STAGEGATE_TEST_POSTGRES`
//! names a server the tests may create databases in, else a SQLite file in the test's directory.
// Each test file uses its own part of these.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use serde_json::Value;

mod pg;

pub const BUNDLED: &str = include_str!("../../../playbooks/b2b-sales.yaml");

/// The server's binary, built by cargo before the tests run.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_stagegate-server"))
}

/// A running service, the address it listens on, the token its calls send and every answer it
/// gave.
pub struct Service {
    child: Child,
    pub address: String,
    pub token: String,
    pub answers: Mutex<String>,
}

/// The line a started server prints on standard output once it serves, and the address in it.
pub fn listening(child: &mut Child) -> (String, String) {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (line, address)
}

impl Service {
    /// Starts the service on a free loopback port, its stderr in `dir/service.log`.
    pub fn start(dir: &Path, more: &[&str]) -> Service {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("service.log"))
            .unwrap();
        let mut child = Command::new(binary())
            .args([
                "--playbooks",
                "playbooks",
                "--db",
                &db(dir),
                "--addr",
                "127.0.0.1:0",
                "--lang",
                "en",
            ])
            .args(more)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let (line, address) = listening(&mut child);
        Service {
            child,
            address,
            token: String::new(),
            answers: Mutex::new(line),
        }
    }

    /// One request with the service's token: status and JSON body.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let authorization = format!("Bearer {}", self.token);
        self.call_with(Some(&authorization), method, path, body)
    }

    /// One request with this `Authorization` header (or none).
    pub fn call_with(
        &self,
        authorization: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let authorization = authorization
            .map(|a| format!("Authorization: {a}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{authorization}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.address,
            body.len()
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let (status, head, body) = response(&raw);
        let body = String::from_utf8(body).unwrap();
        self.answers
            .lock()
            .unwrap()
            .push_str(&format!("{head}\r\n\r\n{body}"));
        (
            status,
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")),
        )
    }

    /// One request with `token`.
    pub fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.call_with(Some(&format!("Bearer {token}")), method, path, body)
    }

    /// A `GET` without a token: status, headers and body as sent.
    pub fn fetch(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        response(&raw)
    }

    pub fn stop(self) {}

    /// Sends SIGTERM, as an operator stopping it would.
    pub fn terminate(&mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Whether the service's process exits within `within`.
    pub fn exits_within(&mut self, within: std::time::Duration) -> bool {
        let started = std::time::Instant::now();
        while started.elapsed() < within {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Service {
    /// Also when a test fails: no service outlives its test.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response's status, head and body (the service always sends a `Content-Length` body).
fn response(raw: &[u8]) -> (u16, String, Vec<u8>) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..end].to_vec()).unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[end + 4..].to_vec())
}

/// Runs `stagegate-server <args>` in `dir` with `STAGEGATE_TOKEN` set to `admin` (if given):
/// whether it succeeded, its stdout and its stderr.
pub fn command(dir: &Path, args: &[&str], admin: Option<&str>) -> (bool, String, String) {
    let mut command = Command::new(binary());
    command
        .args(args)
        .args(["--db", &db(dir)])
        .current_dir(dir)
        .env_remove("STAGEGATE_TOKEN");
    if let Some(admin) = admin {
        command.env("STAGEGATE_TOKEN", admin);
    }
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A new user's token, from `add-user`.
pub fn add_user(dir: &Path, id: &str, roles: &[&str], admin: Option<&str>) -> String {
    let mut args = vec!["add-user", id];
    for role in roles {
        args.extend(["--role", role]);
    }
    let (ok, stdout, stderr) = command(dir, &args, admin);
    assert!(ok, "add-user {id}: {stderr}");
    assert!(stderr.contains("shown this once"), "{stderr}");
    stdout.trim().to_owned()
}

/// A fresh directory with the bundled playbook, and a fresh database when the tests run on
/// PostgreSQL (its URL kept in the directory's `postgres-url`).
pub fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stagegate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("playbooks")).unwrap();
    std::fs::write(dir.join("playbooks/b2b-sales.yaml"), BUNDLED).unwrap();
    if let Some(server) = postgres_server() {
        let url = pg::fresh_database(&server, name);
        std::fs::write(dir.join("postgres-url"), url).unwrap();
    }
    dir
}

/// The PostgreSQL server the tests may create databases in: `STAGEGATE_TEST_POSTGRES`.
pub fn postgres_server() -> Option<String> {
    std::env::var("STAGEGATE_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// The store of the workspace `dir`, as `--db` takes it: its database's URL, or its SQLite file.
pub fn db(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("postgres-url")).unwrap_or_else(|_| "deals.sqlite3".to_owned())
}

/// Whether the workspace's store holds the server's tables (created at first start).
pub fn store_created(dir: &Path) -> bool {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => !pg::rows(&url, "SELECT to_regclass('deals')::text").is_empty(),
        Err(_) => dir.join("deals.sqlite3").exists(),
    }
}

/// Runs one SQL statement on the workspace's store; the rows it changed.
pub fn execute(dir: &Path, statement: &str) -> u64 {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => pg::execute(&url, statement),
        Err(_) => {
            let connection = rusqlite::Connection::open(dir.join("deals.sqlite3")).unwrap();
            connection.execute(statement, []).unwrap() as u64
        }
    }
}

/// The users' token digests, as stored.
pub fn digests(dir: &Path) -> Vec<Vec<u8>> {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => pg::digests(&url),
        Err(_) => {
            let connection = rusqlite::Connection::open(dir.join("deals.sqlite3")).unwrap();
            let mut statement = connection
                .prepare("SELECT token_sha256 FROM users")
                .unwrap();
            let digests = statement
                .query_map([], |row| row.get::<_, Vec<u8>>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            digests
        }
    }
}

/// Everything the store holds, as text (the SQLite files' bytes; every PostgreSQL row as text):
/// to check that a secret is nowhere in it.
pub fn stored_text(dir: &Path) -> String {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => pg::everything(&url),
        Err(_) => {
            let bytes: Vec<u8> = ["deals.sqlite3", "deals.sqlite3-wal"]
                .iter()
                .filter_map(|f| std::fs::read(dir.join(f)).ok())
                .flatten()
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// Puts a playbook file where the workspace's server loads playbooks from on a plain reload: the
/// playbooks directory, or the PostgreSQL store (as if published there by another hand).
pub fn write_playbook(dir: &Path, name: &str, text: &str) {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => pg::put_playbook(&url, name, text),
        Err(_) => std::fs::write(dir.join("playbooks").join(name), text).unwrap(),
    }
}

/// The text of a playbook file where the workspace's server keeps it.
pub fn read_playbook(dir: &Path, name: &str) -> String {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => pg::playbook(&url, name),
        Err(_) => std::fs::read_to_string(dir.join("playbooks").join(name)).unwrap(),
    }
}

/// The PostgreSQL server of a PostgreSQL-only test, or `None` after saying why the test is skipped.
/// With `STAGEGATE_REQUIRE_POSTGRES=1` (as CI sets it) a missing server fails the test instead.
pub fn postgres_or_skip(test: &str) -> Option<String> {
    if let Some(server) = postgres_server() {
        return Some(server);
    }
    let required = std::env::var("STAGEGATE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{test}: STAGEGATE_REQUIRE_POSTGRES=1 but STAGEGATE_TEST_POSTGRES names no PostgreSQL server"
    );
    // Past the test harness's capture, so that a plain `cargo test` shows it.
    let line = format!(
        "skipped {test}: it needs PostgreSQL; set STAGEGATE_TEST_POSTGRES=postgres://USER@HOST:PORT/DB (a server the tests may create databases in; .ci/postgres.sh starts one)\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    None
}

/// One request that may fail (the server killed meanwhile): status and JSON body, or `None`.
pub fn try_call(
    address: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .ok()?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8(raw[..end].to_vec()).ok()?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, serde_json::from_slice(&raw[end + 4..]).ok()?))
}

/// A PostgreSQL URL of a port of this machine nothing listens on.
pub fn pg_port_closed(_server: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("postgres://postgres@127.0.0.1:{port}/nothing")
}

/// Ends every connection to `database` on `server`, as a restart of PostgreSQL would.
pub fn pg_terminate(server: &str, database: &str) {
    pg::terminate(server, database);
}

/// The rows of `query` on the database `url`, the first column as text.
pub fn pg_rows(url: &str, query: &str) -> Vec<String> {
    pg::rows(url, query)
}
