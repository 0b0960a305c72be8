//! What the pipeline board reads: `GET /board` (one column per stage of a playbook's main path,
//! a card per deal) and `GET /playbooks/{pin}/outline` (the stages, fields, activities, roles
//! and scorecards a deal's page offers), in the caller's language.

use std::sync::Arc;

use serde_json::{json, Value};
use stagegate::contract::OutlineStage;
use stagegate::{Options, Playbook, Timestamp};

use crate::app::App;
use crate::auth::User;
use crate::reply::Reply;

/// `GET /board?playbook=<id>`: the columns of the newest version of the playbook (the only one
/// loaded when there is one), and a card for every stored deal of any of its versions. A deal
/// that no longer fits its playbook is listed under `unfit` with the reason, never dropped.
pub fn board(app: &App, user: &User, query: &[(String, String)], at: Timestamp) -> Reply {
    let playbook = match newest(
        app,
        query
            .iter()
            .find(|(k, _)| k == "playbook")
            .map(|(_, v)| v.as_str()),
    ) {
        Ok(playbook) => playbook,
        Err(reply) => return reply,
    };
    let engine = app.engine_of(Arc::clone(&playbook), user);
    let lang = engine.language().to_owned();
    // The columns are the outline's stages: the main path in order; the terminal ones closed.
    let stages = playbook.outline(&lang).stages;
    let column = |s: &OutlineStage| json!({ "id": s.id, "title": s.title, "max_days": s.max_days });
    let columns: Vec<Value> = stages.iter().filter(|s| !s.terminal).map(column).collect();
    let closed: Vec<Value> = stages.iter().filter(|s| s.terminal).map(column).collect();
    let deals = match app.store.all() {
        Ok(deals) => deals,
        Err(error) => return Reply::internal(error),
    };
    let mut cards = Vec::new();
    let mut unfit = Vec::new();
    for stored in &deals {
        let pin = stored.deal.playbook.as_deref().unwrap_or_default();
        if pin.split_once('@').map_or(pin, |(id, _)| id) != playbook.id() {
            continue;
        }
        let id = stored.deal.id.clone().unwrap_or_default();
        match card(app, user, &stored.deal, at) {
            Ok(mut card) => {
                card["revision"] = json!(stored.revision);
                card["owner"] = json!(stored.owner);
                cards.push(card);
            }
            Err(message) => unfit.push(json!({ "id": id, "playbook": pin, "message": message })),
        }
    }
    Reply::ok(json!({
        "playbook": playbook.pin(),
        "title": playbook.title(&lang),
        "language": lang,
        "languages": playbook.languages(),
        "columns": columns,
        "closed": closed,
        "value_field": playbook.value_field(),
        "cards": cards,
        "unfit": unfit,
    }))
}

/// One deal's card: its stages with their days, its scores' bands, its warnings; the deal fitted
/// to its playbook once.
fn card(app: &App, user: &User, deal: &stagegate::Deal, at: Timestamp) -> Result<Value, String> {
    let engine = app.engine(deal, user).map_err(|e| e.to_string())?;
    let assessed = engine
        .assess(deal, at, &Options::new())
        .map_err(|e| e.to_string())?;
    let (evaluation, times) = (assessed.evaluation, assessed.stage_times);
    let playbook = engine.playbook();
    let scores: Vec<Value> = evaluation
        .scores
        .iter()
        .map(|(id, score)| {
            json!({
                "id": id,
                "title": playbook.scorecard_title(id, engine.language()).unwrap_or(id),
                "total": score.total,
                "band": score.band,
            })
        })
        .collect();
    let value = playbook
        .value_field()
        .and_then(|field| deal.fields.get(field))
        .cloned();
    Ok(json!({
        "id": deal.id,
        "playbook": evaluation.playbook,
        "stages": times,
        "value": value,
        "scores": scores,
        "warnings": evaluation.warnings,
    }))
}

/// `GET /playbooks/{pin}/outline`: what a deal's page offers, in the caller's language: the
/// contract's outline (`Playbook::outline`), the one the workbench reads from the engine.
pub fn outline(app: &App, user: &User, pin: &str) -> Reply {
    let Some(playbook) = app.registry.get(pin) else {
        return Reply::not_found(&format!(
            "playbook `{pin}` (loaded: {})",
            app.registry.pins().join(", ")
        ));
    };
    let engine = app.engine_of(Arc::clone(&playbook), user);
    match serde_json::to_value(playbook.outline(engine.language())) {
        Ok(outline) => Reply::ok(outline),
        Err(error) => Reply::internal(error.to_string()),
    }
}

/// The newest loaded version of playbook `id`, or of the only playbook loaded.
fn newest(app: &App, id: Option<&str>) -> Result<Arc<Playbook>, Reply> {
    let pins = app.registry.pins();
    let ids: Vec<&str> = pins
        .iter()
        .map(|pin| pin.split_once('@').map_or(pin.as_str(), |(id, _)| id))
        .collect();
    let id = match id {
        Some(id) => id,
        None => match ids.first() {
            Some(first) if ids.iter().all(|other| other == first) => first,
            Some(_) => {
                return Err(Reply::bad_request(format!(
                    "several playbooks are loaded: choose one with ?playbook=<id> ({})",
                    pins.join(", ")
                )))
            }
            None => return Err(Reply::not_found("playbook: none is loaded")),
        },
    };
    app.registry
        .get(id)
        .ok_or_else(|| Reply::not_found(&format!("playbook `{id}` (loaded: {})", pins.join(", "))))
}
