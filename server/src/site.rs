//! The pages the service serves without a token (they hold no data; every call they make sends
//! the signed-in user's token): `GET /` is the pipeline board, `GET /web/<file>` the built files
//! of `web/` (`npm --prefix web run build`), the workbench among them.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::reply::Reply;
use stagegate::ProblemKind;

/// The reply to `GET /` or `GET /web/…` when `path` is one of them; `None` for the API.
pub fn serve(web: Option<&Path>, method: &str, path: &[&str]) -> Option<Reply> {
    let file: PathBuf = match (method, path) {
        ("GET", []) => PathBuf::from("board.html"),
        ("GET", ["web"]) => PathBuf::from("index.html"),
        ("GET", ["web", rest @ ..]) if !rest.is_empty() => {
            // Only plain names: no `..`, no hidden files, no separators inside a segment.
            if rest
                .iter()
                .any(|s| s.is_empty() || s.starts_with('.') || s.contains(['/', '\\']))
            {
                return Some(Reply::not_found("such file"));
            }
            rest.iter().collect()
        }
        _ => return None,
    };
    let Some(web) = web else {
        return Some(Reply::error(
            ProblemKind::NotFound,
            "not-built",
            "the board's pages are not built: run `npm --prefix web run build` (after `npm --prefix bindings/js run build`), or start the service with --web <dir>",
            Value::Null,
        ));
    };
    let full = web.join(&file);
    match std::fs::read(&full) {
        Ok(bytes) => Some(Reply::file(bytes, content_type(&file))),
        Err(_) => Some(Reply::not_found(&format!("file `{}`", file.display()))),
    }
}

/// The media type a browser needs (WebAssembly is compiled while it streams only as
/// `application/wasm`).
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json; charset=utf-8",
        Some("yaml" | "yml") => "text/yaml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}
