//! Deals in SQLite: one row per deal (its current document and revision) and an append-only log
//! of every history entry ever recorded, with the playbook version it was recorded under.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rusqlite::{params, Connection, OptionalExtension};
use stagegate::Deal;

/// A stored deal and its revision (which goes up by one on every write).
pub struct Stored {
    pub deal: Deal,
    pub revision: i64,
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum WriteError {
    /// Someone else wrote the deal since the revision the writer read; nothing was written.
    Conflict { current: i64 },
    /// No deal has that id.
    Missing,
    /// A deal with that id exists already.
    Exists,
    /// The database failed.
    Database(String),
}

impl From<rusqlite::Error> for WriteError {
    fn from(error: rusqlite::Error) -> WriteError {
        WriteError::Database(error.to_string())
    }
}

pub struct Store {
    connection: Mutex<Connection>,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS deals (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    deal_id TEXT NOT NULL REFERENCES deals(id),
    seq INTEGER NOT NULL,
    playbook TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (deal_id, seq)
);
CREATE TRIGGER IF NOT EXISTS history_no_update BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS history_no_delete BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
";

impl Store {
    /// Opens the database, creating it and its tables on first start.
    pub fn open(path: &Path) -> Result<Store, String> {
        let connection =
            Connection::open(path).map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
        connection
            .execute_batch(SCHEMA)
            .map_err(|e| format!("cannot create the tables in `{}`: {e}", path.display()))?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The deal `id`, if stored.
    pub fn get(&self, id: &str) -> Result<Option<Stored>, String> {
        let connection = self.connection();
        let row: Option<(String, i64)> = connection
            .query_row(
                "SELECT document, revision FROM deals WHERE id = ?1",
                params![id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        row.map(|(document, revision)| {
            let deal = serde_json::from_str(&document).map_err(|e| e.to_string())?;
            Ok(Stored { deal, revision })
        })
        .transpose()
    }

    /// Every stored deal, in id order.
    pub fn all(&self) -> Result<Vec<Stored>, String> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT document, revision FROM deals ORDER BY id")
            .map_err(|e| e.to_string())?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(|e| e.to_string())?;
        let mut deals = Vec::new();
        for row in rows {
            let (document, revision) = row.map_err(|e| e.to_string())?;
            let deal = serde_json::from_str(&document).map_err(|e| e.to_string())?;
            deals.push(Stored { deal, revision });
        }
        Ok(deals)
    }

    /// Stores a new deal at revision 1, with its history in the log; a deal without an id gets
    /// the first free `D-000001`, `D-000002`, ... (chosen inside the write, so two creates never
    /// pick the same one).
    pub fn create(&self, deal: &Deal) -> Result<Stored, WriteError> {
        let mut deal = deal.clone();
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        if deal.id.is_none() {
            let count: i64 =
                transaction.query_row("SELECT COUNT(*) FROM deals", [], |row| row.get(0))?;
            for n in count + 1.. {
                let id = format!("D-{n:06}");
                if revision_of(&transaction, &id)?.is_none() {
                    deal.id = Some(id);
                    break;
                }
            }
        }
        let id = deal.id.clone().unwrap_or_default();
        if revision_of(&transaction, &id)?.is_some() {
            return Err(WriteError::Exists);
        }
        transaction.execute(
            "INSERT INTO deals (id, revision, document) VALUES (?1, 1, ?2)",
            params![id, document(&deal)?],
        )?;
        append_history(&transaction, &id, &deal, 0)?;
        transaction.commit()?;
        Ok(Stored { deal, revision: 1 })
    }

    /// Replaces the deal if it is still at `revision`, and logs the history entries it gained
    /// beyond the `before` it had.
    pub fn update(&self, deal: &Deal, revision: i64, before: usize) -> Result<Stored, WriteError> {
        let id = deal.id.clone().unwrap_or_default();
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        let changed = transaction.execute(
            "UPDATE deals SET revision = revision + 1, document = ?1 WHERE id = ?2 AND revision = ?3",
            params![document(deal)?, id, revision],
        )?;
        if changed == 0 {
            return Err(match revision_of(&transaction, &id)? {
                Some(current) => WriteError::Conflict { current },
                None => WriteError::Missing,
            });
        }
        append_history(&transaction, &id, deal, before)?;
        transaction.commit()?;
        Ok(Stored {
            deal: deal.clone(),
            revision: revision + 1,
        })
    }

    /// How many history entries the log holds for a deal.
    pub fn logged(&self, id: &str) -> Result<usize, String> {
        let count: i64 = self
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM history WHERE deal_id = ?1",
                params![id],
                |row| row.get(0),
            )
            .map_err(|e| e.to_string())?;
        Ok(usize::try_from(count).unwrap_or(0))
    }
}

/// The stored revision of deal `id`, or `None` when there is no such deal.
fn revision_of(transaction: &rusqlite::Transaction<'_>, id: &str) -> rusqlite::Result<Option<i64>> {
    transaction
        .query_row(
            "SELECT revision FROM deals WHERE id = ?1",
            params![id],
            |row| row.get(0),
        )
        .optional()
}

fn document(deal: &Deal) -> Result<String, WriteError> {
    serde_json::to_string(deal).map_err(|e| WriteError::Database(e.to_string()))
}

/// Logs the deal's history entries from position `from` on.
fn append_history(
    transaction: &rusqlite::Transaction<'_>,
    id: &str,
    deal: &Deal,
    from: usize,
) -> Result<(), WriteError> {
    let logged: i64 = transaction.query_row(
        "SELECT COUNT(*) FROM history WHERE deal_id = ?1",
        params![id],
        |row| row.get(0),
    )?;
    let pin = deal.playbook.clone().unwrap_or_default();
    for (i, entry) in deal.history.iter().enumerate().skip(from) {
        let json = serde_json::to_string(entry).map_err(|e| WriteError::Database(e.to_string()))?;
        let seq = logged + i64::try_from(i - from).unwrap_or(0);
        transaction.execute(
            "INSERT INTO history (deal_id, seq, playbook, entry) VALUES (?1, ?2, ?3, ?4)",
            params![id, seq, pin, json],
        )?;
    }
    Ok(())
}
