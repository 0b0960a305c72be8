//! Operating the server: its metrics, its logs (never a token or a password in them) and its
//! graceful shutdown (a request in flight on SIGTERM gets its whole answer, then the process
//! exits 0).
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod raw;
mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{add_user, workspace, Service};

/// The value of the sample `name` (with its labels, as written) in a metrics text.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .map(|value| value.parse().unwrap())
}

/// A deal of the bundled playbook that waits for Finance's approval of its discount.
fn discounted_deal(id: &str) -> Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/deals/11-discount-approval.yaml"),
    )
    .unwrap();
    let mut deal: Value = serde_yaml::from_str(&text).unwrap();
    let fields = deal.as_object_mut().unwrap();
    fields.remove("owner");
    fields.remove("history");
    deal["id"] = json!(id);
    deal
}

#[test]
fn metrics_count_requests_by_route_moves_refusals_approvals_and_the_feed() {
    let dir = workspace("ops-metrics");
    let mut service = Service::start(&dir, &[]);
    let admin = add_user(&dir, "ada", &["admin"], None);
    service.token = admin.clone();
    let fiona = add_user(&dir, "fiona", &["finance"], Some(&admin));
    let kang = add_user(&dir, "kang", &["manager"], Some(&admin));

    // In proposal & negotiation from the start: imported by the manager, for Ada.
    let mut deal = discounted_deal("DISC-7");
    deal["owner"] = json!("ada");
    let (status, created) = service.call_as(&kang, "POST", "/deals", Some(deal));
    assert_eq!(status, 201, "{created}");
    let (status, blocked) = service.call(
        "POST",
        "/deals/DISC-7/moves",
        Some(json!({ "to": "closing" })),
    );
    assert_eq!(status, 409, "waits for the approval: {blocked}");
    let blocked_code = blocked["code"].as_str().unwrap().to_owned();
    let approve = json!({ "criterion": "discount_approved" });
    let (status, approved) =
        service.call_as(&fiona, "POST", "/deals/DISC-7/approvals", Some(approve));
    assert_eq!(status, 200, "{approved}");
    let (status, moved) = service.call(
        "POST",
        "/deals/DISC-7/moves",
        Some(json!({ "to": "closing" })),
    );
    assert_eq!(status, 200, "{moved}");
    let (status, forced) = service.call_as(
        &kang,
        "POST",
        "/deals/DISC-7/moves",
        Some(json!({ "to": "onboarding", "force": "signed on paper" })),
    );
    assert_eq!(status, 200, "{forced}");
    let (status, _) = service.call_with(None, "GET", "/deals/DISC-7", None);
    assert_eq!(status, 401);
    let (status, _) = service.call("GET", "/deals/NOPE-1", None);
    assert_eq!(status, 404);

    let (status, _, body) = service.fetch("/metrics");
    assert_eq!(status, 200);
    let text = String::from_utf8(body).unwrap();
    let count = |name: &str| sample(&text, name).unwrap_or_else(|| panic!("no {name} in {text}"));
    assert_eq!(count("stagegate_moves_total"), 2.0);
    assert_eq!(count("stagegate_forced_moves_total"), 1.0);
    assert_eq!(count("stagegate_approvals_total"), 1.0);
    assert_eq!(
        count(&format!(
            "stagegate_refusals_total{{reason=\"{blocked_code}\"}}"
        )),
        1.0
    );
    assert_eq!(
        count("stagegate_refusals_total{reason=\"unauthorized\"}"),
        1.0
    );
    assert_eq!(count("stagegate_refusals_total{reason=\"not-found\"}"), 1.0);
    assert_eq!(
        count("stagegate_http_requests_total{method=\"POST\",route=\"/deals/{id}/moves\",status=\"200\"}"),
        2.0
    );
    assert_eq!(
        count("stagegate_http_request_duration_seconds_count{method=\"POST\",route=\"/deals/{id}/moves\"}"),
        3.0
    );
    // created, approved, moved twice: four changes at least, and their effects.
    assert!(count("stagegate_outbox_events") >= 4.0, "{text}");
    let age = count("stagegate_outbox_newest_age_seconds");
    assert!((0.0..60.0).contains(&age), "{age}");
    assert!(
        !text.contains("DISC-7") && !text.contains("NOPE-1"),
        "routes by template only: {text}"
    );
}

#[test]
fn logs_never_hold_a_token_and_json_lines_carry_each_request() {
    let dir = workspace("ops-logs");
    let admin = add_user(&dir, "ada", &["admin"], None);
    let db = support::db(&dir);
    let server = raw::Server::start(
        &dir,
        &["--db", &db, "--log-format", "json"],
        &[("RUST_LOG", "debug")],
    );
    let wrong: String = admin.chars().rev().collect();
    for (token, path) in [
        (&admin, "/me"),
        (&wrong, "/me"),
        (&admin, "/deals/ACME-1?lang=en"),
    ] {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nX-Request-Id: req-{}\r\n\r\n",
            path.len()
        );
        raw::exchange(&server.address, request.as_bytes());
    }
    server.terminate();
    let mut server = server;
    server.child.wait().unwrap();
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(!log.contains(&admin[8..]), "a token in the log: {log}");
    assert!(!log.contains(&wrong[8..]), "a token in the log: {log}");
    assert!(!log.to_lowercase().contains("bearer"), "{log}");
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let answered: Vec<&Value> = lines
        .iter()
        .filter(|l| l["message"] == "answered")
        .collect();
    assert_eq!(answered.len(), 3, "{log}");
    let span = &answered[0]["span"];
    assert_eq!(
        (
            &span["method"],
            &span["route"],
            &span["path"],
            &span["status"],
            &span["request_id"]
        ),
        (
            &"GET".into(),
            &"/me".into(),
            &"/me".into(),
            &200.into(),
            &"req-3".into()
        ),
        "{log}"
    );
    assert!(span["latency_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(answered[1]["span"]["status"], 401);
    assert_eq!(answered[2]["span"]["route"], "/deals/{id}");
    assert!(
        lines.iter().any(|l| l["message"] == "open files limit"),
        "{log}"
    );
}

#[test]
fn a_password_in_the_database_url_never_reaches_the_log() {
    let dir = workspace("ops-password");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stagegate-server"))
        .args(["--playbooks", "playbooks", "--addr", "127.0.0.1:0"])
        .args(["--db", "postgres://stagegate:s3cret-pw@127.0.0.1:9/deals"])
        .env("RUST_LOG", "debug")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success(), "no database there");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(!stderr.is_empty(), "it says why it stops");
    assert!(
        !stderr.contains("s3cret-pw") && !stdout.contains("s3cret-pw"),
        "{stderr}"
    );
    // The log line that names the store shows the URL without it.
    assert!(
        stderr.contains("postgres://stagegate:***@127.0.0.1:9/deals"),
        "{stderr}"
    );
    // The same through STAGEGATE_DB, for add-user.
    let output = Command::new(env!("CARGO_BIN_EXE_stagegate-server"))
        .args(["add-user", "ada", "--role", "admin"])
        .env(
            "STAGEGATE_DB",
            "postgres://stagegate:s3cret-pw@127.0.0.1:9/deals",
        )
        .env("RUST_LOG", "debug")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
}

#[test]
fn a_request_in_flight_on_sigterm_gets_its_whole_answer_then_the_server_exits_0() {
    let dir = workspace("ops-shutdown");
    // Also a manager: the deal in flight is imported in proposal & negotiation.
    let admin = add_user(&dir, "ada", &["admin", "manager"], None);
    let db = support::db(&dir);
    let mut server = raw::Server::start(&dir, &["--db", &db], &[]);
    let body = serde_json::to_string(&discounted_deal("GRACE-1")).unwrap();
    let (half, rest) = body.split_at(body.len() / 2);
    let (mut stream, mut reader) = raw::connect(&server.address);
    write!(
        stream,
        "POST /deals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {admin}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{half}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    // The server stops taking connections...
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        std::net::TcpStream::connect(&server.address).is_err(),
        "no new connection after the signal"
    );
    // ...but the upload in flight completes and is answered in full.
    stream.write_all(rest.as_bytes()).unwrap();
    let answer = raw::read_answer(&mut reader, false);
    assert_eq!(
        answer.status,
        201,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(answer.json()["deal"]["id"], "GRACE-1");
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(raw::closed(&mut reader));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(log.contains("every connection closed"), "{log}");
}
