//! What the pipeline board and the workbench read from the server: the board's columns
//! and cards, a playbook's outline, the caller, answers in the reader's language, a move's
//! effects, the playbooks' files published by an admin (checked before anything is written), and
//! the pages served without a token.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service, BUNDLED};

/// A service with an admin (`ada`, also a manager), a rep (`rex`) and two deals.
fn started(name: &str, more: &[&str]) -> (std::path::PathBuf, Service, String) {
    let dir = workspace(name);
    let mut args = vec!["--clock-from-requests"];
    args.extend(more);
    let mut service = Service::start(&dir, &args);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    let rep = add_user(&dir, "rex", &["rep"], Some(&service.token));
    for deal in [
        json!({
            "id": "ACME-1", "stage": "qualification", "owner": "rex",
            "fields": { "amount": 42000, "budget": 50000 },
            "history": [{ "at": "2026-11-01T09:00:00Z", "to": "qualification" }]
        }),
        json!({
            "id": "GONE-2", "stage": "lost", "owner": "rex",
            "history": [{ "at": "2026-10-01", "to": "lost" }]
        }),
    ] {
        // Deals with a history of their own: imported by the manager, for the rep.
        let (status, body) = service.call("POST", "/deals?at=2026-11-27", Some(deal));
        assert_eq!(status, 201, "{body}");
    }
    (dir, service, rep)
}

#[test]
fn the_board_has_a_column_per_main_path_stage_and_a_card_per_deal() {
    let (_dir, service, rep) = started("board", &[]);
    let (status, me) = service.call_as(&rep, "GET", "/me", None);
    assert_eq!(
        (status, me),
        (200, json!({ "id": "rex", "roles": ["rep"] }))
    );

    let (status, board) = service.call_as(&rep, "GET", "/board?at=2026-12-05T08:59:59Z", None);
    assert_eq!(status, 200, "{board}");
    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&board["columns"]),
        [
            "lead_generation",
            "qualification",
            "needs_analysis",
            "proposal_negotiation",
            "closing",
            "onboarding",
            "retention_expansion"
        ]
    );
    assert_eq!(
        ids(&board["closed"]),
        ["lost", "churned"],
        "outcomes stand off the main path"
    );
    assert_eq!(
        board["columns"][1]["title"], "Qualification",
        "the service's --lang"
    );
    assert_eq!(
        ids(&board["cards"]),
        ["ACME-1", "GONE-2"],
        "a lost deal keeps its card"
    );
    let card = &board["cards"][0];
    assert_eq!(card["value"], 42000);
    assert_eq!(card["owner"], "rex");
    assert_eq!(
        card["stages"],
        json!([{ "stage": "qualification", "since": "2026-11-01T09:00:00Z", "days": 33, "max_days": 30 }]),
        "33 whole days: the part day is not counted"
    );
    assert_eq!(card["warnings"][0]["kind"], "stalled");
    assert_eq!(card["scores"][0]["id"], "lead");
    assert_eq!(card["scores"][0]["title"], "Lead score");
    assert!(card["scores"][0]["band"].is_string(), "{card}");

    // A deal in two stages at once has a card in each; an open task past due is marked.
    // Imported by the manager: a deal in two stages, with its tasks and history.
    let (status, body) = service.call(
        "POST",
        "/deals?at=2026-11-27",
        Some(json!({
            "id": "FORK-3", "stages": ["needs_analysis", "retention_expansion"], "owner": "rex",
            "tasks": { "stakeholder_mapping": { "stage": "needs_analysis", "due": "2026-12-01T00:00:00Z", "assignee": "rex" } },
            "history": [
                { "at": "2026-11-20T00:00:00Z", "to": "needs_analysis" },
                { "at": "2026-11-21T00:00:00Z", "to": "retention_expansion" }
            ]
        })),
    );
    assert_eq!(status, 201, "{body}");
    let (_, board) = service.call_as(&rep, "GET", "/board?at=2026-12-05T08:59:59Z", None);
    let fork = board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "FORK-3")
        .unwrap();
    let stages: Vec<&str> = fork["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["needs_analysis", "retention_expansion"]);
    assert_eq!(fork["stages"][1]["days"], 14);
    let overdue = fork["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "overdue")
        .unwrap();
    assert_eq!(
        (overdue["activity"].as_str(), overdue["days"].as_i64()),
        (Some("stakeholder_mapping"), Some(5)),
        "{overdue}"
    );

    // The reader's language: titles, warnings and blockers.
    let (_, korean) = service.call_as(&rep, "GET", "/board?lang=ko", None);
    assert_eq!(korean["language"], "ko");
    assert_eq!(korean["columns"][1]["title"], "자격 검증");
    let (status, blocked) = service.call_as(
        &rep,
        "POST",
        "/deals/ACME-1/moves?lang=ko&at=2026-11-27",
        Some(json!({ "to": "needs_analysis" })),
    );
    assert_eq!(status, 409);
    let messages: Vec<&str> = blocked["move"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("의사결정권자")),
        "{messages:?}"
    );

    let (status, bad) = service.call_as(&rep, "GET", "/board?playbook=nope", None);
    assert_eq!(status, 404);
    assert!(
        bad["message"].as_str().unwrap().contains("b2b-sales@1"),
        "{bad}"
    );
}

#[test]
fn a_deal_that_no_longer_fits_is_listed_as_unfit_not_dropped() {
    let (dir, service, rep) = started("board-unfit", &[]);
    // A deal written before a field changed type (here: written into the database by hand).
    let changed = support::execute(
        &dir,
        "UPDATE deals SET document = replace(document, '\"budget\":50000', '\"budget\":\"lots\"') WHERE id = 'ACME-1'",
    );
    assert_eq!(changed, 1);
    let (status, board) = service.call_as(&rep, "GET", "/board", None);
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["cards"].as_array().unwrap().len(), 1);
    assert_eq!(board["unfit"][0]["id"], "ACME-1");
    assert!(
        board["unfit"][0]["message"]
            .as_str()
            .unwrap()
            .contains("budget"),
        "{board}"
    );
}

#[test]
fn the_outline_offers_fields_activities_and_roles_in_the_readers_language() {
    let (_dir, service, rep) = started("outline", &[]);
    let (status, outline) =
        service.call_as(&rep, "GET", "/playbooks/b2b-sales@1/outline?lang=en", None);
    assert_eq!(status, 200, "{outline}");
    let field = |id: &str| {
        outline["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(field("industry")["type"], "enum");
    assert!(field("industry")["values"].as_array().unwrap().len() > 2);
    assert_eq!(field("last_touch")["type"], "date");
    let qualification = &outline["stages"][1];
    assert_eq!(qualification["id"], "qualification");
    assert!(qualification["activities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == "discovery_call" && a["required"] == true));
    assert_eq!(outline["force"], json!(["manager"]));
    assert_eq!(
        outline["scorecards"][0],
        json!({ "id": "lead", "title": "Lead score" })
    );
    assert!(outline["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "manager" && r["title"] == "Sales manager"));
    // The contract's outline, the one the workbench reads from the engine; the keys above kept.
    let playbook = stagegate::Playbook::from_yaml(BUNDLED, "b2b-sales.yaml").unwrap();
    assert_eq!(
        outline,
        serde_json::to_value(playbook.outline("en")).unwrap()
    );
    assert_eq!(field("amount")["money"], true);
    assert_eq!(
        field("industry")["values"][1],
        json!({ "id": "finance", "title": "Finance" })
    );
    assert_eq!(outline["currency"], "USD");
    assert_eq!(outline["deal_name"], "company");
    assert_eq!(outline["expected_close"], "close_date");
    assert_eq!(outline["approvals"][0]["criterion"], "discount_approved");
    let (status, korean) =
        service.call_as(&rep, "GET", "/playbooks/b2b-sales@1/outline?lang=ko", None);
    assert_eq!(status, 200, "{korean}");
    assert_eq!(korean["stages"][1]["title"], "자격 검증");
    let industry = korean["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "industry")
        .unwrap();
    assert_eq!(
        industry["values"][1],
        json!({ "id": "finance", "title": "금융" })
    );
    let (status, _) = service.call_as(&rep, "GET", "/playbooks/nope@1/outline", None);
    assert_eq!(status, 404);
}

#[test]
fn a_move_made_answers_with_its_effects() {
    let (_dir, service, rep) = started("board-effects", &[]);
    let (status, moved) = service.call_as(
        &rep,
        "POST",
        "/deals/ACME-1/moves?at=2026-11-27",
        Some(json!({ "to": "lost" })),
    );
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["deal"]["stages"], json!(["lost"]));
    let (_, events) = service.call("GET", "/events", None);
    let logged: Vec<Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["effect"].is_null())
        .map(|e| e["effect"].clone())
        .collect();
    assert_eq!(
        moved["effects"],
        json!(logged),
        "the answer and the outbox say the same"
    );
}

#[test]
fn an_admin_publishes_playbooks_only_when_every_file_loads() {
    let (dir, service, rep) = started("publish", &[]);
    let (status, refused) = service.call_as(&rep, "GET", "/playbooks/sources", None);
    assert_eq!(status, 403, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("`admin`"));
    let (status, sources) = service.call("GET", "/playbooks/sources", None);
    assert_eq!(status, 200);
    assert_eq!(
        sources["files"],
        json!([{ "name": "b2b-sales.yaml", "text": BUNDLED }])
    );

    // Broken: refused with its diagnostics, nothing written, the old version serves.
    let broken = BUNDLED.replacen("max_days: 30", "max_days: thirty", 1);
    let (status, refused) = service.call(
        "POST",
        "/playbooks/reload",
        Some(json!({ "files": { "b2b-sales.yaml": broken } })),
    );
    assert_eq!(status, 422, "{refused}");
    let diagnostic = &refused["diagnostics"][0];
    assert_eq!(diagnostic["file"], "b2b-sales.yaml", "{diagnostic}");
    assert!(diagnostic["line"].as_u64().unwrap() > 1, "{diagnostic}");
    assert_eq!(support::read_playbook(&dir, "b2b-sales.yaml"), BUNDLED);
    let (status, _) = service.call_as(
        &rep,
        "POST",
        "/playbooks/reload",
        Some(json!({ "files": { "b2b-sales.yaml": BUNDLED } })),
    );
    assert_eq!(status, 403, "a rep does not publish");
    for name in ["../escape.yaml", ".hidden.yaml", "notes.txt"] {
        let (status, refused) = service.call(
            "POST",
            "/playbooks/reload",
            Some(json!({ "files": { name: BUNDLED } })),
        );
        assert_eq!(status, 400, "{name}: {refused}");
    }
    assert!(!dir.join("escape.yaml").exists());

    // A new version: written and loaded beside the old one.
    let next = BUNDLED.replacen("version: 1", "version: 2", 1);
    assert_ne!(next, BUNDLED);
    let (status, published) = service.call(
        "POST",
        "/playbooks/reload",
        Some(json!({ "files": { "b2b-sales-v2.yaml": next } })),
    );
    assert_eq!(status, 200, "{published}");
    assert_eq!(
        published["playbooks"],
        json!(["b2b-sales@1", "b2b-sales@2"])
    );
    assert_eq!(support::read_playbook(&dir, "b2b-sales-v2.yaml"), next);
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("playbooks"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left: {leftovers:?}"
    );
}

#[test]
fn the_pages_are_served_without_a_token_and_only_from_their_directory() {
    let dir = workspace("pages-missing");
    let service = Service::start(&dir, &[]);
    let (status, _, body) = service.fetch("/");
    assert_eq!(status, 404);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("npm --prefix web run build"));
    drop(service);

    let dir = workspace("pages");
    std::fs::create_dir_all(dir.join("site/pkg")).unwrap();
    std::fs::write(
        dir.join("site/board.html"),
        "<!doctype html><title>board</title>",
    )
    .unwrap();
    std::fs::write(dir.join("site/pkg/engine.wasm"), b"\0asm").unwrap();
    std::fs::write(dir.join("secret.yaml"), "no").unwrap();
    let service = Service::start(&dir, &["--web", "site"]);
    let (status, head, body) = service.fetch("/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert_eq!(body, b"<!doctype html><title>board</title>");
    std::fs::write(dir.join("site/index.html"), "workbench").unwrap();
    let (status, _, body) = service.fetch("/web/");
    assert_eq!(
        (status, body.as_slice()),
        (200, &b"workbench"[..]),
        "the directory is its index.html"
    );
    let (status, head, body) = service.fetch("/web/pkg/engine.wasm");
    assert_eq!(status, 200);
    assert!(head.contains("application/wasm"), "{head}");
    assert_eq!(body, b"\0asm");
    for path in [
        "/web/../secret.yaml",
        "/web/%2e%2e/secret.yaml",
        "/web/pkg%2f..%2f..%2fsecret.yaml",
        "/web/nothing.js",
    ] {
        let (status, _, body) = service.fetch(path);
        assert_eq!(status, 404, "{path}: {}", String::from_utf8_lossy(&body));
    }
    let (status, _) = service.call_with(None, "GET", "/board", None);
    assert_eq!(status, 401, "the data needs a token");
}
