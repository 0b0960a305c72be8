//! The tests' PostgreSQL databases: one fresh database per workspace, made on the server that
//! `STAGEGATE_TEST_POSTGRES` names, and left-overs of earlier runs dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use postgres::{Client, NoTls};

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let (scheme, rest) = base.split_once("://").unwrap();
    let start = rest.rfind('@').map_or(0, |at| at + 1);
    let host = match rest[start..].find('/') {
        Some(slash) => &rest[..start + slash],
        None => rest,
    };
    format!("{scheme}://{host}/{database}{query}")
}

fn connect(url: &str) -> Client {
    Client::connect(url, NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to the tests' PostgreSQL: {e}"))
}

/// A new, empty database on the server `server` names, for the test `name`; its URL.
pub fn fresh_database(server: &str, name: &str) -> String {
    static CLEANED: Once = Once::new();
    static MADE: AtomicUsize = AtomicUsize::new(0);
    let mut client = connect(server);
    CLEANED.call_once(|| drop_left_overs(&mut client));
    let tag: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    let database = format!(
        "sgt_{}_{}_{tag}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::SeqCst)
    );
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .unwrap();
    with_database(server, &database)
}

/// Drops the databases of test processes that are gone (`sgt_<pid>_...`).
fn drop_left_overs(client: &mut Client) {
    let rows = client
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'sgt\\_%'",
            &[],
        )
        .unwrap();
    for row in rows {
        let name: String = row.get(0);
        let pid = name.split('_').nth(1).unwrap_or("");
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// The rows of `query`, each column as text (NULL as an empty row left out).
pub fn rows(url: &str, query: &str) -> Vec<String> {
    connect(url)
        .query(query, &[])
        .unwrap()
        .iter()
        .filter_map(|row| row.get::<_, Option<String>>(0))
        .collect()
}

/// Runs `statement`; the rows it changed.
pub fn execute(url: &str, statement: &str) -> u64 {
    connect(url).execute(statement, &[]).unwrap()
}

/// The users' token digests.
pub fn digests(url: &str) -> Vec<Vec<u8>> {
    connect(url)
        .query("SELECT token_sha256 FROM users", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// Every row of every table, as text.
pub fn everything(url: &str) -> String {
    let mut text = String::new();
    for table in [
        "deals",
        "history",
        "audit",
        "outbox",
        "users",
        "playbook_files",
    ] {
        for row in rows(url, &format!("SELECT t::text FROM {table} t")) {
            text.push_str(&row);
            text.push('\n');
        }
    }
    text
}

/// Writes a playbook file into the store, without raising the playbooks' version.
pub fn put_playbook(url: &str, name: &str, text: &str) {
    connect(url)
        .execute(
            "INSERT INTO playbook_files (name, text) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET text = EXCLUDED.text",
            &[&name, &text],
        )
        .unwrap();
}

/// A playbook file's text as the store keeps it.
pub fn playbook(url: &str, name: &str) -> String {
    connect(url)
        .query_one("SELECT text FROM playbook_files WHERE name = $1", &[&name])
        .unwrap()
        .get(0)
}

/// Ends every connection to `database`.
pub fn terminate(server: &str, database: &str) {
    connect(server)
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&database],
        )
        .unwrap();
}
