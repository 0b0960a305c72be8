//! The journal of changes: the audit log (who changed a deal, when, how) and the change feed (every
//! change and every effect of a move, for pages and relays), both written in the transaction of
//! the change they record.

use serde_json::Value;

/// One event of the change feed.
pub struct Event {
    /// Its place in the feed: events are read in this order, and a smaller id is never committed
    /// after a larger one is readable.
    pub id: i64,
    /// The deal it is about.
    pub deal: String,
    /// `created`, `edited`, `moved`, `approved`, `approval_requested`, `migrated`, `archived` or
    /// `unarchived` for a change, or an effect's own kind (`task`, `notify`, ...).
    pub kind: String,
    /// The change or the effect, as JSON.
    pub payload: String,
    /// The time of the change (RFC 3339).
    pub created_at: String,
    /// The deal's revision the change wrote.
    pub revision: Option<i64>,
}

/// One row of a deal's audit log.
pub struct AuditRow {
    /// The revision the change wrote.
    pub revision: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What, as the request did it.
    pub change: Value,
}

/// Who changed a deal, when, and how: one row of the audit log per revision.
pub struct Change {
    /// The authenticated user.
    pub actor: String,
    /// The time of the request (RFC 3339).
    pub at: String,
    /// What the request did, as JSON (`{"created": ...}`, `{"moved": ...}`, `{"edited": [...]}`,
    /// `{"archived": ...}`, ...).
    pub what: Value,
    /// The effects of a move or a request for an approval, for the change feed: each with its
    /// `kind`.
    pub effects: Vec<Value>,
}

impl Change {
    /// The kind of the change's event in the feed: `created`, `edited`, `moved`, `approved`,
    /// `approval_requested`, `migrated`, `archived` or `unarchived`, from the first key of
    /// `what`.
    pub fn kind(&self) -> &'static str {
        let key = self
            .what
            .as_object()
            .and_then(|what| what.keys().next())
            .map_or("", String::as_str);
        match key {
            "created" => "created",
            "moved" => "moved",
            "approved" => "approved",
            "approval_requested" => "approval_requested",
            "migrated" => "migrated",
            "archived" => "archived",
            "unarchived" => "unarchived",
            _ => "edited",
        }
    }

    /// The change's event in the feed, then one per effect: (kind, payload).
    pub fn events(&self) -> Vec<(String, String)> {
        let mut events = vec![(self.kind().to_owned(), self.what.to_string())];
        for effect in &self.effects {
            let kind = effect
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("effect");
            events.push((kind.to_owned(), effect.to_string()));
        }
        events
    }
}
