#!/usr/bin/env python3
"""Writes the shared contract corpus: one JSON file per (playbook, call, deal, time), holding the
answer the command line gives. Rust (tests/contract.rs), Python (bindings/python/tests) and
JavaScript (bindings/js/test) all check their answers against these files.

    python3 tests/contract/generate.py [path/to/stagegate]

Needs PyYAML (deals are written in YAML in examples/deals/). Timestamps in the YAML are kept as
the text they are written as (no YAML timestamp type), as the engine reads them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AT = "2026-11-27"


class Loader(yaml.SafeLoader):
    """YAML as the engine reads deals: dates and times stay text."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# Leads shaped as the X Education export: each scorecard rule on and off, fields missing.
LEADS = [
    {"id": "L-1", "fields": {"lead_origin": "Lead Add Form", "lead_source": "Reference",
                             "website_seconds": 900, "occupation": "Working Professional",
                             "last_activity": "SMS Sent", "do_not_email": False}},
    {"id": "L-2", "fields": {"lead_origin": "API", "lead_source": "Olark Chat",
                             "website_seconds": 600, "occupation": "",
                             "last_activity": "Email Bounced", "do_not_email": True}},
    {"id": "L-3", "fields": {"lead_origin": "Landing Page Submission"}},
    {"id": "L-4", "fields": {}},
]


def run(binary: str, args: list[str], deal: dict[str, Any]) -> str:
    done = subprocess.run(
        [binary, *args, "-"], input=json.dumps(deal), capture_output=True, text=True,
        cwd=ROOT, check=False,
    )
    if done.returncode != 0:
        sys.exit(f"stagegate {' '.join(args)}: {done.stderr}")
    return done.stdout


def write(name: str, case: dict[str, Any]) -> None:
    (HERE / f"{name}.json").write_text(
        json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "debug" / "stagegate")
    for old in HERE.glob("*.json"):
        old.unlink()
    bundled = "playbooks/b2b-sales.yaml"
    for path in sorted((ROOT / "examples" / "deals").glob("*.yaml")):
        if path.name == "book.yaml":
            continue
        deal = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        stem = path.stem
        evaluated = json.loads(run(binary, ["eval", bundled, "--format", "json", "--at", AT,
                                            "--lang", "en"], deal))
        write(f"evaluate-{stem}", {"playbook": bundled, "lang": "en", "call": "evaluate",
                                   "deal": deal, "at": AT, "expected": evaluated[0]})
        scored = run(binary, ["score", bundled, "--format", "jsonl", "--at", AT], deal)
        write(f"score-{stem}", {"playbook": bundled, "lang": "en", "call": "score",
                                "deal": deal, "at": AT, "expected": json.loads(scored)})
    # Metrics over every example deal, a deal that does not fit and one without an id: the JSON
    # `metrics --format json --by industry` prints (with `deals` in place of `deal`).
    book = [yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
            for path in sorted((ROOT / "examples" / "deals").glob("*.yaml"))
            if path.name != "book.yaml"]
    book += [{"id": "BAD-1", "stage": "qualification", "fields": {"budjet": 1}},
             {"stage": "nowhere"}]
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "book.jsonl"
        jsonl.write_text("".join(json.dumps(deal) + "\n" for deal in book), encoding="utf-8")
        done = subprocess.run(
            [binary, "metrics", bundled, str(jsonl), "--format", "json", "--at", AT,
             "--by", "industry", "--lang", "en"],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )
    # Exit code 2 with the figures: the two unfit deals are anomalies, reported on stderr too.
    if done.returncode not in (0, 2) or not done.stdout.strip():
        sys.exit(f"stagegate metrics: {done.stderr}")
    write("metrics-examples-by-industry", {"playbook": bundled, "lang": "en", "call": "metrics",
                                           "by": "industry", "deals": book, "at": AT,
                                           "expected": json.loads(done.stdout)})
    leads = "examples/real-data/x-education/playbook.yaml"
    for lead in LEADS:
        scored = run(binary, ["score", leads, "--format", "jsonl", "--at", AT], lead)
        write(f"score-x-education-{lead['id']}", {"playbook": leads, "lang": None,
                                                   "call": "score", "deal": lead, "at": AT,
                                                   "expected": json.loads(scored)})
    print(f"{len(list(HERE.glob('*.json')))} cases in {HERE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
