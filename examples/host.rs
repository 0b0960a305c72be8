//! A small host: load the bundled playbook, explain why a deal cannot advance, move it, print its history.

use std::error::Error;

use stagegate::{Actor, Deal, Engine, Move, MoveError, Options, Playbook};

fn main() -> Result<(), Box<dyn Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let playbook = Playbook::load(format!("{root}/playbooks/b2b-sales.yaml"))?;
    let engine = Engine::new(playbook).with_language("en");

    // A deal as a host would keep it: here, straight from a sample file.
    let text = std::fs::read_to_string(format!("{root}/examples/deals/02-blocked-bant.yaml"))?;
    let mut deals = stagegate::DealReader::new(text.as_bytes(), "02-blocked-bant.yaml");
    let (mut deal, _) = deals.next().ok_or("the sample file holds no deal")??;
    let at = stagegate::parse_time("2026-11-27")?;

    // Why can't it advance?
    let evaluation = engine.evaluate(&deal, at, &Options::new())?;
    for check in evaluation.transitions.iter().filter(|t| !t.allowed) {
        println!("{} → {} is blocked:", check.from, check.to);
        for blocker in &check.blockers {
            let name = blocker
                .criterion
                .as_deref()
                .or(blocker.activity.as_deref())
                .unwrap_or("?");
            let message = blocker.message.as_deref().unwrap_or_default();
            println!("  [{:?}] {name}: {message}", blocker.gate);
        }
    }

    // Every move says who makes it: the bundled playbook lets anyone make an allowed move and
    // only a sales manager force a blocked one. Trying the move returns the same reasons.
    let rep = Actor::new("yoon", ["rep"]);
    let wanted = Move::to("needs_analysis").by(rep.clone());
    if let Err(MoveError::Blocked { check }) = engine.apply(&deal, &wanted, at) {
        println!("moving to needs_analysis: {} reasons", check.blockers.len());
    }

    // The salesperson does the work and fills the gaps; now the move goes through.
    complete_bant(&mut deal)?;
    deal = engine.apply(&deal, &wanted, at)?.deal;

    // A rep may not force a blocked move; a manager may, with a reason, and it is recorded.
    let skip = Move::to("proposal_negotiation").forced("customer asked for a quote now");
    if let Err(refused) = engine.apply(&deal, &skip.clone().by(rep), at) {
        println!("a rep forcing it: {refused}");
    }
    deal = engine
        .apply(&deal, &skip.by(Actor::new("kang", ["manager"])), at)?
        .deal;

    println!("history of {}:", deal.id.as_deref().unwrap_or("(no id)"));
    for entry in &deal.history {
        let kind = entry.kind.map_or("start", |k| k.as_str());
        let forced = entry
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(" (forced: {r})"));
        let by = entry
            .by
            .as_deref()
            .map_or(String::new(), |b| format!(" by {b}"));
        println!(
            "  {}  {} → {}  {kind}{by}{forced}",
            entry.at,
            entry.from.as_deref().unwrap_or("-"),
            entry.to
        );
    }
    Ok(())
}

/// What the salesperson found out on the discovery call.
fn complete_bant(deal: &mut Deal) -> Result<(), Box<dyn Error>> {
    let facts: serde_json::Value = serde_json::json!({
        "budget": 60000, "decision_maker": "CFO", "need": "pipeline visibility", "timeline_days": 60
    });
    for (field, value) in facts.as_object().ok_or("facts are a map")? {
        deal.fields.insert(field.clone(), value.clone());
    }
    deal.activities.insert(
        "discovery_call".into(),
        stagegate::Completion::At("2026-11-20".into()),
    );
    Ok(())
}
