//! The journal in SQLite: the audit log and the change feed, written in the transaction of the
//! change they record, and read back.

use rusqlite::{params, Connection};

use super::journal::{AuditRow, Change, Event};
use super::WriteError;

/// Records `change` as revision `revision` of deal `id`: its audit row, then its events in the
/// change feed (the change, then each effect). SQLite has one writer at a time, so the feed's ids
/// are given in commit order.
pub(super) fn journal(
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
    // The transactional outbox: an event is stored if and only if its change is.
    for (kind, payload) in change.events() {
        transaction.execute(
            "INSERT INTO outbox (deal, kind, payload, created_at, revision) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, kind, payload, change.at, revision],
        )?;
    }
    Ok(())
}

/// Events after `after`, at most `limit`, in the order they were written.
pub(super) fn events(
    connection: &Connection,
    after: i64,
    limit: i64,
) -> rusqlite::Result<Vec<Event>> {
    let mut statement = connection.prepare_cached(
        "SELECT id, deal, kind, payload, created_at, revision FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = statement.query_map(params![after, limit], |row| {
        Ok(Event {
            id: row.get(0)?,
            deal: row.get(1)?,
            kind: row.get(2)?,
            payload: row.get(3)?,
            created_at: row.get(4)?,
            revision: row.get(5)?,
        })
    })?;
    rows.collect()
}

/// The audit log of a deal, oldest first.
pub(super) fn audit_log(connection: &Connection, id: &str) -> Result<Vec<AuditRow>, String> {
    let mut statement = connection
        .prepare_cached(
            "SELECT revision, at, actor, change FROM audit WHERE deal_id = ?1 ORDER BY revision",
        )
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
        log.push(AuditRow {
            revision,
            at,
            actor,
            change,
        });
    }
    Ok(log)
}
