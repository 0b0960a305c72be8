//! Rhai expressions in a playbook: syntax errors and unknown names, located in the YAML file
//! (plain, quoted and block scalars).

mod common;

use common::diagnostics::{expect, with, CRITERION, UNEXPECTED};

#[test]
fn rhai_syntax_error_in_a_plain_scalar() {
    let text = with(&format!("      - {CRITERION}\n"), "      - budget >= )\n");
    expect(&text, ")", UNEXPECTED);
}

#[test]
fn rhai_syntax_error_in_a_double_quoted_scalar() {
    let text = with("\"budget >= 10\" }", "\"budget >= 10 && )\" }");
    expect(&text, ")\"", UNEXPECTED);
    // Columns count characters, also after Korean text on the line.
    let text = with(CRITERION, "{ id: 예산, when: \"budget >= )\" }");
    expect(&text, ")\"", UNEXPECTED);
}

#[test]
fn rhai_syntax_error_in_a_single_quoted_scalar() {
    let text = with("\"budget >= 10\" }", "'budget >= 10 && )' }");
    expect(&text, ")'", UNEXPECTED);
}

#[test]
fn rhai_syntax_error_in_a_block_scalar() {
    let first = "id: budget_ok\n        when: |\n          budget >= )";
    expect(&with(CRITERION, first), ")", UNEXPECTED);
    // On a later line of the block, indented more than the block.
    let later = "id: b\n        when: |\n          budget >= 10 &&\n            need == \"x\" &&\n              )";
    expect(&with(CRITERION, later), ")", UNEXPECTED);
}

#[test]
fn rhai_error_after_escapes_in_quoted_scalars() {
    let text = with("\"budget >= 10\" }", r#""need == \"x\" && )" }"#);
    expect(&text, ")\"", UNEXPECTED);
    let text = with("\"budget >= 10\" }", "'need == ''x'' && )' }");
    expect(&text, ")'", UNEXPECTED);
}

#[test]
fn rhai_error_in_a_multi_line_plain_scalar() {
    let text = with(
        CRITERION,
        "id: budget_ok\n        when: budget >= 10 &&\n          )",
    );
    expect(&text, ")", UNEXPECTED);
}

#[test]
fn undeclared_names_functions_and_ids() {
    // The error points at the first name of the expression; `'` stands for an escaped `"`.
    let cases = [
        (
            "budgt >= 10",
            "unknown-name: `budgt` is not a declared field; did you mean `budget`?",
        ),
        (
            "amount >= 10",
            "unknown-name: `amount` is not a declared field; declare it under `fields:`",
        ),
        (
            "lenght(need) > 1",
            "unknown-function: `lenght` is not a known function; the engine's functions are `done`, `score`, `band`, `has`, `today`, `days_since`, `days_until`, `days_in_stage` and `in_stage`; Rhai's text and list methods work too",
        ),
        (
            "done('nope')",
            "unknown-id: `nope` is not an activity of this playbook; the activities are `call`",
        ),
        (
            "done('cal')",
            "unknown-id: `cal` is not an activity of this playbook; did you mean `call`?",
        ),
        (
            "score('leed') > 1",
            "unknown-id: `leed` is not a scorecard of this playbook; did you mean `lead`?",
        ),
        (
            "in_stage('wonn')",
            "unknown-id: `wonn` is not a stage of this playbook; did you mean `won`?",
        ),
        (
            "days_in_stage(1) > 1",
            "rhai-call: `days_in_stage` takes 0 arguments, not 1",
        ),
    ];
    for (expression, expected) in cases {
        let expression = expression.replace('\'', "\\\"");
        let text = with("\"budget >= 10\" }", &format!("\"{expression}\" }}"));
        expect(&text, &expression, expected);
    }
}
