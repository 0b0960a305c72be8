"""Compares the Spark example's outputs with the command line's, line for line; exits non-zero
on the first difference.

    python examples/spark/compare.py DEALS.jsonl CLI_DIR SPARK_DIR

CLI_DIR holds score.jsonl, eval.jsonl and metrics.json as `stagegate` printed them (a deal the
engine refuses is left out of its output and reported on stderr); SPARK_DIR holds the example's
outputs, where a refused deal's line is its error object, in its place.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ERROR_START = '{"error":'


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def main() -> None:
    deals, cli, spark = (Path(arg) for arg in sys.argv[1:4])
    count = len([line for line in lines(deals) if line.strip()])
    for name in ("score.jsonl", "eval.jsonl"):
        answered = lines(spark / name)
        printed = lines(cli / name)
        if len(answered) != count:
            sys.exit(f"{name}: {len(answered)} answers for {count} deals")
        refused = [
            json.loads(line) for line in answered if line.startswith(ERROR_START)
        ]
        kept = [line for line in answered if not line.startswith(ERROR_START)]
        if kept != printed:
            first = next(
                (i for i, (a, b) in enumerate(zip(kept, printed)) if a != b),
                min(len(kept), len(printed)),
            )
            sys.exit(f"{name}: line {first + 1} differs from the command line's")
        names = sorted(error["deal"] for error in refused)
        if names != ["BAD-1", "BAD-2"] or any(
            error["error"] != "deal" for error in refused
        ):
            sys.exit(f"{name}: refused deals {names}, expected BAD-1 and BAD-2")
        print(
            f"{name}: {len(kept)} lines identical, {len(refused)} refused deals in place"
        )
    # Every figure, in the command line's order of keys: the same JSON once both are read.
    printed_metrics = json.loads((cli / "metrics.json").read_text(encoding="utf-8"))
    merged = json.loads((spark / "metrics.json").read_text(encoding="utf-8"))
    if json.dumps(merged) != json.dumps(printed_metrics):
        for key in printed_metrics:
            if json.dumps(merged.get(key)) != json.dumps(printed_metrics[key]):
                sys.exit(f"metrics.json: `{key}` differs from the command line's")
        sys.exit("metrics.json: the keys differ from the command line's")
    print(
        f"metrics.json: every figure identical ({len(json.dumps(merged))} bytes of JSON)"
    )


if __name__ == "__main__":
    main()
