//! `metrics` over a book split into parts: partials made per part (the JSON contract's
//! `metrics_partial`, or `MetricsBook::partial`), merged in any grouping and order, then finished,
//! give exactly the JSON `stagegate metrics --format json` prints over the whole book, byte for
//! byte. Books: the example deals, the hand-built metrics fixture (every kind of anomaly), and a
//! generated book of a few thousand deals with varied histories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::{json, Value};
use stagegate::analytics::{MetricsBook, MetricsPartial};
use stagegate::contract::Contract;
use stagegate::{Deal, DealReader, Playbook};

const AT: &str = "2026-11-27";
const B2B: &str = "playbooks/b2b-sales.yaml";
const FIXTURE: &str = "tests/fixtures/metrics/playbook.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn contract(playbook: &str) -> Contract {
    let yaml = std::fs::read_to_string(root().join(playbook)).unwrap();
    Contract::load(&yaml, playbook, None).unwrap()
}

/// Standard output of `stagegate metrics <playbook> <files> --at <at> --format json [--by]`.
fn cli_metrics(playbook: &str, files: &[PathBuf], at: &str, by: Option<&str>) -> String {
    let mut command = Command::cargo_bin("stagegate").unwrap();
    command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["metrics", playbook])
        .args(files)
        .args(["--at", at, "--format", "json"]);
    if let Some(by) = by {
        command.args(["--by", by]);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.ends_with("}\n"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Every deal of YAML files as one JSON text each, in file and document order.
fn yaml_deals(files: &[PathBuf]) -> Vec<String> {
    let mut deals = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for document in serde_yaml::Deserializer::from_str(&text) {
            match Value::deserialize(document).unwrap() {
                Value::Array(list) => deals.extend(list.iter().map(Value::to_string)),
                Value::Null => {}
                deal => deals.push(deal.to_string()),
            }
        }
    }
    deals
}

use serde::Deserialize;

/// Writes `deals` as a JSON Lines book named `name`.
fn write_book(name: &str, deals: &[String]) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let mut text = deals.join("\n");
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    path
}

/// A book: its deals (one JSON text each), its playbook, and what the CLI prints for it.
struct Book {
    playbook: &'static str,
    contract: Contract,
    deals: Vec<String>,
    by: Option<&'static str>,
    expected: String,
}

impl Book {
    fn new(
        playbook: &'static str,
        name: &str,
        deals: Vec<String>,
        by: Option<&'static str>,
    ) -> Book {
        let path = write_book(name, &deals);
        let expected = cli_metrics(playbook, &[path], AT, by);
        Book {
            playbook,
            contract: contract(playbook),
            deals,
            by,
            expected,
        }
    }

    /// The partial of the deals `range` (a contiguous run) through the contract.
    fn partial(&self, range: std::ops::Range<usize>) -> String {
        let text = self.deals[range.clone()].join("\n");
        self.contract
            .metrics_partial(&text, AT, self.by, range.start as u64)
            .unwrap()
    }

    fn merge(&self, partials: &[String]) -> String {
        let array = format!("[{}]", partials.join(","));
        self.contract.metrics_merge(&array).unwrap()
    }

    /// Finishes `partial` and checks it against the CLI's output, byte for byte.
    fn assert_finishes(&self, partial: &str, how: &str) {
        let finished = self.contract.metrics_finish(partial).unwrap();
        assert_eq!(
            format!("{finished}\n"),
            self.expected,
            "{how}: the merged partials differ from `metrics --format json` ({})",
            self.playbook
        );
    }

    /// Partials of `k` contiguous chunks (some empty when k > deals), merged in several ways.
    fn assert_chunks(&self, k: usize) {
        let n = self.deals.len();
        let partials: Vec<String> = (0..k)
            .map(|i| self.partial(i * n / k..(i + 1) * n / k))
            .collect();
        // All at once, in order and reversed.
        self.assert_finishes(&self.merge(&partials), &format!("{k} chunks at once"));
        let mut reversed = partials.clone();
        reversed.reverse();
        self.assert_finishes(&self.merge(&reversed), &format!("{k} chunks reversed"));
        // Folded from the right, two at a time.
        let mut folded = partials[k - 1].clone();
        for partial in partials[..k - 1].iter().rev() {
            folded = self.merge(&[folded, partial.clone()]);
        }
        self.assert_finishes(&folded, &format!("{k} chunks folded"));
        // As a balanced tree.
        let mut level = partials;
        while level.len() > 1 {
            level = level.chunks(2).map(|pair| self.merge(pair)).collect();
        }
        self.assert_finishes(&level[0], &format!("{k} chunks as a tree"));
    }

    /// Deals cut into runs at `cuts`, runs dealt to `k` partitions by `owner`, each partition's
    /// runs merged (a partition that is not one run), partitions merged in `order`.
    fn assert_split(&self, cuts: &[usize], owner: &[usize], k: usize, order: &[usize]) {
        let n = self.deals.len();
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (n + 1)).collect();
        bounds.push(0);
        bounds.push(n);
        bounds.sort_unstable();
        bounds.dedup();
        let mut partitions: Vec<Vec<String>> = vec![Vec::new(); k];
        for (i, run) in bounds.windows(2).enumerate() {
            let who = owner.get(i).copied().unwrap_or(i) % k;
            partitions[who].push(self.partial(run[0]..run[1]));
        }
        // An empty partition still makes a partial: of no deals.
        let partials: Vec<String> = partitions
            .iter()
            .map(|runs| {
                if runs.is_empty() {
                    self.partial(0..0)
                } else {
                    self.merge(runs)
                }
            })
            .collect();
        let mut ordered: Vec<String> = Vec::new();
        let mut left: Vec<String> = partials;
        for &o in order {
            if !left.is_empty() {
                ordered.push(left.remove(o % left.len()));
            }
        }
        ordered.extend(left);
        let mut merged = ordered[0].clone();
        for partial in &ordered[1..] {
            merged = self.merge(&[partial.clone(), merged]);
        }
        self.assert_finishes(&merged, "a random split");
    }
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/deals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn example_book(by: Option<&'static str>) -> &'static Book {
    static PLAIN: OnceLock<Book> = OnceLock::new();
    static BY: OnceLock<Book> = OnceLock::new();
    let cell = if by.is_some() { &BY } else { &PLAIN };
    cell.get_or_init(|| {
        Book::new(
            B2B,
            &format!("examples-{}.jsonl", by.unwrap_or("all")),
            yaml_deals(&examples()),
            by,
        )
    })
}

/// The metrics fixture: deals that do not fit (an unknown stage, an unreadable date) and
/// histories that cannot be replayed, broken down by segment.
fn fixture_book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| {
        let deals = yaml_deals(&[root().join("tests/fixtures/metrics/book.yaml")]);
        // Deals without an id are named by their place in the book.
        let mut deals: Vec<String> = deals;
        deals.insert(3, r#"{"fields": {"amount": 0.1, "segment": "smb"}, "history": [{"at": "2026-01-06", "to": "nowhere"}]}"#.to_owned());
        Book::new(FIXTURE, "fixture.jsonl", deals, Some("segment"))
    })
}

fn generated_book(by: Option<&'static str>) -> &'static Book {
    static PLAIN: OnceLock<Book> = OnceLock::new();
    static BY: OnceLock<Book> = OnceLock::new();
    let cell = if by.is_some() { &BY } else { &PLAIN };
    cell.get_or_init(|| {
        let playbook = Playbook::load(root().join(B2B)).unwrap();
        Book::new(
            B2B,
            &format!("generated-{}.jsonl", by.unwrap_or("all")),
            generate(&playbook, 3000, 7),
            by,
        )
    })
}

/// A small seeded random source (xorshift), so the book is the same on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// `count` deals for `playbook`: histories that walk its declared transitions (forks, returns and
/// exits included) at random dates, amounts in cents (whose `f64` sums depend on their order),
/// industries for `--by`, open tasks (some overdue), some deals without an id or a history, and a
/// few anomalies of every kind: dates out of order, a move the playbook does not declare, a
/// field it does not have, a stage it does not have.
fn generate(playbook: &Playbook, count: usize, seed: u64) -> Vec<String> {
    let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let industries = [
        "saas",
        "finance",
        "retail",
        "manufacturing",
        "healthcare",
        "other",
    ];
    let stages: Vec<&str> = playbook.stages().iter().map(|s| s.id.as_str()).collect();
    let day = |n: u64| {
        let date = jiff::civil::date(2025, 1, 1)
            .checked_add(jiff::Span::new().days(n as i64))
            .unwrap();
        date.to_string()
    };
    (0..count)
        .map(|i| {
            let mut deal = json!({});
            if random.below(20) != 0 {
                deal["id"] = json!(format!("G-{i:05}"));
            }
            let mut fields = serde_json::Map::new();
            if random.below(8) != 0 {
                fields.insert("industry".into(), json!(random.pick(&industries)));
            }
            match random.below(10) {
                0 => {}
                1 => {
                    fields.insert("amount".into(), json!(*random.pick(&[0.1, 0.2, 0.3, 1e15 + 0.5])));
                }
                _ => {
                    let cents = random.below(50_000_000) as f64 / 100.0;
                    fields.insert("amount".into(), json!(cents));
                }
            }
            let kind = random.below(100);
            if kind == 0 {
                fields.insert("not_a_field".into(), json!(1));
            }
            deal["fields"] = Value::Object(fields);
            let mut history: Vec<Value> = Vec::new();
            let mut date = random.below(600);
            if random.below(25) != 0 {
                let mut at = stages[0].to_owned();
                history.push(json!({"at": day(date), "to": at}));
                for _ in 0..random.below(14) {
                    // Mostly onwards: an exit to `lost` one time in five it is offered.
                    let keep_lost = random.below(5) == 0;
                    let out: Vec<_> = playbook
                        .transitions()
                        .iter()
                        .filter(|t| t.from == at && (keep_lost || t.to != "lost"))
                        .collect();
                    if out.is_empty() {
                        break;
                    }
                    let t = random.pick(&out);
                    date += random.below(40);
                    history.push(json!({"at": day(date), "from": t.from, "to": t.to}));
                    at = t.to.clone();
                }
            }
            match kind {
                1 | 2 if history.len() > 2 => {
                    // An entry dated before the one above it.
                    let last = history.len() - 1;
                    history[last]["at"] = json!(day(date.saturating_sub(100)));
                }
                3 if history.len() > 1 => {
                    let last = history.len() - 1;
                    history[last]["to"] = json!(stages[stages.len() - 3]);
                    history[last]["from"] = json!(stages[0]);
                }
                4 => history.push(json!({"at": day(date + 1), "from": stages[0], "to": "nowhere"})),
                _ => {}
            }
            if random.below(10) == 0 {
                deal["tasks"] = json!({"discovery_call": {"stage": "qualification", "due": day(date + random.below(800))}});
            }
            deal["history"] = Value::Array(history);
            deal.to_string()
        })
        .collect()
}

#[test]
fn the_example_deals_split_every_way() {
    for by in [None, Some("industry")] {
        let book = example_book(by);
        let n = book.deals.len();
        assert!(n >= 12, "{n}");
        // The whole book as one partial, then chunks up to one deal each, and more partitions
        // than deals (empty ones).
        for k in [1, 2, 3, 5, n, n + 3] {
            book.assert_chunks(k);
        }
    }
}

#[test]
fn the_example_deals_in_their_files_are_the_book() {
    // The JSON Lines book the comparisons use holds the same deals as the YAML files: the CLI
    // prints the same figures for both (every example deal has an id).
    let book = example_book(Some("industry"));
    assert_eq!(
        cli_metrics(B2B, &examples(), AT, Some("industry")),
        book.expected
    );
    let figures: Value = serde_json::from_str(&book.expected).unwrap();
    assert_eq!(figures["deals"], json!(book.deals.len()));
    assert!(figures["by"]["groups"].as_object().unwrap().len() > 1);
}

#[test]
fn anomalies_of_every_kind_come_out_in_book_order() {
    let book = fixture_book();
    let figures: Value = serde_json::from_str(&book.expected).unwrap();
    let anomalies = figures["anomalies"].as_array().unwrap();
    let problems: Vec<&str> = anomalies
        .iter()
        .map(|a| a["problem"].as_str().unwrap())
        .collect();
    assert!(
        problems.iter().any(|p| p.starts_with("does not fit")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("history out of order")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("does not declare")),
        "{problems:?}"
    );
    // The deal without an id, fourth in the book, is named by its place.
    assert!(anomalies.iter().any(|a| a["deal"] == "#4"), "{anomalies:?}");
    for k in [1, 2, 4, book.deals.len(), book.deals.len() + 2] {
        book.assert_chunks(k);
    }
    // Runs dealt out of order to partitions, merged in another order.
    book.assert_split(&[3, 9, 15, 4], &[2, 0, 1, 0, 2], 3, &[1, 1, 0]);
}

#[test]
fn a_generated_book_split_and_merged_is_the_whole_book() {
    for by in [None, Some("industry")] {
        let book = generated_book(by);
        let figures: Value = serde_json::from_str(&book.expected).unwrap();
        // The book is varied: won, lost, churned, open, stalled, overdue, anomalies of each kind.
        for figure in ["won", "lost", "churned", "open"] {
            assert!(
                figures[figure].as_u64().unwrap() > 50,
                "{figure}: {figures}"
            );
        }
        let anomalous = figures["anomalous"].as_u64().unwrap();
        assert!((20..300).contains(&anomalous), "{anomalous}");
        let stages = figures["stages"].as_object().unwrap();
        assert!(stages.values().any(|s| s["stalled"].as_u64().unwrap() > 0));
        assert!(stages.values().any(|s| s["overdue"].as_u64().unwrap() > 0));
        assert!(figures["anomalies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["deal"].as_str().unwrap().starts_with('#')));
        for k in [1, 2, 7, 64] {
            book.assert_chunks(k);
        }
    }
}

#[test]
fn one_deal_per_partition_in_reverse() {
    let book = generated_book(Some("industry"));
    let deals = &book.deals[..400];
    let playbook = Playbook::load(root().join(B2B)).unwrap();
    let at = stagegate::parse_time(AT).unwrap();
    // Through the library: one partial per deal, merged from the last to the first.
    let mut merged: Option<MetricsPartial> = None;
    let mut whole = MetricsBook::new(&playbook, at, Some("industry"));
    for (i, text) in deals.iter().enumerate().rev() {
        let deal: Deal = DealReader::new(text.as_bytes(), "deal")
            .next()
            .unwrap()
            .unwrap()
            .0;
        let label = deal.label(&format!("#{}", i + 1));
        let mut book = MetricsBook::new(&playbook, at, Some("industry"));
        book.at_index(i as u64);
        let _ = book.add(&deal, &label);
        let partial = book.partial();
        // Through JSON and back.
        let partial: MetricsPartial =
            serde_json::from_str(&serde_json::to_string(&partial).unwrap()).unwrap();
        merged = Some(match merged {
            None => partial,
            Some(kept) => partial.merge(kept).unwrap(),
        });
    }
    for (i, text) in deals.iter().enumerate() {
        let deal: Deal = DealReader::new(text.as_bytes(), "deal")
            .next()
            .unwrap()
            .unwrap()
            .0;
        let _ = whole.add(&deal, &deal.label(&format!("#{}", i + 1)));
    }
    assert_eq!(merged.unwrap().finish(&playbook).unwrap(), whole.finish());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_splits_of_the_example_deals(
        cuts in proptest::collection::vec(0usize..20, 0..16),
        owner in proptest::collection::vec(0usize..8, 0..20),
        k in 1usize..8,
        order in proptest::collection::vec(0usize..8, 0..8),
        by in any::<bool>(),
    ) {
        let book = example_book(by.then_some("industry"));
        book.assert_split(&cuts, &owner, k, &order);
    }

    #[test]
    fn random_splits_of_the_fixture(
        cuts in proptest::collection::vec(0usize..25, 0..16),
        owner in proptest::collection::vec(0usize..8, 0..20),
        k in 1usize..8,
        order in proptest::collection::vec(0usize..8, 0..8),
    ) {
        fixture_book().assert_split(&cuts, &owner, k, &order);
    }

    #[test]
    fn random_splits_of_a_generated_book(
        cuts in proptest::collection::vec(0usize..3001, 0..24),
        owner in proptest::collection::vec(0usize..6, 0..30),
        k in 1usize..6,
        order in proptest::collection::vec(0usize..6, 0..6),
        by in any::<bool>(),
    ) {
        let book = generated_book(by.then_some("industry"));
        book.assert_split(&cuts, &owner, k, &order);
    }
}

/// The request error of a call, as JSON.
fn request_error(answer: Result<String, String>) -> String {
    let error: Value = serde_json::from_str(&answer.unwrap_err()).unwrap();
    assert_eq!(error["error"], "request", "{error}");
    error["message"].as_str().unwrap().to_owned()
}

#[test]
fn partials_that_do_not_belong_together_are_refused() {
    let book = example_book(None);
    let b2b = &book.contract;
    let one = book.partial(0..3);
    let two = book.partial(3..6);
    // Another playbook.
    let other = fixture_book();
    let foreign = other.partial(0..2);
    let message = request_error(b2b.metrics_merge(&format!("[{one},{foreign}]")));
    assert!(
        message.contains("playbook `metrics-fixture") || message.contains("not of `b2b-sales@1`"),
        "{message}"
    );
    let message = request_error(b2b.metrics_finish(&foreign));
    assert!(message.contains("b2b-sales@1"), "{message}");
    // Another version of the same playbook.
    let mut older: Value = serde_json::from_str(&two).unwrap();
    older["version"] = json!(0);
    let message = request_error(b2b.metrics_merge(&format!("[{one},{older}]")));
    assert!(message.contains("b2b-sales@0"), "{message}");
    // Another time.
    let later = b2b
        .metrics_partial(&book.deals[3], "2026-12-01", None, 3)
        .unwrap();
    let message = request_error(b2b.metrics_merge(&format!("[{one},{later}]")));
    assert!(message.contains("different times"), "{message}");
    // Another breakdown.
    let by = b2b
        .metrics_partial(&book.deals[3], AT, Some("industry"), 3)
        .unwrap();
    let message = request_error(b2b.metrics_merge(&format!("[{one},{by}]")));
    assert!(message.contains("broken down differently"), "{message}");
    // Another version of the partial's form.
    let mut newer: Value = serde_json::from_str(&two).unwrap();
    newer["stagegate_metrics_partial"] = json!(3);
    let message = request_error(b2b.metrics_merge(&format!("[{one},{newer}]")));
    assert!(
        message.contains("version 3; this stagegate reads version 2"),
        "{message}"
    );
    let message = request_error(b2b.metrics_finish(&newer.to_string()));
    assert!(message.contains("version 3"), "{message}");
    // A partial of version 1 (archived deals counted as open) is refused too.
    let mut older: Value = serde_json::from_str(&two).unwrap();
    older["stagegate_metrics_partial"] = json!(1);
    let message = request_error(b2b.metrics_finish(&older.to_string()));
    assert!(
        message.contains("version 1; this stagegate reads version 2"),
        "{message}"
    );
    // Not a partial at all, nothing to merge, an unknown key, a sum that is not exact.
    let message = request_error(b2b.metrics_finish(r#"{"deals": 3}"#));
    assert!(message.contains("not a metrics partial"), "{message}");
    request_error(b2b.metrics_merge("[]"));
    request_error(b2b.metrics_merge("{}"));
    let mut extra: Value = serde_json::from_str(&one).unwrap();
    extra["extra"] = json!(1);
    let message = request_error(b2b.metrics_finish(&extra.to_string()));
    assert!(message.contains("extra"), "{message}");
    let mut inexact: Value = serde_json::from_str(&one).unwrap();
    inexact["all"]["won_value"] = json!(12.5);
    request_error(b2b.metrics_finish(&inexact.to_string()));
    // An unknown field to break down by, a bad time.
    let message = request_error(b2b.metrics_partial(&book.deals[0], AT, Some("colour"), 0));
    assert!(message.contains("colour"), "{message}");
    request_error(b2b.metrics_partial(&book.deals[0], "someday", None, 0));
}

#[test]
fn the_same_deal_in_two_partials_is_refused() {
    // The fixture's anomalies carry their index: the same run twice is caught.
    let book = fixture_book();
    let run = book.partial(0..book.deals.len());
    let message = request_error(book.contract.metrics_merge(&format!("[{run},{run}]")));
    assert!(message.contains("in two partials"), "{message}");
}

#[test]
fn an_unreadable_deal_is_a_deal_error_at_its_place_in_the_book() {
    let book = example_book(None);
    let text = format!("{}\n{{\"history\": 5}}", book.deals[0]);
    let error: Value = serde_json::from_str(
        &book
            .contract
            .metrics_partial(&text, AT, None, 40)
            .unwrap_err(),
    )
    .unwrap();
    assert_eq!(error["error"], "deal", "{error}");
    assert_eq!(error["deal"], "#42", "{error}");
    // With an id, by its id.
    let text = r#"{"id": "D-9", "history": 5}"#;
    let error: Value = serde_json::from_str(
        &book
            .contract
            .metrics_partial(text, AT, None, 40)
            .unwrap_err(),
    )
    .unwrap();
    assert_eq!(error["deal"], "D-9", "{error}");
}

#[test]
fn the_partial_form() {
    let book = fixture_book();
    let partial: Value = serde_json::from_str(&book.partial(0..book.deals.len())).unwrap();
    assert_eq!(partial["stagegate_metrics_partial"], 2);
    assert_eq!(
        stagegate::analytics::PARTIAL_VERSION,
        2,
        "the form counts archived deals"
    );
    assert_eq!(partial["all"]["archived"], 0);
    assert_eq!(partial["playbook"], "metrics-fixture");
    assert_eq!(partial["at"], "2026-11-27T00:00:00Z");
    assert_eq!(partial["by"], "segment");
    let figures: Value = serde_json::from_str(&book.expected).unwrap();
    assert_eq!(partial["all"]["deals"], figures["deals"]);
    assert_eq!(
        partial["anomalies"].as_array().unwrap().len() as u64,
        figures["anomalous"].as_u64().unwrap()
    );
    // Indexes are the deals' places in the book, 0-based.
    assert_eq!(
        partial["anomalies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["deal"] == "#4")
            .unwrap()["index"],
        3
    );
}

#[test]
fn a_deal_in_two_partials_or_in_none_is_refused_with_or_without_anomalies() {
    // The example deals all fit the bundled playbook: no anomaly tells the parts apart.
    let book = example_book(None);
    let (first, overlapping) = (book.partial(0..4), book.partial(3..6));
    let message = request_error(
        book.contract
            .metrics_merge(&format!("[{first},{overlapping}]")),
    );
    assert!(
        message.contains("index 3") && message.contains("in two partials"),
        "{message}"
    );
    // The same part twice.
    let message = request_error(book.contract.metrics_merge(&format!("[{first},{first}]")));
    assert!(message.contains("index 0"), "{message}");
    // A part left out: the merge is fine, finishing it is refused, naming the deals missing.
    let last = book.partial(6..book.deals.len());
    let gap = book.merge(&[first.clone(), last]);
    let message = request_error(book.contract.metrics_finish(&gap));
    assert!(
        message.contains("indexes 4 to 5") && message.contains("in no partial"),
        "{message}"
    );
    // A part that does not start the book.
    let message = request_error(book.contract.metrics_finish(&book.partial(2..4)));
    assert!(message.contains("indexes 0 to 1"), "{message}");
    // Every part: finished, the whole book.
    let whole = book.merge(&[book.partial(4..6), first, book.partial(6..book.deals.len())]);
    book.contract.metrics_finish(&whole).unwrap();
}
