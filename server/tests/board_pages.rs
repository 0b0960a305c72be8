//! The board's pages: a column paged through with its cursor gives every deal once; filters and
//! sorts; each column's count, sum and weighted sum over the whole filter, not the page; a deal
//! in two stages counted in both columns; a parameter the board cannot take refused with 400,
//! naming it.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use serde_json::{json, Value};
use support::{add_user, workspace, Service};

/// The time every request is evaluated at.
const AT: &str = "2026-12-05T08:59:59Z";

/// A service with a manager (`ada`, also an admin), two reps (`rex`, `kim`) and 31 deals in
/// qualification: `Q-01` to `Q-30` (amounts 1,000 to 30,000, entered 1 to 30 days ago; rex owns
/// the odd ones, kim the even ones; every fifth is a fintech deal), and `FORK-1`, also in
/// retention_expansion; plus one deal in needs_analysis.
fn started(name: &str) -> (Service, String) {
    let dir = workspace(name);
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    let rex = add_user(&dir, "rex", &["rep"], Some(&service.token));
    // Kim owns deals (an owner is a user), and never calls.
    add_user(&dir, "kim", &["rep"], Some(&service.token));
    for n in 1..=30 {
        let mut fields = json!({ "amount": n * 1000 });
        if n % 5 == 0 {
            fields["decision_maker"] = json!(format!("CFO of Fintech {n}"));
        }
        // Imported by the manager (a deal with its history), for the rep who owns it.
        let owner = if n % 2 == 1 { "rex" } else { "kim" };
        let deal = json!({
            "id": format!("Q-{n:02}"), "stage": "qualification", "fields": fields, "owner": owner,
            "history": [{ "at": format!("2026-11-{:02}T09:00:00Z", 31 - n), "to": "qualification" }]
        });
        let (status, body) = service.call("POST", "/deals?at=2026-12-01", Some(deal));
        assert_eq!(status, 201, "{body}");
    }
    for deal in [
        json!({
            "id": "FORK-1", "stages": ["qualification", "retention_expansion"],
            "fields": { "amount": 500 }, "owner": "rex",
            "history": [
                { "at": "2026-11-20T00:00:00Z", "to": "qualification" },
                { "at": "2026-11-21T00:00:00Z", "to": "retention_expansion" }
            ]
        }),
        json!({
            "id": "N-1", "stage": "needs_analysis", "fields": { "amount": 7000 }, "owner": "rex",
            "history": [{ "at": "2026-11-30T00:00:00Z", "to": "needs_analysis" }]
        }),
    ] {
        let (status, body) = service.call("POST", "/deals?at=2026-12-01", Some(deal));
        assert_eq!(status, 201, "{body}");
    }
    (service, rex)
}

/// `GET /board?<query>&at=AT` as the manager: the answer, which must be 200.
fn board(service: &Service, query: &str) -> Value {
    let (status, body) = service.call("GET", &format!("/board?at={AT}&{query}"), None);
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The column `stage` of an answer (main path or closed).
fn column<'b>(board: &'b Value, stage: &str) -> &'b Value {
    board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .chain(board["closed"].as_array().unwrap())
        .find(|c| c["id"] == stage)
        .unwrap_or_else(|| panic!("no column {stage} in {board}"))
}

/// The ids on a column's page.
fn page(column: &Value) -> Vec<String> {
    column["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

/// Every id of column `stage`, page after page of `limit`, with `query`: each page's ids.
fn pages(service: &Service, stage: &str, limit: usize, query: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor = String::new();
    loop {
        let answer = board(
            service,
            &format!("column={stage}&limit={limit}{cursor}&{query}"),
        );
        assert_eq!(
            answer["columns"].as_array().unwrap().len()
                + answer["closed"].as_array().unwrap().len(),
            1,
            "`column` answers that column only"
        );
        let here = column(&answer, stage);
        pages.push(page(here));
        // The page's cards come with it.
        let cards: BTreeSet<&str> = answer["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(page(here).iter().all(|id| cards.contains(id.as_str())));
        match here["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return pages,
        }
        assert!(pages.len() < 100, "the pages never end");
    }
}

#[test]
fn paging_through_a_column_gives_every_deal_once() {
    let (service, _) = started("board-pages");
    let first = board(&service, "");
    assert_eq!(first["limit"], 50, "50 cards a column unless asked");
    assert_eq!(column(&first, "qualification")["count"], 31);
    assert!(column(&first, "qualification")["next"].is_null());

    for sort in ["id", "id:desc", "value:desc", "days", "field:amount:asc"] {
        let seen = pages(&service, "qualification", 7, &format!("sort={sort}"));
        assert_eq!(seen.len(), 5, "31 deals in pages of 7, by {sort}");
        assert!(seen[..4].iter().all(|p| p.len() == 7));
        let all: Vec<String> = seen.concat();
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!((all.len(), unique.len()), (31, 31), "by {sort}: {all:?}");
    }
    let by_value: Vec<String> = pages(&service, "qualification", 10, "sort=value:desc").concat();
    assert_eq!(&by_value[..3], ["Q-30", "Q-29", "Q-28"]);
    assert_eq!(
        by_value.last().unwrap(),
        "FORK-1",
        "the smallest amount last"
    );

    // A deal added while paging is not given twice, and none is skipped.
    let answer = board(&service, "column=qualification&limit=10");
    let mut seen = page(column(&answer, "qualification"));
    let (status, body) = service.call(
        "POST",
        "/deals?at=2026-12-01",
        Some(json!({ "id": "A-0", "stage": "qualification" })),
    );
    assert_eq!(status, 201, "{body}");
    let next = column(&answer, "qualification")["next"]
        .as_str()
        .unwrap()
        .to_owned();
    let rest = board(
        &service,
        &format!("column=qualification&limit=50&cursor={next}"),
    );
    seen.extend(page(column(&rest, "qualification")));
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (31, 31), "{seen:?}");
    assert_eq!(
        column(&rest, "qualification")["count"],
        32,
        "the new deal is counted"
    );
}

#[test]
fn counts_and_sums_cover_the_whole_filter_and_a_forked_deal_counts_in_both_columns() {
    let (service, _) = started("board-sums");
    let answer = board(&service, "limit=2");
    let qualification = column(&answer, "qualification");
    assert_eq!(page(qualification).len(), 2, "two cards of the page");
    assert_eq!(
        qualification["count"], 31,
        "the count is the column's, not the page's"
    );
    let sum = (1..=30).sum::<i64>() * 1000 + 500;
    assert_eq!(qualification["sum"], sum);
    assert_eq!(qualification["probability"], 0.1);
    assert_eq!(
        qualification["weighted"].as_f64(),
        Some(46550.0),
        "{sum} × 0.1, to the cent"
    );

    // FORK-1 stands in qualification and retention_expansion: counted in both.
    let retention = column(&answer, "retention_expansion");
    assert_eq!(
        (retention["count"].as_i64(), retention["sum"].as_i64()),
        (Some(1), Some(500))
    );
    assert_eq!(page(retention), ["FORK-1"]);
    let forks = answer["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "FORK-1")
        .count();
    let on_qualification = page(qualification).contains(&"FORK-1".to_owned());
    assert_eq!(
        forks, 1,
        "one card per deal, shared by its columns (on qualification's page: {on_qualification})"
    );
    assert_eq!(column(&answer, "needs_analysis")["count"], 1);
    assert_eq!(column(&answer, "lost")["count"], 0);
    assert!(
        column(&answer, "lost")["weighted"].is_null(),
        "lost has no probability"
    );

    // With only the counts: no card at all.
    let counts = board(&service, "limit=0");
    assert_eq!(counts["cards"], json!([]));
    assert_eq!(column(&counts, "qualification")["count"], 31);
    let (_, feed) = service.call("GET", "/events?after=0&limit=1000", None);
    assert_eq!(
        counts["events_after"], feed["next"],
        "the feed's newest event"
    );
    assert!(counts["events_after"].as_i64().unwrap() >= 32, "{feed}");

    // The cards of named deals, besides the pages: what a page refreshes after a change.
    let asked = board(&service, "limit=0&card=Q-07&card=N-1&card=NOPE");
    let ids: Vec<&str> = asked["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["Q-07", "N-1"], "an unknown deal has no card");
    assert_eq!(
        asked["cards"][0]["stages"][0]["days"], 10,
        "since 2026-11-24T09:00:00Z"
    );
    assert_eq!(asked["cards"][0]["revision"], 1);
}

#[test]
fn filters_choose_the_deals_and_their_sums() {
    let (service, _) = started("board-filters");
    let count = |query: &str, stage: &str| column(&board(&service, query), stage)["count"].clone();

    let rex = board(&service, "owner=rex");
    assert_eq!(
        column(&rex, "qualification")["count"],
        16,
        "15 odd ones and FORK-1"
    );
    assert_eq!(
        column(&rex, "qualification")["sum"],
        [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]
            .iter()
            .sum::<i64>()
            * 1000
            + 500
    );
    assert!(rex["cards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["owner"] == "rex"));

    // `q`: the id, the owner or a text field's value, whatever the case.
    let fintech = board(&service, "q=fINTECH");
    assert_eq!(
        page(column(&fintech, "qualification")),
        ["Q-05", "Q-10", "Q-15", "Q-20", "Q-25", "Q-30"]
    );
    assert_eq!(count("q=fork", "retention_expansion"), 1);
    assert_eq!(
        count("q=KIM", "qualification"),
        15,
        "kim owns the even ones"
    );
    assert_eq!(count("q=nobody", "qualification"), 0);

    // `stage`: deals active in it, in every column they stand in.
    let forked = board(&service, "stage=retention_expansion");
    assert_eq!(column(&forked, "qualification")["count"], 1);
    assert_eq!(page(column(&forked, "qualification")), ["FORK-1"]);

    // `stalled`: qualification's limit is 30 days; Q-30 entered 30 days and 23 hours ago.
    let stalled = board(&service, "stalled=true");
    let stalled_ids = page(column(&stalled, "qualification"));
    assert!(!stalled_ids.is_empty());
    for card in stalled["cards"].as_array().unwrap() {
        assert!(
            card["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["kind"] == "stalled"),
            "{card}"
        );
    }
    assert_eq!(
        stalled_ids.len() as i64 + count("stalled=false", "qualification").as_i64().unwrap(),
        31
    );
    assert_eq!(count("overdue=true", "qualification"), 0);

    // `approval`: deals waiting for an approval by that role.
    let mut discount: Value = serde_yaml::from_str(
        &std::fs::read_to_string("../examples/deals/11-discount-approval.yaml").unwrap(),
    )
    .unwrap();
    discount["owner"] = json!("rex");
    let (status, body) = service.call("POST", "/deals?at=2026-12-01", Some(discount));
    assert_eq!(status, 201, "{body}");
    let finance = board(&service, "approval=finance");
    assert_eq!(page(column(&finance, "proposal_negotiation")), ["D-1011"]);
    assert_eq!(column(&finance, "qualification")["count"], 0);
    assert_eq!(count("approval=manager", "proposal_negotiation"), 0);

    // Sorts: by days in the stage, by a date field.
    let days = board(&service, "sort=days:desc&limit=3");
    assert_eq!(days["sort"], "days:desc");
    assert_eq!(
        page(column(&days, "qualification")),
        ["Q-30", "Q-29", "Q-28"]
    );
    let by_date = board(&service, "sort=field:last_touch&stage=proposal_negotiation");
    assert_eq!(page(column(&by_date, "proposal_negotiation")), ["D-1011"]);
}

#[test]
fn a_parameter_the_board_cannot_take_is_refused_naming_it() {
    let (service, rex) = started("board-refused");
    for (query, named) in [
        ("colour=red", "`colour`"),
        ("limit=201", "`limit`"),
        ("limit=-1", "`limit`"),
        ("limit=ten", "`limit`"),
        ("sort=size", "`sort`"),
        ("sort=value:up", "`sort`"),
        ("sort=field:industry", "`sort`"),
        ("sort=field:nope", "`sort`"),
        ("stalled=yes", "`stalled`"),
        ("overdue=1", "`overdue`"),
        ("owner=", "`owner`"),
        ("owner=rex&owner=kim", "`owner`"),
        ("q=%20", "`q`"),
        ("stage=won", "`stage`"),
        ("column=nope", "`column`"),
        ("approval=ceo", "`approval`"),
        ("cursor=abc", "`cursor`"),
        ("column=qualification&cursor=zz", "`cursor`"),
        ("column=qualification&cursor=7b7d", "`cursor`"),
        ("card=", "`card`"),
    ] {
        let (status, body) = service.call_as(&rex, "GET", &format!("/board?{query}"), None);
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(
            body["error"], "request",
            "{query}: the contract's shape: {body}"
        );
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(named), "{query}: {message}");
    }
    // A cursor is for the column and the sort it was given for.
    let answer = board(&service, "limit=5");
    let next = column(&answer, "qualification")["next"]
        .as_str()
        .unwrap()
        .to_owned();
    for (query, says) in [
        (
            format!("column=needs_analysis&cursor={next}"),
            "continues the column `qualification`",
        ),
        (
            format!("column=qualification&sort=value&cursor={next}"),
            "was given for the sort `id:asc`",
        ),
    ] {
        let (status, body) = service.call_as(&rex, "GET", &format!("/board?{query}"), None);
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
}

/// The discount deal of the examples (30 %: Finance approves before closing), as `id`, owned by
/// `owner`.
fn discount_deal(id: &str, owner: &str) -> Value {
    let mut deal: Value = serde_yaml::from_str(
        &std::fs::read_to_string("../examples/deals/11-discount-approval.yaml").unwrap(),
    )
    .unwrap();
    deal["id"] = json!(id);
    deal["owner"] = json!(owner);
    deal
}

#[test]
fn my_deals_and_the_approvals_waiting_for_me() {
    let dir = workspace("board-me");
    let mut service = Service::start(&dir, &["--clock-from-requests"]);
    service.token = add_user(&dir, "ada", &["admin", "manager"], None);
    let rex = add_user(&dir, "rex", &["rep"], Some(&service.token));
    let fay = add_user(&dir, "fay", &["finance"], Some(&service.token));
    let fred = add_user(&dir, "fred", &["finance", "rep"], Some(&service.token));
    // Waiting for Finance: rex's, fred's own (Fred may not approve it: four eyes), and one of
    // rex's that Fred has approved already.
    for (id, owner) in [
        ("DISC-REX", "rex"),
        ("DISC-FRED", "fred"),
        ("DISC-DONE", "rex"),
    ] {
        let (status, body) = service.call(
            "POST",
            "/deals?at=2026-12-01",
            Some(discount_deal(id, owner)),
        );
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = service.call_as(
        &fred,
        "POST",
        "/deals/DISC-DONE/approvals?at=2026-12-02",
        Some(json!({ "criterion": "discount_approved" })),
    );
    assert_eq!(status, 200, "{body}");
    let lead = json!({
        "id": "LEAD-REX", "stage": "lead_generation", "owner": "rex",
        "history": [{ "at": "2026-11-30T00:00:00Z", "to": "lead_generation" }]
    });
    let (status, body) = service.call("POST", "/deals?at=2026-12-01", Some(lead));
    assert_eq!(status, 201, "{body}");

    let seen = |token: &str, query: &str| -> Vec<String> {
        let (status, body) =
            service.call_as(token, "GET", &format!("/board?at={AT}&{query}"), None);
        assert_eq!(status, 200, "{query}: {body}");
        let mut ids: Vec<String> = body["columns"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(page)
            .collect();
        ids.sort();
        ids
    };
    // `owner=me`: the caller's deals, whoever calls.
    assert_eq!(
        seen(&rex, "owner=me"),
        ["DISC-DONE", "DISC-REX", "LEAD-REX"]
    );
    assert_eq!(seen(&fred, "owner=me"), ["DISC-FRED"]);
    assert_eq!(seen(&fay, "owner=me"), Vec::<String>::new());
    assert_eq!(
        seen(&rex, "owner=me"),
        seen(&rex, "owner=rex"),
        "the same as naming oneself"
    );

    // `approval=me`: an approval one of the caller's roles gives, still missing, on a deal not
    // their own.
    assert_eq!(seen(&fay, "approval=me"), ["DISC-FRED", "DISC-REX"]);
    assert_eq!(
        seen(&fred, "approval=me"),
        ["DISC-REX"],
        "not his own, not the one he approved"
    );
    assert_eq!(
        seen(&rex, "approval=me"),
        Vec::<String>::new(),
        "a rep gives no approval"
    );
    // By role: every deal waiting for Finance, the owner's included.
    assert_eq!(seen(&rex, "approval=finance"), ["DISC-FRED", "DISC-REX"]);
    // Both at once: the caller's own deals waiting for the caller: none, by four eyes.
    assert_eq!(seen(&fred, "owner=me&approval=me"), Vec::<String>::new());
}
