//! The journal in PostgreSQL: the audit log and the change feed, written in the transaction of the
//! change they record, and read back.
//!
//! The feed's ids come from the counter row `feed` (`UPDATE counters ... RETURNING`), taken as the
//! last statement before the commit. The row stays locked until the writer commits, so the next
//! writer gets its ids only once the previous one is committed and visible: ids are given in
//! commit order, and a reader that sees an event sees every event with a smaller id.

use postgres::{GenericClient, Transaction};

use super::journal::{AuditRow, Change, Event};
use super::WriteError;

/// Records `change` as revision `revision` of deal `id`: its audit row, then its events in the
/// change feed (the change, then each effect). Call it last in the transaction: the feed's counter
/// row stays locked until the commit.
pub(super) fn journal(
    transaction: &mut Transaction<'_>,
    id: &str,
    revision: i64,
    change: &Change,
) -> Result<(), WriteError> {
    transaction.execute(
        "INSERT INTO audit (deal_id, revision, at, actor, change) VALUES ($1, $2, $3, $4, $5)",
        &[
            &id,
            &revision,
            &change.at,
            &change.actor,
            &change.what.to_string(),
        ],
    )?;
    let events = change.events();
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let last: i64 = transaction
        .query_one(
            "UPDATE counters SET value = value + $1 WHERE name = 'feed' RETURNING value",
            &[&count],
        )?
        .try_get(0)?;
    // The transactional outbox: an event is stored if and only if its change is.
    for (event, (kind, payload)) in (last - count + 1..).zip(events) {
        transaction.execute(
            "INSERT INTO outbox (id, deal, kind, payload, created_at, revision) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&event, &id, &kind, &payload, &change.at, &revision],
        )?;
    }
    Ok(())
}

/// Events after `after`, at most `limit`, in the order they were committed.
pub(super) fn events(
    client: &mut impl GenericClient,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, postgres::Error> {
    let rows = client.query(
        "SELECT id, deal, kind, payload, created_at, revision FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
        &[&after, &limit.max(0)],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Event {
                id: row.try_get(0)?,
                deal: row.try_get(1)?,
                kind: row.try_get(2)?,
                payload: row.try_get(3)?,
                created_at: row.try_get(4)?,
                revision: row.try_get(5)?,
            })
        })
        .collect()
}

/// The audit log of a deal, oldest first.
pub(super) fn audit_log(
    client: &mut impl GenericClient,
    id: &str,
) -> Result<Vec<AuditRow>, String> {
    let rows = client
        .query(
            "SELECT revision, at, actor, change FROM audit WHERE deal_id = $1 ORDER BY revision",
            &[&id],
        )
        .map_err(|e| e.to_string())?;
    let mut log = Vec::new();
    for row in rows {
        let change: String = row.try_get(3).map_err(|e| e.to_string())?;
        log.push(AuditRow {
            revision: row.try_get(0).map_err(|e| e.to_string())?,
            at: row.try_get(1).map_err(|e| e.to_string())?,
            actor: row.try_get(2).map_err(|e| e.to_string())?,
            change: serde_json::from_str(&change).map_err(|e| e.to_string())?,
        });
    }
    Ok(log)
}
