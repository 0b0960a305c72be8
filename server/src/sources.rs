//! The playbooks' files for the workbench an `admin` opens from the board: read them
//! (`GET /playbooks/sources`) and publish edited ones (`POST /playbooks/reload` with `files`),
//! which are checked before anything is written.

use std::path::Path;

use serde_json::{json, Value};

use crate::api::{reload, App};
use crate::reply::Reply;
use stagegate::ProblemKind;

/// Every `*.yaml` and `*.yml` file of the playbooks directory, by name, with its text.
pub fn read(app: &App) -> Reply {
    let entries = match std::fs::read_dir(&app.playbooks) {
        Ok(entries) => entries,
        Err(error) => {
            return Reply::internal(format!("cannot read the playbooks directory: {error}"))
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| playbook_file(name))
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        match std::fs::read_to_string(app.playbooks.join(&name)) {
            Ok(text) => files.push(json!({ "name": name, "text": text })),
            Err(error) => return Reply::internal(format!("cannot read {name}: {error}")),
        }
    }
    Reply::ok(json!({ "files": files, "playbooks": app.registry.pins() }))
}

/// `{"files": {"<name>.yaml": "<text>", …}}`: every text is loaded first; when one does not
/// load, nothing is written and the answer is 422 with every error diagnostic (each names its
/// file). Then the files are written (each through a temporary file renamed over it) and the
/// directory is reloaded as by a plain `POST /playbooks/reload`.
pub fn publish(app: &App, files: &Value) -> Reply {
    let Some(files) = files.as_object().filter(|files| !files.is_empty()) else {
        return Reply::bad_request(
            "files: give the playbooks to publish as {\"<name>.yaml\": \"<text>\"}",
        );
    };
    let mut texts = Vec::new();
    for (name, text) in files {
        if !playbook_file(name) || name.starts_with('.') || name.contains(['/', '\\']) {
            return Reply::bad_request(format!(
                "files: `{name}` is not a playbook file name: give a plain name ending in .yaml or .yml"
            ));
        }
        let Some(text) = text.as_str() else {
            return Reply::bad_request(format!("files.{name}: give the file's text, as a string"));
        };
        texts.push((name.as_str(), text));
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
    for (name, text) in &texts {
        if let Err(error) = write(&app.playbooks, name, text) {
            return Reply::internal(format!("cannot write {name}: {error}"));
        }
    }
    reload(app)
}

/// Whether `name` is a file the playbooks directory is loaded from.
fn playbook_file(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml")
}

/// Writes `text` as `dir/name` whole or not at all.
fn write(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
    let temporary = dir.join(format!(".{name}.publishing"));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, dir.join(name))
}
