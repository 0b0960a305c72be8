//! Limits and hostile input: a rule that hits a limit is blocked with an error, hostile playbooks and deals are refused.

use std::error::Error;

use serde_json::json;
use stagegate::{Deal, DealReader, Engine, Limits, Loader, MoveCheck, Options, Playbook, Reason};

/// A small playbook: the move `open → won` needs a rule that doubles the note, a rule that reads
/// the tags, and a sane rule. `{limits}` is where a playbook's own `limits:` go.
const PLAYBOOK: &str = r#"
stagegate: 1
id: limited
version: 1
{limits}
fields:
  note: { type: text }
  tags: { type: list }
  n: { type: integer }
stages:
  - id: open
    exit:
      - { id: long_note, when: '(note + note).len() > 0' }
      - { id: tagged, when: 'tags.contains("vip")' }
      - { id: sane, when: 'n >= 0' }
  - { id: won, outcome: won }
transitions:
  - { from: open, to: won }
"#;

fn main() -> Result<(), Box<dyn Error>> {
    let at = stagegate::parse_time("2026-11-27")?;
    // A note of 600 bytes: doubled, 1,200 bytes.
    let deal: Deal = serde_json::from_value(json!({
        "id": "D-1",
        "fields": { "note": "n".repeat(600), "tags": ["vip"], "n": 5 }
    }))?;

    // The default limits (100,000 operations, texts of 64 KiB, ...): every rule holds.
    let default = Loader::new().from_yaml(&playbook(""), "limited.yaml")?;
    assert!(open_to_won(default, &deal, at)?.allowed);
    println!("with the default limits the move is allowed");

    // A host sets its own limits on the loader: texts of at most 1,000 bytes here.
    let loader = Loader::new().limits(Limits {
        operations: 20_000,
        string_size: 1_000,
        ..Limits::default()
    });
    let check = open_to_won(loader.from_yaml(&playbook(""), "limited.yaml")?, &deal, at)?;
    // Only the rule that hit the limit is blocked, with reason `error`; the others ran as usual.
    let [blocker] = check.blockers.as_slice() else {
        return Err(format!("one blocker expected, got {:?}", check.blockers).into());
    };
    assert_eq!(blocker.criterion.as_deref(), Some("long_note"));
    assert_eq!(blocker.reason, Reason::Error);
    let error = blocker.error.as_deref().unwrap_or_default();
    assert!(error.contains("length of string"), "{error}");
    println!("with texts capped at 1,000 bytes, long_note is blocked: {error}");

    // A playbook may tighten the limits for its own rules...
    let tight = Loader::new().from_yaml(&playbook("limits: { operations: 1 }"), "tight.yaml")?;
    let check = open_to_won(tight, &deal, at)?;
    let tagged = check
        .blockers
        .iter()
        .find(|b| b.criterion.as_deref() == Some("tagged"))
        .ok_or("tagged is blocked")?;
    assert_eq!(tagged.reason, Reason::Error);
    let error = tagged.error.as_deref().unwrap_or_default();
    assert!(error.contains("operation limit"), "{error}");
    println!("a playbook allowing 1 operation per rule blocks tagged: {error}");

    // ...but never loosen them past the host's: the host's 1,000 bytes still count.
    let loose = loader.from_yaml(&playbook("limits: { string_size: 100000 }"), "loose.yaml")?;
    let check = open_to_won(loose, &deal, at)?;
    assert!(check
        .blockers
        .iter()
        .any(|b| b.criterion.as_deref() == Some("long_note") && b.reason == Reason::Error));
    println!("a playbook asking for 100,000-byte texts still gets the host's 1,000");

    // A limit out of bounds is an error at its line when the playbook loads.
    let found = Playbook::check(&playbook("limits: { operations: 0 }"), "zero.yaml");
    let zero = found.first().ok_or("a diagnostic")?;
    assert_eq!(zero.code, "out-of-range");
    assert_eq!(zero.message, "limit `operations` must be at least 1");
    println!("zero.yaml:{}: {}", zero.line, zero.message);

    // Hostile playbooks are refused at load, without hanging: an alias bomb, nesting thousands
    // deep, a file over 8 MiB.
    let bomb = "stagegate: 1\nid: bomb\nversion: 1\n\
        a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
        g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n\
        stages: [{ id: open }]\n";
    let deep = format!(
        "stagegate: 1\nid: deep\nversion: 1\nstages: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let huge = format!("# {}\n", "x".repeat(stagegate::MAX_PLAYBOOK_BYTES));
    for (name, text, code) in [
        ("bomb.yaml", bomb.to_owned(), "hostile-yaml"),
        ("deep.yaml", deep, "hostile-yaml"),
        ("huge.yaml", huge, "too-large"),
    ] {
        let found = Playbook::check(&text, name);
        assert_eq!(found.first().map(|d| d.code), Some(code), "{name}");
        assert!(Playbook::from_yaml(&text, name).is_err(), "{name}");
        println!("{name} is refused: {code}");
    }

    // Deals with absurd values are refused with a `DealError` naming each problem, and a
    // reader goes on after a deal it cannot read.
    let engine = Engine::new(Loader::new().from_yaml(&playbook(""), "limited.yaml")?);
    let absurd: Deal = serde_json::from_value(json!({ "fields": { "n": 1e300, "tags": 7 } }))?;
    let Err(refused) = engine.evaluate(&absurd, at, &Options::new()) else {
        return Err("a deal with absurd values was evaluated".into());
    };
    assert_eq!(refused.problems.len(), 2);
    println!("{refused}");

    let lines = format!(
        "{{\"id\": \"D-1\"}}\n{{\"id\": \"D-2\", \"fields\": {{\"note\": {}1{}}}}}\n{{\"id\": \"D-3\"}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let read: Vec<_> = DealReader::new(lines.as_bytes(), "book.jsonl").collect();
    assert_eq!(read.len(), 3);
    assert!(read[0].is_ok() && read[1].is_err() && read[2].is_ok());
    if let Some(Err(error)) = read.get(1) {
        println!("{error}");
    }
    Ok(())
}

/// The playbook with `limits` (a `limits:` line, or nothing).
fn playbook(limits: &str) -> String {
    PLAYBOOK.replace("{limits}", limits)
}

/// The `open → won` move of `deal`.
fn open_to_won(
    playbook: Playbook,
    deal: &Deal,
    at: stagegate::Timestamp,
) -> Result<MoveCheck, Box<dyn Error>> {
    let evaluation = Engine::new(playbook).evaluate(deal, at, &Options::new())?;
    let check = evaluation.moves_to("won").next().ok_or("no move to won")?;
    Ok(check.clone())
}
