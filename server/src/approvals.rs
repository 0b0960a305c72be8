//! `GET /approvals`: the caller's queue of approvals to give: every deal waiting for an approval
//! one of the caller's roles gives, never the caller's own (four eyes), requested ones first.

use std::cmp::Ordering;

use serde_json::{json, Value};
use stagegate::Timestamp;

use crate::app::App;
use crate::auth::User;
use crate::reply::Reply;

/// One approval waiting for the caller, with what orders the queue.
struct Waiting {
    /// When it was last asked for (none: not asked for).
    asked: Option<(Option<Timestamp>, String)>,
    deal: String,
    criterion: String,
    item: Value,
}

/// `GET /approvals`: each approval a deal that is not archived and not the caller's own waits
/// for (not given yet, or voided since), whose approving role the caller holds: `{deal,
/// playbook, owner, stage, criterion, role, message, value, requested: {at, by, note} | null}`
/// (`requested`: the latest request still open). Requested ones first, the oldest request
/// first; then by deal id. No deal is read for a caller who holds no approving role; a deal is
/// evaluated only when it stands in a stage that asks for an approval (see
/// `Engine::approvals_waiting`); one that no longer fits its playbook is left to the board's
/// `unfit`.
pub fn approvals(app: &App, user: &User, at: Timestamp) -> Reply {
    // A caller who holds no approving role of any loaded playbook has nothing to give: no deal
    // is read.
    let approves = app
        .registry
        .pins()
        .iter()
        .filter_map(|pin| app.registry.get(pin))
        .any(|playbook| {
            playbook
                .outline(playbook.default_language())
                .approvals
                .iter()
                .any(|approval| user.has(&approval.role))
        });
    if !approves {
        return Reply::ok(json!({ "approvals": [] }));
    }
    let deals = match app.store.all() {
        Ok(deals) => deals,
        Err(error) => return Reply::internal(error),
    };
    let mut found: Vec<Waiting> = Vec::new();
    for stored in &deals {
        let deal = &stored.deal;
        let owner = stored.owner.as_deref().or(deal.owner.as_deref());
        // Four eyes: the owner never approves their own deal.
        if deal.archived.is_some() || owner == Some(user.id.as_str()) {
            continue;
        }
        let Ok(engine) = app.engine(deal, user) else {
            continue;
        };
        let Ok(waiting) = engine.approvals_waiting(deal, at) else {
            continue;
        };
        let playbook = engine.playbook();
        let value = playbook
            .value_field()
            .and_then(|field| deal.fields.get(field))
            .cloned()
            .unwrap_or(Value::Null);
        let id = deal.id.clone().unwrap_or_default();
        for approval in waiting.into_iter().filter(|a| user.has(&a.role)) {
            let asked = approval
                .requested
                .as_ref()
                .map(|r| (playbook.read_time(&r.at).ok(), r.at.clone()));
            let item = json!({
                "deal": id,
                "playbook": deal.playbook,
                "owner": owner,
                "stage": approval.stage,
                "criterion": approval.criterion,
                "role": approval.role,
                "message": approval.message,
                "value": value,
                "requested": approval.requested,
            });
            found.push(Waiting {
                asked,
                deal: id.clone(),
                criterion: approval.criterion,
                item,
            });
        }
    }
    found.sort_by(order);
    let approvals: Vec<Value> = found.into_iter().map(|w| w.item).collect();
    Reply::ok(json!({ "approvals": approvals }))
}

/// Requested first, the oldest request first (a time that does not read after those that do);
/// then by deal id and criterion.
fn order(a: &Waiting, b: &Waiting) -> Ordering {
    let asked = match (&a.asked, &b.asked) {
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some((x, x_text)), Some((y, y_text))) => match (x, y) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => x_text.cmp(y_text),
        },
        (None, None) => Ordering::Equal,
    };
    asked
        .then_with(|| a.deal.cmp(&b.deal))
        .then_with(|| a.criterion.cmp(&b.criterion))
}
