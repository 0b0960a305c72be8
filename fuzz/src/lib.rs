//! The bodies of the three fuzz targets, with the invariants they check.
//!
//! `cargo fuzz` runs them through `fuzz_targets/*.rs`; the replay test in `tests/hostile.rs`
//! includes this very file (`#[path]`) and runs every file of `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/` through the same functions, so CI checks every input the fuzzer
//! ever kept without running the fuzzer. Every check panics on a violated invariant, which the
//! fuzzer reports as a crash.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use stagegate::{
    Actor, Deal, DealReader, DealScores, Diagnostic, Engine, Evaluation, Move, MoveError, Options,
    Playbook, Timestamp,
};

/// The bundled playbook's text.
pub const BUNDLED: &str = include_str!("../../playbooks/b2b-sales.yaml");

/// The file name diagnostics and deal errors are expected to carry.
pub const FILE: &str = "fuzz-input";

/// A scorecard's declared bounds and bands, read from the bundled playbook's YAML.
#[derive(Clone, Debug, Default)]
pub struct CardSpec {
    /// `min:`, if any.
    pub min: Option<i64>,
    /// `max:`, if any.
    pub max: Option<i64>,
    /// Bands in the written (ascending) order.
    pub bands: Vec<(String, i64)>,
}

/// The bundled playbook, loaded once.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let playbook = Playbook::from_yaml(BUNDLED, "b2b-sales.yaml").expect("bundled loads");
        Engine::new(playbook)
    })
}

/// Who makes the moves: a sales manager, who may make and force every move of the bundled
/// playbook (it says who may force, so every move needs an actor).
pub fn mover() -> Actor {
    Actor::new("fuzz", ["manager"])
}

/// The fixed evaluation time of the `evaluate` target.
pub fn at() -> Timestamp {
    "2026-11-27T00:00:00Z".parse().expect("a timestamp")
}

/// The bundled playbook's scorecards, by id.
pub fn card_specs() -> &'static BTreeMap<String, CardSpec> {
    static SPECS: OnceLock<BTreeMap<String, CardSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let root: serde_yaml::Value = serde_yaml::from_str(BUNDLED).expect("bundled is YAML");
        let mut specs = BTreeMap::new();
        let cards = root["scorecards"].as_mapping().expect("scorecards");
        for (id, card) in cards {
            let bands = card["bands"]
                .as_mapping()
                .map(|bands| {
                    bands
                        .iter()
                        .map(|(name, threshold)| {
                            let name = name.as_str().expect("band id").to_owned();
                            (name, threshold.as_i64().expect("band threshold"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let spec = CardSpec {
                min: card["min"].as_i64(),
                max: card["max"].as_i64(),
                bands,
            };
            specs.insert(id.as_str().expect("card id").to_owned(), spec);
        }
        specs
    })
}

/// The highest line number a diagnostic or deal error may name in `text`: YAML breaks lines at
/// `\n`, `\r\n` and a lone `\r`, and an error at the very end may point one line past the last.
pub fn max_line(text: &[u8]) -> usize {
    let breaks = text.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
    breaks + 2
}

/// Every diagnostic points into the file (line >= 1, column >= 1, within the text) or is about
/// the whole file (line 0, column 0).
pub fn check_diagnostics(text: &str, found: &[Diagnostic]) {
    let last = max_line(text.as_bytes());
    for d in found {
        assert_eq!(d.file, FILE, "diagnostic names the file: {d}");
        assert!(!d.code.is_empty(), "diagnostic has a code: {d}");
        assert!(
            !d.message.trim().is_empty(),
            "diagnostic has a message: {d}"
        );
        if d.line == 0 {
            assert_eq!(d.column, 0, "a whole-file diagnostic has no column: {d}");
        } else {
            assert!(d.column >= 1, "a placed diagnostic has a column: {d}");
            assert!(d.line <= last, "line {} past the end ({last}): {d}", d.line);
        }
    }
}

/// Target `load_playbook`: bytes, as UTF-8, through `Playbook::check` and `Playbook::from_yaml`.
pub fn load_playbook(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = Playbook::check(text, FILE);
    check_diagnostics(text, &found);
    let has_errors = found.iter().any(Diagnostic::is_error);
    // Compared without `help`: a "did you mean" hint among equally close names still depends on
    // hash order (an open engine bug, see `did_you_mean_hints_are_the_same_on_every_load` in
    // tests/properties.rs).
    match Playbook::from_yaml(text, FILE) {
        Ok(playbook) => {
            assert!(!has_errors, "loaded although check found errors: {found:?}");
            assert_eq!(
                without_help(playbook.warnings()),
                without_help(&found),
                "load and check agree"
            );
            assert!(
                !playbook.stages().is_empty(),
                "a loaded playbook has stages"
            );
        }
        Err(error) => {
            assert!(
                has_errors,
                "refused without an error: {:?}",
                error.diagnostics
            );
            assert_eq!(
                without_help(&error.diagnostics),
                without_help(&found),
                "load and check agree"
            );
        }
    }
}

/// Diagnostics without their `help`.
pub fn without_help(found: &[Diagnostic]) -> Vec<Diagnostic> {
    found
        .iter()
        .map(|d| {
            let mut bare = d.clone();
            bare.help = None;
            bare
        })
        .collect()
}

/// Target `read_deals`: bytes through `DealReader`, every item checked; the reader must stop.
pub fn read_deals(data: &[u8]) {
    let read = read_deals_upto(data, data.len() + 2);
    assert!(
        read <= data.len() + 1,
        "DealReader did not stop: more than {read} items from {} bytes",
        data.len()
    );
}

/// Reads at most `cap` items (a reader that does not stop is cut there) and checks each: a deal
/// with its 1-based position and line, or an error naming the file, a line and a problem. Every
/// deal read is evaluated against the bundled playbook. Returns the number of items read.
pub fn read_deals_upto(data: &[u8], cap: usize) -> usize {
    let last = max_line(data);
    let mut count = 0;
    for item in DealReader::new(data, FILE).take(cap) {
        count += 1;
        match item {
            Ok((deal, origin)) => {
                assert_eq!(origin.file, FILE);
                assert_eq!(origin.index, count, "deals are numbered in order");
                assert!(
                    (1..=last).contains(&origin.line),
                    "deal #{count} at line {} of {last}",
                    origin.line
                );
                if let Err(error) = engine().evaluate(&deal, at(), &Options::new()) {
                    assert!(!error.problems.is_empty(), "a refused deal says why");
                }
            }
            Err(error) => {
                assert_eq!(error.file.as_deref(), Some(FILE), "error names the file");
                let line = error.line.expect("an unreadable deal names its line");
                assert!(
                    (1..=last).contains(&line),
                    "error at line {line} of {last}: {error}"
                );
                assert!(!error.problems.is_empty(), "an error says what is wrong");
                assert!(!error.deal.is_empty(), "an error names the deal: {error}");
            }
        }
    }
    count
}

/// Target `evaluate`: the first byte picks a move, the rest is a deal in JSON for the bundled
/// playbook, evaluated at a fixed time; the evaluation and the picked move are checked.
pub fn evaluate(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let engine = engine();
    // Scoring the text reads it the quick way when it can: the answer is the full way's.
    let quick = stagegate::contract::score_json(engine, text, at());
    let Ok(deal) = serde_json::from_str::<Deal>(text) else {
        assert!(
            quick.is_err(),
            "score_json read what is not a deal: {quick:?}"
        );
        return;
    };
    let full = engine.score(&deal, at()).map(|scores| DealScores {
        deal: deal.id.clone(),
        scores,
    });
    assert_eq!(quick, full, "score_json agrees with score");
    let first = engine.evaluate(&deal, at(), &Options::new());
    assert_eq!(
        first,
        engine.evaluate(&deal, at(), &Options::new()),
        "evaluation is deterministic"
    );
    let evaluation = match first {
        Ok(evaluation) => evaluation,
        Err(error) => {
            assert!(!error.problems.is_empty(), "a refused deal says why");
            match engine.apply(&deal, &Move::to("lost").by(mover()), at()) {
                Err(MoveError::Deal(same)) => assert_eq!(same, error),
                other => panic!("a move of an invalid deal is refused as such: {other:?}"),
            }
            return;
        }
    };
    check_evaluation(&evaluation);
    assert_eq!(
        engine.score(&deal, at()).as_ref(),
        Ok(&evaluation.scores),
        "score agrees with evaluate"
    );
    if evaluation.transitions.is_empty() {
        return;
    }
    let index = usize::from(selector & 0x7f) % evaluation.transitions.len();
    let check = &evaluation.transitions[index];
    let forced = selector & 0x80 != 0;
    let mut wanted = Move::to(check.to.clone())
        .from(check.from.clone())
        .by(mover());
    if forced {
        wanted = wanted.forced("fuzzing");
    }
    let before = deal.clone();
    let result = engine
        .apply(&deal, &wanted, at())
        .map(|applied| applied.deal);
    assert_eq!(deal, before, "apply leaves its input alone");
    match result {
        Ok(moved) => {
            assert!(check.allowed || forced, "a blocked move was made unforced");
            check_moved(&deal, &moved, check, &evaluation);
        }
        Err(MoveError::Blocked { check: refused }) => {
            assert!(!check.allowed && !forced, "refused as blocked: {check:?}");
            assert_eq!(
                *refused, *check,
                "the refusal carries the evaluation's blockers"
            );
        }
        // A move dated before the deal's last history entry is refused.
        Err(MoveError::BeforeHistory { .. }) => {
            let last = deal
                .history
                .iter()
                .filter_map(|e| engine.playbook().read_time(&e.at).ok())
                .max();
            assert!(
                last.is_some_and(|last| at() < last),
                "refused as late, but it is not"
            );
        }
        Err(other) => panic!("{check:?} (forced: {forced}) refused: {other}"),
    }
}

/// Checks one evaluation of a deal of the bundled playbook.
pub fn check_evaluation(evaluation: &Evaluation) {
    let playbook = engine().playbook();
    let position = |id: &str| playbook.stages().iter().position(|s| s.id == id);
    assert!(!evaluation.stages.is_empty(), "a deal is somewhere");
    let positions: Vec<usize> = evaluation
        .stages
        .iter()
        .map(|s| position(s).expect("a known stage"))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "active stages in playbook order, once each: {:?}",
        evaluation.stages
    );
    for check in &evaluation.transitions {
        assert!(
            evaluation.stages.contains(&check.from),
            "moves leave active stages"
        );
        assert_eq!(
            check.allowed,
            check.blockers.is_empty(),
            "allowed exactly when nothing blocks: {check:?}"
        );
    }
    let specs = card_specs();
    assert_eq!(
        evaluation.scores.keys().collect::<Vec<_>>(),
        specs.keys().collect::<Vec<_>>(),
        "every scorecard is scored"
    );
    for (id, score) in &evaluation.scores {
        let spec = &specs[id];
        let sum: i64 = score.rules.iter().map(|r| r.points).sum();
        let clamped = sum
            .max(spec.min.unwrap_or(i64::MIN))
            .min(spec.max.unwrap_or(i64::MAX));
        assert_eq!(score.total, clamped, "{id}: total is the clamped sum");
        if let Some(min) = spec.min {
            assert!(score.total >= min, "{id}: {} below min {min}", score.total);
        }
        if let Some(max) = spec.max {
            assert!(score.total <= max, "{id}: {} above max {max}", score.total);
        }
        let band = spec
            .bands
            .iter()
            .rev()
            .find(|(_, threshold)| *threshold <= score.total)
            .map(|(name, _)| name.clone());
        assert_eq!(score.band, band, "{id}: band of total {}", score.total);
        for rule in &score.rules {
            if rule.matched {
                assert!(rule.missing.is_empty() && rule.error.is_none(), "{rule:?}");
            } else {
                assert_eq!(rule.points, 0, "an unmatched rule adds nothing: {rule:?}");
            }
        }
    }
}

/// Checks a deal moved by `check` (allowed, or forced past its blockers).
pub fn check_moved(
    before: &Deal,
    moved: &Deal,
    check: &stagegate::MoveCheck,
    evaluation: &Evaluation,
) {
    assert_eq!(moved.history.len(), before.history.len() + 1, "one entry");
    assert_eq!(
        moved.history[..before.history.len()],
        before.history[..],
        "earlier entries are unchanged"
    );
    assert_eq!(
        (&moved.id, &moved.fields, &moved.activities, &moved.playbook),
        (
            &before.id,
            &before.fields,
            &before.activities,
            &before.playbook
        ),
        "a move changes stages and history only"
    );
    for id in moved.approvals.keys() {
        assert!(
            before.approvals.contains_key(id),
            "a move gives no approval"
        );
    }
    let entry = moved.history.last().expect("an entry");
    assert_eq!(entry.at, evaluation.at);
    assert_eq!(entry.by.as_deref(), Some("fuzz"), "the mover is recorded");
    assert_eq!(entry.from.as_deref(), Some(check.from.as_str()));
    assert_eq!(entry.to, check.to);
    assert_eq!(entry.kind, Some(check.kind));
    assert_eq!(entry.fork, check.fork);
    assert_eq!(
        entry.forced, !check.allowed,
        "forced exactly when it was blocked"
    );
    assert_eq!(
        entry.reason.is_some(),
        !check.allowed,
        "a reason exactly when forced"
    );
    if check.allowed {
        assert!(entry.overridden.is_empty());
    } else {
        for name in check.blockers.iter().flat_map(|b| b.names()) {
            assert!(
                entry.overridden.iter().any(|o| o == name),
                "{name} overridden"
            );
        }
    }
    let after = engine()
        .evaluate(moved, at_of(evaluation), &Options::new())
        .expect("a moved deal is valid");
    assert!(after.stages.contains(&check.to), "the target is active");
    assert_eq!(
        after.stages.contains(&check.from),
        check.fork,
        "the source stays active exactly for a fork"
    );
    for stage in &evaluation.stages {
        if *stage != check.from {
            assert!(after.stages.contains(stage), "other stages stay active");
        }
    }
    assert_eq!(
        after.stages, moved.stages,
        "the moved deal names its stages"
    );
}

/// The time of an evaluation.
pub fn at_of(evaluation: &Evaluation) -> Timestamp {
    evaluation
        .at
        .parse()
        .expect("the evaluation time reads back")
}
