//! The PostgreSQL schema's versions, applied in order at start. `schema_migrations` records each
//! version applied; the migration transaction first takes an advisory lock (`pg_advisory_xact_lock`),
//! so instances starting together apply each version once, one after the other, and the lock ends
//! with the transaction.

use postgres::Client;

/// The advisory lock key of migrations (any number fixed for the schema: "stagegate" in ASCII).
const MIGRATION_LOCK: i64 = 0x7374_6167_6567_6174;

/// The schema's versions: version N is `MIGRATIONS[N - 1]`. Only add at the end.
const MIGRATIONS: &[&str] = &[
    // 1: the tables of the SQLite store, plus the counters that order the change feed and version
    // the playbooks, and the playbooks' files.
    "
CREATE TABLE deals (
    id TEXT PRIMARY KEY,
    revision BIGINT NOT NULL,
    document TEXT NOT NULL,
    owner TEXT
);
CREATE TABLE history (
    deal_id TEXT NOT NULL REFERENCES deals(id),
    seq BIGINT NOT NULL,
    playbook TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (deal_id, seq)
);
CREATE TABLE audit (
    deal_id TEXT NOT NULL REFERENCES deals(id),
    revision BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (deal_id, revision)
);
CREATE FUNCTION stagegate_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION stagegate_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION stagegate_append_only();
CREATE TABLE outbox (
    id BIGINT PRIMARY KEY,
    deal TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revision BIGINT
);
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('feed', 0), ('playbooks', 0);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    roles TEXT NOT NULL,
    token_sha256 BYTEA NOT NULL
);
CREATE TABLE playbook_files (
    name TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
",
];

/// Applies the versions the database lacks, in one transaction under the migration lock.
pub(super) fn migrate(client: &mut Client) -> Result<(), String> {
    let mut transaction = client.transaction().map_err(|e| e.to_string())?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(|e| e.to_string())?;
    let fresh: bool = transaction
        .query_one("SELECT to_regclass('schema_migrations') IS NULL", &[])
        .and_then(|row| row.try_get(0))
        .map_err(|e| e.to_string())?;
    if fresh {
        transaction
            .batch_execute(
                "CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )",
            )
            .map_err(|e| e.to_string())?;
    }
    let applied: i32 = transaction
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .and_then(|row| row.try_get(0))
        .map_err(|e| e.to_string())?;
    let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
    if applied > known {
        return Err(format!(
            "the database's schema is at version {applied}, newer than this server knows ({known}): run a newer stagegate-server"
        ));
    }
    for (version, migration) in (1..).zip(MIGRATIONS).skip_while(|(v, _)| *v <= applied) {
        transaction
            .batch_execute(migration)
            .and_then(|()| {
                transaction.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&version],
                )
            })
            .map_err(|e| format!("schema version {version}: {e}"))?;
    }
    transaction.commit().map_err(|e| e.to_string())
}
