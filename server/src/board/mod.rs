//! What the pipeline board reads: `GET /board` (one column per stage of a playbook's main path
//! and one per closed stage, each a page of cards with the column's count and sums over the whole
//! filter) and `GET /playbooks/{pin}/outline` (the stages, fields, activities, roles and
//! scorecards a deal's page offers), in the caller's language.

mod column;
mod cursor;
mod entry;
mod query;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Value};
use stagegate::contract::OutlineStage;
use stagegate::{FieldType, Playbook, Timestamp};

use crate::app::App;
use crate::auth::User;
use crate::reply::Reply;
use crate::store::Stored;

use self::column::column;
use self::cursor::Cursor;
use self::entry::Entry;
use self::query::{BoardQuery, SortKey};

/// `GET /board`: the columns of the newest version of the playbook (the only one loaded when
/// there is one), each a page of the cards of the deals (of any of its versions) active in its
/// stage that pass the filters, in the sort's order, with the column's `count`, `sum` and
/// `weighted` sum over every such deal and `next`, the cursor of its next page. A deal in two
/// stages is in both columns, and counted in both; an archived deal is in none. Every deal is fitted to its playbook; a card
/// comes from one assessment of its deal, made only for the cards answered (and for every deal
/// when a filter reads warnings or approvals). A deal that no longer fits its playbook is listed
/// under `unfit` with the reason, never dropped. See `server/README.md`, "Board".
pub fn board(app: &App, user: &User, query: &[(String, String)], at: Timestamp) -> Reply {
    let asked = match BoardQuery::read(query) {
        Ok(asked) => asked,
        Err(reply) => return reply,
    };
    let playbook = match newest(app, asked.playbook.as_deref()) {
        Ok(playbook) => playbook,
        Err(reply) => return reply,
    };
    let engine = app.engine_of(Arc::clone(&playbook), user);
    let lang = engine.language().to_owned();
    let stages = playbook.outline(&lang).stages;
    let after = match checked(&asked, &playbook, &stages) {
        Ok(after) => after,
        Err(reply) => return reply,
    };
    // The feed's position before the deals are read: a page following the feed from there
    // misses no change made after this read.
    let events_after = match app.store.newest_event() {
        Ok(id) => id,
        Err(error) => return Reply::internal(error),
    };
    let deals = match app.store.all() {
        Ok(deals) => deals,
        Err(error) => return Reply::internal(error),
    };
    let (entries, unfit) = fitted(app, user, &playbook, &deals, at);
    let passing: Vec<&Entry> = entries.iter().filter(|e| e.passes(&asked.filter)).collect();
    let mut shown: BTreeSet<&str> = BTreeSet::new();
    let mut cards = Vec::new();
    let mut answer_of = |stage: &OutlineStage| {
        let cursor = after.as_ref().filter(|cursor| cursor.column == stage.id);
        let answered = column(stage, &passing, &asked.sort, cursor, asked.limit);
        for entry in answered.page {
            if shown.insert(entry.id) {
                cards.push(entry.card());
            }
        }
        answered.answer
    };
    let wanted = |s: &&OutlineStage| asked.column.as_ref().is_none_or(|c| *c == s.id);
    let columns: Vec<Value> = stages
        .iter()
        .filter(|s| !s.terminal)
        .filter(wanted)
        .map(&mut answer_of)
        .collect();
    let closed: Vec<Value> = stages
        .iter()
        .filter(|s| s.terminal)
        .filter(wanted)
        .map(&mut answer_of)
        .collect();
    for id in &asked.cards {
        if let Some(entry) = passing.iter().find(|e| e.id == id) {
            if shown.insert(entry.id) {
                cards.push(entry.card());
            }
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
        "currency": playbook.currency(),
        "cards": cards,
        "unfit": unfit,
        "limit": asked.limit,
        "sort": asked.sort.spelled(),
        "events_after": events_after,
    }))
}

/// The deals of `playbook` (any of its versions) that are not archived, fitted to their version,
/// and those that do not fit, with the reason.
fn fitted<'a>(
    app: &App,
    user: &User,
    playbook: &Playbook,
    deals: &'a [Stored],
    at: Timestamp,
) -> (Vec<Entry<'a>>, Vec<Value>) {
    let mut entries = Vec::new();
    let mut unfit = Vec::new();
    for stored in deals {
        // An archived deal is off the board: in no column, count or sum.
        if stored.deal.archived.is_some() {
            continue;
        }
        let pin = stored.deal.playbook.as_deref().unwrap_or_default();
        if pin.split_once('@').map_or(pin, |(id, _)| id) != playbook.id() {
            continue;
        }
        match Entry::fit(app, user, stored, at) {
            Ok(entry) => entries.push(entry),
            Err(message) => unfit.push(json!({
                "id": stored.deal.id.as_deref().unwrap_or_default(),
                "playbook": pin,
                "message": message,
            })),
        }
    }
    (entries, unfit)
}

/// The request's names checked against the playbook (the column, the stage, the sort's field,
/// the approving role), and its cursor read; a 400 naming the parameter otherwise.
fn checked(
    asked: &BoardQuery,
    playbook: &Playbook,
    stages: &[OutlineStage],
) -> Result<Option<Cursor>, Reply> {
    let ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
    for (key, stage) in [("column", &asked.column), ("stage", &asked.filter.stage)] {
        if let Some(stage) = stage.as_deref().filter(|s| !ids.contains(s)) {
            return Err(Reply::bad_request(format!(
                "`{key}`: `{stage}` is not a stage of `{}` ({})",
                playbook.pin(),
                ids.join(", ")
            )));
        }
    }
    if let Some(role) = &asked.filter.approval {
        let roles: Vec<&str> = playbook.roles().iter().map(|r| r.id.as_str()).collect();
        if !roles.contains(&role.as_str()) {
            return Err(Reply::bad_request(format!(
                "`approval`: `{role}` is not a role of `{}` ({})",
                playbook.pin(),
                roles.join(", ")
            )));
        }
    }
    match &asked.sort.key {
        SortKey::Value if playbook.value_field().is_none() => {
            return Err(Reply::bad_request(format!(
                "`sort`: `{}` declares no value field (`value:`) to sort by",
                playbook.pin()
            )))
        }
        SortKey::Field(name) => {
            let sortable = playbook.fields().iter().any(|f| {
                f.id == *name
                    && matches!(
                        f.kind,
                        FieldType::Date | FieldType::Number | FieldType::Integer
                    )
            });
            if !sortable {
                return Err(Reply::bad_request(format!(
                    "`sort`: `{name}` is not a date or number field of `{}`",
                    playbook.pin()
                )));
            }
        }
        _ => {}
    }
    match (&asked.cursor, &asked.column) {
        (Some(text), Some(column)) => Cursor::read(text, column, &asked.sort).map(Some),
        _ => Ok(None),
    }
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
