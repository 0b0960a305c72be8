"""Changes that are no moves: create, import_deal, edit, archive and unarchive, on the bundled
playbook (who may: the owner and managers edit and archive, managers import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import stagegate
import yaml

ROOT = Path(__file__).resolve().parents[3]
BUNDLED = ROOT / "playbooks" / "b2b-sales.yaml"

YOON = {"id": "yoon", "roles": ["rep"]}
KIM = {"id": "kim", "roles": ["rep"]}
KANG = {"id": "kang", "roles": ["manager"]}
HAN = {"id": "han", "roles": ["finance"]}


@pytest.fixture(scope="module")
def engine() -> stagegate.Engine:
    return stagegate.Engine(stagegate.Playbook.load(BUNDLED), lang="en")


def discount_deal() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(
        (ROOT / "examples" / "deals" / "11-discount-approval.yaml").read_text("utf-8")
    )
    return found


def test_create_opens_the_deal_in_the_first_stage_owned_by_its_creator(
    engine: stagegate.Engine,
) -> None:
    created = engine.create({"id": "D-1"}, actor=YOON, at="2026-11-27T09:00:00Z")
    assert created["stages"] == ["lead_generation"]
    assert created["owner"] == "yoon"
    assert created["history"] == [
        {"at": "2026-11-27T09:00:00Z", "to": "lead_generation", "by": "yoon"}
    ]
    # Straight into closing is an import, which a rep may not make.
    with pytest.raises(stagegate.Forbidden) as refused:
        engine.create({"id": "D-2", "stage": "closing"}, actor=YOON, at="2026-11-27")
    assert refused.value.code == "not-permitted"
    assert refused.value.roles == ["manager"]
    # The playbook says who may change deals: nobody named is refused.
    with pytest.raises(stagegate.Refused) as nobody:
        engine.create({"id": "D-3"}, at="2026-11-27")
    assert nobody.value.code == "no-actor"


def test_import_deal_marks_every_entry_imported_by_the_manager(engine: stagegate.Engine) -> None:
    deal = {
        "id": "O-1",
        "stage": "qualification",
        "history": [
            {"at": "2026-10-01", "to": "lead_generation"},
            {"at": "2026-10-20", "from": "lead_generation", "to": "qualification"},
        ],
    }
    imported = engine.import_deal(deal, actor=KANG, at="2026-11-27")
    assert imported["owner"] == "kang"
    assert [(e["imported"], e["imported_by"]) for e in imported["history"]] == [
        (True, "kang"),
        (True, "kang"),
    ]
    with pytest.raises(stagegate.Forbidden) as rep:
        engine.import_deal(deal, actor=YOON, at="2026-11-27")
    assert rep.value.roles == ["manager"]
    with pytest.raises(stagegate.Refused) as future:
        engine.import_deal(deal, actor=KANG, at="2026-10-10")
    assert future.value.code == "future-history"


def test_edit_by_the_owner_voids_the_approval_given_on_the_old_discount(
    engine: stagegate.Engine,
) -> None:
    approved = engine.approve(discount_deal(), "discount_approved", actor=HAN, at="2026-11-26")
    edited = engine.edit(
        approved,
        {"fields": {"discount_pct": 19}, "activities": {"objection_handling": True}},
        actor=YOON,
        at="2026-11-27",
    )
    assert edited["voided"] == ["discount_approved"]
    deal = edited["deal"]
    assert deal["fields"]["discount_pct"] == 19
    assert "approvals" not in deal
    field = next(e for e in deal["history"] if e.get("edit", {}).get("field") == "discount_pct")
    assert field == {
        "at": "2026-11-27T00:00:00Z",
        "by": "yoon",
        "edit": {
            "field": "discount_pct",
            "before": 30,
            "after": 19,
            "voided": ["discount_approved"],
        },
    }


def test_edit_by_another_rep_is_forbidden_with_every_change_and_the_roles_that_may(
    engine: stagegate.Engine,
) -> None:
    with pytest.raises(stagegate.Forbidden) as refused:
        engine.edit(
            discount_deal(),
            {"fields": {"discount_pct": 10}, "owner": "kim"},
            actor=KIM,
            at="2026-11-27",
        )
    assert refused.value.kind == "forbidden"
    assert refused.value.roles == ["owner", "manager"]
    # Every change refused, in one message.
    assert refused.value.data["message"] == (
        "only the deal's owner or Sales manager may change Discount offered (%); "
        "only the deal's owner or Sales manager may give the deal another owner"
    )
    assert refused.value.data["deal"] == "D-1011"


def test_archive_and_unarchive(engine: stagegate.Engine) -> None:
    archived = engine.archive(discount_deal(), "duplicate of D-7", actor=YOON, at="2026-11-27")
    assert archived["archived"] == {
        "at": "2026-11-27T00:00:00Z",
        "by": "yoon",
        "reason": "duplicate of D-7",
    }
    with pytest.raises(stagegate.Refused) as moving:
        engine.apply(archived, "closing", actor=KANG, force="board", at="2026-11-28")
    assert moving.value.code == "archived"
    with pytest.raises(stagegate.Forbidden) as other:
        engine.unarchive(archived, actor=KIM, at="2026-11-28")
    assert other.value.roles == ["owner", "manager"]
    back = engine.unarchive(archived, actor=KANG, at="2026-11-28")
    assert "archived" not in back
    assert back["history"][-1] == {"at": "2026-11-28T00:00:00Z", "by": "kang", "unarchived": True}
    with pytest.raises(stagegate.Refused) as again:
        engine.unarchive(back, actor=KANG, at="2026-11-28")
    assert again.value.code == "not-archived"


def test_request_approval_notifies_finance_and_refuses_with_every_reason(
    engine: stagegate.Engine,
) -> None:
    asked = engine.request_approval(
        discount_deal(), "discount_approved", actor=YOON, at="2026-11-27", note="signs Friday"
    )
    assert asked["deal"]["history"][-1] == {
        "at": "2026-11-27T00:00:00Z",
        "by": "yoon",
        "approval_requested": "discount_approved",
        "note": "signs Friday",
    }
    notify = asked["effects"][0]
    assert (notify["kind"], notify["on"], notify["role"], notify["criterion"]) == (
        "notify",
        "request",
        "finance",
        "discount_approved",
    )
    assert notify["message"] == (
        "yoon asks Finance for an approval on D-1011: `discount_approved` (note: signs Friday)"
    )
    # Asked again: a reminder, recorded again.
    again = engine.request_approval(asked["deal"], "discount_approved", actor=YOON, at="2026-11-28")
    assert [e.get("approval_requested") for e in again["deal"]["history"][-2:]] == [
        "discount_approved",
        "discount_approved",
    ]
    with pytest.raises(stagegate.Forbidden) as other:
        engine.request_approval(discount_deal(), "discount_approved", actor=KIM, at="2026-11-27")
    assert other.value.roles == ["owner", "manager"]
    with pytest.raises(stagegate.Refused) as typo:
        engine.request_approval(discount_deal(), "discount_aproved", actor=YOON, at="2026-11-27")
    assert typo.value.code == "unknown-criterion"
    assert "did you mean `discount_approved`?" in str(typo.value)
