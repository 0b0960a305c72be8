//! Every route of the API, in one table: the HTTP layer serves exactly these, and the OpenAPI
//! document lists exactly these.

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: no token.
    Open,
    /// A user with a valid token (the handler may ask for a role).
    Token,
}

/// One route.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// `GET`, `POST` or `PATCH` (every `GET` also answers `HEAD`, without a body).
    pub method: &'static str,
    /// The path, parameters in braces (`/deals/{id}`); `{*file}` takes the rest of the path.
    pub path: &'static str,
    /// What it does, in a line.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
}

const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    summary: &'static str,
) -> Route {
    Route {
        method,
        path,
        summary,
        access,
    }
}

use Access::{Open, Token};

/// Every route, in the order the API document lists them.
pub const ROUTES: &[Route] = &[
    route("GET", "/health", Open, "Whether the server is alive, and the playbooks it serves."),
    route("GET", "/ready", Open, "Whether the server can answer: its store answers."),
    route("GET", "/metrics", Open, "The server's metrics, in Prometheus' text format."),
    route("GET", "/openapi.json", Open, "This API, as an OpenAPI 3.1 document."),
    route("GET", "/me", Token, "The caller's id and roles."),
    route("GET", "/playbooks", Token, "The loaded playbook versions (`id@version`)."),
    route("GET", "/playbooks/sources", Token, "Role admin: the playbooks' files and texts."),
    route("POST", "/playbooks/reload", Token, "Role admin: loads the playbooks again, or publishes edited ones (`files`), all or nothing."),
    route("GET", "/playbooks/{pin}/outline", Token, "The playbook version's outline: stages in main-path order, fields, roles, approvals."),
    route("POST", "/deals", Token, "Creates a deal, owned by the caller (a manager may name an owner)."),
    route("GET", "/deals", Token, "Every deal, or the stalled ones (`stalled=true`) with their warnings."),
    route("GET", "/deals/{id}", Token, "The deal, its revision and its evaluation."),
    route("PATCH", "/deals/{id}", Token, "Sets (or with null removes) fields and activities; a manager may set the owner."),
    route("POST", "/deals/{id}/moves", Token, "Moves the deal, by the caller; refused with every blocker."),
    route("POST", "/deals/{id}/approvals", Token, "The caller approves a criterion (four eyes: not the deal's owner)."),
    route("POST", "/deals/{id}/migrate", Token, "Carries the deal to the newest (or a given) version of its playbook."),
    route("GET", "/deals/{id}/audit", Token, "Who changed the deal, when and how, one row per revision."),
    route("GET", "/events", Token, "The change feed: every change to a deal and every effect, in commit order."),
    route("GET", "/tasks", Token, "Open tasks of every deal, earliest first."),
    route("GET", "/board", Token, "The pipeline board: a page of cards per column, with the column's count and sums."),
    route("GET", "/", Open, "The pipeline board's page."),
    route("GET", "/web", Open, "The workbench's page."),
    route("GET", "/web/", Open, "The workbench's page."),
    route("GET", "/web/{*file}", Open, "A file of the built pages."),
];
