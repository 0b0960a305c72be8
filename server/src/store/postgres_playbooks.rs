//! The playbooks' files in PostgreSQL: every instance loads them from there, and a publish writes
//! them all in one transaction with the counter row `playbooks` raised by one, which the instances
//! poll to know when to load them again.

use postgres::{Client, IsolationLevel, Transaction};

use super::{Shelf, WriteError};

/// Every file with the version of the set, read in one snapshot.
pub(super) fn shelf(client: &mut Client) -> Result<Shelf, postgres::Error> {
    let mut transaction = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let version = version_in(&mut transaction)?;
    let rows = transaction.query(
        "SELECT name, text FROM playbook_files ORDER BY name COLLATE \"C\"",
        &[],
    )?;
    let files = rows
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<_, postgres::Error>>()?;
    transaction.commit()?;
    Ok(Shelf { version, files })
}

/// The version of the files: one more on every publish.
pub(super) fn version(client: &mut Client) -> Result<i64, postgres::Error> {
    client
        .query_one("SELECT value FROM counters WHERE name = 'playbooks'", &[])?
        .try_get(0)
}

fn version_in(transaction: &mut Transaction<'_>) -> Result<i64, postgres::Error> {
    transaction
        .query_one("SELECT value FROM counters WHERE name = 'playbooks'", &[])?
        .try_get(0)
}

/// Writes every file (replacing those of the same name) and raises the version, in the caller's
/// transaction; with `seed`, only when the store has no file yet (`false` then). The counter row,
/// locked first, makes publishes and seeds take turns.
pub(super) fn publish(
    transaction: &mut Transaction<'_>,
    files: &[(String, String)],
    seed: bool,
) -> Result<bool, WriteError> {
    transaction.execute(
        "SELECT value FROM counters WHERE name = 'playbooks' FOR UPDATE",
        &[],
    )?;
    if seed {
        let stored: i64 = transaction
            .query_one("SELECT COUNT(*) FROM playbook_files", &[])?
            .try_get(0)?;
        if stored > 0 {
            return Ok(false);
        }
    }
    for (name, text) in files {
        transaction.execute(
            "INSERT INTO playbook_files (name, text) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET text = EXCLUDED.text, published_at = now()",
            &[name, text],
        )?;
    }
    transaction.execute(
        "UPDATE counters SET value = value + 1 WHERE name = 'playbooks'",
        &[],
    )?;
    Ok(true)
}
