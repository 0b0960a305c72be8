//! The playbooks' files for the workbench an `admin` opens from the board: read them
//! (`GET /playbooks/sources`) and publish edited ones (`POST /playbooks/reload` with `files`),
//! which are checked before anything is written, and written all or none: in one transaction
//! when the store keeps the playbooks (PostgreSQL), else into the playbooks directory, every file
//! to a temporary name first and renamed only once all are written.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::app::App;
use crate::app::{playbook_file, read_dir};
use crate::reply::Reply;
use stagegate::ProblemKind;

/// The longest file name taken, in bytes (the temporary name adds a few to it, and file systems
/// take 255).
const MAX_NAME: usize = 200;

/// Every playbook file, by name, with its text: the store's when it keeps them, else the
/// playbooks directory's.
pub fn read(app: &App) -> Reply {
    let files = if app.store.keeps_playbooks() {
        app.store.playbooks().map(|shelf| shelf.files)
    } else {
        read_dir(&app.playbooks)
    };
    match files {
        Ok(files) => {
            let files: Vec<Value> = files
                .into_iter()
                .map(|(name, text)| json!({ "name": name, "text": text }))
                .collect();
            Reply::ok(json!({ "files": files, "playbooks": app.registry.pins() }))
        }
        Err(error) => Reply::error(
            ProblemKind::Unavailable,
            "unavailable",
            format!("cannot read the playbooks: {error}"),
            Value::Null,
        ),
    }
}

/// `{"files": {"<name>.yaml": "<text>", …}}`: every name is checked and every text is loaded
/// first; when one does not load, nothing is written and the answer is 422 with every error
/// diagnostic (each names its file). Then every file is written, all or none, and the playbooks
/// are loaded again as by a plain `POST /playbooks/reload`.
pub fn publish(app: &App, files: &Value) -> Reply {
    let Some(files) = files.as_object().filter(|files| !files.is_empty()) else {
        return Reply::bad_request(
            "files: give the playbooks to publish as {\"<name>.yaml\": \"<text>\"}",
        );
    };
    let mut texts = Vec::new();
    for (name, text) in files {
        if let Some(problem) = name_problem(name) {
            return Reply::bad_request(format!("files: {problem}"));
        }
        let Some(text) = text.as_str() else {
            return Reply::bad_request(format!("files.{name}: give the file's text, as a string"));
        };
        texts.push((name.clone(), text.to_owned()));
    }
    let mut diagnostics = Vec::new();
    for (name, text) in &texts {
        if let Err(error) = app.registry.loader().from_yaml(text, name) {
            diagnostics.extend(
                error
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| json!(d)),
            );
        }
    }
    if !diagnostics.is_empty() {
        return Reply::error(
            ProblemKind::Load,
            "invalid-playbook",
            "not published: fix the errors first; the playbooks loaded before keep serving",
            json!({ "diagnostics": diagnostics, "playbooks": app.registry.pins() }),
        );
    }
    let written = if app.store.keeps_playbooks() {
        app.store.publish_playbooks(&texts, false).map(drop)
    } else {
        write_all(&app.playbooks, &texts)
    };
    if let Err(error) = written {
        return Reply::error(
            ProblemKind::Unavailable,
            "not-published",
            format!("not published: {error}; no file was changed and the playbooks loaded before keep serving"),
            json!({ "playbooks": app.registry.pins() }),
        );
    }
    reload(app)
}

/// Why `name` cannot be a playbook file's name, if it cannot: a plain name (no path, no leading
/// dot, no `..`, no control character) of at most `MAX_NAME` bytes, ending in `.yaml` or `.yml`.
fn name_problem(name: &str) -> Option<String> {
    let escaped: Vec<char> = name.escape_debug().collect();
    let mut shown: String = escaped.iter().take(60).collect();
    if escaped.len() > 60 {
        shown.push('…');
    }
    let problem = if name.chars().any(char::is_control) {
        "holds a control character"
    } else if name.len() > MAX_NAME {
        "is too long (at most 200 bytes)"
    } else if name.contains(['/', '\\']) || name.contains("..") || name.starts_with('.') {
        "is not a plain file name (no path, no leading dot, no `..`)"
    } else if !playbook_file(name) {
        "does not end in .yaml or .yml"
    } else {
        return None;
    };
    Some(format!(
        "`{shown}` {problem}: give a plain name ending in .yaml or .yml, such as `b2b-sales.yaml`"
    ))
}

/// Writes every file into `dir`, all or none: each to a temporary name first; only when all are
/// written (and no target is a directory) is each renamed over its file. When a write fails, the
/// temporaries are removed and no file is changed; when a rename fails, the files renamed before
/// it get their old text back.
fn write_all(dir: &Path, texts: &[(String, String)]) -> Result<(), String> {
    let mut temporaries: Vec<PathBuf> = Vec::new();
    let discard = |temporaries: &[PathBuf]| {
        for temporary in temporaries {
            let _ = std::fs::remove_file(temporary);
        }
    };
    for (name, text) in texts {
        let temporary = dir.join(format!(".{name}.publishing"));
        if let Err(error) = std::fs::write(&temporary, text) {
            if temporary.is_file() {
                let _ = std::fs::remove_file(&temporary);
            }
            discard(&temporaries);
            return Err(format!("cannot write `{name}`: {error}"));
        }
        temporaries.push(temporary);
    }
    if let Some((name, _)) = texts.iter().find(|(name, _)| dir.join(name).is_dir()) {
        discard(&temporaries);
        return Err(format!("cannot write `{name}`: a directory has its name"));
    }
    // The texts replaced, to put back if a rename fails half way.
    let before: Vec<Option<Vec<u8>>> = texts
        .iter()
        .map(|(name, _)| std::fs::read(dir.join(name)).ok())
        .collect();
    for (done, ((name, _), temporary)) in texts.iter().zip(&temporaries).enumerate() {
        if let Err(error) = std::fs::rename(temporary, dir.join(name)) {
            for ((name, _), old) in texts.iter().zip(&before).take(done) {
                let _ = match old {
                    Some(old) => std::fs::write(dir.join(name), old),
                    None => std::fs::remove_file(dir.join(name)),
                };
            }
            discard(&temporaries[done..]);
            return Err(format!("cannot write `{name}`: {error}"));
        }
    }
    Ok(())
}

/// Loads the playbooks again (the directory, or the store's): all or nothing.
pub fn reload(app: &App) -> Reply {
    match app.load_playbooks() {
        Ok(loaded) => Reply::ok(json!({ "loaded": loaded, "playbooks": app.registry.pins() })),
        Err(failed) => {
            let diagnostics: Vec<Value> = failed
                .iter()
                .flat_map(|(_, error)| error.diagnostics.iter().filter(|d| d.is_error()))
                .map(|d| json!(d))
                .collect();
            Reply::error(
                ProblemKind::Load,
                "invalid-playbook",
                format!(
                    "{} playbook file(s) did not load; the playbooks loaded before keep serving",
                    failed.len()
                ),
                json!({ "diagnostics": diagnostics, "playbooks": app.registry.pins() }),
            )
        }
    }
}
