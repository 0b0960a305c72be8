"""Times `Engine.score_many` from Python on a JSON Lines book of leads, excluding interpreter
start and reading the file; checks every answer equals the command line's line first.

Usage: python3 score_many.py PLAYBOOK LEADS.jsonl CLI_OUTPUT.jsonl AT RUNS
Prints one line per call and input form: `python <call(form)> <best seconds> <leads>`, then
the floor of any dict form: Python's own `json.loads` of the command line's answers, which builds
the same dicts `score_many` returns.
"""

from __future__ import annotations

import gc
import json
import sys
import time

import stagegate


def main() -> None:
    playbook, book, printed, at, runs = sys.argv[1:6]
    engine = stagegate.Engine(stagegate.Playbook.load(playbook))
    with open(book, encoding="utf-8") as file:
        lines = [line for line in file if line.strip()]
    dicts = [json.loads(line) for line in lines]
    with open(printed, encoding="utf-8") as file:
        expected = [json.loads(line) for line in file]
    with open(printed, encoding="utf-8") as file:
        printed_lines = [line.rstrip("\n") for line in file]
    forms = (
        ("score_many(dicts)", dicts, engine.score_many, expected),
        ("score_many(json texts)", lines, engine.score_many, expected),
        ("score_many_json(dicts)", dicts, engine.score_many_json, printed_lines),
        ("score_many_json(json texts)", lines, engine.score_many_json, printed_lines),
    )
    for form, deals, call, wanted in forms:
        answers = call(deals, at)
        if answers != wanted:
            bad = next(i for i, (a, e) in enumerate(zip(answers, wanted)) if a != e)
            sys.exit(f"python {form}: lead {bad + 1} differs from the command line")
        best = float("inf")
        for _ in range(int(runs)):
            start = time.perf_counter()
            call(deals, at)
            best = min(best, time.perf_counter() - start)
        print(f"python {form} {best:.3f} {len(deals)}")
    best = float("inf")
    for _ in range(int(runs)):
        start = time.perf_counter()
        gc.disable()
        [json.loads(line) for line in printed_lines]
        gc.enable()
        best = min(best, time.perf_counter() - start)
    print(f"python json.loads(answers) {best:.3f} {len(printed_lines)}")


if __name__ == "__main__":
    main()
