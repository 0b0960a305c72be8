//! Properties of the engine over random deals for the bundled playbook, random evaluation
//! times, mutated playbooks and random deal texts.
//!
//! Case counts are modest so the file runs in seconds in a debug build; raise them for a
//! deeper run with `PROPTEST_CASES=2000 cargo test --test properties`.
// Tests fail loudly by design: the helpers and the fuzz bodies included below unwrap and expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{json, Value};
use stagegate::{
    Blocker, Completion, Deal, DealProblem, DealScores, Engine, Evaluation, Field, FieldType,
    HistoryEntry, Move, MoveError, MoveKind, Options, Playbook, Timestamp,
};

/// The fuzz targets' checks, shared with `cargo fuzz` and `tests/hostile.rs`.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod oracle;

fn engine() -> &'static Engine {
    oracle::engine()
}

fn playbook() -> &'static Playbook {
    engine().playbook()
}

fn stage_ids() -> Vec<String> {
    playbook().stages().iter().map(|s| s.id.clone()).collect()
}

fn activity_ids() -> Vec<String> {
    let stages = playbook().stages();
    stages
        .iter()
        .flat_map(|s| s.activities.iter().map(|a| a.id.clone()))
        .collect()
}

/// `cases` cases, or `PROPTEST_CASES` when it is set.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    let cases = match std::env::var_os("PROPTEST_CASES") {
        Some(_) => default.cases,
        None => cases,
    };
    ProptestConfig {
        cases,
        // Failing inputs are reported in the test output; nothing is written next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Random deals.

/// A date or date-time as deals write them, 2019 to 2030.
fn date_text() -> impl Strategy<Value = String> {
    let day = (2019i32..2031, 1u8..=12, 1u8..=28);
    prop_oneof![
        day.clone()
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (day.clone(), 0u8..24, 0u8..60).prop_map(|((y, m, d), h, min)| {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:00Z")
        }),
        (day, 0u8..24, select(vec!["+09:00", "-05:00", "+00:00"])).prop_map(
            |((y, m, d), h, offset)| format!("{y:04}-{m:02}-{d:02}T{h:02}:30:15{offset}")
        ),
    ]
}

/// An evaluation time, 2019 to 2030.
fn timestamp() -> impl Strategy<Value = Timestamp> {
    (1_546_300_800i64..1_924_992_000).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn text_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec!["CFO", "CEO", "VP", "대표이사", "Head of IT", "CRM migration", " ", ""])
            .prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
    .boxed()
}

/// A value of the field's type (or null, which counts as absent).
fn right_value(field: &Field) -> BoxedStrategy<Value> {
    let typed: BoxedStrategy<Value> = match field.kind {
        FieldType::Bool => any::<bool>().prop_map(Value::from).boxed(),
        FieldType::Integer => prop_oneof![
            4 => (-20i64..400).prop_map(Value::from),
            1 => any::<i64>().prop_map(Value::from),
            1 => (0i64..200).prop_map(|n| json!(n as f64)),
        ]
        .boxed(),
        FieldType::Number => prop_oneof![
            3 => (0i64..200_000).prop_map(Value::from),
            2 => (-1e6f64..1e6).prop_map(Value::from),
            1 => select(vec![0.0, 10_000.0, 50_000.0, 1e308, -1e308, 5e-324]).prop_map(Value::from),
        ]
        .boxed(),
        FieldType::Text => text_value().prop_map(Value::from).boxed(),
        FieldType::Date => date_text().prop_map(Value::from).boxed(),
        FieldType::Enum => {
            let mut values = field.values.clone();
            values.push(String::new());
            select(values).prop_map(Value::from).boxed()
        }
        FieldType::List => vec(text_value(), 0..4).prop_map(Value::from).boxed(),
    };
    prop_oneof![12 => typed, 1 => Just(Value::Null)].boxed()
}

/// A value no field of this type accepts.
fn wrong_value(kind: FieldType) -> Value {
    match kind {
        FieldType::Bool => json!("yes"),
        FieldType::Integer => json!(2.5),
        FieldType::Number => json!("12"),
        FieldType::Text => json!(12),
        FieldType::Date => json!("someday"),
        FieldType::Enum => json!("not-a-listed-value"),
        FieldType::List => json!([1, 2]),
    }
}

/// One thing that makes a deal invalid.
#[derive(Clone, Debug)]
enum Corruption {
    WrongType(usize),
    UndeclaredField,
    UnknownActivity,
    UnknownStage,
    DuplicateStage,
    BadActivityDate,
    BadHistoryDate,
    WrongPin,
}

fn corruption() -> impl Strategy<Value = Corruption> {
    let fields = playbook().fields().len();
    prop_oneof![
        (0..fields).prop_map(Corruption::WrongType),
        Just(Corruption::UndeclaredField),
        Just(Corruption::UnknownActivity),
        Just(Corruption::UnknownStage),
        Just(Corruption::DuplicateStage),
        Just(Corruption::BadActivityDate),
        Just(Corruption::BadHistoryDate),
        Just(Corruption::WrongPin),
    ]
}

impl Corruption {
    fn apply(&self, deal: &mut Deal) {
        match self {
            Corruption::WrongType(index) => {
                let field = &playbook().fields()[*index];
                deal.fields
                    .insert(field.id.clone(), wrong_value(field.kind));
            }
            Corruption::UndeclaredField => {
                deal.fields.insert("colour".to_owned(), json!("red"));
            }
            Corruption::UnknownActivity => {
                deal.activities
                    .insert("no_such_activity".to_owned(), Completion::Flag(true));
            }
            Corruption::UnknownStage => deal.stages.push("nowhere".to_owned()),
            Corruption::DuplicateStage => {
                let stage = deal
                    .stages
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "lost".into());
                deal.stages.extend([stage.clone(), stage]);
            }
            Corruption::BadActivityDate => {
                deal.activities.insert(
                    "discovery_call".to_owned(),
                    Completion::At("2026-02-30".into()),
                );
            }
            Corruption::BadHistoryDate => deal.history.push(HistoryEntry {
                by: None,
                at: "yesterday".to_owned(),
                from: None,
                to: "qualification".to_owned(),
                kind: None,
                fork: false,
                forced: false,
                reason: None,
                overridden: Vec::new(),
                migrated_from: None,
                approved: None,
                imported: false,
                imported_by: None,
                edit: None,
                archived: false,
                unarchived: false,
                approval_requested: None,
                note: None,
            }),
            Corruption::WrongPin => deal.playbook = Some("b2b-sales@99".to_owned()),
        }
    }
}

fn history_entry() -> impl Strategy<Value = HistoryEntry> {
    let stages = stage_ids();
    let kind = prop_oneof![
        Just(MoveKind::Advance),
        Just(MoveKind::Skip),
        Just(MoveKind::Return),
        Just(MoveKind::Exit)
    ];
    (
        date_text(),
        proptest::option::of(select(stages.clone())),
        select(stages),
        proptest::option::of(kind),
        any::<bool>(),
        proptest::option::weighted(0.2, "[a-z ]{1,12}"),
    )
        .prop_map(|(at, from, to, kind, fork, reason)| HistoryEntry {
            by: None,
            at,
            from,
            to,
            kind,
            fork,
            forced: reason.is_some(),
            reason,
            overridden: Vec::new(),
            migrated_from: None,
            approved: None,
            imported: false,
            imported_by: None,
            edit: None,
            archived: false,
            unarchived: false,
            approval_requested: None,
            note: None,
        })
}

fn completion() -> impl Strategy<Value = Completion> {
    prop_oneof![
        2 => date_text().prop_map(Completion::At),
        1 => Just(Completion::Flag(true)),
        1 => Just(Completion::Flag(false)),
    ]
}

/// A random deal for the bundled playbook and whether it was made invalid on purpose.
#[derive(Clone, Debug)]
struct Case {
    deal: Deal,
    corrupted: bool,
}

fn deal_case() -> impl Strategy<Value = Case> {
    let fields: Vec<BoxedStrategy<Option<Value>>> = playbook()
        .fields()
        .iter()
        .map(|f| proptest::option::weighted(0.6, right_value(f)).boxed())
        .collect();
    let stages = stage_ids();
    let stage_count = stages.len();
    (
        proptest::option::of("D-[0-9]{1,4}"),
        proptest::option::of(select(vec!["b2b-sales", "b2b-sales@1"])),
        subsequence(stages, 0..=3),
        fields,
        vec((select(activity_ids()), completion()), 0..16),
        vec(history_entry(), 0..5),
        proptest::option::weighted(0.15, corruption()),
        any::<bool>(),
    )
        .prop_map(
            move |(id, pin, stages, values, activities, history, corruption, reverse)| {
                let mut stages = stages;
                if reverse {
                    // Order does not matter on the way in.
                    stages.reverse();
                }
                assert!(stages.len() <= stage_count);
                let mut deal = Deal {
                    id,
                    owner: None,
                    playbook: pin.map(str::to_owned),
                    stages,
                    fields: BTreeMap::new(),
                    activities: activities.into_iter().collect(),
                    approvals: BTreeMap::new(),
                    tasks: BTreeMap::new(),
                    history,
                    archived: None,
                };
                for (field, value) in playbook().fields().iter().zip(values) {
                    if let Some(value) = value {
                        deal.fields.insert(field.id.clone(), value);
                    }
                }
                if let Some(corruption) = &corruption {
                    corruption.apply(&mut deal);
                }
                Case {
                    deal,
                    corrupted: corruption.is_some(),
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// An evaluation without its human-readable messages (which depend on the language).
fn without_messages(mut evaluation: Evaluation) -> Evaluation {
    fn strip(blocker: &mut Blocker) {
        blocker.message = None;
        blocker.because.iter_mut().for_each(strip);
    }
    for check in &mut evaluation.transitions {
        check.blockers.iter_mut().for_each(strip);
    }
    // Next steps: the guidance and titles are texts; the ids, fields and times are not.
    for steps in &mut evaluation.next_steps {
        steps.guidance = None;
        steps.activities.iter_mut().for_each(|a| a.title.clear());
        steps.approvals.iter_mut().for_each(|a| a.message = None);
    }
    evaluation
        .warnings
        .iter_mut()
        .for_each(|w| w.message.clear());
    evaluation
}

/// The declared transitions out of the active stages, in playbook order.
fn declared_moves(stages: &[String]) -> Vec<(String, String, MoveKind, bool)> {
    playbook()
        .transitions()
        .iter()
        .filter(|t| stages.contains(&t.from))
        .map(|t| (t.from.clone(), t.to.clone(), t.kind, t.fork))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn evaluation_is_deterministic_and_consistent(case in deal_case(), at in timestamp()) {
        let deal = &case.deal;
        let first = engine().evaluate(deal, at, &Options::new());
        // The deal as JSON text, scored straight from it: the same answer as the parsed deal.
        let json = serde_json::to_string(deal).expect("a deal writes as JSON");
        let full = engine().score(deal, at).map(|scores| DealScores { deal: deal.id.clone(), scores });
        prop_assert_eq!(stagegate::contract::score_json(engine(), &json, at), full, "score_json agrees with score");
        prop_assert_eq!(&first, &engine().evaluate(deal, at, &Options::new()), "same inputs, same answer");
        prop_assert_eq!(&first, &engine().clone().evaluate(deal, at, &Options::new()), "a clone answers alike");
        match first {
            Ok(evaluation) => {
                prop_assert!(!case.corrupted, "an invalid deal was accepted: {:?}", deal);
                oracle::check_evaluation(&evaluation);
                for check in &evaluation.transitions {
                    prop_assert_eq!(check.allowed, check.blockers.is_empty());
                    if !check.allowed {
                        prop_assert!(!check.blockers.is_empty(), "a blocked move says why");
                    }
                }
                let moves: Vec<_> = evaluation
                    .transitions
                    .iter()
                    .map(|t| (t.from.clone(), t.to.clone(), t.kind, t.fork))
                    .collect();
                prop_assert_eq!(moves, declared_moves(&evaluation.stages), "every move, once");
                let scores = engine().score(deal, at).expect("valid");
                prop_assert_eq!(&scores, &evaluation.scores, "score agrees with evaluate");
                let english = engine().clone().with_language("en").evaluate(deal, at, &Options::new());
                prop_assert_eq!(
                    without_messages(english.expect("valid in any language")),
                    without_messages(evaluation),
                    "the language changes messages only"
                );
            }
            Err(error) => {
                prop_assert!(case.corrupted, "a valid deal was refused: {}", error);
                prop_assert!(!error.problems.is_empty());
                prop_assert_eq!(&error.deal, &deal.label("(no id)"));
                match engine().apply(deal, &Move::to("lost").by(oracle::mover()), at) {
                    Err(MoveError::Deal(same)) => prop_assert_eq!(same, error),
                    other => prop_assert!(false, "expected the deal's error, got {:?}", other),
                }
            }
        }
    }

    #[test]
    fn moves_agree_with_the_evaluation(case in deal_case(), at in timestamp()) {
        let deal = &case.deal;
        let Ok(evaluation) = engine().evaluate(deal, at, &Options::new()) else {
            return Ok(());
        };
        let before = deal.clone();
        // A move may not be dated before the deal's last history entry.
        let last = deal.history.iter().filter_map(|e| playbook().read_time(&e.at).ok()).max();
        if last.is_some_and(|last| at < last) {
            for check in &evaluation.transitions {
                let wanted = Move::to(check.to.clone()).from(check.from.clone()).by(oracle::mover());
                let result = engine().apply(deal, &wanted.forced("late"), at);
                let refused = matches!(result, Err(MoveError::BeforeHistory { .. }));
                prop_assert!(refused, "{:?}", result);
            }
            return Ok(());
        }
        for check in &evaluation.transitions {
            let wanted = Move::to(check.to.clone())
                .from(check.from.clone())
                .by(oracle::mover());
            let result = engine().apply(deal, &wanted, at).map(|applied| applied.deal);
            prop_assert_eq!(deal, &before, "apply leaves its input alone");
            if check.allowed {
                let moved = result.expect("an allowed move is made");
                oracle::check_moved(deal, &moved, check, &evaluation);
                let entry = moved.history.last().unwrap();
                prop_assert!(!entry.forced && entry.reason.is_none());
            } else {
                match result {
                    Err(MoveError::Blocked { check: refused }) => {
                        prop_assert_eq!(&refused.blockers, &check.blockers);
                        prop_assert_eq!(&*refused, check);
                    }
                    other => prop_assert!(false, "expected Blocked, got {:?}", other),
                }
            }

            // Forced: always made, recorded as forced with the (trimmed) reason when blocked,
            // as a normal move when not.
            let forced = wanted.clone().forced("  signed off by the CEO ");
            // A missing approval is someone else's consent: no force goes past it.
            let approval = check
                .blockers
                .iter()
                .any(|b| b.reason == stagegate::Reason::ApprovalMissing);
            let result = engine().apply(deal, &forced, at);
            if approval {
                prop_assert!(
                    matches!(result, Err(MoveError::ApprovalNotForceable { .. })),
                    "expected ApprovalNotForceable, got {:?}",
                    result
                );
                continue;
            }
            let moved = result.expect("a forced move is made").deal;
            oracle::check_moved(deal, &moved, check, &evaluation);
            let entry = moved.history.last().unwrap();
            prop_assert_eq!(entry.forced, !check.allowed);
            let reason = (!check.allowed).then(|| "signed off by the CEO".to_owned());
            prop_assert_eq!(&entry.reason, &reason);
            let mut names: Vec<&str> = Vec::new();
            for name in check.blockers.iter().flat_map(Blocker::names) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            prop_assert_eq!(&entry.overridden, &names, "what the move went past");
            prop_assert_eq!(
                engine().apply(deal, &wanted.clone().forced(" \t"), at),
                Err(MoveError::MissingReason)
            );

            // Without a source: the same move when only one active stage declares it.
            let sources = evaluation.moves_to(&check.to).count();
            let unnamed = engine().apply(deal, &Move::to(check.to.clone()).by(oracle::mover()), at);
            if sources == 1 {
                prop_assert_eq!(unnamed, engine().apply(deal, &wanted, at));
            } else {
                let is_ambiguous = matches!(unnamed, Err(MoveError::Ambiguous { .. }));
                prop_assert!(is_ambiguous, "{:?}", unnamed);
            }
        }
        // Stages no active stage leads to, sources that are not active, unknown stages.
        for stage in stage_ids() {
            if evaluation.moves_to(&stage).next().is_none() {
                let result = engine().apply(deal, &Move::to(stage.clone()).by(oracle::mover()), at);
                let refused = matches!(result, Err(MoveError::NotDeclared { .. }));
                prop_assert!(refused, "{} -> {:?}", stage, result);
            }
            if !evaluation.stages.contains(&stage) {
                let result = engine().apply(deal, &Move::to("lost").from(stage.clone()).by(oracle::mover()), at);
                let refused = matches!(result, Err(MoveError::NotActive { .. }));
                prop_assert!(refused, "from {}: {:?}", stage, result);
            }
        }
        let unknown = engine().apply(deal, &Move::to("qualifcation").by(oracle::mover()), at);
        let refused = matches!(unknown, Err(MoveError::UnknownStage { .. }));
        prop_assert!(refused, "{:?}", unknown);
    }
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn parallel_evaluation_matches_sequential(
        cases in vec((deal_case(), timestamp()), 4..10),
        threads in 2usize..=4,
    ) {
        let engine = engine();
        let sequential: Vec<_> = cases
            .iter()
            .map(|(case, at)| (engine.evaluate(&case.deal, *at, &Options::new()), engine.score(&case.deal, *at)))
            .collect();
        let parallel: Vec<Vec<_>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let cases = &cases;
                    scope.spawn(move || {
                        // Each thread walks the deals from a different place, twice over.
                        let n = cases.len();
                        let mut results = vec![None; n];
                        for step in 0..2 * n {
                            let i = (t * 3 + step) % n;
                            let (case, at) = &cases[i];
                            let result =
                                (engine.evaluate(&case.deal, *at, &Options::new()), engine.score(&case.deal, *at));
                            if let Some(earlier) = &results[i] {
                                assert_eq!(earlier, &result, "same thread, same answer");
                            }
                            results[i] = Some(result);
                        }
                        results.into_iter().map(Option::unwrap).collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("no panic")).collect()
        });
        for results in parallel {
            prop_assert_eq!(&results, &sequential);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mutated playbooks and random YAML-ish text.

#[derive(Clone, Debug)]
enum Mutation {
    DeleteChars(f64, usize),
    ReplaceChar(f64, char),
    Insert(f64, &'static str),
    DeleteLine(f64),
    DuplicateLine(f64),
    SwapLines(f64, f64),
}

const REPLACEMENTS: &[char] = &[
    ':', '-', ' ', '\n', '\r', '\t', '{', '}', '[', ']', '"', '\'', '#', '&', '*', '!', '|', '>',
    'x', '0', '9', '.', ',', '가', '%', '@', '`', '\\', '?', '\u{feff}',
];

const INSERTIONS: &[&str] = &[
    "&a ",
    "*a",
    "<<: *a\n",
    "\"",
    "{",
    "[",
    "when: \"",
    "budget >= ",
    "score(\"lead\")",
    "done(\"nothing\")",
    " && ",
    " || ",
    "- ",
    ": ",
    "\n  ",
    "\n- ",
    "fork: true",
    "from: \"*\"",
    "outcome: won",
    "outcome: lost",
    "required: true",
    "~",
    "null",
    "---\n",
    "1e999",
    "-1",
    "tests: []\n",
    "min: mql",
    "in_stage(\"closing\")",
    "days_in_stage()",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0f64..1.0;
    prop_oneof![
        (at.clone(), 1usize..40).prop_map(|(a, n)| Mutation::DeleteChars(a, n)),
        (at.clone(), select(REPLACEMENTS)).prop_map(|(a, c)| Mutation::ReplaceChar(a, c)),
        (at.clone(), select(INSERTIONS)).prop_map(|(a, s)| Mutation::Insert(a, s)),
        at.clone().prop_map(Mutation::DeleteLine),
        at.clone().prop_map(Mutation::DuplicateLine),
        (at.clone(), at).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

/// The byte offset of the character at `fraction` of the way through `text`.
fn char_offset(text: &str, fraction: f64) -> usize {
    let count = text.chars().count();
    let nth = ((count as f64) * fraction) as usize;
    text.char_indices().nth(nth).map_or(text.len(), |(i, _)| i)
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for mutation in mutations {
        let line_of = |text: &str, f: f64| {
            let n = text.split_inclusive('\n').count().max(1);
            ((n as f64) * f) as usize
        };
        match mutation {
            Mutation::DeleteChars(at, n) => {
                let start = char_offset(&text, *at);
                let end = text[start..]
                    .char_indices()
                    .nth(*n)
                    .map_or(text.len(), |(i, _)| start + i);
                text.replace_range(start..end, "");
            }
            Mutation::ReplaceChar(at, c) => {
                let start = char_offset(&text, *at);
                if let Some(old) = text[start..].chars().next() {
                    text.replace_range(start..start + old.len_utf8(), &c.to_string());
                }
            }
            Mutation::Insert(at, piece) => {
                let start = char_offset(&text, *at);
                text.insert_str(start, piece);
            }
            Mutation::DeleteLine(at) | Mutation::DuplicateLine(at) => {
                let index = line_of(&text, *at);
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if index < lines.len() {
                    if matches!(mutation, Mutation::DeleteLine(_)) {
                        lines.remove(index);
                    } else {
                        lines.insert(index, lines[index]);
                    }
                }
                text = lines.concat();
            }
            Mutation::SwapLines(a, b) => {
                let (a, b) = (line_of(&text, *a), line_of(&text, *b));
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if a < lines.len() && b < lines.len() {
                    lines.swap(a, b);
                }
                text = lines.concat();
            }
        }
    }
    text
}

/// Checks a playbook text: no panic, placed diagnostics, load and check agree; and a loaded
/// playbook evaluates a deal without stages.
fn check_playbook_text(text: &str) -> Result<(), TestCaseError> {
    oracle::load_playbook(text.as_bytes());
    if let Ok(playbook) = Playbook::from_yaml(text, oracle::FILE) {
        let engine = Engine::new(playbook);
        let evaluation = engine.evaluate(&Deal::default(), oracle::at(), &Options::new());
        let evaluation = evaluation.expect("a deal without anything fits any playbook");
        for check in &evaluation.transitions {
            prop_assert_eq!(check.allowed, check.blockers.is_empty());
        }
    }
    Ok(())
}

fn yamlish() -> impl Strategy<Value = String> {
    let pieces = select(vec![
        "stagegate: 1\n",
        "id: x\n",
        "version: 1\n",
        "stages:\n",
        "  - id: a\n",
        "  - { id: b, outcome: won }\n",
        "transitions: [ { from: a, to: b } ]\n",
        "fields: { n: { type: integer } }\n",
        "    exit: [ \"n > 1\" ]\n",
        "    entry: [ { fields: [n] } ]\n",
        "scorecards: { s: { rules: [ { id: r, when: \"n > 0\", points: 5 } ] } }\n",
        ": ",
        "- ",
        "&a ",
        "*a ",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        "#",
        "\n",
        "\t",
        "  ",
        "가",
        "when: |\n",
        "---\n",
    ]);
    prop_oneof![
        "[ -~\n\t]{0,200}",
        vec(pieces, 0..30).prop_map(|p| p.concat()),
    ]
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn mutated_playbooks_never_panic_and_place_their_diagnostics(
        mutations in vec(mutation(), 1..6),
    ) {
        let text = mutate(oracle::BUNDLED, &mutations);
        check_playbook_text(&text)?;
    }

    #[test]
    fn yamlish_text_never_panics_and_places_its_diagnostics(text in yamlish()) {
        check_playbook_text(&text)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Random deal texts.

const DEAL_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\n",
    "\r\n",
    " ",
    "\t",
    "#",
    "-",
    "- ",
    "---\n",
    "...\n",
    "\"id\"",
    "\"D-1\"",
    "1",
    "-1",
    "1e999",
    "true",
    "null",
    "id: D-1\n",
    "stage: qualification\n",
    "stages: [qualification, closing]\n",
    "fields: {amount: 5, need: x}\n",
    "\"fields\": {\"amount\": 5}",
    "activities: {discovery_call: 2026-11-03}\n",
    "history:\n  - {at: 2026-10-01, to: lead_generation}\n",
    "{\"id\": \"a\"}",
    "[{\"id\": 1}]",
    "&a ",
    "*a",
    "!!str ",
    "\u{feff}",
    "가",
    "|\n",
    "  ",
    "'",
];

fn deal_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => vec(select(DEAL_PIECES), 0..40).prop_map(|p| p.concat().into_bytes()),
        1 => vec(any::<u8>(), 0..120),
        1 => (select(vec![0usize, 1, 2, 3]), vec(mutation(), 1..4)).prop_map(|(i, m)| {
            let seeds = [
                include_str!("../examples/deals/01-qualified-lead.yaml"),
                include_str!("../examples/deals/07-forked-deal.yaml"),
                include_str!("../examples/deals/book.jsonl"),
                include_str!("../examples/deals/book.yaml"),
            ];
            mutate(seeds[i], &m).into_bytes()
        }),
    ]
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn deal_reader_ends_and_reads_deals_or_errors_with_a_position(text in deal_text()) {
        oracle::read_deals(&text);
    }
}

// ---------------------------------------------------------------------------------------------
// The generators themselves produce what the properties need.

#[test]
fn generated_deals_cover_valid_and_invalid_cases() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (deal_case(), timestamp());
    let (mut valid, mut invalid, mut blocked, mut allowed) = (0, 0, 0, 0);
    for _ in 0..200 {
        let (case, at) = strategy.new_tree(&mut runner).unwrap().current();
        match engine().evaluate(&case.deal, at, &Options::new()) {
            Ok(evaluation) => {
                valid += 1;
                for check in &evaluation.transitions {
                    if check.allowed {
                        allowed += 1;
                    } else {
                        blocked += 1;
                    }
                }
            }
            Err(error) => {
                invalid += 1;
                assert!(case.corrupted, "{error}");
                assert!(error
                    .problems
                    .iter()
                    .all(|p| !matches!(p, DealProblem::Unreadable(_))));
            }
        }
    }
    assert!(
        valid > 100 && invalid > 10,
        "valid {valid}, invalid {invalid}"
    );
    assert!(
        allowed > 50 && blocked > 50,
        "allowed {allowed}, blocked {blocked}"
    );
}

// ---------------------------------------------------------------------------------------------
// Regressions found by these properties.

#[test]
fn did_you_mean_hints_are_the_same_on_every_load() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hostile/playbook-unknown-name-hint-tie.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let first = Playbook::check(&text, "tie.yaml");
    assert!(first
        .iter()
        .any(|d| d.code == "unknown-name" && d.help.is_some()));
    for _ in 0..64 {
        assert_eq!(
            Playbook::check(&text, "tie.yaml"),
            first,
            "same text, same help"
        );
    }
}
