//! The journal of changes: the audit log (who changed a deal, when, how) and the outbox (the
//! effects of moves, for a relay), both written in the transaction of the change they record.

use rusqlite::params;

use crate::store::{Store, WriteError};

/// One effect in the outbox, for a relay to carry out.
pub struct Event {
    pub id: i64,
    pub deal: String,
    pub kind: String,
    /// The effect as the engine gave it, as JSON.
    pub payload: String,
    pub created_at: String,
}

/// Who changed a deal, when, and how: one row of the audit log per revision.
pub struct Change {
    /// The authenticated user.
    pub actor: String,
    /// The time of the request (RFC 3339).
    pub at: String,
    /// What the request did, as JSON (`{"created": ...}`, `{"moved": ...}`, `{"fields": ...}`).
    pub what: serde_json::Value,
    /// The effects of a move, for the outbox: each with its `kind`.
    pub effects: Vec<serde_json::Value>,
}

/// Records `change` as revision `revision` of deal `id`.
pub(crate) fn audit(
    transaction: &rusqlite::Transaction<'_>,
    id: &str,
    revision: i64,
    change: &Change,
) -> Result<(), WriteError> {
    transaction.execute(
        "INSERT INTO audit (deal_id, revision, at, actor, change) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id,
            revision,
            change.at,
            change.actor,
            change.what.to_string()
        ],
    )?;
    // The transactional outbox: an effect is stored if and only if its change is.
    for effect in &change.effects {
        let kind = effect
            .get("kind")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("effect");
        transaction.execute(
            "INSERT INTO outbox (deal, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, kind, effect.to_string(), change.at],
        )?;
    }
    Ok(())
}

impl Store {
    /// Outbox events after `after`, at most `limit`, in the order they were written:
    /// (id, deal, kind, payload, created_at).
    pub fn events(&self, after: i64, limit: i64) -> Result<Vec<Event>, String> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT id, deal, kind, payload, created_at FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2")
            .map_err(|e| e.to_string())?;
        let rows = statement
            .query_map(params![after, limit], |row| {
                Ok(Event {
                    id: row.get(0)?,
                    deal: row.get(1)?,
                    kind: row.get(2)?,
                    payload: row.get(3)?,
                    created_at: row.get(4)?,
                })
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// The audit log of a deal: (revision, at, actor, change), oldest first.
    pub fn audit_log(
        &self,
        id: &str,
    ) -> Result<Vec<(i64, String, String, serde_json::Value)>, String> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT revision, at, actor, change FROM audit WHERE deal_id = ?1 ORDER BY revision")
            .map_err(|e| e.to_string())?;
        let rows = statement
            .query_map(params![id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut log = Vec::new();
        for row in rows {
            let (revision, at, actor, change) = row.map_err(|e| e.to_string())?;
            let change = serde_json::from_str(&change).map_err(|e| e.to_string())?;
            log.push((revision, at, actor, change));
        }
        Ok(log)
    }
}
