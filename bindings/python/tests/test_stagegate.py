"""The Python package against the command line and the shared contract corpus."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import os
import pickle
import random
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import stagegate
import yaml
from stagegate import _stagegate

ROOT = Path(__file__).resolve().parents[3]
BUNDLED = ROOT / "playbooks" / "b2b-sales.yaml"
X_EDUCATION = ROOT / "examples" / "real-data" / "x-education" / "playbook.yaml"
CORPUS = ROOT / "tests" / "contract"


def cli() -> str:
    """The `stagegate` binary: $STAGEGATE_BIN, else the repository's build, else PATH."""
    found = os.environ.get("STAGEGATE_BIN")
    if found:
        return found
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    built = [target / build / "stagegate" for build in ("release", "debug")]
    built = [binary for binary in built if binary.exists()]
    if built:
        return str(max(built, key=lambda binary: binary.stat().st_mtime))
    on_path = shutil.which("stagegate")
    if on_path is None:
        pytest.fail("no stagegate binary: build it (cargo build) or set STAGEGATE_BIN")
    return on_path


@pytest.fixture(scope="module")
def engine() -> stagegate.Engine:
    return stagegate.Engine(stagegate.Playbook.load(BUNDLED), lang="en")


def example_deal(name: str) -> dict[str, Any]:
    """An example deal of the repository, read from its YAML (dates as ``datetime.date``)."""
    found: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "deals" / name).read_text("utf-8"))
    return found


# ---------------------------------------------------------------- the shared corpus


def corpus_cases() -> list[Path]:
    return sorted(CORPUS.glob("*.json"))


def test_the_corpus_is_there() -> None:
    assert len(corpus_cases()) >= 10, f"the shared corpus in {CORPUS} is missing"


@pytest.mark.parametrize("case", corpus_cases(), ids=lambda p: p.stem)
def test_the_shared_corpus(case: Path) -> None:
    spec = json.loads(case.read_text(encoding="utf-8"))
    playbook = stagegate.Playbook.load(ROOT / spec["playbook"])
    engine = stagegate.Engine(playbook, lang=spec.get("lang"))
    call = spec["call"]
    if call == "evaluate":
        answer = engine.evaluate(spec["deal"], spec["at"])
    elif call == "score":
        answer = engine.score(spec["deal"], spec["at"])
    elif call == "metrics":
        answer = engine.metrics(spec["deals"], spec["at"], by=spec["by"])
        assert json.dumps(answer) == json.dumps(spec["expected"])  # the keys' order too
        return
    else:
        pytest.fail(f"{case.name}: unknown call {call!r}")
    assert answer == spec["expected"]
    # A batch of one answers the same.
    many = getattr(engine, f"{call}_many")([spec["deal"]], spec["at"])
    assert many == [spec["expected"]]


# ---------------------------------------------------------------- calls and errors


def test_evaluate_takes_a_dict_or_its_json_and_any_kind_of_time(engine: stagegate.Engine) -> None:
    deal = {"id": "D-1", "stage": "qualification", "fields": {"budget": 80000}}
    by_dict = engine.evaluate(deal, "2026-11-27")
    assert by_dict["stages"] == ["qualification"]
    assert engine.evaluate(json.dumps(deal), "2026-11-27") == by_dict
    assert engine.evaluate(deal, dt.date(2026, 11, 27)) == by_dict
    # A naive datetime is read in the playbook's time zone, as the command line reads one.
    naive = engine.evaluate(deal, dt.datetime(2026, 11, 27, 15, 30))
    assert naive == engine.evaluate(deal, "2026-11-27T15:30:00")
    seoul = dt.timezone(dt.timedelta(hours=9))
    aware = engine.evaluate(deal, dt.datetime(2026, 11, 27, 15, 30, tzinfo=seoul))
    assert aware == engine.evaluate(deal, "2026-11-27T15:30:00+09:00")
    with pytest.raises(TypeError):
        engine.evaluate(deal, 20261127)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.evaluate(["not", "a", "deal"], "2026-11-27")  # type: ignore[arg-type]


def test_every_error_kind_is_an_exception_with_its_data(engine: stagegate.Engine) -> None:
    with pytest.raises(stagegate.LoadError) as load:
        stagegate.Playbook.from_yaml(
            "stagegate: 1\nid: p\nversion: 1\nstages: [{id: a, exit: ['budgt > 1']}]\n", "p.yaml"
        )
    assert load.value.diagnostics
    assert load.value.diagnostics[0]["file"] == "p.yaml"
    assert isinstance(load.value, stagegate.Error)

    with pytest.raises(stagegate.DealError) as unfit:
        engine.evaluate({"id": "D-9", "fields": {"budjet": 1}}, "2026-11-27")
    assert unfit.value.deal == "D-9"
    assert "did you mean `budget`" in unfit.value.problems[0]

    deal = {
        "id": "D-3",
        "owner": "yoon",
        "stage": "qualification",
        "fields": {"budget": 10},
    }
    with pytest.raises(stagegate.MoveBlocked) as blocked:
        engine.apply(
            deal, "needs_analysis", actor={"id": "yoon", "roles": ["rep"]}, at="2026-11-27"
        )
    assert blocked.value.move["to"] == "needs_analysis"
    assert blocked.value.blockers
    assert all(b["reason"] for b in blocked.value.blockers)

    with pytest.raises(stagegate.Forbidden):
        engine.apply(
            deal,
            "needs_analysis",
            force="board said so",
            actor={"id": "yoon", "roles": ["rep"]},
            at="2026-11-27",
        )
    with pytest.raises(stagegate.Refused) as nobody:
        engine.apply(deal, "needs_analysis", at="2026-11-27")
    assert "who makes it" in str(nobody.value)
    with pytest.raises(stagegate.RequestError) as role:
        engine.evaluate(deal, "2026-11-27", actor={"id": "x", "roles": ["manger"]})
    assert "did you mean `manager`" in str(role.value)
    with pytest.raises(stagegate.RequestError):
        engine.evaluate(deal, "soon")
    with pytest.raises(stagegate.RequestError):
        stagegate.Engine(engine.playbook, lang="fr")


def test_a_forced_move_by_a_manager_is_recorded(engine: stagegate.Engine) -> None:
    deal = {"id": "D-4", "owner": "yoon", "stage": "qualification"}
    moved = engine.apply(
        deal,
        "needs_analysis",
        force="customer escalation",
        actor={"id": "kim", "roles": ["manager"]},
        at=dt.datetime(2026, 11, 27, 9, 15),
    )
    entry = moved["deal"]["history"][-1]
    assert entry["by"] == "kim"
    assert entry["forced"] is True
    assert entry["reason"] == "customer escalation"
    assert entry["at"].startswith("2026-11-27T09:15")
    assert isinstance(moved["effects"], list)


def test_approvals_keep_four_eyes(engine: stagegate.Engine) -> None:
    deal = example_deal("11-discount-approval.yaml")
    with pytest.raises(stagegate.MoveBlocked) as blocked:
        engine.apply(deal, "closing", actor={"id": "yoon", "roles": ["rep"]}, at="2026-11-27")
    assert blocked.value.blockers[0]["reason"] == "approval_missing"
    with pytest.raises(stagegate.Forbidden) as own:
        engine.approve(
            deal, "discount_approved", actor={"id": "yoon", "roles": ["finance"]}, at="2026-11-27"
        )
    assert own.value.roles == ["finance"]
    approved = engine.approve(
        deal, "discount_approved", actor={"id": "han", "roles": ["finance"]}, at="2026-11-27"
    )
    assert approved["approvals"]["discount_approved"]["by"] == "han"
    moved = engine.apply(
        approved, "closing", actor={"id": "yoon", "roles": ["rep"]}, at="2026-11-28"
    )
    assert moved["deal"]["stages"] == ["closing"]
    assert any(e.get("activity") == "contract_signing" for e in moved["effects"])


def test_tests_diagrams_and_migrations(engine: stagegate.Engine) -> None:
    report = engine.run_tests("2026-11-27")
    assert len(report["cases"]) > 30
    assert all(case["failures"] == [] for case in report["cases"])
    mermaid = engine.diagram()
    assert mermaid.startswith("stateDiagram-v2")
    printed = subprocess.run(
        [cli(), "graph", str(BUNDLED), "--format", "dot", "--lang", "en"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert engine.diagram("dot").rstrip() == printed.rstrip()
    with pytest.raises(stagegate.RequestError):
        engine.diagram("svg")  # type: ignore[arg-type]

    v2 = stagegate.Playbook.from_yaml(
        BUNDLED.read_text(encoding="utf-8")
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("needs_analysis", "discovery")
        + "\nmigrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n",
        "v2.yaml",
    )
    moved = stagegate.Engine(v2).migrate(
        {"id": "ACME-7", "playbook": "b2b-sales@1", "stage": "needs_analysis"},
        engine.playbook,
        at="2026-11-27",
        actor="kim",
    )
    assert moved["stages"] == ["discovery"]
    assert moved["playbook"] == "b2b-sales@2"
    assert v2.id == "b2b-sales" and v2.version == 2


def test_the_outline_is_what_a_page_shows(engine: stagegate.Engine) -> None:
    outline = engine.outline()
    schema = json.loads((ROOT / "schema" / "outline.schema.json").read_text("utf-8"))
    assert sorted(outline) == sorted(schema["properties"])
    assert outline["playbook"] == "b2b-sales@1" and outline["language"] == "en"
    main_path = [stage["id"] for stage in outline["stages"] if not stage["terminal"]]
    assert main_path[:2] == ["lead_generation", "qualification"]
    assert all(stage["terminal"] for stage in outline["stages"][len(main_path) :])
    fields = {field["id"]: field for field in outline["fields"]}
    assert fields["industry"]["values"][1] == {"id": "finance", "title": "Finance"}
    assert outline["currency"] == "USD" and outline["deal_name"] == "company"
    assert fields["amount"]["money"] and not fields["budget"]["money"]
    assert fields["stakeholders"]["list"]
    assert outline["approvals"] == [
        {
            "criterion": "discount_approved",
            "stage": "proposal_negotiation",
            "role": "finance",
            "message": "needs approval by Finance",
        }
    ]
    korean = engine.playbook.outline("ko")
    assert korean["stages"][1]["title"] == "자격 검증"
    assert engine.playbook.outline()["language"] == "ko", "the playbook's first language"
    with pytest.raises(stagegate.RequestError, match="kr"):
        engine.playbook.outline("kr")


def test_impact_is_what_the_command_line_prints(tmp_path: Path) -> None:
    newer_text = BUNDLED.read_text(encoding="utf-8").replace("budget >= 10_000", "budget >= 60_000")
    newer_path = tmp_path / "newer.yaml"
    newer_path.write_text(newer_text, encoding="utf-8")
    deal = {
        "id": "D-1",
        "stage": "qualification",
        "fields": {"budget": 50000, "decision_maker": "CFO", "need": "x", "timeline_days": 60},
        "activities": {"discovery_call": "2026-11-20"},
    }
    deal_path = tmp_path / "deal.json"
    deal_path.write_text(json.dumps(deal), encoding="utf-8")
    newer = stagegate.Engine(stagegate.Playbook.from_yaml(newer_text, "newer.yaml"), lang="en")
    impact = newer.impact(deal, stagegate.Playbook.load(BUNDLED), at="2026-11-27")
    printed = subprocess.run(
        [
            cli(),
            "impact",
            str(BUNDLED),
            str(newer_path),
            str(deal_path),
            *["--format", "jsonl", "--at", "2026-11-27", "--lang", "en"],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert impact == json.loads(printed.splitlines()[0])
    assert any(change["change"] == "now_blocked" for change in impact["changes"])
    with pytest.raises(stagegate.DealError):
        newer.impact({"fields": {"budget": "lots"}}, newer.playbook, at="2026-11-27")


def test_check_lists_diagnostics_as_the_command_line_does(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8") + "\nunknown_key: 1\n"
    path = tmp_path / "b2b-sales.yaml"
    path.write_text(text, encoding="utf-8")
    found = stagegate.Playbook.check_yaml(text, str(path))
    printed = subprocess.run(
        [cli(), "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert [d["code"] for d in found] == ["unknown-key"]
    assert found == json.loads(printed.stdout)
    assert stagegate.Playbook.load(BUNDLED).check() == []


# ---------------------------------------------------------------- batches


def test_batches_answer_in_order_and_errors_raise_or_return(engine: stagegate.Engine) -> None:
    deals: list[dict[str, Any]] = [
        {"id": f"D-{i}", "stage": "qualification", "fields": {"budget": i * 1000}}
        for i in range(50)
    ]
    deals.insert(7, {"fields": {"budjet": 1}})
    with pytest.raises(stagegate.DealError) as raised:
        engine.evaluate_many(deals, "2026-11-27")
    assert raised.value.deal == "#8"
    assert raised.value.results is not None and len(raised.value.results) == 51
    answers = engine.evaluate_many(deals, "2026-11-27", errors="return", threads=3)
    assert answers[7]["error"] == "deal"
    singles = [engine.evaluate(d, "2026-11-27") for d in deals if "id" in d]
    assert [a for a in answers if "error" not in a] == singles
    assert engine.score_many([], "2026-11-27") == []
    with pytest.raises(ValueError):
        engine.score_many(deals, "2026-11-27", errors="ignore")  # type: ignore[arg-type]


def test_the_gil_is_released_while_a_batch_runs() -> None:
    contract = _stagegate.Contract.load(X_EDUCATION.read_text(encoding="utf-8"), "x.yaml")
    leads = [json.dumps(lead) for lead in generated_leads(60_000, seed=7)]
    window: dict[str, float] = {}

    def batch() -> None:
        window["start"] = time.perf_counter()
        contract.score_many(leads, "2026-11-27", 1)
        window["end"] = time.perf_counter()

    worker = threading.Thread(target=batch)
    ticks: list[float] = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    inside = [t for t in ticks if window["start"] < t < window["end"]]
    took = window["end"] - window["start"]
    assert took > 0.05, f"the batch was too quick to tell ({took:.3f} s)"
    # Holding the GIL, the batch would stop this thread for its whole length; released, this
    # thread ticks every few milliseconds throughout.
    assert len(inside) >= 10, (len(inside), took)
    gaps = [b - a for a, b in zip(inside, inside[1:])]
    assert max(gaps) < took / 2, (max(gaps), took)


def test_engines_and_playbooks_pickle(engine: stagegate.Engine) -> None:
    again = pickle.loads(pickle.dumps(engine))
    assert isinstance(again, stagegate.Engine)
    assert again.lang == "en"
    deal = {"id": "D-1", "stage": "qualification", "fields": {"budget": 80000}}
    assert again.evaluate(deal, "2026-11-27") == engine.evaluate(deal, "2026-11-27")
    playbook = pickle.loads(pickle.dumps(engine.playbook))
    assert playbook.yaml == engine.playbook.yaml
    korean = pickle.loads(pickle.dumps(stagegate.Engine(playbook, lang="ko")))
    assert korean.lang == "ko"


def generated_leads(count: int, seed: int) -> list[dict[str, Any]]:
    """Leads shaped as the X Education export, with every field sometimes missing."""
    rng = random.Random(seed)
    origins = ["API", "Landing Page Submission", "Lead Add Form", "Lead Import", "Quick Add Form"]
    sources = ["Google", "Direct Traffic", "Olark Chat", "Reference", "Organic Search", ""]
    activities = ["SMS Sent", "Email Opened", "Olark Chat Conversation", "Email Bounced", ""]
    occupations = ["Working Professional", "Student", "Unemployed", ""]
    leads = []
    for i in range(count):
        fields: dict[str, Any] = {}
        if rng.random() < 0.95:
            fields["lead_origin"] = rng.choice(origins)
        if rng.random() < 0.9:
            fields["lead_source"] = rng.choice(sources)
        if rng.random() < 0.9:
            fields["website_seconds"] = rng.randrange(0, 2500)
        if rng.random() < 0.8:
            fields["occupation"] = rng.choice(occupations)
        if rng.random() < 0.9:
            fields["last_activity"] = rng.choice(activities)
        if rng.random() < 0.9:
            fields["do_not_email"] = rng.random() < 0.1
        leads.append({"id": f"L-{i}", "fields": fields})
    return leads


def test_a_hundred_thousand_leads_score_as_the_command_line_scores_them(tmp_path: Path) -> None:
    leads = generated_leads(100_000, seed=2026)
    book = tmp_path / "leads.jsonl"
    book.write_text("".join(json.dumps(lead) + "\n" for lead in leads), encoding="utf-8")
    printed = subprocess.run(
        [cli(), "score", str(X_EDUCATION), str(book), "--format", "jsonl", "--at", "2026-11-27"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    engine = stagegate.Engine(stagegate.Playbook.load(X_EDUCATION))
    answers = engine.score_many(leads, "2026-11-27")
    assert len(answers) == len(printed) == 100_000
    for i, (answer, line) in enumerate(zip(answers, printed)):
        assert answer == json.loads(line), f"lead {i}"


def test_the_docstring_examples_run() -> None:
    failed, attempted = doctest.testmod(stagegate, verbose=False)
    assert attempted >= 5
    assert failed == 0


def test_the_readme_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## From Python") :]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("needs_analysis [")
    assert printed[-2].startswith("blocked: ['required activity not done: Discovery call'")
    assert printed[-1] == "cold"


# ---------------------------------------------------------------- metrics, whole and in parts


def test_metrics_equal_the_command_line_whole_and_merged_from_any_split(
    engine: stagegate.Engine, tmp_path: Path
) -> None:
    deals: list[dict[str, Any]] = [
        deal
        for path in sorted((ROOT / "examples" / "deals").glob("*.yaml"))
        for deal in yaml.safe_load_all(path.read_text("utf-8"))
    ]
    deals.append({"id": "BAD-1", "stage": "qualification", "fields": {"budjet": 1}})
    deals.append({"stage": "nowhere"})
    book = tmp_path / "book.jsonl"
    book.write_text(
        "".join(json.dumps(deal, default=str) + "\n" for deal in deals), encoding="utf-8"
    )
    for by in (None, "industry"):
        printed = subprocess.run(
            [cli(), "metrics", str(BUNDLED), str(book), "--at", "2026-11-27", "--format", "json"]
            + (["--by", by] if by else []),
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        wanted = json.loads(printed)
        whole = engine.metrics(deals, "2026-11-27", by=by)
        assert json.dumps(whole) == json.dumps(wanted)  # every figure, in the same key order
        assert any("#" in json.dumps(a) for a in whole["anomalies"])  # the deal without an id
        rng = random.Random(7)
        for _ in range(5):
            cuts = sorted(rng.sample(range(1, len(deals)), 3))
            parts = [
                engine.metrics_partial(deals[a:b], "2026-11-27", by=by, first_index=a)
                for a, b in zip([0, *cuts], [*cuts, len(deals)])
            ]
            rng.shuffle(parts)
            merged = engine.metrics_finish(engine.metrics_merge(parts))
            assert json.dumps(merged) == json.dumps(wanted)


def test_partials_that_do_not_belong_together_are_refused(engine: stagegate.Engine) -> None:
    deal = example_deal("01-qualified-lead.yaml")
    first = engine.metrics_partial([deal], "2026-11-27")
    with pytest.raises(stagegate.RequestError, match="index 0 of the book is in two partials"):
        engine.metrics_merge([first, first])
    later = engine.metrics_partial([deal], "2026-11-27", first_index=2)
    with pytest.raises(stagegate.RequestError, match="indexes 1 to 1 of the book are in no"):
        engine.metrics_finish(engine.metrics_merge([first, later]))
    other_day = engine.metrics_partial([deal], "2026-11-28", first_index=1)
    with pytest.raises(stagegate.RequestError):
        engine.metrics_merge([first, other_day])
    with pytest.raises(stagegate.RequestError, match="`budjet` is not a field"):
        engine.metrics_partial([deal], "2026-11-27", by="budjet")
    with pytest.raises(stagegate.RequestError):
        engine.metrics_merge([])
    with pytest.raises(stagegate.RequestError):
        engine.metrics_finish('{"not": "a partial"}')
    with pytest.raises(ValueError):
        engine.metrics_partial([deal], "2026-11-27", first_index=-1)


# ---------------------------------------------------------------- one problem shape

ERROR_CLASSES: dict[str, type[stagegate.Error]] = {
    "request": stagegate.RequestError,
    "load": stagegate.LoadError,
    "deal": stagegate.DealError,
    "blocked": stagegate.MoveBlocked,
    "forbidden": stagegate.Forbidden,
    "refused": stagegate.Refused,
}


def error_cases() -> list[Path]:
    return sorted((CORPUS / "errors").glob("*.json"))


def test_every_library_kind_of_error_has_a_case() -> None:
    kinds = {json.loads(p.read_text("utf-8"))["expected"]["error"] for p in error_cases()}
    assert kinds == set(ERROR_CLASSES)


@pytest.mark.parametrize("case", error_cases(), ids=lambda p: p.stem)
def test_every_kind_of_error_is_the_contracts_problem(case: Path) -> None:
    spec = json.loads(case.read_text(encoding="utf-8"))
    expected = spec["expected"]
    text = (ROOT / spec["playbook"]).read_text(encoding="utf-8")
    with pytest.raises(stagegate.Error) as raised:
        engine = stagegate.Engine(
            stagegate.Playbook.from_yaml(text, spec["playbook"]), lang=spec.get("lang")
        )
        request = spec["request"]
        if spec["call"] == "apply":
            engine.apply(
                request["deal"],
                request["to"],
                from_=request.get("from"),
                force=request.get("force"),
                actor=request.get("actor"),
                at=request["at"],
            )
        else:
            engine.approve(
                request["deal"], request["criterion"], actor=request["actor"], at=request["at"]
            )
    error = raised.value
    assert type(error) is ERROR_CLASSES[expected["error"]]
    assert (error.kind, error.code, error.help) == (
        expected["error"],
        expected["code"],
        expected.get("help"),
    )
    assert error.data == expected
    assert str(error) == expected["message"]
