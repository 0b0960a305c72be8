//! Where deals, their history, the audit log, the change feed and the users live: one interface
//! (`Store`), two implementations chosen by `--db` (SQLite for one machine, PostgreSQL for many).
//!
//! Every method is blocking: the HTTP layer calls the store from tokio's blocking pool
//! (`tokio::task::spawn_blocking`), never from an async task.

mod journal;
mod postgres;
mod postgres_journal;
mod postgres_playbooks;
mod postgres_schema;
mod postgres_url;
mod sqlite;
mod sqlite_journal;
mod sqlite_schema;

pub use journal::{AuditRow, Change, Event};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use stagegate::Deal;

use crate::auth::User;

/// A stored deal, its revision (which goes up by one on every write) and the user who owns it.
pub struct Stored {
    /// The deal as last written.
    pub deal: Deal,
    /// Its revision: 1 when created, one more on every write.
    pub revision: i64,
    /// The user who owns it.
    pub owner: Option<String>,
}

/// The change feed's size, for `GET /metrics`.
pub struct FeedStats {
    /// How many events the feed holds.
    pub events: i64,
    /// When its newest event was written (RFC 3339), if it holds one.
    pub newest: Option<String>,
}

/// The playbooks' files a store keeps (PostgreSQL), by name, and the version of the set.
#[derive(Default)]
pub struct Shelf {
    /// One more on every publish: an instance that loaded an older one loads them again.
    pub version: i64,
    /// Every file's name and text, by name.
    pub files: Vec<(String, String)>,
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum WriteError {
    /// Someone else wrote the deal since the revision the writer read; nothing was written.
    Conflict {
        /// The deal's revision now.
        current: i64,
    },
    /// No deal has that id.
    Missing,
    /// A deal with that id exists already.
    Exists,
    /// The database failed.
    Database(String),
}

impl WriteError {
    /// A revision check that failed: a conflict with the deal's revision now, or no such deal.
    pub fn stale(current: Option<i64>) -> WriteError {
        match current {
            Some(current) => WriteError::Conflict { current },
            None => WriteError::Missing,
        }
    }
}

/// The service's storage. Each write is one transaction: the deal, the history entries it
/// gained, its audit row and its events in the change feed are stored together or not at all.
pub trait Store: Send + Sync {
    /// The deal `id`, if stored.
    fn get(&self, id: &str) -> Result<Option<Stored>, String>;
    /// Every stored deal, in id order.
    fn all(&self) -> Result<Vec<Stored>, String>;
    /// Stores a new deal at revision 1, with its history, its audit row and its `created` event;
    /// a deal without an id gets the first free `D-000001`, `D-000002`, ... (chosen inside the
    /// write, so two creates never pick the same one).
    fn create(&self, deal: &Deal, owner: &str, change: &Change) -> Result<Stored, WriteError>;
    /// Replaces the deal if it is still at `stored.revision`, logs the history entries it gained
    /// beyond the `before` it had, and records `change` in the audit log and the change feed, in
    /// one transaction. The owner follows the deal's `owner`.
    fn update(
        &self,
        stored: &Stored,
        deal: &Deal,
        before: usize,
        change: &Change,
    ) -> Result<Stored, WriteError>;
    /// How many history entries the log holds for a deal.
    fn logged(&self, id: &str) -> Result<usize, String>;
    /// The change feed after event `after`, at most `limit` events, in the order they were
    /// committed (an event is never readable before one with a smaller id).
    fn events(&self, after: i64, limit: i64) -> Result<Vec<Event>, String>;
    /// The audit log of a deal, oldest first.
    fn audit_log(&self, id: &str) -> Result<Vec<AuditRow>, String>;
    /// How many users may call the service.
    fn user_count(&self) -> Result<i64, String>;
    /// The user `id`, if there is one.
    fn user(&self, id: &str) -> Result<Option<User>, String>;
    /// Every user with the SHA-256 digest of their token.
    fn user_digests(&self) -> Result<Vec<(User, Vec<u8>)>, String>;
    /// Stores a user with the digest of their token; `false` when the id is taken.
    fn add_user(&self, id: &str, roles: &[String], digest: &[u8]) -> Result<bool, String>;
    /// Replaces a user's token (the old one stops working) and, when `roles` is not empty, their
    /// roles; `false` when there is no such user.
    fn rotate_user(&self, id: &str, roles: &[String], digest: &[u8]) -> Result<bool, String>;
    /// Removes a user and with them their token; `false` when there is no such user.
    fn remove_user(&self, id: &str) -> Result<bool, String>;
    /// Whether the store answers (for `GET /ready`).
    fn ping(&self) -> Result<(), String>;
    /// How many events the change feed holds and when the newest was written (for
    /// `GET /metrics`, read at every scrape: one cheap query).
    fn feed_stats(&self) -> Result<FeedStats, String>;

    /// Whether the playbooks live in the store (PostgreSQL: every instance serves the files
    /// published there) rather than in the playbooks directory (SQLite).
    fn keeps_playbooks(&self) -> bool {
        false
    }
    /// The playbooks' files the store keeps, with their version (none when it keeps none).
    fn playbooks(&self) -> Result<Shelf, String> {
        Ok(Shelf::default())
    }
    /// The version of the playbooks' files, to poll: one more on every publish.
    fn playbooks_version(&self) -> Result<i64, String> {
        Ok(0)
    }
    /// Writes every file (name, text) in one transaction, all or none, and raises the version;
    /// with `seed`, only when the store has no file yet. Whether it wrote.
    fn publish_playbooks(&self, files: &[(String, String)], seed: bool) -> Result<bool, String> {
        let _ = (files, seed);
        Err("this store keeps no playbooks: they live in the playbooks directory".to_owned())
    }

    /// The id of the newest event readable in the change feed (0 when none): where a page that
    /// has just read the deals starts following the feed. A store may answer it more cheaply.
    fn newest_event(&self) -> Result<i64, String>;

    /// The user whose token this is. Every stored digest is compared, each in constant time
    /// (`subtle`), so the answer takes as long whichever user (or none) the token belongs to.
    fn user_by_token(&self, token: &str) -> Result<Option<User>, String> {
        let presented = crate::auth::digest(token);
        let mut found = None;
        for (user, stored) in self.user_digests()? {
            if crate::auth::same(&stored, &presented) && found.is_none() {
                found = Some(user);
            }
        }
        Ok(found)
    }
}

/// Opens the store `db` names: a `postgres://` (or `postgresql://`) URL, else a SQLite file
/// (created with its tables on first start).
pub fn open(db: &str) -> Result<Box<dyn Store>, String> {
    if postgres_url::is_postgres(db) {
        return Ok(Box::new(PgStore::open(db)?));
    }
    Ok(Box::new(SqliteStore::open(std::path::Path::new(db))?))
}
