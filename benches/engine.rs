//! Criterion benches of the engine, single thread. See benches/README.md.
//!
//! - `load`: `Playbook::from_yaml` on the bundled playbook (parse, check, compile every rule);
//!   target 5 ms or less.
//! - `evaluate`: `Engine::evaluate` on the bundled playbook, on the deals of its embedded test
//!   cases plus `examples/deals/*.yaml`, which cover every stage; `all_stages` and one bench per
//!   stage. One iteration evaluates every deal of the set: divide by the set's size (criterion's
//!   `thrpt` line, or `benches/criterion-summary.py`) for the time per deal.
//! - `b2b_native`: the same deals' qualification and proposal stages evaluated by hand in Rust
//!   (the four BANT gates with the seven-rule lead score; the four gates of the move to closing
//!   with the six-rule MEDDIC score), against `Engine::evaluate` and `Engine::score` on the same
//!   deals. The hand-written side checks only the one move; the engine also checks every other move
//!   and writes every message, so the ratio is an upper bound of the engine's overhead per check.
//! - `x_education`: `Engine::score` on a few X-Education-like leads written here by hand (no real
//!   data), against the same nine rules written by hand.
//! - `apply`: `Engine::apply` on the same deals as `evaluate`, each advanced out of its first
//!   stage by a sales manager (forced where blocked), with the effects of the stage it leaves and
//!   the stage it enters.
//!
//! Before timing, every hand-written result is checked against the engine's.
// Benches fail loudly by design: a bench whose input does not load stops at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The allocator the `stagegate` command ships with; a host picks its own. With the system
// allocator, `evaluate/all_stages` takes about 40% longer (evaluations build their explanations,
// which allocates): see benches/README.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::Value;
use stagegate::contract::score_json;
use stagegate::{
    Actor, Applied, Deal, DealReader, Engine, Move, MoveError, MoveKind, Options, Playbook,
    RuleResult, Score, Timestamp,
};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const DEFAULT_AT: &str = "2026-11-27";

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}"))
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn bundled() -> (String, Playbook) {
    let text = read("playbooks/b2b-sales.yaml");
    let playbook =
        Playbook::from_yaml(&text, "b2b-sales.yaml").expect("the bundled playbook loads");
    (text, playbook)
}

fn time(text: &str) -> Timestamp {
    stagegate::parse_time(text).expect("a valid time")
}

/// The embedded test cases' deals (at their own times) and every deal of examples/deals/*.yaml.
fn deal_set(playbook: &Playbook) -> Vec<(Deal, Timestamp)> {
    let mut deals: Vec<(Deal, Timestamp)> = playbook
        .tests()
        .iter()
        .map(|case| {
            let at = time(case.at.as_deref().unwrap_or(DEFAULT_AT));
            (case.deal.clone(), at)
        })
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(format!("{ROOT}/examples/deals"))
        .expect("examples/deals")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a deal file");
        let name = path.display().to_string();
        for read in DealReader::new(text.as_bytes(), &name) {
            let (deal, _) = read.unwrap_or_else(|error| panic!("{name}: {error:?}"));
            deals.push((deal, time(DEFAULT_AT)));
        }
    }
    deals
}

/// The stage a deal is in first (the playbook's first stage when it names none).
fn first_stage(playbook: &Playbook, deal: &Deal) -> String {
    deal.stages
        .first()
        .cloned()
        .unwrap_or_else(|| playbook.stages()[0].id.clone())
}

fn load(c: &mut Criterion) {
    let (text, _) = bundled();
    let x_education = read("examples/real-data/x-education/playbook.yaml");
    let mut group = c.benchmark_group("load");
    group.bench_function("from_yaml/b2b-sales", |b| {
        b.iter(|| Playbook::from_yaml(black_box(&text), "b2b-sales.yaml").expect("loads"));
    });
    group.bench_function("from_yaml/x-education", |b| {
        b.iter(|| Playbook::from_yaml(black_box(&x_education), "playbook.yaml").expect("loads"));
    });
    group.finish();
}

fn evaluate_all(engine: &Engine, deals: &[(Deal, Timestamp)]) {
    for (deal, at) in deals {
        black_box(
            engine
                .evaluate(black_box(deal), *at, &Options::new())
                .expect("a valid deal"),
        );
    }
}

fn evaluate(c: &mut Criterion) {
    let (_, playbook) = bundled();
    let deals = deal_set(&playbook);
    let stage_ids: Vec<String> = playbook.stages().iter().map(|s| s.id.clone()).collect();
    let mut by_stage: Vec<(String, Vec<(Deal, Timestamp)>)> = stage_ids
        .iter()
        .map(|id| {
            let set = deals
                .iter()
                .filter(|(deal, _)| first_stage(&playbook, deal) == *id)
                .cloned()
                .collect();
            (id.clone(), set)
        })
        .collect();
    by_stage.retain(|(_, set): &(String, Vec<_>)| !set.is_empty());
    let spread: Vec<String> = by_stage
        .iter()
        .map(|(id, set)| format!("{id} {}", set.len()))
        .collect();
    eprintln!(
        "evaluate: {} deals by first active stage: {}",
        deals.len(),
        spread.join(", ")
    );
    let engine = Engine::new(playbook).with_language("en");

    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(deals.len() as u64));
    group.bench_function("all_stages", |b| b.iter(|| evaluate_all(&engine, &deals)));
    for (stage, set) in &by_stage {
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_with_input(BenchmarkId::new("stage", stage), set, |b, set| {
            b.iter(|| evaluate_all(&engine, set));
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// Hand-written Rust baselines over the same `Deal` values.
// ---------------------------------------------------------------------------------------------

/// A field's value: `None` when absent or an empty text, as the engine reads it.
fn field<'d>(deal: &'d Deal, id: &str) -> Option<&'d Value> {
    deal.fields
        .get(id)
        .filter(|value| !value.is_null() && value.as_str() != Some(""))
}

fn number(deal: &Deal, id: &str) -> Option<f64> {
    field(deal, id).and_then(Value::as_f64)
}

fn text<'d>(deal: &'d Deal, id: &str) -> Option<&'d str> {
    field(deal, id).and_then(Value::as_str)
}

fn flag(deal: &Deal, id: &str) -> Option<bool> {
    field(deal, id).and_then(Value::as_bool)
}

fn done(deal: &Deal, activity: &str) -> bool {
    deal.activities
        .get(activity)
        .is_some_and(stagegate::Completion::is_done)
}

/// A rule's result: `held` is `None` when a field it reads is missing (it names `field`).
fn rule(id: &str, points: i64, field: &str, held: Option<bool>) -> RuleResult {
    let matched = held == Some(true);
    RuleResult {
        id: id.to_owned(),
        points: if matched { points } else { 0 },
        matched,
        missing: if held.is_none() {
            vec![field.to_owned()]
        } else {
            Vec::new()
        },
        error: None,
    }
}

/// Total within 0..=100 and the last band reached.
fn card(rules: Vec<RuleResult>, bands: [(&str, i64); 3]) -> Score {
    let total = rules.iter().map(|r| r.points).sum::<i64>().clamp(0, 100);
    let band = bands
        .iter()
        .rev()
        .find(|(_, from)| total >= *from)
        .map(|(id, _)| (*id).to_owned());
    Score { total, band, rules }
}

const EXECUTIVES: [&str; 11] = [
    "CEO",
    "CFO",
    "COO",
    "CTO",
    "CIO",
    "VP",
    "대표이사",
    "사장",
    "부사장",
    "전무",
    "상무",
];

/// The bundled playbook's `lead` scorecard (seven rules), by hand.
fn lead_score(deal: &Deal, at: Timestamp) -> Score {
    let budget = number(deal, "budget");
    let employees = number(deal, "employees");
    let touch = text(deal, "last_touch").and_then(|date| stagegate::parse_time(date).ok());
    let rules = vec![
        rule(
            "budget_confirmed",
            25,
            "budget",
            budget.map(|b| b >= 50_000.0),
        ),
        rule(
            "exec_sponsor",
            20,
            "decision_maker",
            text(deal, "decision_maker").map(|d| EXECUTIVES.contains(&d)),
        ),
        rule(
            "near_timeline",
            15,
            "timeline_days",
            number(deal, "timeline_days").map(|t| t <= 90.0),
        ),
        rule("mid_market", 15, "employees", employees.map(|e| e >= 50.0)),
        rule(
            "recent_touch",
            15,
            "last_touch",
            touch.map(|t| (at.as_second() - t.as_second()).div_euclid(86_400) <= 14),
        ),
        rule(
            "target_industry",
            10,
            "industry",
            text(deal, "industry").map(|i| ["saas", "finance", "manufacturing"].contains(&i)),
        ),
        rule(
            "tiny_company",
            -20,
            "employees",
            employees.map(|e| e < 10.0),
        ),
    ];
    card(rules, [("cold", 0), ("mql", 40), ("sql", 70)])
}

/// The bundled playbook's `meddic` scorecard (six rules), by hand.
fn meddic_score(deal: &Deal) -> Score {
    let filled = |id: &str| text(deal, id).map(|t| !t.is_empty());
    let rules = vec![
        rule(
            "meddic_metrics",
            20,
            "metrics_defined",
            flag(deal, "metrics_defined"),
        ),
        rule(
            "meddic_economic_buyer",
            20,
            "economic_buyer",
            filled("economic_buyer"),
        ),
        rule(
            "meddic_decision_criteria",
            15,
            "decision_criteria",
            filled("decision_criteria"),
        ),
        rule(
            "meddic_decision_process",
            15,
            "decision_process",
            filled("decision_process"),
        ),
        rule("meddic_identify_pain", 15, "pain", filled("pain")),
        rule("meddic_champion", 15, "champion", flag(deal, "champion")),
    ];
    card(rules, [("weak", 0), ("fair", 50), ("strong", 80)])
}

/// A hand-written check of one move: the scorecard it needs and the ids that block it.
struct NativeCheck {
    score: Score,
    blocked_by: Vec<&'static str>,
}

/// qualification → needs_analysis: the discovery call, the four BANT gates, and the lead band.
fn native_qualification(deal: &Deal, at: Timestamp) -> NativeCheck {
    let score = lead_score(deal, at);
    let mut blocked_by = Vec::new();
    if !done(deal, "discovery_call") {
        blocked_by.push("discovery_call");
    }
    if number(deal, "budget").is_none_or(|b| b < 10_000.0) {
        blocked_by.push("bant_budget");
    }
    if field(deal, "decision_maker").is_none() {
        blocked_by.push("bant_authority");
    }
    if field(deal, "need").is_none() {
        blocked_by.push("bant_need");
    }
    if number(deal, "timeline_days").is_none_or(|t| t > 180.0) {
        blocked_by.push("bant_timeline");
    }
    if score.total < 40 {
        blocked_by.push("lead_mql");
    }
    NativeCheck { score, blocked_by }
}

/// proposal_negotiation → closing: the four gates (formal proposal, within budget, legal review,
/// MEDDIC strong), Finance's approval of a discount over 20%, and the six-rule MEDDIC score.
fn native_closing(deal: &Deal) -> NativeCheck {
    let score = meddic_score(deal);
    let mut blocked_by = Vec::new();
    if !done(deal, "formal_proposal") {
        blocked_by.push("formal_proposal");
    }
    match (number(deal, "budget"), number(deal, "amount")) {
        (Some(budget), Some(amount)) if budget >= amount => {}
        _ => blocked_by.push("within_budget"),
    }
    if score.total < 80 {
        blocked_by.push("meddic_strong");
    }
    if !done(deal, "legal_finance_review") {
        blocked_by.push("legal_review_done");
    }
    // Given by someone from Finance other than the deal's owner (the bench's deals hold none for
    // other values than theirs).
    let approved = deal.approvals.get("discount_approved").is_some_and(|a| {
        a.role.as_deref() == Some("finance") && deal.owner.as_deref() != Some(a.by.as_str())
    });
    if number(deal, "discount_pct").unwrap_or(0.0) > 20.0 && !approved {
        blocked_by.push("discount_approved");
    }
    NativeCheck { score, blocked_by }
}

/// Checks a hand-written result against the engine's for the same deal and move.
fn check_native(engine: &Engine, deal: &Deal, at: Timestamp, to: &str, card: &str) {
    let native = match to {
        "needs_analysis" => native_qualification(deal, at),
        _ => native_closing(deal),
    };
    let evaluation = engine
        .evaluate(deal, at, &Options::new())
        .expect("a valid deal");
    let label = deal
        .id
        .clone()
        .unwrap_or_else(|| format!("{:?}", deal.fields));
    assert_eq!(
        evaluation.scores[card], native.score,
        "{label}: hand-written {card} differs"
    );
    let check = evaluation.moves_to(to).next().expect("the move exists");
    let mut expected: Vec<&str> = check
        .blockers
        .iter()
        .filter_map(|b| b.criterion.as_deref().or(b.activity.as_deref()))
        .collect();
    expected.sort_unstable();
    let mut native_ids = native.blocked_by.clone();
    native_ids.sort_unstable();
    assert_eq!(
        expected, native_ids,
        "{label}: hand-written blockers of the move to {to} differ"
    );
}

fn b2b_native(c: &mut Criterion) {
    let (_, playbook) = bundled();
    let deals = deal_set(&playbook);
    let in_stage = |stage: &str| -> Vec<(Deal, Timestamp)> {
        deals
            .iter()
            .filter(|(deal, _)| deal.stages.len() == 1 && deal.stages[0] == stage)
            .cloned()
            .collect()
    };
    let qualification = in_stage("qualification");
    let proposal = in_stage("proposal_negotiation");
    let engine = Engine::new(playbook).with_language("en");
    for (deal, at) in &qualification {
        check_native(&engine, deal, *at, "needs_analysis", "lead");
    }
    for (deal, at) in &proposal {
        check_native(&engine, deal, *at, "closing", "meddic");
    }
    eprintln!(
        "b2b_native: {} qualification deals and {} proposal deals agree with the engine",
        qualification.len(),
        proposal.len()
    );

    let mut group = c.benchmark_group("b2b_native");
    group.throughput(Throughput::Elements(qualification.len() as u64));
    group.bench_function("engine_evaluate/qualification", |b| {
        b.iter(|| evaluate_all(&engine, &qualification));
    });
    group.bench_function("engine_score/qualification", |b| {
        b.iter(|| {
            for (deal, at) in &qualification {
                black_box(engine.score(black_box(deal), *at).expect("a valid deal"));
            }
        });
    });
    group.bench_function("native/bant_gates_lead_score", |b| {
        b.iter(|| {
            for (deal, at) in &qualification {
                black_box(native_qualification(black_box(deal), *at));
            }
        });
    });
    group.throughput(Throughput::Elements(proposal.len() as u64));
    group.bench_function("engine_evaluate/proposal", |b| {
        b.iter(|| evaluate_all(&engine, &proposal));
    });
    group.bench_function("native/closing_gates_meddic_score", |b| {
        b.iter(|| {
            for (deal, _) in &proposal {
                black_box(native_closing(black_box(deal)));
            }
        });
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// X-Education-like leads, written here (no real data).
// ---------------------------------------------------------------------------------------------

const LEADS: &str = r#"
{"id":"L-1","playbook":"x-education-leads@1","fields":{"converted":true,"do_not_call":false,"do_not_email":false,"free_interview_copy":false,"last_activity":"SMS Sent","last_notable_activity":"SMS Sent","lead_number":"600001","lead_origin":"Lead Add Form","lead_source":"Reference","motivation":"Better Career Prospects","occupation":"Working Professional","page_views_per_visit":0.0,"total_visits":0,"website_seconds":1180}}
{"id":"L-2","playbook":"x-education-leads@1","fields":{"converted":false,"do_not_call":false,"do_not_email":false,"free_interview_copy":false,"last_activity":"Olark Chat Conversation","last_notable_activity":"Modified","lead_number":"600002","lead_origin":"API","lead_source":"Olark Chat","page_views_per_visit":0.0,"total_visits":0,"website_seconds":0}}
{"id":"L-3","playbook":"x-education-leads@1","fields":{"converted":false,"country":"India","do_not_call":false,"do_not_email":false,"free_interview_copy":true,"last_activity":"Email Opened","last_notable_activity":"Email Opened","lead_number":"600003","lead_origin":"Landing Page Submission","lead_source":"Google","motivation":"Better Career Prospects","occupation":"Unemployed","page_views_per_visit":2.5,"specialization":"Business Administration","total_visits":5,"website_seconds":674}}
{"id":"L-4","playbook":"x-education-leads@1","fields":{"converted":false,"country":"India","do_not_call":false,"do_not_email":true,"free_interview_copy":false,"last_activity":"Email Bounced","last_notable_activity":"Modified","lead_number":"600004","lead_origin":"Landing Page Submission","lead_source":"Direct Traffic","page_views_per_visit":3.0,"total_visits":3,"website_seconds":120}}
{"id":"L-5","playbook":"x-education-leads@1","fields":{"converted":true,"city":"Mumbai","country":"India","do_not_call":false,"do_not_email":false,"free_interview_copy":false,"last_activity":"Had a Phone Conversation","last_notable_activity":"Had a Phone Conversation","lead_number":"600005","lead_origin":"API","lead_source":"Organic Search","motivation":"Better Career Prospects","occupation":"Unemployed","page_views_per_visit":4.0,"total_visits":8,"website_seconds":1532}}
{"id":"L-6","playbook":"x-education-leads@1","fields":{"converted":false,"do_not_call":false,"do_not_email":false,"free_interview_copy":false,"lead_number":"600006","lead_origin":"Lead Import","page_views_per_visit":1.0,"total_visits":1,"website_seconds":305}}
"#;

/// The X Education `lead` scorecard (nine rules), by hand, over a `Deal`.
fn native_x_education(deal: &Deal) -> Score {
    let seconds = number(deal, "website_seconds");
    let occupation = text(deal, "occupation");
    let activity = text(deal, "last_activity");
    let rules = vec![
        rule(
            "add_form_referral",
            40,
            "lead_origin",
            text(deal, "lead_origin").map(|o| o == "Lead Add Form"),
        ),
        rule(
            "chat_widget_source",
            -10,
            "lead_source",
            text(deal, "lead_source").map(|s| s == "Olark Chat"),
        ),
        rule(
            "long_website_time",
            30,
            "website_seconds",
            seconds.map(|s| s >= 800.0),
        ),
        rule(
            "medium_website_time",
            15,
            "website_seconds",
            seconds.map(|s| (500.0..800.0).contains(&s)),
        ),
        rule(
            "occupation_given",
            10,
            "occupation",
            occupation.map(|o| !o.is_empty()),
        ),
        rule(
            "working_professional",
            30,
            "occupation",
            occupation.map(|o| o == "Working Professional"),
        ),
        rule(
            "recent_direct_contact",
            25,
            "last_activity",
            activity.map(|a| ["SMS Sent", "Had a Phone Conversation"].contains(&a)),
        ),
        rule(
            "stalled_last_activity",
            -20,
            "last_activity",
            activity.map(|a| {
                [
                    "Olark Chat Conversation",
                    "Email Bounced",
                    "Converted to Lead",
                ]
                .contains(&a)
            }),
        ),
        rule(
            "opted_out_of_email",
            -15,
            "do_not_email",
            flag(deal, "do_not_email"),
        ),
    ];
    card(rules, [("cold", 0), ("warm", 25), ("hot", 55)])
}

fn x_education(c: &mut Criterion) {
    let text = read("examples/real-data/x-education/playbook.yaml");
    let playbook = Playbook::from_yaml(&text, "playbook.yaml").expect("the playbook loads");
    let engine = Engine::new(playbook);
    let leads: Vec<Deal> = DealReader::new(LEADS.as_bytes(), "leads.jsonl")
        .map(|read| read.expect("a lead").0)
        .collect();
    let at = time(DEFAULT_AT);
    let mut bands = Vec::new();
    for lead in &leads {
        let scores = engine.score(lead, at).expect("a valid lead");
        assert_eq!(
            scores["lead"],
            native_x_education(lead),
            "{:?}: the hand-written score differs",
            lead.id
        );
        bands.push(format!(
            "{} {}",
            scores["lead"].total,
            scores["lead"].band.as_deref().unwrap_or("-")
        ));
    }
    eprintln!("x_education: leads scored {}", bands.join(", "));

    let mut group = c.benchmark_group("x_education");
    group.throughput(Throughput::Elements(leads.len() as u64));
    group.bench_function("engine_score", |b| {
        b.iter(|| {
            for lead in &leads {
                black_box(engine.score(black_box(lead), at).expect("a valid lead"));
            }
        });
    });
    group.bench_function("engine_evaluate", |b| {
        b.iter(|| {
            for lead in &leads {
                black_box(
                    engine
                        .evaluate(black_box(lead), at, &Options::new())
                        .expect("a valid lead"),
                );
            }
        });
    });
    // From the text, as `stagegate score` reads it: parsed into a Deal and scored, or read
    // straight into the playbook's slots (score_json).
    let lines: Vec<&str> = LEADS.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), leads.len());
    for (line, lead) in lines.iter().zip(&leads) {
        let scored = score_json(&engine, line, at).expect("a valid lead");
        assert_eq!(scored.scores, engine.score(lead, at).expect("a valid lead"));
    }
    group.bench_function("parse_then_score", |b| {
        b.iter(|| {
            for line in &lines {
                let lead: Deal = serde_json::from_str(black_box(line)).expect("a lead");
                black_box(engine.score(&lead, at).expect("a valid lead"));
            }
        });
    });
    group.bench_function("score_json", |b| {
        b.iter(|| {
            for line in &lines {
                black_box(score_json(&engine, black_box(line), at).expect("a valid lead"));
            }
        });
    });
    group.bench_function("native_score", |b| {
        b.iter(|| {
            for lead in &leads {
                black_box(native_x_education(black_box(lead)));
            }
        });
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// Moves with their effects.
// ---------------------------------------------------------------------------------------------

/// Every deal of the set with an advance out of its first active stage, and that move made by a
/// sales manager, forced where it is blocked (the bundled playbook lets a manager force).
fn move_set(playbook: &Playbook) -> Vec<(Deal, Move, Timestamp)> {
    let manager = Actor::new("kang", ["manager"]);
    deal_set(playbook)
        .into_iter()
        .filter_map(|(deal, at)| {
            let from = first_stage(playbook, &deal);
            let advance = playbook
                .transitions()
                .iter()
                .find(|t| t.from == from && t.kind == MoveKind::Advance)?;
            let wanted = Move::to(&advance.to)
                .from(&from)
                .by(manager.clone())
                .forced("moved along for the bench");
            Some((deal, wanted, at))
        })
        .collect()
}

fn make(engine: &Engine, deal: &Deal, wanted: &Move, at: Timestamp) -> Result<Applied, MoveError> {
    engine.apply(deal, wanted, at)
}

fn apply(c: &mut Criterion) {
    let (_, playbook) = bundled();
    let moves = move_set(&playbook);
    let engine = Engine::new(playbook).with_language("en");
    // A deal whose history is later than its time cannot move then: left out.
    let moves: Vec<_> = moves
        .into_iter()
        .filter(|(deal, wanted, at)| make(&engine, deal, wanted, *at).is_ok())
        .collect();
    let effects: usize = moves
        .iter()
        .map(|(deal, wanted, at)| make(&engine, deal, wanted, *at).unwrap().effects.len())
        .sum();
    eprintln!("apply: {} moves, {effects} effects", moves.len());
    let mut group = c.benchmark_group("apply");
    group.throughput(Throughput::Elements(moves.len() as u64));
    group.bench_function("advance_with_effects", |b| {
        b.iter(|| {
            for (deal, wanted, at) in &moves {
                black_box(make(&engine, black_box(deal), wanted, *at).expect("a move"));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, load, evaluate, b2b_native, x_education, apply);
criterion_main!(benches);
