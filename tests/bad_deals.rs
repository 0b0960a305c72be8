//! Deals that do not fit the playbook, and reading deals from every kind of file.
// Tests fail loudly by design: helpers beside the tests unwrap and expect as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{at, engine};
use stagegate::{Deal, DealError, DealOrigin, DealProblem, DealReader, Options};

fn read_all(text: &str, file: &str) -> Vec<Result<(Deal, DealOrigin), DealError>> {
    DealReader::new(text.as_bytes(), file).collect()
}

/// The error of evaluating the one deal in `yaml`.
fn error_of(yaml: &str) -> DealError {
    let mut read = read_all(yaml, "deal.yaml");
    assert_eq!(read.len(), 1);
    let (deal, origin) = read.remove(0).expect("readable");
    let error = engine()
        .evaluate(&deal, at(), &Options::new())
        .expect_err("the deal is invalid");
    origin.locate(&deal, error)
}

fn problems_of(yaml: &str) -> Vec<DealProblem> {
    error_of(yaml).problems
}

/// The message of the one unreadable deal in `yaml`.
fn unreadable(yaml: &str) -> (usize, String) {
    let read = read_all(yaml, "deal.yaml");
    assert_eq!(read.len(), 1);
    let error = read.into_iter().next().unwrap().expect_err("unreadable");
    assert_eq!(error.file.as_deref(), Some("deal.yaml"));
    // Named by its id when the id is readable, else by its position.
    let id = yaml
        .lines()
        .find_map(|l| l.strip_prefix("id: D-"))
        .map_or("#1".to_owned(), |n| format!("D-{n}"));
    assert_eq!(error.deal, id);
    match error.problems.as_slice() {
        [DealProblem::Unreadable(message)] => (error.line.unwrap(), message.clone()),
        other => panic!("expected one Unreadable problem, got {other:?}"),
    }
}

fn wrong(field: &str, problem: &str) -> DealProblem {
    DealProblem::WrongValue {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }
}

fn not_a_date(text: &str) -> String {
    format!("`{text}` is not a date or time: write a date (2026-11-27), a date-time in the playbook's time zone (2026-11-27 15:30) or one with its offset (2026-11-27T15:30:00+09:00, 2026-11-27T06:30:00Z)")
}

#[test]
fn undeclared_field_with_did_you_mean() {
    let error = error_of("id: D-1\nfields: { amout: 5 }\n");
    let expected = DealProblem::UndeclaredField {
        field: "amout".to_owned(),
        help: Some("did you mean `amount`?".to_owned()),
    };
    assert_eq!(error.problems, [expected]);
    assert_eq!(error.to_string(), "deal.yaml:1: deal `D-1`: field `amout` is not declared in the playbook (did you mean `amount`?)");
    let far = problems_of("id: D-1\nfields: { colour: red }\n");
    assert_eq!(
        far,
        [DealProblem::UndeclaredField {
            field: "colour".to_owned(),
            help: None
        }]
    );
    assert_eq!(
        far[0].to_string(),
        "field `colour` is not declared in the playbook"
    );
}

#[test]
fn wrong_types() {
    let cases = [
        (
            "amount: lots",
            "amount",
            "expected a number, got text `lots`".to_owned(),
        ),
        (
            "need: 42",
            "need",
            "expected a text, got number `42`".to_owned(),
        ),
        (
            "employees: 1.5",
            "employees",
            "expected a whole number, got number `1.5`".to_owned(),
        ),
        (
            "stakeholders: Ana",
            "stakeholders",
            "expected a list of texts, got text `Ana`".to_owned(),
        ),
        (
            "stakeholders: [Ana, 7]",
            "stakeholders",
            "expected a list of texts, got a list".to_owned(),
        ),
        (
            "champion: \"yes\"",
            "champion",
            "expected true or false, got text `yes`".to_owned(),
        ),
        (
            "industry: gaming",
            "industry",
            "`gaming` is not one of `saas`, `retail` or `finance`".to_owned(),
        ),
        (
            "last_touch: 2026-13-45",
            "last_touch",
            not_a_date("2026-13-45"),
        ),
    ];
    for (yaml, field, problem) in cases {
        let problems = problems_of(&format!("id: D-2\nfields: {{ {yaml} }}\n"));
        assert_eq!(problems, [wrong(field, &problem)], "{yaml}");
        assert_eq!(
            problems[0].to_string(),
            format!("field `{field}`: {problem}")
        );
    }
    // A whole number written 60.0 is accepted, and so is an empty text (absent).
    let ok = read_all("fields: { employees: 60.0, need: \"\" }", "ok.yaml")
        .remove(0)
        .unwrap()
        .0;
    assert!(engine().evaluate(&ok, at(), &Options::new()).is_ok());
}

#[test]
fn unknown_stages_activities_and_duplicates() {
    let problems =
        problems_of("id: D-3\nstages: [qualfy, qualify, qualify]\nactivities: { reserch: true }\n");
    assert_eq!(
        problems,
        [
            DealProblem::UnknownStage {
                place: "stages".to_owned(),
                stage: "qualfy".to_owned(),
                help: Some("did you mean `qualify`?".to_owned())
            },
            DealProblem::DuplicateStage("qualify".to_owned()),
            DealProblem::UnknownActivity {
                activity: "reserch".to_owned(),
                help: Some("did you mean `research`?".to_owned())
            },
        ]
    );
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "stages: unknown stage `qualfy` (did you mean `qualify`?)",
            "stages: `qualify` is listed twice",
            "activities: unknown activity `reserch` (did you mean `research`?)",
        ]
    );
    let history = problems_of("id: D-4\nhistory:\n  - { at: 2026-11-01, to: prospect }\n  - { at: 2026-11-02, from: prospekt, to: proposal }\n");
    assert_eq!(
        history,
        [
            DealProblem::UnknownStage {
                place: "history[1].from".to_owned(),
                stage: "prospekt".to_owned(),
                help: Some("did you mean `prospect`?".to_owned())
            },
            DealProblem::UnknownStage {
                place: "history[1].to".to_owned(),
                stage: "proposal".to_owned(),
                help: Some("did you mean `propose`?".to_owned())
            },
        ]
    );
}

#[test]
fn pins_to_another_playbook_or_version() {
    for pin in ["other", "other@3", "fixture@99", "fixture@three"] {
        let problems = problems_of(&format!("id: D-5\nplaybook: \"{pin}\"\n"));
        assert_eq!(
            problems,
            [DealProblem::WrongPlaybook {
                pin: pin.to_owned(),
                playbook: "fixture@3".to_owned()
            }]
        );
        assert_eq!(
            problems[0].to_string(),
            format!("pinned to `{pin}`, but the playbook is `fixture@3`")
        );
    }
    for pin in ["fixture", "fixture@3"] {
        let deal = read_all(&format!("playbook: {pin}\n"), "ok.yaml")
            .remove(0)
            .unwrap()
            .0;
        assert!(
            engine().evaluate(&deal, at(), &Options::new()).is_ok(),
            "{pin}"
        );
    }
}

#[test]
fn unreadable_dates() {
    let problems = problems_of("id: D-6\nactivities: { research: yesterday }\nhistory:\n  - { at: 0000-00-00, to: prospect }\n");
    assert_eq!(
        problems,
        [
            DealProblem::BadTime {
                place: "activities.research".to_owned(),
                problem: not_a_date("yesterday")
            },
            DealProblem::BadTime {
                place: "history[0].at".to_owned(),
                problem: not_a_date("0000-00-00")
            },
        ]
    );
    assert_eq!(
        problems[1].to_string(),
        format!("history[0].at: {}", not_a_date("0000-00-00"))
    );
}

#[test]
fn shape_errors_are_unreadable_deals() {
    assert_eq!(
        unreadable("stage: prospect\nstages: [prospect]\n"),
        (1, "give `stage` or `stages`, not both".to_owned())
    );
    let (line, message) = unreadable("id: D-7\n\nassignee: Kim\n");
    assert_eq!(line, 3);
    assert!(
        message.starts_with(
            "unknown key `assignee` (allowed keys: id, playbook, owner, stage, stages"
        ),
        "{message}"
    );
    assert_eq!(
        unreadable("id: D-8\nstages: qualify\n"),
        (2, "stages: expected a list, got text `qualify`".to_owned())
    );
    let (line, message) =
        unreadable("id: D-9\nhistory:\n  - { at: 2026-01-01, to: prospect, knd: advance }\n");
    assert_eq!(line, 3);
    assert!(
        message == "history[0]: unknown key `knd` (did you mean `kind`?)",
        "{message}"
    );
    assert_eq!(
        unreadable("id: [1]\n"),
        (1, "id: expected a text or a number, got a list".to_owned())
    );
}

#[test]
fn several_problems_are_all_listed() {
    let error = error_of(
        "id: D-10\nplaybook: fixture@99\nstages: [qualfy]\nfields: { amout: 1, need: 42 }\nactivities: { demo: yesterday }\nhistory: [ { at: 0000-00-00, to: nowhere } ]\n",
    );
    let kinds: Vec<&str> = error
        .problems
        .iter()
        .map(|p| match p {
            DealProblem::WrongPlaybook { .. } => "pin",
            DealProblem::UnknownStage { .. } => "stage",
            DealProblem::UndeclaredField { .. } => "undeclared",
            DealProblem::WrongValue { .. } => "value",
            DealProblem::BadTime { .. } => "time",
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "pin",
            "stage",
            "undeclared",
            "value",
            "time",
            "time",
            "stage"
        ]
    );
    let text = error.to_string();
    assert!(
        text.starts_with("deal.yaml:1: deal `D-10`: pinned to `fixture@99`"),
        "{text}"
    );
    assert_eq!(text.matches("; ").count(), 6, "{text}");
}

#[test]
fn yaml_multi_document_and_lists() {
    let text = "# a book\nid: Y-1\n---\nid: Y-2\nstages: [qualify]\n---\n- id: Y-3\n- id: Y-4\n";
    let read: Vec<(Deal, DealOrigin)> = read_all(text, "book.yaml")
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<(&str, usize)> = read
        .iter()
        .map(|(d, o)| (d.id.as_deref().unwrap(), o.index))
        .collect();
    assert_eq!(ids, [("Y-1", 1), ("Y-2", 2), ("Y-3", 3), ("Y-4", 4)]);
    assert_eq!((read[0].1.line, read[1].1.line), (1, 4));
    assert!(read.iter().all(|(_, o)| o.file == "book.yaml"));
    assert_eq!(read[1].0.stages, ["qualify"]);
}

#[test]
fn yaml_list_items_know_their_own_line() {
    let read: Vec<DealOrigin> = read_all("- id: Y-3\n- id: Y-4\n", "book.yaml")
        .into_iter()
        .map(|r| r.unwrap().1)
        .collect();
    assert_eq!((read[0].line, read[1].line), (1, 2));
}

#[test]
fn json_array_single_object_and_lines() {
    let ids = |text: &str| -> Vec<String> {
        read_all(text, "deals.json")
            .into_iter()
            .map(|r| r.unwrap().0.id.unwrap())
            .collect()
    };
    assert_eq!(
        ids("[{\"id\": \"A-1\"},\n {\"id\": 2, \"stages\": [\"qualify\"]}\n]"),
        ["A-1", "2"]
    );
    assert_eq!(
        ids("  {\"id\": \"O-1\", \"fields\": {\"amount\": 5}}\n"),
        ["O-1"]
    );
    assert_eq!(
        ids("{\"id\": \"L-1\"}\n{\"id\": \"L-2\"}\n\n{\"id\": \"L-3\"}\n"),
        ["L-1", "L-2", "L-3"]
    );
    assert!(read_all("[]", "empty.json").is_empty());
    assert!(read_all("", "empty.yaml").is_empty());
}

#[test]
fn a_malformed_json_line_is_reported_and_reading_goes_on() {
    let text = "{\"id\": \"J-1\"}\n{\"id\": \"J-2\" \"stages\": []}\n{\"id\": \"J-3\"}\n";
    let read = read_all(text, "book.jsonl");
    assert_eq!(read.len(), 3);
    let error = read[1].as_ref().unwrap_err();
    assert_eq!(
        (error.file.as_deref(), error.line, error.deal.as_str()),
        (Some("book.jsonl"), Some(2), "#2")
    );
    assert!(
        error.to_string().starts_with("book.jsonl:2: deal `#2`: "),
        "{error}"
    );
    let (third, origin) = read[2].as_ref().unwrap();
    assert_eq!(
        (third.id.as_deref(), origin.index, origin.line),
        (Some("J-3"), 3, 3)
    );
}

#[test]
fn an_unclosed_json_line_does_not_swallow_the_next_deals() {
    let text = "{\"id\": \"J-1\"}\n{\"id\": \"J-2\", \"fields\": {\"amount\": 1}\n{\"id\": \"J-3\"}\n{\"id\": \"J-4\"}\n";
    let read = read_all(text, "book.jsonl");
    assert_eq!(read[1].as_ref().unwrap_err().deal, "#2");
    let later: Vec<&str> = read[2..]
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(d, _)| d.id.as_deref().unwrap())
        .collect();
    assert_eq!(later, ["J-3", "J-4"]);
}

#[test]
fn a_json_shape_error_names_the_key() {
    let read = read_all("[{\"id\": \"A-1\", \"stages\": \"qualify\"}]", "deals.json");
    let error = read[0].as_ref().unwrap_err();
    assert!(error.to_string().contains("stages"), "{error}");
}

#[test]
fn errors_name_the_file_and_the_deal_or_its_position() {
    let text = "id: G-1\n---\nfields: { need: 42 }\n---\nid: G-3\nstages: [nowhere]\n";
    let engine = engine();
    let messages: Vec<String> = read_all(text, "book.yaml")
        .into_iter()
        .filter_map(|read| {
            let (deal, origin) = read.unwrap();
            engine
                .evaluate(&deal, at(), &Options::new())
                .err()
                .map(|e| origin.locate(&deal, e).to_string())
        })
        .collect();
    assert_eq!(
        messages,
        [
            "book.yaml:3: deal `#2`: field `need`: expected a text, got number `42`",
            "book.yaml:5: deal `G-3`: stages: unknown stage `nowhere`",
        ]
    );
}

#[test]
fn a_blank_id_names_no_deal_so_its_position_does() {
    // Unreadable (an unknown key): named from the text, where the id is blank.
    let read = read_all(
        "{\"id\": \" \", \"colour\": \"red\"}\n{\"id\": \"\"}\n",
        "deals.jsonl",
    );
    let error = read[0].as_ref().expect_err("unreadable");
    assert_eq!(error.deal, "#1");
    // Readable but wrong: named when the error is placed.
    let error = error_of("id: ''\nstage: nowhere\n");
    assert_eq!(error.deal, "#1");
    assert!(error.to_string().contains("deal `#1`"), "{error}");
}

#[test]
fn a_line_of_json_lines_that_is_not_a_deal_is_one_error() {
    let text = "{\"id\": \"A\"}\nhello world foo\n\"abc\" 12\n, {\"id\": \"B\"}\n{\"id\": \"C\"}\n";
    let read: Vec<(usize, String)> = read_all(text, "book.jsonl")
        .into_iter()
        .map(|item| match item {
            Ok((deal, origin)) => (origin.line, format!("{} {}", origin.index, deal.label("?"))),
            Err(error) => (error.line.unwrap_or(0), error.to_string()),
        })
        .collect();
    let expected = [
        (1, "1 A".to_owned()),
        (
            2,
            "book.jsonl:2: deal `#2`: expected a deal (a JSON object `{...}`), found `hello world foo`"
                .to_owned(),
        ),
        (
            3,
            "book.jsonl:3: deal `#3`: expected a deal (a JSON object `{...}`), found `\"abc\" 12`"
                .to_owned(),
        ),
        // A stray comma is taken alone, so the deal after it on the line is read.
        (
            4,
            "book.jsonl:4: deal `#4`: expected a deal (a JSON object `{...}`), found `,`".to_owned(),
        ),
        (4, "5 B".to_owned()),
        (5, "6 C".to_owned()),
    ];
    assert_eq!(read, expected);
}
