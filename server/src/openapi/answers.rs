//! The schemas of the server's own bodies and answers, which the contract has none for: written
//! here beside the routes that use them (`api.rs`, `changes.rs`, `feeds.rs`, `sources.rs`).

use serde_json::{json, Map, Value};

use super::contract::reference;

/// A closed object: these `properties`, the `required` ones, and no other key.
fn object(about: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "description": about,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// `{"type": "array", "items": items}`, with its description.
fn list(about: &str, items: Value) -> Value {
    json!({ "type": "array", "items": items, "description": about })
}

/// A text with its description.
fn text(about: &str) -> Value {
    json!({ "type": "string", "description": about })
}

/// A deal's revision.
fn revision(about: &str) -> Value {
    json!({ "type": "integer", "minimum": 1, "description": about })
}

/// The revision a write is based on: refused with 409 `conflict` when the deal changed since.
fn based_on() -> Value {
    revision("The revision the change is based on: 409 `conflict` (`stale-revision`) when the deal changed since.")
}

/// The loaded playbook versions.
fn pins() -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": "The loaded playbook versions, `id@version`." })
}

/// A deal as `GET /deals/{id}` shows it, with more `properties`.
fn deal_view(about: &str, more: &[(&str, Value)]) -> Value {
    let mut properties = json!({
        "deal": { "allOf": [reference("Deal")], "description": "The deal as stored." },
        "revision": revision("The deal's revision: 1 when created, one more on every write."),
        "owner": { "type": ["string", "null"], "description": "The user who owns the deal." },
        "logged_history": { "type": ["integer", "null"], "minimum": 0, "description": "How many history entries the history log holds (it keeps those a migration renamed)." },
        "evaluation": {
            "description": "The deal's evaluation now, as the caller sees its moves; `{\"error\"}` when the deal no longer fits its playbook.",
            "oneOf": [
                reference("Evaluation"),
                object("Why the deal cannot be evaluated.", json!({ "error": text("What is wrong, in one line.") }), &["error"]),
            ],
        },
    });
    let mut required = vec!["deal", "revision", "owner", "logged_history", "evaluation"];
    for (name, schema) in more {
        properties[*name] = schema.clone();
        required.push(name);
    }
    object(about, properties, &required)
}

/// Every schema of the server's own, by name.
pub fn add(schemas: &mut Map<String, Value>) {
    let own = [
        ("Health", object("The server is alive.", json!({ "ok": { "const": true }, "playbooks": pins() }), &["ok", "playbooks"])),
        ("Ready", object("The server's store answers.", json!({ "ready": { "const": true } }), &["ready"])),
        ("OpenApi", json!({ "type": "object", "description": "An OpenAPI 3.1 document: this one." })),
        ("Me", object("The caller.", json!({
            "id": text("The caller's user id."),
            "roles": list("The caller's roles.", json!({ "type": "string" })),
        }), &["id", "roles"])),
        ("Playbooks", object("The loaded playbooks.", json!({ "playbooks": pins() }), &["playbooks"])),
        ("PlaybookSources", object("The playbooks directory's files.", json!({
            "files": list("Every playbook file of the directory.", object("A playbook file.", json!({ "name": text("The file's name."), "text": text("The file's text.") }), &["name", "text"])),
            "playbooks": pins(),
        }), &["files", "playbooks"])),
        ("Reload", json!({
            "type": "object",
            "description": "No body (or `{}`): the playbooks directory is loaded again. With `files`: those playbooks are published, all or none: every text is loaded first, nothing is written unless all load (422 `load` with the diagnostics), then the directory is loaded again.",
            "properties": {
                "files": {
                    "type": "object",
                    "description": "The files to publish: a plain name ending in `.yaml` or `.yml`, and its text.",
                    "additionalProperties": { "type": "string" },
                    "minProperties": 1,
                },
            },
        })),
        ("Reloaded", object("The playbooks loaded.", json!({
            "loaded": list("The files loaded.", json!({ "type": "string" })),
            "playbooks": pins(),
        }), &["loaded", "playbooks"])),
        ("NewDeal", json!({
            "description": "A deal as the engine reads it, created by the engine for the caller (`Engine::create`): in the stage it names, which must be a start stage (else the playbook's first), with one creation entry by the caller as its history, owned by the caller unless `owner` names another user (which needs the playbook's `permissions.owner`, by default the deal's owner and the roles that may force: 403 otherwise; 400 for an `owner` who is no user). A deal in another stage, with a history, tasks or an archive of its own is an import, made when the caller holds `permissions.import` (by default the roles that may force: managers in the bundled playbook; 403 `not-permitted` otherwise, each reason in `details`): its history entries are kept and marked `imported` with `imported_by`; none may be later than now, and approvals are never imported (409 `refused`). The server's own rule: `id`, when given, is not blank, has no spaces around it and no control characters, is at most 200 characters long, and is not `.` or `..` (else 422 `deal`, code `bad-id`; without one the server gives `D-000001`, ...). The deal is pinned to the newest version of its playbook.",
            "allOf": [reference("DealInput")],
        })),
        ("DealView", deal_view("A deal, its revision and its evaluation.", &[])),
        ("DealEdited", deal_view("The edited deal, and the approvals the edit voided.", &[(
            "voided",
            json!({ "type": "array", "items": { "type": "string" }, "description": "The approval criteria whose approvals the edit voided: they were given on a value it changed (the history's edit entries name them too)." }),
        )])),
        ("DealChange", object("What PATCH changes, through the engine (`Engine::edit`) by the caller: who may change what is the playbook's (a field's or activity's `edit:` roles, else `permissions.edit`, by default the deal's owner and the roles that may force; the owner by `permissions.owner`), 403 `not-permitted` with every change refused. Any other key is 400 `request`; a body that is not an object, `fields` or `activities` that are not objects, an activity's value that is not a date, time or boolean: 422 `deal` (`unreadable`); an unknown field or a value of the wrong type: 422 `deal`; an archived deal: 409 `refused`. Nothing is written when refused. A change that changes nothing writes nothing and answers the deal at its revision.", json!({
            "fields": {
                "type": "object",
                "description": "Field values to set; `null` removes the field. Each value is checked against the playbook (422 `deal`).",
            },
            "activities": {
                "type": "object",
                "description": "Activities by id: ticked with the date or time they were done (or `true`: now, by the caller), unticked with `false` or `null`.",
                "additionalProperties": { "anyOf": [reference("Completion"), { "type": "null" }] },
            },
            "owner": text("The user who owns the deal from now (the playbook's `permissions.owner`: 403 for a caller without it; 400 for an id that is no user)."),
            "revision": based_on(),
        }), &[])),
        ("Archiving", json!({
            "type": "object",
            "description": "Why the deal is archived (or `?reason=`): required, 400 without it. Only these keys.",
            "properties": {
                "reason": text("Why: a duplicate, junk, ... (recorded in the history and `archived`)."),
                "revision": based_on(),
            },
            "additionalProperties": false,
        })),
        ("Unarchiving", json!({
            "type": "object",
            "description": "Nothing but, optionally, the revision the change is based on.",
            "properties": { "revision": based_on() },
            "additionalProperties": false,
        })),
        ("Move", json!({
            "type": "object",
            "description": "A move, made by the caller (recorded as `by`; a body's `by` is 400). The playbook's permissions decide who may make or force it (403 with every blocker and the roles that may); a move its gates block is 409 `blocked` with every blocker.",
            "properties": {
                "to": text("The target stage."),
                "from": text("The stage moved from, when the deal is in several."),
                "force": text("Forces a blocked move, for this reason (recorded in the history)."),
                "revision": based_on(),
            },
            "required": ["to"],
        })),
        ("MoveMade", deal_view("The moved deal, and what the move set in motion.", &[(
            "effects",
            json!({ "type": "array", "items": reference("Effect"), "description": "The tasks and notifications the move set in motion (also in `GET /events`)." }),
        )])),
        ("Approval", json!({
            "type": "object",
            "description": "An approval, given by the caller: the caller needs the criterion's approving role and may not own the deal (four eyes), else 403.",
            "properties": {
                "criterion": text("The approval criterion."),
                "revision": based_on(),
            },
            "required": ["criterion"],
        })),
        ("ApprovalRequest", json!({
            "type": "object",
            "description": "A request for an approval, made by the caller (recorded as `by`): whoever may edit the deal may ask (`permissions.edit`, by default the deal's owner and the roles that may force), else 403. Asking again is a reminder, recorded again. Only these keys.",
            "properties": {
                "criterion": text("The approval criterion asked for."),
                "note": text("What the approver should know (kept in the history entry and the notification)."),
                "revision": based_on(),
            },
            "required": ["criterion"],
            "additionalProperties": false,
        })),
        ("ApprovalAsked", deal_view("The deal with the request in its history, and the notification to the approving role.", &[(
            "effects",
            json!({ "type": "array", "items": reference("Effect"), "description": "The `notify` to the approving role (`on: request`, with the `criterion`; also in `GET /events`)." }),
        )])),
        ("Approvals", object("The approvals waiting for the caller.", json!({
            "approvals": list("Requested first (the oldest request first), then by deal id.", object("An approval a deal waits for, which the caller may give.", json!({
                "deal": text("The deal's id."),
                "playbook": { "type": ["string", "null"], "description": "The playbook version the deal is pinned to." },
                "owner": { "type": ["string", "null"], "description": "The user who owns the deal (never the caller)." },
                "stage": text("The active stage whose gate, or a move out of which, asks for the approval."),
                "criterion": text("The approval criterion."),
                "role": text("The approving role (one the caller holds)."),
                "message": { "type": ["string", "null"], "description": "Why it is needed, in the caller's language (the criterion's message when it has one)." },
                "value": { "description": "The deal's value (the playbook's `value:` field), null when it has none." },
                "requested": {
                    "description": "The latest request still open (made since the deal entered the stage and after the last approval of it); null when nobody asked.",
                    "oneOf": [
                        object("A request.", json!({
                            "at": text("When it was asked for."),
                            "by": { "type": ["string", "null"], "description": "Who asked." },
                            "note": { "type": ["string", "null"], "description": "What they added for the approver." },
                        }), &["at", "by", "note"]),
                        { "type": "null" },
                    ],
                },
            }), &["deal", "playbook", "owner", "stage", "criterion", "role", "message", "value", "requested"])),
        }), &["approvals"])),
        ("Migration", json!({
            "type": "object",
            "description": "Where to carry the deal: the newest version of its playbook when `to` is left out.",
            "properties": {
                "to": text("A playbook id (its newest version) or version `id@version`."),
                "revision": based_on(),
            },
        })),
        ("DealList", object("Deals, in id order.", json!({
            "deals": list("Every deal (or every stalled one), in id order.", object("A deal in short.", json!({
                "id": text("The deal's id."),
                "revision": revision("The deal's revision."),
                "owner": { "type": ["string", "null"], "description": "The user who owns the deal." },
                "playbook": { "type": ["string", "null"], "description": "The playbook version the deal is pinned to." },
                "stages": list("The deal's active stages.", json!({ "type": "string" })),
                "stalled": { "type": "array", "items": reference("Warning"), "description": "With `stalled=true`: the deal's stalled warnings." },
                "archived": { "anyOf": [reference("Archive"), { "type": "null" }], "description": "Who archived the deal, when and why (null: not archived)." },
            }), &["id", "revision", "owner", "playbook", "stages"])),
        }), &["deals"])),
        ("Audit", object("The deal's audit log, oldest first.", json!({
            "audit": list("One row per revision, oldest first.", object("One write.", json!({
                "revision": revision("The revision the write made."),
                "at": text("When, RFC 3339."),
                "actor": text("The user who made it."),
                "change": { "type": "object", "description": "What the request did: `created` (the owner, the stages, whether it was `imported`), `edited` (a list, one per change: `field`, `activity` or `owner`, `before` and `after` (null: not set), the approvals it `voided`, `by`, `at`; and every approval `voided`), `moved` (with its `effects`), `approved`, `approval_requested` (the `criterion` and `note`, with its `effects`), `migrated`, `archived` (the `reason`) or `unarchived`." },
            }), &["revision", "at", "actor", "change"])),
        }), &["audit"])),
        ("Events", object("A page of the change feed, oldest first.", json!({
            "events": list("The events after `after`, oldest first.", json!({
                "type": "object",
                "description": "One event: a change to a deal (`change`) or an effect of a move or of a request for an approval (`effect`).",
                "properties": {
                    "id": { "type": "integer", "description": "The event's id: ids grow in commit order." },
                    "deal": text("The deal's id."),
                    "kind": text("`created`, `edited`, `moved`, `approved`, `approval_requested`, `migrated`, `archived`, `unarchived`, or an effect's kind (`task`, `notify`)."),
                    "revision": { "type": ["integer", "null"], "description": "The deal's revision after the change." },
                    "created_at": text("When it was written."),
                    "change": { "description": "What the request did (for a change)." },
                    "effect": { "description": "The effect (for an effect)." },
                },
                "required": ["id", "deal", "kind", "revision", "created_at"],
                "additionalProperties": false,
            })),
            "next": { "type": "integer", "description": "The `after` of the next page (the last id of this one, or `after` when it is empty)." },
        }), &["events", "next"])),
        ("Tasks", object("Open tasks of every deal, earliest first.", json!({ "tasks": list("Every open task, earliest due first.", reference("DueTask")) }), &["tasks"])),
        ("Board", json!({
            "type": "object",
            "description": "The pipeline board of one playbook, a page at a time: a column per stage of its main path (`columns`) and per closed stage (`closed`), each with one page of deals and the totals of every deal the filter keeps. A deal in two stages at once stands in both columns and counts in both (its value is in both sums); its card is in `cards` once.",
            "properties": {
                "playbook": text("The playbook's id."),
                "title": text("The playbook's title."),
                "language": text("The language of the answer."),
                "languages": list("The playbook's languages.", json!({ "type": "string" })),
                "columns": list("A column per stage of the main path.", reference("BoardColumn")),
                "closed": list("A column per closed stage (lost, churned).", reference("BoardColumn")),
                "value_field": { "type": ["string", "null"], "description": "The playbook's money field (`value:`)." },
                "currency": { "type": ["string", "null"], "description": "The currency of the values and sums (`currency:`, an ISO 4217 code such as `USD`); null when the playbook names none." },
                "cards": list("The cards of the deals on the pages (and of `card=`), each once.", reference("BoardCard")),
                "unfit": { "type": "array", "description": "Deals that no longer fit their playbook, with the reason.", "items": { "type": "object" } },
                "limit": { "type": "integer", "description": "Cards per column asked for." },
                "sort": text("The order, spelled back (`value:desc`)."),
                "events_after": { "type": "integer", "description": "The change feed's newest event when the board was read: follow `GET /events?after=` from here." },
            },
            "required": ["playbook", "columns", "closed", "cards", "unfit", "limit", "sort", "events_after"],
        })),
        ("BoardCard", json!({
            "type": "object",
            "description": "One deal's card: what the board shows of it. A deal whose evaluation fails has only `id` and `error`.",
            "properties": {
                "id": text("The deal's id."),
                "name": { "type": ["string", "null"], "description": "The deal's name: the text of the playbook's `deal_name:` field (null without one, or when the deal leaves it empty)." },
                "expected_close": { "type": ["string", "null"], "description": "The deal's expected close date, `YYYY-MM-DD` in the playbook's time zone: the playbook's `expected_close:` field (null without one, or when the deal leaves it empty)." },
                "playbook": text("The playbook version the deal is evaluated against, `id@version`."),
                "stages": list("The deal's active stages with their time there: `stage`, `since`, `days`, `max_days`.", json!({ "type": "object" })),
                "value": { "description": "The deal's money value (the playbook's `value:` field) as the deal holds it; null without one." },
                "scores": list("Its scorecards' totals: `id`, `title`, `total`, `band`.", json!({ "type": "object" })),
                "warnings": list("Its warnings (stalled, overdue, ...), as the evaluation gives them.", json!({ "type": "object" })),
                "revision": revision("The deal's revision."),
                "owner": { "type": ["string", "null"], "description": "The user who owns the deal." },
                "error": text("Why the deal cannot be evaluated (only then, with `id`)."),
            },
            "required": ["id"],
        })),
        ("BoardColumn", json!({
            "type": "object",
            "description": "One column: its stage, the totals over the whole filter, and one page of deal ids.",
            "properties": {
                "id": text("The stage's id."),
                "title": text("The stage's title."),
                "max_days": { "type": ["integer", "null"], "description": "The stage's `max_days`." },
                "probability": { "type": ["number", "null"], "description": "The stage's probability of winning." },
                "count": { "type": "integer", "description": "How many deals of the filter stand in the stage." },
                "sum": { "type": "number", "description": "The sum of their values." },
                "weighted": { "type": ["number", "null"], "description": "`sum` × the stage's probability, rounded to the cent (null without a probability)." },
                "deals": list("The ids on this page, in order.", json!({ "type": "string" })),
                "next": { "type": ["string", "null"], "description": "The cursor of the next page (null on the last)." },
            },
            "required": ["id", "count", "sum", "deals", "next"],
        })),
    ];
    for (name, schema) in own {
        schemas.insert(name.to_owned(), schema);
    }
}
