//! The SQLite store's schema, by version, and how a database is brought up to the current one.

use rusqlite::Connection;

/// The schema's versions, applied in order at start (`PRAGMA user_version` says how many are
/// applied), each in the same `BEGIN IMMEDIATE` transaction as the version's bump, so two processes
/// opening one file together never apply one twice. The first is the schema the server had before
/// it had versions (it creates nothing that exists), so a database of then opens as it is.
const MIGRATIONS: &[&str] = &[
    "
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
CREATE TABLE IF NOT EXISTS audit (
    deal_id TEXT NOT NULL REFERENCES deals(id),
    revision INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (deal_id, revision)
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deal TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    roles TEXT NOT NULL,
    token_sha256 BLOB NOT NULL
);
",
    // The change feed: each event carries the deal's revision it was written with.
    "ALTER TABLE outbox ADD COLUMN revision INTEGER;",
];

/// Applies the migrations the database lacks, under SQLite's write lock.
pub(super) fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let applied: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (version, migration) in MIGRATIONS.iter().enumerate() {
        let version = i64::try_from(version).unwrap_or(i64::MAX);
        if version < applied {
            continue;
        }
        transaction.execute_batch(migration)?;
        if version == 0 {
            add_owner_column(&transaction)?;
        }
        transaction.execute_batch(&format!("PRAGMA user_version = {}", version + 1))?;
    }
    transaction.commit()
}

/// Databases made before deals had owners get the column (empty for their deals).
fn add_owner_column(connection: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let has_owner: i64 = connection.query_row(
        "SELECT COUNT(*) FROM pragma_table_info('deals') WHERE name = 'owner'",
        [],
        |row| row.get(0),
    )?;
    if has_owner == 0 {
        connection.execute_batch("ALTER TABLE deals ADD COLUMN owner TEXT")?;
    }
    Ok(())
}
