//! A playbook's outline: what a board and a deal's form show, built from the playbook once:
//! stages in main-path order, fields with their values and the money field marked, activities
//! with their stage, roles, scorecards and approvals, in the language asked for.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use stagegate::contract::Contract;
use stagegate::Playbook;

const BUNDLED: &str = include_str!("../playbooks/b2b-sales.yaml");

/// A playbook whose lost stage is written in the middle of the list, with an approval that has a
/// message and one that has none.
const SMALL: &str = r#"
stagegate: 1
id: small
version: 2
title: { en: Small deals, ko: 작은 거래 }
languages: [en, ko]
timezone: Asia/Seoul
value: amount
currency: EUR
deal_name: name
expected_close: closes
roles:
  rep: { title: { en: Sales rep, ko: 영업 담당자 } }
  finance: { title: { en: Finance, ko: 재무 } }
  legal: {}
permissions:
  force: [finance]
fields:
  amount: { type: number, title: { en: Amount, ko: 금액 } }
  size: { type: enum, values: [{ id: 10k_50k, title: { en: "10k–50k", ko: "1만–5만" } }, over_50k, { id: xl, title: "XL" }] }
  people: { type: list }
  discount: { type: number }
  name: { type: text, title: { en: Company, ko: 고객사 } }
  closes: { type: date }
stages:
  - id: open
    title: { en: Open, ko: 열림 }
    probability: 0.1
    guidance: { en: Find the need., ko: 니즈를 찾으세요. }
    key_fields: [size]
    activities:
      - { id: call, title: { en: First call, ko: 첫 통화 }, required: true }
    exit:
      - id: discount_ok
        when: "(discount ?? 0) > 10"
        approval: { role: finance }
  - id: lost
    outcome: lost
  - id: proposal
    max_days: 20
    exit:
      - id: terms_ok
        approval: { role: legal }
        message: { en: Legal signs off the terms., ko: 법무가 조건을 승인합니다. }
  - id: won
    outcome: won
transitions:
  - { from: open, to: proposal }
  - { from: proposal, to: won }
  - { from: "*", to: lost }
"#;

fn outline(yaml: &str, lang: &str) -> Value {
    serde_json::to_value(
        Playbook::from_yaml(yaml, "small.yaml")
            .unwrap()
            .outline(lang),
    )
    .unwrap()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect()
}

#[test]
fn the_stages_come_in_main_path_order_with_the_terminal_ones_after_it() {
    let outline = outline(SMALL, "en");
    assert_eq!(ids(&outline["stages"]), ["open", "proposal", "won", "lost"]);
    let terminal: Vec<bool> = outline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["terminal"].as_bool().unwrap())
        .collect();
    assert_eq!(terminal, [false, false, false, true]);
    assert_eq!(
        outline["stages"][0],
        json!({
            "id": "open", "title": "Open", "terminal": false, "outcome": null,
            "probability": 0.1, "max_days": null, "guidance": "Find the need.",
            "key_fields": ["size"],
            "activities": [{ "id": "call", "title": "First call", "stage": "open", "required": true }],
        })
    );
    assert_eq!(
        outline["stages"][1]["title"], "proposal",
        "no title: its id"
    );
    assert_eq!(outline["stages"][1]["max_days"], 20);
    assert_eq!(outline["stages"][2]["outcome"], "won");
    assert_eq!(outline["stages"][3]["outcome"], "lost");
}

#[test]
fn fields_carry_their_type_values_and_the_money_mark() {
    let outline = outline(SMALL, "en");
    assert_eq!(outline["value_field"], "amount");
    assert_eq!(
        outline["fields"][0],
        json!({ "id": "amount", "type": "number", "title": "Amount", "values": [], "list": false, "money": true })
    );
    assert_eq!(
        outline["fields"][1],
        json!({
            "id": "size", "type": "enum", "title": "size", "list": false, "money": false,
            "values": [
                { "id": "10k_50k", "title": "10k–50k" },
                { "id": "over_50k", "title": "over_50k" },
                { "id": "xl", "title": "XL" },
            ],
        })
    );
    // The fields a card reads, and the money's currency.
    assert_eq!(outline["currency"], "EUR");
    assert_eq!(outline["deal_name"], "name");
    assert_eq!(outline["expected_close"], "closes");
    assert_eq!(outline["fields"][2]["list"], true);
    assert_eq!(outline["fields"][2]["type"], "list");
}

#[test]
fn the_playbook_roles_scorecards_and_approvals_are_named_in_the_language_asked_for() {
    let outline = outline(SMALL, "ko");
    assert_eq!(outline["playbook"], "small@2");
    assert_eq!(outline["id"], "small");
    assert_eq!(outline["version"], 2);
    assert_eq!(outline["title"], "작은 거래");
    assert_eq!(outline["language"], "ko");
    assert_eq!(outline["languages"], json!(["en", "ko"]));
    assert_eq!(outline["time_zone"], "Asia/Seoul");
    assert_eq!(outline["force"], json!(["finance"]));
    assert_eq!(
        outline["roles"],
        json!([
            { "id": "rep", "title": "영업 담당자" },
            { "id": "finance", "title": "재무" },
            { "id": "legal", "title": "legal" },
        ])
    );
    assert_eq!(outline["stages"][0]["title"], "열림");
    assert_eq!(outline["fields"][0]["title"], "금액");
    // An enum value's label in the language asked for; a plain label in every language; a value
    // without one reads as itself.
    let titles: Vec<&str> = outline["fields"][1]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["1만–5만", "over_50k", "XL"]);
    // Without a message, who must approve, as the engine says it of a missing approval.
    assert_eq!(
        outline["approvals"],
        json!([
            { "criterion": "discount_ok", "stage": "open", "role": "finance", "message": "재무의 승인이 필요합니다" },
            { "criterion": "terms_ok", "stage": "proposal", "role": "legal", "message": "법무가 조건을 승인합니다." },
        ])
    );
    assert_eq!(
        self::outline(SMALL, "en")["approvals"][0]["message"],
        "needs approval by Finance"
    );
    // A language the playbook lacks: its texts in its first language.
    let french = self::outline(SMALL, "fr");
    assert_eq!(french["language"], "fr");
    assert_eq!(french["stages"][0]["title"], "Open");
}

#[test]
fn the_contract_answers_the_outline_in_its_language() {
    let contract = Contract::load(BUNDLED, "b2b-sales.yaml", Some("en")).unwrap();
    let outline: Value = serde_json::from_str(&contract.outline()).unwrap();
    assert_eq!(outline["language"], "en");
    assert_eq!(outline["value_field"], "amount");
    let main_path: Vec<&str> = outline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["terminal"] == false)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        main_path,
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
    assert_eq!(outline["stages"][1]["title"], "Qualification");
    assert_eq!(
        outline["scorecards"][0],
        json!({ "id": "lead", "title": "Lead score" })
    );
    assert_eq!(
        outline["approvals"],
        json!([{
            "criterion": "discount_approved", "stage": "proposal_negotiation", "role": "finance",
            "message": "needs approval by Finance",
        }])
    );
    let korean: Value =
        serde_json::from_str(&contract.with_language("ko").unwrap().outline()).unwrap();
    assert_eq!(korean["stages"][1]["title"], "자격 검증");
    assert_eq!(
        korean["approvals"][0]["message"],
        "재무 담당자의 승인이 필요합니다"
    );
    // The bundled playbook's money is in US dollars; a deal's name and close date have fields.
    assert_eq!(outline["currency"], "USD");
    assert_eq!(outline["deal_name"], "company");
    assert_eq!(outline["expected_close"], "close_date");
    let industry = |outline: &Value| -> Vec<String> {
        let field = outline["fields"].as_array().unwrap().iter();
        let industry = field.clone().find(|f| f["id"] == "industry").unwrap();
        industry["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        industry(&outline),
        [
            "SaaS",
            "Finance",
            "Retail",
            "Manufacturing",
            "Healthcare",
            "Other"
        ]
    );
    assert_eq!(
        industry(&korean),
        ["SaaS", "금융", "유통", "제조", "헬스케어", "기타"]
    );
}
