//! Every change that is no move goes through the playbook's rules and is recorded: opening a
//! deal in a start stage, importing one, editing fields, activities and the owner, archiving;
//! and a force never goes past an approval that is not `forceable`.

// Tests fail loudly by design: helpers beside the tests unwrap as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::json;
use stagegate::{
    Actor, ChangeError, Changes, Completion, Deal, Engine, Move, MoveError, Options, Playbook,
    Timestamp,
};

fn bundled() -> Engine {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml");
    Engine::new(Playbook::load(path).unwrap()).with_language("en")
}

fn time(text: &str) -> Timestamp {
    stagegate::parse_time(text).unwrap()
}

fn deal(value: serde_json::Value) -> Deal {
    serde_json::from_value(value).unwrap()
}

fn rep(id: &str) -> Actor {
    Actor::new(id, ["rep"])
}

fn manager() -> Actor {
    Actor::new("kang", ["manager"])
}

fn finance() -> Actor {
    Actor::new("fiona", ["finance"])
}

fn by(actor: &Actor) -> Options<'_> {
    Options::new().as_actor(actor)
}

/// A deal in proposal and negotiation with a 35% discount, owned by `lee`.
fn discounted() -> Deal {
    deal(json!({
        "id": "D-35", "owner": "lee", "stage": "proposal_negotiation",
        "fields": { "amount": 50000, "budget": 60000, "discount_pct": 35 },
        "history": [{ "at": "2026-11-01", "to": "proposal_negotiation", "by": "lee" }]
    }))
}

#[test]
fn a_new_deal_opens_in_the_first_stage_owned_by_its_creator() {
    let yoon = rep("yoon");
    let at = time("2026-11-27T09:00:00Z");
    let opened = bundled()
        .create(
            &deal(json!({"id": "N-1", "fields": {"amount": 1000}})),
            at,
            &by(&yoon),
        )
        .unwrap();
    assert_eq!(opened.stages, ["lead_generation"]);
    assert_eq!(opened.owner.as_deref(), Some("yoon"));
    assert_eq!(opened.history.len(), 1);
    let entry = &opened.history[0];
    assert_eq!(
        (entry.at.as_str(), entry.to.as_str(), entry.by.as_deref()),
        ("2026-11-27T09:00:00Z", "lead_generation", Some("yoon"))
    );
    assert!(entry.from.is_none() && !entry.is_move());
}

#[test]
fn a_rep_cannot_open_a_deal_in_a_late_stage_or_with_a_history() {
    let yoon = rep("yoon");
    let at = time("2026-11-27");
    let won = deal(json!({"id": "N-2", "stage": "closing", "fields": {"amount": 120000}}));
    let refused = bundled().create(&won, at, &by(&yoon)).unwrap_err();
    let ChangeError::Forbidden { problems } = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].place, "stages");
    assert_eq!(problems[0].roles, ["manager"]);
    assert!(
        problems[0]
            .message
            .contains("stages: a new deal starts in Lead Generation;")
            && problems[0]
                .message
                .contains("only Sales manager may create a deal in another stage"),
        "{}",
        problems[0].message
    );
    let backdated = deal(json!({"id": "N-3", "history": [
        {"at": "2020-01-01", "to": "lead_generation"},
        {"at": "2020-02-01", "from": "lead_generation", "to": "qualification", "kind": "advance"}
    ], "stage": "qualification"}));
    let refused = bundled().create(&backdated, at, &by(&yoon)).unwrap_err();
    let places: Vec<&str> = refused
        .problems()
        .iter()
        .map(|p| p.place.as_str())
        .collect();
    assert_eq!(places, ["stages", "history"]);
}

#[test]
fn a_manager_imports_with_every_entry_marked_and_no_entry_after_the_import() {
    let kang = manager();
    let at = time("2026-11-27");
    let migrated = deal(
        json!({"id": "CRM-9", "owner": "lee", "stage": "qualification", "history": [
            {"at": "2020-01-01", "to": "lead_generation", "by": "someone"},
            {"at": "2020-02-01", "from": "lead_generation", "to": "qualification", "kind": "advance"}
        ]}),
    );
    let imported = bundled().create(&migrated, at, &by(&kang)).unwrap();
    assert_eq!(imported.owner.as_deref(), Some("lee"));
    for entry in &imported.history {
        assert!(entry.imported, "{entry:?}");
        assert_eq!(entry.imported_by.as_deref(), Some("kang"));
    }
    assert_eq!(imported.history[0].by.as_deref(), Some("someone"));
    let future = deal(
        json!({"id": "CRM-10", "stage": "qualification", "history": [
            {"at": "2099-01-01", "to": "qualification"}
        ]}),
    );
    let refused = bundled().import(&future, at, &by(&kang)).unwrap_err();
    assert_eq!(refused.code(), "future-history");
    assert!(refused
        .to_string()
        .contains("history[0].at: 2099-01-01 is later than the import"));
    // Approvals are someone else's consent: never imported.
    let approved = deal(json!({"id": "CRM-11", "stage": "proposal_negotiation",
        "approvals": {"discount_approved": {"by": "fiona", "at": "2026-11-01", "role": "finance"}}}));
    let refused = bundled().import(&approved, at, &by(&kang)).unwrap_err();
    assert_eq!(refused.code(), "approvals-imported");
    // A rep may not import at all.
    let refused = bundled()
        .import(&migrated, at, &by(&rep("yoon")))
        .unwrap_err();
    assert_eq!(refused.code(), "not-permitted");
}

#[test]
fn only_the_owner_and_managers_edit_a_deal_and_every_change_is_recorded() {
    let at = time("2026-11-27T10:00:00Z");
    let change = Changes::new().set("discount_pct", 19);
    let refused = bundled()
        .edit(&discounted(), &change, at, &by(&rep("kim")))
        .unwrap_err();
    let ChangeError::Forbidden { problems } = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(problems[0].place, "fields.discount_pct");
    assert_eq!(problems[0].roles, ["owner", "manager"]);
    assert_eq!(
        problems[0].message,
        "only the deal's owner or Sales manager may change Discount offered (%)"
    );
    // Finance may approve the discount, not change it.
    assert!(bundled()
        .edit(&discounted(), &change, at, &by(&finance()))
        .is_err());
    for actor in [rep("lee"), manager()] {
        let edited = bundled()
            .edit(&discounted(), &change, at, &by(&actor))
            .unwrap();
        assert_eq!(edited.deal.fields["discount_pct"], 19);
        let entry = edited.deal.history.last().unwrap();
        assert_eq!(entry.by.as_deref(), Some(actor.id.as_str()));
        assert_eq!(entry.at, "2026-11-27T10:00:00Z");
        let edit = entry.edit.as_ref().unwrap();
        assert_eq!(edit.field.as_deref(), Some("discount_pct"));
        assert_eq!(
            (edit.before.clone(), edit.after.clone()),
            (Some(json!(35)), Some(json!(19)))
        );
    }
}

#[test]
fn an_edit_reports_every_unknown_field_and_wrong_type_and_changes_nothing() {
    let at = time("2026-11-27");
    let changes = Changes::new()
        .set("discont_pct", 10)
        .set("amount", "a lot")
        .tick("no_such_activity");
    let refused = bundled()
        .edit(&discounted(), &changes, at, &by(&rep("lee")))
        .unwrap_err();
    let ChangeError::Deal(error) = &refused else {
        panic!("{refused:?}");
    };
    let codes: Vec<&str> = error.problems.iter().map(|p| p.code()).collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    let text = refused.to_string();
    assert!(text.contains("discount_pct"), "a suggestion: {text}");
    assert!(text.contains("amount"), "{text}");
}

#[test]
fn a_changed_discount_voids_finance_s_approval_and_says_so() {
    let at = time("2026-11-27T10:00:00Z");
    let approved = bundled()
        .approve(
            &discounted(),
            "discount_approved",
            &finance(),
            time("2026-11-20"),
        )
        .unwrap();
    let edited = bundled()
        .edit(
            &approved,
            &Changes::new().set("discount_pct", 40),
            at,
            &by(&rep("lee")),
        )
        .unwrap();
    assert_eq!(edited.voided, ["discount_approved"]);
    assert!(edited.deal.approvals.is_empty());
    let edit = edited.deal.history.last().unwrap().edit.clone().unwrap();
    assert_eq!(edit.voided, ["discount_approved"]);
    // A change the approval does not read keeps it.
    let kept = bundled()
        .edit(
            &approved,
            &Changes::new().set("champion", true),
            at,
            &by(&rep("lee")),
        )
        .unwrap();
    assert!(kept.voided.is_empty() && kept.deal.approvals.contains_key("discount_approved"));
}

#[test]
fn ticking_records_who_and_when_and_giving_the_deal_away_needs_the_right() {
    let at = time("2026-11-27T10:00:00Z");
    let ticked = bundled()
        .edit(
            &discounted(),
            &Changes::new().tick("formal_proposal"),
            at,
            &by(&rep("lee")),
        )
        .unwrap();
    assert_eq!(
        ticked.deal.activities["formal_proposal"],
        Completion::By {
            at: "2026-11-27T10:00:00Z".to_owned(),
            by: "lee".to_owned()
        }
    );
    let edit = ticked.deal.history.last().unwrap().edit.clone().unwrap();
    assert_eq!(edit.activity.as_deref(), Some("formal_proposal"));
    let handed = Changes::new().owner("kim");
    let refused = bundled()
        .edit(&discounted(), &handed, at, &by(&rep("kim")))
        .unwrap_err();
    assert_eq!(refused.code(), "not-permitted");
    let moved = bundled()
        .edit(&discounted(), &handed, at, &by(&manager()))
        .unwrap();
    assert_eq!(moved.deal.owner.as_deref(), Some("kim"));
    assert!(
        moved
            .deal
            .history
            .last()
            .unwrap()
            .edit
            .as_ref()
            .unwrap()
            .owner
    );
    // An activity done later than the change is refused.
    let future: Changes =
        serde_json::from_value(json!({"activities": {"formal_proposal": "2026-12-25"}})).unwrap();
    let refused = bundled()
        .edit(&discounted(), &future, at, &by(&rep("lee")))
        .unwrap_err();
    assert_eq!(refused.code(), "done-in-future");
}

#[test]
fn a_field_s_own_edit_roles_narrow_or_widen_the_default() {
    let playbook = Playbook::from_yaml(
        r#"
stagegate: 1
id: p
version: 1
roles: { rep: {}, manager: {}, finance: {} }
permissions: { force: [manager] }
fields:
  amount: { type: number }
  discount_pct: { type: number, edit: [finance] }
  notes: { type: text, edit: [owner, rep] }
stages: [{ id: open }, { id: won, outcome: won }]
transitions: [{ from: open, to: won }]
"#,
        "p.yaml",
    )
    .unwrap();
    let engine = Engine::new(playbook).with_language("en");
    let at = time("2026-11-27");
    let deal = deal(json!({"id": "D-1", "owner": "lee"}));
    let lee = rep("lee");
    let both = Changes::new().set("discount_pct", 10).set("amount", 5);
    let refused = engine.edit(&deal, &both, at, &by(&lee)).unwrap_err();
    let places: Vec<&str> = refused
        .problems()
        .iter()
        .map(|p| p.place.as_str())
        .collect();
    assert_eq!(places, ["fields.discount_pct"], "only the narrowed field");
    let fiona = finance();
    assert!(engine
        .edit(
            &deal,
            &Changes::new().set("discount_pct", 10),
            at,
            &by(&fiona)
        )
        .is_ok());
    // Widened: any rep may write notes.
    let kim = rep("kim");
    assert!(engine
        .edit(
            &deal,
            &Changes::new().set("notes", "called back"),
            at,
            &by(&kim)
        )
        .is_ok());
}

#[test]
fn a_manager_s_force_never_goes_past_finance_s_approval() {
    let at = time("2026-11-27");
    let mut ready = discounted();
    ready.activities.insert(
        "formal_proposal".to_owned(),
        Completion::At("2026-11-10".to_owned()),
    );
    let forced = Move::to("closing")
        .by(manager())
        .forced("the customer signs today");
    let refused = bundled().apply(&ready, &forced, at).unwrap_err();
    let MoveError::ApprovalNotForceable {
        approvals, message, ..
    } = &refused
    else {
        panic!("{refused:?}");
    };
    assert_eq!(approvals, &["discount_approved"]);
    assert_eq!(
        message,
        "a forced move never goes past an approval: `discount_approved` (approval by Finance); get the approval, then move"
    );
    assert_eq!(refused.code(), "approval-not-forceable");
    // With Finance's approval, the force goes past the other gates.
    let approved = bundled()
        .approve(&ready, "discount_approved", &finance(), time("2026-11-20"))
        .unwrap();
    let moved = bundled().apply(&approved, &forced, at).unwrap();
    assert_eq!(moved.deal.stages, ["closing"]);
    assert!(!moved
        .deal
        .history
        .last()
        .unwrap()
        .overridden
        .contains(&"discount_approved".to_owned()));
}

#[test]
fn a_forceable_approval_may_be_forced() {
    let playbook = Playbook::from_yaml(
        r#"
stagegate: 1
id: p
version: 1
roles: { manager: {}, finance: {} }
permissions: { force: [manager] }
stages:
  - id: open
    exit: [{ id: ok, approval: { role: finance, forceable: true } }]
  - { id: won, outcome: won }
transitions: [{ from: open, to: won }]
"#,
        "p.yaml",
    )
    .unwrap();
    let engine = Engine::new(playbook);
    let moved = engine
        .apply(
            &deal(json!({"id": "D-1"})),
            &Move::to("won").by(manager()).forced("board decision"),
            time("2026-11-27"),
        )
        .unwrap();
    assert_eq!(moved.deal.history.last().unwrap().overridden, ["ok"]);
}

#[test]
fn an_archived_deal_refuses_moves_edits_and_approvals_until_unarchived() {
    let at = time("2026-11-27T10:00:00Z");
    let lee = rep("lee");
    let refused = bundled()
        .archive(&discounted(), "junk", at, &by(&rep("kim")))
        .unwrap_err();
    assert_eq!(refused.code(), "not-permitted");
    let blank = bundled()
        .archive(&discounted(), " ", at, &by(&lee))
        .unwrap_err();
    assert_eq!(blank.code(), "missing-reason");
    let archived = bundled()
        .archive(&discounted(), "duplicate of D-7", at, &by(&lee))
        .unwrap();
    let record = archived.archived.clone().unwrap();
    assert_eq!(
        (record.by.as_str(), record.reason.as_str()),
        ("lee", "duplicate of D-7")
    );
    let entry = archived.history.last().unwrap();
    assert!(entry.archived && entry.reason.as_deref() == Some("duplicate of D-7"));
    let moved = bundled().apply(&archived, &Move::to("lost").by(lee.clone()), at);
    let Err(MoveError::Archived { message }) = moved else {
        panic!("{moved:?}");
    };
    assert_eq!(
        message,
        "the deal was archived by lee at 2026-11-27T10:00:00Z (duplicate of D-7); unarchive it first"
    );
    let edited = bundled().edit(&archived, &Changes::new().set("amount", 1), at, &by(&lee));
    assert_eq!(edited.unwrap_err().code(), "archived");
    let approved = bundled().approve(&archived, "discount_approved", &finance(), at);
    assert!(approved.is_err());
    let back = bundled().unarchive(&archived, at, &by(&manager())).unwrap();
    assert!(back.archived.is_none());
    assert!(back.history.last().unwrap().unarchived);
    assert_eq!(
        back.history.len(),
        archived.history.len() + 1,
        "nothing erased"
    );
    assert!(bundled()
        .apply(&back, &Move::to("lost").by(lee), at)
        .is_ok());
}

#[test]
fn a_playbook_without_roles_lets_anyone_change_as_before() {
    let playbook = Playbook::from_yaml(
        "stagegate: 1\nid: p\nversion: 1\nfields: { amount: { type: number } }\n\
         stages: [{id: lead}, {id: won, outcome: won}]\ntransitions: [{from: lead, to: won}]\n",
        "p.yaml",
    )
    .unwrap();
    let engine = Engine::new(playbook);
    let at = time("2026-11-27");
    let edited = engine
        .edit(
            &deal(json!({"id": "D-1"})),
            &Changes::new().set("amount", 5),
            at,
            &Options::new(),
        )
        .unwrap();
    assert_eq!(edited.deal.history.last().unwrap().by, None);
    let opened = engine
        .create(
            &deal(json!({"id": "D-2", "stage": "won"})),
            at,
            &Options::new(),
        )
        .unwrap();
    assert!(opened.history[0].imported, "anyone may import here");
}

#[test]
fn check_names_every_unknown_role_and_stage_of_the_new_keys() {
    let text = r#"
stagegate: 1
id: p
version: 1
roles: { rep: {}, manager: {} }
permissions: { create: [rep], import: [manger], edit: [] }
start: [lead, leed]
fields: { amount: { type: number, edit: [finance] } }
stages:
  - id: lead
    activities: [{ id: call, edit: [reps] }]
  - { id: won, outcome: won }
transitions: [{ from: lead, to: won }]
"#;
    let diagnostics = Playbook::check(text, "p.yaml");
    let found: Vec<(String, usize, String)> = diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.line, d.message.clone()))
        .collect();
    let has = |code: &str, line: usize, words: &str| {
        assert!(
            found
                .iter()
                .any(|(c, l, m)| c == code && *l == line && m.contains(words)),
            "{code} at {line} ({words}) in {found:#?}"
        );
    };
    has("unknown-role", 6, "role `manger` is not declared");
    has("empty-roles", 6, "`edit: []` names no role");
    has("unknown-stage", 7, "`leed` is not a declared stage");
    has("unknown-role", 8, "role `finance` is not declared");
    has("unknown-role", 11, "role `reps` is not declared");
}

#[test]
fn the_contract_answers_changes_and_their_refusals_as_json() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/playbooks/b2b-sales.yaml"
    ))
    .unwrap();
    let contract =
        stagegate::contract::Contract::load(&text, "b2b-sales.yaml", Some("en")).unwrap();
    let deal = serde_json::to_value(discounted()).unwrap();
    let edit = |actor: &str| {
        json!({"deal": deal, "changes": {"fields": {"discount_pct": 19}},
               "actor": {"id": actor, "roles": ["rep"]}, "at": "2026-11-27"})
        .to_string()
    };
    let answer: serde_json::Value =
        serde_json::from_str(&contract.edit(&edit("lee")).unwrap()).unwrap();
    assert_eq!(answer["deal"]["fields"]["discount_pct"], 19);
    assert_eq!(answer["voided"], json!([]));
    let refused: serde_json::Value =
        serde_json::from_str(&contract.edit(&edit("kim")).unwrap_err()).unwrap();
    assert_eq!(refused["error"], "forbidden");
    assert_eq!(refused["code"], "not-permitted");
    assert_eq!(refused["deal"], "D-35");
    assert_eq!(refused["roles"], json!(["owner", "manager"]));
    assert_eq!(refused["details"][0]["field"], "fields.discount_pct");
    let created: serde_json::Value = serde_json::from_str(
        &contract
            .create(&json!({"deal": {"id": "N-9"}, "actor": {"id": "yoon", "roles": ["rep"]}, "at": "2026-11-27"}).to_string())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(created["stages"], json!(["lead_generation"]));
    let archived: serde_json::Value = serde_json::from_str(
        &contract
            .archive(&json!({"deal": created, "reason": "test lead", "actor": {"id": "yoon", "roles": ["rep"]}, "at": "2026-11-28"}).to_string())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(archived["archived"]["reason"], "test lead");
    let unknown = contract
        .edit(&json!({"deal": {}, "changes": {"feilds": {}}, "at": "2026-11-27"}).to_string())
        .unwrap_err();
    assert!(
        unknown.contains("\"error\":\"request\"") && unknown.contains("feilds"),
        "{unknown}"
    );
}

#[test]
fn an_edited_deal_migrates_with_its_edits_renamed_and_a_bad_date_is_refused_even_when_done() {
    let v1 = Playbook::from_yaml(
        "stagegate: 1\nid: p\nversion: 1\nfields: { amount: { type: number } }\n\
         stages: [{id: lead, activities: [{id: call, required: false}]}, {id: won, outcome: won}]\n\
         transitions: [{from: lead, to: won}]\n",
        "v1.yaml",
    )
    .unwrap();
    let v2 = Playbook::from_yaml(
        "stagegate: 1\nid: p\nversion: 2\nfields: { value: { type: number } }\n\
         stages: [{id: lead, activities: [{id: call, required: false}]}, {id: won, outcome: won}]\n\
         transitions: [{from: lead, to: won}]\nmigrations: [{from: 1, fields: {amount: value}}]\n",
        "v2.yaml",
    )
    .unwrap();
    let v1 = std::sync::Arc::new(v1);
    let old = Engine::new(v1.clone());
    let at = time("2026-11-27");
    let deal = deal(json!({"id": "D-1", "playbook": "p@1", "stage": "lead",
        "history": [{"at": "2026-11-01", "to": "lead"}]}));
    let edited = old
        .edit(
            &deal,
            &Changes::new().set("amount", 5).tick("call"),
            at,
            &Options::new(),
        )
        .unwrap();
    let moved = Engine::new(v2)
        .migrate(&v1, &edited.deal, at, &Options::new())
        .unwrap();
    let fields: Vec<Option<&str>> = moved
        .history
        .iter()
        .filter_map(|e| e.edit.as_ref())
        .map(|e| e.field.as_deref())
        .collect();
    assert_eq!(fields, [Some("value"), None]);
    let bad: Changes =
        serde_json::from_value(json!({"activities": {"call": "2026-13-45"}})).unwrap();
    let refused = old
        .edit(&edited.deal, &bad, at, &Options::new())
        .unwrap_err();
    assert_eq!(refused.code(), "bad-time", "{refused}");
    assert!(refused.to_string().contains("activities.call"), "{refused}");
}
