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
    /// `GET`, `POST`, `PATCH` or `DELETE` (every `GET` also answers `HEAD`, without a body).
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
    /// The error kinds of its own, each with when it is answered (beside those every route of
    /// the API can answer with: see [`Route::errors`]).
    pub refusals: &'static [(ProblemKind, &'static str)],
}

impl Route {
    /// Whether the route is a page (no JSON, no `lang`, no `at`).
    pub fn is_page(&self) -> bool {
        self.path == "/" || self.path.starts_with("/web")
    }

    /// Every error kind the route can answer with, in the vocabulary's order, with when: its
    /// own, and those every route of the API can answer with: `request` (400) and `internal`
    /// (500) for every route of the API, `unauthorized` (401) for those that need a token,
    /// `too-large` (413) for those that take a body.
    pub fn errors(&self) -> Vec<(ProblemKind, String)> {
        ProblemKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let own = self
                    .refusals
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, when)| *when);
                let common = match kind {
                    ProblemKind::Request if !self.is_page() => Some(
                        "`at` without `--clock-from-requests`, `actor` or `roles` in a body, a body that is not JSON",
                    ),
                    ProblemKind::Internal if !self.is_page() => Some("the store or the engine failed"),
                    ProblemKind::Unauthorized if self.access == Access::Token => {
                        Some("no token, or one that is not valid")
                    }
                    ProblemKind::TooLarge if self.body.is_some() => {
                        Some("the body is larger than `--max-body` allows")
                    }
                    _ => None,
                };
                let whens: Vec<&str> = own.chain(common).collect();
                (!whens.is_empty()).then(|| (kind, whens.join("; ")))
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
    const fn refusing(mut self, kinds: &'static [(ProblemKind, &'static str)]) -> Route {
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
use ProblemKind::{
    Blocked, Conflict, Deal, Forbidden, Load, NotFound, Refused, Request, Unavailable,
};

/// 403 for a caller without the role `admin`.
const ADMIN: (ProblemKind, &str) = (Forbidden, "the caller lacks the role `admin`");
/// 404 for a deal that is not stored.
const NO_DEAL: (ProblemKind, &str) = (NotFound, "no deal has this id");
/// 404 for a deal that is not stored, or whose playbook is no longer loaded.
const GONE: (ProblemKind, &str) = (
    NotFound,
    "no deal has this id, or its playbook version is not loaded (`playbook-not-loaded`)",
);
/// 409 for a write based on an old revision.
const STALE: (ProblemKind, &str) = (
    Conflict,
    "the deal changed since the `revision` the request is based on (`stale-revision`, with the `revision` now)",
);
/// 422 for a deal that no longer fits its playbook.
const UNFIT: (ProblemKind, &str) = (Deal, "the deal does not fit its playbook (every problem)");
/// 404 for the pages.
const NOT_BUILT: (ProblemKind, &str) = (
    NotFound,
    "the pages are not built (`not-built`), or there is no such file",
);

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
        .refusing(&[(Unavailable, "the store does not answer (`store-unavailable`)")]),
    route("GET", "/metrics", Open, "The server's metrics, in Prometheus' text format.", Text("text/plain; version=0.0.4; charset=utf-8")),
    route("GET", "/openapi.json", Open, "This API, as an OpenAPI 3.1 document.", Json(200, "OpenApi")),
    route("GET", "/me", Token, "The caller's id and roles.", Json(200, "Me")),
    route("GET", "/playbooks", Token, "The loaded playbook versions (`id@version`).", Json(200, "Playbooks")),
    route("GET", "/playbooks/sources", Token, "Role admin: the playbooks' files and texts.", Json(200, "PlaybookSources"))
        .refusing(&[ADMIN]),
    route("POST", "/playbooks/reload", Token, "Role admin: loads the playbooks again, or publishes edited ones (`files`), all or nothing.", Json(200, "Reloaded"))
        .taking("Reload")
        .refusing(&[
            (Request, "`files` is not an object of plain `.yaml` or `.yml` names and their texts"),
            ADMIN,
            (Load, "a playbook does not load (`invalid-playbook`, with every diagnostic): nothing is written, and the playbooks loaded before keep serving"),
        ]),
    route("GET", "/playbooks/{pin}/outline", Token, "The playbook version's outline: stages in main-path order, fields, roles, approvals.", Json(200, "Outline"))
        .with(&[param("pin", In::Path, "string", "The playbook version, `id@version`.")])
        .refusing(&[(NotFound, "no such playbook version is loaded")]),
    route("POST", "/deals", Token, "Creates a deal by the caller, in a start stage and owned by the caller unless it names another owner; a deal in another stage or with a history of its own is an import (the playbook's `permissions.import`).", Json(201, "DealView"))
        .taking("NewDeal")
        .refusing(&[
            (Request, "`owner` names no user; no playbook named where several are loaded (`no-pin`)"),
            (Forbidden, "the playbook's permissions do not let the caller create the deal, import it (another stage, a history, tasks or an archive of its own) or give it another owner (`not-permitted`, every reason in `details`, the roles that may in `roles`): nothing is stored"),
            (NotFound, "the deal's playbook is not loaded (`playbook-not-loaded`)"),
            (Conflict, "a deal with this id exists (`exists`)"),
            (Refused, "an import brings a history entry dated after now (`future-history`) or approvals (`approvals-imported`), every reason in `details`: nothing is stored"),
            (Deal, "the deal does not fit its playbook (every problem); the body is not an object (`unreadable`); its id is blank, has spaces around it or a control character, is longer than 200 characters, or is `.` or `..` (`bad-id`): nothing is stored"),
        ]),
    route("GET", "/deals", Token, "Every deal that is not archived, or the stalled ones (`stalled=true`) with their warnings, or the archived ones (`archived=true`).", Json(200, "DealList"))
        .with(&[
            param("stalled", In::Query, "boolean", "Only the deals stalled now, each with its `stalled` warnings (any value but `false`)."),
            param("archived", In::Query, "boolean", "`true`: the archived deals instead of the others (`false`, the default)."),
        ])
        .refusing(&[(Request, "`archived` is not `true` or `false`")]),
    route("GET", "/deals/{id}", Token, "The deal, its revision and its evaluation.", Json(200, "DealView"))
        .with(&[DEAL])
        .refusing(&[NO_DEAL]),
    route("PATCH", "/deals/{id}", Token, "Sets (or with null removes) fields, ticks or unticks activities, gives the deal another owner, by the caller: one history entry per change, approvals given on a changed value voided.", Json(200, "DealEdited"))
        .with(&[DEAL])
        .taking("DealChange")
        .refusing(&[
            (Request, "a key PATCH does not take; `owner` is not a text or names no user; `revision` is not a whole number"),
            (Forbidden, "the playbook's permissions (`permissions.edit`, `permissions.owner`, a field's or activity's `edit:`) do not let the caller make a change (`not-permitted`, every change refused in `details`, the roles that may in `roles`): nothing is written"),
            GONE,
            STALE,
            (Refused, "the deal is archived (`archived`), the change is dated before the deal's last history entry (`before-history`), or an activity is done in the future (`done-in-future`): nothing is written"),
            (Deal, "the body is not an object, `fields` or `activities` are not objects, an activity's value is no date (`unreadable`), or the changed deal does not fit its playbook (an unknown field, a value of the wrong type: every problem): nothing is written"),
        ]),
    route("DELETE", "/deals/{id}", Token, "Archives the deal, by the caller, for a reason: it leaves the board, the open tasks and the deal list, and refuses moves, approvals and edits until unarchived; nothing is erased.", Json(200, "DealView"))
        .with(&[
            DEAL,
            param("reason", In::Query, "string", "Why the deal is archived (or `reason` in the body): required."),
            param("revision", In::Query, "integer", "The revision the archiving is based on (or `revision` in the body)."),
        ])
        .taking("Archiving")
        .refusing(&[
            (Request, "no `reason` (or a blank one); a key or parameter the route does not take, or one given twice; `revision` is not a whole number"),
            (Forbidden, "the playbook's `permissions.archive` (by default the deal's owner and the roles that may force moves) does not let the caller (`not-permitted`, the roles that may in `roles`)"),
            GONE,
            STALE,
            (Refused, "the deal is already archived (`already-archived`), or the archiving is dated before its last history entry (`before-history`)"),
            UNFIT,
        ]),
    route("POST", "/deals/{id}/moves", Token, "Moves the deal, by the caller; refused with every blocker.", Json(200, "MoveMade"))
        .with(&[DEAL])
        .taking("Move")
        .refusing(&[
            (Request, "no `to`, or `from` not a text; `by` given; a forced move without its reason (`missing-reason`); the body is not an object"),
            (Forbidden, "the playbook's permissions do not let the caller make, or force, the move (every blocker, and the roles that may in `roles` and `by`)"),
            GONE,
            STALE,
            (Blocked, "the move's gates block it (the move, with every blocker); a forced move meets an approval a force does not replace (`approval-not-forceable`, the move with every blocker)"),
            (Refused, "the deal is archived (`archived`); the target is no stage of the playbook, or no transition leads there, or the move cannot be made for another reason"),
            UNFIT,
        ]),
    route("POST", "/deals/{id}/approvals", Token, "The caller approves a criterion (four eyes: not the deal's owner).", Json(200, "DealView"))
        .with(&[DEAL])
        .taking("Approval")
        .refusing(&[
            (Request, "no `criterion`; the body is not an object"),
            (Forbidden, "the caller lacks the criterion's approving role, or owns the deal (four eyes)"),
            GONE,
            STALE,
            (Refused, "the deal is archived (`archived`); no approval criterion of the playbook, not asked for in the deal's stage, or already given"),
            UNFIT,
        ]),
    route("POST", "/deals/{id}/approval-requests", Token, "The caller asks the criterion's approving role for an approval (whoever may edit the deal may ask; asking again is a reminder): recorded in the history, with a notification to the role in the answer and the change feed.", Json(201, "ApprovalAsked"))
        .with(&[DEAL])
        .taking("ApprovalRequest")
        .refusing(&[
            (Request, "no `criterion` (or a blank one), `criterion` or `note` not a text, a key the route does not take; `revision` is not a whole number; the body is not an object"),
            (Forbidden, "the playbook's permissions do not let the caller edit the deal, so neither ask for its approvals (`not-permitted`, the roles that may in `roles`)"),
            GONE,
            STALE,
            (Refused, "every reason, each in `details`: the deal is archived (`archived`); no approval criterion has this id (`unknown-criterion`, with the likely intended one); it is not asked for in the deal's stages nor by their moves (`not-in-stage`); the deal holds an approval of it that counts (`already-approved`); its `when` does not hold now (`not-needed`); the request is dated before the deal's last history entry (`before-history`): nothing is written"),
            UNFIT,
        ]),
    route("POST", "/deals/{id}/migrate", Token, "Carries the deal to the newest (or a given) version of its playbook.", Json(200, "DealView"))
        .with(&[DEAL])
        .taking("Migration")
        .refusing(&[
            (Request, "`to` is not a text; the body is not an object"),
            (NotFound, "no deal has this id, or the version asked for is not loaded (`playbook-not-loaded`)"),
            STALE,
            (Deal, "the deal cannot be carried to that version (`cannot-migrate`, with everything in the way)"),
        ]),
    route("POST", "/deals/{id}/unarchive", Token, "Brings an archived deal back, by the caller (the right to archive it).", Json(200, "DealView"))
        .with(&[DEAL])
        .taking("Unarchiving")
        .refusing(&[
            (Request, "a key or parameter the route does not take, or one given twice; `revision` is not a whole number"),
            (Forbidden, "the playbook's `permissions.archive` does not let the caller (`not-permitted`, the roles that may in `roles`)"),
            GONE,
            STALE,
            (Refused, "the deal is not archived (`not-archived`), or the change is dated before its last history entry (`before-history`)"),
            UNFIT,
        ]),
    route("GET", "/deals/{id}/audit", Token, "Who changed the deal, when and how, one row per revision; an edit's row lists each change with its value before and after.", Json(200, "Audit"))
        .with(&[DEAL])
        .refusing(&[NO_DEAL]),
    route("GET", "/events", Token, "The change feed: every change to a deal and every effect, in commit order.", Json(200, "Events"))
        .with(&[
            param("after", In::Query, "integer", "The last event id read (0 by default): the page starts after it."),
            param("limit", In::Query, "integer", "At most this many events, 1 to 1000 (100 by default)."),
        ])
        .refusing(&[(Request, "`after` or `limit` is not a whole number, or `limit` is not 1 to 1000")]),
    route("GET", "/events/stream", Token, "The change feed live, as Server-Sent Events: each event as `id: <event id>`, `event: change`, `data: <the event as GET /events lists it>`; a `: keep-alive` comment every 15 s; changes made through any instance on the same store arrive within a second. Authenticated with the `Authorization` header (read it with a streamed `fetch`); never a token in the URL.", Text("text/event-stream"))
        .with(&[
            param("after", In::Query, "integer", "The last event id read: the stream starts after it (a `Last-Event-ID` header, as a reconnecting client sends, takes its place); without either, from now."),
        ])
        .refusing(&[
            (Request, "`after` or `Last-Event-ID` is not a whole number, or another parameter is given"),
            (Unavailable, "every stream slot is taken (`too-many-streams`, `--max-streams`): try again after `Retry-After` seconds"),
        ]),
    route("GET", "/tasks", Token, "Open tasks of every deal that is not archived, earliest first.", Json(200, "Tasks"))
        .with(&[
            param("assignee", In::Query, "string", "Only the tasks of this user, or of this role."),
            param("due_before", In::Query, "string", "Only the tasks due before this date or RFC 3339 time."),
        ])
        .refusing(&[(Request, "`due_before` is not a date or time")]),
    route("GET", "/approvals", Token, "The caller's queue: each approval a deal waits for whose approving role the caller holds, never on the caller's own deals (four eyes) nor archived ones, with the latest request still open; requested first (the oldest request first), then by deal id.", Json(200, "Approvals")),
    route("GET", "/board", Token, "The pipeline board: a page of cards per column, with the column's count and sums over the whole filter (a deal in two stages counts in both columns; an archived deal in none).", Json(200, "Board"))
        .with(&[
            param("playbook", In::Query, "string", "The playbook whose board it is (required when several are loaded)."),
            param("limit", In::Query, "integer", "Cards per column, 0 to 200 (50 by default); 0 answers the columns' totals only."),
            param("column", In::Query, "string", "Answer this column (a stage id) only."),
            param("cursor", In::Query, "string", "With `column`: that column's `next`, for its next page."),
            param("owner", In::Query, "string", "Only deals owned by this user; `me`: the caller's deals."),
            param("stage", In::Query, "string", "Only deals active in this stage (shown in every column they stand in)."),
            param("q", In::Query, "string", "Only deals whose id, owner or a text, enum or list field's value holds this text, whatever the case."),
            param("stalled", In::Query, "boolean", "`true`: only stalled deals; `false`: only deals stalled nowhere."),
            param("overdue", In::Query, "boolean", "`true`: only deals with an overdue task; `false`: only deals without one."),
            param("approval", In::Query, "string", "Only deals waiting for an approval by this role (not yet given); `me`: an approval one of the caller's roles gives, on a deal that is not the caller's own (four eyes)."),
            param("sort", In::Query, "string", "`id`, `value`, `days` or `field:<name>` (a date or number field), then `:asc` (the default) or `:desc`; `id:asc` by default."),
            param("card", In::Query, "string", "A deal id (repeatable, at most 100): its card is added to `cards` when the filter keeps it."),
        ])
        .refusing(&[
            (Request, "a parameter the board does not take, one given twice, an empty or a bad value, a cursor of another column or sort, or several playbooks loaded and none chosen"),
            (NotFound, "the playbook asked for is not loaded, or none is"),
        ]),
    route("GET", "/", Open, "The pipeline board's page.", Text("text/html; charset=utf-8"))
        .refusing(&[NOT_BUILT]),
    route("GET", "/web", Open, "The workbench's page.", Text("text/html; charset=utf-8"))
        .refusing(&[NOT_BUILT]),
    route("GET", "/web/", Open, "The workbench's page.", Text("text/html; charset=utf-8"))
        .refusing(&[NOT_BUILT]),
    route("GET", "/web/{*file}", Open, "A file of the built pages.", File)
        .with(&[param("file", In::Path, "string", "The file's path under the built pages (`board.js`, `assets/app.css`).")])
        .refusing(&[NOT_BUILT]),
];
