//! The deals a scenario reads and moves, created through the API before the clock starts.
//!
//! Each deal is the qualified deal of the service's own tests: in `qualification` of the bundled
//! playbook `b2b-sales`, with every BANT fact and a lead score of 60 (band `mql`), so it may move
//! to `needs_analysis` and back (`needs_analysis` → `qualification` is a return every deal may
//! take), and each of these moves succeeds.

use hyper::Method;
use serde_json::{json, Value};

use crate::client::{Connection, Target};

/// The stage a created deal is in.
pub const QUALIFICATION: &str = "qualification";

/// The stage a qualified deal may move to, and back from.
pub const NEEDS_ANALYSIS: &str = "needs_analysis";

/// Connections used to create the deals.
const SETUP_CONNECTIONS: usize = 8;

/// The body of `POST /deals` for the deal `id`.
fn new_deal(id: &str) -> Value {
    json!({
        "id": id,
        "stage": QUALIFICATION,
        "fields": {
            "budget": 50000,
            "decision_maker": "CFO",
            "need": "Faster quotes",
            "timeline_days": 60,
            "industry": "saas",
            "employees": 120
        },
        "activities": { "discovery_call": "2026-11-20" },
        "history": [
            { "at": "2026-11-01", "to": "lead_generation" },
            { "at": "2026-11-10", "from": "lead_generation", "to": QUALIFICATION }
        ]
    })
}

/// The path of a deal: `/deals/{id}`.
pub fn path(id: &str) -> String {
    format!("/deals/{id}")
}

/// Creates `count` deals named `{prefix}-{n}` over a few connections; each must be answered 201.
pub async fn create(target: &Target, prefix: &str, count: usize) -> Result<Vec<String>, String> {
    let ids: Vec<String> = (0..count).map(|n| format!("{prefix}-{n:06}")).collect();
    let mut creators = tokio::task::JoinSet::new();
    for part in 0..SETUP_CONNECTIONS.min(count.max(1)) {
        let mine: Vec<String> = ids
            .iter()
            .skip(part)
            .step_by(SETUP_CONNECTIONS)
            .cloned()
            .collect();
        let target = target.clone();
        creators.spawn(async move {
            let mut connection = Connection::open(&target).await?;
            for id in mine {
                let answer = connection
                    .send(Method::POST, "/deals", Some(&new_deal(&id)))
                    .await?;
                if answer.status.as_u16() != 201 {
                    return Err(format!(
                        "creating deal `{id}`: {} {}",
                        answer.status,
                        String::from_utf8_lossy(&answer.body)
                    ));
                }
            }
            Ok::<(), String>(())
        });
    }
    while let Some(done) = creators.join_next().await {
        done.map_err(|error| format!("a setup task failed: {error}"))??;
    }
    Ok(ids)
}

/// The stage the deal `id` is in now, read with `GET /deals/{id}` (its first active stage).
pub async fn stage_of(connection: &mut Connection, id: &str) -> Result<String, String> {
    let answer = connection.send(Method::GET, &path(id), None).await?;
    let deal: Value = serde_json::from_slice(&answer.body)
        .map_err(|error| format!("GET {}: not JSON ({error})", path(id)))?;
    deal["deal"]["stages"][0]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("GET {}: {} without deal.stages", path(id), answer.status))
}

/// The stage a deal in `stage` moves to next: back and forth between qualification and needs
/// analysis.
pub fn next_stage(stage: &str) -> &'static str {
    if stage == QUALIFICATION {
        NEEDS_ANALYSIS
    } else {
        QUALIFICATION
    }
}
