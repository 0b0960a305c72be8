//! The store in PostgreSQL, for several server instances on one database: the tables of the
//! SQLite store (see `postgres_schema.rs`), reached through a pool of blocking connections
//! (`postgres` over `tokio-postgres`, pooled by `r2d2`). Each write is one transaction in `READ
//! COMMITTED`: the revision check of `UPDATE ... WHERE id AND revision` re-reads a row another
//! writer changed, so of two writers at one revision exactly one wins.

use std::time::Duration;

use postgres::{Client, Config, NoTls, Transaction};
use r2d2_postgres::PostgresConnectionManager;
use stagegate::Deal;

use super::journal::{AuditRow, Change, Event};
use super::postgres_journal::{self, journal};
use super::postgres_url::{redact, Secret};
use super::{FeedStats, Shelf, Store, Stored, WriteError};
use crate::auth::User;

/// The pool's connections per instance at most (a request holds one for its store calls).
const POOL_SIZE: u32 = 16;

/// How long a request waits for a free connection, or a new one, before failing.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The advisory lock key under which deals without an id get the next `D-` number.
const DEAL_IDS_LOCK: i64 = 0x7374_6167_6964_7300;

impl From<postgres::Error> for WriteError {
    fn from(error: postgres::Error) -> WriteError {
        WriteError::Database(error.to_string())
    }
}

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
type Connection = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

/// Deals, their journal, the users and the playbooks' files, in a PostgreSQL database.
pub struct PgStore {
    pool: Pool,
    secret: std::sync::Arc<Secret>,
}

/// Logs the pool's failures to connect through `tracing`, without the password.
#[derive(Debug)]
struct PoolErrors(std::sync::Arc<Secret>);

impl r2d2::HandleError<postgres::Error> for PoolErrors {
    fn handle_error(&self, error: postgres::Error) {
        tracing::error!("PostgreSQL: {}", self.0.scrub(&error.to_string()));
    }
}

impl PgStore {
    /// Connects to the database `url` names, applies the migrations it lacks (under an advisory
    /// lock, so instances starting together do not race) and opens the pool. Errors name the
    /// database without its password.
    pub fn open(url: &str) -> Result<PgStore, String> {
        let shown = redact(url);
        let mut config: Config = url
            .parse()
            .map_err(|_| format!("`{shown}` is not a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE"))?;
        let secret = std::sync::Arc::new(Secret::of(url, config.get_password()));
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let fail =
            |what: &str, error: String| format!("{what} `{shown}`: {}", secret.scrub(&error));
        let mut client = config
            .connect(NoTls)
            .map_err(|e| fail("cannot connect to", e.to_string()))?;
        super::postgres_schema::migrate(&mut client)
            .map_err(|e| fail("cannot create the tables in", e))?;
        drop(client);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .connection_timeout(CONNECT_TIMEOUT)
            .error_handler(Box::new(PoolErrors(std::sync::Arc::clone(&secret))))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|e| fail("cannot connect to", e.to_string()))?;
        Ok(PgStore { pool, secret })
    }

    /// A connection of the pool.
    fn client(&self) -> Result<Connection, String> {
        self.pool.get().map_err(|e| {
            self.secret
                .scrub(&format!("the database does not answer: {e}"))
        })
    }

    /// Runs `read` on a pooled connection; its error as text.
    fn read<T>(
        &self,
        read: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, String> {
        let mut client = self.client()?;
        read(&mut client).map_err(|e| self.secret.scrub(&e.to_string()))
    }

    /// Runs `write` in a transaction on a pooled connection and commits it.
    fn write<T>(
        &self,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<T, WriteError>,
    ) -> Result<T, WriteError> {
        let mut client = self.client().map_err(WriteError::Database)?;
        let mut transaction = client.transaction()?;
        let done = write(&mut transaction)?;
        transaction.commit()?;
        Ok(done)
    }
}

impl Store for PgStore {
    fn get(&self, id: &str) -> Result<Option<Stored>, String> {
        let row = self.read(|client| {
            client.query_opt(
                "SELECT document, revision, owner FROM deals WHERE id = $1",
                &[&id],
            )
        })?;
        row.map(|row| stored(&row)).transpose()
    }

    fn all(&self) -> Result<Vec<Stored>, String> {
        let rows = self.read(|client| {
            client.query(
                "SELECT document, revision, owner FROM deals ORDER BY id COLLATE \"C\"",
                &[],
            )
        })?;
        rows.iter().map(stored).collect()
    }

    fn create(&self, deal: &Deal, owner: &str, change: &Change) -> Result<Stored, WriteError> {
        let mut deal = deal.clone();
        self.write(|transaction| {
            let inserted = |transaction: &mut Transaction<'_>, deal: &Deal| {
                let id = deal.id.clone().unwrap_or_default();
                transaction.execute(
                    "INSERT INTO deals (id, revision, document, owner) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING",
                    &[&id, &document(deal)?, &owner],
                )
                .map_err(WriteError::from)
                .map(|n| n == 1)
            };
            if deal.id.is_some() {
                if !inserted(transaction, &deal)? {
                    return Err(WriteError::Exists);
                }
            } else {
                // One numbering at a time; an id given by hand meanwhile is skipped over.
                transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&DEAL_IDS_LOCK])?;
                let count: i64 = transaction
                    .query_one("SELECT COUNT(*) FROM deals", &[])?
                    .try_get(0)?;
                for n in count + 1.. {
                    deal.id = Some(format!("D-{n:06}"));
                    if inserted(transaction, &deal)? {
                        break;
                    }
                }
            }
            let id = deal.id.clone().unwrap_or_default();
            append_history(transaction, &id, &deal, 0)?;
            journal(transaction, &id, 1, change)
        })
        .map_err(|e| self.scrubbed(e))?;
        Ok(Stored {
            deal,
            revision: 1,
            owner: Some(owner.to_owned()),
        })
    }

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
        self.write(|transaction| {
            let changed = transaction.execute(
                "UPDATE deals SET revision = revision + 1, document = $1, owner = $4 WHERE id = $2 AND revision = $3",
                &[&document(deal)?, &id, &revision, &owner],
            )?;
            if changed == 0 {
                let current = transaction
                    .query_opt("SELECT revision FROM deals WHERE id = $1", &[&id])?
                    .map(|row| row.try_get(0))
                    .transpose()?;
                return Err(WriteError::stale(current));
            }
            append_history(transaction, &id, deal, before)?;
            journal(transaction, &id, revision + 1, change)
        })
        .map_err(|e| self.scrubbed(e))?;
        Ok(Stored {
            deal: deal.clone(),
            revision: revision + 1,
            owner,
        })
    }

    fn logged(&self, id: &str) -> Result<usize, String> {
        let count: i64 = self.read(|client| {
            client
                .query_one("SELECT COUNT(*) FROM history WHERE deal_id = $1", &[&id])?
                .try_get(0)
        })?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    fn events(&self, after: i64, limit: i64) -> Result<Vec<Event>, String> {
        self.read(|client| postgres_journal::events(client, after, limit))
    }

    fn audit_log(&self, id: &str) -> Result<Vec<AuditRow>, String> {
        let mut client = self.client()?;
        postgres_journal::audit_log(&mut *client, id).map_err(|e| self.secret.scrub(&e))
    }

    fn newest_event(&self) -> Result<i64, String> {
        self.read(|client| {
            client
                .query_one("SELECT COALESCE(MAX(id), 0) FROM outbox", &[])?
                .try_get(0)
        })
    }

    fn feed_stats(&self) -> Result<FeedStats, String> {
        self.read(|client| {
            let row = client.query_one(
                "SELECT COUNT(*), (SELECT created_at FROM outbox ORDER BY id DESC LIMIT 1) FROM outbox",
                &[],
            )?;
            Ok(FeedStats {
                events: row.try_get(0)?,
                newest: row.try_get(1)?,
            })
        })
    }

    fn user_count(&self) -> Result<i64, String> {
        self.read(|client| {
            client
                .query_one("SELECT COUNT(*) FROM users", &[])?
                .try_get(0)
        })
    }

    fn user(&self, id: &str) -> Result<Option<User>, String> {
        let row = self
            .read(|client| client.query_opt("SELECT id, roles FROM users WHERE id = $1", &[&id]))?;
        row.map(|row| Ok(user_of(row.try_get(0)?, row.try_get(1)?)))
            .transpose()
            .map_err(|e: postgres::Error| e.to_string())
    }

    fn user_digests(&self) -> Result<Vec<(User, Vec<u8>)>, String> {
        let rows =
            self.read(|client| client.query("SELECT id, roles, token_sha256 FROM users", &[]))?;
        rows.iter()
            .map(|row| Ok((user_of(row.try_get(0)?, row.try_get(1)?), row.try_get(2)?)))
            .collect::<Result<_, postgres::Error>>()
            .map_err(|e| e.to_string())
    }

    fn add_user(&self, id: &str, roles: &[String], digest: &[u8]) -> Result<bool, String> {
        self.read(|client| {
            client.execute(
                "INSERT INTO users (id, roles, token_sha256) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                &[&id, &roles.join(" "), &digest],
            )
        })
        .map(|n| n == 1)
    }

    fn rotate_user(&self, id: &str, roles: &[String], digest: &[u8]) -> Result<bool, String> {
        self.read(|client| {
            if roles.is_empty() {
                client.execute(
                    "UPDATE users SET token_sha256 = $2 WHERE id = $1",
                    &[&id, &digest],
                )
            } else {
                client.execute(
                    "UPDATE users SET token_sha256 = $2, roles = $3 WHERE id = $1",
                    &[&id, &digest, &roles.join(" ")],
                )
            }
        })
        .map(|n| n == 1)
    }

    fn remove_user(&self, id: &str) -> Result<bool, String> {
        self.read(|client| client.execute("DELETE FROM users WHERE id = $1", &[&id]))
            .map(|n| n == 1)
    }

    fn ping(&self) -> Result<(), String> {
        self.read(|client| client.simple_query("SELECT 1").map(drop))
    }

    fn keeps_playbooks(&self) -> bool {
        true
    }

    fn playbooks(&self) -> Result<Shelf, String> {
        self.read(super::postgres_playbooks::shelf)
    }

    fn playbooks_version(&self) -> Result<i64, String> {
        self.read(super::postgres_playbooks::version)
    }

    fn publish_playbooks(&self, files: &[(String, String)], seed: bool) -> Result<bool, String> {
        self.write(|transaction| super::postgres_playbooks::publish(transaction, files, seed))
            .map_err(|error| match error {
                WriteError::Database(message) => self.secret.scrub(&message),
                _ => "the playbooks could not be written".to_owned(),
            })
    }
}

impl PgStore {
    /// A write's error without the password.
    fn scrubbed(&self, error: WriteError) -> WriteError {
        match error {
            WriteError::Database(message) => WriteError::Database(self.secret.scrub(&message)),
            other => other,
        }
    }
}

/// A deal's row as stored.
fn stored(row: &postgres::Row) -> Result<Stored, String> {
    let document: String = row.try_get(0).map_err(|e| e.to_string())?;
    Ok(Stored {
        deal: serde_json::from_str(&document).map_err(|e| e.to_string())?,
        revision: row.try_get(1).map_err(|e| e.to_string())?,
        owner: row.try_get(2).map_err(|e| e.to_string())?,
    })
}

fn user_of(id: String, roles: String) -> User {
    User {
        id,
        roles: roles.split_whitespace().map(str::to_owned).collect(),
        lang: None,
    }
}

fn document(deal: &Deal) -> Result<String, WriteError> {
    serde_json::to_string(deal).map_err(|e| WriteError::Database(e.to_string()))
}

/// Logs the deal's history entries from position `from` on (the deal's row is locked by the
/// write, so no other writer appends to its log meanwhile).
fn append_history(
    transaction: &mut Transaction<'_>,
    id: &str,
    deal: &Deal,
    from: usize,
) -> Result<(), WriteError> {
    let logged: i64 = transaction
        .query_one("SELECT COUNT(*) FROM history WHERE deal_id = $1", &[&id])?
        .try_get(0)?;
    let pin = deal.playbook.clone().unwrap_or_default();
    for (seq, entry) in (logged..).zip(deal.history.iter().skip(from)) {
        let json = serde_json::to_string(entry).map_err(|e| WriteError::Database(e.to_string()))?;
        transaction.execute(
            "INSERT INTO history (deal_id, seq, playbook, entry) VALUES ($1, $2, $3, $4)",
            &[&id, &seq, &pin, &json],
        )?;
    }
    Ok(())
}
