//! The top-level keys that say what a deal's card shows (`currency:`, `deal_name:`,
//! `expected_close:`) and labelled enum values: each checked at load, at its line, with a
//! suggestion where one fits.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::diagnostics::{errors, expect, with};
use stagegate::Playbook;

/// BASE with a name and a close date field, and `keys` written at the top level.
fn with_keys(keys: &str) -> String {
    with(
        "fields: { budget: { type: number }, need: { type: text } }\n",
        &format!(
            "{keys}fields: {{ budget: {{ type: number }}, need: {{ type: text }}, company: {{ type: text }}, close_date: {{ type: date }} }}\n"
        ),
    )
}

#[test]
fn the_keys_name_fields_of_their_type() {
    let text =
        with_keys("value: budget\ncurrency: KRW\ndeal_name: company\nexpected_close: close_date\n");
    let playbook = Playbook::from_yaml(&text, "p.yaml").unwrap();
    assert!(playbook.warnings().is_empty(), "{:?}", playbook.warnings());
    assert_eq!(playbook.value_field(), Some("budget"));
    assert_eq!(playbook.currency(), Some("KRW"));
    assert_eq!(playbook.deal_name_field(), Some("company"));
    assert_eq!(playbook.expected_close_field(), Some("close_date"));
    // Each is optional.
    let plain = Playbook::from_yaml(&with_keys(""), "p.yaml").unwrap();
    assert_eq!(
        (
            plain.currency(),
            plain.deal_name_field(),
            plain.expected_close_field()
        ),
        (None, None, None)
    );
}

#[test]
fn a_field_of_another_type_is_refused_with_the_fields_that_fit() {
    expect(
        &with_keys("deal_name: budget\n"),
        "budget\n",
        "field-type: `deal_name` must name a text field; `budget` is a number field; name one of the text fields: `need` or `company`",
    );
    expect(
        &with_keys("expected_close: need\n"),
        "need\n",
        "field-type: `expected_close` must name a date field; `need` is a text field; the one date field is `close_date`",
    );
    // With no field of the type, the help says to declare one.
    expect(
        &with("version: 1\n", "version: 1\nexpected_close: need\n"),
        "need\n",
        "field-type: `expected_close` must name a date field; `need` is a text field; declare a field of `type: date` and name it here",
    );
}

#[test]
fn an_unknown_field_is_refused_with_did_you_mean() {
    expect(
        &with_keys("deal_name: compnay\n"),
        "compnay",
        "unknown-field: `compnay` is not a declared field; did you mean `company`?",
    );
    expect(
        &with_keys("expected_close: close_dat\n"),
        "close_dat\n",
        "unknown-field: `close_dat` is not a declared field; did you mean `close_date`?",
    );
}

#[test]
fn a_currency_is_three_capital_letters() {
    expect(
        &with_keys("currency: usd\n"),
        "usd",
        "bad-currency: `currency` must be an ISO 4217 currency code (three capital letters); `usd` is not one; did you mean `USD`?",
    );
    expect(
        &with_keys("currency: US Dollar\n"),
        "US Dollar",
        "bad-currency: `currency` must be an ISO 4217 currency code (three capital letters); `US Dollar` is not one; write the ISO 4217 code of the currency, such as `USD`, `EUR` or `KRW`",
    );
    // Not a text at all: the shape check says so.
    let found = errors(&with_keys("currency: 840\n"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "wrong-type");
}

#[test]
fn enum_values_may_carry_labels_and_mix_both_forms() {
    let text = with(
        "need: { type: text } }",
        "need: { type: text }, size: { type: enum, values: [small, { id: 10k_50k, title: { en: \"10k–50k\" } }, { id: big }] } }",
    );
    let playbook = Playbook::from_yaml(&text, "p.yaml").unwrap();
    let size = playbook.fields().iter().find(|f| f.id == "size").unwrap();
    // Deals and rules use the ids.
    assert_eq!(size.values, ["small", "10k_50k", "big"]);
    assert_eq!(size.value_title("10k_50k", "en", "en"), "10k–50k");
    assert_eq!(size.value_title("big", "en", "en"), "big");
    // A rule compares with the id; the label is not a value.
    let rule = with(
        CRITERION_LINE,
        "{ id: budget_ok, when: \"size == \\\"10k–50k\\\"\" }",
    )
    .replace(
        "need: { type: text } }",
        "need: { type: text }, size: { type: enum, values: [small, { id: 10k_50k, title: { en: \"10k–50k\" } }] } }",
    );
    let found = errors(&rule);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "rule-type");
}

#[test]
fn a_labelled_value_takes_id_and_title_only_and_an_id_once() {
    let text = with(
        "need: { type: text } }",
        "need: { type: text }, size: { type: enum, values: [small, { id: large, label: Large }] } }",
    );
    expect(
        &text,
        "label",
        "unknown-key: field `size`, value `large`: unknown key `label`; allowed keys: id, title",
    );
    let twice = with(
        "need: { type: text } }",
        "need: { type: text }, size: { type: enum, values: [small, { id: small, title: Small }] } }",
    );
    expect(
        &twice,
        "small, title",
        "duplicate-id: value `small` is listed twice",
    );
}

/// The criterion of BASE's `open` exit gate.
const CRITERION_LINE: &str = common::diagnostics::CRITERION;
