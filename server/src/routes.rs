//! Every route of the API, in one table: the HTTP layer serves exactly these, and the OpenAPI
//! document (`openapi/`) lists exactly these, each with its parameters, its body, its answer and
//! the error kinds it can answer with.

use stagegate::ProblemKind;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: no token.
    Open,
    /// A user with a valid token (the handler may ask for a role).
    Token,
}

/// Where a parameter is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    /// In the path, in braces (`/deals/{id}`).
    Path,
    /// In the query (`?stalled=true`).
    Query,
}

/// One parameter of a route.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Where it is given.
    pub place: In,
    /// Its JSON Schema type: `string`, `integer` or `boolean`.
    pub kind: &'static str,
    /// What it means, in a line.
    pub about: &'static str,
}

/// What a route answers when it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// JSON of the schema so named in the document's `components/schemas`, with this status.
    Json(u16, &'static str),
    /// Text of this media type.
    Text(&'static str),
    /// A file of the built pages, of the media type its name says.
    File,
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
    /// Its path and query parameters (beside `lang` and `at`, which every route of the API
    /// takes).
    pub params: &'static [Param],
    /// The schema of its JSON body, when it takes one.
    pub body: Option<&'static str>,
    /// What it answers when it succeeds.
    pub answer: Answer,
    /// The error kinds of its own (beside those every route of the API can answer with: see
    /// [`Route::errors`]).
    pub refusals: &'static [ProblemKind],
}

impl Route {
    /// Whether the route is a page (no JSON, no `lang`, no `at`).
    pub fn is_page(&self) -> bool {
        self.path == "/" || self.path.starts_with("/web")
    }

    /// Every error kind the route can answer with, in the vocabulary's order: its own, `request`
    /// (400: a bad query value, `at` without `--clock-from-requests`, `actor` or `roles` in a
    /// body) for every route of the API, `unauthorized` (401) for those that need a token,
    /// `too-large` (413) for those that take a body, and `internal` (500) for every route of the
    /// API.
    pub fn errors(&self) -> Vec<ProblemKind> {
        ProblemKind::ALL
            .into_iter()
            .filter(|kind| {
                self.refusals.contains(kind)
                    || match kind {
                        ProblemKind::Request | ProblemKind::Internal => !self.is_page(),
                        ProblemKind::Unauthorized => self.access == Access::Token,
                        ProblemKind::TooLarge => self.body.is_some(),
                        _ => false,
                    }
            })
            .collect()
    }
}

/// A route with no parameters, no body, and no error kinds of its own.
const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    summary: &'static str,
    answer: Answer,
) -> Route {
    Route {
        method,
        path,
        summary,
        access,
        params: &[],
        body: None,
        answer,
        refusals: &[],
    }
}

impl Route {
    /// The same route with these parameters.
    const fn with(mut self, params: &'static [Param]) -> Route {
        self.params = params;
        self
    }

    /// The same route taking a JSON body of the schema `name`.
    const fn taking(mut self, name: &'static str) -> Route {
        self.body = Some(name);
        self
    }

    /// The same route answering with these error kinds of its own.
    const fn refusing(mut self, kinds: &'static [ProblemKind]) -> Route {
        self.refusals = kinds;
        self
    }
}

/// A parameter.
const fn param(name: &'static str, place: In, kind: &'static str, about: &'static str) -> Param {
    Param {
        name,
        place,
        kind,
        about,
    }
}

use Access::{Open, Token};
use Answer::{File, Json, Text};
use ProblemKind::{Blocked, Conflict, Deal, Forbidden, Load, NotFound, Refused, Unavailable};

/// `{id}`: a deal's id.
const DEAL: Param = param(
    "id",
    In::Path,
    "string",
    "The deal's id, percent-encoded (`/` as `%2F`).",
);

/// Every route, in the order the API document lists them.
pub const ROUTES: &[Route] = &[
    route("GET", "/health", Open, "Whether the server is alive, and the playbooks it serves.", Json(200, "Health")),
    route("GET", "/ready", Open, "Whether the server can answer: its store answers.", Json(200, "Ready"))
        .refusing(&[Unavailable]),
    route("GET", "/metrics", Open, "The server's metrics, in Prometheus' text format.", Text("text/plain; version=0.0.4; charset=utf-8")),
    route("GET", "/openapi.json", Open, "This API, as an OpenAPI 3.1 document.", Json(200, "OpenApi")),
    route("GET", "/me", Token, "The caller's id and roles.", Json(200, "Me")),
    route("GET", "/playbooks", Token, "The loaded playbook versions (`id@version`).", Json(200, "Playbooks")),
    route("GET", "/playbooks/sources", Token, "Role admin: the playbooks' files and texts.", Json(200, "PlaybookSources"))
        .refusing(&[Forbidden]),
    route("POST", "/playbooks/reload", Token, "Role admin: loads the playbooks again, or publishes edited ones (`files`), all or nothing.", Json(200, "Reloaded"))
        .taking("Reload")
        .refusing(&[Forbidden, Load]),
    route("GET", "/playbooks/{pin}/outline", Token, "The playbook version's outline: stages in main-path order, fields, roles, approvals.", Json(200, "Outline"))
        .with(&[param("pin", In::Path, "string", "The playbook version, `id@version`.")])
        .refusing(&[NotFound]),
    route("POST", "/deals", Token, "Creates a deal, owned by the caller (a manager may name an owner).", Json(201, "DealView"))
        .taking("NewDeal")
        .refusing(&[Forbidden, NotFound, Conflict, Deal]),
    route("GET", "/deals", Token, "Every deal, or the stalled ones (`stalled=true`) with their warnings.", Json(200, "DealList"))
        .with(&[param("stalled", In::Query, "boolean", "Only the deals stalled now, each with its `stalled` warnings (any value but `false`).")]),
    route("GET", "/deals/{id}", Token, "The deal, its revision and its evaluation.", Json(200, "DealView"))
        .with(&[DEAL])
        .refusing(&[NotFound]),
    route("PATCH", "/deals/{id}", Token, "Sets (or with null removes) fields and activities; a manager may set the owner.", Json(200, "DealView"))
        .with(&[DEAL])
        .taking("DealChange")
        .refusing(&[Forbidden, NotFound, Conflict, Deal]),
    route("POST", "/deals/{id}/moves", Token, "Moves the deal, by the caller; refused with every blocker.", Json(200, "MoveMade"))
        .with(&[DEAL])
        .taking("Move")
        .refusing(&[Forbidden, NotFound, Conflict, Blocked, Refused, Deal]),
    route("POST", "/deals/{id}/approvals", Token, "The caller approves a criterion (four eyes: not the deal's owner).", Json(200, "DealView"))
        .with(&[DEAL])
        .taking("Approval")
        .refusing(&[Forbidden, NotFound, Conflict, Refused, Deal]),
    route("POST", "/deals/{id}/migrate", Token, "Carries the deal to the newest (or a given) version of its playbook.", Json(200, "DealView"))
        .with(&[DEAL])
        .taking("Migration")
        .refusing(&[NotFound, Conflict, Refused, Deal]),
    route("GET", "/deals/{id}/audit", Token, "Who changed the deal, when and how, one row per revision.", Json(200, "Audit"))
        .with(&[DEAL])
        .refusing(&[NotFound]),
    route("GET", "/events", Token, "The change feed: every change to a deal and every effect, in commit order.", Json(200, "Events"))
        .with(&[
            param("after", In::Query, "integer", "The last event id read (0 by default): the page starts after it."),
            param("limit", In::Query, "integer", "At most this many events, 1 to 1000 (100 by default)."),
        ]),
    route("GET", "/tasks", Token, "Open tasks of every deal, earliest first.", Json(200, "Tasks"))
        .with(&[
            param("assignee", In::Query, "string", "Only the tasks of this user, or of this role."),
            param("due_before", In::Query, "string", "Only the tasks due before this date or RFC 3339 time."),
        ]),
    // TO COMPLETE with the board's redesign: its paging (`limit`, a cursor per column), filters
    // (`owner`, `stage`, `q`, `stalled`, `overdue`, `approval`) and `sort` go in `.with(...)`
    // here, and its answer's schema in `openapi/answers.rs` (`Board`).
    route("GET", "/board", Token, "The pipeline board: a page of cards per column, with the column's count and sums.", Json(200, "Board"))
        .with(&[param("playbook", In::Query, "string", "The playbook whose board it is (required when several are loaded).")])
        .refusing(&[NotFound]),
    route("GET", "/", Open, "The pipeline board's page.", Text("text/html; charset=utf-8"))
        .refusing(&[NotFound]),
    route("GET", "/web", Open, "The workbench's page.", Text("text/html; charset=utf-8"))
        .refusing(&[NotFound]),
    route("GET", "/web/", Open, "The workbench's page.", Text("text/html; charset=utf-8"))
        .refusing(&[NotFound]),
    route("GET", "/web/{*file}", Open, "A file of the built pages.", File)
        .with(&[param("file", In::Path, "string", "The file's path under the built pages (`board.js`, `assets/app.css`).")])
        .refusing(&[NotFound]),
];
