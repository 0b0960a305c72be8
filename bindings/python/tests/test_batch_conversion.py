"""Batches convert deals and answers natively: the same texts and dicts as ``json`` gives."""

from __future__ import annotations

import collections
import datetime as dt
import enum
import json
import math
import re
import types
from pathlib import Path
from typing import Any

import pytest
import stagegate
import yaml
from stagegate import _deal_text, _json_default, _stagegate

ROOT = Path(__file__).resolve().parents[3]
BUNDLED = ROOT / "playbooks" / "b2b-sales.yaml"
DEALS = ROOT / "examples" / "deals"


class Level(enum.IntEnum):
    HIGH = 3


class Label(str):
    pass


class Amount(float):
    pass


def written(deal: Any) -> str:
    texts = _stagegate.deal_texts([deal], _json_default, _deal_text)
    assert len(texts) == 1
    return texts[0]


DEALS_AS_JSON_WRITES_THEM: list[Any] = [
    {"id": "D-1", "stage": "qualification", "fields": {"budget": 120000}},
    {"id": 7, "fields": {"amount": 0.1, "big": 1e300, "tiny": 1e-7, "minus_zero": -0.0}},
    {"id": "D-2", "fields": {"edge": -(2**63), "top": 2**63 - 1, "flag": True, "none": None}},
    {"id": "D-3", "history": [{"at": dt.date(2026, 3, 1)}, {"at": dt.datetime(2026, 3, 2, 9, 30)}]},
    {"id": "D-4", "at": dt.datetime(2026, 3, 2, 9, 30, 15, 250, tzinfo=dt.timezone.utc)},
    {"id": "D-5", "fields": {"name": "김민준 🚀", "note": 'a "quoted"\n\t\\ line\x00\x1f'}},
    {"id": "D-6", "fields": {"tuple": (1, 2, (3,)), "list": [[], {}, [None]]}},
    {"id": Label("D-7"), "fields": {"level": Level.HIGH, "amount": Amount(2.5)}},
    collections.OrderedDict([("id", "D-8"), ("fields", collections.OrderedDict(b=1, a=2))]),
    {"id": "D-9", "fields": {"deep": [[[[[[[[[[{"x": [1]}]]]]]]]]]]}},
    # Left to json.dumps (the fallback): keys that are not strs, a float that is not finite,
    # an int beyond 64 bits, a mapping that is not a dict, a lone surrogate, deep nesting.
    {"id": "D-10", "fields": {1: "one", 2.5: "two and a half", False: "no", None: "none"}},
    {"id": "D-11", "fields": {"amount": math.nan, "cap": math.inf}},
    {"id": "D-12", "fields": {"huge": 2**64, "negative": -(2**70)}},
    types.MappingProxyType({"id": "D-13", "fields": types.MappingProxyType({"budget": 1})}),
    {"id": "D-14", "fields": {"broken": "\ud800"}},
    {"id": "D-15", "fields": {"nest": json.loads("[" * 200 + "]" * 200)}},
    '{"id": "D-16", "stage": "closing"}',
    "  not json at all  ",
]


@pytest.mark.parametrize("deal", DEALS_AS_JSON_WRITES_THEM, ids=lambda d: repr(d)[:40])
def test_deals_are_written_as_json_dumps_writes_them(deal: Any) -> None:
    try:
        expected = _deal_text(deal)
    except TypeError as error:
        with pytest.raises(TypeError, match=re.escape(str(error))):
            written(deal)
        return
    text = written(deal)
    if isinstance(deal, str) or "NaN" in expected:
        assert text == expected
    else:
        assert json.loads(text) == json.loads(expected)
        assert list(json.loads(text)) == list(json.loads(expected))


class Unknown:
    def __repr__(self) -> str:
        return "<Unknown>"


@pytest.mark.parametrize(
    ("deal", "error", "message"),
    [
        ({"id": "D-1", "fields": {"tags": {"a"}}}, TypeError, "set is not JSON: {'a'}"),
        ({"id": "D-1", "fields": {"odd": Unknown()}}, TypeError, "Unknown is not JSON: <Unknown>"),
        (5, TypeError, "a deal is a dict or its JSON text, not int"),
        (["D-1"], TypeError, "a deal is a dict or its JSON text, not list"),
        (None, TypeError, "a deal is a dict or its JSON text, not NoneType"),
    ],
)
def test_what_json_refuses_raises_as_json_raises_it(
    deal: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        written(deal)
    assert str(raised.value) == message


def test_a_deal_holding_itself_raises_as_json_dumps_does() -> None:
    deal: dict[str, Any] = {"id": "D-1", "fields": {}}
    deal["fields"]["self"] = deal
    with pytest.raises(ValueError, match="Circular reference detected"):
        written(deal)


def test_deals_come_from_any_iterable_and_a_bad_one_names_itself() -> None:
    deals = ({"id": f"D-{i}"} for i in range(3))
    assert [json.loads(t) for t in _stagegate.deal_texts(deals, _json_default, _deal_text)] == [
        {"id": "D-0"},
        {"id": "D-1"},
        {"id": "D-2"},
    ]
    with pytest.raises(TypeError, match="not iterable"):
        _stagegate.deal_texts(5, _json_default, _deal_text)  # type: ignore[arg-type]


def example_deals() -> list[Any]:
    found: list[Any] = [
        deal
        for path in sorted(DEALS.glob("*.yaml"))
        for deal in yaml.safe_load_all(path.read_text("utf-8"))
    ]
    assert len(found) >= 5
    unfit: list[Any] = [
        {"fields": {"budjet": 1}},
        {"id": "D-X", "stage": "nowhere"},
        '{"id": "D-Y", "fields": {"budget": "lots"}}',
        "[1, 2]",
    ]
    return found + unfit


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_answers_are_built_as_json_loads_builds_them(lang: str) -> None:
    engine = stagegate.Engine(stagegate.Playbook.load(BUNDLED), lang=lang)
    deals = example_deals()
    at = "2026-11-27T10:30:00+09:00"
    for built, texts in (
        (
            engine.evaluate_many(deals, at, errors="return"),
            engine.evaluate_many_json(deals, at, errors="return"),
        ),
        (
            engine.score_many(deals, at, errors="return"),
            engine.score_many_json(deals, at, errors="return"),
        ),
    ):
        parsed = [json.loads(text) for text in texts]
        assert built == parsed
        assert [repr(answer) for answer in built] == [repr(answer) for answer in parsed]
        assert sum("error" in answer for answer in built) == 4
