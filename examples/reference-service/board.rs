//! What the pipeline board reads: `GET /board` (one column per stage of a playbook's main path,
//! a card per deal) and `GET /playbooks/{pin}/outline` (the stages, fields, activities, roles
//! and scorecards a deal's page offers), in the caller's language.

use std::sync::Arc;

use serde_json::{json, Value};
use stagegate::{FieldType, Options, Playbook, Timestamp};

use crate::api::App;
use crate::auth::User;
use crate::http::Reply;

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
    let default = playbook.default_language();
    let stage = |id: &str| {
        playbook.stage(id).map_or_else(
            || json!({ "id": id, "title": id }),
            |s| json!({ "id": s.id, "title": s.title_in(&lang, default), "max_days": s.max_days }),
        )
    };
    let columns: Vec<Value> = playbook
        .stages()
        .iter()
        .filter(|s| !s.is_terminal())
        .map(|s| stage(&s.id))
        .collect();
    let closed: Vec<Value> = playbook
        .stages()
        .iter()
        .filter(|s| s.is_terminal())
        .map(|s| stage(&s.id))
        .collect();
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

/// `GET /playbooks/{pin}/outline`: what a deal's page offers, in the caller's language.
pub fn outline(app: &App, user: &User, pin: &str) -> Reply {
    let Some(playbook) = app.registry.get(pin) else {
        return Reply::not_found(&format!(
            "playbook `{pin}` (loaded: {})",
            app.registry.pins().join(", ")
        ));
    };
    let engine = app.engine_of(Arc::clone(&playbook), user);
    let lang = engine.language();
    let default = playbook.default_language();
    let stages: Vec<Value> = playbook
        .stages()
        .iter()
        .map(|stage| {
            let activities: Vec<Value> = stage
                .activities
                .iter()
                .map(|a| json!({ "id": a.id, "title": a.title_in(lang, default), "required": a.required }))
                .collect();
            json!({
                "id": stage.id,
                "title": stage.title_in(lang, default),
                "terminal": stage.is_terminal(),
                "guidance": stage.guidance.as_ref().map(|g| g.get(lang, default)),
                "key_fields": stage.key_fields,
                "activities": activities,
            })
        })
        .collect();
    let fields: Vec<Value> = playbook
        .fields()
        .iter()
        .map(|field| {
            json!({
                "id": field.id,
                "type": kind(field.kind),
                "values": field.values,
                "title": field.title.as_ref().map_or(field.id.as_str(), |t| t.get(lang, default)),
            })
        })
        .collect();
    let roles: Vec<Value> = playbook
        .roles()
        .iter()
        .map(|role| json!({ "id": role.id, "title": role.title.as_ref().map_or(role.id.as_str(), |t| t.get(lang, default)) }))
        .collect();
    let scorecards: Vec<Value> = playbook
        .scorecards()
        .map(|id| json!({ "id": id, "title": playbook.scorecard_title(id, lang).unwrap_or(id) }))
        .collect();
    Reply::ok(json!({
        "playbook": playbook.pin(),
        "language": lang,
        "languages": playbook.languages(),
        "time_zone": playbook.time_zone(),
        "scorecards": scorecards,
        "value_field": playbook.value_field(),
        "stages": stages,
        "fields": fields,
        "roles": roles,
        "force": playbook.permissions().force,
    }))
}

/// A field type as the playbook spells it.
fn kind(kind: FieldType) -> Value {
    serde_json::to_value(kind).unwrap_or(Value::Null)
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
