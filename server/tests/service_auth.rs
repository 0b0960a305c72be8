//! The server's tokens, roles and clock, over HTTP: 401 without a token, with a wrong or
//! a revoked one; reload refused to a non-admin; the owner of a deal; `at` refused unless the
//! service was started with `--clock-from-requests`; no token or digest in any answer, log or
//! database file.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::{add_user, command, workspace, Service};

#[test]
fn tokens_roles_and_the_servers_clock() {
    let dir = workspace("service-auth");
    let mut service = Service::start(&dir, &[]);

    // Health needs no token; everything else does.
    let (status, _) = service.call_with(None, "GET", "/health", None);
    assert_eq!(status, 200);
    let (status, refused) = service.call_with(None, "GET", "/deals", None);
    assert_eq!(
        (status, refused["error"].clone()),
        (401, json!("unauthorized"))
    );
    assert!(refused["message"].as_str().unwrap().contains("Bearer"));

    // The first user must be an admin; then only an admin adds users.
    let (ok, _, stderr) = command(&dir, &["add-user", "rita", "--role", "rep"], None);
    assert!(
        !ok && stderr.contains("the first user must be an admin"),
        "{stderr}"
    );
    let admin = add_user(&dir, "ada", &["admin"], None);
    assert!(admin.len() >= 4 + 32, "at least 128 bits: {admin}");
    let (ok, _, stderr) = command(&dir, &["add-user", "rita", "--role", "rep"], None);
    assert!(!ok && stderr.contains("set STAGEGATE_TOKEN"), "{stderr}");
    let rep = add_user(&dir, "rita", &["rep"], Some(&admin));
    let (ok, _, stderr) = command(&dir, &["add-user", "rita", "--role", "rep"], Some(&admin));
    assert!(
        !ok && stderr.contains("--rotate"),
        "re-adding is refused: {stderr}"
    );
    let (ok, _, stderr) = command(&dir, &["add-user", "bo", "--role", "rep"], Some(&rep));
    assert!(!ok && stderr.contains("needs the role `admin`"), "{stderr}");
    let manager = add_user(&dir, "mia", &["manager"], Some(&admin));

    // Wrong tokens and wrong schemes: 401, and the token is not repeated.
    // The last character changed (to `0`, or to `1` when it is `0` already: a token ending in
    // `0` made the same token, one run in sixteen).
    let last = if rep.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &rep[..rep.len() - 1]);
    for header in [
        format!("Bearer {wrong}"),
        format!("Basic {rep}"),
        "Bearer".to_owned(),
    ] {
        let (status, refused) = service.call_with(Some(&header), "GET", "/deals", None);
        assert_eq!(status, 401, "{header}: {refused}");
        assert!(!refused.to_string().contains(&rep[4..]), "{refused}");
    }

    // Reload needs an admin.
    let (status, refused) = service.call_as(&rep, "POST", "/playbooks/reload", None);
    assert_eq!(
        (status, refused["error"].clone()),
        (403, json!("forbidden"))
    );
    assert!(refused["message"].as_str().unwrap().contains("`admin`"));
    let (status, _) = service.call_as(&admin, "POST", "/playbooks/reload", None);
    assert_eq!(status, 200);

    // The creator owns a deal; only a manager names another owner; nobody names an actor.
    let (status, created) = service.call_as(&rep, "POST", "/deals", Some(json!({ "id": "R-1" })));
    assert_eq!(
        (status, created["owner"].clone()),
        (201, json!("rita")),
        "{created}"
    );
    let (status, _) = service.call_as(
        &rep,
        "POST",
        "/deals",
        Some(json!({ "id": "R-2", "owner": "ada" })),
    );
    assert_eq!(status, 403);
    let (status, created) = service.call_as(
        &manager,
        "POST",
        "/deals",
        Some(json!({ "id": "M-1", "owner": "rita" })),
    );
    assert_eq!(
        (status, created["owner"].clone()),
        (201, json!("rita")),
        "{created}"
    );
    let (status, _) = service.call_as(
        &manager,
        "POST",
        "/deals",
        Some(json!({ "id": "M-2", "owner": "nobody" })),
    );
    assert_eq!(status, 400);
    let (_, listed) = service.call_as(&rep, "GET", "/deals", None);
    assert_eq!(listed["deals"][1]["owner"], "rita");
    let (status, refused) = service.call_as(
        &rep,
        "POST",
        "/deals/R-1/moves",
        Some(json!({ "to": "qualification", "actor": "ada" })),
    );
    assert_eq!(status, 400, "{refused}");

    // The server's clock decides: `at` is refused, in the query and in the body.
    let (status, refused) = service.call_as(&rep, "GET", "/deals/R-1?at=2026-11-27", None);
    assert_eq!(status, 400);
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("--clock-from-requests"));
    let (status, _) = service.call_as(
        &rep,
        "POST",
        "/deals/R-1/moves",
        Some(json!({ "to": "qualification", "at": "2020-01-01" })),
    );
    assert_eq!(status, 400);
    // The bundled playbook lets only a manager force a blocked move.
    let (status, refused) = service.call_as(
        &rep,
        "POST",
        "/deals/R-1/moves",
        Some(json!({ "to": "qualification", "force": "referral" })),
    );
    assert_eq!(status, 403, "{refused}");
    let (status, moved) = service.call_as(
        &manager,
        "POST",
        "/deals/R-1/moves",
        Some(json!({ "to": "qualification", "force": "referral" })),
    );
    assert_eq!(status, 200, "{moved}");
    let last = moved["deal"]["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert!(
        last["at"].as_str().unwrap() > "2026",
        "the server's clock: {last}"
    );

    // Revoked: the token stops working at once. Rotated: the old token stops, the new one works.
    let (ok, _, stderr) = command(&dir, &["revoke-user", "rita"], Some(&admin));
    assert!(ok, "{stderr}");
    let (status, _) = service.call_as(&rep, "GET", "/deals", None);
    assert_eq!(status, 401, "a revoked token");
    let (ok, rotated, stderr) = command(&dir, &["add-user", "mia", "--rotate"], Some(&admin));
    assert!(ok, "{stderr}");
    let rotated = rotated.trim();
    assert_eq!(service.call_as(&manager, "GET", "/deals", None).0, 401);
    assert_eq!(service.call_as(rotated, "GET", "/deals", None).0, 200);

    // No token or digest anywhere but in the add-user output.
    service.token = admin.clone();
    let answers = service.answers.lock().unwrap().clone();
    service.stop();
    let log = std::fs::read_to_string(dir.join("service.log")).unwrap();
    let database = support::stored_text(&dir);
    let mut digests: Vec<String> = support::digests(&dir)
        .iter()
        .map(|d| d.iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    assert_eq!(digests.len(), 2, "ada and mia are left");
    digests.sort();
    for token in [&admin, &rep, &manager, &rotated.to_owned(), &wrong] {
        let secret = &token[4..];
        assert!(!answers.contains(secret), "a token in an answer");
        assert!(!log.contains(secret), "a token in the log");
        assert!(!database.contains(secret), "a token in the database");
    }
    for digest in &digests {
        assert!(!answers.contains(digest.as_str()) && !log.contains(digest.as_str()));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
