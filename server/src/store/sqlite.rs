//! The store in one SQLite file (the default: nothing to install): one row per deal (its current
//! document and revision), an append-only log of every history entry ever recorded with the
//! playbook version it was recorded under, the audit log, the change feed, and the users who may
//! call the service with the SHA-256 digest of their token.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rusqlite::{params, Connection, OptionalExtension};
use stagegate::Deal;

use super::journal::{AuditRow, Change, Event};
use super::sqlite_journal::{self, journal};
use super::sqlite_schema::migrate;
use super::{FeedStats, Store, Stored, WriteError};
use crate::auth::User;

impl From<rusqlite::Error> for WriteError {
    fn from(error: rusqlite::Error) -> WriteError {
        WriteError::Database(error.to_string())
    }
}

/// Deals, their journal and the users, in one SQLite file.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens the database, creating it and its tables on first start and bringing an older one
    /// up to the current schema.
    pub fn open(path: &Path) -> Result<SqliteStore, String> {
        let mut connection =
            Connection::open(path).map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
        // The service and `add-user` may write at once: wait for the other instead of failing.
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .and_then(|()| {
                connection.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            })
            .map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
        migrate(&mut connection)
            .map_err(|e| format!("cannot create the tables in `{}`: {e}", path.display()))?;
        Ok(SqliteStore {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for SqliteStore {
    fn get(&self, id: &str) -> Result<Option<Stored>, String> {
        let connection = self.connection();
        let row: Option<(String, i64, Option<String>)> = connection
            .query_row(
                "SELECT document, revision, owner FROM deals WHERE id = ?1",
                params![id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        row.map(|(document, revision, owner)| {
            let deal = serde_json::from_str(&document).map_err(|e| e.to_string())?;
            Ok(Stored {
                deal,
                revision,
                owner,
            })
        })
        .transpose()
    }

    /// Every stored deal, in id order.
    fn all(&self) -> Result<Vec<Stored>, String> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT document, revision, owner FROM deals ORDER BY id")
            .map_err(|e| e.to_string())?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        let mut deals = Vec::new();
        for row in rows {
            let (document, revision, owner) = row.map_err(|e| e.to_string())?;
            let deal = serde_json::from_str(&document).map_err(|e| e.to_string())?;
            deals.push(Stored {
                deal,
                revision,
                owner,
            });
        }
        Ok(deals)
    }

    /// Stores a new deal at revision 1, with its history in the log; a deal without an id gets
    /// the first free `D-000001`, `D-000002`, ... (chosen inside the write, so two creates never
    /// pick the same one). `owner` is the user who owns it; `change` says who did what, for the
    /// audit log, in the same transaction.
    fn create(&self, deal: &Deal, owner: &str, change: &Change) -> Result<Stored, WriteError> {
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
            "INSERT INTO deals (id, revision, document, owner) VALUES (?1, 1, ?2, ?3)",
            params![id, document(&deal)?, owner],
        )?;
        append_history(&transaction, &id, &deal, 0)?;
        journal(&transaction, &id, 1, change)?;
        transaction.commit()?;
        Ok(Stored {
            deal,
            revision: 1,
            owner: Some(owner.to_owned()),
        })
    }

    /// Replaces the deal if it is still at `revision`, logs the history entries it gained
    /// beyond the `before` it had, and records `change` (who did what) in the audit log, all in
    /// one transaction. The owner column follows the deal's `owner`.
    fn update(
        &self,
        stored: &Stored,
        deal: &Deal,
        before: usize,
        change: &Change,
    ) -> Result<Stored, WriteError> {
        let revision = stored.revision;
        let id = deal.id.clone().unwrap_or_default();
        let owner = deal.owner.clone().or_else(|| stored.owner.clone());
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        let changed = transaction.execute(
            "UPDATE deals SET revision = revision + 1, document = ?1, owner = ?4 WHERE id = ?2 AND revision = ?3",
            params![document(deal)?, id, revision, owner],
        )?;
        if changed == 0 {
            return Err(WriteError::stale(revision_of(&transaction, &id)?));
        }
        append_history(&transaction, &id, deal, before)?;
        journal(&transaction, &id, revision + 1, change)?;
        transaction.commit()?;
        Ok(Stored {
            deal: deal.clone(),
            revision: revision + 1,
            owner,
        })
    }

    /// How many history entries the log holds for a deal.
    fn logged(&self, id: &str) -> Result<usize, String> {
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

    /// How many users may call the service.
    fn events(&self, after: i64, limit: i64) -> Result<Vec<Event>, String> {
        sqlite_journal::events(&self.connection(), after, limit).map_err(|e| e.to_string())
    }

    fn newest_event(&self) -> Result<i64, String> {
        self.connection()
            .query_row("SELECT COALESCE(MAX(id), 0) FROM outbox", [], |row| {
                row.get(0)
            })
            .map_err(|e| e.to_string())
    }

    fn audit_log(&self, id: &str) -> Result<Vec<AuditRow>, String> {
        sqlite_journal::audit_log(&self.connection(), id)
    }

    fn ping(&self) -> Result<(), String> {
        self.connection()
            .query_row("SELECT 1", [], |_| Ok(()))
            .map_err(|e| e.to_string())
    }

    fn feed_stats(&self) -> Result<FeedStats, String> {
        self.connection()
            .query_row(
                "SELECT COUNT(*), (SELECT created_at FROM outbox ORDER BY id DESC LIMIT 1) FROM outbox",
                [],
                |row| {
                    Ok(FeedStats {
                        events: row.get(0)?,
                        newest: row.get(1)?,
                    })
                },
            )
            .map_err(|e| e.to_string())
    }

    fn user_count(&self) -> Result<i64, String> {
        self.connection()
            .query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
            .map_err(|e| e.to_string())
    }

    /// The user `id`, if there is one.
    fn user(&self, id: &str) -> Result<Option<User>, String> {
        self.connection()
            .query_row(
                "SELECT id, roles FROM users WHERE id = ?1",
                params![id],
                |row| Ok(user_of(row.get(0)?, &row.get::<_, String>(1)?)),
            )
            .optional()
            .map_err(|e| e.to_string())
    }

    fn user_digests(&self) -> Result<Vec<(User, Vec<u8>)>, String> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT id, roles, token_sha256 FROM users")
            .map_err(|e| e.to_string())?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    user_of(row.get(0)?, &row.get::<_, String>(1)?),
                    row.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// Stores a user with the digest of their token; `false` when the id is taken.
    fn add_user(&self, id: &str, roles: &[String], digest: &[u8]) -> Result<bool, String> {
        self.connection()
            .execute(
                "INSERT OR IGNORE INTO users (id, roles, token_sha256) VALUES (?1, ?2, ?3)",
                params![id, roles.join(" "), digest],
            )
            .map(|n| n == 1)
            .map_err(|e| e.to_string())
    }

    /// Replaces a user's token (the old one stops working) and, when `roles` is not empty, their
    /// roles; `false` when there is no such user.
    fn rotate_user(&self, id: &str, roles: &[String], digest: &[u8]) -> Result<bool, String> {
        let connection = self.connection();
        let changed = if roles.is_empty() {
            connection.execute(
                "UPDATE users SET token_sha256 = ?2 WHERE id = ?1",
                params![id, digest],
            )
        } else {
            connection.execute(
                "UPDATE users SET token_sha256 = ?2, roles = ?3 WHERE id = ?1",
                params![id, digest, roles.join(" ")],
            )
        };
        changed.map(|n| n == 1).map_err(|e| e.to_string())
    }

    /// Removes a user and with them their token; `false` when there is no such user.
    fn remove_user(&self, id: &str) -> Result<bool, String> {
        self.connection()
            .execute("DELETE FROM users WHERE id = ?1", params![id])
            .map(|n| n == 1)
            .map_err(|e| e.to_string())
    }
}

fn user_of(id: String, roles: &str) -> User {
    User {
        id,
        roles: roles.split_whitespace().map(str::to_owned).collect(),
        lang: None,
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
