//! Asking for an approval: whoever may edit the deal asks, the request is recorded in the history
//! (again as a reminder) with a notification to the approving role, refused with every reason;
//! and the approvals a deal waits for, each with its request still open.

// Tests fail loudly by design: helpers beside the tests unwrap as the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use stagegate::{
    Actor, ChangeError, Changes, Deal, EffectKind, Engine, Options, Playbook, Timestamp, Trigger,
};

fn bundled(lang: &str) -> Engine {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml");
    Engine::new(Playbook::load(path).unwrap()).with_language(lang)
}

fn time(text: &str) -> Timestamp {
    stagegate::parse_time(text).unwrap()
}

fn deal(value: serde_json::Value) -> Deal {
    serde_json::from_value(value).unwrap()
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

/// Every reason of a refusal: (code, place).
fn reasons(error: &ChangeError) -> Vec<(&str, &str)> {
    error
        .problems()
        .iter()
        .map(|p| (p.code, p.place.as_str()))
        .collect()
}

#[test]
fn the_owner_asks_finance_and_a_reminder_is_recorded_again() {
    let engine = bundled("en");
    let lee = Actor::new("lee", ["rep"]);
    let asked = engine
        .request_approval(
            &discounted(),
            "discount_approved",
            Some("  the customer signs on Friday "),
            time("2026-11-27T09:00:00Z"),
            &by(&lee),
        )
        .unwrap();
    // Only the history grows: no stage, approval or field changes.
    let mut unchanged = asked.deal.clone();
    let entry = unchanged.history.pop().unwrap();
    assert_eq!(unchanged, discounted());
    assert_eq!(
        serde_json::to_value(&entry).unwrap(),
        json!({ "at": "2026-11-27T09:00:00Z", "by": "lee",
                "approval_requested": "discount_approved", "note": "the customer signs on Friday" })
    );
    assert!(!entry.is_move() && !entry.enters_stage());
    let [notify] = asked.effects.as_slice() else {
        panic!("{:?}", asked.effects)
    };
    assert_eq!(
        (notify.kind, notify.on, notify.stage.as_str()),
        (EffectKind::Notify, Trigger::Request, "proposal_negotiation")
    );
    assert_eq!(
        (
            notify.role.as_deref(),
            notify.assignee.as_deref(),
            notify.criterion.as_deref(),
            notify.deal.as_deref()
        ),
        (
            Some("finance"),
            None,
            Some("discount_approved"),
            Some("D-35")
        )
    );
    assert_eq!(
        notify.message.as_deref(),
        Some("lee asks Finance for an approval on D-35: `discount_approved` (note: the customer signs on Friday)")
    );
    // The manager reminds Finance a day later: recorded again, without a note.
    let kang = Actor::new("kang", ["manager"]);
    let reminded = engine
        .request_approval(
            &asked.deal,
            "discount_approved",
            Some(" "),
            time("2026-11-28"),
            &by(&kang),
        )
        .unwrap();
    let requests: Vec<(Option<&str>, Option<&str>)> = reminded
        .deal
        .history
        .iter()
        .filter(|e| e.approval_requested.is_some())
        .map(|e| (e.by.as_deref(), e.note.as_deref()))
        .collect();
    assert_eq!(
        requests,
        [
            (Some("lee"), Some("the customer signs on Friday")),
            (Some("kang"), None)
        ]
    );
    // The deal with its requests still fits, reads back and moves on once approved.
    let text = serde_json::to_string(&reminded.deal).unwrap();
    let read: Deal = serde_json::from_str(&text).unwrap();
    assert_eq!(read, reminded.deal);
    let approved = engine
        .approve(
            &read,
            "discount_approved",
            &Actor::new("fiona", ["finance"]),
            time("2026-11-29"),
        )
        .unwrap();
    let evaluation = engine
        .evaluate(&approved, time("2026-11-29"), &Options::new())
        .unwrap();
    assert!(evaluation.warnings.iter().all(|w| w.kind != "off_playbook"));
    let approval_blockers = evaluation
        .transitions
        .iter()
        .flat_map(|t| &t.blockers)
        .filter(|b| b.criterion.as_deref() == Some("discount_approved"))
        .count();
    assert_eq!(approval_blockers, 0, "the approval counts: {evaluation:?}");
}

#[test]
fn a_request_is_refused_with_every_reason() {
    let engine = bundled("en");
    let lee = Actor::new("lee", ["rep"]);
    let at = time("2026-11-27");
    // Another rep may not ask on lee's deal: who may edit it may ask.
    let other = engine
        .request_approval(
            &discounted(),
            "discount_approved",
            None,
            at,
            &by(&Actor::new("kim", ["rep"])),
        )
        .unwrap_err();
    assert_eq!(other.code(), "not-permitted");
    assert_eq!(other.problems()[0].roles, ["owner", "manager"]);
    assert_eq!(
        other.problems()[0].message,
        "only the deal's owner or Sales manager may ask for an approval on the deal"
    );
    // The bundled playbook says who may force: a request names who makes it.
    let nobody = engine.request_approval(
        &discounted(),
        "discount_approved",
        None,
        at,
        &Options::new(),
    );
    assert!(matches!(nobody, Err(ChangeError::NoActor)), "{nobody:?}");
    // A typo: the likely intended criterion.
    let typo = engine
        .request_approval(&discounted(), "discount_aproved", None, at, &by(&lee))
        .unwrap_err();
    assert_eq!(reasons(&typo), [("unknown-criterion", "criterion")]);
    assert_eq!(
        typo.to_string(),
        "`discount_aproved` is not an approval criterion of this playbook (did you mean `discount_approved`?)"
    );
    // Archived and dated before its history: both reasons, nothing recorded.
    let archived = engine
        .archive(
            &discounted(),
            "duplicate of D-7",
            time("2026-11-20"),
            &by(&lee),
        )
        .unwrap();
    let refused = engine
        .request_approval(
            &archived,
            "discount_approved",
            None,
            time("2026-11-10"),
            &by(&lee),
        )
        .unwrap_err();
    assert_eq!(
        reasons(&refused),
        [("archived", "archived"), ("before-history", "at")]
    );
    assert!(refused.problems()[0]
        .message
        .starts_with("the deal was archived by lee"));
    // A deal still in qualification: the approval is asked for in a later stage, by its title.
    let early = deal(json!({ "id": "Q-1", "owner": "lee", "stage": "qualification" }));
    let refused = engine
        .request_approval(&early, "discount_approved", None, at, &by(&lee))
        .unwrap_err();
    assert_eq!(reasons(&refused), [("not-in-stage", "criterion")]);
    assert_eq!(
        refused.problems()[0].message,
        "`discount_approved` is asked for in Proposal & Negotiation, and the deal is in Qualification: it can be asked for only there"
    );
    // A discount of 15% needs no approval.
    let small = engine
        .edit(
            &discounted(),
            &Changes::new().set("discount_pct", 15),
            at,
            &by(&lee),
        )
        .unwrap()
        .deal;
    let refused = engine
        .request_approval(&small, "discount_approved", None, at, &by(&lee))
        .unwrap_err();
    assert_eq!(reasons(&refused), [("not-needed", "criterion")]);
    assert_eq!(
        refused.problems()[0].message,
        "`discount_approved` is not needed now: it is asked for only when `(discount_pct ?? 0) > 20` holds, and it does not"
    );
    // Approved and still counting: nothing to ask for.
    let approved = engine
        .approve(
            &discounted(),
            "discount_approved",
            &Actor::new("fiona", ["finance"]),
            at,
        )
        .unwrap();
    let refused = engine
        .request_approval(&approved, "discount_approved", None, at, &by(&lee))
        .unwrap_err();
    assert_eq!(reasons(&refused), [("already-approved", "criterion")]);
    assert!(refused.problems()[0]
        .message
        .starts_with("`discount_approved` is already approved by fiona at 2026-11-27T00:00:00Z"));
}

#[test]
fn the_request_and_its_notification_read_in_korean() {
    let engine = bundled("ko");
    let asked = engine
        .request_approval(
            &discounted(),
            "discount_approved",
            Some("금요일 서명"),
            time("2026-11-27"),
            &by(&Actor::new("lee", ["rep"])),
        )
        .unwrap();
    assert_eq!(
        asked.effects[0].message.as_deref(),
        Some("lee님이 D-35 딜의 재무 담당자 승인을 요청했습니다: `discount_approved` (메모: 금요일 서명)")
    );
}

#[test]
fn the_approvals_a_deal_waits_for_carry_the_request_still_open() {
    let engine = bundled("en");
    let lee = Actor::new("lee", ["rep"]);
    let fiona = Actor::new("fiona", ["finance"]);
    let waiting = engine
        .approvals_waiting(&discounted(), time("2026-11-27"))
        .unwrap();
    let shown: Vec<(&str, &str, &str)> = waiting
        .iter()
        .map(|w| (w.criterion.as_str(), w.role.as_str(), w.stage.as_str()))
        .collect();
    assert_eq!(
        shown,
        [("discount_approved", "finance", "proposal_negotiation")]
    );
    assert_eq!(
        waiting[0].message.as_deref(),
        Some("needs approval by Finance")
    );
    assert_eq!(waiting[0].requested, None);

    let asked = engine
        .request_approval(
            &discounted(),
            "discount_approved",
            Some("Friday"),
            time("2026-11-27"),
            &by(&lee),
        )
        .unwrap()
        .deal;
    let waiting = engine
        .approvals_waiting(&asked, time("2026-11-27"))
        .unwrap();
    let requested = serde_json::to_value(&waiting[0].requested).unwrap();
    assert_eq!(
        requested,
        json!({ "at": "2026-11-27T00:00:00Z", "by": "lee", "note": "Friday" })
    );
    // Approved: it waits no more. A changed discount voids the approval: it waits again, and
    // the request the approval answered is no longer open.
    let approved = engine
        .approve(&asked, "discount_approved", &fiona, time("2026-11-28"))
        .unwrap();
    assert_eq!(
        engine
            .approvals_waiting(&approved, time("2026-11-28"))
            .unwrap(),
        []
    );
    let changed = engine
        .edit(
            &approved,
            &Changes::new().set("discount_pct", 40),
            time("2026-11-29"),
            &by(&lee),
        )
        .unwrap()
        .deal;
    let waiting = engine
        .approvals_waiting(&changed, time("2026-11-29"))
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].requested, None);
    // A deal in a stage that asks for no approval, and an archived one, wait for none.
    let early = deal(json!({ "id": "Q-1", "owner": "lee", "stage": "qualification" }));
    assert_eq!(
        engine
            .approvals_waiting(&early, time("2026-11-27"))
            .unwrap(),
        []
    );
    let archived = engine
        .archive(&asked, "junk", time("2026-11-28"), &by(&lee))
        .unwrap();
    assert_eq!(
        engine
            .approvals_waiting(&archived, time("2026-11-28"))
            .unwrap(),
        []
    );
}

#[test]
fn a_history_entry_cannot_both_move_and_request() {
    let engine = bundled("en");
    let mixed = deal(json!({
        "id": "M-1", "stage": "qualification",
        "history": [
            { "at": "2026-11-01", "to": "qualification" },
            { "at": "2026-11-02", "to": "qualification", "approval_requested": "discount_approved" }
        ]
    }));
    let error = engine
        .evaluate(&mixed, time("2026-11-27"), &Options::new())
        .unwrap_err();
    assert!(
        error.to_string().contains("`approval_requested`"),
        "{error}"
    );
}
