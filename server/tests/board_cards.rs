//! A board card's name and expected close date: the playbook's `deal_name:` and
//! `expected_close:` fields as the card shows them (the date as the day in the playbook's time
//! zone), null where a deal leaves them empty; the board's search finds a deal by its name.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{add_user, workspace, Service, BUNDLED};

/// The time every request is evaluated at.
const AT: &str = "2026-12-05T08:59:59Z";

/// A service whose bundled playbook reads dates in Seoul, with a rep (`rex`) who owns three deals
/// in qualification: one with a name and a close date, one with a close time late on a UTC day
/// (the next day in Seoul), one with neither.
fn started(name: &str) -> Service {
    let dir = workspace(name);
    let seoul = BUNDLED.replacen(
        "languages: [ko, en]\n",
        "languages: [ko, en]\ntimezone: Asia/Seoul\n",
        1,
    );
    assert_ne!(seoul, BUNDLED, "the time zone is written");
    std::fs::write(dir.join("playbooks/b2b-sales.yaml"), seoul).unwrap();
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    add_user(&dir, "rex", &["rep"], Some(&service.token));
    let deals = [
        json!({ "company": "Hanbit Robotics", "close_date": "2026-12-20", "amount": 42000 }),
        json!({ "company": "Daehan Logistics", "close_date": "2026-12-20T20:00:00Z" }),
        json!({ "amount": 1000, "decision_maker": "CFO" }),
    ];
    for (n, fields) in deals.into_iter().enumerate() {
        let deal = json!({
            "id": format!("C-{}", n + 1), "stage": "qualification", "fields": fields, "owner": "rex",
            "history": [{ "at": "2026-11-30T09:00:00Z", "to": "qualification" }]
        });
        let (status, body) = service.call("POST", "/deals?at=2026-12-01", Some(deal));
        assert_eq!(status, 201, "{body}");
    }
    service
}

/// `GET /board?<query>&at=AT`: the answer, which must be 200.
fn board(service: &Service, query: &str) -> Value {
    let (status, body) = service.call("GET", &format!("/board?at={AT}&{query}"), None);
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The card of `id` in a board answer.
fn card<'b>(board: &'b Value, id: &str) -> &'b Value {
    board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no card {id} in {board}"))
}

/// The ids of the cards of a board answer, in order.
fn card_ids(board: &Value) -> Vec<&str> {
    board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_card_shows_the_deals_name_and_expected_close_date() {
    let service = started("board-cards");
    let all = board(&service, "");
    // The sums are in the playbook's currency.
    assert_eq!(all["currency"], "USD");
    let first = card(&all, "C-1");
    assert_eq!(first["name"], "Hanbit Robotics");
    assert_eq!(first["expected_close"], "2026-12-20");
    assert_eq!(first["value"], 42000);
    // 20:00 UTC on the 20th is the 21st in Seoul, where the playbook reads its dates.
    let second = card(&all, "C-2");
    assert_eq!(second["name"], "Daehan Logistics");
    assert_eq!(second["expected_close"], "2026-12-21");
    // A deal without them: both keys there, null.
    let third = card(&all, "C-3").as_object().unwrap();
    assert_eq!(third.get("name"), Some(&Value::Null));
    assert_eq!(third.get("expected_close"), Some(&Value::Null));
}

#[test]
fn the_search_finds_a_deal_by_its_name() {
    let service = started("board-cards-search");
    // Any part of the name, in any case.
    assert_eq!(card_ids(&board(&service, "q=robotics")), ["C-1"]);
    assert_eq!(card_ids(&board(&service, "q=DAEHAN")), ["C-2"]);
    // Still by id and owner.
    assert_eq!(card_ids(&board(&service, "q=c-3")), ["C-3"]);
    let owned = board(&service, "q=rex");
    let mut by_owner = card_ids(&owned);
    by_owner.sort_unstable();
    assert_eq!(by_owner, ["C-1", "C-2", "C-3"]);
    assert_eq!(card_ids(&board(&service, "q=nobody")), Vec::<&str>::new());
    // The column counts follow the search: one deal named Hanbit in qualification.
    let found = board(&service, "q=hanbit");
    let qualification = found["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "qualification")
        .unwrap();
    assert_eq!(qualification["count"], 1);
    assert_eq!(qualification["sum"], 42000.0);
}
