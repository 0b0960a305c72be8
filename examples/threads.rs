//! Threads: one engine shared by every thread, a file split on one thread and parsed on many, a registry reloaded while it serves.

use std::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};

use stagegate::registry::Registry;
use stagegate::{Deal, DealReader, Engine, Evaluation, Loader, Options, Playbook, Reason};

/// Evaluates every deal of the sample files on `THREADS` threads.
const THREADS: usize = 4;

fn main() -> Result<(), Box<dyn Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let at = stagegate::parse_time("2026-11-27")?;

    // `Playbook`, `Engine` and `Registry` are `Send + Sync`.
    fn shared<T: Send + Sync>() {}
    shared::<Playbook>();
    shared::<Engine>();
    shared::<Registry>();

    let engine = Engine::new(Playbook::load(format!("{root}/playbooks/b2b-sales.yaml"))?)
        .with_language("en");

    // Every sample deal, in file order.
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/examples/deals"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "jsonl")
        })
        .collect();
    files.sort();
    let mut deals: Vec<Deal> = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path)?;
        let name = path.display().to_string();
        for read in DealReader::new(text.as_bytes(), &name) {
            deals.push(read?.0);
        }
    }
    let sequential = deals
        .iter()
        .map(|deal| engine.evaluate(deal, at, &Options::new()))
        .collect::<Result<Vec<Evaluation>, _>>()?;

    // An `Engine` is a cheap handle: each thread gets a clone and evaluates a share of the deals,
    // all at once. The results are those of one thread alone.
    let concurrent: Vec<Evaluation> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|worker| {
                let (engine, deals) = (engine.clone(), &deals);
                scope.spawn(move || {
                    deals
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % THREADS == worker)
                        .map(|(i, deal)| engine.evaluate(deal, at, &Options::new()).map(|e| (i, e)))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut all = Vec::new();
        for worker in workers {
            all.extend(worker.join().map_err(|_| "a worker panicked")??);
        }
        all.sort_by_key(|(i, _)| *i);
        Ok::<_, Box<dyn Error>>(all.into_iter().map(|(_, e)| e).collect())
    })?;
    assert_eq!(concurrent, sequential);
    println!(
        "{} deals evaluated on {THREADS} threads, the same as on one",
        deals.len()
    );

    // A big file: split it into deal texts on one thread (quick), parse and evaluate them on
    // any thread (the costly part), and keep the results in input order.
    let book = std::fs::read_to_string(format!("{root}/examples/deals/book.yaml"))?;
    let mut reader = DealReader::new(book.as_bytes(), "book.yaml");
    let mut texts = Vec::new();
    while let Some(text) = reader.next_text() {
        texts.push(text);
    }
    let evaluated: Vec<Evaluation> = std::thread::scope(|scope| {
        let jobs: Vec<_> = texts
            .into_iter()
            .map(|text| {
                let engine = engine.clone();
                scope.spawn(move || -> Result<_, stagegate::DealError> {
                    let (deal, _origin) = text.parse()?;
                    engine.evaluate(&deal, at, &Options::new())
                })
            })
            .collect();
        jobs.into_iter()
            .map(|job| Ok(job.join().map_err(|_| "a worker panicked")??))
            .collect::<Result<_, Box<dyn Error>>>()
    })?;
    // In input order: the ids come out as a plain read of the file gives them.
    let ids: Vec<Option<String>> = DealReader::new(book.as_bytes(), "book.yaml")
        .map(|read| read.map(|(deal, _)| deal.id))
        .collect::<Result<_, _>>()?;
    let evaluated_ids: Vec<Option<String>> = evaluated.iter().map(|e| e.deal.clone()).collect();
    assert_eq!(evaluated_ids, ids);
    println!(
        "book.yaml, split on one thread, parsed and evaluated on {} threads:",
        evaluated.len()
    );
    for evaluation in &evaluated {
        let id = evaluation.deal.as_deref().unwrap_or("(no id)");
        println!("  {id}: {}", evaluation.stages.join(", "));
    }

    // A registry shared by reference: three threads evaluate while this one replaces the
    // playbook 100 times. Every evaluation is wholly one version or the other, never a mix.
    let registry = Registry::new(Loader::new());
    registry.load_yaml(&budget_gate(100), "p.yaml")?;
    let stop = AtomicBool::new(false);
    let deal: Deal =
        serde_json::from_str(r#"{"id": "D-1", "playbook": "p@1", "fields": {"budget": 300}}"#)?;
    let seen = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let (registry, stop, deal) = (&registry, &stop, &deal);
                scope.spawn(move || -> Result<[usize; 2], String> {
                    let mut seen = [0; 2];
                    while !stop.load(Ordering::Relaxed) {
                        let evaluation = registry
                            .evaluate(deal, at, &Options::new())
                            .map_err(|e| e.to_string())?;
                        let check = evaluation.transitions.first().ok_or("no move")?;
                        match check.blockers.as_slice() {
                            [] => seen[0] += 1,
                            [b] if b.criterion.as_deref() == Some("budget_500")
                                && b.reason == Reason::Failed =>
                            {
                                seen[1] += 1;
                            }
                            other => return Err(format!("a mixed evaluation: {other:?}")),
                        }
                    }
                    Ok(seen)
                })
            })
            .collect();
        let mut swapped = Ok(());
        for round in 0..100 {
            let min = if round % 2 == 0 { 500 } else { 100 };
            if let Err(error) = registry.load_yaml(&budget_gate(min), "p.yaml") {
                swapped = Err(error.to_string());
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        let mut total = [0; 2];
        for reader in readers {
            let seen = reader.join().map_err(|_| "a reader panicked")??;
            total = [total[0] + seen[0], total[1] + seen[1]];
        }
        swapped?;
        Ok::<_, Box<dyn Error>>(total)
    })?;
    assert!(seen[0] + seen[1] > 0);
    // After the last swap (a minimum of 100) the move is allowed.
    assert!(registry
        .evaluate(&deal, at, &Options::new())?
        .transitions
        .first()
        .is_some_and(|m| m.allowed));
    println!(
        "during 100 reloads: {} evaluations needed a budget of 100, {} needed 500, none mixed",
        seen[0], seen[1]
    );
    Ok(())
}

/// A small playbook `p@1` whose one gate needs `budget >= min`.
fn budget_gate(min: u32) -> String {
    format!(
        "stagegate: 1\nid: p\nversion: 1\nfields: {{ budget: {{ type: number }} }}\nstages:\n  - {{ id: open, exit: [ {{ id: budget_{min}, when: \"budget >= {min}\" }} ] }}\n  - {{ id: won, outcome: won }}\ntransitions: [ {{ from: open, to: won }} ]\n"
    )
}
